// `npm run serve`: the studio as a local server (renderer + API), printing the URL with its token.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { createStudioHost } from '../services/studio-host';
import { switchingHost } from '../services/switching-host';
import { defaultWorkspace } from '../workspace/default-workspace';
import { STUDIO_VERSION } from '../version';
import { parseFlags } from './args';
import { startServer } from './ws-server';
import { messageOf } from '../../src-core/errors';

async function main(): Promise<void> {
  const files: string[] = [];
  const flags = parseFlags(process.argv.slice(2), { host: 'string', port: 'string', workspace: 'string', help: 'boolean' }, files);
  if (flags.help) {
    console.log('usage: npm run serve -- [--host 127.0.0.1] [--port 5174] [--workspace <folder>] [file.onnx | data.npy | data.csv ...]');
    console.log('Files named are opened in the page: a model in Sample, data in the Data import.');
    return;
  }
  const port = flags.port === undefined ? 5174 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0..65535, got ${flags.port}`);
  const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1';
  const workspace = typeof flags.workspace === 'string' ? resolve(flags.workspace) : defaultWorkspace();
  const rendererRoot = join(dirname(fileURLToPath(import.meta.url)), '../renderer');
  if (!existsSync(join(rendererRoot, 'index.html'))) throw new Error(`no built renderer at ${rendererRoot}; run npm run build first`);

  // the page may move the server to another folder (app.changeWorkspace)
  const studio = switchingHost(workspace, (folder, changeWorkspace) => createStudioHost({ workspace: folder, version: STUDIO_VERSION, host: 'server', changeWorkspace }));
  await studio.openFiles(files, process.cwd());
  // The default port gives way to the next free one (another studio may be running); a port asked for is taken or refused.
  const server = await startServer(studio, { host, port, rendererRoot, nextFreePort: flags.port === undefined });
  console.log(`Diffusion Studio ${STUDIO_VERSION} is running. Open ${server.url}`);
  console.log(`workspace: ${workspace}${host === '127.0.0.1' ? '' : `  (listening on ${host}: anyone with the token can use it)`}`);
  const stop = () => {
    // Training runs checkpoint and pause before the process goes.
    void server
      .close()
      .then(() => studio.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`diffusion-studio: ${messageOf(err)}`);
  process.exit(1);
});
