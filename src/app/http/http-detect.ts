/**
 * Does a byte sequence begin an HTTP/1.x message? By the shape of the start line (RFC 9112 §3,
 * §4), never by port:
 * - status line: `HTTP/1.<d> <3 digits>` then SP or a line end;
 * - request line: a method of the IANA registry (and WebDAV's) in upper case, SP, and a target
 *   that begins `/` or `*`; any other method or target form (absolute, authority) only when the
 *   whole line is `TOKEN SP target SP HTTP/1.<d>` (so RTSP's and SIP's `OPTIONS rtsp://…` are not HTTP).
 *   The HTTP/2 connection preface (`PRI * HTTP/2.0`) counts as a request line (its parser
 *   stops there and says so).
 *
 * Used by the framework's detector (first bytes of a direction) and by the parser's resync (a
 * line start after a gap). Pure, allocation-free.
 */
export type StartLineShape = 'request' | 'response' | 'no' | 'need-more';

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

/** Methods recognised from their first bytes (RFC 9110 §9, RFC 5789, RFC 4918 and companions). */
const METHODS: readonly string[] = [
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT',
  'MKCALENDAR', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'MERGE', 'CHECKOUT', 'CHECKIN', 'UPDATE',
  'LABEL', 'VERSION-CONTROL', 'MKWORKSPACE', 'MKACTIVITY', 'BASELINE-CONTROL', 'ORDERPATCH',
  'PRI', 'QUERY', 'LINK', 'UNLINK',
];
const METHOD_CODES: readonly Uint8Array[] = METHODS.map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));
const LONGEST_METHOD = 20;
const HTTP1 = Uint8Array.from('HTTP/1.', (c) => c.charCodeAt(0));

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isUpperToken(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f; // A-Z - _
}

/** First byte of a request target: origin-form `/`, asterisk `*`, or absolute/authority form (letter, digit, `[`). */
function isTargetStart(c: number): boolean {
  return c === 0x2f || c === 0x2a || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x5b;
}

/** `HTTP/1.d NNN` then SP / CR / LF. */
function statusShape(b: Uint8Array): StartLineShape {
  const n = b.length;
  for (let i = 0; i < HTTP1.length; i++) {
    if (i >= n) return 'need-more';
    if (b[i] !== HTTP1[i]) return 'no';
  }
  const rest = [isDigit, (c: number) => c === SP, isDigit, isDigit, isDigit, (c: number) => c === SP || c === CR || c === LF];
  for (let k = 0; k < rest.length; k++) {
    const i = HTTP1.length + k;
    if (i >= n) return 'need-more';
    if (!rest[k]!(b[i]!)) return 'no';
  }
  return 'response';
}

/** Known method + SP + target start; else a full `TOKEN SP target SP HTTP/1.d` line within `b`. */
function requestShape(b: Uint8Array): StartLineShape {
  const n = b.length;
  let i = 0;
  while (i < n && i <= LONGEST_METHOD && isUpperToken(b[i]!)) i++;
  if (i === n) return i > LONGEST_METHOD ? 'no' : 'need-more';
  if (i === 0 || i > LONGEST_METHOD || b[i] !== SP) return 'no';
  if (i + 1 >= n) return 'need-more';
  const t = b[i + 1]!;
  if (!isTargetStart(t)) return 'no';
  // A registered method with an origin-form or asterisk target; anything else (an unregistered
  // method, an absolute or authority target, as RTSP and SIP use too) only with the whole line
  // in view, ending in an HTTP/1 version.
  if ((t === 0x2f || t === 0x2a) && isKnownMethod(b, i)) return 'request';
  for (let j = i + 1; j < n; j++) {
    const c = b[j]!;
    if (c !== LF) continue;
    const end = j > 0 && b[j - 1] === CR ? j - 1 : j;
    return lineEndsWithVersion(b, i + 1, end) ? 'request' : 'no';
  }
  return 'need-more';
}

function isKnownMethod(b: Uint8Array, len: number): boolean {
  outer: for (const m of METHOD_CODES) {
    if (m.length !== len) continue;
    for (let k = 0; k < len; k++) if (b[k] !== m[k]) continue outer;
    return true;
  }
  return false;
}

/** `target SP HTTP/1.d` in b[from, end). */
function lineEndsWithVersion(b: Uint8Array, from: number, end: number): boolean {
  const v = end - 9; // " HTTP/1.d"
  if (v <= from || b[v] !== SP || !isDigit(b[end - 1]!)) return false;
  for (let k = 0; k < HTTP1.length; k++) if (b[v + 1 + k] !== HTTP1[k]) return false;
  for (let j = from; j < v; j++) if (b[j] === SP || b[j]! < 0x21) return false;
  return true;
}

/**
 * The start-line shape of `b` (bytes from a message's first byte). `want` restricts the answer
 * to one kind (a direction whose role is known); the other kind answers `no`.
 */
export function startLineShape(b: Uint8Array, want: 'request' | 'response' | 'any' = 'any'): StartLineShape {
  if (want !== 'request') {
    const s = statusShape(b);
    if (s !== 'no' || want === 'response') return s;
  }
  return requestShape(b);
}
