// The Lab service over its in-process runner: one handler per registered computation, progress events under the run's id, cancel, and the result checked against its schema.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventHub } from '../../src-core/api/event-hub';
import { StudioError } from '../../src-core/errors';
import { createLabRegistry, defineComputation } from '../../src-core/lab';
import { createInProcessLabRunner } from './lab-runner';
import { LabService } from './lab-service';

const spin = defineComputation({
  name: 'spin',
  title: 'spins',
  params: z.strictObject({ units: z.number().int().min(1), lie: z.boolean().default(false) }),
  result: z.object({ units: z.number().int() }),
  async run(p, ctx) {
    for (let i = 0; i < p.units; i++) {
      const until = performance.now() + 0.2;
      while (performance.now() < until) {
        // numerical work stands here
      }
      await ctx.progress(i + 1, p.units);
    }
    // a computation whose result breaks its own schema: the service must refuse it
    return (p.lie ? { units: 'many' } : { units: p.units }) as { units: number };
  },
});

function service(events = new EventHub()): LabService {
  const registry = createLabRegistry([spin]);
  return new LabService(events, { registry, runner: createInProcessLabRunner(registry) });
}

describe('LabService', () => {
  it("answers one handler per computation ('lab.<name>') and lab.cancel", () => {
    expect(Object.keys(service().handlers()).sort()).toEqual(['lab.cancel', 'lab.spin']);
  });

  it('runs under the given id, with lab.progress events and the seconds it took', async () => {
    const events = new EventHub();
    const seen: { id: string; name: string; done: number; total: number }[] = [];
    events.on('lab.progress', (p) => seen.push(p));
    const r = await service(events).run('spin', { id: 'one', params: { units: 300 } });
    expect(r).toMatchObject({ id: 'one', result: { units: 300 } });
    expect(r.seconds).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.id === 'one' && p.name === 'spin' && p.total === 300)).toBe(true);
    expect(seen.at(-1)?.done).toBe(300);
  });

  it('cancels a running computation by id and refuses a second run under a running id', async () => {
    const s = service();
    const run = s.run('spin', { id: 'long', params: { units: 1_000_000 } });
    await expect(s.run('spin', { id: 'long', params: { units: 1 } })).rejects.toThrow(/already running/);
    await new Promise((r) => setTimeout(r, 30));
    expect(s.cancel('long')).toBe(true);
    const err = await run.catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('cancelled');
    expect(s.cancel('long')).toBe(false);
  });

  it("refuses bad params with each problem's path, and a result that breaks its schema as internal", async () => {
    const s = service();
    const bad = await s.run('spin', { params: { units: -1 } }).catch((e: unknown) => e);
    expect((bad as StudioError).code).toBe('invalid-argument');
    expect((bad as StudioError).details[0].path).toEqual(['units']);
    const lie = await s.run('spin', { params: { units: 1, lie: true } }).catch((e: unknown) => e);
    expect(lie).toBeInstanceOf(StudioError);
    expect((lie as StudioError).code).toBe('internal');
    expect((lie as StudioError).details[0].path).toEqual(['units']);
  });
});
