/**
 * `sluice cli [--server URL]` (and `sluice` alone): the interactive SQL shell against a Sluice
 * server; `-e "statement"` or `-f file.sql` run non-interactively and exit (non-zero when a
 * statement failed).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { OutputFeed, runInteractive } from '../src/cli-client/app.js';
import { Session } from '../src/cli-client/session.js';

interface CliFlags {
  server: string;
  execute?: string;
  file?: string;
  output: string;
  historyFile: string;
}

async function runCli(flags: CliFlags): Promise<void> {
  const format = flags.output.toUpperCase();
  if (format !== 'TABULAR' && format !== 'JSON') {
    console.error(`--output must be TABULAR or JSON, got ${flags.output}`);
    process.exitCode = 1;
    return;
  }
  // statements piped in (no terminal to draw on) run like a file
  const piped = flags.execute === undefined && flags.file === undefined && !process.stdin.isTTY;
  if (flags.execute !== undefined || flags.file !== undefined || piped) {
    let failed = false;
    const session = new Session(flags.server, {
      print: (t) => console.log(t),
      error: (t) => {
        failed = true;
        console.error(t);
      },
      width: () => process.stdout.columns ?? 120,
    });
    session.format = format;
    let text: string;
    try {
      text = flags.execute ?? readFileSync(piped ? 0 : flags.file!, 'utf8');
    } catch (err) {
      console.error(`Cannot read ${flags.file}: ${(err as Error).message}`);
      process.exitCode = 1;
      return;
    }
    await session.run(text);
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const feed = new OutputFeed(() => process.stdout.columns ?? 120);
  const session = new Session(flags.server, feed.sink());
  session.format = format;
  await session.banner();
  await runInteractive(session, feed, flags.historyFile);
}

function withOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'the Sluice (or ksqlDB) server', 'http://localhost:8088')
    .option('-e, --execute <sql>', 'run these statements and exit')
    .option('-f, --file <file>', 'run the statements in this file and exit')
    .option('--output <format>', 'TABULAR or JSON', 'TABULAR')
    .option('--history-file <file>', 'where the history is kept', join(homedir(), '.sluice-history'));
}

export function registerCliCommand(program: Command): void {
  withOptions(program.command('cli').description('the interactive SQL shell (the default when no command is given)')).action(runCli);
  // `sluice` alone starts the shell; `sluice -f x.sql` / `sluice -e "…"` run non-interactively
  withOptions(program).action(runCli);
}
