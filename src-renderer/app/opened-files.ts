// Files handed to the studio from outside the page (a double-click, the command line, File > Open File…): taken from it and opened one at a time.
import type { OpenedFile } from '../../src-core/api/methods/files';
import type { StudioApi } from '../../src-core/api/studio-api';
import { messageOf } from '../../src-core/errors';

/**
 * Takes the files waiting now and each time the studio says more are waiting, opening them in the order they came;
 * a refusal or failure goes to note. Returns the means to stop following.
 */
export function followOpenedFiles(api: StudioApi, open: (file: OpenedFile) => Promise<void>, note: (text: string) => void): () => void {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const take = (): void => {
    chain = chain.then(async () => {
      if (stopped) return;
      let taken;
      try {
        taken = await api.call('files.takeOpened', {});
      } catch (err) {
        note(`Files opened from outside the page could not be fetched: ${messageOf(err)}`);
        return;
      }
      const said: string[] = [];
      for (const file of taken.files) {
        if (stopped) return;
        try {
          await open(file);
        } catch (err) {
          said.push(messageOf(err));
        }
      }
      // said once all are open, so that opening one does not hide the note of another
      said.push(...taken.notes);
      if (said.length > 0) note(said.join(' '));
    });
  };
  const off = api.on('files.opened', take);
  take();
  return () => {
    stopped = true;
    off();
  };
}
