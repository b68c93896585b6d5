// The page's script: reads model.json, draws noise from the studio's generator for a seed, runs the sampler graph in ONNX Runtime Web, shows the samples and offers them as CSV.
import * as ort from './ort.wasm.min.mjs';
import { seededNormals } from './studio-rng.js';

/** Most items one draw may ask for: points and images. */
const MAX_POINTS = 200000;
const MAX_IMAGES = 256;
/** Items per session run, so progress moves and memory stays small. */
const CHUNK_POINTS = 4096;
const CHUNK_IMAGES = 16;

const $ = (id) => document.getElementById(id);
const status = (state, text) => {
  $('status').dataset.state = state;
  $('status').textContent = text;
};

let info = null;
let session = null;
let drawn = null;

/** Items of the model's data shape: images when it has three axes, points otherwise. */
const isImage = (shape) => shape.length === 3;
const itemSize = (shape) => shape.reduce((a, b) => a * b, 1);

async function load() {
  if (location.protocol === 'file:') {
    throw new Error('this page was opened as a file. Serve the folder over http instead, e.g. run `python3 -m http.server 8000` inside it and open http://localhost:8000.');
  }
  const reply = await fetch('model.json');
  if (!reply.ok) throw new Error(`model.json could not be read (HTTP ${reply.status})`);
  info = await reply.json();
  ort.env.wasm.wasmPaths = new URL('./', import.meta.url).href;
  // threads need a cross-origin-isolated page, which a plain static server does not give
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  session = await ort.InferenceSession.create('model.onnx', { executionProviders: ['wasm'] });
}

function describe() {
  const image = isImage(info.dataShape);
  $('title').textContent = info.name;
  const kind = image ? `images of shape ${info.dataShape.join(' × ')}` : `${info.dataShape[0]}-D points`;
  $('about').textContent = `${kind}; ${info.sampler} sampler, ${info.steps} steps on a ${info.grid} grid; weights of training step ${info.step} of run ${info.runId}.`;
  $('count-label').textContent = image ? 'Images' : 'Points';
  $('count').max = String(image ? MAX_IMAGES : MAX_POINTS);
  $('count').value = String(image ? 16 : 1000);
  $('seed').value = String(info.seed);
  if (info.classes) {
    $('class-field').hidden = false;
    for (let c = 0; c < info.classes.count; c++) {
      const option = document.createElement('option');
      option.value = String(c);
      option.textContent = info.classes.names?.[c] ?? `class ${c}`;
      $('class').append(option);
    }
  }
}

/** Reads the form: a whole seed and a count within the page's limits, or throws saying which field is wrong. */
function request() {
  const seed = Number($('seed').value);
  if ($('seed').value.trim() === '' || !Number.isSafeInteger(seed) || seed < 0) throw new Error(`Seed must be a whole number from 0 up, got '${$('seed').value}'.`);
  const max = isImage(info.dataShape) ? MAX_IMAGES : MAX_POINTS;
  const count = Number($('count').value);
  if (!Number.isInteger(count) || count < 1 || count > max) throw new Error(`${$('count-label').textContent} must be a whole number from 1 to ${max}, got '${$('count').value}'.`);
  return { seed, count, label: info.classes ? Number($('class').value) : null };
}

async function draw({ seed, count, label }) {
  const shape = info.dataShape;
  const d = itemSize(shape);
  // all the noise first, in the studio's order, so chunking leaves each item's noise as the studio draws it
  const noise = seededNormals(seed, count * d);
  const samples = new Float32Array(count * d);
  const chunk = isImage(shape) ? CHUNK_IMAGES : CHUNK_POINTS;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    status('drawing', `Drawing… ${start} of ${count}`);
    const feeds = { noise: new ort.Tensor('float32', noise.subarray(start * d, (start + n) * d), [n, ...shape]) };
    if (info.classes) feeds.y = new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(label)), [n]);
    const out = await session.run(feeds);
    samples.set(out.samples.data, start * d);
    // a turn for the browser to paint the progress
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { seed, count, label, samples };
}

function showPoints(samples, count) {
  const d = info.dataShape[0];
  const canvas = $('scatter');
  canvas.hidden = false;
  $('images').replaceChildren();
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const xs = [];
  const ys = [];
  for (let i = 0; i < count; i++) {
    xs.push(samples[i * d]);
    ys.push(d > 1 ? samples[i * d + 1] : 0);
  }
  const span = (v) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  // one scale for both axes, so the picture keeps the data's proportions
  const pad = 16;
  const size = Math.min(canvas.width, canvas.height) - 2 * pad;
  const unit = size / Math.max(x1 - x0, y1 - y0);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  ctx.fillStyle = 'rgba(47, 95, 208, 0.55)';
  for (let i = 0; i < count; i++) {
    const px = canvas.width / 2 + (xs[i] - cx) * unit;
    const py = canvas.height / 2 - (ys[i] - cy) * unit;
    ctx.fillRect(px - 1.25, py - 1.25, 2.5, 2.5);
  }
}

function showImages(samples, count) {
  $('scatter').hidden = true;
  const shape = info.dataShape;
  // channels first ([C, H, W]) unless the last axis holds the channels
  const channelsFirst = !(shape[2] <= 4 && shape[0] > 4);
  const [c, h, w] = channelsFirst ? shape : [shape[2], shape[0], shape[1]];
  const d = itemSize(shape);
  const [lo, hi] = info.range ?? [Math.min(...samples), Math.max(...samples)];
  const tiles = [];
  for (let i = 0; i < count; i++) {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${Math.max(w, 64)}px`;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = (k) => samples[i * d + (channelsFirst ? k * h * w + y * w + x : (y * w + x) * c + k)];
        const value = (k) => Math.round(255 * Math.min(1, Math.max(0, (at(k) - lo) / (hi - lo || 1))));
        const p = 4 * (y * w + x);
        image.data[p] = value(0);
        image.data[p + 1] = value(c >= 3 ? 1 : 0);
        image.data[p + 2] = value(c >= 3 ? 2 : 0);
        image.data[p + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    tiles.push(canvas);
  }
  $('images').replaceChildren(...tiles);
}

/** The samples as CSV: one row per item, its numbers in the model's data order, at float32's full precision. */
function csvOf({ samples, count }) {
  const d = itemSize(info.dataShape);
  const rows = [Array.from({ length: d }, (_, k) => `x${k}`).join(',')];
  for (let i = 0; i < count; i++) rows.push(Array.from(samples.subarray(i * d, (i + 1) * d), String).join(','));
  return `${rows.join('\n')}\n`;
}

function download() {
  if (!drawn) return;
  const blob = new Blob([csvOf(drawn)], { type: 'text/csv' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `samples-seed${drawn.seed}-n${drawn.count}${drawn.label === null ? '' : `-class${drawn.label}`}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

$('controls').addEventListener('submit', async (event) => {
  event.preventDefault();
  let wanted;
  try {
    wanted = request();
  } catch (err) {
    status('error', err.message);
    return;
  }
  $('draw').disabled = true;
  const started = performance.now();
  try {
    drawn = await draw(wanted);
    if (isImage(info.dataShape)) showImages(drawn.samples, drawn.count);
    else showPoints(drawn.samples, drawn.count);
    const noun = isImage(info.dataShape) ? 'images' : 'points';
    status('done', `Drew ${drawn.count} ${noun} from seed ${drawn.seed} in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
    $('download').disabled = false;
  } catch (err) {
    status('error', `Drawing failed: ${err.message ?? err}`);
  } finally {
    $('draw').disabled = false;
  }
});
$('download').addEventListener('click', download);

try {
  await load();
  describe();
  $('draw').disabled = false;
  status('ready', 'Ready: choose a seed and a count, then Draw.');
} catch (err) {
  $('about').textContent = 'The model could not be loaded.';
  status('error', `The model could not be loaded: ${err.message ?? err}`);
}
