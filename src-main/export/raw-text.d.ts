// Files imported as their text (Vite's ?raw suffix): the web page's templates, bundled into the build.
declare module '*?raw' {
  const text: string;
  export default text;
}
