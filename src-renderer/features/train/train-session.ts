// The Train form as the session keeps it: each field whose stored value the form allows.
import { sessionPart } from '../../app/session-parts';
import { isObject } from '../../app/stored-checks';
import { DEFAULT_FORM, FIELD_CHOICES, type TrainForm } from './train-form';
import { useTrainStore } from './train.store';

declare module '../../app/session-parts' {
  interface SessionSnapshot {
    train?: Partial<TrainForm>;
  }
}

/** The Train form fields whose stored value has the type (and for choices, a value) the form allows. */
function checkTrain(v: unknown): Partial<TrainForm> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_FORM) as (keyof TrainForm)[]) {
    const value = v[key];
    const allowed = FIELD_CHOICES[key];
    if (allowed ? allowed.includes(value as string) : typeof value === typeof DEFAULT_FORM[key] && (typeof value !== 'number' || Number.isFinite(value))) out[key] = value;
  }
  return Object.keys(out).length ? (out as Partial<TrainForm>) : undefined;
}

/** The Train section's part of the session. */
export const TRAIN_SESSION = sessionPart({
  key: 'train',
  check: checkTrain,
  bind() {
    const train = useTrainStore();
    return {
      save: () => ({ ...train.form }),
      restore(form) {
        for (const [key, value] of Object.entries(form)) train.setField(key as never, value as never);
        return true;
      },
      watched: () => train.form,
    };
  },
});
