/**
 * `sluice test PATH...`: runs SQL test cases in ksqlDB's query-validation format, prints one
 * line per failing case with its first difference, and ends with `N passed, N failed, N skipped`
 * alone on the last line (CI systems read it). `--json FILE` writes a machine-readable report.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runPaths } from '../src/testing/qtt-runner.js';

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run SQL test cases (ksqlDB query-validation-test format) from files or folders')
    .argument('<paths...>', 'test files (.json) or folders of them')
    .option('--json <file>', 'write a machine-readable report to FILE')
    .option('--filter <regex>', 'only run cases whose name matches')
    .option('-v, --verbose', 'print a line for passing cases too')
    .action((paths: string[], opts: { json?: string; filter?: string; verbose?: boolean }) => {
      const summary = runPaths(paths, (r) => {
        if (r.status === 'failed') console.log(`FAIL ${r.file} :: ${r.name} :: ${r.reason}`);
        else if (opts.verbose) console.log(`${r.status === 'passed' ? 'ok  ' : 'skip'} ${r.file} :: ${r.name}`);
      }, opts.filter ? new RegExp(opts.filter) : undefined);
      if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 2));
      console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
      process.exitCode = summary.failed > 0 ? 1 : 0;
    });
}
