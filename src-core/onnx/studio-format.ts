// The studio's model format: the metadata_props keys an ONNX model carries to be sampled, their builder, parser and the signature check.
//
// A model in the format has inputs x float32 [N, ...dataShape], t float32 [N] and, when class-conditioned,
// y int64 [N] (values 0..classes, `studio.null_class` the unconditional label); its one output `prediction`
// has x's shape and holds the quantity named by `studio.parameterisation`. Keys (values are strings):
//   studio.format          "1"
//   studio.parameterisation eps | x0 | score | v | velocity
//   studio.schedule        JSON schedule spec, e.g. {"name":"linear","sigmaMin":0}
//   studio.data_shape      JSON item shape, e.g. [2]
//   studio.normalisation   optional JSON {"mean":[...],"scale":[...]}: samples are x * scale + mean in data units
//   studio.classes         optional class count (absent or "0": unconditional)
//   studio.null_class      the unconditional label (required with classes)
//   studio.guidance        optional default classifier-free guidance weight (default 1)
//   studio.run_id, studio.seed, studio.version   optional provenance
import { z } from 'zod';
import { StudioError } from '../errors';
import { PARAMETERISATIONS, type Parameterisation } from '../model';
import { denormalise as toDataUnits, normalisationSchema, type Normalisation } from '../normalisation';
import { createSchedule, type ScheduleSpec } from '../schedules';
import { readOnnx, type OnnxModelInfo, type OnnxValueInfo } from './reader';

/** The format version this code writes and reads. */
export const STUDIO_FORMAT_VERSION = 1;

/** Every metadata key of the format. */
export const STUDIO_KEYS = {
  format: 'studio.format',
  parameterisation: 'studio.parameterisation',
  schedule: 'studio.schedule',
  dataShape: 'studio.data_shape',
  normalisation: 'studio.normalisation',
  classes: 'studio.classes',
  nullClass: 'studio.null_class',
  guidance: 'studio.guidance',
  runId: 'studio.run_id',
  seed: 'studio.seed',
  version: 'studio.version',
  /** Set only on a sampler graph (its value SAMPLER_GRAPH_KIND), which is not a network. */
  kind: 'studio.kind',
} as const;

/** The value of the kind key on a sampler graph. */
export const SAMPLER_GRAPH_KIND = 'sampler-graph';

/** Whether a file's metadata is a sampler graph's (noise in, samples out) rather than a network's. */
export const isSamplerGraph = (md: Readonly<Record<string, string>>): boolean => md[STUDIO_KEYS.kind] === SAMPLER_GRAPH_KIND;

/** What a model file says about how to sample from it. */
export interface StudioModelMeta {
  readonly parameterisation: Parameterisation;
  /** A spec that createSchedule accepts. */
  readonly schedule: ScheduleSpec;
  /** The shape of one data item, e.g. [2]. */
  readonly dataShape: readonly number[];
  /** Per-dimension affine map back to data units (x * scale + mean); null when the model works in data units. */
  readonly normalisation: Normalisation | null;
  /** Class conditioning: count, the null label, the default guidance weight; null when unconditional. */
  readonly classes: { readonly count: number; readonly nullClass: number; readonly guidance: number } | null;
  readonly runId: string | null;
  readonly seed: number | null;
  readonly studioVersion: string | null;
}

const shapeSchema = z.array(z.number().int().min(1)).min(1).max(8);
const intString = z.string().regex(/^[0-9]+$/, 'must be a non-negative integer').transform(Number).pipe(z.number().int().max(Number.MAX_SAFE_INTEGER));

function itemSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks the typed metadata; returns the problems, one line each. */
function metaProblems(m: StudioModelMeta): string[] {
  const out: string[] = [];
  if (!PARAMETERISATIONS.includes(m.parameterisation)) out.push(`${STUDIO_KEYS.parameterisation}: '${m.parameterisation}' is not one of ${PARAMETERISATIONS.join(', ')}`);
  try {
    createSchedule(m.schedule);
  } catch (e) {
    out.push(`${STUDIO_KEYS.schedule}: ${(e as Error).message}`);
  }
  const shapeOk = shapeSchema.safeParse(m.dataShape).success;
  if (!shapeOk) out.push(`${STUDIO_KEYS.dataShape}: must be a list of 1 to 8 positive integers, got ${JSON.stringify(m.dataShape)}`);
  if (m.normalisation && shapeOk) {
    const n = itemSize(m.dataShape);
    const { mean, scale } = m.normalisation;
    if (!normalisationSchema.safeParse(m.normalisation).success) out.push(`${STUDIO_KEYS.normalisation}: needs finite "mean" and positive "scale" lists`);
    else if ((mean.length !== n && mean.length !== 1) || (scale.length !== n && scale.length !== 1)) {
      out.push(`${STUDIO_KEYS.normalisation}: mean and scale need ${n} entries (one per dimension) or 1, got ${mean.length} and ${scale.length}`);
    }
  }
  if (m.classes) {
    const { count, nullClass, guidance } = m.classes;
    if (!Number.isInteger(count) || count < 1) out.push(`${STUDIO_KEYS.classes}: must be a positive integer, got ${count}`);
    if (!Number.isInteger(nullClass) || nullClass < 0) out.push(`${STUDIO_KEYS.nullClass}: must be an integer >= 0, got ${nullClass}`);
    else if (nullClass < count) out.push(`${STUDIO_KEYS.nullClass}: ${nullClass} is a real class; the null label comes after the ${count} classes`);
    if (!Number.isFinite(guidance)) out.push(`${STUDIO_KEYS.guidance}: must be a finite number, got ${guidance}`);
  }
  if (m.seed !== null && (!Number.isSafeInteger(m.seed) || m.seed < 0)) out.push(`${STUDIO_KEYS.seed}: must be an integer >= 0, got ${m.seed}`);
  return out;
}

/** The metadata_props of a model in the studio's format; throws invalid-argument naming every problem. */
export function studioMetadata(meta: StudioModelMeta): Record<string, string> {
  const problems = metaProblems(meta);
  if (problems.length > 0) throw new StudioError('invalid-argument', `invalid studio model metadata: ${problems.join('; ')}`);
  const out: Record<string, string> = {
    [STUDIO_KEYS.format]: String(STUDIO_FORMAT_VERSION),
    [STUDIO_KEYS.parameterisation]: meta.parameterisation,
    [STUDIO_KEYS.schedule]: JSON.stringify(createSchedule(meta.schedule).toJSON()),
    [STUDIO_KEYS.dataShape]: JSON.stringify(meta.dataShape),
  };
  if (meta.normalisation) out[STUDIO_KEYS.normalisation] = JSON.stringify({ mean: meta.normalisation.mean, scale: meta.normalisation.scale });
  if (meta.classes) {
    out[STUDIO_KEYS.classes] = String(meta.classes.count);
    out[STUDIO_KEYS.nullClass] = String(meta.classes.nullClass);
    out[STUDIO_KEYS.guidance] = String(meta.classes.guidance);
  }
  if (meta.runId !== null) out[STUDIO_KEYS.runId] = meta.runId;
  if (meta.seed !== null) out[STUDIO_KEYS.seed] = String(meta.seed);
  if (meta.studioVersion !== null) out[STUDIO_KEYS.version] = meta.studioVersion;
  return out;
}

/** Reads a key as JSON, recording a problem (and returning undefined) when it is missing or not JSON. */
function jsonKey(md: Readonly<Record<string, string>>, key: string, problems: string[], required: boolean): unknown {
  const text = md[key];
  if (text === undefined) {
    if (required) problems.push(`metadata key ${key} missing`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    problems.push(`metadata key ${key} is not JSON: ${text.slice(0, 60)}`);
    return undefined;
  }
}

/** Parses metadata_props into the typed form; throws invalid-argument listing every missing or invalid key. */
export function parseStudioMetadata(md: Readonly<Record<string, string>>): StudioModelMeta {
  if (isSamplerGraph(md)) {
    throw new StudioError('invalid-argument', 'this file is a self-contained sampler graph (noise in, samples out), not a network: run it with ONNX Runtime directly');
  }
  const problems: string[] = [];
  const format = md[STUDIO_KEYS.format];
  if (format === undefined) problems.push(`metadata key ${STUDIO_KEYS.format} missing (not a Diffusion Studio model?)`);
  else if (format !== String(STUDIO_FORMAT_VERSION)) problems.push(`metadata key ${STUDIO_KEYS.format} is '${format}'; this studio reads format ${STUDIO_FORMAT_VERSION}`);
  const parameterisation = md[STUDIO_KEYS.parameterisation];
  if (parameterisation === undefined) problems.push(`metadata key ${STUDIO_KEYS.parameterisation} missing`);
  const schedule = jsonKey(md, STUDIO_KEYS.schedule, problems, true);
  const dataShape = jsonKey(md, STUDIO_KEYS.dataShape, problems, true);
  const normalisation = jsonKey(md, STUDIO_KEYS.normalisation, problems, false) ?? null;
  const int = (key: string): number | null => {
    const v = md[key];
    if (v === undefined) return null;
    const r = intString.safeParse(v);
    if (!r.success) problems.push(`metadata key ${key} must be a non-negative integer, got '${v}'`);
    return r.success ? r.data : null;
  };
  const count = int(STUDIO_KEYS.classes);
  const nullClass = int(STUDIO_KEYS.nullClass);
  const guidanceText = md[STUDIO_KEYS.guidance];
  const guidance = guidanceText === undefined || guidanceText.trim() === '' ? 1 : Number(guidanceText);
  if (count !== null && count > 0 && nullClass === null) problems.push(`metadata key ${STUDIO_KEYS.nullClass} missing (required with ${STUDIO_KEYS.classes})`);
  const seed = int(STUDIO_KEYS.seed);
  if (problems.length > 0) throw new StudioError('invalid-argument', `not a studio model: ${problems.join('; ')}`);
  const meta: StudioModelMeta = {
    parameterisation: parameterisation as Parameterisation,
    schedule: (schedule ?? {}) as ScheduleSpec,
    dataShape: dataShape as number[],
    normalisation: normalisation as StudioModelMeta['normalisation'],
    classes: count !== null && count > 0 && nullClass !== null ? { count, nullClass, guidance } : null,
    runId: md[STUDIO_KEYS.runId] ?? null,
    seed,
    studioVersion: md[STUDIO_KEYS.version] ?? null,
  };
  const invalid = metaProblems(meta);
  if (invalid.length > 0) throw new StudioError('invalid-argument', `not a studio model: ${invalid.join('; ')}`);
  return meta;
}

/** A checked model file: its metadata, whether it takes labels, and what the reader saw. */
interface ModelDescription {
  readonly meta: StudioModelMeta;
  readonly conditional: boolean;
  readonly info: OnnxModelInfo;
}

function dimsText(v: OnnxValueInfo): string {
  return `${v.elemType} [${v.shape.join(', ')}]`;
}

/** Checks the graph's inputs and outputs against the signature the metadata implies; returns the problems. */
function signatureProblems(info: OnnxModelInfo, meta: StudioModelMeta): string[] {
  const out: string[] = [];
  const byName = new Map(info.inputs.map((v) => [v.name, v]));
  const want = (name: string, elemType: string, shape: readonly (number | null)[]): void => {
    const v = byName.get(name);
    if (!v) return void out.push(`model has no input ${name}`);
    const fits = v.elemType === elemType && v.shape.length === shape.length && shape.every((d, i) => d === null || typeof v.shape[i] !== 'number' || v.shape[i] === d);
    if (!fits) out.push(`input ${name} is ${dimsText(v)}; expected ${elemType} [N${shape.slice(1).map((d) => `, ${d}`).join('')}]`);
  };
  const item = meta.dataShape;
  want('x', 'float32', [null, ...item]);
  want('t', 'float32', [null]);
  if (meta.classes) want('y', 'int64', [null]);
  else if (byName.has('y')) out.push(`model has input y (labels) but metadata key ${STUDIO_KEYS.classes} is missing`);
  for (const v of info.inputs) if (!['x', 't', 'y'].includes(v.name)) out.push(`model has an unexpected input ${v.name}`);
  const pred = info.outputs.find((v) => v.name === 'prediction');
  if (!pred) out.push(`model has no output prediction (outputs: ${info.outputs.map((v) => v.name).join(', ')})`);
  else {
    const x = byName.get('x');
    const same = pred.elemType === 'float32' && pred.shape.length === item.length + 1 && item.every((d, i) => typeof pred.shape[i + 1] !== 'number' || pred.shape[i + 1] === d);
    if (!same) out.push(`output prediction is ${dimsText(pred)}; expected x's shape${x ? ` (${dimsText(x)})` : ''}`);
  }
  return out;
}

/** Reads an ONNX file in the studio's format and checks its signature and metadata; throws invalid-argument naming every problem. */
export function describeModel(bytes: Uint8Array): ModelDescription {
  const info = readOnnx(bytes);
  let meta: StudioModelMeta;
  try {
    meta = parseStudioMetadata(info.metadata);
  } catch (e) {
    // report a wrong signature too, so a foreign model's every gap shows at once
    const sig = info.inputs.some((v) => v.name === 'x') ? [] : ['model has no input x'];
    if (!info.inputs.some((v) => v.name === 't')) sig.push('model has no input t');
    throw new StudioError('invalid-argument', [(e as Error).message, ...sig].join('; '));
  }
  const problems = signatureProblems(info, meta);
  if (problems.length > 0) throw new StudioError('invalid-argument', `not a studio model: ${problems.join('; ')}`);
  return { meta, conditional: meta.classes !== null, info };
}

/** Maps samples from the model's units back to data units in place (x * scale + mean per dimension); a no-op without normalisation. */
export function denormalise(data: Float32Array | Float64Array, meta: StudioModelMeta): void {
  toDataUnits(data, meta.normalisation, itemSize(meta.dataShape));
}
