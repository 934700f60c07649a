/**
 * Byte-exact reassembly of one direction of a TCP connection (RFC 9293 §3.10.7.4, "segment
 * arrives", seen from a passive observer). It places bytes in stream order and emits
 * `StreamSink` events, nothing more (style guide item 11): every stream offset comes out exactly
 * once, as data or inside a gap, in increasing order, then one end event.
 *
 * Stream offsets (RFC 9293 §3.4):
 * - A SYN occupies one sequence number and fixes the origin: offset 0 is the first byte after it.
 *   Data carried on the SYN (TCP Fast Open) is delivered at offset 0.
 * - Without a SYN (capture picked up mid-connection) the origin is the sequence number of the
 *   first segment seen in this direction; bytes before it are not part of the stream (counted in
 *   `preOriginBytes`, never a gap).
 *   If that first segment is empty (a pure ACK or keep-alive), the origin is tentative: the first
 *   data segment at it or one byte past it (a keep-alive sits at SND.NXT - 1) becomes offset 0.
 * - A FIN occupies one sequence number after the last data byte: when the stream reaches it, the
 *   stream ends with `'fin'`. An RST ends it at once with `'rst'`: held bytes below the RST's
 *   sequence number are flushed first (holes between them as gaps), bytes above it are dropped.
 *
 * Policies (documented choices):
 * - Overlaps: the first copy wins by default (`'first'`): Zeek keeps the original bytes and
 *   reports `rexmit_inconsistency`, Wireshark's reassembly keeps the first data seen, and a
 *   receiver has usually delivered the first copy to the application already, so it is the best
 *   guess of what the application read. `'last'` replaces bytes still held (Linux drops a queued
 *   out-of-order segment that a new one covers entirely). Delivered bytes are final under both.
 *   A differing overlap is reported with `inconsistent = true`. Overlaps with delivered bytes
 *   are compared with a history (tcp-history.ts) sure to keep the bytes the peer has not
 *   acknowledged (up to `historyBytes`), acknowledged ones only while it has room: bytes no longer
 *   kept count as `unverifiedOverlapBytes` (a resend of acknowledged data is spurious anyway).
 * - Gaps, each with a `GapCause` (stream-sink.ts): bytes below an ACK from the peer that were
 *   never captured (`'acked'`), the uncaptured tail of a snap-length-cut segment once later
 *   data, the FIN, an ACK or the end passes it (`'snaplen'`, also counted in `stats.truncated`),
 *   holes left at `close`/RST (`'hole'`), the range up to a FIN beyond the data at `close`
 *   (`'close'`), and holes skipped on a cap (`'limit'`).
 * - Caps (`ReassemblyLimits`): past `maxBufferedBytes` held bytes or `maxSegments` held segments,
 *   skip forward: deliver the oldest held run with the hole before it as a gap (`limitHits`).
 * - Far jumps: a segment or ACK more than `maxJump` (2^30, the largest window RFC 7323 allows)
 *   ahead of the next expected byte is ignored and counted (`outOfWindow`); nothing is buffered
 *   or reported as a gap for it, so no input can make the reassembler allocate beyond its caps.
 * - A 1-byte segment at exactly the last delivered byte (a keep-alive with a garbage byte) is not
 *   an overlap.
 * - Known limit: an ACK that covers a FIN the capture never saw makes a gap one byte too long
 *   (the FIN's sequence number cannot be told from a data byte).
 *
 * Cost: in-order data (snap-length-cut or not) is delivered straight from the capture buffer
 * with no allocation besides the history copy (`historyBytes: 0` disables it); only out-of-order
 * data is copied (segment-store.ts). A cut tail at `next` with nothing held is a pending range
 * (`tailEnd`), not a store entry; any event but the next segment or an ACK moves it into the
 * store first (`settleTail`), so the policies are the same. History and store go at the end.
 */
import type { Direction } from '../core/direction.js';
import { DEFAULT_LIMITS, type ReassemblyLimits } from '../core/limits.js';
import { seqAdd, seqDiff } from '../core/seq.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import { SegmentStore, type OverlapPolicy, type OverlapReport } from './segment-store.js';
import type { GapCause, StreamEndReason, StreamSink } from './stream-sink.js';
import { DeliveredHistory } from './tcp-history.js';
import { newTcpReassemblyStats, type TcpReassemblyStats } from './tcp-stats.js';

export type { OverlapPolicy } from './segment-store.js';
export type { TcpReassemblyStats } from './tcp-stats.js';
export type { GapCause } from './stream-sink.js';

/** Options that are policy, not limits. */
export interface TcpReassemblerOptions {
  /** Which copy of overlapping held bytes wins (default `'first'`). */
  overlapPolicy?: OverlapPolicy;
}

const SYN_FIN_RST = TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST;
/** Shared by every ended direction: never written (segment/acked/close return early once done). */
const ENDED_STORE = new SegmentStore();
const ENDED_HISTORY = new DeliveredHistory(0);

/**
 * One direction's reassembler. Owned by the flow; feed it every segment sent in its direction.
 *
 * Layout for the per-packet path (a flow's objects are cold when its next packet comes): what
 * an in-order segment or an ACK reads lives in this object as small integers. The sequence
 * unwrapping is `core/seq.ts`'s `SeqUnwrapper` written out in two fields with the raw reference
 * kept as int32 (an unsigned one of 2^31 or more would be a boxed heap number); the counters
 * updated per segment are fields, the rest of `stats` a side object; `held` mirrors the store's
 * entry count, so the fast path does not touch the store.
 */
export class TcpStreamReassembler implements OverlapReport {
  // Fields in the order V8 lays them out: what the per-segment path reads first, together.
  private done = false;
  private originSet = false;
  /** The origin came from an empty mid-stream segment and may still move (see settleOrigin). */
  private tentative = false;
  /** Stream offset of the FIN (= stream length), or -1. */
  private fin = -1;
  /** `store.count` after the last call that may have changed the store. */
  private held = 0;
  /** End of a pending cut tail [next, tailEnd), or -1; only while the store is empty and no FIN is known. */
  private tailEnd = -1;
  /** Next stream offset to deliver: everything below went out as data or gap. */
  private next = 0;
  /** Unwrapping reference (SeqUnwrapper): raw sequence number (as int32) of stream offset `refRel`. */
  private refRaw = 0;
  private refRel = 0;
  /** Highest ACK at or below `next` seen: the history learns it on the next delivery (`trimTo`). */
  private ackedTo = 0;
  /** Where the stream goes, and its direction (fields, not constructor parameter properties: those would be laid out first). */
  private readonly sink: StreamSink;
  readonly dir: Direction;
  private hist: DeliveredHistory;
  /** Counters updated per delivered segment (the rest are in `st`; `stats` joins them). */
  private delivered = 0;
  private missed = 0;
  private truncated = 0;
  // ---- read off the fast path ----
  private readonly st: TcpReassemblyStats = newTcpReassemblyStats();
  private readonly lim: Readonly<ReassemblyLimits>;
  private readonly policy: OverlapPolicy;
  /** Replaced by shared empty ones when the stream ends (nothing is placed after the end). */
  private store = new SegmentStore();
  private synSeen = false;
  /** Set by the overlap report while one segment is being placed. */
  private overlapped = false;
  private frame = 0;

  constructor(dir: Direction, sink: StreamSink, limits: Readonly<Partial<ReassemblyLimits>> = {}, opts: TcpReassemblerOptions = {}) {
    this.dir = dir;
    this.sink = sink;
    // Shared defaults unless overridden (one object less per direction).
    this.lim = Object.keys(limits).length === 0 ? DEFAULT_LIMITS.reassembly : { ...DEFAULT_LIMITS.reassembly, ...limits };
    this.policy = opts.overlapPolicy ?? 'first';
    this.hist = new DeliveredHistory(this.lim.historyBytes);
  }

  /** The counters (a snapshot: read it again after more segments). */
  get stats(): TcpReassemblyStats {
    return { ...this.st, delivered: this.delivered, missed: this.missed, truncated: this.truncated };
  }

  /** Next stream offset to be delivered (everything below it was delivered or reported as a gap). */
  get nextOffset(): number {
    return this.next;
  }

  /** True once onEnd was emitted. */
  get ended(): boolean {
    return this.done;
  }

  /** Raw sequence number of offset 0, or -1 before the first segment. */
  get origin(): number {
    return this.originSet ? seqAdd(this.refRaw, -this.refRel) : -1;
  }

  /** Stream offset of a raw sequence number (nearest to the delivery point), or NaN before the origin is known. */
  offsetOf(seq: number): number {
    return this.originSet ? this.unwrap(seq) : NaN;
  }

  /** Out-of-order bytes held now. */
  get bufferedBytes(): number {
    return this.store.bytes;
  }

  /**
   * A segment sent in this direction: raw 32-bit `seq` (unsigned or its int32 alias: only its
   * value modulo 2^32 is used), TCP_FLAG bits, payload
   * `buf[off .. off+capLen)` of `wireLen` bytes on the wire (capLen < wireLen when the snap length
   * cut it). `buf` is only read during the call.
   */
  segment(seq: number, flags: number, buf: Uint8Array, off: number, capLen: number, wireLen: number, frame: number): void {
    if (this.done) {
      if (wireLen > 0 || (flags & SYN_FIN_RST) !== 0) this.st.afterEnd++;
      return;
    }
    if ((flags & TCP_FLAG.RST) !== 0) {
      this.settleTail();
      this.reset(seq, frame);
      return;
    }
    if (!this.originSet) this.setOrigin(seq, flags, wireLen);
    let start = this.unwrap(seq);
    if (this.tentative && wireLen > 0) start = this.settleOrigin(seq, start);
    // Fast path: the next in-order segment, nothing held but maybe a cut tail (no allocation).
    if ((flags & SYN_FIN_RST) === 0 && this.fin < 0 && this.held === 0) {
      const tail = this.tailEnd;
      if (tail < 0 && start === this.next) {
        this.inOrder(start, buf, off, capLen, wireLen, frame);
        return;
      }
      if (tail >= 0 && start === tail) {
        // Data right after the cut tail passes it: the tail is a gap. An empty segment there
        // (the sender's pure ACK) changes nothing; an uncaptured one extends the tail.
        if (capLen > 0) {
          this.tailEnd = -1;
          this.gap(tail - this.next, frame, 'snaplen');
        }
        this.inOrder(start, buf, off, capLen, wireLen, frame);
        return;
      }
    }
    this.settleTail();
    this.place(start, flags, buf, off, capLen, wireLen, frame);
    this.held = this.store.count;
  }

  /** Deliver the captured part of a segment at `next` (or at a pending tail's end, capLen 0); an uncaptured rest becomes the pending tail. */
  private inOrder(start: number, buf: Uint8Array, off: number, capLen: number, wireLen: number, frame: number): void {
    if (capLen > 0) this.deliver(buf, off, capLen, frame);
    if (wireLen > capLen) this.tailEnd = start + wireLen;
  }

  /** Move a pending cut tail into the store, where the general code handles it. */
  private settleTail(): void {
    if (this.tailEnd < 0) return;
    this.store.insertMissing(this.next, this.tailEnd, 0);
    this.held = this.store.count;
    this.tailEnd = -1;
  }

  /**
   * The peer acknowledged everything below raw `ack` (seen in frame `frame`): bytes below it the
   * capture never held become a gap and delivery continues past it (RFC 9293 §3.10.7.4: the peer
   * only acknowledges bytes it received, so they were sent).
   */
  acked(ack: number, frame: number): void {
    if (this.done || !this.originSet) return;
    let a = this.unwrap(ack);
    if (this.fin >= 0 && a > this.fin) a = this.fin;
    if (a <= this.next) {
      // Passed to the history with the next delivery (`deliver`), the only time it reads it:
      // an ACK then touches this object only, not the history's.
      if (a > this.ackedTo) this.ackedTo = a;
      return;
    }
    if (a - this.next > this.lim.maxJump) {
      this.st.outOfWindow++;
      return;
    }
    if (this.tailEnd >= 0) {
      // Same as the store would do: a cut tail the ACK reaches is flushed whole.
      const tail = this.tailEnd;
      this.tailEnd = -1;
      this.gap(tail - this.next, frame, 'snaplen');
    }
    for (let f = this.store.first(); f !== undefined && f.start < a; f = this.store.first()) this.flushFirst(frame, 'acked');
    if (this.next < a) this.gap(a - this.next, frame, 'acked');
    this.drain(frame);
    this.checkFin(frame);
    this.held = this.store.count;
  }

  /** End of capture or flow eviction: flush held segments in order (holes as gaps), then end. */
  close(frame: number): void {
    if (this.done) return;
    this.settleTail();
    this.flushAll(frame);
    if (this.fin > this.next) this.gap(this.fin - this.next, frame, 'close');
    this.end(this.fin >= 0 ? 'fin' : 'close', frame);
  }

  private setOrigin(seq: number, flags: number, wireLen: number): void {
    // RFC 9293 §3.4: the SYN occupies the ISN; data starts at ISN + 1.
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    this.resetOrigin(syn ? seq + 1 : seq);
    this.originSet = true;
    // Mid-stream, an empty segment (a keep-alive sits one below SND.NXT) fixes the origin only
    // tentatively: the first data segment at or one past it settles it.
    this.tentative = !syn && wireLen === 0 && (flags & TCP_FLAG.FIN) === 0;
  }

  /** First data after a tentative origin: a keep-alive's origin (one below the data) moves up to it. */
  private settleOrigin(seq: number, start: number): number {
    this.tentative = false;
    if (start !== 1 || this.next !== 0 || this.store.count !== 0) return start;
    this.resetOrigin(seq);
    return 0;
  }

  /** Make raw `raw` stream offset 0 (SeqUnwrapper.reset). */
  private resetOrigin(raw: number): void {
    this.refRaw = raw | 0;
    this.refRel = 0;
  }

  /** Stream offset of raw `raw`: the one within [-2^31, 2^31) of the reference (SeqUnwrapper.unwrap). */
  private unwrap(raw: number): number {
    return this.refRel + seqDiff(raw, this.refRaw);
  }

  /** Move the reference forward to `rel` (SeqUnwrapper.advanceTo; never back). */
  private advanceTo(rel: number): void {
    const d = rel - this.refRel;
    if (d > 0) {
      this.refRaw = (this.refRaw + d) | 0;
      this.refRel = rel;
    }
  }

  /** An RST (RFC 9293 §3.10.7.4, "check the RST bit"): held bytes below it are flushed, then the stream ends. */
  private reset(seq: number, frame: number): void {
    if (this.originSet) {
      const at = this.unwrap(seq);
      const limit = at > this.next && at - this.next <= this.lim.maxJump ? at : Infinity;
      for (let f = this.store.first(); f !== undefined && f.start < limit; f = this.store.first()) this.flushFirst(frame, 'hole');
    }
    this.end('rst', frame);
  }

  /** Any segment but the in-order fast path: trim, compare overlaps, hold or deliver. */
  private place(seqStart: number, flags: number, buf: Uint8Array, off: number, capLen: number, wireLen: number, frame: number): void {
    const s = this.st;
    let start = seqStart;
    let retrans = false;
    if ((flags & TCP_FLAG.SYN) !== 0) {
      start += 1;
      retrans = this.synSeen;
      this.synSeen = true;
    }
    if (start - this.next > this.lim.maxJump || this.next - start > this.lim.maxJump) {
      s.outOfWindow++;
      return;
    }
    let end = start + wireLen;
    if ((flags & TCP_FLAG.FIN) !== 0) retrans = this.noteFin(end) || retrans;
    if (this.fin >= 0 && end > this.fin) {
      s.afterFinBytes += end - Math.max(start, this.fin);
      end = Math.max(start, this.fin);
    }
    let capEnd = Math.min(start + capLen, end);
    if (start < 0) {
      // Before the origin of a stream picked up mid-connection: not part of the stream.
      s.preOriginBytes += Math.min(end, 0) - start;
      off += Math.max(0, Math.min(capEnd, 0) - start);
      capEnd = Math.max(capEnd, 0);
      end = Math.max(end, 0);
      start = 0;
    }
    if (start < this.next && end > start) {
      const upTo = Math.min(end, this.next);
      // A 1-byte keep-alive at the last delivered byte carries a garbage byte, not a retransmission.
      if (!(end - start === 1 && start === this.next - 1 && this.store.count === 0)) {
        retrans = true;
        this.overlapDelivered(start, upTo, buf, off, Math.min(capEnd, upTo), frame);
      }
      off += Math.max(0, Math.min(capEnd, upTo) - start);
      start = upTo;
      capEnd = Math.max(capEnd, start);
    }
    if (start < end) retrans = this.hold(start, capEnd, end, buf, off, frame) || retrans;
    if (retrans) s.retransmittedSegments++;
    this.drain(frame);
    this.enforceCaps(frame);
    this.checkFin(frame);
  }

  /** Place [start, end) (captured up to capEnd) at or after `next`; true when it overlapped held bytes. */
  private hold(start: number, capEnd: number, end: number, buf: Uint8Array, off: number, frame: number): boolean {
    // Data right after the run held at `next`: that run is passed, deliver it and go in order.
    if (start > this.next && capEnd > start && start === this.store.runEnd(this.next)) this.flushChain(frame);
    if (start === this.next && capEnd > start) {
      const f = this.store.first();
      const lim = f === undefined ? capEnd : Math.min(capEnd, f.start);
      if (lim > start) {
        this.deliver(buf, off, lim - start, frame);
        off += lim - start;
        start = lim;
      }
    }
    this.overlapped = false;
    this.frame = frame;
    if (capEnd > start) this.store.insertData(start, capEnd, buf, off, frame, this.policy, this);
    if (end > capEnd) this.store.insertMissing(Math.max(start, capEnd), end, frame);
    if (this.store.bytes > this.st.bufferedPeak) this.st.bufferedPeak = this.store.bytes;
    return this.overlapped;
  }

  /** OverlapReport, for the store: an overlap with held bytes while placing a segment. */
  onHeldOverlap(offset: number, len: number, differs: boolean): void {
    this.overlapped = true;
    this.st.overlaps++;
    if (differs) this.st.inconsistentOverlaps++;
    this.sink.onOverlap(this.dir, offset, len, differs, this.frame);
  }

  /** A retransmission of delivered bytes [start, end) (captured up to capEnd): compare with the history ring. */
  private overlapDelivered(start: number, end: number, buf: Uint8Array, off: number, capEnd: number, frame: number): void {
    const from = Math.max(start, this.hist.heldFrom);
    const vEnd = Math.max(from, capEnd);
    if (from > start) this.st.unverifiedOverlapBytes += Math.min(from, end) - start;
    const differs = vEnd > from && !this.hist.equals(from, buf, off + (from - start), vEnd - from);
    this.st.overlaps++;
    if (differs) this.st.inconsistentOverlaps++;
    this.sink.onOverlap(this.dir, start, end - start, differs, frame);
  }

  /** A FIN ending at `end` (the FIN's own offset). True when it repeats a FIN already seen. */
  private noteFin(end: number): boolean {
    if (this.fin >= 0) return this.fin === end;
    if (end < this.next) return false;
    this.fin = end;
    this.store.truncateFrom(end);
    return false;
  }

  /** Deliver the contiguous run held at `next` (uncaptured parts as gaps). */
  private flushChain(frame: number): void {
    for (let f = this.store.first(); f !== undefined && f.start === this.next; f = this.store.first()) this.flushFirst(frame, 'hole');
  }

  /** Deliver held runs at `next`; an uncaptured range only once data or the FIN follows it. */
  private drain(frame: number): void {
    for (let f = this.store.first(); f !== undefined && f.start === this.next; f = this.store.first()) {
      // The run at `next` must reach held data or the FIN for its uncaptured ranges to be passed.
      if (f.data === null && !this.store.runReachesData(this.next, this.fin)) break;
      this.flushFirst(frame, 'hole');
    }
  }

  /** Emit the first held entry, with the hole before it as a gap of cause `hole`. */
  private flushFirst(frame: number, hole: GapCause): void {
    const f = this.store.shift();
    if (f === undefined) return;
    if (f.start > this.next) this.gap(f.start - this.next, frame, hole);
    if (f.data !== null) this.deliver(f.data, 0, f.data.length, f.frame);
    else this.gap(f.end - this.next, frame, 'snaplen');
  }

  private flushAll(frame: number): void {
    while (this.store.count > 0) this.flushFirst(frame, 'hole');
  }

  /** Over a cap: skip forward until back under it (RFC-less: a memory bound, `limit_reached`). */
  private enforceCaps(frame: number): void {
    const lim = this.lim;
    const st = this.store;
    if (st.bytes <= lim.maxBufferedBytes && st.count <= lim.maxSegments) return;
    this.st.limitHits++;
    while (st.count > 0 && (st.bytes > lim.maxBufferedBytes || st.count > lim.maxSegments)) {
      this.flushFirst(frame, 'limit');
      this.flushChain(frame);
    }
    this.drain(frame);
  }

  private checkFin(frame: number): void {
    if (!this.done && this.fin >= 0 && this.next >= this.fin) this.end('fin', frame);
  }

  private deliver(buf: Uint8Array, off: number, len: number, frame: number): void {
    const at = this.next;
    this.sink.onData(this.dir, at, buf, off, len, frame);
    const hist = this.hist;
    hist.trimTo(this.ackedTo);
    hist.record(at, buf, off, len);
    this.next = at + len;
    this.delivered += len;
    this.advanceTo(this.next);
  }

  private gap(len: number, frame: number, cause: GapCause): void {
    this.sink.onGap(this.dir, this.next, len, frame, cause);
    this.next += len;
    this.missed += len;
    if (cause === 'snaplen') this.truncated += len;
    this.hist.gapTo(this.next);
    this.advanceTo(this.next);
  }

  private end(reason: StreamEndReason, frame: number): void {
    this.done = true;
    this.tailEnd = -1;
    this.store.clear();
    this.held = 0;
    this.hist.release();
    // An ended direction keeps only its counters (flows stay in the table a while after closing).
    this.store = ENDED_STORE;
    this.hist = ENDED_HISTORY;
    this.sink.onEnd(this.dir, reason, frame);
  }
}
