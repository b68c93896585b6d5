// Types of debian-packages.mjs for the TypeScript that imports it (the tests' prerequisites).

/** A Debian package and the check that it is there. */
export interface DebianPackage {
  readonly name: string;
  present(): boolean;
}

/** True when Debian's Python imports the module. */
export function pythonImports(module: string): boolean;
/** True when dpkg lists the package as installed. */
export function debianInstalled(name: string): boolean;
/** The Chromium the browser tests drive. */
export function chromiumPath(): string;
/** onnx.proto as python3-onnx installs it. */
export const ONNX_PROTO: string;
/** Every Debian package the tests use. */
export const TEST_PACKAGES: readonly DebianPackage[];
/** Installs the missing packages as root; returns the names still missing. */
export function ensureDebianPackages(purpose: string, packages: readonly DebianPackage[]): string[];
