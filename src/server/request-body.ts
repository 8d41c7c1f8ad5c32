/**
 * Request bodies arrive as text whatever their Content-Type (ksqlDB ignores it: clients send
 * application/json, application/vnd.ksql.v1+json or nothing); each route parses its own JSON so
 * malformed input always gets ksqlDB's 400/40000 "Invalid JSON in request".
 */
import { parse as parseLossless, isSafeNumber } from 'lossless-json';
import { badRequest } from './errors.js';

/** JSON.parse, but integers beyond 2^53 survive as bigint (BIGINT columns over /inserts-stream). */
export function parseJsonText(text: string): unknown {
  return parseLossless(text, undefined, (value: string) => {
    if (/^-?\d+$/.test(value) && !isSafeNumber(value)) return BigInt(value);
    return Number(value);
  });
}

export function parseJsonObject(body: unknown): Record<string, unknown> {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : body === undefined || body === null ? '' : JSON.stringify(body);
  if (!text.trim()) throw badRequest('Invalid JSON in request: No content to map due to end-of-input');
  let v: unknown;
  try {
    v = parseJsonText(text);
  } catch (err) {
    throw badRequest(`Invalid JSON in request: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest('Invalid JSON in request: expected a JSON object');
  return v as Record<string, unknown>;
}

export function optionalObject(v: unknown, field: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`Invalid JSON in request: "${field}" must be an object`);
  return v as Record<string, unknown>;
}
