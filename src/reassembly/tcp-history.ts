/**
 * A bounded record of the bytes most recently delivered in one direction, so a retransmission
 * of already-delivered data can still be compared with what was first seen (`overlap_inconsistent`).
 * A ring of `size` bytes indexed by stream offset modulo `size`; the buffer is allocated on the
 * first record (one allocation per direction). Bytes before a gap are not comparable across it.
 *
 * Cost: one copy of each delivered byte (a memcpy through `Uint8Array.set`); `size` 0 turns the
 * record off (no copy, every overlap with delivered data is unverifiable).
 */
export class DeliveredHistory {
  private ring: Uint8Array | null = null;
  /** Lowest stream offset whose byte is held (moves past gaps and as the ring overwrites). */
  private start = 0;
  /** Stream offset one past the last recorded byte. */
  private end = 0;

  constructor(private readonly size: number) {}

  /** Record delivered bytes `buf[off .. off+len)` at stream `offset` (= the previous end, or after a gap). */
  record(offset: number, buf: Uint8Array, off: number, len: number): void {
    const size = this.size;
    if (len <= 0) return;
    if (size <= 0) {
      this.start = this.end = offset + len;
      return;
    }
    if (offset !== this.end) this.start = offset;
    let ring = this.ring;
    if (ring === null) ring = this.ring = new Uint8Array(size);
    if (len > size) {
      off += len - size;
      offset += len - size;
      len = size;
      this.start = offset;
    }
    const pos = offset % size;
    const first = Math.min(len, size - pos);
    ring.set(off === 0 && first === buf.length ? buf : buf.subarray(off, off + first), pos);
    if (first < len) ring.set(buf.subarray(off + first, off + len), 0);
    this.end = offset + len;
    if (this.end - this.start > size) this.start = this.end - size;
  }

  /** Bytes from `offset` on are not comparable with earlier ones (a gap was delivered up to `offset`). */
  gapTo(offset: number): void {
    this.start = offset;
    this.end = offset;
  }

  /** Lowest offset still held (bytes below it cannot be compared). */
  get heldFrom(): number {
    return this.start;
  }

  /**
   * Compare `buf[off .. off+len)` with the recorded bytes at `offset`; the range must lie within
   * [heldFrom, end). True when all bytes are equal.
   */
  equals(offset: number, buf: Uint8Array, off: number, len: number): boolean {
    const ring = this.ring;
    if (ring === null) return true;
    const size = this.size;
    let pos = offset % size;
    for (let i = 0; i < len; i++) {
      if (ring[pos] !== buf[off + i]) return false;
      if (++pos === size) pos = 0;
    }
    return true;
  }
}
