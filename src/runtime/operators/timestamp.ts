/**
 * Event time from a column (WITH (TIMESTAMP='col' [, TIMESTAMP_FORMAT='pattern'])): BIGINT
 * epoch millis, TIMESTAMP values, or strings parsed with the format (through the function
 * library's PARSE_TIMESTAMP so patterns behave as in SQL). A missing or negative time is
 * logged and the record dropped, as Kafka Streams' extractor fails it.
 */
import { STRING } from '../../common/types.js';
import type { SourceStep } from '../../planner/plan.js';
import type { TopologyContext } from '../context.js';
import type { Row } from '../row.js';

export function timestampExtractor(step: SourceStep, ctx: TopologyContext): (row: Row) => number | undefined {
  const info = step.timestamp!;
  const idx = step.schema.columns.findIndex((c) => (c.baseName ?? c.name) === info.column && c.role !== 'pseudo');
  if (idx < 0) throw new Error(`timestamp column ${info.column} not in schema`);
  const type = step.schema.columns[idx]!.type;
  let toMs: (v: unknown) => number;
  if (type.kind === 'STRING') {
    const fmt = info.format ?? "yyyy-MM-dd'T'HH:mm:ss.SSS";
    const parse = ctx.compile.registry.resolveScalar('PARSE_TIMESTAMP', [{ type: STRING }, { type: STRING, literal: { value: fmt } }], ctx.compile.config).impl;
    toMs = (v) => Number(parse(v, fmt));
  } else if (type.kind === 'BIGINT') {
    toMs = (v) => Number(v);
  } else {
    toMs = (v) => v as number;
  }
  return (row) => {
    const v = row.cols[idx];
    let ms: number | undefined;
    try {
      ms = v === null || v === undefined ? undefined : toMs(v);
    } catch (err) {
      ms = undefined;
      ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Failed to extract timestamp from ${info.column}: ${(err as Error).message}`, partition: row.partition, offset: row.offset });
      return undefined;
    }
    if (ms === undefined || Number.isNaN(ms) || ms < 0) {
      ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Invalid timestamp in column ${info.column}: ${String(v)}`, partition: row.partition, offset: row.offset });
      return undefined;
    }
    return ms;
  };
}
