/**
 * SchemaRegistryClient over an external Confluent-compatible registry's REST API (Confluent
 * Schema Registry, Redpanda, Apicurio's ccompat API, another Sluice). Calls are synchronous, as
 * the contract wants, through SyncHttp (a worker thread and Atomics.wait); what never changes is
 * cached — schemas by id and numbered subject versions — so records are decoded without a
 * round trip after the first one per schema id. The registry must not be served by the calling
 * thread's own event loop (it could not answer while the caller waits).
 *
 * Credentials in the URL (`http://user:secret@host:8081`) are sent as HTTP basic auth.
 */
import { SyncHttp } from './sync-http.js';
import {
  type CompatibilityLevel,
  type RegisteredSchema,
  type SchemaInput,
  type SchemaReference,
  SchemaRegistryError,
  type SchemaRegistryClient,
  type SchemaType,
  type SubjectVersion,
} from './types.js';

export interface RemoteSchemaRegistryOptions {
  /** per request (default 30 s) */
  timeoutMs?: number;
}

interface SchemaJson {
  id?: number;
  subject?: string;
  version?: number;
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

const enc = encodeURIComponent;

export class RemoteSchemaRegistryClient implements SchemaRegistryClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly http = new SyncHttp();
  private readonly timeoutMs: number;
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly versions = new Map<string, SubjectVersion>();

  constructor(url: string, opts: RemoteSchemaRegistryOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`Invalid schema registry URL: ${url}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`Invalid schema registry URL (http or https expected): ${url}`);
    this.headers = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (parsed.username || parsed.password) {
      this.headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.url = parsed.toString().replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Stops the HTTP worker thread. */
  async close(): Promise<void> {
    await this.http.close();
  }

  /** The answer's JSON; registry errors as SchemaRegistryError with the registry's code. */
  private call(method: string, path: string, body?: unknown): unknown {
    const headers = body === undefined ? { ...this.headers } : { ...this.headers, 'content-type': 'application/vnd.schemaregistry.v1+json' };
    const res = this.http.request({ method, url: this.url + path, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: this.timeoutMs });
    if (res.error !== undefined) throw new SchemaRegistryError(`Schema registry ${this.url} unreachable: ${res.error}`, 50002);
    let json: unknown;
    try {
      json = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      throw new SchemaRegistryError(`Schema registry ${this.url} answered ${method} ${path} with HTTP ${res.status} and a body that is not JSON`, 50001);
    }
    if (res.status >= 200 && res.status < 300) return json;
    const err = json as { error_code?: number; message?: string } | undefined;
    throw new SchemaRegistryError(err?.message ?? `HTTP ${res.status}`, typeof err?.error_code === 'number' ? err.error_code : res.status);
  }

  private static schemaOf(j: SchemaJson, id: number): RegisteredSchema {
    return { id, schemaType: j.schemaType ?? 'AVRO', schema: j.schema, references: j.references ?? [] };
  }

  register(subject: string, input: SchemaInput): number {
    const body: Record<string, unknown> = { schema: input.schema, schemaType: input.schemaType ?? 'AVRO' };
    if (input.references && input.references.length > 0) body['references'] = input.references;
    if (input.id !== undefined) body['id'] = input.id;
    const { id } = this.call('POST', `/subjects/${enc(subject)}/versions`, body) as { id: number };
    return id;
  }

  getById(id: number): RegisteredSchema {
    let s = this.byId.get(id);
    if (!s) {
      s = RemoteSchemaRegistryClient.schemaOf(this.call('GET', `/schemas/ids/${id}`) as SchemaJson, id);
      this.byId.set(id, s);
    }
    return { ...s, references: [...s.references] };
  }

  getLatest(subject: string): SubjectVersion | undefined {
    try {
      return this.getVersion(subject, -1);
    } catch (e) {
      if (e instanceof SchemaRegistryError && (e.errorCode === 40401 || e.errorCode === 40402)) return undefined;
      throw e;
    }
  }

  getVersion(subject: string, version: number): SubjectVersion {
    const key = `${version}\u0000${subject}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const j = this.call('GET', `/subjects/${enc(subject)}/versions/${version === -1 ? 'latest' : version}`) as SchemaJson;
    const v: SubjectVersion = { subject, version: j.version ?? version, ...RemoteSchemaRegistryClient.schemaOf(j, j.id!) };
    // "latest" moves; a numbered version does not
    if (version !== -1) this.versions.set(key, v);
    this.byId.set(v.id, RemoteSchemaRegistryClient.schemaOf(j, v.id));
    return v;
  }

  listSubjects(): string[] {
    return this.call('GET', '/subjects') as string[];
  }

  listVersions(subject: string): number[] {
    return this.call('GET', `/subjects/${enc(subject)}/versions`) as number[];
  }

  deleteSubject(subject: string): number[] {
    const removed = this.call('DELETE', `/subjects/${enc(subject)}`) as number[];
    for (const v of removed) this.versions.delete(`${v}\u0000${subject}`);
    return removed;
  }

  deleteVersion(subject: string, version: number): number {
    const removed = this.call('DELETE', `/subjects/${enc(subject)}/versions/${version === -1 ? 'latest' : version}`) as number;
    this.versions.delete(`${removed}\u0000${subject}`);
    return removed;
  }

  getCompatibility(subject?: string): CompatibilityLevel {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}?defaultToGlobal=true`;
    return (this.call('GET', path) as { compatibilityLevel: CompatibilityLevel }).compatibilityLevel;
  }

  getSubjectCompatibility(subject: string): CompatibilityLevel | undefined {
    try {
      return (this.call('GET', `/config/${enc(subject)}`) as { compatibilityLevel: CompatibilityLevel }).compatibilityLevel;
    } catch (e) {
      if (e instanceof SchemaRegistryError && e.errorCode === 40408) return undefined;
      throw e;
    }
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    this.call('PUT', subject === undefined ? '/config' : `/config/${enc(subject)}`, { compatibility: level });
  }

  deleteCompatibility(subject: string): CompatibilityLevel | undefined {
    try {
      return (this.call('DELETE', `/config/${enc(subject)}`) as { compatibilityLevel?: CompatibilityLevel }).compatibilityLevel;
    } catch (e) {
      if (e instanceof SchemaRegistryError && e.errorCode === 40408) return undefined;
      throw e;
    }
  }

  testCompatibility(subject: string, schema: SchemaInput, version: number | 'latest' = 'latest'): { compatible: boolean; messages: string[] } {
    const body: Record<string, unknown> = { schema: schema.schema, schemaType: schema.schemaType ?? 'AVRO' };
    if (schema.references && schema.references.length > 0) body['references'] = schema.references;
    // without a version: every version the subject's level names, as the local registries do
    const path = version === 'latest' ? `/compatibility/subjects/${enc(subject)}/versions?verbose=true` : `/compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`;
    const r = this.call('POST', path, body) as { is_compatible: boolean; messages?: string[] };
    return { compatible: r.is_compatible, messages: r.messages ?? [] };
  }

  resolveReferences(references: readonly SchemaReference[]): Map<string, string> {
    const out = new Map<string, string>();
    const visit = (refs: readonly SchemaReference[], depth: number): void => {
      if (depth > 32) throw new SchemaRegistryError('Schema references are nested too deeply (a cycle?)', 42201);
      for (const r of refs) {
        if (out.has(r.name)) continue;
        const target = this.getVersion(r.subject, r.version);
        out.set(r.name, target.schema);
        visit(target.references, depth + 1);
      }
    };
    visit(references, 0);
    return out;
  }
}
