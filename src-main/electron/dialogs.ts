// Native dialogs of the main process: the workspace folder chooser and the error box.
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';

/** The dialog methods the studio uses (Electron's dialog, or a fake); W is the window type a dialog may be modal to. */
export interface StudioDialog<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showErrorBox(title: string, content: string): void;
}

/** What the workspace chooser offers: folders only (no file types), and the means to make a new one. */
export const WORKSPACE_DIALOG = { title: 'Choose a workspace folder', properties: ['openDirectory', 'createDirectory'] } as const satisfies OpenDialogOptions;

/** Asks for a workspace folder, modal to the window where there is one; null if cancelled. */
export async function chooseWorkspaceFolder<W>(dialog: StudioDialog<W>, win: W | null): Promise<string | null> {
  const options: OpenDialogOptions = { title: WORKSPACE_DIALOG.title, properties: [...WORKSPACE_DIALOG.properties] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
