// Starts a child process for heavy work: Electron's utilityProcess inside the app, child_process.fork under plain Node, one interface.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { UtilityProcess } from 'electron';
import type { z } from 'zod';
import { heavyWorkEnv } from './allocator-env';
import type { ChildExit } from './exit-description';
import { MessageValidator } from './message-validator';
import { signalProcess, trackChild, untrackChild } from './signal';

/** How to start a child. */
export interface ChildOptions<In extends z.ZodType, Out extends z.ZodType> {
  /** The built JavaScript entry to run. */
  readonly modulePath: string;
  readonly args?: readonly string[];
  /** The child's environment (default this process's); the allocator settings of allocator-env.ts are added to it. */
  readonly env?: NodeJS.ProcessEnv;
  /** A name for logs and for matching Electron's 'child-process-gone' event (made unique per child). */
  readonly name: string;
  /** Schema of every message sent to the child. */
  readonly toChild: In;
  /** Schema of every message the child sends. */
  readonly fromChild: Out;
  /** Where the child's stderr goes besides the kept tail; default the parent's stderr. */
  readonly onStderr?: (text: string) => void;
}

/** A running child: validated messages both ways, exit with code, signal and reason, kill. */
export interface ChildHandle<In, Out> {
  readonly pid: number | undefined;
  /** Which mechanism started it. */
  readonly kind: 'utility-process' | 'node-fork';
  /** Validates and sends a message; throws invalid-message on a message the schema refuses. */
  send(message: In): void;
  /** Listens to validated messages; returns the unsubscribe function. */
  onMessage(listener: (message: Out) => void): () => void;
  /** Listens to messages from the child that failed validation (they are dropped). */
  onInvalidMessage(listener: (problem: string) => void): () => void;
  /** Resolves once the child has ended. */
  readonly exited: Promise<ChildExit>;
  /** Ends the child (SIGTERM by default; Electron's utility processes take no signal choice). */
  kill(signal?: NodeJS.Signals): void;
}

const STDERR_TAIL = 4096;
let counter = 0;

/** True inside Electron's main process, where utilityProcess exists. */
export function underElectron(): boolean {
  return typeof process.versions.electron === 'string' && (process as { type?: string }).type === 'browser';
}

/** Starts a child with the mechanism the current runtime offers. */
export async function spawnChild<In extends z.ZodType, Out extends z.ZodType>(options: ChildOptions<In, Out>): Promise<ChildHandle<z.input<In>, z.output<Out>>> {
  const name = `${options.name}-${process.pid}-${++counter}`;
  return underElectron() ? spawnUtility(options, name) : spawnFork(options);
}

/** Keeps the last few KB of a stream and forwards it. */
function tailOf(stream: Readable | NodeJS.ReadableStream | null, forward: (text: string) => void): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    const text = chunk.toString();
    forward(text);
    tail = (tail + text).slice(-STDERR_TAIL);
  });
  return () => tail;
}

function spawnFork<In extends z.ZodType, Out extends z.ZodType>(options: ChildOptions<In, Out>): ChildHandle<z.input<In>, z.output<Out>> {
  // 'advanced' serialisation is the structured clone: typed arrays cross without becoming arrays of numbers.
  const child: ChildProcess = fork(options.modulePath, [...(options.args ?? [])], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: heavyWorkEnv(options.env ?? process.env),
  });
  trackChild(child.pid);
  const validator = new MessageValidator(options.toChild, options.fromChild);
  child.on('message', (raw: unknown) => validator.receive(raw));
  const stderr = tailOf(child.stderr, options.onStderr ?? ((t) => process.stderr.write(t)));
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      untrackChild(child.pid);
      // stderr may still hold the child's last words: let it drain first.
      setTimeout(() => resolve({ code, signal, reason: null, stderrTail: stderr() }), 20);
    });
  });
  child.on('error', () => undefined); // a failed send to a dead child: 'exit' reports the death
  return {
    pid: child.pid,
    kind: 'node-fork',
    send: (message) => {
      const checked = validator.checkOutgoing(message);
      if (child.connected) child.send(checked as object);
    },
    onMessage: (l) => validator.onMessage(l),
    onInvalidMessage: (l) => validator.onInvalid(l),
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

async function spawnUtility<In extends z.ZodType, Out extends z.ZodType>(options: ChildOptions<In, Out>, serviceName: string): Promise<ChildHandle<z.input<In>, z.output<Out>>> {
  // Loaded through a require made here, only inside Electron: the bundles that also run without Electron (the headless
  // server, the CLI) then hold no import of it for a bundler to hoist or a loader to resolve.
  const electron = createRequire(import.meta.url)('electron') as typeof import('electron');
  const child: UtilityProcess = electron.utilityProcess.fork(options.modulePath, [...(options.args ?? [])], {
    serviceName,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: heavyWorkEnv(options.env ?? process.env),
  });
  let spawnedPid: number | undefined;
  child.once('spawn', () => trackChild((spawnedPid = child.pid)));
  const validator = new MessageValidator(options.toChild, options.fromChild);
  child.on('message', (raw: unknown) => validator.receive(raw));
  const stderr = tailOf(child.stderr, options.onStderr ?? ((t) => process.stderr.write(t)));
  let reason: string | null = null;
  const onGone = (_e: unknown, details: { type: string; reason: string; serviceName?: string; name?: string }): void => {
    if (details.type === 'Utility' && (details.serviceName === serviceName || details.name === serviceName)) reason = details.reason;
  };
  electron.app.on('child-process-gone', onGone);
  let alive = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code: number) => {
      alive = false;
      untrackChild(spawnedPid);
      // 'child-process-gone' may arrive just after 'exit': wait a moment for the reason.
      setTimeout(() => {
        electron.app.off('child-process-gone', onGone);
        resolve({ code, signal: null, reason, stderrTail: stderr() });
      }, 100);
    });
  });
  return {
    get pid() {
      return child.pid;
    },
    kind: 'utility-process',
    send: (message) => {
      const checked = validator.checkOutgoing(message);
      if (alive) child.postMessage(checked);
    },
    onMessage: (l) => validator.onMessage(l),
    onInvalidMessage: (l) => validator.onInvalid(l),
    exited,
    kill: (signal) => {
      if (!alive) return;
      if (signal && signal !== 'SIGTERM') signalProcess(child.pid, signal);
      else child.kill();
    },
  };
}
