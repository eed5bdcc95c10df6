import { Command, CommanderError } from 'commander';
import { registerClusterCommands } from './cluster/commands.js';
import { isRunwayError } from './errors.js';
import { registerGateCommand } from './gates/command.js';
import { registerReleaseCommands } from './release/register.js';
import { registerSynth } from './synth/command.js';

const program = new Command('runway')
  .description('Runway: from git push to production, safely and hands-free.')
  .showHelpAfterError()
  .exitOverride();

registerClusterCommands(program);
registerGateCommand(program);
registerReleaseCommands(program);
registerSynth(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (isRunwayError(error)) {
    console.error(`runway: ${error.message}`);
    if (error.hint) console.error(error.hint);
    process.exit(1);
  }
  throw error;
}
