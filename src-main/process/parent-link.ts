// The child's side of a process link: Electron's process.parentPort in a utility process, process.send under child_process.fork.
import type { z } from 'zod';
import { MessageValidator } from './message-validator';

/** A child's validated channel to its parent. */
interface ParentLink<FromParent, ToParent> {
  /** Validates and sends a message; throws invalid-message on one the schema refuses. */
  send(message: ToParent): void;
  /** Listens to validated messages from the parent. */
  onMessage(listener: (message: FromParent) => void): () => void;
  /** Listens to parent messages that failed validation (they are dropped). */
  onInvalidMessage(listener: (problem: string) => void): () => void;
  /** Called once if the parent goes away (its end of the channel closed). */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** Connects to the parent; throws if this process was not started as a child with a message channel. */
export function connectToParent<FromParent extends z.ZodType, ToParent extends z.ZodType>(
  fromParent: FromParent,
  toParent: ToParent,
): ParentLink<z.output<FromParent>, z.input<ToParent>> {
  const validator = new MessageValidator(toParent, fromParent);
  const port = (process as { parentPort?: ElectronParentPort }).parentPort;
  let post: (message: unknown) => void;
  let onDisconnect: (listener: () => void) => void;
  if (port) {
    port.on('message', (e) => validator.receive(e.data));
    post = (m) => port.postMessage(m);
    // Electron ends utility processes with the app; there is no disconnect to watch.
    onDisconnect = () => undefined;
  } else if (process.send) {
    process.on('message', (m: unknown) => validator.receive(m));
    post = (m) => {
      if (process.connected) process.send?.(m);
    };
    onDisconnect = (listener) => process.once('disconnect', listener);
  } else {
    throw new Error('this script runs as a child process: start it through the training supervisor or the CLI');
  }
  return {
    send: (message) => post(validator.checkOutgoing(message)),
    onMessage: (l) => validator.onMessage(l),
    onInvalidMessage: (l) => validator.onInvalid(l),
    onDisconnect,
  };
}
