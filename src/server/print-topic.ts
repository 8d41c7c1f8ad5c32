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

export type PrintStatement = Extract<Statement, { type: 'Print' }>;

export interface PrintSink {
  /** one text line, without its newline */
  line(text: string): void;
  /** the PRINT stopped (LIMIT reached, closed, or the driver failed with `err`) */
  end(err?: Error): void;
}

/**
 * Starts a PRINT (validated first: throws the REST error ksqlDB answers with before any byte);
 * returns the function that stops it. `formatLines` adds the `Key format:` / `Value format:`
 * lines whenever a guess changes.
 */
export function startPrint(state: ServerState, s: PrintStatement, formatLines: boolean, sink: PrintSink): () => void {
  check(state, s);
  const formatter = new RecordFormatter();
  const tracker = new FormatsTracker();
  const interval = s.interval ?? 1;
  let polled = 0;
  let written = 0;
  let ended = false;
  let handle: { close(): void } | undefined;
  const finish = (err?: Error) => {
    if (ended) return;
    ended = true;
    handle?.close();
    sink.end(err);
  };
  if (s.limit === 0) {
    finish();
    return () => undefined;
  }
  handle = state.driver.readTopic!(
    s.topic,
    // with an interval the driver's count is not the shown count: the limit is applied here
    { fromBeginning: s.fromBeginning, ...(s.limit !== undefined && interval === 1 ? { limit: s.limit } : {}) },
    (rec) => {
      if (ended) return;
      const line = formatter.format(rec);
      if (polled++ % interval !== 0) return;
      written++;
      if (formatLines) for (const l of tracker.update(formatter)) sink.line(l);
      sink.line(line);
      if (s.limit !== undefined && written >= s.limit) finish();
    },
    (err) => finish(err),
  );
  // the limit may have been reached while replaying, before the handle existed
  if (ended) handle.close();
  return () => finish();
}

/** PRINT as an HTTP response body: text lines, and on /query blank lines while idle. */
export function streamPrint(state: ServerState, reply: FastifyReply, s: PrintStatement, opts: { contentType: string; formatLines: boolean; idleLines: boolean }): void {
  check(state, s);
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, { 'content-type': opts.contentType, ...(raw.req?.httpVersionMajor === 2 ? {} : { 'transfer-encoding': 'chunked' }) });
  // a PRINT of new records may say nothing for a while: the client gets the headers now
  raw.flushHeaders();
  const id = `print_${randomUUID()}`;
  let active = false;
  let idle: NodeJS.Timeout | undefined;
  let ended = false;
  const write = (text: string) => {
    if (!raw.destroyed && !raw.writableEnded) raw.write(text);
  };
  const stop = startPrint(state, s, opts.formatLines, {
    line(text) {
      active = true;
      write(`${text}\n`);
    },
    end(err) {
      ended = true;
      if (err) write(`${err.message}\n`);
      if (idle) clearInterval(idle);
      state.transients.delete(id);
      if (!raw.writableEnded) raw.end();
    },
  });
  if (ended) return;
  state.transients.set(id, { queryId: id, close: stop });
  raw.on('close', stop);
  if (opts.idleLines) {
    idle = setInterval(() => {
      if (!active) write('\n');
      active = false;
    }, IDLE_LINE_MS);
    idle.unref();
  }
}
