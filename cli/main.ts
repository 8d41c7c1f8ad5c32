/** The `sluice` command line: subcommands are registered here and implemented in their own modules. */
import { Command } from 'commander';
import { registerBrokerCommand } from './broker-command.js';
import { addCliOptions, registerCliCommand, runCli, type CliOptions } from './cli-command.js';
import { registerServerCommand } from './server-command.js';
import { registerTestCommand } from './test-command.js';

const program = new Command();
program.name('sluice').description("Sluice: a streaming SQL engine for Apache Kafka, speaking ksqlDB's dialect").version('0.1.0');
registerTestCommand(program);
registerServerCommand(program);
registerBrokerCommand(program);
registerCliCommand(program);
// bare `sluice` (no subcommand) is the CLI; its options are only read before a subcommand name,
// so they cannot clash with the subcommands' own options
program.enablePositionalOptions();
addCliOptions(program).action(async (opts: CliOptions) => {
  process.exit(await runCli(opts));
});
await program.parseAsync(process.argv);
