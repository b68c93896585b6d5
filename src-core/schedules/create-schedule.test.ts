// createSchedule: defaults, JSON round trips, the registry, and the errors for bad specs.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { SCHEDULE_NAMES, createSchedule, scheduleRegistry, scheduleSpecSchema } from './index';
import { vpLinearPreset } from './vp-linear';

function thrown(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StudioError) return e;
    throw e;
  }
  throw new Error('expected a StudioError, nothing was thrown');
}

const specs: object[] = [
  { name: 'vp-linear' },
  { name: 'vp-linear', betaMin: 0.2, betaMax: 10 },
  { name: 'vp-cosine', s: 0.02 },
  { name: 'sub-vp' },
  { name: 've', sigmaMin: 0.05, sigmaMax: 20 },
  { name: 'linear', sigmaMin: 0.01 },
  { name: 'ddpm', T: 200 },
  { name: 'custom', type: 've', points: [{ t: 0, logSnr: 6 }, { t: 0.5, logSnr: 0 }, { t: 1, logSnr: -7 }] },
];

describe('createSchedule', () => {
  it('registers exactly SCHEDULE_NAMES, and a second registration throws duplicate-name', () => {
    expect(scheduleRegistry.names()).toEqual([...SCHEDULE_NAMES]);
    // Each preset's name is the literal its schema accepts, so the names, the schema and the registry agree.
    expect(scheduleSpecSchema.options.map((o) => o.shape.name.value)).toEqual([...SCHEDULE_NAMES]);
    expect(thrown(() => scheduleRegistry.register('vp-linear', vpLinearPreset)).code).toBe('duplicate-name');
  });

  it('fills the documented defaults', () => {
    expect(createSchedule({ name: 'vp-linear' }).toJSON()).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 20 });
    expect(createSchedule({ name: 'vp-cosine' }).toJSON()).toEqual({ name: 'vp-cosine', s: 0.008 });
    expect(createSchedule({ name: 'ddpm' }).toJSON()).toEqual({ name: 'ddpm', betaStart: 1e-4, betaEnd: 0.02, T: 1000 });
    expect(createSchedule({ name: 'linear' }).toJSON()).toEqual({ name: 'linear', sigmaMin: 0 });
  });

  it.each(specs)('rebuilds an equal schedule from toJSON: %j', (spec) => {
    const s = createSchedule(spec);
    const json = JSON.parse(JSON.stringify(s)) as unknown; // JSON.stringify calls toJSON
    expect(scheduleSpecSchema.safeParse(json).success).toBe(true);
    const back = createSchedule(json);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.name).toBe(s.name);
    expect(back.tMin).toBe(s.tMin);
    for (const t of [0.013, 0.4, 0.77, 0.999]) {
      for (const m of ['alpha', 'sigma', 'dAlpha', 'dSigma', 'logSnr', 'f', 'g2'] as const) expect(back[m](t)).toBe(s[m](t));
    }
  });

  it('toJSON hands out a copy', () => {
    const s = createSchedule({ name: 've' });
    (s.toJSON() as Record<string, unknown>).sigmaMax = 1;
    expect(s.toJSON().sigmaMax).toBe(50);
  });

  const bad: { label: string; spec: unknown; code: string; says: RegExp }[] = [
    { label: 'NaN parameter', spec: { name: 'vp-linear', betaMin: NaN }, code: 'invalid-schedule', says: /betaMin: needs a number/ },
    { label: 'infinite parameter', spec: { name: 've', sigmaMax: Infinity }, code: 'invalid-schedule', says: /sigmaMax/ },
    { label: 'betaMin > betaMax', spec: { name: 'vp-linear', betaMin: 5, betaMax: 1 }, code: 'invalid-schedule', says: /betaMin \(5\) must not exceed betaMax \(1\)/ },
    { label: 'sub-vp betaMin > betaMax', spec: { name: 'sub-vp', betaMin: 30 }, code: 'invalid-schedule', says: /betaMin/ },
    { label: 'sigmaMin = 0 for ve', spec: { name: 've', sigmaMin: 0 }, code: 'invalid-schedule', says: /sigmaMin must be > 0/ },
    { label: 'sigmaMin < 0 for ve', spec: { name: 've', sigmaMin: -1 }, code: 'invalid-schedule', says: /sigmaMin/ },
    { label: 'sigmaMax <= sigmaMin', spec: { name: 've', sigmaMin: 3, sigmaMax: 2 }, code: 'invalid-schedule', says: /sigmaMax \(2\) must exceed sigmaMin/ },
    { label: 'linear sigmaMin = 1', spec: { name: 'linear', sigmaMin: 1 }, code: 'invalid-schedule', says: /sigmaMin must be < 1/ },
    { label: 'ddpm fractional T', spec: { name: 'ddpm', T: 10.5 }, code: 'invalid-schedule', says: /T must be an integer/ },
    { label: 'ddpm betaEnd >= 1', spec: { name: 'ddpm', betaEnd: 1 }, code: 'invalid-schedule', says: /betaEnd/ },
    { label: 'unknown key', spec: { name: 'vp-linear', betamax: 3 }, code: 'invalid-schedule', says: /betamax/ },
    { label: 'unknown name', spec: { name: 'vp-quadratic' }, code: 'unknown-name', says: /vp-quadratic.*known: vp-linear/ },
    { label: 'no name', spec: { betaMin: 1 }, code: 'invalid-schedule', says: /name/ },
    { label: 'not an object', spec: 'vp-linear', code: 'invalid-schedule', says: /object/ },
    {
      label: 'custom logSnr not decreasing',
      spec: { name: 'custom', points: [{ t: 0, logSnr: 5 }, { t: 0.5, logSnr: 6 }, { t: 1, logSnr: -5 }] },
      code: 'invalid-schedule',
      says: /points\.1\.logSnr: logSnr must be strictly decreasing/,
    },
    {
      label: 'custom t not increasing',
      spec: { name: 'custom', points: [{ t: 0, logSnr: 5 }, { t: 0.6, logSnr: 1 }, { t: 0.6, logSnr: 0 }, { t: 1, logSnr: -5 }] },
      code: 'invalid-schedule',
      says: /points\.2\.t: t must be strictly increasing/,
    },
    {
      label: 'custom not covering [0, 1]',
      spec: { name: 'custom', points: [{ t: 0.1, logSnr: 5 }, { t: 0.9, logSnr: -5 }] },
      code: 'invalid-schedule',
      says: /first point must be at t = 0.*last point must be at t = 1/,
    },
    { label: 'custom one point', spec: { name: 'custom', points: [{ t: 0, logSnr: 1 }] }, code: 'invalid-schedule', says: /points/ },
    { label: 'custom bad type', spec: { name: 'custom', type: 'sub-vp', points: [{ t: 0, logSnr: 1 }, { t: 1, logSnr: 0 }] }, code: 'invalid-schedule', says: /type/ },
  ];

  it.each(bad)('rejects $label', ({ spec, code, says }) => {
    const e = thrown(() => createSchedule(spec));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(says);
  });
});
