/**
 * `sluice cli [--server URL]`: the ksqlDB-style command line client, talking to a Sluice (or
 * ksqlDB) server over its REST API only. With -e or -f it runs the statements and exits (non-zero
 * on the first error); otherwise it starts the interactive ink interface.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { RestClient } from './interactive/rest-client.js';
import { Session, type OutputFormat, type SessionOutput } from './interactive/session.js';

export interface CliOptions {
  server: string;
  execute?: string;
  file?: string;
  output?: string;
  define?: string[];
}

const red = (s: string, tty: boolean) => (tty ? `\x1b[31m${s}\x1b[0m` : s);

/** Runs -e text or an -f file without the interactive interface; resolves to the exit code. */
export async function runNonInteractive(opts: CliOptions, session: Session, text: string): Promise<number> {
  // Ctrl-C during a push query cancels the query; the remaining statements still run
  const onSigint = () => {
    if (session.queryRunning) void session.cancelQuery();
    else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  try {
    const outcome = await session.run(text);
    return outcome === 'error' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export async function runCli(opts: CliOptions): Promise<number> {
  const client = new RestClient(opts.server);
  const tty = process.stdout.isTTY === true;
  const out: SessionOutput = {
    line: (t) => process.stdout.write(t + '\n'),
    error: (t) => process.stderr.write(red(t, process.stderr.isTTY === true) + '\n'),
    width: () => (tty ? process.stdout.columns || 80 : Infinity),
  };
  const session = new Session(client, out);
  const format = (opts.output ?? 'TABULAR').toUpperCase();
  if (format !== 'TABULAR' && format !== 'JSON') {
    out.error(`Unknown output format: '${opts.output}' (use TABULAR or JSON)`);
    return 1;
  }
  session.format = format as OutputFormat;
  for (const d of opts.define ?? []) {
    const eq = d.indexOf('=');
    if (eq <= 0) {
      out.error(`Invalid --define '${d}': expected name=value`);
      return 1;
    }
    session.variables[d.slice(0, eq)] = d.slice(eq + 1);
  }
  if (opts.execute !== undefined || opts.file !== undefined) {
    let text = opts.execute ?? '';
    if (opts.file !== undefined) {
      try {
        text = await readFile(opts.file, 'utf8');
      } catch (err) {
        out.error(`Cannot read '${opts.file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        return 1;
      }
    }
    return runNonInteractive(opts, session, text);
  }
  if (!process.stdin.isTTY) {
    // statements piped in (`sluice cli < file.sql`): no terminal to draw on, so run them as -f would
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return runNonInteractive(opts, session, Buffer.concat(chunks).toString('utf8'));
  }
  const { runInteractive } = await import('./interactive/app.js');
  return runInteractive(session);
}

/** Adds the options of the CLI to a command (used by `sluice cli` and by bare `sluice`). */
export function addCliOptions(cmd: Command): Command {
  return cmd
    .option('-s, --server <url>', 'the Sluice or ksqlDB server', 'http://localhost:8088')
    .option('-e, --execute <statements>', 'run these statements, then exit')
    .option('-f, --file <path>', 'run the statements of this file, then exit')
    .option('-o, --output <format>', 'TABULAR or JSON', 'TABULAR')
    .option('-d, --define <name=value>', 'define a variable (repeatable)', collect);
}

export function registerCliCommand(program: Command): void {
  addCliOptions(program.command('cli').description('the interactive SQL command line, talking to a server over REST'))
    .argument('[server]', 'the server URL (same as --server)')
    .action(async (server: string | undefined, opts: CliOptions) => {
      const code = await runCli({ ...opts, server: server ?? opts.server });
      process.exit(code);
    });
}
