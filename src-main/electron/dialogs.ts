// Native dialogs of the main process: the workspace folder chooser, the file opener and the error box.
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { OPENABLE_FILES } from '../../src-core/api/methods/files';

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

/** Asks for a file to open (a model or data the studio opens, all kinds or one); null if cancelled. */
export async function chooseFileToOpen<W>(dialog: StudioDialog<W>, win: W | null): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open a model or data file',
    properties: ['openFile'],
    filters: [
      { name: 'Models and data', extensions: OPENABLE_FILES.map((f) => f.ext) },
      ...OPENABLE_FILES.map((f) => ({ name: f.label, extensions: [f.ext] })),
    ],
  };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
