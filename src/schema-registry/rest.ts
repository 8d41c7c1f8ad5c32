/**
 * Confluent Schema Registry's REST API on fastify, over any SchemaRegistryClient: what
 * Confluent's serializers, @kafkajs/confluent-schema-registry, Kafka Connect and ksqlDB talk
 * to. Bodies are JSON under `application/vnd.schemaregistry.v1+json` (plain `application/json`
 * and `application/vnd.schemaregistry+json` are accepted too); errors are Confluent's
 * `{ error_code, message }` with its codes (40401 subject not found, 40402 version not found,
 * 40403 schema not found, 409 incompatible, 42201 invalid schema, 42202 invalid version,
 * 42203 invalid compatibility level, 40408 no subject-level config), the HTTP status being the
 * code's first three digits.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { canonicalSchema } from './canonical.js';
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type RegisteredSchema,
  type SchemaInput,
  type SchemaReference,
  SchemaRegistryError,
  type SchemaRegistryClient,
  type SchemaType,
  type SubjectVersion,
} from './types.js';

export const SCHEMA_REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const SCHEMA_TYPES: readonly SchemaType[] = ['JSON', 'PROTOBUF', 'AVRO'];
const MAX_VERSION = 2 ** 31 - 1;
// a reference to version -1 means the referenced subject's latest version, resolved on arrival
const latestVersionPlaceholder = -1;

export interface SchemaRegistryServerOptions {
  registry: SchemaRegistryClient;
  /** default 127.0.0.1 */
  host?: string;
  /** 0 picks a free port; default 8081, Confluent's */
  port?: number;
  /** largest accepted request body in bytes (default 16 MiB) */
  bodyLimit?: number;
}

export interface RunningSchemaRegistryServer {
  /** base URL clients can reach (0.0.0.0 becomes 127.0.0.1) */
  url: string;
  port: number;
  close(): Promise<void>;
}

function fail(message: string, code: number): never {
  throw new SchemaRegistryError(message, code);
}

function httpStatus(code: number): number {
  const status = code >= 1000 ? Number(String(code).slice(0, 3)) : code;
  return status >= 400 && status < 600 ? status : 500;
}

/** `latest`, -1 (= latest) or a version number in [1, 2^31-1]; anything else is 42202. */
function parseVersion(text: string): number {
  if (text === 'latest') return -1;
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (n === -1 || (Number.isInteger(n) && n >= 1 && n <= MAX_VERSION)) return n;
  fail(`The specified version '${text}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`, 42202);
}

function parseId(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) fail(`Schema ${text} not found`, 40403);
  return n;
}

function parseReferences(value: unknown): SchemaReference[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail('Invalid schema: "references" must be an array', 42201);
  return value.map((r: unknown) => {
    const ref = r as Partial<SchemaReference> | null;
    if (!ref || typeof ref.name !== 'string' || typeof ref.subject !== 'string' || !Number.isInteger(ref.version)) {
      fail('Invalid schema: each reference needs a "name", a "subject" and an integer "version"', 42201);
    }
    return { name: ref.name, subject: ref.subject, version: ref.version === -1 ? latestVersionPlaceholder : ref.version! };
  });
}

/** The `{ schema, schemaType?, references?, id? }` body of register, lookup and compatibility calls. */
function parseSchemaBody(body: unknown, registry: SchemaRegistryClient): SchemaInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('Invalid schema: the request body must be a JSON object', 42201);
  const b = body as Record<string, unknown>;
  if (typeof b['schema'] !== 'string' || b['schema'].trim() === '') fail('Invalid schema: the request body needs a non-empty "schema" string', 42201);
  const schemaType = b['schemaType'] ?? 'AVRO';
  if (typeof schemaType !== 'string' || !SCHEMA_TYPES.includes(schemaType as SchemaType)) {
    fail(`Invalid schema: unknown schema type ${JSON.stringify(schemaType)}, expected one of ${SCHEMA_TYPES.join(', ')}`, 42201);
  }
  const references = parseReferences(b['references']).map((r) =>
    r.version === latestVersionPlaceholder ? { ...r, version: registry.getVersion(r.subject, -1).version } : r,
  );
  const out: SchemaInput = { schemaType: schemaType as SchemaType, schema: b['schema'], references };
  if (b['id'] !== undefined && b['id'] !== null && b['id'] !== -1) {
    if (!Number.isInteger(b['id']) || (b['id'] as number) < 1) fail('Invalid schema: "id" must be a positive integer', 42201);
    out.id = b['id'] as number;
  }
  return out;
}

function parseLevel(body: unknown): CompatibilityLevel {
  const level = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['compatibility'] ?? (body as Record<string, unknown>)['compatibilityLevel'] : undefined;
  if (typeof level !== 'string' || !COMPATIBILITY_LEVELS.includes(level.toUpperCase() as CompatibilityLevel)) {
    fail(`Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`, 42203);
  }
  return level.toUpperCase() as CompatibilityLevel;
}

/** Confluent leaves schemaType out for AVRO and references out when there are none. */
function schemaJson(s: RegisteredSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.schemaType !== 'AVRO') out['schemaType'] = s.schemaType;
  out['schema'] = s.schema;
  if (s.references.length > 0) out['references'] = s.references;
  return out;
}

function versionJson(v: SubjectVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...schemaJson(v) };
}

/** The subject's version holding this schema (POST /subjects/:s), or 40401/40403. */
function lookup(registry: SchemaRegistryClient, subject: string, input: SchemaInput): SubjectVersion {
  const versions = registry.listVersions(subject);
  const wanted = canonicalSchema(input.schemaType ?? 'AVRO', input.schema, input.references ?? []);
  for (const n of versions) {
    const v = registry.getVersion(subject, n);
    if (canonicalSchema(v.schemaType, v.schema, v.references) === wanted) return v;
  }
  fail('Schema not found', 40403);
}

/** Every subject version whose schema has this id. */
function versionsOfId(registry: SchemaRegistryClient, id: number): { subject: string; version: number }[] {
  const out: { subject: string; version: number }[] = [];
  for (const subject of registry.listSubjects()) {
    for (const version of registry.listVersions(subject)) {
      if (registry.getVersion(subject, version).id === id) out.push({ subject, version });
    }
  }
  return out;
}

/** Ids of the schemas that reference this subject version. */
function referencedBy(registry: SchemaRegistryClient, subject: string, version: number): number[] {
  const ids = new Set<number>();
  for (const s of registry.listSubjects()) {
    for (const n of registry.listVersions(s)) {
      const v = registry.getVersion(s, n);
      if (v.references.some((r) => r.subject === subject && r.version === version)) ids.add(v.id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

function needs<K extends 'deleteVersion' | 'getSubjectCompatibility' | 'deleteCompatibility'>(
  registry: SchemaRegistryClient,
  method: K,
): NonNullable<SchemaRegistryClient[K]> {
  const fn = registry[method];
  if (typeof fn !== 'function') fail(`This registry does not support ${method}`, 50001);
  return fn.bind(registry) as NonNullable<SchemaRegistryClient[K]>;
}

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined> }>;

/** Builds the fastify app (not listening): for embedding in another server or for inject() tests. */
export function buildSchemaRegistryApp(opts: Omit<SchemaRegistryServerOptions, 'host' | 'port'>): FastifyInstance {
  const registry = opts.registry;
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024 });
  // Confluent's clients send their own media types, which hold JSON, and some send a content
  // type on bodiless DELETEs: an empty body is no body
  const parseJson = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(Object.assign(new Error(`Invalid JSON in the request body: ${(e as Error).message}`), { statusCode: 400 }));
    }
  };
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', /^application\/vnd\.schemaregistry(\.v1)?\+json/, 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, parseJson);
  }
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-type', SCHEMA_REGISTRY_CONTENT_TYPE);
    return payload;
  });
  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof SchemaRegistryError) {
      void reply.status(httpStatus(err.errorCode)).send({ error_code: err.errorCode, message: err.message });
      return;
    }
    const e = err as { statusCode?: number; message?: string };
    // fastify's own errors: malformed JSON, body too large, unsupported media type
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    void reply.status(status).send({ error_code: status === 500 ? 50001 : status, message: e.message ?? String(err) });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error_code: 404, message: `HTTP 404 Not Found: ${req.method} ${req.url}` });
  });

  /** Raw schema text (the `/schema` endpoints), typed JSON as Confluent does. */
  const sendRaw = (reply: FastifyReply, schema: string): FastifyReply => reply.type(SCHEMA_REGISTRY_CONTENT_TYPE).send(schema);

  app.get('/', async () => ({}));
  app.get('/schemas/types', async () => SCHEMA_TYPES);
  // Sluice's registry is always writable (Confluent's READWRITE mode)
  app.get('/mode', async () => ({ mode: 'READWRITE' }));

  // Sluice has the default context only
  app.get('/contexts', async () => ['.']);
  app.get('/subjects', async (req: Req) => {
    const prefix = req.query['subjectPrefix'];
    return registry.listSubjects().filter((s) => prefix === undefined || s.startsWith(prefix));
  });
  app.get('/schemas', async (req: Req) => {
    const prefix = req.query['subjectPrefix'];
    const latestOnly = req.query['latestOnly'] === 'true';
    const out: Record<string, unknown>[] = [];
    for (const subject of registry.listSubjects()) {
      if (prefix !== undefined && !subject.startsWith(prefix)) continue;
      const versions = registry.listVersions(subject);
      for (const n of latestOnly ? versions.slice(-1) : versions) out.push(versionJson(registry.getVersion(subject, n)));
    }
    return out;
  });
  app.get('/subjects/:subject/versions', async (req: Req) => registry.listVersions(req.params['subject']!));
  app.get('/subjects/:subject/versions/:version', async (req: Req) => versionJson(registry.getVersion(req.params['subject']!, parseVersion(req.params['version']!))));
  app.get('/subjects/:subject/versions/:version/schema', async (req: Req, reply) =>
    sendRaw(reply, registry.getVersion(req.params['subject']!, parseVersion(req.params['version']!)).schema),
  );
  app.get('/subjects/:subject/versions/:version/referencedby', async (req: Req) => {
    const v = registry.getVersion(req.params['subject']!, parseVersion(req.params['version']!));
    return referencedBy(registry, v.subject, v.version);
  });
  app.post('/subjects/:subject/versions', async (req: Req) => {
    const input = parseSchemaBody(req.body, registry);
    return { id: registry.register(req.params['subject']!, input) };
  });
  app.post('/subjects/:subject', async (req: Req) => versionJson(lookup(registry, req.params['subject']!, parseSchemaBody(req.body, registry))));
  app.delete('/subjects/:subject', async (req: Req) => {
    const subject = req.params['subject']!;
    for (const version of registry.listVersions(subject)) {
      const referrers = referencedBy(registry, subject, version).filter((id) => !versionsOfId(registry, id).every((v) => v.subject === subject));
      if (referrers.length > 0) fail(`One or more references exist to the schema {subject=${subject},version=${version}}.`, 42206);
    }
    return registry.deleteSubject(subject);
  });
  app.delete('/subjects/:subject/versions/:version', async (req: Req) => {
    const subject = req.params['subject']!;
    const version = parseVersion(req.params['version']!);
    const referrers = referencedBy(registry, subject, registry.getVersion(subject, version).version);
    if (referrers.length > 0) fail(`One or more references exist to the schema {subject=${subject},version=${version}}.`, 42206);
    return needs(registry, 'deleteVersion')(subject, version);
  });

  app.get('/schemas/ids/:id', async (req: Req) => schemaJson(registry.getById(parseId(req.params['id']!))));
  app.get('/schemas/ids/:id/schema', async (req: Req, reply) => sendRaw(reply, registry.getById(parseId(req.params['id']!)).schema));
  app.get('/schemas/ids/:id/versions', async (req: Req) => {
    const id = parseId(req.params['id']!);
    registry.getById(id);
    return versionsOfId(registry, id);
  });
  app.get('/schemas/ids/:id/subjects', async (req: Req) => {
    const id = parseId(req.params['id']!);
    registry.getById(id);
    return [...new Set(versionsOfId(registry, id).map((v) => v.subject))];
  });

  app.get('/config', async () => ({ compatibilityLevel: registry.getCompatibility() }));
  app.put('/config', async (req: Req) => {
    const level = parseLevel(req.body);
    registry.setCompatibility(level);
    return { compatibility: level };
  });
  app.get('/config/:subject', async (req: Req) => {
    const subject = req.params['subject']!;
    const own = registry.getSubjectCompatibility ? registry.getSubjectCompatibility(subject) : registry.getCompatibility(subject);
    if (own !== undefined) return { compatibilityLevel: own };
    if (req.query['defaultToGlobal'] === 'true') return { compatibilityLevel: registry.getCompatibility() };
    fail(`Subject '${subject}' does not have subject-level compatibility configured`, 40408);
  });
  app.put('/config/:subject', async (req: Req) => {
    const level = parseLevel(req.body);
    registry.setCompatibility(level, req.params['subject']!);
    return { compatibility: level };
  });
  app.delete('/config/:subject', async (req: Req) => {
    const subject = req.params['subject']!;
    const had = needs(registry, 'deleteCompatibility')(subject);
    if (had === undefined) fail(`Subject '${subject}' does not have subject-level compatibility configured`, 40408);
    return { compatibilityLevel: had };
  });

  const compatibility = async (req: Req) => {
    const subject = req.params['subject']!;
    const input = parseSchemaBody(req.body, registry);
    let version: number | 'latest' = 'latest';
    if (req.params['version'] !== undefined) {
      const n = parseVersion(req.params['version']);
      // a named version must exist; "latest" of an empty subject is compatible, as Confluent's
      if (n !== -1 || registry.listSubjects().includes(subject)) version = registry.getVersion(subject, n).version;
    }
    const result = registry.testCompatibility(subject, input, version);
    return req.query['verbose'] === 'true' ? { is_compatible: result.compatible, messages: result.messages } : { is_compatible: result.compatible };
  };
  app.post('/compatibility/subjects/:subject/versions/:version', compatibility);
  // no version: against every version the subject's level checks (Confluent 7+)
  app.post('/compatibility/subjects/:subject/versions', compatibility);

  return app;
}

/** Starts the registry's REST API; `close()` stops it. */
export async function startSchemaRegistryServer(opts: SchemaRegistryServerOptions): Promise<RunningSchemaRegistryServer> {
  const app = buildSchemaRegistryApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 8081 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8081);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, port, close: () => app.close() };
}
