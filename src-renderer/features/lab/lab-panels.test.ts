// The Lab's panel list against the rest: unique ids, every anchor an entry of the reference's Lab page, links by hash; and the plot's round ticks.
import { describe, expect, it } from 'vitest';
import { findEntry } from '../../reference/index';
import { LAB_PANELS, panelFromHash } from './lab-panels';
import { niceTicks } from './lab-plot';

describe('Lab panels', () => {
  it('have unique kebab-case ids and anchors into the Lab reference page', () => {
    expect(LAB_PANELS.length).toBeGreaterThan(0);
    expect(new Set(LAB_PANELS.map((p) => p.id)).size).toBe(LAB_PANELS.length);
    for (const p of LAB_PANELS) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.anchor.startsWith('lab/'), p.anchor).toBe(true);
      expect(findEntry(p.anchor), p.anchor).not.toBeNull();
    }
  });

  it('opens the panel a hash names, else the first', () => {
    const last = LAB_PANELS[LAB_PANELS.length - 1];
    expect(panelFromHash(`#lab/${last.id}`)).toBe(last);
    expect(panelFromHash('#lab/nowhere')).toBe(LAB_PANELS[0]);
    expect(panelFromHash('#lab')).toBe(LAB_PANELS[0]);
  });
});

describe('niceTicks', () => {
  it('gives round steps of 1, 2 or 5 inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-2.3, 3.7, 4)).toEqual([-2, 0, 2]);
    const t = niceTicks(0.013, 0.087, 5);
    expect(t[0]).toBeGreaterThanOrEqual(0.013);
    expect(t.at(-1)).toBeLessThanOrEqual(0.087);
  });
});
