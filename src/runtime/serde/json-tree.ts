/**
 * Parsing JSON into a tree that keeps every number's literal text, as Jackson's JsonNode tree
 * does for ksqlDB (USE_BIG_DECIMAL_FOR_FLOATS + exact big decimals): BIGINT beyond 2^53,
 * DECIMAL digits and the int/float distinction all survive. Most records hold only short
 * integers, so JSON.parse handles those and lossless-json only texts that need it.
 */
import { parse as losslessParse } from 'lossless-json';

/** A JSON number literal, kept as text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** Jackson reads literals without a fraction or exponent as integer nodes. */
  get isIntegral(): boolean {
    return !/[.eE]/.test(this.text);
  }
}

export type JsonTree = null | boolean | string | number | JsonNumber | JsonTree[] | { [key: string]: JsonTree };

// A number JSON.parse could misread: a fraction or exponent, or 16+ digits. Matching inside a
// string literal only costs the slower parse, never correctness.
const NEEDS_LOSSLESS = /[0-9][.eE]|[0-9]{16}/;

const parseNumber = (text: string): JsonNumber => new JsonNumber(text);
// Jackson keeps the last of duplicate keys; lossless-json would throw by default.
const lastWins = (info: { newValue: unknown }): unknown => info.newValue;

/**
 * Parse JSON text. Numbers come back as `number` (fast path: integral and exact) or JsonNumber.
 * Throws SyntaxError on malformed text.
 */
export function parseJsonTree(text: string): JsonTree {
  if (!NEEDS_LOSSLESS.test(text)) return JSON.parse(text) as JsonTree;
  return losslessParse(text, null, { parseNumber, onDuplicateKey: lastWins }) as JsonTree;
}

/** The literal text of a number node from either parse path. */
export function numberText(n: number | JsonNumber): string {
  return typeof n === 'number' ? (Object.is(n, -0) ? '0' : String(n)) : n.text;
}

export function isNumberNode(v: unknown): v is number | JsonNumber {
  return typeof v === 'number' || v instanceof JsonNumber;
}

export function isObjectNode(v: unknown): v is { [key: string]: JsonTree } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}
