/**
 * A `StreamSink` that keeps a flow's two byte streams in memory, in the order the bytes were
 * delivered (both directions interleaved, like Wireshark's Follow TCP Stream), with gaps as
 * explicit chunks. For `follow`, tests and other small consumers: it copies every byte, so it
 * is meant for one flow at a time, not a whole capture.
 */
import type { Direction } from '../core/direction.js';
import type { StreamEndReason, StreamSink } from '../reassembly/stream-sink.js';

/** A run of bytes (or a gap) of one direction at a stream offset, first carried by `frame`. */
export interface StreamChunk {
  dir: Direction;
  offset: number;
  /** The bytes, or null for a gap of `len` bytes the capture never held. */
  bytes: Uint8Array | null;
  len: number;
  frame: number;
}

export class StreamCollector implements StreamSink {
  readonly chunks: StreamChunk[] = [];
  readonly ends: [StreamEndReason | null, StreamEndReason | null] = [null, null];
  /** Bytes delivered / missed per direction. */
  readonly delivered = [0, 0];
  readonly missed = [0, 0];
  /** Copies making up the last data chunk while the same direction continues (joined by seal). */
  private pendingParts: Uint8Array[] = [];

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    this.delivered[dir]! += len;
    const last = this.chunks[this.chunks.length - 1];
    const copy = buf.slice(off, off + len);
    if (last !== undefined && last.dir === dir && last.bytes !== null && last.offset + last.len === offset) {
      if (this.pendingParts.length === 0) this.pendingParts.push(last.bytes);
      this.pendingParts.push(copy);
      last.len += len;
      return;
    }
    this.seal();
    this.pendingParts = [copy];
    this.chunks.push({ dir, offset, bytes: copy, len, frame });
  }

  onGap(dir: Direction, offset: number, len: number, frame: number): void {
    this.missed[dir]! += len;
    this.seal();
    this.chunks.push({ dir, offset, bytes: null, len, frame });
  }

  onOverlap(): void {}

  onEnd(dir: Direction, reason: StreamEndReason): void {
    this.seal();
    this.ends[dir] = reason;
  }

  /** One direction's whole stream (gaps filled with `fill`). */
  stream(dir: Direction, fill = 0): Uint8Array {
    this.seal();
    const parts = this.chunks.filter((c) => c.dir === dir);
    const total = parts.reduce((n, c) => n + c.len, 0);
    const out = new Uint8Array(total).fill(fill);
    let at = 0;
    for (const c of parts) {
      if (c.bytes !== null) out.set(c.bytes, at);
      at += c.len;
    }
    return out;
  }

  /** Join the parts of the chunk being grown into one array. */
  private seal(): void {
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last.bytes !== null && this.pendingParts.length > 1) {
      const joined = new Uint8Array(last.len);
      let at = 0;
      for (const p of this.pendingParts) {
        joined.set(p, at);
        at += p.length;
      }
      last.bytes = joined;
    }
    this.pendingParts = [];
  }
}
