/**
 * TSval → first capture time, for one direction (RFC 7323 §4 RTT measurement seen from the
 * wire): each distinct TSval the direction's sender used is remembered with the capture time
 * and frame of the first packet that carried it; when the peer echoes it in TSecr on an ACK of
 * new data, the time since then is one RTT sample. Each TSval gives at most one sample (the
 * first echo that acknowledges new data): later echoes of the same value are delayed echoes
 * and would only inflate it.
 *
 * Granularity: the sample is measured from the FIRST packet carrying the TSval, and a sender's
 * TS clock ticks every 1 ms (Linux) to 10 ms or more, so a TS sample can exceed the RTT by up
 * to one tick when several packets share a value. That is why rtt.ts feeds the estimator with
 * ACK-matched samples first and TS samples only when Karn's rule leaves none.
 *
 * Memory: one Float64Array (a 3-number header, then a ring of (tsval, time, frame, used)) that
 * gets 8 entries on the first TSval and doubles up to
 * `maxEntries`; values are appended only when they advance (serial order, RFC 7323 §5.2), and
 * an echo drops every older value. When full at the cap the oldest value is dropped (counted in
 * `dropped`). Owned by one direction of one `RttTracker`.
 */
import { seqGt, seqLt } from '../core/seq.js';
import { grownRing } from './ring.js';

const TSVAL = 0;
const T = 1;
const FRAME = 2;
const USED = 3;
const STRIDE = 4;
/** Header at the front of `buf` (doubles kept out of boxed fields): newest TSval, its first time. */
const H_LAST = 0;
const H_LAST_T = 1;
/** After a successful `echo`: the frame that first carried the echoed value (a double field would be a boxed HeapNumber). */
const H_ECHO_FRAME = 2;
const HDR = 3;
/** Entries of the first allocation (on the first TSval). */
const INITIAL_CAP = 8;

/**
 * The header of every ring that has seen no TSval yet (newest 0, times and frames -1), shared
 * and never written: most flows of a capture without the timestamp option keep it for good
 * (a header of its own costs ~220 bytes); `sent` gives a ring its own copy first.
 */
const UNSENT = Float64Array.of(0, -1, -1);

export class TsvalRing {
  private buf: Float64Array;
  private cap = 0;
  private head = 0;
  private len = 0;
  /** Values dropped unechoed because the ring was full at its cap. */
  dropped = 0;

  constructor(private readonly maxEntries = 1024) {
    this.buf = UNSENT;
  }

  /** After a successful `echo`: the frame that first carried the echoed value (-1 before). */
  get echoFrame(): number {
    return this.buf[H_ECHO_FRAME]!;
  }

  /** Capture time the newest TSval sent was first seen (-1 before any). */
  get lastT(): number {
    return this.buf[H_LAST_T]!;
  }

  private slot(i: number): number {
    return HDR + ((this.head + i) & (this.cap - 1)) * STRIDE;
  }

  /** A packet of this direction carried `tsval` at time t. */
  sent(tsval: number, t: number, frame: number): void {
    if (this.len > 0 && !seqGt(tsval, this.buf[H_LAST]!)) return;
    if (this.buf === UNSENT) this.buf = UNSENT.slice();
    this.buf[H_LAST] = tsval;
    this.buf[H_LAST_T] = t;
    if (this.len === this.cap && !this.grow()) {
      this.head = (this.head + 1) & (this.cap - 1);
      this.len--;
      this.dropped++;
    }
    const s = this.slot(this.len);
    this.buf[s + TSVAL] = tsval;
    this.buf[s + T] = t;
    this.buf[s + FRAME] = frame;
    this.buf[s + USED] = 0;
    this.len++;
  }

  /** Newest TSval sent (valid when `lastT` ≥ 0). */
  get newest(): number {
    return this.buf[H_LAST]!;
  }

  private grow(): boolean {
    if (this.cap >= this.maxEntries) return false;
    const cap = this.cap === 0 ? INITIAL_CAP : this.cap * 2;
    this.buf = grownRing(this.buf, HDR, STRIDE, this.head, this.len, this.cap, cap);
    this.cap = cap;
    this.head = 0;
    return true;
  }

  /** The flow has closed: while no value is held, keep only the header (as before the first TSval). */
  condense(): void {
    if (this.len !== 0 || this.cap === 0) return;
    this.buf = this.buf.slice(0, HDR);
    this.cap = 0;
    this.head = 0;
  }

  /**
   * The peer echoed `tsecr`. Drops older values. When `take` (the echoing packet acknowledges
   * new data) and the value is known and not yet used: marks it used and returns its first
   * capture time (sets `echoFrame`); otherwise -1. `tsecr` is `pkt.tsecr` (the packet, not the
   * number: a TSecr of 2^31 or more would be boxed on every call).
   */
  echo(pkt: { readonly tsecr: number }, take: boolean): number {
    const tsecr = pkt.tsecr;
    while (this.len > 0 && seqLt(this.buf[this.slot(0) + TSVAL]!, tsecr)) {
      this.head = (this.head + 1) & (this.cap - 1);
      this.len--;
    }
    if (!take || this.len === 0) return -1;
    const s = this.slot(0);
    if (this.buf[s + TSVAL] !== tsecr || this.buf[s + USED] !== 0) return -1;
    this.buf[s + USED] = 1;
    this.buf[H_ECHO_FRAME] = this.buf[s + FRAME]!;
    return this.buf[s + T]!;
  }
}
