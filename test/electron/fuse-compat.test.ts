// The packaged app relies on nothing its fuses turn off: workers start as utility processes, never as Electron run as Node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EventEmitter } from 'node:events';
import { z } from 'zod';

/** What the fake utilityProcess.fork was asked. */
const utilityForks: { modulePath: string; args: string[]; options: { env?: NodeJS.ProcessEnv; serviceName?: string } }[] = [];

class FakeUtilityProcess extends EventEmitter {
  readonly pid = 4242;
  readonly stdout = null;
  readonly stderr = null;
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.emit('exit', 0);
    return true;
  }
}

const fakeElectronModule = {
  utilityProcess: {
    fork(modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; serviceName?: string }) {
      utilityForks.push({ modulePath, args, options });
      return new FakeUtilityProcess();
    },
  },
  app: new EventEmitter(),
};

// child-process.ts loads electron through a require it makes itself: that require answers with the fake above.
vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:module')>();
  return {
    ...actual,
    createRequire: (from: string | URL) => {
      const real = actual.createRequire(from);
      return Object.assign((id: string) => (id === 'electron' ? fakeElectronModule : real(id)), real);
    },
  };
});
// Under Electron child_process.fork would need ELECTRON_RUN_AS_NODE, which the runAsNode fuse turns off.
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, fork: () => { throw new Error('child_process.fork used under Electron'); } };
});

const { spawnChild } = await import('../../src-main/process/child-process');
const { heavyWorkEnv } = await import('../../src-main/process/allocator-env');

/** Makes this process look like Electron's main process for the duration of a test. */
function pretendElectronMain(): void {
  Object.defineProperty(process.versions, 'electron', { value: '41.7.1', configurable: true, enumerable: true });
  (process as { type?: string }).type = 'browser';
}

afterEach(() => {
  delete (process.versions as { electron?: string }).electron;
  delete (process as { type?: string }).type;
  utilityForks.length = 0;
});

describe('workers under the fuses', () => {
  it('start as utility processes inside Electron, with no Node-run-as or inspector switches', async () => {
    pretendElectronMain();
    const child = await spawnChild({ modulePath: '/app.asar/out/main/training-worker.js', name: 'training-worker', toChild: z.unknown(), fromChild: z.unknown(), env: { HOME: '/home/u' } });
    expect(child.kind).toBe('utility-process');
    expect(utilityForks).toHaveLength(1);
    const [fork] = utilityForks;
    expect(fork.modulePath).toBe('/app.asar/out/main/training-worker.js');
    // the caller's environment, with the heavy-work allocator settings every worker starts with
    expect(fork.options.env).toEqual(heavyWorkEnv({ HOME: '/home/u' }));
    expect(fork.options.env?.HOME).toBe('/home/u');
    expect(fork.args.join(' ')).not.toMatch(/--inspect/);
    child.kill();
    await child.exited;
  });

  it('are forked by Node only outside Electron (the server and the command line)', async () => {
    await expect(spawnChild({ modulePath: '/x.js', name: 'w', toChild: z.unknown(), fromChild: z.unknown() })).rejects.toThrow(/fork used/);
    expect(utilityForks).toHaveLength(0);
  });
});

/** Every .ts file under a folder, tests aside. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

describe('the code the app ships', () => {
  const files = [...sources('src-main'), ...sources('src-preload')];

  it('starts processes in one module only (the other reads parent pids)', () => {
    const users = files.filter((f) => /from ['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/.test(readFileSync(f, 'utf8'))).map((f) => relative('src-main', f));
    expect(users.sort()).toEqual(['process/child-process.ts', 'process/signal.ts']);
  });

  it('sets no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or inspector switch, and loads no page from file://', () => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/ELECTRON_RUN_AS_NODE|NODE_OPTIONS|NODE_EXTRA_CA_CERTS|--inspect|loadFile\(/);
    }
  });
});
