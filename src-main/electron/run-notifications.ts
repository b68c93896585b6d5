// The desktop app's notifications: each finish, failure or fault pause of a run, shown by the main process from the host's own events.
import type { EventHub } from '../../src-core/api/event-hub';
import { RunNoticeTracker } from '../../src-core/training/run-notice';

/** One notification as Electron makes it (or a fake). */
interface DesktopNotification {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

/** What the notifications need from Electron: its Notification class (or a fake of it). */
export interface NotificationElectron {
  readonly Notification: {
    isSupported(): boolean;
    new (options: { title: string; body: string }): DesktopNotification;
  };
}

/** Notifies of the host's runs as they finish, fail or pause on a fault; a click brings the window up. Returns the means to stop. */
export function notifyRuns(electron: NotificationElectron, events: EventHub, showWindow: () => void): () => void {
  const tracker = new RunNoticeTracker();
  const offStatus = events.on('training.status', ({ run }) => {
    const notice = tracker.take(run);
    if (!notice || !electron.Notification.isSupported()) return;
    const note = new electron.Notification({ title: notice.title, body: notice.body });
    note.on('click', showWindow);
    note.show();
  });
  const offDeleted = events.on('training.deleted', ({ runId }) => tracker.forget(runId));
  return () => {
    offStatus();
    offDeleted();
  };
}
