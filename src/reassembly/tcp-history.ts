/**
 * A bounded record of the bytes delivered in one direction that may still be legitimately
 * retransmitted, so a retransmission of already-delivered data can be compared with what was
 * first seen (`overlap_inconsistent`). Bytes before a gap are not comparable across it.
 *
 * Memory follows the data in flight, not a constant per direction:
 * - the ring is allocated on the first record, small (`MIN_RING`), and doubles only when the
 *   bytes not yet acknowledged by the peer outgrow it, up to `size` (`historyBytes`); otherwise
 *   the oldest bytes are overwritten. A sender only retransmits unacknowledged data, so those
 *   are the bytes that must stay comparable; acknowledged ones stay while the ring has room
 *   (a resend of them is spurious; once overwritten its overlap counts as unverifiable);
 * - `release` frees the ring when the direction ends.
 *
 * Cost: one copy of each delivered byte (32-bit DataView words for short runs, `Uint8Array.set`
 * for long ones, no allocation besides the ring growing); `size` 0 turns the record off (no
 * copy, every overlap with delivered data is unverifiable).
 */

/** First ring allocation (bytes); doubled on demand up to the configured size. */
const MIN_RING = 512;
/** Runs at most this long are copied word by word (no subarray view allocated). */
const SHORT_COPY = 256;

/**
 * A DataView over the last source buffer recorded from, re-created when the buffer changes
 * (once per capture chunk in the pipeline): one 32-bit read and write copy four bytes, where a
 * byte loop needs four of each.
 */
let srcBuf: Uint8Array | null = null;
let srcView: DataView = new DataView(new ArrayBuffer(0));

function viewOf(buf: Uint8Array): DataView {
  if (buf !== srcBuf) {
    srcBuf = buf;
    srcView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return srcView;
}

/** Copy `n` bytes from `src` at `off` to `dst` at `pos` (both ranges in bounds, no wrap). */
function copyWords(dst: DataView, pos: number, src: DataView, off: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) dst.setUint32(pos + i, src.getUint32(off + i));
  for (; i < n; i++) dst.setUint8(pos + i, src.getUint8(off + i));
}

export class DeliveredHistory {
  /** `ring.length` (0 while none): the short-copy path reads this object and `ringView` only. */
  private cap = 0;
  /** A view of `ring` for the word copy. */
  private ringView: DataView | null = null;
  private ring: Uint8Array | null = null;
  /** Lowest stream offset whose byte is held (moves past gaps, ACKs, and as the ring overwrites). */
  private start = 0;
  /** Stream offset one past the last recorded byte. */
  private end = 0;
  /** The peer acknowledged everything below this offset (`trimTo`). */
  private acked = 0;

  constructor(private readonly size: number) {}

  /** Bytes allocated for the ring now (0 before the first record and after `release`). */
  get allocated(): number {
    return this.ring === null ? 0 : this.ring.length;
  }

  /** Record delivered bytes `buf[off .. off+len)` at stream `offset` (= the previous end, or after a gap). */
  record(offset: number, buf: Uint8Array, off: number, len: number): void {
    const size = this.size;
    if (len <= 0) return;
    if (size <= 0) {
      this.start = this.end = offset + len;
      return;
    }
    if (offset !== this.end) this.start = this.end = offset;
    if (len > size) {
      off += len - size;
      offset += len - size;
      len = size;
      this.start = this.end = offset;
    }
    const newEnd = offset + len;
    let cap = this.cap;
    if (cap === 0 || newEnd - Math.max(this.start, this.acked) > cap) cap = this.grow(newEnd - Math.max(this.start, this.acked)).length;
    const pos = offset % cap;
    const first = Math.min(len, cap - pos);
    if (len <= SHORT_COPY) {
      const src = viewOf(buf);
      const dst = this.ringView!;
      copyWords(dst, pos, src, off, first);
      if (first < len) copyWords(dst, 0, src, off + first, len - first);
    } else {
      const ring = this.ring!;
      ring.set(buf.subarray(off, off + first), pos);
      if (first < len) ring.set(buf.subarray(off + first, off + len), 0);
    }
    this.end = newEnd;
    if (newEnd - this.start > cap) this.start = newEnd - cap;
  }

  /** A ring that can hold `want` bytes (or `size`, the most it may grow to), keeping the held bytes. */
  private grow(want: number): Uint8Array {
    const old = this.ring;
    let cap = old === null ? MIN_RING : old.length;
    while (cap < want && cap < this.size) cap *= 2;
    if (cap > this.size) cap = this.size;
    if (old !== null && cap === old.length) return old;
    const ring = new Uint8Array(cap);
    if (old !== null) {
      const oc = old.length;
      if (this.end - this.start > cap) this.start = this.end - cap;
      for (let o = this.start; o < this.end; o++) ring[o % cap] = old[o % oc]!;
    }
    this.ring = ring;
    this.cap = cap;
    this.ringView = new DataView(ring.buffer, ring.byteOffset, ring.byteLength);
    return ring;
  }

  /** The peer acknowledged everything below `offset`: those bytes may be overwritten first. */
  trimTo(offset: number): void {
    if (offset > this.acked) this.acked = offset;
  }

  /** Bytes from `offset` on are not comparable with earlier ones (a gap was delivered up to `offset`). */
  gapTo(offset: number): void {
    this.start = offset;
    this.end = offset;
  }

  /** Free the ring (the direction ended); a later record allocates again. */
  release(): void {
    this.ring = null;
    this.cap = 0;
    this.ringView = null;
    this.start = this.end;
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
    const cap = ring.length;
    let pos = offset % cap;
    for (let i = 0; i < len; i++) {
      if (ring[pos] !== buf[off + i]) return false;
      if (++pos === cap) pos = 0;
    }
    return true;
  }
}
