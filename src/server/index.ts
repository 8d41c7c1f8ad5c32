/**
 * The REST server: ksqlDB's API on fastify, one plugin per concern (statements, queries,
 * inserts, informational endpoints). One port serves HTTP/1.1 and cleartext HTTP/2 with prior
 * knowledge, as ksqlDB does: the npm ksqldb-client, Cube Store and the Java client speak h2c,
 * the ksql CLI, Cube's driver and ksql-python HTTP/1.1. Each connection's first bytes decide.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { EngineDriver } from '../engine/driver.js';
import type { Engine } from '../engine/engine.js';
import type { ServerState } from './context.js';
import { authorized, type Users } from './auth.js';
import { installMetrics } from './metrics.js';
import { commandRunnerFor, type CommandRunner } from './command-runner.js';
import { InMemoryCommandStore } from './command-topic.js';
import { ErrorCodes, genericError, RestError } from './errors.js';
import { infoRoutes } from './routes/info.js';
import { insertRoutes } from './routes/inserts.js';
import { ksqlRoutes } from './routes/ksql.js';
import { queryRoutes } from './routes/query.js';
import { websocketRoutes } from './routes/websocket.js';
import { routingOf } from '../engine/routing.js';
import { advertisedListenerFor } from './advertised-listener.js';

export interface StartServerOptions {
  engine: Engine;
  driver: EngineDriver;
  /**
   * the command runner, already started (replayed) over the engine; default: one over a log in
   * memory (a single server without Kafka, tests)
   */
  runner?: CommandRunner;
  /** e.g. `http://0.0.0.0:8088`; port 0 picks a free one */
  listeners?: string | string[];
  logger?: Logger;
  serviceId?: string;
  kafkaClusterId?: string;
  /** headless mode: statements and inserts over REST are refused */
  headless?: boolean;
  /** HTTP Basic users (user → password); when set every route but the probes needs them */
  users?: Users;
  /** largest accepted request body in bytes (default 16 MiB) */
  bodyLimit?: number;
  version?: string;
  /**
   * TLS for https:// listeners (PEM certificate chain and private key). Such a listener speaks
   * HTTP/2 and HTTP/1.1, chosen by ALPN.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface RunningServer {
  /** base URL clients can reach (0.0.0.0 becomes 127.0.0.1) */
  url: string;
  close(): Promise<void>;
  app: FastifyInstance;
  state: ServerState;
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** A duplex over `socket` whose readable side yields `first` and then the socket's data. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  d.push(first);
  socket.on('data', (c: Buffer) => {
    if (!d.push(c)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  socket.on('error', (e) => d.destroy(e));
  return d;
}

export function parseListener(listener: string): { host: string; port: number; secure: boolean } {
  let u: URL;
  try {
    u = new URL(listener);
  } catch {
    throw new Error(`Invalid listener '${listener}': expected http://HOST:PORT or https://HOST:PORT`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`Invalid listener '${listener}': only http:// and https:// listeners are supported`);
  const port = u.port === '' ? 8088 : Number(u.port);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port, secure: u.protocol === 'https:' };
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const listeners = opts.listeners === undefined ? ['http://0.0.0.0:8088'] : Array.isArray(opts.listeners) ? opts.listeners : [opts.listeners];
  const first = parseListener(listeners[0]!);
  if (first.secure && !opts.tls) throw new Error(`Listener '${listeners[0]}' is https:// but no TLS certificate and key were given (--ssl-certificate, --ssl-key)`);
  if (!first.secure && opts.tls) throw new Error(`A TLS certificate and key were given but listener '${listeners[0]}' is not https://`);
  const tls = first.secure ? opts.tls : undefined;
  const log = opts.logger ?? pino({ level: process.env.SLUICE_LOG_LEVEL ?? 'info' });
  const sockets = new Set<Socket>();
  let h2server: http2.Http2Server | undefined;

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    // one server for both protocols: fastify hands us its request handler
    serverFactory: (handler) => {
      if (tls) {
        // ALPN picks HTTP/2 or HTTP/1.1; both reach the same fastify handler
        const secure = http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
        secure.on('connection', (socket: Socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
        // a client that fails the handshake only concerns the log
        secure.on('tlsClientError', (err: Error, socket: TLSSocket) => {
          log.debug({ err }, 'TLS handshake failed');
          socket.destroy();
        });
        return secure as unknown as http.Server;
      }
      const h1 = http.createServer(handler as http.RequestListener);
      h2server = http2.createServer({}, handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
      const h1Listeners = h1.listeners('connection') as ((s: Socket) => void)[];
      h1.removeAllListeners('connection');
      h1.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.once('data', (chunk: Buffer) => {
          socket.pause();
          const n = Math.min(chunk.length, H2_PREFACE.length);
          if (n > 0 && chunk.subarray(0, n).equals(H2_PREFACE.subarray(0, n))) {
            // the native HTTP/2 session reads the socket's handle directly and would miss the
            // bytes already read, so it gets a stream that replays them first
            h2server!.emit('connection', replaying(socket, chunk));
          } else {
            socket.unshift(chunk);
            for (const l of h1Listeners) l.call(h1, socket);
          }
          socket.resume();
        });
      });
      return h1;
    },
  });

  let runner = opts.runner;
  if (!runner) {
    runner = commandRunnerFor(opts.engine, new InMemoryCommandStore(), { info: (m) => log.info(m), warn: (m) => log.warn(m) });
    await runner.start();
  }
  const state: ServerState = {
    engine: opts.engine,
    driver: opts.driver,
    runner,
    log,
    serviceId: opts.serviceId ?? 'default_',
    kafkaClusterId: opts.kafkaClusterId ?? 'sluice',
    version: opts.version ?? '0.1.0',
    headless: opts.headless ?? false,
    status: 'RUNNING',
    commands: new Map(),
    commandSeq: 0,
    transients: new Map(),
    hostKey: `${first.host}:${first.port}`,
  };

  // bodies are text whatever their Content-Type; each route parses its own JSON
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof RestError) return reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(err.body));
    const e = err as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).header('content-type', 'application/json').send(JSON.stringify(genericError(41300, `Request body is larger than the limit of ${opts.bodyLimit ?? 16 * 1024 * 1024} bytes`)));
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).header('content-type', 'application/json').send(JSON.stringify(genericError(e.statusCode * 100, e.message)));
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).header('content-type', 'application/json').send(JSON.stringify(genericError(ErrorCodes.SERVER_ERROR, `The server encountered an internal error: ${e.message}`)));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).header('content-type', 'text/plain').send('Not Found'));

  if (opts.users) {
    const users = opts.users;
    app.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/chc/')) return;
      if (!authorized(users, req.headers.authorization)) {
        reply.header('www-authenticate', 'Basic realm="KsqlServer-Props"');
        throw new RestError(genericError(ErrorCodes.UNAUTHORIZED, 'Unauthorized'));
      }
    });
  }

  // while terminated, statements and queries get 503 (informational endpoints still answer)
  app.addHook('onRequest', async (req) => {
    if (state.status !== 'RUNNING' && /^\/(ksql|query|query-stream|inserts-stream)$/.test(req.url.split('?')[0]!)) {
      throw new RestError(genericError(state.status === 'TERMINATING' ? ErrorCodes.SERVER_SHUTTING_DOWN : 50304, state.status === 'TERMINATING' ? 'The server is shutting down' : 'The server has been terminated'));
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  runner.listen({
    onApplied: (cmd, outcome) => {
      // /status knows every command of the cluster, whichever server issued it
      state.commands.set(cmd.id, 'error' in outcome ? { status: 'ERROR', message: outcome.error.message } : { status: 'SUCCESS', message: 'message' in outcome.result ? String(outcome.result.message) : 'Success' });
    },
    onTerminateCluster: () => {
      // every server of the cluster stops serving statements and queries
      state.status = 'TERMINATED';
      for (const t of [...state.transients.values()]) t.close();
    },
  });

  installMetrics(app as unknown as FastifyInstance, state);
  await app.register(ksqlRoutes, { state });
  await app.register(queryRoutes, { state });
  await app.register(insertRoutes, { state });
  await app.register(infoRoutes, { state });
  await app.register(websocket);
  await app.register(websocketRoutes, { state });

  await app.listen({ host: first.host, port: first.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : first.port;
  state.hostKey = `${first.host}:${port}`;
  const host = first.host === '0.0.0.0' || first.host === '::' ? '127.0.0.1' : first.host;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // where the other servers sharing the service id forward pull queries to this one
  const routing = routingOf(opts.driver);
  try {
    if (routing && !routing.advertisedListener()) routing.setAdvertisedListener(await advertisedListenerFor(opts.engine.config, listeners[0]!, port));
  } catch (err) {
    await app.close();
    throw err;
  }
  log.info({ url, listeners, advertised: routing?.advertisedListener() }, 'Sluice server listening');

  return {
    url,
    app: app as unknown as FastifyInstance,
    state,
    async close() {
      for (const t of [...state.transients.values()]) t.close();
      state.transients.clear();
      for (const s of sockets) s.destroy();
      h2server?.close();
      await app.close();
    },
  };
}
