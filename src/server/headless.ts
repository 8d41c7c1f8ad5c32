/**
 * Headless mode (`--queries-file`): the file's statements are the deployment. Only what ksqlDB
 * allows there runs (SET, UNSET, DEFINE, CREATE STREAM/TABLE/TYPE, CSAS, CTAS, INSERT INTO …
 * SELECT); anything else, a syntax error or a rejected statement fails start-up with the line
 * named.
 */
import { readFileSync } from 'node:fs';
import { KsqlError } from '../common/errors.js';
import type { Engine } from '../engine/engine.js';
import { ParseError, parseStatements, type ParsedStatement } from '../parser/index.js';

const ALLOWED = new Set(['SetProperty', 'UnsetProperty', 'DefineVariable', 'UndefineVariable', 'CreateSource', 'CreateAsSelect', 'InsertInto', 'CreateType']);

export class QueriesFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

/** Runs a queries file on the engine; throws QueriesFileError naming the offending line. */
export function runQueriesFile(engine: Engine, file: string): ParsedStatement[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new QueriesFileError(file, 0, `cannot read the queries file: ${(err as Error).message}`);
  }
  let parsed: ParsedStatement[];
  try {
    parsed = parseStatements(text, { variables: engine.variables });
  } catch (err) {
    if (err instanceof ParseError) throw new QueriesFileError(file, err.line, err.message.split('\n')[0]!);
    if (err instanceof KsqlError) throw new QueriesFileError(file, err.loc?.line ?? 0, err.message);
    throw err;
  }
  for (const ps of parsed) {
    if (!ALLOWED.has(ps.statement.type)) {
      throw new QueriesFileError(file, ps.loc.line, `Unsupported statement in a queries file: ${ps.text.split('\n')[0]}`);
    }
    try {
      engine.execute(ps);
    } catch (err) {
      if (err instanceof KsqlError || err instanceof ParseError) throw new QueriesFileError(file, ps.loc.line, err.message.replace(/^Line: \d+, Col: \d+: /, ''));
      throw err;
    }
  }
  return parsed;
}
