/**
 * RTT and RTO of one flow (issue 5 §2), per direction of data: samples from data → ACK matching
 * under Karn's rule (RFC 6298 §3: none from re-sent data; counted as `ambiguous`), from SACK
 * blocks (newly SACKed data, as Linux's `sack_rtt`), and from TSval/TSecr echoes (RFC 7323 §4);
 * the RFC 6298 estimator (rtt-estimator.ts) and the classic RFC 793 one side by side; observed
 * timeouts and backoff (rtt-timeouts.ts); the capture's vantage point (rtt-vantage.ts); and later
 * evidence that a retransmission was spurious: D-SACK (RFC 2883) and Eifel's TSecr test
 * (RFC 3522 §3.2), as `revisions` for the orchestrator's two-pass relabelling.
 *
 * Sample rules:
 * - One ACK-matched sample per ACK that advances the cumulative ACK: from the newest segment it
 *   acknowledges in full (Wireshark's `ack_rtt`, tcptrace), or with `ackSample: 'oldest'` the
 *   oldest (what Linux feeds its SRTT: `tcp_clean_rtx_queue`'s `first_ackt`). None when any
 *   segment it acknowledges was sent more than once (Karn, `ambiguous`) or has unknown timing.
 * - SYN and FIN occupy one sequence number, so SYN → SYN/ACK is the first c2s sample and
 *   SYN/ACK → ACK the first s2c sample; they are ordinary samples (counted in `samples`) and
 *   also reported as `handshakeMs`.
 * - The estimator gets one sample per ACK, in Linux's order of preference (`tcp_ack_update_rtt`):
 *   the ACK-matched sample, else a SACK sample, else the TS echo sample. ACK-matched samples
 *   come first because TS samples are quantised by the sender's TS clock (rtt-tsval.ts); TS
 *   samples are never ambiguous, so they fill in exactly where Karn's rule leaves a gap.
 *   `samples`/min/mean/max describe the samples fed; `ack`, `sack`, `ts` each source.
 *
 * Hot path: `onPacket` allocates nothing (typed arrays, numbers). Data-oriented: the scalar state
 * of both directions (estimators, statistics, counters, una, vantage) is one Float64Array, the
 * rings keep their scalars in their own buffers' headers, so a packet touches few cache lines and
 * no boxed doubles. Owned by one flow. The state layout is in rtt-state.ts, the report records
 * and their builders in rtt-report.ts, the D-SACK / Eifel tests and the revisions list in
 * rtt-revisions.ts (types re-exported here).
 */
import { DIR, DIR_NAME, reverse, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt, seqLe } from '../core/seq.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import {
  DEFAULT_MAX_RTO_MS, EST_CLASSIC, EST_SRTT, RFC6298_MIN_RTO_MS, ST_COUNT, ST_MIN,
  estAdd, estInit, statsInit, statsNote, type EstimatorBounds,
} from './rtt-estimator.js';
import { boundsOf, rttSummary, type RttSummary } from './rtt-report.js';
import {
  EVIDENCE_DSACK, EVIDENCE_TSECR, EVIDENCE_TSVAL, RevisionLog, eifelSpurious, isDsack, type RttRevision,
} from './rtt-revisions.js';
import { SentRing } from './rtt-segments.js';
import {
  D_ACK_STATS, D_AMBIGUOUS, D_DSACKS, D_EST, D_FED_ACK, D_FED_SACK, D_FED_TS, D_HANDSHAKE, D_HAS_UNA, D_LAST_ADVANCE_T,
  D_SACK_STATS, D_SLOTS, D_SPURIOUS, D_SYN_END, D_TIMEOUTS, D_TS_STATS, D_UNA, D_UNKNOWN, G_LAST_ACK_SAMPLE, G_LAST_SAMPLE,
  G_LAST_SOURCE, G_RETX_COPY, G_RETX_FIRST_FRAME, G_RETX_FIRST_T, G_RETX_PREV_T, G_SLOTS, G_VANTAGE, RTT_STATE_SLOTS,
} from './rtt-state.js';
import { TimeoutLog } from './rtt-timeouts.js';
import { TsvalRing } from './rtt-tsval.js';
import { vantageInit, vantageOnPacket, vantageResult, type VantageJson } from './rtt-vantage.js';
import { SEG } from './seg-flags.js';

export type { VantageJson, RttMeaning } from './rtt-vantage.js';
export type { BackoffJson } from './rtt-timeouts.js';
export type { RttSummary } from './rtt-report.js';
export type { RttRevision } from './rtt-revisions.js';
export { RTT_STATE_SLOTS } from './rtt-state.js';

const { SYN, FIN, RST, ACK } = TCP_FLAG;

export interface RttOptions {
  /** Which estimator fills `srttMs`/`rttvarMs`/`rtoMs` (both are always reported). Default 'rfc6298'. */
  estimator?: 'rfc6298' | 'classic';
  /** RTO floor, ms: 1000 (RFC 6298 §2.4, default) or 200 (Linux). */
  minRtoMs?: number;
  /** RTO cap, ms (RFC 6298 §2.5: ≥ 60000; default 60000). */
  maxRtoMs?: number;
  /** Clock granularity G of RFC 6298, ms (default 0). */
  granularityMs?: number;
  /** Which acknowledged segment times an ACK: 'newest' (default, Wireshark/tcptrace) or 'oldest' (Linux SRTT). */
  ackSample?: 'newest' | 'oldest';
  /**
   * How a TS echo sample is measured: 'capture' (default) from the capture time of the first
   * packet carrying the echoed TSval; 'sender-ticks' as the sender itself does (RFC 7323 §4,
   * Linux `tcp_ack_update_rtt`): its current TS clock minus TSecr, in ticks of `tsTickMs`
   * (Linux: 1 ms), 0 counted as 1 tick — to reproduce a Linux sender's SRTT. The sender's
   * clock at the ACK is estimated from its newest TSval and the time elapsed since it was first seen.
   */
  tsClock?: 'capture' | 'sender-ticks';
  /** The sender's TS tick for 'sender-ticks', ms (default 1, Linux `TCP_TS_HZ` = 1000). */
  tsTickMs?: number;
  /** Outstanding segments tracked per direction (default 1024; see rtt-segments.ts). */
  maxOutstanding?: number;
  /** Distinct unechoed TSvals tracked per direction (default 1024). */
  maxTsvals?: number;
  /** Observed timeouts listed per direction (default 32; all are counted). */
  listCap?: number;
  /** Revisions listed per flow (default 64; all are counted). */
  maxRevisions?: number;
}

export class RttTracker {
  // ---- evidence of the last onPacket: the oldest tracked data the segment re-sent (-1 none) ----
  /** Frame / time of that data's first transmission. */
  get retxFirstFrame(): number {
    return this.f[this.b + G_RETX_FIRST_FRAME]!;
  }

  get retxFirstT(): number {
    return this.f[this.b + G_RETX_FIRST_T]!;
  }

  /** Time of its previous transmission. */
  get retxPrevT(): number {
    return this.f[this.b + G_RETX_PREV_T]!;
  }

  /** Copy number of this transmission (2 = first re-send). */
  get retxCopy(): number {
    return this.f[this.b + G_RETX_COPY]!;
  }

  // ---- samples taken by the last onPacket (its ACK times the other direction's data) ----
  /** The ACK-matched sample (Karn-clean), seconds; -1 none. */
  get lastAckSample(): number {
    return this.f[this.b + G_LAST_ACK_SAMPLE]!;
  }

  /** The sample fed to the estimator, seconds; -1 none. */
  get lastSample(): number {
    return this.f[this.b + G_LAST_SAMPLE]!;
  }

  /** Its source: 0 none, 1 ACK-matched, 2 SACK, 3 TS echo. */
  get lastSampleSource(): number {
    return this.f[this.b + G_LAST_SOURCE]!;
  }

  /**
   * All numeric state (layout above) at offset `b` of `f`: FlowBehaviour passes the flow's state
   * block (flow-state.ts), shared by all its trackers, so a packet touches one typed-array object.
   */
  private readonly f: Float64Array;
  private readonly b: number;
  /** Per direction (fields, not a tuple: one indirection less per packet). */
  private readonly ring0: SentRing;
  private readonly ring1: SentRing;
  private readonly tsv0: TsvalRing;
  private readonly tsv1: TsvalRing;
  /**
   * Bit `1 << dir`: ring(dir) holds no entry and its last `ack` popped none (as of its last
   * `send` or `ack`, the only calls that change either), so `ack` would change nothing and
   * report no pop: onAck then leaves the ring alone. Every data segment acks the other
   * direction's ring, empty in a one-way transfer; this keeps that cold object untouched.
   */
  private ringIdle = 3;
  /** Made on the first listed timeout / resend chain of the direction (most flows have none). */
  private tlog0: TimeoutLog | null = null;
  private tlog1: TimeoutLog | null = null;
  private readonly listCap: number;
  private readonly bounds: Readonly<EstimatorBounds>;
  private readonly oldest: boolean;
  private readonly classicFills: boolean;
  /** TS tick in seconds when samples use the sender's clock, else 0. */
  private readonly senderTick: number;
  /** Listed revisions (rtt-revisions.ts; made on the first one). */
  private revs: RevisionLog | null = null;
  private readonly maxRevisions: number;
  /** Revisions found (listed or not). */
  revisionCount = 0;

  /** `state`, `base`: RTT_STATE_SLOTS zeroed doubles at `state[base]` to keep the state in (default: its own array). */
  constructor(opts: RttOptions = {}, state?: Float64Array, base = 0) {
    this.bounds = boundsOf(opts.minRtoMs ?? RFC6298_MIN_RTO_MS, opts.maxRtoMs ?? DEFAULT_MAX_RTO_MS, opts.granularityMs ?? 0);
    this.oldest = opts.ackSample === 'oldest';
    this.classicFills = opts.estimator === 'classic';
    this.senderTick = opts.tsClock === 'sender-ticks' ? (opts.tsTickMs ?? 1) / 1000 : 0;
    this.maxRevisions = opts.maxRevisions ?? 64;
    this.listCap = opts.listCap ?? 32;
    const maxOut = opts.maxOutstanding ?? 1024;
    const maxTs = opts.maxTsvals ?? 1024;
    this.ring0 = new SentRing(maxOut);
    this.ring1 = new SentRing(maxOut);
    this.tsv0 = new TsvalRing(maxTs);
    this.tsv1 = new TsvalRing(maxTs);
    const f = state ?? new Float64Array(RTT_STATE_SLOTS);
    this.f = f;
    this.b = state !== undefined ? base : 0;
    f[this.b + G_RETX_FIRST_FRAME] = -1;
    f[this.b + G_RETX_FIRST_T] = -1;
    f[this.b + G_RETX_PREV_T] = -1;
    f[this.b + G_RETX_COPY] = -1;
    f[this.b + G_LAST_ACK_SAMPLE] = -1;
    f[this.b + G_LAST_SAMPLE] = -1;
    vantageInit(f, this.b + G_VANTAGE);
    for (const dir of [DIR.C2S, DIR.S2C] as const) {
      const o = this.dirBase(dir);
      f[o + D_LAST_ADVANCE_T] = -1;
      f[o + D_SYN_END] = -1;
      f[o + D_HANDSHAKE] = -1;
      estInit(f, o + D_EST);
      statsInit(f, o + D_ACK_STATS);
      statsInit(f, o + D_SACK_STATS);
      statsInit(f, o + D_TS_STATS);
    }
  }

  /** Offset of `dir`'s block in `f`. */
  private dirBase(dir: Direction): number {
    return this.b + G_SLOTS + dir * D_SLOTS;
  }

  private ring(dir: Direction): SentRing {
    return dir === DIR.C2S ? this.ring0 : this.ring1;
  }

  private tsv(dir: Direction): TsvalRing {
    return dir === DIR.C2S ? this.tsv0 : this.tsv1;
  }

  private tlog(dir: Direction): TimeoutLog {
    if (dir === DIR.C2S) return (this.tlog0 ??= new TimeoutLog(this.listCap));
    return (this.tlog1 ??= new TimeoutLog(this.listCap));
  }

  /** Every packet of the flow in capture order; `seg` = the classifier's SEG bits for it. Allocation-free. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number): void {
    const f = this.f;
    f[this.b + G_RETX_FIRST_FRAME] = -1;
    f[this.b + G_RETX_FIRST_T] = -1;
    f[this.b + G_RETX_PREV_T] = -1;
    f[this.b + G_RETX_COPY] = -1;
    f[this.b + G_LAST_ACK_SAMPLE] = -1;
    f[this.b + G_LAST_SAMPLE] = -1;
    f[this.b + G_LAST_SOURCE] = 0;
    const flags = pkt.tcpFlags;
    vantageOnPacket(f, this.b + G_VANTAGE, flags, dir, pkt.seq, pkt.ack, pkt.ttl, t);
    if ((flags & RST) !== 0) return; // no sequence space; its ACK field is not a cumulative ACK to time
    if (pkt.tsval >= 0) this.tsv(dir).sent(pkt.tsval, t, frame);
    const len = pkt.payloadWireLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
    if (len > 0) this.onSend(dir, pkt, frame, t, seg, len);
    if ((flags & ACK) !== 0) this.onAck(reverse(dir), pkt, frame, t);
  }

  private onSend(dir: Direction, pkt: DecodedPacket, frame: number, t: number, seg: number, len: number): void {
    const f = this.f;
    const o = this.dirBase(dir);
    const end = seqAdd(pkt.seq, len);
    if ((pkt.tcpFlags & SYN) !== 0) f[o + D_SYN_END] = end;
    const ring = this.ring(dir);
    ring.send(pkt.seq, end, t, frame, pkt.tsval);
    this.ringIdle &= ~(1 << dir);
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0) f[o + D_SPURIOUS] = f[o + D_SPURIOUS]! + 1;
    const copy = ring.sendCopy;
    if (copy < 0) {
      if ((seg & SEG.RETRANSMISSION) !== 0) f[o + D_TIMEOUTS] = f[o + D_TIMEOUTS]! + 1; // re-sends data sent before the capture
      return;
    }
    const firstT = ring.sendFirstT;
    const prevT = ring.sendPrevT;
    f[this.b + G_RETX_FIRST_FRAME] = ring.sendFirstFrame;
    f[this.b + G_RETX_FIRST_T] = firstT;
    f[this.b + G_RETX_PREV_T] = prevT;
    f[this.b + G_RETX_COPY] = copy;
    // Timeouts: SEG.RETRANSMISSION only. FAST_RETRANSMISSION has its own trigger (dup ACKs);
    // SPURIOUS re-sends data already acknowledged (no outstanding byte to time); OUT_OF_ORDER is
    // a re-send too quick to be a timeout (or reordering). All of them still count for Karn.
    if ((seg & SEG.RETRANSMISSION) === 0) return;
    const timerStart = Math.max(prevT, f[o + D_LAST_ADVANCE_T]!);
    f[o + D_TIMEOUTS] = f[o + D_TIMEOUTS]! + 1;
    const log = this.tlog(dir);
    log.add(firstT >= 0 ? t - firstT : -1, t - timerStart);
    if (copy >= 3) log.resend(ring.sendFirstFrame, firstT, prevT, t, copy);
  }

  /** `pkt` (from the other side) acknowledges `dd`'s data. */
  private onAck(dd: Direction, pkt: DecodedPacket, frame: number, t: number): void {
    const f = this.f;
    const o = this.dirBase(dd);
    const a = pkt.ack;
    const ring = this.ring(dd);
    const hasUna = f[o + D_HAS_UNA] !== 0;
    const idle = (this.ringIdle & (1 << dd)) !== 0;
    // An idle ring is empty: no advance over its first entry, nothing to pop.
    const advances = hasUna ? seqGt(a, f[o + D_UNA]!) : !idle && ring.len > 0 && seqGt(a, ring.startOf(0));
    let popped = false;
    if (!idle) {
      ring.ack(pkt);
      popped = ring.ackPopped > 0;
      if (!popped && ring.len === 0) this.ringIdle |= 1 << dd;
    }
    let r = -1;
    if (popped) {
      if (ring.ackAnyRetx) {
        f[o + D_AMBIGUOUS] = f[o + D_AMBIGUOUS]! + 1;
        // Eifel: the ACK of re-sent data proves the first re-send spurious (rtt-revisions.ts).
        if (eifelSpurious(pkt.tsecr, ring.ackRetxTsval, ring.ackRetxRevised)) {
          this.revise(frame, ring.ackRetxFrame, dd, EVIDENCE_TSECR);
          ring.markRetiredRevised(ring.ackRetxFrame);
        }
      } else if (ring.ackAnyUnknown) {
        f[o + D_UNKNOWN] = f[o + D_UNKNOWN]! + 1;
      } else {
        const st = this.oldest ? ring.ackOldestT : ring.ackNewestT;
        if (st >= 0) {
          r = t - st;
          statsNote(f, o + D_ACK_STATS, r);
          f[o + D_FED_ACK] = f[o + D_FED_ACK]! + 1;
          f[this.b + G_LAST_ACK_SAMPLE] = r;
          f[this.b + G_LAST_SOURCE] = 1;
        }
      }
    }
    if (pkt.sackCount > 0) {
      const s = this.onSack(ring, o, dd, pkt, a, frame, t);
      if (r < 0 && s >= 0) {
        r = s;
        f[o + D_FED_SACK] = f[o + D_FED_SACK]! + 1;
        f[this.b + G_LAST_SOURCE] = 2;
      }
    }
    const tsecr = pkt.tsecr;
    if (tsecr >= 0) {
      const tsv = this.tsv(dd);
      const st = tsv.echo(pkt, advances);
      // Sender's clock: every ACK of new data with a non-zero echo is a sample (as Linux takes them).
      const ts = this.senderTick > 0 ? (advances && tsecr !== 0 && tsv.lastT >= 0 ? this.senderTicks(tsv, tsecr, t) : -1) : st >= 0 ? t - st : -1;
      if (ts >= 0) {
        statsNote(f, o + D_TS_STATS, ts);
        if (r < 0) {
          r = ts;
          f[o + D_FED_TS] = f[o + D_FED_TS]! + 1;
          f[this.b + G_LAST_SOURCE] = 3;
        }
      }
    }
    if (r >= 0) {
      f[this.b + G_LAST_SAMPLE] = r;
      estAdd(f, o + D_EST, r);
      if (f[o + D_HANDSHAKE]! < 0 && f[o + D_SYN_END]! >= 0 && seqLe(f[o + D_SYN_END]!, a)) f[o + D_HANDSHAKE] = r;
    }
    if (advances || !hasUna) {
      if (advances) f[o + D_LAST_ADVANCE_T] = t;
      f[o + D_UNA] = a;
      f[o + D_HAS_UNA] = 1;
    }
  }

  /** A TS sample as the sender measures it: (its TS clock now − TSecr) ticks, at least one. */
  private senderTicks(tsv: TsvalRing, tsecr: number, t: number): number {
    const tick = this.senderTick;
    const now = tsv.newest + Math.floor((t - tsv.lastT) / tick);
    return Math.max(1, seqDiff(now >>> 0, tsecr)) * tick;
  }

  /** SACK blocks of `pkt` about `dd`'s data (its ring, state at `o`): D-SACK check, then marking; returns the SACK sample (s) or -1. */
  private onSack(ring: SentRing, o: number, dd: Direction, pkt: DecodedPacket, a: number, frame: number, t: number): number {
    const f = this.f;
    const b = pkt.sackBlocks;
    const dsack = isDsack(b, pkt.sackCount, a);
    if (dsack) {
      f[o + D_DSACKS] = f[o + D_DSACKS]! + 1;
      const fr = ring.claimDuplicate(b[0]!, b[1]!);
      if (fr >= 0) this.revise(frame, fr, dd, EVIDENCE_DSACK);
    }
    ring.sackBegin();
    for (let i = dsack ? 1 : 0; i < pkt.sackCount; i++) ring.sack(b[2 * i]!, b[2 * i + 1]!);
    const st = this.oldest ? ring.sackOldestT : ring.sackNewestT;
    if (st < 0) return -1;
    statsNote(f, o + D_SACK_STATS, t - st);
    return t - st;
  }

  /** An out_of_order segment (`frame`) was sent after `evidenceFrame` (TSval order): a re-send. */
  noteSentLater(evidenceFrame: number, frame: number, dir: Direction): void {
    this.revise(evidenceFrame, frame, dir, EVIDENCE_TSVAL);
  }

  /** Evidence (EVIDENCE_* code) in `frame` about `dd`'s re-send in `retxFrame`: counted, and listed up to `maxRevisions`. */
  private revise(frame: number, retxFrame: number, dd: Direction, evidence: number): void {
    this.revisionCount++;
    (this.revs ??= new RevisionLog(this.maxRevisions)).add(frame, retxFrame, dd, evidence);
  }

  /** The flow has closed: give back the rings' spare memory (see SentRing/TsvalRing `condense`). */
  condense(): void {
    this.ring0.condense();
    this.ring1.condense();
    this.tsv0.condense();
    this.tsv1.condense();
  }

  /** Current smoothed RTT of `dir`'s data in seconds (-1 unknown), per the chosen estimator. */
  srtt(dir: Direction): number {
    return this.f[this.srttSlot(dir)]!;
  }

  /** Where `srtt(dir)` is in the flow's state block (a per-packet caller copies it from there without a boxed double). */
  srttSlot(dir: Direction): number {
    return this.dirBase(dir) + D_EST + (this.classicFills ? EST_CLASSIC : EST_SRTT);
  }

  /** Listed revisions (capture order; `revisionCount` counts all). */
  revisions(): RttRevision[] {
    return this.revs === null ? [] : this.revs.list();
  }

  /** Where the capture sits and what each direction's samples mean there. */
  vantage(): VantageJson {
    const f = this.f;
    const c = this.dirBase(DIR.C2S) + D_ACK_STATS;
    const s = this.dirBase(DIR.S2C) + D_ACK_STATS;
    return vantageResult(f, this.b + G_VANTAGE, f[c + ST_COUNT]! > 0 ? f[c + ST_MIN]! : -1, f[s + ST_COUNT]! > 0 ? f[s + ST_MIN]! : -1);
  }

  /** RTT summary of `dir`'s data; `vantage`: this tracker's `vantage()` when the caller has it already. */
  summary(dir: Direction, vantage?: VantageJson): RttSummary {
    const log = dir === DIR.C2S ? this.tlog0 : this.tlog1;
    const meaning = (vantage ?? this.vantage()).meaning[DIR_NAME[dir]];
    return rttSummary(this.f, this.dirBase(dir), this.classicFills, this.bounds, log, meaning, this.ring(dir).merged, this.tsv(dir).dropped);
  }
}
