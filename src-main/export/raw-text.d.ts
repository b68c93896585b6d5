// Files imported as their text: as they are (Vite's ?raw suffix, the web page's templates), or a module bundled with
// what it imports into one plain ES module (?bundle, scripts/bundle-text-plugin.mjs).
declare module '*?raw' {
  const text: string;
  export default text;
}

declare module '*?bundle' {
  const text: string;
  export default text;
}
