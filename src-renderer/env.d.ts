// Globals the renderer relies on: the preload's bridge on window.studio (absent in a plain browser).
import type { StudioBridge } from '../src-core/api/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; undefined when the page runs in a browser against `npm run serve`. */
    studio?: StudioBridge;
  }
}

export {};
