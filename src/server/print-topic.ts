/**
 * PRINT 'topic' [FROM BEGINNING] [INTERVAL n] [LIMIT n] over /query and /query-stream: the
 * topic's raw records as text lines (`rowtime: …, key: …, value: …, partition: n`), read with the
 * driver's readTopic. /query also writes the guessed `Key format:` / `Value format:` lines and a
 * blank line each second it has nothing to say (ksqlDB's keep-alive); /query-stream only the
 * record lines. INTERVAL n shows every n-th record; LIMIT counts the records shown.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Statement } from '../parser/ast.js';
import type { ServerState } from './context.js';
import { badRequest, ErrorCodes, genericError, RestError } from './errors.js';
import { FormatsTracker, RecordFormatter } from './print-format.js';

type PrintStatement = Extract<Statement, { type: 'Print' }>;

const IDLE_LINE_MS = 1000;

/** Validates the statement; throws the REST error ksqlDB answers with before any byte is sent. */
function check(state: ServerState, s: PrintStatement): void {
  if (!state.driver.readTopic) throw new RestError(genericError(ErrorCodes.BAD_REQUEST, 'PRINT is not supported by this server: its driver cannot read raw topic records.'));
  if (s.interval !== undefined && s.interval < 1) throw badRequest(`INTERVAL must be greater than one, but was: ${s.interval}`);
  if (state.driver.describeTopic(s.topic)) return;
  // topic names are case-sensitive: suggest the ones that differ only in case
  const similar = state.driver.listTopics().filter((t) => t.name.toLowerCase() === s.topic.toLowerCase());
  const hint = similar.length ? `\nDid you mean:\n${similar.map((t) => `\tprint ${t.name};`).join('\n')}` : '';
  throw badRequest(`Could not find topic '${s.topic}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.${hint}`);
}

export function streamPrint(state: ServerState, reply: FastifyReply, s: PrintStatement, opts: { contentType: string; formatLines: boolean; idleLines: boolean }): void {
  check(state, s);
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, { 'content-type': opts.contentType, ...(raw.req?.httpVersionMajor === 2 ? {} : { 'transfer-encoding': 'chunked' }) });
  // a PRINT of new records may say nothing for a while: the client gets the headers now
  raw.flushHeaders();
  const id = `print_${randomUUID()}`;
  const formatter = new RecordFormatter();
  const tracker = new FormatsTracker();
  const interval = s.interval ?? 1;
  let polled = 0;
  let written = 0;
  let ended = false;
  let idle: NodeJS.Timeout | undefined;
  let handle: { close(): void } | undefined;
  const write = (text: string) => {
    if (!raw.destroyed && !raw.writableEnded) raw.write(text);
  };
  const finish = () => {
    if (ended) return;
    ended = true;
    if (idle) clearInterval(idle);
    state.transients.delete(id);
    handle?.close();
    if (!raw.writableEnded) raw.end();
  };
  if (s.limit === 0) return finish();
  let active = false;
  handle = state.driver.readTopic!(
    s.topic,
    // with an interval the driver's count is not the shown count: the limit is applied here
    { fromBeginning: s.fromBeginning, ...(s.limit !== undefined && interval === 1 ? { limit: s.limit } : {}) },
    (rec) => {
      if (ended) return;
      active = true;
      const line = formatter.format(rec);
      if (polled++ % interval !== 0) return;
      written++;
      const lines = opts.formatLines ? [...tracker.update(formatter), line] : [line];
      write(lines.map((l) => `${l}\n`).join(''));
      if (s.limit !== undefined && written >= s.limit) finish();
    },
    (err) => {
      if (err && !ended) write(`${err.message}\n`);
      finish();
    },
  );
  // the limit may have been reached while replaying, before the handle existed
  if (ended) return handle.close();
  state.transients.set(id, { queryId: id, close: finish });
  raw.on('close', finish);
  if (opts.idleLines) {
    idle = setInterval(() => {
      if (!active) write('\n');
      active = false;
    }, IDLE_LINE_MS);
    idle.unref();
  }
}
