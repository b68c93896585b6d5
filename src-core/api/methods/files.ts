// Files handed to the studio from outside the page (a double-click, the command line, File > Open File…): what it opens, and the methods that pass them on.
import { z } from 'zod';

/**
 * The files the studio opens by path, by extension: a model opens in Sample, data in the Data import. associate marks
 * the ones the installers register the studio for (electron-builder.yml's fileAssociations list exactly these).
 */
export const OPENABLE_FILES = [
  { ext: 'onnx', opensAs: 'model', label: 'ONNX model', associate: true },
  { ext: 'npy', opensAs: 'data', label: 'NumPy array', associate: true },
  { ext: 'csv', opensAs: 'data', label: 'CSV table', associate: true },
  { ext: 'tsv', opensAs: 'data', label: 'TSV table', associate: false },
  { ext: 'txt', opensAs: 'data', label: 'Text table', associate: false },
  { ext: 'json', opensAs: 'data', label: 'JSON points', associate: false },
] as const;

/** Where an opened file goes. */
const OPENS_AS = ['model', 'data'] as const;
type OpensAs = (typeof OPENS_AS)[number];

/** What a file opens as, by its name's extension (any case), or null where the studio does not open it. */
export function opensAs(name: string): OpensAs | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  return OPENABLE_FILES.find((f) => f.ext === ext)?.opensAs ?? null;
}

const openedFileSchema = z.object({ path: z.string().min(1).max(4096), name: z.string().min(1), opensAs: z.enum(OPENS_AS) }).strict();

/** A file waiting for the page to open it. */
export type OpenedFile = z.infer<typeof openedFileSchema>;

/** Opened-file methods: request and reply schemas. */
export const FILE_METHODS = {
  /**
   * The files handed to the studio since the last call, oldest first, and a note for each one refused (not there, or
   * not a kind it opens); taken, so a second page does not open them again.
   */
  'files.takeOpened': {
    params: z.object({}).strict(),
    result: z.object({ files: z.array(openedFileSchema), notes: z.array(z.string()) }),
  },
} as const;

/** Opened-file events: files are waiting (files.takeOpened hands them over). */
export const FILE_EVENTS = {
  'files.opened': z.object({ waiting: z.number().int().min(1) }).strict(),
} as const;
