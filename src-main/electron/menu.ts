// The application menu: standard roles plus the studio's own entries.
import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { mkdir } from 'node:fs/promises';
import { chooseFolder } from './dialogs';

/** Builds and installs the menu; onWorkspace is called when the user picks another workspace. */
export function installMenu(getWindow: () => BrowserWindow | null, workspace: string, onWorkspace: (dir: string) => void): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Workspace Folder',
          click: async () => {
            await mkdir(workspace, { recursive: true });
            await shell.openPath(workspace);
          },
        },
        {
          label: 'Change Workspace…',
          click: async () => {
            const dir = await chooseFolder(getWindow(), 'Choose a workspace folder');
            if (dir) onWorkspace(dir);
          },
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Diffusion models: the math the studio uses', click: () => shell.openExternal('https://arxiv.org/abs/2011.13456') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
