// The command-line frame: finds the command, parses its flags, runs it, and turns every failure into one line on stderr and an exit code.
import { StudioError } from '../../src-core/errors';
import { parseFlags } from '../server/args';
import { STUDIO_VERSION } from '../version';
import type { Command, CommandIo } from './command';
import { commands } from './commands';
import { printable } from './printable';

const PROGRAM = 'diffusion-studio';

/** The text of `diffusion-studio --help`: every registered command with its summary. */
function helpText(): string {
  const names = commands.names();
  const width = Math.max(...names.map((n) => n.length));
  return [
    `Diffusion Studio ${STUDIO_VERSION}: train, export and sample diffusion and flow models.`,
    '',
    `usage: ${PROGRAM} <command> [--flags]    (${PROGRAM} <command> --help for its flags)`,
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands.get(n).summary}`),
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [`${PROGRAM} ${c.name}: ${c.summary}`, '', `usage: ${c.usage}`].join('\n');
}

/**
 * Runs the command line on argv (without node and the script); resolves to the exit code, never throws. Every line
 * goes out through printable(): messages quote files and flags, whose control bytes must not reach the terminal raw.
 */
export async function runCli(argv: readonly string[], terminal: CommandIo): Promise<number> {
  const io: CommandIo = { out: (line) => terminal.out(printable(line)), err: (line) => terminal.err(printable(line)) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out(STUDIO_VERSION);
    return 0;
  }
  if (!commands.has(name)) {
    io.err(`${PROGRAM}: unknown command '${name}'; commands: ${commands.names().join(', ')} (see ${PROGRAM} --help)`);
    return 2;
  }
  const command = commands.get(name);
  let flags;
  try {
    flags = parseFlags(rest, { ...command.flags, help: 'boolean' });
  } catch (err) {
    io.err(`${PROGRAM} ${name}: ${(err as Error).message} (see ${PROGRAM} ${name} --help)`);
    return 2;
  }
  if (flags.help) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return (await command.run(flags, io)) ?? 0;
  } catch (err) {
    io.err(`${PROGRAM} ${name}: ${describeError(err)}`);
    // the stack helps a developer, never a user: only on request
    if (process.env.DIFFUSION_STUDIO_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return 1;
  }
}

/** One line for any thrown value; a StudioError's message is written for people already. */
function describeError(err: unknown): string {
  if (err instanceof StudioError) return err.message;
  if (err instanceof Error) return `${err.message} (an unexpected ${err.name}; run with DIFFUSION_STUDIO_DEBUG=1 for details)`;
  return String(err);
}
