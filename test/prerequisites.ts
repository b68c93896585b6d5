// What a test needs from the machine (a Debian package, a build output): there, or a failure under CI and a one-line skip elsewhere, naming how to install it.
import { existsSync } from 'node:fs';
import { ONNX_PROTO, TEST_PACKAGES } from '../scripts/debian-packages.mjs';

/** Something a test needs that the repository does not hold, with the command that puts it there. */
export interface Prerequisite {
  /** What it is, in a few words ("Debian's python3-onnx"). */
  readonly what: string;
  /** The command that installs or makes it. */
  readonly install: string;
  present(): boolean;
}

/** True when the CI variable says so (any value but empty, 0 or false); .ci/run sets it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/** The one line that names a missing prerequisite and its install command. */
export function missingLine(p: Prerequisite): string {
  return `missing ${p.what}: install with \`${p.install}\``;
}

const announced = new Set<string>();

/**
 * True when the prerequisite is there. When it is not: under CI this throws with the missing line (a test file that
 * asks at collection fails whole), elsewhere it prints that line once and answers false, so the caller skips.
 */
export function have(p: Prerequisite, env: NodeJS.ProcessEnv = process.env): boolean {
  if (p.present()) return true;
  const line = missingLine(p);
  if (inCi(env)) throw new Error(line);
  if (!announced.has(line)) {
    announced.add(line);
    console.warn(`skipped: ${line}`);
  }
  return false;
}

/** A Debian package of the tests' list (scripts/debian-packages.mjs, which `npm test` installs). */
function debianPackage(name: string): Prerequisite {
  const row = TEST_PACKAGES.find((p) => p.name === name);
  if (!row) throw new Error(`${name} is not in TEST_PACKAGES (scripts/debian-packages.mjs): add it there so npm test installs it`);
  return { what: `Debian's ${name}`, install: `sudo apt-get install ${name}`, present: () => row.present() };
}

/** ONNX's own checker and its onnx.proto, from Debian's Python. */
export const PYTHON_ONNX = debianPackage('python3-onnx');
/** NumPy in Debian's Python. */
export const PYTHON_NUMPY = debianPackage('python3-numpy');
/** protoc, which checks a config.pbtxt against Triton's schema. */
export const PROTOC = debianPackage('protobuf-compiler');
/** update-mime-database and freedesktop's type list, which a mime database of the installers' file types is built from. */
export const SHARED_MIME_INFO = debianPackage('shared-mime-info');
/** Where python3-onnx puts onnx.proto. */
export const SYSTEM_ONNX_PROTO = ONNX_PROTO;

/** Files of the build (out/...), which `npm test` makes before it runs the tests. */
export function built(...files: string[]): Prerequisite {
  return { what: `the build (${files.join(', ')})`, install: 'npm run build', present: () => files.every((f) => existsSync(f)) };
}
