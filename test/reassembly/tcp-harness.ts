/** Test helpers for the TCP reassembler: a sink that records events and rebuilds the stream. */
import type { Direction } from '../../src/core/direction.js';
import type { GapCause, StreamEndReason, StreamSink } from '../../src/reassembly/stream-sink.js';

/** Records every event as a compact string and rebuilds the delivered bytes (gaps filled with 0). */
export class RecordingSink implements StreamSink {
  readonly events: string[] = [];
  readonly chunks: Uint8Array[] = [];
  /** Next offset expected: checks that data and gaps cover every offset once, in order. */
  next = 0;
  delivered = 0;
  missed = 0;
  endReason: StreamEndReason | null = null;
  /** Views handed out by onData (to check zero-copy). */
  readonly views: Uint8Array[] = [];
  /** Gaps as [offset, len]. */
  readonly gaps: Array<[number, number]> = [];
  /** Each gap's cause, as `offset+len cause`. */
  readonly causes: string[] = [];
  constructor(
    private readonly keepEvents = true,
    private readonly keepBytes = true,
  ) {}

  onData(_dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    this.check(offset, len);
    if (this.keepEvents) this.events.push(`data ${offset}+${len} #${frame}`);
    if (this.keepBytes) {
      this.views.push(buf);
      this.chunks.push(buf.slice(off, off + len));
    }
    this.delivered += len;
  }
  onGap(_dir: Direction, offset: number, len: number, frame: number, cause?: GapCause): void {
    this.check(offset, len);
    if (cause === undefined) throw new Error('gap without a cause');
    this.causes.push(`${offset}+${len} ${cause}`);
    if (this.keepEvents) this.events.push(`gap ${offset}+${len} #${frame}`);
    if (this.keepBytes) this.chunks.push(new Uint8Array(len));
    this.gaps.push([offset, len]);
    this.missed += len;
  }
  onOverlap(_dir: Direction, offset: number, len: number, inconsistent: boolean, frame: number): void {
    if (this.keepEvents) this.events.push(`overlap ${offset}+${len}${inconsistent ? ' differs' : ''} #${frame}`);
  }
  onEnd(_dir: Direction, reason: StreamEndReason, frame: number): void {
    if (this.endReason !== null) throw new Error('onEnd twice');
    this.endReason = reason;
    if (this.keepEvents) this.events.push(`end ${reason} #${frame}`);
  }
  private check(offset: number, len: number): void {
    if (this.endReason !== null) throw new Error('event after end');
    if (offset !== this.next) throw new Error(`offset ${offset}, expected ${this.next}`);
    if (len <= 0) throw new Error(`empty event at ${offset}`);
    this.next += len;
  }
  /** The rebuilt stream. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** `n` bytes: `base + i` (mod 256), so ranges are recognisable. */
export function pattern(n: number, base = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (base + i) & 0xff;
  return b;
}
