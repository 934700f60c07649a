/**
 * The retired re-sent ranges of one `SentRing` (rtt-segments.ts): entries popped by a cumulative
 * ACK after being re-sent, kept (at most RETIRED, oldest overwritten) so a later D-SACK (RFC 2883)
 * or Eifel detection can name the retransmission it proves unnecessary, at most once. Created by
 * the ring on its first retired re-send (most flows have none); reached only on re-sent data, a
 * D-SACK or an Eifel verdict, never on the plain per-packet path. Split out of rtt-segments.ts.
 */
import { seqGt, seqLt } from '../core/seq.js';

/** Retired re-sent ranges kept for D-SACK matching (at most; the ring starts at RETIRED_INITIAL and doubles). */
const RETIRED = 16;
const RETIRED_INITIAL = 2;
const NO_RETIRED = new Float64Array(0);
const R_START = 0;
const R_END = 1;
const R_RETX_FRAME = 2;
const R_REVISED = 3;
const R_STRIDE = 4;

export class RetiredRanges {
  /** Small, doubled while it has not wrapped yet (so entries stay in insertion order until the ring reaches RETIRED). */
  private retired = NO_RETIRED;
  private retiredCap = 0;
  private retiredNext = 0;
  private retiredLen = 0;

  /**
   * Retire the range [src[startAt], src[endAt]) first re-sent in frame src[frameAt]. Indexes into
   * the ring's buffer, not values: a sequence number of 2^31 or more passed as a number would be
   * boxed.
   */
  add(src: Float64Array, startAt: number, endAt: number, frameAt: number, revised: boolean): void {
    if (this.retiredLen === this.retiredCap && this.retiredCap < RETIRED) {
      const cap = this.retiredCap === 0 ? RETIRED_INITIAL : this.retiredCap * 2;
      const next = new Float64Array(cap * R_STRIDE);
      next.set(this.retired);
      this.retired = next;
      this.retiredCap = cap;
      // Full means the write position wrapped to 0 with the entries in order 0..len-1: go on after them.
      this.retiredNext = this.retiredLen;
    }
    const r = this.retiredNext * R_STRIDE;
    this.retired[r + R_START] = src[startAt]!;
    this.retired[r + R_END] = src[endAt]!;
    this.retired[r + R_RETX_FRAME] = src[frameAt]!;
    this.retired[r + R_REVISED] = revised ? 1 : 0;
    this.retiredNext = (this.retiredNext + 1) % this.retiredCap;
    if (this.retiredLen < this.retiredCap) this.retiredLen++;
  }

  /** The re-send frame of the newest retired range overlapping [left, right) not named before (marked revised); -1 none. */
  claim(left: number, right: number): number {
    const r = this.retired;
    for (let k = 0; k < this.retiredLen; k++) {
      const o = ((this.retiredNext - 1 - k + this.retiredCap) % this.retiredCap) * R_STRIDE;
      if (r[o + R_REVISED] === 0 && seqLt(r[o + R_START]!, right) && seqGt(r[o + R_END]!, left)) {
        r[o + R_REVISED] = 1;
        return r[o + R_RETX_FRAME]!;
      }
    }
    return -1;
  }

  /** Mark the range first re-sent in `retxFrame` revised. */
  markRevised(retxFrame: number): void {
    const r = this.retired;
    for (let k = 0; k < this.retiredLen; k++) {
      const o = k * R_STRIDE;
      if (r[o + R_RETX_FRAME] === retxFrame) r[o + R_REVISED] = 1;
    }
  }
}
