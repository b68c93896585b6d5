// The registry of command-line commands: one file per command, registered here in the order --help lists them.
import { Registry } from '../../../src-core/registry';
import type { Command } from '../command';
import { datasetCommand } from './dataset';
import { datasetsCommand } from './datasets';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { sampleCommand } from './sample';
import { serveCommand } from './serve';
import { trainCommand } from './train';

/** Every command by name; registering a name twice throws. */
export const commands = new Registry<Command>('command');

for (const c of [trainCommand, exportCommand, sampleCommand, evalCommand, datasetsCommand, datasetCommand, serveCommand]) commands.register(c.name, c);
