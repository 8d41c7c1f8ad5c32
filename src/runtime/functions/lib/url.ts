/**
 * URL functions: URL_ENCODE_PARAM, URL_DECODE_PARAM and URL_EXTRACT_* (RFC 3986 parsing as java.net.URI does).
 */
import type { Registry } from '../registry.js';

const CAT = 'URL';

interface UrlParts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

const URI_RE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Characters java.net.URI rejects anywhere, and '%' not followed by two hex digits. */
const ILLEGAL = /[\s"<>\\^`{|}]|%(?![0-9a-fA-F]{2})/;

function parseUrl(s: string): UrlParts {
  const m = ILLEGAL.test(s) ? null : URI_RE.exec(s);
  if (!m) throw new Error(`URL input has invalid syntax: ${s}`);
  const p: UrlParts = { path: m[3] ?? '' };
  if (m[1] !== undefined) p.scheme = m[1];
  if (m[2] !== undefined) p.authority = m[2];
  if (m[4] !== undefined) p.query = m[4];
  if (m[5] !== undefined) p.fragment = m[5];
  return p;
}

function hostPort(authority: string | undefined): { host: string | null; port: number | null } {
  if (authority === undefined) return { host: null, port: null };
  const at = authority.lastIndexOf('@');
  const hp = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hp);
  if (!m) return { host: null, port: null };
  return { host: m[1] === '' ? null : m[1]!, port: m[2] ? Number(m[2]) : null };
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** java.net.URLEncoder (UTF-8): space as '+', only [A-Za-z0-9.*_-] left as is. */
export function formEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.*_-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder (UTF-8): '+' as space, %XX byte escapes. */
export function formDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') bytes.push(0x20);
    else if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern: ${h}`);
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function registerUrl(reg: Registry): void {
  const one = (name: string, description: string, f: (p: UrlParts) => unknown, ret = 'STRING'): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description,
      overloads: [{ sig: `STRING -> ${ret}`, params: ['url'], impl: (s: string | null) => (s === null ? null : f(parseUrl(s))) }],
    });
  reg.registerScalar({
    name: 'url_encode_param',
    category: CAT,
    description: 'Escapes a value for use as a URL query parameter (application/x-www-form-urlencoded).',
    overloads: [{ sig: 'STRING -> STRING', impl: (s: string | null) => (s === null ? null : formEncode(s)) }],
  });
  reg.registerScalar({
    name: 'url_decode_param',
    category: CAT,
    description: 'Unescapes a URL query parameter value (application/x-www-form-urlencoded).',
    overloads: [{ sig: 'STRING -> STRING', impl: (s: string | null) => (s === null ? null : formDecode(s)) }],
  });
  one('url_extract_fragment', 'Returns the fragment of a URL, null when absent.', (p) => (p.fragment === undefined ? null : decodeComponent(p.fragment)));
  one('url_extract_host', 'Returns the host of a URL, null when absent.', (p) => hostPort(p.authority).host);
  one('url_extract_port', 'Returns the port of a URL, null when absent.', (p) => hostPort(p.authority).port, 'INTEGER');
  one('url_extract_path', 'Returns the path of a URL.', (p) => decodeComponent(p.path));
  one('url_extract_protocol', 'Returns the protocol (scheme) of a URL, null when absent.', (p) => p.scheme ?? null);
  one('url_extract_query', 'Returns the query of a URL, null when absent.', (p) => (p.query === undefined ? null : decodeComponent(p.query)));
  reg.registerScalar({
    name: 'url_extract_parameter',
    category: CAT,
    description: 'Returns the (decoded) value of the first query parameter with the given name; null when absent.',
    overloads: [
      {
        sig: 'STRING, STRING -> STRING',
        params: ['url', 'parameterName'],
        impl: (s: string | null, name: string | null) => {
          if (s === null || name === null) return null;
          const raw = parseUrl(s).query;
          if (raw === undefined) return null;
          // java.net.URI#getQuery: the decoded query; a parameter without '=' has the value ''
          for (const kv of decodeComponent(raw).split('&')) {
            const eq = kv.indexOf('=');
            const k = eq < 0 ? kv : kv.slice(0, eq);
            if (k === name) return eq < 0 ? '' : kv.slice(eq + 1);
          }
          return null;
        },
      },
    ],
  });
}
