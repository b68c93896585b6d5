// A folder of PNG/JPEG images as one data set [n, C, H, W], with optional class labels from subfolder names.
import { StudioError } from '../errors';
import { MAX_CLASSES, MAX_VALUES, type DatasetArray } from './dataset-array';
import { decodeImage, imageKind, type DecodedImage } from './image-decode';

/** One file of a folder: its path relative to the folder ('/' separated) and its bytes. */
export interface ImageFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** How to read labels: from the first subfolder of each path ('auto' when every file sits in one and there are two or more). */
interface ImageSetOptions {
  readonly labelsFromFolders?: boolean | 'auto';
  /** The folder's name, put before each path in messages ('digits' gives 'digits/7.png'). */
  readonly root?: string;
}

/** File names the image reader takes (by extension, case-insensitive). */
const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** True for a file name the image reader takes. */
export function isImageName(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Class names in order: numerically when every name is a whole number, else by code point. */
function orderClasses(names: Iterable<string>): string[] {
  const list = [...new Set(names)];
  const numeric = list.every((n) => /^\d+$/.test(n));
  return list.sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

function classOf(path: string): string | null {
  const slash = path.indexOf('/');
  return slash > 0 ? path.slice(0, slash) : null;
}

/** The size most files share, and the first file of another size (named in the error). */
function checkSameSize(names: readonly string[], images: readonly DecodedImage[]): void {
  const counts = new Map<string, number>();
  for (const im of images) counts.set(`${im.width}x${im.height}`, (counts.get(`${im.width}x${im.height}`) ?? 0) + 1);
  if (counts.size <= 1) return;
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const odd = images.findIndex((im) => `${im.width}x${im.height}` !== common);
  const others = images.length - (counts.get(common) ?? 0) - 1;
  const more = others > 0 ? ` (and ${others} more file${others === 1 ? '' : 's'} differ)` : '';
  const size = `${images[odd].width}x${images[odd].height}`;
  throw new StudioError('invalid-shape', `${names[odd]} is ${size}, the others are ${common}${more}; every image must have the same size`);
}

/** Decoded images added one at a time, their values counted as they come so a huge folder stops early. */
class ImageStack {
  private readonly names: string[] = [];
  private readonly images: DecodedImage[] = [];
  private values = 0;

  /** Images added so far. */
  get count(): number {
    return this.images.length;
  }

  /** Adds one decoded image under the name messages give it. */
  add(name: string, image: DecodedImage): void {
    this.names.push(name);
    this.images.push(image);
    this.values += image.pixels.length;
    if (this.values > MAX_VALUES) throw new StudioError('invalid-shape', `the first ${this.images.length} images already hold more than ${MAX_VALUES} numbers; import fewer images`);
  }

  /** Stacks the images into [n, C, H, W] in [0, 1]; a gray set has C = 1, else C = 3 with gray images repeated. */
  finish(): DatasetArray {
    const { names, images } = this;
    checkSameSize(names, images);
    const { width, height } = images[0];
    const channels = images.some((im) => im.channels === 3) ? 3 : 1;
    const area = width * height;
    const itemSize = channels * area;
    if (images.length * itemSize > MAX_VALUES) throw new StudioError('invalid-shape', `${images.length} images of ${channels}x${height}x${width} hold more than ${MAX_VALUES} numbers`);
    const data = new Float32Array(images.length * itemSize);
    images.forEach((im, i) => {
      for (let c = 0; c < channels; c++) data.set(im.pixels.subarray(im.channels === 1 ? 0 : c * area, (im.channels === 1 ? 1 : c + 1) * area), i * itemSize + c * area);
    });
    const notes = [`${images.length} images of ${width}x${height}, ${channels === 1 ? 'grayscale' : 'RGB'}, pixel values scaled to [0, 1]`];
    if (images.some((im) => im.alpha)) notes.push('alpha channels dropped');
    if (channels === 3 && images.some((im) => im.channels === 1)) notes.push('grayscale images repeated over the three RGB channels');
    return { data, shape: [images.length, channels, height, width], notes };
  }
}

/** A file of a folder that is read when its turn comes (a folder on disk), or one already in memory (a dropped folder). */
export interface ImageEntry {
  readonly path: string;
  readonly bytes?: Uint8Array;
  readonly load?: () => Promise<Uint8Array>;
}

/** The image files of a folder in path order (by extension, or by signature for files already in memory). */
function chooseImages<F extends ImageEntry>(files: readonly F[]): F[] {
  return files.filter((f) => isImageName(f.path) || (f.bytes !== undefined && imageKind(f.bytes) !== null)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The set's notes on skipped files and its labels from subfolders, as the options ask. */
function withLabels(result: DatasetArray, files: readonly ImageEntry[], chosen: readonly ImageEntry[], options: ImageSetOptions): DatasetArray {
  const shown = (path: string): string => (options.root ? `${options.root}/${path}` : path);
  const skipped = files.length - chosen.length;
  if (skipped > 0) result.notes.push(skipped === 1 ? '1 file that is not a PNG or JPEG image skipped' : `${skipped} files that are not PNG or JPEG images skipped`);
  const folders = chosen.map((f) => classOf(f.path));
  const mode = options.labelsFromFolders ?? 'auto';
  if (mode === false) return result;
  const loose = folders.findIndex((c) => c === null);
  if (mode === 'auto' && (loose >= 0 || new Set(folders).size < 2)) return result;
  if (loose >= 0) throw new StudioError('invalid-argument', `${shown(chosen[loose].path)} is not in a class subfolder; with labels from folders every image sits in one (e.g. ${shown('7/' + chosen[loose].path)})`);
  const classes = orderClasses(folders as string[]);
  if (classes.length > MAX_CLASSES) throw new StudioError('invalid-shape', `the images sit in ${classes.length} subfolders; a set may have at most ${MAX_CLASSES} classes`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(folders, (c) => index.get(c as string) ?? 0);
  result.notes.push(`labels from ${classes.length} subfolders: ${classes.join(', ')}`);
  return { ...result, labels, classes };
}

function noImages(options: ImageSetOptions): StudioError {
  return new StudioError('invalid-argument', `${options.root ?? 'the folder'} holds no ${IMAGE_EXTENSIONS.join(', ')} files`);
}

/** Decodes and stacks images (sorted by path) into [n, C, H, W] in [0, 1]; a gray set has C = 1, else C = 3 with gray images repeated. */
export function parseImageSet(files: readonly ImageFile[], options: ImageSetOptions = {}): DatasetArray {
  const chosen = chooseImages(files);
  if (chosen.length === 0) throw noImages(options);
  const stack = new ImageStack();
  for (const f of chosen) {
    const name = options.root ? `${options.root}/${f.path}` : f.path;
    stack.add(name, decodeImage(f.bytes, name));
  }
  return withLabels(stack.finish(), files, chosen, options);
}

/** parseImageSet for a folder read file by file: each file is loaded, decoded and let go before the next; progress gets the images done. */
export async function readImageSet(files: readonly ImageEntry[], options: ImageSetOptions = {}, progress?: (done: number, total: number) => void): Promise<DatasetArray> {
  const chosen = chooseImages(files);
  if (chosen.length === 0) throw noImages(options);
  const stack = new ImageStack();
  for (const f of chosen) {
    const name = options.root ? `${options.root}/${f.path}` : f.path;
    const bytes = f.bytes ?? (await (f.load as () => Promise<Uint8Array>)());
    stack.add(name, decodeImage(bytes, name));
    progress?.(stack.count, chosen.length);
  }
  return withLabels(stack.finish(), files, chosen, options);
}
