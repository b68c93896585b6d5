// Desktop notifications of the browser build: the person's choice (stored), the browser's permission asked once from that choice, and runs followed through the API.
import type { StudioApi } from '../../src-core/api/studio-api';
import { RunNoticeTracker, type RunNotice } from '../../src-core/training/run-notice';

const CHOICE_KEY = 'studio.notifications';

/** Where notifications stand: on, off, blocked by the browser, or impossible in this browser. */
export type NotifyState = 'on' | 'off' | 'blocked' | 'unsupported';

/** The browser's Notification constructor, where it has one. */
function notificationApi(): typeof Notification | null {
  return typeof globalThis.Notification === 'function' ? globalThis.Notification : null;
}

function storedChoice(): boolean {
  try {
    return globalThis.localStorage?.getItem(CHOICE_KEY) === 'on';
  } catch {
    return false;
  }
}

function storeChoice(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(CHOICE_KEY, on ? 'on' : 'off');
  } catch {
    // storage may be blocked; the choice then lasts for this page only
  }
}

/** Where notifications stand now, from the stored choice and the browser's permission (nothing is asked). */
export function notifyState(): NotifyState {
  const api = notificationApi();
  if (!api) return 'unsupported';
  if (api.permission === 'denied') return 'blocked';
  return storedChoice() && api.permission === 'granted' ? 'on' : 'off';
}

/**
 * Turns notifications on or off as the person asked (call it from their click: browsers ask for permission only then).
 * The browser asks at most once: a refusal it remembers is reported as 'blocked', not asked again.
 */
export async function chooseNotifications(on: boolean): Promise<NotifyState> {
  storeChoice(on);
  const api = notificationApi();
  if (!api) return 'unsupported';
  if (on && api.permission === 'default') await api.requestPermission();
  return notifyState();
}

/** Shows a notice as a desktop notification where the person turned them on (one per run: a newer one replaces it). */
function show(notice: RunNotice, runId: string): void {
  const api = notificationApi();
  if (!api || notifyState() !== 'on') return;
  new api(notice.title, { body: notice.body, tag: `studio-run-${runId}` });
}

/** Follows runs' status events of the API and notifies of each finish, failure or fault pause; returns the means to stop. */
export function followRunNotifications(api: StudioApi): () => void {
  const tracker = new RunNoticeTracker();
  const offStatus = api.on('training.status', ({ run }) => {
    const notice = tracker.take(run);
    if (notice) show(notice, run.id);
  });
  const offDeleted = api.on('training.deleted', ({ runId }) => tracker.forget(runId));
  return () => {
    offStatus();
    offDeleted();
  };
}
