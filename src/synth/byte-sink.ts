/**
 * Buffered byte output for the capture writers: a file path, a Node `Writable`, or memory.
 *
 * Writers reserve space in one large reused `Buffer` (default 1 MiB) and fill it in place; the
 * buffer is handed to the destination only when full, so a file or stream sees few large writes.
 * - file path: synchronous `fs.writeSync` on an fd opened at construction (fast, no backpressure).
 * - `Writable`: each full buffer is copied and `write()`n; `needsDrain` turns true when the stream
 *   asks for backpressure, and `drain()` waits for it.
 * - memory (no destination): chunks are kept and `finish()` returns them as one `Uint8Array`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** Where a writer's bytes go: a file path, a Node Writable, or (undefined) memory. */
export type OutputTarget = string | Writable | undefined;

export class ByteSink {
  /** The reused staging buffer; valid bytes are `buf[0 .. pos)`. */
  buf: Buffer;
  /** Write position in `buf`. */
  pos = 0;
  /** Total bytes written so far (flushed + staged). */
  private flushed = 0;
  private fd = -1;
  private readonly stream: Writable | null = null;
  private readonly chunks: Buffer[] = [];
  private finished = false;
  /** True once the Writable asked for backpressure; cleared by `drain()`. */
  needsDrain = false;

  /** @param bufferSize staging buffer size in bytes (default 1 MiB). */
  constructor(target: OutputTarget, bufferSize = 1 << 20) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, bufferSize));
    if (typeof target === 'string') this.fd = openSync(target, 'w');
    else if (target !== undefined) this.stream = target;
  }

  /** True when the destination is memory (no file, no stream). */
  isMemory(): boolean {
    return this.fd === -1 && this.stream === null;
  }

  /** Bytes emitted so far, including staged ones. */
  get length(): number {
    return this.flushed + this.pos;
  }

  /** Make room for `n` more bytes at `pos` (flushing or growing `buf`); returns `pos`. */
  reserve(n: number): number {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
    }
    return this.pos;
  }

  /** Append bytes (copied). */
  write(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
    this.pos = at + bytes.length;
  }

  /** Hand the staged bytes to the destination. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    if (this.fd >= 0) {
      let off = 0;
      while (off < n) off += writeSync(this.fd, this.buf, off, n - off);
    } else {
      const copy = Buffer.from(this.buf.subarray(0, n));
      if (this.stream !== null) {
        if (!this.stream.write(copy)) this.needsDrain = true;
      } else this.chunks.push(copy);
    }
    this.flushed += n;
    this.pos = 0;
  }

  /** Wait until a Writable destination has drained (no-op otherwise). */
  async drain(): Promise<void> {
    const s = this.stream;
    if (s === null || !this.needsDrain) return;
    await new Promise<void>((resolve) => s.once('drain', resolve));
    this.needsDrain = false;
  }

  /**
   * Flush, then close the file / end the stream. Returns the bytes when writing to memory,
   * otherwise null. Idempotent.
   */
  async finish(): Promise<Uint8Array | null> {
    if (this.finished) return this.isMemory() ? new Uint8Array(Buffer.concat(this.chunks)) : null;
    this.flush();
    this.finished = true;
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -2;
      return null;
    }
    const s = this.stream;
    if (s !== null) {
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.end(() => resolve());
      });
      return null;
    }
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

/** What both capture writers share: a ByteSink and its size/drain/finish. */
export abstract class SinkWriter {
  protected readonly sink: ByteSink;

  protected constructor(target: OutputTarget, bufferSize?: number) {
    this.sink = new ByteSink(target, bufferSize);
  }

  /** Bytes written so far (headers included). */
  get bytes(): number {
    return this.sink.length;
  }

  /** Wait for a Writable destination to drain. */
  drain(): Promise<void> {
    return this.sink.drain();
  }

  /** Flush and close. Returns the file bytes when writing to memory, else null. */
  finish(): Promise<Uint8Array | null> {
    return this.sink.finish();
  }
}
