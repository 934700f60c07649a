/**
 * The outstanding-segment ring of one direction for RTT sampling (Karn's rule, RFC 6298 §3):
 * every transmission of new sequence space (data, SYN, FIN) becomes an entry [start, end) with
 * its first send time/frame, its copy count and TSvals; re-sends mark the entries they overlap;
 * the peer's cumulative ACK pops the entries it covers and says whether a valid sample exists
 * (no popped entry re-sent, none of unknown timing). SACK blocks mark entries SACKed (a sample
 * like Linux's `sack_rtt`). Popped re-sent entries go to a small "retired" ring so a later
 * D-SACK (RFC 2883) can name the retransmission it proves unnecessary (rtt-retired.ts).
 *
 * Memory: one Float64Array (a small header of scalars, then STRIDE numbers per entry), starting
 * at 4 entries and doubling up to
 * `maxEntries` (growth is the only allocation, amortised, never per packet). When full at the
 * cap a new segment is merged into the newest entry, which is then flagged MERGED (no sample
 * from it; counted in `merged`). Sequence space skipped by the capture (a segment beyond the
 * highest sequence sent) gets a HOLE entry: its first transmission was not seen, so an ACK
 * covering it gives no sample. Owned by one direction of one `RttTracker`.
 */
import { seqGe, seqGt, seqLe, seqLt } from '../core/seq.js';
import { grownRing } from './ring.js';
import { RetiredRanges } from './rtt-retired.js';

const START = 0;
const END = 1;
const FIRST_T = 2;
const FIRST_FRAME = 3;
const LAST_T = 4;
const LAST_FRAME = 5;
const COPIES = 6;
const FIRST_TSVAL = 7;
const RETX_TSVAL = 8;
const RETX_FRAME = 9;
const FLAGS = 10;
const STRIDE = 11;

/**
 * Header: the ring's double-valued scalars (sequence numbers ≥ 2^30, times) live at the front of
 * `buf`, so they are not boxed heap numbers on the per-packet path; entry i is at HDR + slot·STRIDE.
 */
const H_HIGHEST = 0;
const H_SEND_FIRST_T = 1;
const H_SEND_PREV_T = 2;
const H_ACK_NEWEST_T = 3;
const H_ACK_OLDEST_T = 4;
const H_ACK_RETX_TSVAL = 5;
const H_SACK_NEWEST_T = 6;
const H_SACK_OLDEST_T = 7;
/** Frames read from entries: kept here too, since a double-valued object field is a boxed HeapNumber in V8. */
const H_SEND_FIRST_FRAME = 8;
const H_ACK_NEWEST_FRAME = 9;
const H_ACK_RETX_FRAME = 10;
const H_SACK_NEWEST_FRAME = 11;
const HDR = 12;
/** Entries at construction (every direction that sends anything, even a SYN, needs some). */
const INITIAL_CAP = 4;

/** Entry flags. */
const MERGED = 1;
const HOLE = 2;
const SACKED = 4;
const REVISED = 8;
const UNKNOWN_TIMING = MERGED | HOLE;

export class SentRing {
  private buf: Float64Array;
  private cap = INITIAL_CAP;
  private head = 0;
  /** Entries held. */
  len = 0;
  /** True once a segment was recorded; `highest` is then the end of the highest sequence sent. */
  hasHighest = false;
  /** Segments merged into the newest entry because the ring was full at its cap. */
  merged = 0;

  // ---- result of the last `send` (the oldest entry the segment re-sent, before this copy) ----
  /** Copy number of this transmission of that entry (2 = first re-send). */
  sendCopy = -1;

  // ---- result of the last `ack` ----
  ackPopped = 0;
  /** Some popped entry was re-sent (Karn: no sample) / of unknown timing (HOLE, MERGED). */
  ackAnyRetx = false;
  ackAnyUnknown = false;
  /** That entry was already revised (a D-SACK named it). */
  ackRetxRevised = false;

  /** Popped re-sent entries (rtt-retired.ts), allocated on the first one (most flows have none). */
  private retired: RetiredRanges | null = null;

  constructor(private readonly maxEntries = 1024) {
    const b = new Float64Array(HDR + INITIAL_CAP * STRIDE);
    b[H_SEND_FIRST_T] = -1;
    b[H_SEND_PREV_T] = -1;
    b[H_ACK_NEWEST_T] = -1;
    b[H_ACK_OLDEST_T] = -1;
    b[H_ACK_RETX_TSVAL] = -1;
    b[H_SACK_NEWEST_T] = -1;
    b[H_SACK_OLDEST_T] = -1;
    b[H_SEND_FIRST_FRAME] = -1;
    b[H_ACK_NEWEST_FRAME] = -1;
    b[H_ACK_RETX_FRAME] = -1;
    b[H_SACK_NEWEST_FRAME] = -1;
    this.buf = b;
  }

  /** Result of the last `send`: first frame of the oldest entry re-sent; -1 when the segment re-sent nothing tracked. */
  get sendFirstFrame(): number {
    return this.buf[H_SEND_FIRST_FRAME]!;
  }

  /** Result of the last `ack`: frame of the newest popped entry that was sent once, not SACKed before, known timing (`ackNewestT`); -1 none. */
  get ackNewestFrame(): number {
    return this.buf[H_ACK_NEWEST_FRAME]!;
  }

  /** Result of the last `ack`: the oldest popped re-sent entry's first re-send frame (its TSval: `ackRetxTsval`); -1 none. */
  get ackRetxFrame(): number {
    return this.buf[H_ACK_RETX_FRAME]!;
  }

  /** SACK marking since `sackBegin`: frame of the newest newly SACKed clean entry (`sackNewestT`); -1 none. */
  get sackNewestFrame(): number {
    return this.buf[H_SACK_NEWEST_FRAME]!;
  }

  /** End of the highest sequence sent (valid when `hasHighest`). */
  get highest(): number {
    return this.buf[H_HIGHEST]!;
  }

  /** Result of the last `send`: first send time of the oldest entry re-sent (-1 none or unknown). */
  get sendFirstT(): number {
    return this.buf[H_SEND_FIRST_T]!;
  }

  /** Result of the last `send`: previous send time of that entry (-1 none). */
  get sendPrevT(): number {
    return this.buf[H_SEND_PREV_T]!;
  }

  /** Result of the last `ack`: send time of the newest popped entry that was sent once, not SACKed before, known timing; -1 none. */
  get ackNewestT(): number {
    return this.buf[H_ACK_NEWEST_T]!;
  }

  /** Result of the last `ack`: the same for the oldest such entry; -1 none. */
  get ackOldestT(): number {
    return this.buf[H_ACK_OLDEST_T]!;
  }

  /** Result of the last `ack`: TSval of the first re-send of the oldest popped re-sent entry (-1 none). */
  get ackRetxTsval(): number {
    return this.buf[H_ACK_RETX_TSVAL]!;
  }

  /** SACK marking since `sackBegin`: newest / oldest send time of a newly SACKed clean entry; -1 none. */
  get sackNewestT(): number {
    return this.buf[H_SACK_NEWEST_T]!;
  }

  get sackOldestT(): number {
    return this.buf[H_SACK_OLDEST_T]!;
  }

  private slot(i: number): number {
    return HDR + ((this.head + i) & (this.cap - 1)) * STRIDE;
  }

  /** Start of entry i (0 = oldest). */
  startOf(i: number): number {
    return this.buf[this.slot(i) + START]!;
  }

  /** One transmission of sequence space [seq, end) (end ≠ seq) at time t. */
  send(seq: number, end: number, t: number, frame: number, tsval: number): void {
    const h = this.buf;
    h[H_SEND_FIRST_FRAME] = -1;
    h[H_SEND_FIRST_T] = -1;
    h[H_SEND_PREV_T] = -1;
    this.sendCopy = -1;
    if (!this.hasHighest) {
      this.hasHighest = true;
      h[H_HIGHEST] = seq;
    }
    const highest = h[H_HIGHEST]!;
    if (seqLt(seq, highest)) this.markResent(seq, end, t, frame, tsval);
    if (seqGt(end, highest)) {
      if (seqGt(seq, highest)) this.append(highest, seq, t, frame, -1, HOLE);
      this.append(seqGt(seq, highest) ? seq : highest, end, t, frame, tsval, 0);
      this.buf[H_HIGHEST] = end; // `append` may have grown (replaced) the buffer
    }
  }

  private markResent(seq: number, end: number, t: number, frame: number, tsval: number): void {
    const b = this.buf;
    for (let i = this.firstEndingAfter(seq); i < this.len; i++) {
      const s = this.slot(i);
      if (seqGe(b[s + START]!, end)) break;
      const copies = b[s + COPIES]! + 1;
      if (this.sendCopy < 0) {
        b[H_SEND_FIRST_FRAME] = (b[s + FLAGS]! & HOLE) !== 0 ? -1 : b[s + FIRST_FRAME]!;
        b[H_SEND_FIRST_T] = (b[s + FLAGS]! & HOLE) !== 0 ? -1 : b[s + FIRST_T]!;
        b[H_SEND_PREV_T] = b[s + LAST_T]!;
        this.sendCopy = copies;
      }
      if (copies === 2) {
        b[s + RETX_TSVAL] = tsval;
        b[s + RETX_FRAME] = frame;
      }
      b[s + COPIES] = copies;
      b[s + LAST_T] = t;
      b[s + LAST_FRAME] = frame;
    }
  }

  private append(start: number, end: number, t: number, frame: number, tsval: number, flags: number): void {
    if (this.len === this.cap && !this.grow()) {
      // Full at the cap: merge into the newest entry (its timing becomes unknown).
      const s = this.slot(this.len - 1);
      this.buf[s + END] = end;
      this.buf[s + FLAGS] = this.buf[s + FLAGS]! | MERGED;
      this.merged++;
      return;
    }
    const s = this.slot(this.len);
    const b = this.buf;
    b[s + START] = start;
    b[s + END] = end;
    b[s + FIRST_T] = t;
    b[s + FIRST_FRAME] = frame;
    b[s + LAST_T] = t;
    b[s + LAST_FRAME] = frame;
    b[s + COPIES] = 1;
    b[s + FIRST_TSVAL] = tsval;
    b[s + RETX_TSVAL] = -1;
    b[s + RETX_FRAME] = -1;
    b[s + FLAGS] = flags;
    this.len++;
  }

  private grow(): boolean {
    if (this.cap >= this.maxEntries) return false;
    const cap = this.cap === 0 ? INITIAL_CAP : this.cap * 2;
    this.buf = grownRing(this.buf, HDR, STRIDE, this.head, this.len, this.cap, cap);
    this.cap = cap;
    this.head = 0;
    return true;
  }

  /**
   * The flow has closed: while no entry is held, keep only the header (entries are allocated
   * again, from INITIAL_CAP, if more is sent; growth runs through the same capacities, so the
   * ring behaves exactly as before).
   */
  condense(): void {
    if (this.len !== 0 || this.cap === 0) return;
    this.buf = this.buf.slice(0, HDR);
    this.cap = 0;
    this.head = 0;
  }

  /** Index of the first entry whose end is after `seq` (entries are ordered; binary search). */
  private firstEndingAfter(seq: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqGt(this.buf[this.slot(mid) + END]!, seq)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * The peer's cumulative ACK (`pkt.ack`): pop every entry ending at or before it (a partly acked
   * entry is trimmed). Takes the packet: an ACK number of 2^31 or more passed as a number would
   * be boxed on every call.
   */
  ack(pkt: { readonly ack: number }): void {
    const a = pkt.ack;
    // The results are written only while popping (popOne, after ackPopped++), so they hold
    // their reset values unless the last call popped: an ACK of an empty ring (the direction
    // that sends no data, acked by every data segment) then touches this object only, not `buf`.
    if (this.ackPopped !== 0) this.resetAck();
    if (this.len === 0) return;
    const b = this.buf;
    while (this.len > 0) {
      const s = this.slot(0);
      if (!seqLe(b[s + END]!, a)) {
        if (seqGt(a, b[s + START]!)) b[s + START] = a;
        break;
      }
      this.ackPopped++;
      this.popOne(s);
      this.head = (this.head + 1) & (this.cap - 1);
      this.len--;
    }
  }

  /** The results of `ack` before it pops anything. */
  private resetAck(): void {
    const b = this.buf;
    this.ackPopped = 0;
    b[H_ACK_NEWEST_T] = -1;
    b[H_ACK_NEWEST_FRAME] = -1;
    b[H_ACK_OLDEST_T] = -1;
    this.ackAnyRetx = false;
    this.ackAnyUnknown = false;
    b[H_ACK_RETX_TSVAL] = -1;
    b[H_ACK_RETX_FRAME] = -1;
    this.ackRetxRevised = false;
  }

  private popOne(s: number): void {
    const b = this.buf;
    const flags = b[s + FLAGS]!;
    if ((flags & UNKNOWN_TIMING) !== 0) {
      this.ackAnyUnknown = true;
    } else if (b[s + COPIES]! > 1) {
      if (!this.ackAnyRetx) {
        b[H_ACK_RETX_TSVAL] = b[s + RETX_TSVAL]!;
        b[H_ACK_RETX_FRAME] = b[s + RETX_FRAME]!;
        this.ackRetxRevised = (flags & REVISED) !== 0;
      }
      this.ackAnyRetx = true;
      this.retire(s);
    } else if ((flags & SACKED) === 0) {
      if (b[H_ACK_OLDEST_T]! < 0) b[H_ACK_OLDEST_T] = b[s + FIRST_T]!;
      b[H_ACK_NEWEST_T] = b[s + FIRST_T]!;
      b[H_ACK_NEWEST_FRAME] = b[s + FIRST_FRAME]!;
    }
  }

  private retire(s: number): void {
    (this.retired ??= new RetiredRanges()).add(this.buf, s + START, s + END, s + RETX_FRAME, (this.buf[s + FLAGS]! & REVISED) !== 0);
  }

  /** Before the SACK blocks of one ACK. */
  sackBegin(): void {
    this.buf[H_SACK_NEWEST_T] = -1;
    this.buf[H_SACK_NEWEST_FRAME] = -1;
    this.buf[H_SACK_OLDEST_T] = -1;
  }

  /** One SACK block [left, right): entries wholly inside become SACKED; newly SACKed clean entries are sample candidates. */
  sack(left: number, right: number): void {
    const b = this.buf;
    for (let i = this.firstEndingAfter(left); i < this.len; i++) {
      const s = this.slot(i);
      if (seqGt(b[s + END]!, right)) break;
      if (seqLt(b[s + START]!, left) || (b[s + FLAGS]! & SACKED) !== 0) continue;
      b[s + FLAGS] = b[s + FLAGS]! | SACKED;
      if ((b[s + FLAGS]! & UNKNOWN_TIMING) !== 0 || b[s + COPIES]! > 1) continue;
      if (b[H_SACK_OLDEST_T]! < 0 || b[s + FIRST_T]! < b[H_SACK_OLDEST_T]!) b[H_SACK_OLDEST_T] = b[s + FIRST_T]!;
      if (b[s + FIRST_T]! > b[H_SACK_NEWEST_T]!) {
        b[H_SACK_NEWEST_T] = b[s + FIRST_T]!;
        b[H_SACK_NEWEST_FRAME] = b[s + FIRST_FRAME]!;
      }
    }
  }

  /**
   * A D-SACK (RFC 2883) reported [left, right) received twice: the frame of the first re-send of
   * a re-sent entry (live or retired) overlapping it, not named before; -1 when none. Marks it
   * revised. (The receiver reports the first duplicate it got, so the first re-send is the copy
   * proven unnecessary.)
   */
  claimDuplicate(left: number, right: number): number {
    const b = this.buf;
    for (let i = this.firstEndingAfter(left); i < this.len; i++) {
      const s = this.slot(i);
      if (seqGe(b[s + START]!, right)) break;
      if (b[s + COPIES]! > 1 && (b[s + FLAGS]! & REVISED) === 0) {
        b[s + FLAGS] = b[s + FLAGS]! | REVISED;
        return b[s + RETX_FRAME]!;
      }
    }
    return this.retired === null ? -1 : this.retired.claim(left, right);
  }

  /** Mark the retired entry first re-sent in `retxFrame` revised (Eifel named it), so a later D-SACK does not name it again. */
  markRetiredRevised(retxFrame: number): void {
    this.retired?.markRevised(retxFrame);
  }
}
