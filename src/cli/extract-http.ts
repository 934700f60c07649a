/**
 * `extract --http DIR`: every HTTP message body, transfer-decoded (chunks joined) by the parser
 * and content-decoded here (`Content-Encoding` gzip / x-gzip / deflate / br, undone with
 * node:zlib, in reverse order of application), one file each, plus `index.json`.
 *
 * - Names: `<flow>-<message>-<req|resp>-<slug>.<ext>`: the slug is the request target (for a
 *   response, its request's) reduced to `[A-Za-z0-9._-]` (at most 60 characters, never `.` or
 *   `..`), the extension from the Content-Type. Every path is checked to lie inside DIR.
 * - A body is written while it passes (the transfer-decoded bytes, to `<name>.raw` when it still
 *   has a content coding to undo), so memory stays flat; decoding runs after the capture was read,
 *   one body at a time, its output capped at `maxDecodedBytes` (a compression bomb stops there,
 *   and the index says so).
 * - A body with missing bytes (capture gaps, zeros written in their place) or cut short is kept
 *   as it is, named `.partial`, and not decoded.
 */
import { createReadStream, createWriteStream, mkdirSync, openSync, closeSync, readSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { HttpBodySink } from '../app/http/http-parser.js';
import type { HttpMessage } from '../app/http/http-message.js';

/** One written body, as listed in `index.json`. */
export interface ExtractedBody {
  flow: number;
  message: number;
  kind: 'request' | 'response';
  method: string | null;
  uri: string | null;
  status: number | null;
  contentType: string | null;
  contentEncoding: string | null;
  /** Transfer-decoded body bytes (what bodySha256 in the report covers). */
  bodyLength: number;
  bodySha256: string | null;
  file: string;
  /** Bytes of the file written (after content decoding). */
  fileBytes: number;
  /** Content coding undone; false: the file holds the bytes as sent (see `note`). */
  decoded: boolean;
  note: string | null;
}

const BLOCK = 1 << 18;
const ZEROS = new Uint8Array(1 << 16);
const EXT: Readonly<Record<string, string>> = {
  'text/html': 'html', 'text/plain': 'txt', 'text/css': 'css', 'text/javascript': 'js', 'application/javascript': 'js',
  'application/json': 'json', 'application/xml': 'xml', 'text/xml': 'xml', 'image/png': 'png', 'image/jpeg': 'jpg',
  'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg', 'image/x-icon': 'ico', 'application/pdf': 'pdf',
  'application/zip': 'zip', 'application/octet-stream': 'bin', 'font/woff2': 'woff2', 'font/woff': 'woff',
};

/** `[A-Za-z0-9._-]` only, runs of others as one `_`, at most 60 characters, never starting with a dot. */
export function slug(text: string): string {
  const path = text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split('?')[0] ?? '';
  const s = path.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60).replace(/[._]+$/, '');
  return s === '' ? 'root' : s;
}

function extension(contentType: string | null): string {
  const t = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXT[t] ?? (t.startsWith('text/') ? 'txt' : 'bin');
}

/** Codings to undo, last applied first; null when one is not supported. */
function codings(contentEncoding: string | null): string[] | null {
  if (contentEncoding === null) return [];
  const list = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  return list.every((c) => ['gzip', 'x-gzip', 'deflate', 'br'].includes(c)) ? list.reverse() : null;
}

/** Counts bytes through; fails past `max`. */
class Cap extends Transform {
  bytes = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) cb(new Error(`decoded size cap (${this.max} bytes) reached`));
    else cb(null, chunk);
  }
}

interface Open {
  m: HttpMessage;
  path: string;
  parts: Uint8Array[];
  size: number;
  created: boolean;
  written: number;
}

/** A flow's body sink for the HTTP parser: writes bodies under `dir`, collects the index entries. */
export class HttpBodyWriter implements HttpBodySink {
  private readonly open = new Map<HttpMessage, Open>();
  private seq = 0;

  constructor(
    private readonly flow: number,
    private readonly dir: string,
    private readonly done: (pending: PendingBody) => void,
  ) {}

  begin(m: HttpMessage): void {
    const n = m.index >= 0 ? m.index : 100_000 + this.seq++;
    const what = m.kind === 'request' ? `req-${slug(m.uri)}` : `resp-${m.status}-${slug(m.requestUri)}`;
    const ext = extension(m.contentType);
    const name = `${this.flow}-${String(n).padStart(3, '0')}-${what}${what.toLowerCase().endsWith(`.${ext}`) ? '' : `.${ext}`}`;
    this.open.set(m, { m, path: inside(this.dir, `${name}.part`), parts: [], size: 0, created: false, written: 0 });
  }

  data(m: HttpMessage, buf: Uint8Array, off: number, len: number): void {
    const o = this.open.get(m);
    if (o !== undefined) add(o, buf.slice(off, off + len));
  }

  gap(m: HttpMessage, len: number): void {
    const o = this.open.get(m);
    if (o === undefined) return;
    for (let left = len; left > 0; left -= ZEROS.length) add(o, ZEROS.subarray(0, Math.min(left, ZEROS.length)));
  }

  end(m: HttpMessage): void {
    const o = this.open.get(m);
    if (o === undefined) return;
    this.open.delete(m);
    flush(o);
    if (!o.created) writeFileSync(o.path, new Uint8Array(0));
    this.done({ flow: this.flow, m, tmp: o.path, final: o.path.slice(0, -'.part'.length) });
  }
}

function add(o: Open, b: Uint8Array): void {
  o.parts.push(b);
  o.size += b.length;
  if (o.size >= BLOCK) flush(o);
}

function flush(o: Open): void {
  if (o.parts.length === 0) return;
  const data = Buffer.concat(o.parts);
  if (o.created) appendFileSync(o.path, data);
  else writeFileSync(o.path, data);
  o.created = true;
  o.written += data.length;
  o.parts = [];
  o.size = 0;
}

/** `name` joined to `dir`, refused if it would leave it. */
function inside(dir: string, name: string): string {
  const root = resolve(dir);
  const p = resolve(root, name);
  if (!p.startsWith(root + sep)) throw new Error(`refusing to write outside ${dir}: ${name}`);
  return p;
}

/** A body written raw, to be named (and decoded) once the capture is read. */
export interface PendingBody {
  flow: number;
  m: HttpMessage;
  tmp: string;
  final: string;
}

/** The zlib stream for one coding (deflate: zlib-wrapped per RFC 9110 §8.4.1.2, or raw as some servers send it). */
function decoder(coding: string, firstBytes: Uint8Array): Transform {
  if (coding === 'br') return createBrotliDecompress();
  if (coding === 'deflate') {
    const b0 = firstBytes[0] ?? 0;
    const b1 = firstBytes[1] ?? 0;
    return (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0 ? createInflate() : createInflateRaw();
  }
  return createGunzip();
}

function firstBytes(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(2);
    readSync(fd, b, 0, 2, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** Names, decodes and lists one written body. */
export async function finishBody(p: PendingBody, dir: string, maxDecodedBytes: number): Promise<ExtractedBody> {
  const m = p.m;
  const entry: ExtractedBody = {
    flow: p.flow,
    message: m.index,
    kind: m.kind,
    method: m.kind === 'request' ? m.method : null,
    uri: m.kind === 'request' ? m.uri : m.requestUri || null,
    status: m.kind === 'response' ? m.status : null,
    contentType: m.contentType,
    contentEncoding: m.contentEncoding,
    bodyLength: m.bodyLength,
    bodySha256: m.bodySha256,
    file: '',
    fileBytes: 0,
    decoded: false,
    note: null,
  };
  const list = codings(m.contentEncoding);
  const whole = m.complete && m.bodyMissing === 0;
  if (!whole || list === null || list.length === 0) {
    const final = whole ? p.final : `${p.final}.partial`;
    renameSync(p.tmp, final);
    entry.file = final.slice(resolve(dir).length + 1);
    entry.fileBytes = m.bodyLength;
    entry.decoded = list !== null && list.length === 0 && whole;
    if (!whole) entry.note = m.bodyMissing > 0 ? `${m.bodyMissing} body bytes missing (written as 0x00); not decoded` : `body cut (${m.cut ?? 'incomplete'}); not decoded`;
    else if (list === null) entry.note = `content coding '${m.contentEncoding}' not supported: written as sent`;
    return entry;
  }
  const cap = new Cap(maxDecodedBytes);
  try {
    let stage = 0;
    const streams: Transform[] = [];
    for (const c of list) streams.push(decoder(c, stage++ === 0 ? firstBytes(p.tmp) : new Uint8Array([0x78, 0x9c])));
    await pipeline([createReadStream(p.tmp), ...streams, cap, createWriteStream(p.final)]);
    rmSync(p.tmp);
    entry.file = p.final.slice(resolve(dir).length + 1);
    entry.fileBytes = cap.bytes;
    entry.decoded = true;
  } catch (e) {
    rmSync(p.final, { force: true });
    const raw = `${p.final}.raw`;
    renameSync(p.tmp, raw);
    entry.file = raw.slice(resolve(dir).length + 1);
    entry.fileBytes = m.bodyLength;
    entry.note = `content decoding (${list.join(' then ')}) failed: ${(e as Error).message}; written as sent`;
  }
  return entry;
}

/** Creates DIR. */
export function prepareHttpDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
