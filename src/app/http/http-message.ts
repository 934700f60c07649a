/**
 * One HTTP/1.x message as the parser records it while it passes (mutable until it ends), and
 * its JSON form in the flow report's `app.http.messages[]`. The body is never kept: its length
 * and SHA-256 (node:crypto, streamed) are. Owned by the flow's `HttpParser`.
 */
import { createHash, hash, type Hash } from 'node:crypto';
import { DIR_NAME, type Direction } from '../../core/direction.js';
import type { HttpLimits } from '../../core/limits.js';
import type { ParsedHead } from './http-head.js';

/** Bodies up to this many bytes are hashed in one call at their end. */
const SMALL_BODY = 1024;
const EMPTY = new Uint8Array(0);

/** How a message's body was delimited (RFC 9112 §6.3), or why it has none. */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close' | 'tunnel';

export class HttpMessage {
  readonly kind: 'request' | 'response';
  readonly method: string;
  readonly uri: string;
  readonly uriTruncated: boolean;
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** Header fields listed (the first `maxHeadersListed`, values cut at `maxValueChars`). */
  readonly headers: [string, string][];
  readonly headerCount: number;
  readonly headBytes: number;
  readonly host: string | null;
  readonly contentType: string | null;
  readonly contentEncoding: string | null;
  readonly contentLength: number | null;
  transferEncoding: string | null = null;
  framing: BodyFraming = 'none';
  chunks = 0;
  chunkExtensions = 0;
  trailers: [string, string][] = [];
  bodyLength = 0;
  /** Body bytes the capture did not have (gaps inside the body). */
  bodyMissing = 0;
  private hash: Hash | null = null;
  /** The first bytes of a body, hashed in one call at the end when the body stays this small (a Hash object costs more than a short body). */
  private small: Uint8Array | null = null;
  private smallLen = 0;
  bodySha256: string | null = null;
  lastFrame: number;
  lastTs: number;
  /** The message ended as its framing says (false: cut by a gap, the stream end, or malformed framing). */
  complete = false;
  /** How the message ended when not complete: `gap`, `stream-end`, `malformed`. */
  cut: string | null = null;
  /** RFC violations (`http_malformed` reasons). */
  readonly issues: string[] = [];
  /** Paired message (request ↔ response): its index, -1 none / not listed. */
  pair: number = -1;
  /** The paired request's method and target, for a response ('' unknown). */
  requestMethod = '';
  requestUri = '';
  /** Interim response (1xx other than 101). */
  readonly interim: boolean;
  /** The request asked to switch protocols (Upgrade) or tunnel (CONNECT): hold the client's next bytes. */
  readonly wantsSwitch: boolean;
  /** TCP findings of the flow that fell within the message (frames firstFrame..lastFrame), by code. */
  tcpFindings: Record<string, number> | null = null;

  constructor(
    /** Position in the flow's listed messages, -1 when past `maxMessages`. */
    readonly index: number,
    readonly dir: Direction,
    head: ParsedHead,
    headBytes: number,
    readonly firstFrame: number,
    readonly firstTs: number,
    limits: Readonly<HttpLimits>,
  ) {
    const max = limits.maxValueChars;
    this.kind = head.kind;
    this.method = head.method;
    this.uriTruncated = head.target.length > max;
    this.uri = cut(head.target, max);
    this.version = head.version;
    this.status = head.status;
    this.reason = cut(head.reason, max);
    this.headerCount = head.fields.length;
    this.headBytes = headBytes;
    // One pass over the fields for the ones reported apart.
    const listed: [string, string][] = [];
    let host: string | null = null;
    let type: string | null = null;
    let encoding: string | null = null;
    let length: string | null = null;
    let upgrade = false;
    for (const [n, v] of head.fields) {
      if (listed.length < limits.maxHeadersListed) listed.push([cut(n, max), cut(v, max)]);
      switch (n.length === 4 || n.length === 7 || n.length === 12 || n.length === 14 || n.length === 16 ? n.toLowerCase() : '') {
        case 'host':
          host = join(host, v);
          break;
        case 'content-type':
          type = join(type, v);
          break;
        case 'content-encoding':
          encoding = join(encoding, v);
          break;
        case 'content-length':
          length ??= v.trim();
          break;
        case 'upgrade':
          upgrade = true;
          break;
        default:
      }
    }
    this.headers = listed;
    this.host = host === null ? null : cut(host, max);
    this.contentType = type === null ? null : cut(type, max);
    this.contentEncoding = encoding === null ? null : cut(encoding, max);
    this.contentLength = length !== null && /^\d{1,15}$/.test(length) ? Number(length) : null;
    // 101 ends the exchange (and HTTP on the connection): not interim.
    this.interim = head.kind === 'response' && head.status >= 100 && head.status < 200 && head.status !== 101;
    this.wantsSwitch = head.kind === 'request' && (head.method === 'CONNECT' || upgrade);
    this.lastFrame = firstFrame;
    this.lastTs = firstTs;
  }

  /** Body bytes (transfer-decoded) `buf[off, off+len)`. */
  body(buf: Uint8Array, off: number, len: number): void {
    this.bodyLength += len;
    if (this.bodyMissing > 0) return;
    if (this.hash === null && this.smallLen + len <= SMALL_BODY) {
      (this.small ??= new Uint8Array(SMALL_BODY)).set(buf.subarray(off, off + len), this.smallLen);
      this.smallLen += len;
      return;
    }
    if (this.hash === null) {
      this.hash = createHash('sha256');
      if (this.smallLen > 0) this.hash.update(this.small!.subarray(0, this.smallLen));
      this.small = null;
    }
    this.hash.update(buf.subarray(off, off + len));
  }

  /** `len` body bytes missing: the hash can no longer be the body's. */
  bodyGap(len: number): void {
    this.bodyMissing += len;
    this.hash = null;
    this.small = null;
  }

  /** The message ended (`complete` or cut, `why`) with the byte of frame `frame` at `ts`. */
  end(complete: boolean, frame: number, ts: number, why: string | null = null): void {
    this.complete = complete;
    this.cut = complete ? null : why;
    this.lastFrame = frame;
    this.lastTs = ts;
    if (this.bodyMissing === 0 && (this.framing !== 'none' || this.bodyLength > 0)) {
      this.bodySha256 = this.hash !== null ? this.hash.digest('hex') : hash('sha256', this.small === null ? EMPTY : this.small.subarray(0, this.smallLen), 'hex');
    }
    this.hash = null;
    this.small = null;
  }
}

/** `s` cut at `max` characters (marked with …). */
function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function join(a: string | null, b: string): string {
  return a === null ? b : `${a}, ${b}`;
}

function ms(a: number, b: number): number {
  return Math.round((a - b) * 1e6) / 1e3;
}

/** The report form of `m` (`paired`: the message it is paired with, when listed). */
export function messageJson(m: HttpMessage, paired: HttpMessage | null): Record<string, unknown> {
  const j: Record<string, unknown> = { index: m.index, kind: m.kind, dir: DIR_NAME[m.dir] };
  if (m.kind === 'request') {
    j['method'] = m.method;
    j['uri'] = m.uri;
    if (m.uriTruncated) j['uriTruncated'] = true;
  } else {
    j['status'] = m.status;
    j['reason'] = m.reason;
  }
  j['version'] = m.version;
  j['firstFrame'] = m.firstFrame;
  j['firstTs'] = m.firstTs;
  j['lastFrame'] = m.lastFrame;
  j['lastTs'] = m.lastTs;
  j['headBytes'] = m.headBytes;
  j['headers'] = m.headers;
  if (m.headerCount > m.headers.length) j['headerCount'] = m.headerCount;
  if (m.host !== null) j['host'] = m.host;
  j['contentLength'] = m.contentLength;
  j['transferEncoding'] = m.transferEncoding;
  j['contentEncoding'] = m.contentEncoding;
  j['contentType'] = m.contentType;
  j['framing'] = m.framing;
  if (m.framing === 'chunked') {
    j['chunks'] = m.chunks;
    if (m.chunkExtensions > 0) j['chunkExtensions'] = m.chunkExtensions;
    if (m.trailers.length > 0) j['trailers'] = m.trailers;
  }
  j['bodyLength'] = m.bodyLength;
  j['bodySha256'] = m.bodySha256;
  if (m.bodyMissing > 0) j['bodyMissingBytes'] = m.bodyMissing;
  j['complete'] = m.complete;
  if (m.cut !== null) j['cut'] = m.cut;
  if (m.interim) j['interim'] = true;
  if (m.issues.length > 0) j['issues'] = m.issues;
  if (m.kind === 'request') {
    j['response'] = m.pair >= 0 ? m.pair : null;
    j['durationMs'] = ms(m.lastTs, m.firstTs);
  } else {
    j['request'] = m.pair >= 0 ? m.pair : null;
    // Waiting: the request's last byte to the response's first (server time + one RTT at the capture point).
    j['ttfbMs'] = paired !== null && paired.complete ? ms(m.firstTs, paired.lastTs) : null;
    j['transferMs'] = ms(m.lastTs, m.firstTs);
    j['totalMs'] = paired !== null ? ms(m.lastTs, paired.firstTs) : null;
  }
  if (m.tcpFindings !== null) j['tcpFindings'] = m.tcpFindings;
  return j;
}
