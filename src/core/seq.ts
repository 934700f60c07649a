/**
 * The one sequence-number module (style guide item 9). TCP sequence numbers are 32-bit serial
 * numbers (RFC 9293 §3.4): comparisons are modulo 2^32, valid while the two numbers are less than
 * 2^31 apart. Nothing else in tcpscope compares raw sequence numbers with `<`.
 *
 * All raw sequence numbers are unsigned 32-bit integers held in JS numbers (`DecodedPacket.seq`).
 * Imports nothing from the project.
 */

/** Signed distance `a - b` in sequence space: in [-2^31, 2^31). Positive when `a` is after `b`. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `a` comes strictly before `b` (RFC 9293 §3.4 "<" on sequence numbers). */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** `a` comes before or equals `b`. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** `a` comes strictly after `b`. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** `a` comes after or equals `b`. */
export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** `seq + n` modulo 2^32, as an unsigned 32-bit number. `n` may be negative or up to 2^53. */
export function seqAdd(seq: number, n: number): number {
  // ToUint32 reduces any safe integer exactly modulo 2^32.
  return (seq + n) >>> 0;
}

/**
 * Turns the raw 32-bit sequence numbers of one direction into relative offsets (0 = the origin)
 * that stay exact up to 2^53 across any number of wraps (zeek's `TCP_Endpoint` keeps 64-bit
 * relative sequence numbers the same way).
 *
 * A raw number is unwrapped to the offset nearest to a reference point: `ref + seqDiff(raw,
 * refRaw)`. The owner moves the reference forward as the stream progresses (`advanceTo`), so every
 * number within ±2^31 of it unwraps correctly however many times the 32-bit space has wrapped.
 * The reference only moves forward, so unwrapped offsets are monotone in the stream.
 *
 * Owned by one direction of one flow; no allocation after construction.
 */
export class SeqUnwrapper {
  /** Raw sequence number of the reference point. */
  private refRaw = 0;
  /** Relative offset of the reference point. */
  private refRel = 0;

  constructor(originRaw = 0) {
    this.refRaw = originRaw >>> 0;
  }

  /** Make raw `originRaw` offset 0 (and the reference point). */
  reset(originRaw: number): void {
    this.refRaw = originRaw >>> 0;
    this.refRel = 0;
  }

  /** The raw sequence number of offset 0. */
  get origin(): number {
    return seqAdd(this.refRaw, -this.refRel);
  }

  /** The current reference offset. */
  get reference(): number {
    return this.refRel;
  }

  /** Relative offset of `raw`: the one within [-2^31, 2^31) of the reference. May be negative. */
  unwrap(raw: number): number {
    return this.refRel + ((raw - this.refRaw) | 0);
  }

  /** Raw sequence number of relative offset `rel`. */
  wrap(rel: number): number {
    return seqAdd(this.refRaw, rel - this.refRel);
  }

  /** Move the reference to `rel` if that is ahead of it (monotone; never moves back). */
  advanceTo(rel: number): void {
    const d = rel - this.refRel;
    if (d > 0) {
      this.refRaw = (this.refRaw + d) >>> 0;
      this.refRel = rel;
    }
  }

  /** Unwrap `raw` and move the reference to it when it is ahead (track the highest number seen). */
  observe(raw: number): number {
    const rel = this.unwrap(raw);
    this.advanceTo(rel);
    return rel;
  }
}
