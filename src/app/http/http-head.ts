/**
 * One complete HTTP/1.x message head (start line, header fields, the empty line), already cut
 * out of the stream by the direction parser, parsed into strings (ISO-8859-1, as RFC 9110 §5.5
 * allows for field values). Anything that breaks RFC 9112's syntax is listed in `issues` (each
 * becomes an `http_malformed` finding); the parse goes on where the framing can still be told,
 * as common servers do: a bare CR is read as SP (RFC 9112 §2.2), an obsolete line fold as SP
 * (§5.2), a line without a colon is left out. Only a start line that fits neither form is fatal.
 *
 * Also: the body framing the header fields ask for (RFC 9112 §6), for the direction parser.
 */

export interface ParsedHead {
  // (one shape for every head: built by startLine, fields filled by parseFields)
  kind: 'request' | 'response';
  method: string;
  target: string;
  /** `HTTP/1.1` etc. */
  version: string;
  status: number;
  reason: string;
  /** Every field line, in order (names as sent). */
  fields: [string, string][];
  /** RFC violations found (reason codes for `http_malformed`). */
  issues: string[];
}

/** What a head's fields say about the body (see `bodyFraming`). */
export interface Framing {
  /** `length`: `contentLength` bytes; `chunked`; `close`: until the stream ends (responses only); `none`. */
  kind: 'length' | 'chunked' | 'close' | 'none';
  contentLength: number | null;
  /** The Transfer-Encoding codings, lower case, or null without the field. */
  transferEncoding: string[] | null;
  /** Framing cannot be told (conflicting or invalid lengths, a request TE not ending in chunked): resync. */
  fatal: string | null;
  issues: string[];
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d)\.(\d)$/;
const REQUEST_LAX = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+(\S+)[ \t]+HTTP\/(\d)\.(\d)[ \t]*$/;
const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;
const STATUS_LAX = /^HTTP\/(\d)\.(\d)[ \t]+(\d{3})(?:[ \t]+(.*))?[ \t]*$/;
/** Digits of a Content-Length past which the value could exceed 2^53 (not a safe integer). */
const MAX_LENGTH_DIGITS = 15;

/** ISO-8859-1 text of `b[from, to)` (every byte one character). */
export function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
}

/**
 * Splits head text into lines (LF, with an optional CR before it), noting bare CRs, NULs, and
 * bare LFs in a head that otherwise ends its lines with CRLF (the shape of a header injection;
 * a head with LF line ends throughout is accepted, RFC 9112 §2.2).
 */
function splitLines(text: string, issues: string[]): string[] {
  const lines: string[] = [];
  let start = 0;
  let bareLf = 0;
  let crlf = 0;
  for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', start)) {
    const cr = j > start && text.charCodeAt(j - 1) === 0x0d;
    if (cr) crlf++;
    else bareLf++;
    lines.push(text.slice(start, cr ? j - 1 : j));
    start = j + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  if (bareLf > 0 && crlf > 0) issues.push('bare-lf');
  if (lines.some((l) => l.includes('\r'))) {
    issues.push('bare-cr');
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(/\r/g, ' ');
  }
  if (lines.some((l) => l.includes('\0'))) issues.push('nul-in-head');
  return lines;
}

/** The start line into a new head (fields still empty), or null (fatal). One object shape for every head. */
function startLine(line: string, issues: string[]): ParsedHead | null {
  const response = line.startsWith('HTTP/');
  let m = response ? STATUS_LINE.exec(line) : REQUEST_LINE.exec(line);
  if (m === null) {
    m = response ? STATUS_LAX.exec(line) : REQUEST_LAX.exec(line);
    if (m === null) return null;
    issues.push('start-line-whitespace');
  }
  if (response) {
    return { kind: 'response', method: '', target: '', version: `HTTP/${m[1]}.${m[2]}`, status: Number(m[3]), reason: m[4] ?? '', fields: [], issues };
  }
  return { kind: 'request', method: m[1]!, target: m[2]!, version: `HTTP/${m[3]}.${m[4]}`, status: 0, reason: '', fields: [], issues };
}

/** Field lines (`name: value`), `lines` without the start line and the final empty line. */
export function parseFields(lines: readonly string[], issues: string[]): [string, string][] {
  const fields: [string, string][] = [];
  for (const line of lines) {
    if (line === '') continue;
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      // obs-fold (RFC 9112 §5.2): continues the previous value, read as one SP.
      issues.push('obs-fold');
      const last = fields[fields.length - 1];
      if (last !== undefined) last[1] = `${last[1]} ${trimOws(line)}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) {
      issues.push('header-without-colon');
      continue;
    }
    let name = line.slice(0, colon);
    if (/[ \t]$/.test(name)) {
      // RFC 9112 §5.1: MUST be rejected (a request smuggling vector).
      issues.push('space-before-colon');
      name = name.replace(/[ \t]+$/, '');
    }
    if (!TOKEN.test(name)) issues.push('bad-header-name');
    fields.push([name, trimOws(line.slice(colon + 1))]);
  }
  return fields;
}

/** `s` without leading and trailing SP / HTAB (RFC 9110 §5.6.3 OWS). */
function trimOws(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  while (j > i && (s.charCodeAt(j - 1) === 0x20 || s.charCodeAt(j - 1) === 0x09)) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

/** Parses a complete head `b[from, to)`; null when the start line fits neither form (issues say why). */
export function parseHead(b: Uint8Array, from: number, to: number, issues: string[]): ParsedHead | null {
  const lines = splitLines(latin1(b, from, to), issues);
  const head = startLine(lines[0] ?? '', issues);
  if (head === null) {
    issues.push('bad-start-line');
    return null;
  }
  lines[0] = '';
  head.fields = parseFields(lines, issues);
  return head;
}

/** Values of field `name` (lower case; matched case-insensitively), in order. */
export function fieldValues(fields: readonly [string, string][], name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of fields) if (n.length === name.length && (n === name || n.toLowerCase() === name)) out.push(v);
  return out;
}

/** Comma-separated list elements of field values, trimmed, empty ones dropped (RFC 9110 §5.6.1). */
function listElements(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const x of v.split(',')) {
      const t = trimOws(x);
      if (t !== '') out.push(t);
    }
  }
  return out;
}

/**
 * Body framing from the header fields, RFC 9112 §6.1-6.3, for a request, or for a response to
 * be framed by its fields (the caller handles HEAD, 1xx, 204, 304 and CONNECT first).
 */
export function bodyFraming(head: ParsedHead): Framing {
  const issues: string[] = [];
  let teFields: string[] | null = null;
  let clFields: string[] | null = null;
  for (const [n, v] of head.fields) {
    if (n.length === 17 && n.toLowerCase() === 'transfer-encoding') (teFields ??= []).push(v);
    else if (n.length === 14 && n.toLowerCase() === 'content-length') (clFields ??= []).push(v);
  }
  const te = teFields === null ? null : listElements(teFields).map((c) => c.toLowerCase());
  const clValues = clFields === null ? [] : listElements(clFields);
  let contentLength: number | null = null;
  let fatal: string | null = null;
  if (clValues.length > 0) {
    if (clValues.some((v) => !/^\d+$/.test(v))) fatal = 'bad-content-length';
    else if (clValues.some((v) => v !== clValues[0])) fatal = 'conflicting-content-length';
    else if (clValues[0]!.replace(/^0+(?=\d)/, '').length > MAX_LENGTH_DIGITS) fatal = 'content-length-too-large';
    else contentLength = Number(clValues[0]);
  }
  if (te !== null) {
    if (clValues.length > 0) issues.push('te-and-cl'); // RFC 9112 §6.3: TE wins; a smuggling sign
    if (head.version === 'HTTP/1.0') issues.push('te-in-http10');
    const chunkedAt = te.indexOf('chunked');
    if (chunkedAt >= 0 && chunkedAt !== te.length - 1) issues.push('chunked-not-last');
    if (te[te.length - 1] === 'chunked') return { kind: 'chunked', contentLength, transferEncoding: te, fatal: null, issues };
    if (head.kind === 'request') return { kind: 'none', contentLength, transferEncoding: te, fatal: 'bad-transfer-encoding', issues };
    return { kind: 'close', contentLength, transferEncoding: te, fatal: null, issues };
  }
  if (fatal !== null) return { kind: 'none', contentLength: null, transferEncoding: null, fatal, issues };
  if (contentLength !== null) return { kind: contentLength > 0 ? 'length' : 'none', contentLength, transferEncoding: null, fatal: null, issues };
  return { kind: head.kind === 'request' ? 'none' : 'close', contentLength: null, transferEncoding: null, fatal: null, issues };
}
