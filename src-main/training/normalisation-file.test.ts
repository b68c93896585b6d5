// normalisation.json keeps the names it was always written with ({kind, mean, std}) now that the studio holds {mean, scale}.
import { describe, expect, it } from 'vitest';
import { normalisationFileText } from './normalisation-file';

/** The file as runs wrote it before the studio held one normalisation type: the trainer's own {kind, mean, std}. */
function earlierText(data: object, source: object | null): string {
  return `${JSON.stringify({ data, source }, null, 2)}\n`;
}

describe('normalisation.json', () => {
  it('holds a standardised run as {kind: standardise, mean, std}, byte for byte as before', () => {
    const text = normalisationFileText({ mean: [0.25, -3], scale: [1.5, 2] }, undefined, 2);
    expect(text).toBe(earlierText({ kind: 'standardise', mean: [0.25, -3], std: [1.5, 2] }, null));
  });

  it('holds a run in data units as kind none with mean 0 and std 1 per coordinate, and the source set beside it', () => {
    const text = normalisationFileText(null, { normalisation: { mean: [1], scale: [4] } }, 3);
    expect(text).toBe(earlierText({ kind: 'none', mean: [0, 0, 0], std: [1, 1, 1] }, { kind: 'standardise', mean: [1, 1, 1], std: [4, 4, 4] }));
    expect(JSON.parse(normalisationFileText(null, { normalisation: null }, 1))).toEqual({ data: { kind: 'none', mean: [0], std: [1] }, source: { kind: 'none', mean: [0], std: [1] } });
  });
});
