// Drives a Chromium-based program (the real Electron app, or Debian's Chromium) through its remote debugging port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { signalProcess, trackChild, untrackChild } from '../../src-main/process/signal';

/** The Electron binary npm installed, or null where its download never happened (no network to Electron's host). */
export function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** A started program with its debugging port. */
export interface DebuggedProgram {
  readonly port: number;
  /** The last few KB of its stderr, for failure messages. */
  stderr(): string;
  /** Ends it (SIGTERM to its process group, SIGKILL after the grace time); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts command in a process group of its own with --remote-debugging-port=0 among its arguments, and waits for
 * the "DevTools listening on ws://host:port/..." line Chromium prints on stderr.
 */
export async function launchDebugged(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<DebuggedProgram> {
  const child: ChildProcess = spawn(command, args, { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child.pid);
  let tail = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => untrackChild(child.pid));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} printed no DevTools line within ${timeoutMs} ms:\n${tail}`)), timeoutMs);
    child.once('error', (error) => reject(error));
    child.once('exit', (code, signal) => reject(new Error(`${command} ended (code ${code}, signal ${signal}) before its DevTools line:\n${tail}`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-8192);
      const match = /DevTools listening on ws:\/\/[^:/\s]+:(\d+)\//.exec(tail);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  }).catch(async (error: unknown) => {
    await stopGroup(child, exited, 2000);
    throw error;
  });
  return { port, stderr: () => tail, stop: (graceMs = 10_000) => stopGroup(child, exited, graceMs) };
}

async function stopGroup(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const send = (signal: NodeJS.Signals) => {
    try {
      signalProcess(child.pid, signal, { group: true });
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
  if (!inTime) {
    send('SIGKILL');
    await exited;
  }
}

/** A page target as the /json/list endpoint lists it. */
export interface PageTarget {
  readonly type: string;
  readonly url: string;
  readonly webSocketDebuggerUrl: string;
}

/** The program's page targets. */
export async function pages(port: number): Promise<PageTarget[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  return ((await response.json()) as PageTarget[]).filter((t) => t.type === 'page');
}

/** Waits for a page whose URL passes the test; throws naming the pages seen after the timeout. */
export async function waitForPage(port: number, wanted: (url: string) => boolean, timeoutMs = 30_000): Promise<PageTarget> {
  const end = Date.now() + timeoutMs;
  let seen: PageTarget[] = [];
  while (Date.now() < end) {
    seen = await pages(port);
    const found = seen.find((p) => wanted(p.url));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no wanted page within ${timeoutMs} ms; pages: ${seen.map((p) => p.url).join(', ') || 'none'}`);
}

/** Evaluates an expression in a page (awaiting a promise it returns) and answers its value as JSON would carry it. */
export async function evaluate(page: PageTarget, expression: string, timeoutMs = 15_000): Promise<unknown> {
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const reply = await new Promise<{ result?: { result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }; error?: { message: string } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${expression} within ${timeoutMs} ms`)), timeoutMs);
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { id?: number };
        if (message.id === 1) {
          clearTimeout(timer);
          resolve(message as never);
        }
      });
      socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }));
    });
    if (reply.error) throw new Error(`Runtime.evaluate failed: ${reply.error.message}`);
    const details = reply.result?.exceptionDetails;
    if (details) throw new Error(`${expression} threw: ${details.exception?.description ?? details.text}`);
    return reply.result?.result.value;
  } finally {
    socket.close();
  }
}

/** Evaluates until the expression is truthy, every 100 ms; throws naming it after the timeout. */
export async function evaluateUntil(page: PageTarget, expression: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await evaluate(page, expression))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
