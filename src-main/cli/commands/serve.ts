// `serve`: the studio as a local server; hands over to the headless server's own entry (src-main/server/serve-cli.ts).
import type { Command } from '../command';

/** The serve command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the studio as a local server (renderer + API on 127.0.0.1)',
  usage: 'diffusion-studio serve [--host 127.0.0.1] [--port 5174] [--workspace <folder>]',
  flags: { host: 'string', port: 'string', workspace: 'string' },
  async run(flags) {
    // serve-cli reads process.argv itself; give it exactly the server's flags
    const args = Object.entries(flags).flatMap(([k, v]) => (typeof v === 'string' ? [`--${k}`, v] : []));
    process.argv = [process.argv[0], process.argv[1], ...args];
    await import('../../server/serve-cli');
  },
};
