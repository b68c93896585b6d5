// The words and fraction of an upload's or import's progress line ("Reading 41 %, 1,200,000 rows").
import type { ImportStep } from './import.store';

const MB = 1e6;

/** The share done, 0..1 (0 while the total is unknown). */
export function stepFraction(step: ImportStep): number {
  return step.total > 0 ? Math.min(1, Math.max(0, step.done / step.total)) : 0;
}

const percent = (step: ImportStep) => `${Math.floor(100 * stepFraction(step))} %`;
const count = (n: number) => n.toLocaleString('en-US');
const rows = (n: number) => `${count(n)} ${n === 1 ? 'row' : 'rows'}`;

/** One line a person reads: what runs, how far, and the rows read where known. */
export function stepText(step: ImportStep): string {
  switch (step.stage) {
    case 'uploading':
      return `Uploading ${(step.done / MB).toFixed(1)} of ${(step.total / MB).toFixed(1)} MB (${percent(step)})`;
    case 'reading':
      if (step.unit === 'images') return `Reading images: ${count(step.done)} of ${count(step.total)} (${percent(step)})`;
      return step.rows > 0 ? `Reading ${percent(step)}, ${rows(step.rows)}` : `Reading ${percent(step)}`;
    case 'describing':
      return `Describing ${rows(step.rows)}: ${percent(step)}`;
    case 'saving':
      return `Saving ${rows(step.rows)}`;
  }
}
