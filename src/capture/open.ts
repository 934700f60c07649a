/**
 * Reading a capture from a file, standard input or memory: format detection (pcap, pcapng,
 * gzip around either), then the push parsers. Format faults and I/O errors never reject:
 * they land in `CaptureInfo.errors` (with `cutShort` when reading stopped early).
 */
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { constants as zc, createGunzip, gunzipSync } from 'node:zlib';
import type { CaptureInfo, FrameSink } from './frame.js';
import { newCaptureInfo } from './frame.js';
import { CaptureFormatError } from '../core/errors.js';
import { DetectingParser } from './detect.js';

/** Options for `readCapture`. */
export interface ReadCaptureOptions {
  /** Bytes per `fs` read for plain files (default 1 MiB). */
  chunkSize?: number;
  /** Stream read when the path is '-' (default `process.stdin`). */
  stdin?: AsyncIterable<Uint8Array>;
  /**
   * Called after each chunk has been parsed (every frame in it delivered); reading waits for a
   * returned promise. For output back-pressure and progress (`info.streamBytes`).
   */
  afterChunk?: AfterChunk;
}

/** Hook run between chunks; may return a promise to make the reader wait. */
export type AfterChunk = (info: CaptureInfo) => Promise<void> | null | undefined | void;

/**
 * Default read size for plain files. Two buffers of it are in use (double-buffered reads). 1 MiB
 * reads the bench capture in half the time of 4 MiB (the chunk being parsed stays in cache) with
 * 17 MiB less peak RSS for the reader (docs/performance.md).
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Read the capture at `path` ('-' = standard input), calling `sink` once per packet with a
 * reused `Frame` (valid during the call only). Resolves with what was learnt about the
 * capture; format faults and I/O errors (ERR_IO naming the file) are in `info.errors`.
 * Rejects only when `sink` throws.
 */
export async function readCapture(path: string, sink: FrameSink, opts: ReadCaptureOptions = {}): Promise<CaptureInfo> {
  const info = newCaptureInfo(path);
  const chunks = path === '-' ? (opts.stdin ?? process.stdin) : fileChunks(path, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await readCaptureFrom(chunks, info, sink, path !== '-', opts.afterChunk);
  return info;
}

/**
 * Read a capture from any chunk source into `info` (see `readCapture`). `reusesBuffers`:
 * the source overwrites a chunk's memory after the next one is requested (so chunks bound
 * for the asynchronous gunzip are copied).
 */
export async function readCaptureFrom(
  chunks: AsyncIterable<Uint8Array>,
  info: CaptureInfo,
  sink: FrameSink,
  reusesBuffers = false,
  afterChunk?: AfterChunk,
): Promise<void> {
  const it = chunks[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let firstLen = 0;
  try {
    while (firstLen < 2) {
      const r = await it.next();
      if (r.done === true) break;
      firstLen += r.value.length;
      // Copied only when another chunk is requested while this one is still needed (the source
      // may then overwrite it): the usual first chunk is parsed where it is, not copied and kept.
      first.push(reusesBuffers && firstLen < 2 ? Uint8Array.from(r.value) : r.value);
    }
  } catch (err) {
    ioError(info, err);
    await it.return?.();
    return;
  }
  const head = first.length === 1 ? (first[0] as Uint8Array) : Buffer.concat(first);
  if (isGzip(head)) {
    info.compression = 'gzip';
    // The decompressor may still hold the head when the next chunk is requested.
    await readGzip(reusesBuffers && first.length === 1 ? Uint8Array.from(head) : head, it, info, sink, reusesBuffers, afterChunk);
    return;
  }
  const parser = new DetectingParser(info, sink);
  let done = false;
  try {
    for (const c of first) parser.push(c);
    while (!parser.stopped) {
      const r = await it.next();
      if (r.done === true) {
        done = true;
        parser.end();
        break;
      }
      parser.push(r.value);
      if (afterChunk !== undefined) await afterChunk(info);
    }
  } catch (err) {
    if (!isIoError(err)) throw err;
    ioError(info, err);
  } finally {
    if (!done) await it.return?.();
  }
}

async function readGzip(
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  info: CaptureInfo,
  sink: FrameSink,
  copy: boolean,
  afterChunk?: AfterChunk,
): Promise<void> {
  async function* compressed(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const r = await rest.next();
      if (r.done === true) return;
      yield copy ? Uint8Array.from(r.value) : r.value;
    }
  }
  const src = Readable.from(compressed(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(src, gunzip, () => undefined);
  const parser = new DetectingParser(info, sink, true);
  try {
    for await (const out of gunzip) {
      parser.push(out as Uint8Array);
      if (parser.stopped) break;
      if (afterChunk !== undefined) await afterChunk(info);
    }
    if (!parser.stopped) parser.end();
  } catch (err) {
    if (isIoError(err)) ioError(info, err);
    else if (isZlibError(err)) gzipError(info, err);
    else throw err;
  } finally {
    src.destroy();
    gunzip.destroy();
    await rest.return?.();
  }
}

/**
 * Parse a whole capture held in memory (gzip allowed), synchronously. For tests and small
 * inputs. `sink` gets a reused `Frame` per packet, as with `readCapture`.
 */
export function parseCaptureBytes(bytes: Uint8Array, source: string, sink: FrameSink): CaptureInfo {
  const info = newCaptureInfo(source);
  let data = bytes;
  let zerr: unknown = null;
  if (isGzip(bytes)) {
    info.compression = 'gzip';
    try {
      data = gunzipSync(bytes);
    } catch (err) {
      zerr = err;
      try {
        // Recover what decompresses before the fault, as the streaming path delivers it.
        data = gunzipSync(bytes, { finishFlush: zc.Z_SYNC_FLUSH });
      } catch {
        data = new Uint8Array(0);
      }
    }
  }
  const parser = new DetectingParser(info, sink, info.compression !== null);
  parser.push(data);
  if (zerr === null) parser.end();
  else if (!parser.stopped) gzipError(info, zerr);
  return info;
}

/** Plain-file chunks with large reads, double-buffered: a chunk is overwritten two chunks later. */
async function* fileChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  let cur = Buffer.allocUnsafe(size);
  let next = Buffer.allocUnsafe(size);
  let pending: Promise<{ bytesRead: number }> | null = fh.read(cur, 0, size, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) return;
      const filled = cur;
      cur = next;
      next = filled;
      pending = fh.read(cur, 0, size, null);
      yield filled.subarray(0, bytesRead);
    }
  } finally {
    if (pending !== null) await pending.catch(() => undefined);
    await fh.close();
  }
}

function errnoCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function isIoError(err: unknown): boolean {
  const code = errnoCode(err);
  return code !== null && /^E[A-Z0-9]+$/.test(code) && !code.startsWith('ERR_');
}

function isZlibError(err: unknown): boolean {
  const code = errnoCode(err);
  return code !== null && code.startsWith('Z_');
}

function ioError(info: CaptureInfo, err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  info.errors.push(new CaptureFormatError('ERR_IO', info.source, info.streamBytes, 0, `cannot read: ${msg}`));
  info.cutShort = true;
}

function gzipError(info: CaptureInfo, err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  const what = /unexpected end/i.test(msg) ? 'gzip stream ends early (file cut short)' : `corrupt gzip stream: ${msg}`;
  info.errors.push(new CaptureFormatError('ERR_BAD_GZIP', info.source, info.streamBytes, info.packets + 1, what));
  info.cutShort = true;
}
