import { Command, CommanderError } from 'commander';
import { registerClusterCommands } from './cluster/commands.js';
import { exitCodeOf, isRunwayError } from './errors.js';
import { registerGateCommand } from './gates/command.js';
import { registerReleaseCommands } from './release/register.js';
import { registerSynth } from './synth/command.js';
import { platformVersion } from './version.js';

const program = new Command('runway')
  .description('Runway: from git push to production, safely and hands-free.')
  .version(platformVersion(), '-V, --version', 'print the version of runway')
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
    process.exit(exitCodeOf(error));
  }
  throw error;
}
