// `diffusion-studio`: the command-line entry point (package.json bin, `npm run cli -- ...`).
import { runCli } from './run-cli';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

// A reader that stops early (`| head`) closes the pipe: that ends the output, not in a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Only the exit code is set: a command that serves (serve) keeps the process alive on its own.
void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
