// The files a person opens the desktop app with: the paths in its command line (a double-click or `diffusion-studio model.onnx`).

/**
 * The paths among an Electron command line's arguments: the executable goes, and so does the app folder where Electron
 * runs an unpacked app (defaultApp); switches (Chromium adds its own to a second instance's) are not files.
 */
export function filesInArgv(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1).filter((arg) => arg !== '' && !arg.startsWith('-'));
}
