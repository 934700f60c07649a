/**
 * The receiver's SACK blocks above the cumulative ACK for one direction of one flow (RFC 2018
 * §3, RFC 6675 §2 "scoreboard"), as the capture saw them: which bytes the receiver already
 * holds beyond `SND.UNA`, so the window tracker can take them out of the bytes in flight.
 *
 * Owned by `WindowTracker` (one per data direction). Bounded: at most `capacity` disjoint ranges,
 * sorted by sequence number, kept in one `Uint32Array` allocated on the first SACK block. When a
 * new range does not fit, the range furthest above the ACK is dropped (`overflows` counts it):
 * the in-flight estimate then errs high (those bytes count as in flight), never low.
 * Allocation-free after that first block. All sequence comparisons go through core/seq.ts.
 */
import { seqDiff, seqGt, seqLe, seqLt } from '../core/seq.js';

/** Default number of disjoint SACKed ranges kept (a SACK option carries at most 4 blocks). */
export const SACK_RANGES_DEFAULT = 16;

export class SackScoreboard {
  /** Ranges as (left, right) pairs of raw sequence numbers, right exclusive; `count` in use. */
  private r: Uint32Array | null = null;
  private count = 0;
  /** Ranges dropped because the scoreboard was full. */
  overflows = 0;

  constructor(private readonly capacity = SACK_RANGES_DEFAULT) {}

  /** Number of ranges held. */
  get ranges(): number {
    return this.count;
  }

  /** Forget everything (e.g. the receiver sent an ACK without SACK blocks: RFC 2018 lets it renege). */
  clear(): void {
    this.count = 0;
  }

  /**
   * Add the SACKed range [left, right) given the current cumulative ACK `una`; the part at or
   * below `una` is ignored (a D-SACK block, RFC 2883, lies there).
   */
  add(left: number, right: number, una: number): void {
    let l = seqLt(left, una) ? una : left;
    let rr = right;
    if (seqLe(rr, l)) return;
    const r = (this.r ??= new Uint32Array(this.capacity * 2));
    // Absorb every range that overlaps or touches [l, rr), compacting the rest in place.
    let w = 0;
    let at = -1; // write position of the merged range (sorted by left edge)
    for (let i = 0; i < this.count; i++) {
      const a = r[2 * i]!;
      const b = r[2 * i + 1]!;
      if (seqLe(a, rr) && seqLe(l, b)) {
        if (seqLt(a, l)) l = a;
        if (seqGt(b, rr)) rr = b;
        continue;
      }
      if (at < 0 && seqGt(a, l)) at = w;
      r[2 * w] = a;
      r[2 * w + 1] = b;
      w++;
    }
    if (at < 0) at = w;
    if (w === this.capacity) {
      // Full: drop the highest range (or the new one when it is the highest).
      this.overflows++;
      if (at === w) {
        this.count = w;
        return;
      }
      w--;
    }
    for (let i = w; i > at; i--) {
      r[2 * i] = r[2 * i - 2]!;
      r[2 * i + 1] = r[2 * i - 1]!;
    }
    r[2 * at] = l;
    r[2 * at + 1] = rr;
    this.count = w + 1;
  }

  /** The cumulative ACK moved to `una`: drop or trim the ranges it covers. */
  advance(una: number): void {
    const r = this.r;
    if (r === null) return;
    let w = 0;
    for (let i = 0; i < this.count; i++) {
      const a = r[2 * i]!;
      const b = r[2 * i + 1]!;
      if (seqLe(b, una)) continue;
      r[2 * w] = seqLt(a, una) ? una : a;
      r[2 * w + 1] = b;
      w++;
    }
    this.count = w;
  }

  /** SACKed bytes within [una, nxt): the part of the ranges above the ACK and below the highest byte sent. */
  sackedBetween(una: number, nxt: number): number {
    const r = this.r;
    if (r === null) return 0;
    let sum = 0;
    for (let i = 0; i < this.count; i++) {
      const a = r[2 * i]!;
      const b = r[2 * i + 1]!;
      const lo = seqLt(a, una) ? una : a;
      const hi = seqGt(b, nxt) ? nxt : b;
      const d = seqDiff(hi, lo);
      if (d > 0) sum += d;
    }
    return sum;
  }
}
