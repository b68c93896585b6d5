// The allocator settings reach a real child through spawnChild, and a user's own GLIBC_TUNABLES keeps its values.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HEAVY_WORK_TUNABLES, heavyWorkEnv } from './allocator-env';
import { spawnChild } from './child-process';

const ENV_REPORTER = "process.send({ tunables: process.env.GLIBC_TUNABLES ?? null }, () => process.disconnect());\n";

async function childTunables(env?: NodeJS.ProcessEnv): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'allocator-env-'));
  const modulePath = join(dir, 'child.mjs');
  writeFileSync(modulePath, ENV_REPORTER);
  const child = await spawnChild({ modulePath, name: 'env-reporter', toChild: z.never(), fromChild: z.object({ tunables: z.string().nullable() }), ...(env ? { env } : {}) });
  const got = new Promise<string | null>((resolve) => child.onMessage((m) => resolve(m.tunables)));
  const [tunables, exit] = await Promise.all([got, child.exited]);
  expect(exit.code).toBe(0);
  return tunables;
}

const asMap = (tunables: string | null) => Object.fromEntries((tunables ?? '').split(':').filter(Boolean).map((kv) => kv.split('=')));

describe('heavy-work allocator settings', () => {
  it('reach a child started with the default environment', async () => {
    const env = { ...process.env };
    delete env.GLIBC_TUNABLES;
    expect(asMap(await childTunables(env))).toEqual({ 'glibc.malloc.mmap_threshold': String(32 << 20), 'glibc.malloc.trim_threshold': String(256 << 20) });
  });

  it("add only what the user's GLIBC_TUNABLES leaves out", async () => {
    const mine = 'glibc.malloc.trim_threshold=1000:glibc.cpu.hwcaps=-AVX512F';
    expect(asMap(await childTunables({ ...process.env, GLIBC_TUNABLES: mine }))).toEqual({
      'glibc.malloc.trim_threshold': '1000',
      'glibc.cpu.hwcaps': '-AVX512F',
      'glibc.malloc.mmap_threshold': HEAVY_WORK_TUNABLES['glibc.malloc.mmap_threshold'],
    });
    const all = Object.entries(HEAVY_WORK_TUNABLES).map(([k, v]) => `${k}=${v}`).join(':');
    const env = { GLIBC_TUNABLES: all };
    expect(heavyWorkEnv(env)).toBe(env);
  });
});
