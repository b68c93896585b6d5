// Renderer entry: creates the Vue app with Pinia, mounts the shell, then connects to the studio's API.
// First: schemas must not try to compile code under the page's CSP before any is built.
import './zod-jitless';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { openConnection } from './api/connect';
import { useAppStore } from './app/app.store';
import './styles/theme.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.mount('#app');
void useAppStore(pinia).connect(openConnection);
