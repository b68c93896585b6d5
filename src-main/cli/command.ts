// What a command of the command line is: its name, one-line summary, usage, flags and the function that runs it.
import type { FlagValues } from './flags';

/** Where a command writes: stdout for results (JSON, tables), stderr for progress and messages. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

/** One command of `diffusion-studio <command>`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The usage line(s) shown by `diffusion-studio <command> --help`. */
  readonly usage: string;
  /** Flag names and kinds; --help is added to every command. */
  readonly flags: Readonly<Record<string, 'string' | 'boolean'>>;
  /** Runs the command; resolves to the exit code (0 when left out). Errors thrown become one line on stderr. */
  run(flags: FlagValues, io: CommandIo): Promise<number | void>;
}
