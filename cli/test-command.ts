/**
 * `sluice test PATH...`: runs SQL test cases in ksqlDB's query-validation format, prints one
 * line per failing case with its first difference, and ends with `N passed, N failed, N skipped`
 * alone on the last line (CI systems read it). `--json FILE` writes a machine-readable report.
 * Files holding REST cases (a case with `responses`, ksqlDB's rest-query-validation-tests) are
 * run against a real Sluice REST server on an ephemeral port.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { collectFiles, runPaths, type CaseResult, type RunSummary } from '../src/testing/qtt-runner.js';
import { isRestFile, runRestPaths } from '../src/testing/rqtt-runner.js';

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run SQL test cases (ksqlDB query-validation-test format, and REST cases against a server) from files or folders')
    .argument('<paths...>', 'test files (.json) or folders of them')
    .option('--json <file>', 'write a machine-readable report to FILE')
    .option('--filter <regex>', 'only run cases whose name matches')
    .option('-v, --verbose', 'print a line for passing cases too')
    .action(async (paths: string[], opts: { json?: string; filter?: string; verbose?: boolean }) => {
      const report = (r: CaseResult) => {
        if (r.status === 'failed') console.log(`FAIL ${r.file} :: ${r.name} :: ${r.reason}`);
        else if (opts.verbose) console.log(`${r.status === 'passed' ? 'ok  ' : 'skip'} ${r.file} :: ${r.name}`);
      };
      const filter = opts.filter ? new RegExp(opts.filter) : undefined;
      const files = collectFiles(paths);
      const rest = files.filter(isRestFile);
      const plain = files.filter((f) => !rest.includes(f));
      const parts: RunSummary[] = [];
      if (plain.length > 0) parts.push(runPaths(plain, report, filter));
      if (rest.length > 0) parts.push(await runRestPaths(rest, report, filter));
      const summary: RunSummary = {
        results: parts.flatMap((p) => p.results),
        passed: parts.reduce((n, p) => n + p.passed, 0),
        failed: parts.reduce((n, p) => n + p.failed, 0),
        skipped: parts.reduce((n, p) => n + p.skipped, 0),
      };
      if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 2));
      console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
      process.exitCode = summary.failed > 0 ? 1 : 0;
    });
}
