// Parses --name value flags of the studio's scripts into a typed record, refusing unknown ones.
import { StudioError } from '../../src-core/errors';

/**
 * Reads --flag value / --flag=value pairs and bare --switches; unknown flags throw a StudioError. Other arguments go
 * to positional where it is given, and are refused where it is not.
 */
export function parseFlags(argv: readonly string[], known: Record<string, 'string' | 'boolean'>, positional?: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (!positional) throw new StudioError('invalid-argument', `unexpected argument '${arg}'`);
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    const kind = known[name];
    if (!kind) throw new StudioError('invalid-argument', `unknown option --${name}; known: ${Object.keys(known).map((k) => '--' + k).join(', ')}`);
    if (kind === 'boolean') {
      out[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new StudioError('invalid-argument', `--${name} needs a value`);
    out[name] = value;
  }
  return out;
}
