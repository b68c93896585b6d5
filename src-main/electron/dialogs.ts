// Native open and save dialogs, resolving to a path or null when the user cancels.
import { dialog, type BrowserWindow, type FileFilter } from 'electron';

/** Asks for one existing file; null if cancelled. */
export async function chooseFile(win: BrowserWindow | null, title: string, filters: FileFilter[]): Promise<string | null> {
  const options = { title, filters, properties: ['openFile' as const] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

/** Asks for a folder; null if cancelled. */
export async function chooseFolder(win: BrowserWindow | null, title: string): Promise<string | null> {
  const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

/** Asks where to save a file; null if cancelled. */
export async function chooseSavePath(win: BrowserWindow | null, title: string, defaultPath: string, filters: FileFilter[]): Promise<string | null> {
  const options = { title, defaultPath, filters };
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}
