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
 * Hot path: `onPacket` allocates nothing (typed arrays, numbers). Owned by one flow.
 */
import { DIR, DIR_NAME, reverse, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from '../core/seq.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import type { RttJson } from '../flow/analyzers.js';
import {
  DEFAULT_MAX_RTO_MS, RFC6298_MIN_RTO_MS, RttEstimator, SampleStats, ms3, round3, type EstimatorBounds,
} from './rtt-estimator.js';
import { SentRing } from './rtt-segments.js';
import { TimeoutLog, type BackoffJson } from './rtt-timeouts.js';
import { TsvalRing } from './rtt-tsval.js';
import { VantageTracker, type RttMeaning, type VantageJson } from './rtt-vantage.js';
import { SEG } from './seg-flags.js';

export type { VantageJson, RttMeaning } from './rtt-vantage.js';
export type { BackoffJson } from './rtt-timeouts.js';

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

/** Later evidence that a retransmission was unnecessary. */
export interface RttRevision {
  /** Frame carrying the evidence (the ACK). */
  frame: number;
  /** First re-send of the data it proves spurious. */
  retransmittedFrame: number;
  /** Direction of the retransmitted data. */
  dir: 'c2s' | 's2c';
  /** 'dsack': RFC 2883 duplicate SACK; 'tsecr': RFC 3522 Eifel (the ACK echoes the original's TSval). */
  evidence: 'dsack' | 'tsecr';
}

/** Per-direction summary: the schema's `$defs/rtt` plus tcpscope's own fields. */
export interface RttSummary extends RttJson {
  estimator: 'rfc6298' | 'classic';
  meaning: RttMeaning;
  handshakeMs: number | null;
  rfc6298: { srttMs: number | null; rttvarMs: number | null; rtoMs: number };
  classic: { srttMs: number | null; rtoMs: number };
  bounds: { minRtoMs: number; maxRtoMs: number; granularityMs: number };
  ack: ReturnType<SampleStats['toJson']>;
  sack: ReturnType<SampleStats['toJson']>;
  ts: ReturnType<SampleStats['toJson']>;
  fed: { ack: number; sack: number; ts: number };
  ambiguous: number;
  unknownTiming: number;
  timeouts: number;
  timerMs: number[];
  backoff: BackoffJson[];
  backoffChains: number;
  spuriousRetransmissions: number;
  dsacks: number;
  limits: { mergedSegments: number; droppedTsvals: number };
}

/** State of one direction of data (its sender's segments, the peer's ACKs of them). */
class DirRtt {
  readonly ring: SentRing;
  readonly tsv: TsvalRing;
  readonly est: RttEstimator;
  readonly ackStats = new SampleStats();
  readonly sackStats = new SampleStats();
  readonly tsStats = new SampleStats();
  readonly timeouts: TimeoutLog;
  una = 0;
  hasUna = false;
  lastAdvanceT = -1;
  ambiguous = 0;
  unknown = 0;
  fedAck = 0;
  fedSack = 0;
  fedTs = 0;
  spurious = 0;
  dsacks = 0;
  /** End of this direction's SYN (-1 none); the sample of the ACK covering it is the handshake sample. */
  synEnd = -1;
  handshake = -1;

  constructor(bounds: EstimatorBounds, o: RttOptions) {
    this.ring = new SentRing(o.maxOutstanding ?? 1024);
    this.tsv = new TsvalRing(o.maxTsvals ?? 1024);
    this.est = new RttEstimator(bounds);
    this.timeouts = new TimeoutLog(o.listCap ?? 32);
  }
}

const EVIDENCE = ['dsack', 'tsecr'] as const;

export class RttTracker {
  // ---- evidence of the last onPacket: the oldest tracked data the segment re-sent (-1 none) ----
  /** Frame / time of that data's first transmission. */
  retxFirstFrame = -1;
  retxFirstT = -1;
  /** Time of its previous transmission. */
  retxPrevT = -1;
  /** Copy number of this transmission (2 = first re-send). */
  retxCopy = -1;

  // ---- samples taken by the last onPacket (its ACK times the other direction's data) ----
  /** The ACK-matched sample (Karn-clean), seconds; -1 none. */
  lastAckSample = -1;
  /** The sample fed to the estimator, seconds; -1 none. */
  lastSample = -1;
  /** Its source: 0 none, 1 ACK-matched, 2 SACK, 3 TS echo. */
  lastSampleSource = 0;

  private readonly bounds: EstimatorBounds;
  private readonly oldest: boolean;
  private readonly classicFills: boolean;
  /** TS tick in seconds when samples use the sender's clock, else 0. */
  private readonly senderTick: number;
  private readonly dirs: readonly [DirRtt, DirRtt];
  private readonly vant = new VantageTracker();
  /** Listed revisions (allocated on the first one). */
  private revFrame: Float64Array | null = null;
  private revRetx: Float64Array | null = null;
  private revKind: Uint8Array | null = null;
  private readonly maxRevisions: number;
  private revListed = 0;
  /** Revisions found (listed or not). */
  revisionCount = 0;

  constructor(opts: RttOptions = {}) {
    this.bounds = {
      minRtoMs: opts.minRtoMs ?? RFC6298_MIN_RTO_MS,
      maxRtoMs: opts.maxRtoMs ?? DEFAULT_MAX_RTO_MS,
      granularityMs: opts.granularityMs ?? 0,
    };
    this.oldest = opts.ackSample === 'oldest';
    this.classicFills = opts.estimator === 'classic';
    this.senderTick = opts.tsClock === 'sender-ticks' ? (opts.tsTickMs ?? 1) / 1000 : 0;
    this.dirs = [new DirRtt(this.bounds, opts), new DirRtt(this.bounds, opts)];
    this.maxRevisions = opts.maxRevisions ?? 64;
  }

  /** Every packet of the flow in capture order; `seg` = the classifier's SEG bits for it. Allocation-free. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number): void {
    this.retxFirstFrame = -1;
    this.retxFirstT = -1;
    this.retxPrevT = -1;
    this.retxCopy = -1;
    this.lastAckSample = -1;
    this.lastSample = -1;
    this.lastSampleSource = 0;
    const flags = pkt.tcpFlags;
    this.vant.onPacket(flags, dir, pkt.seq, pkt.ack, pkt.ttl, t);
    if ((flags & RST) !== 0) return; // no sequence space; its ACK field is not a cumulative ACK to time
    const d = this.dirs[dir];
    if (pkt.tsval >= 0) d.tsv.sent(pkt.tsval, t, frame);
    const len = pkt.payloadWireLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
    if (len > 0) this.onSend(d, pkt, frame, t, seg, len);
    if ((flags & ACK) !== 0) this.onAck(this.dirs[reverse(dir)], reverse(dir), pkt, frame, t);
  }

  private onSend(d: DirRtt, pkt: DecodedPacket, frame: number, t: number, seg: number, len: number): void {
    const end = seqAdd(pkt.seq, len);
    if ((pkt.tcpFlags & SYN) !== 0) d.synEnd = end;
    const ring = d.ring;
    ring.send(pkt.seq, end, t, frame, pkt.tsval);
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0) d.spurious++;
    if (ring.sendCopy < 0) {
      if ((seg & SEG.RETRANSMISSION) !== 0) d.timeouts.count++; // re-sends data sent before the capture
      return;
    }
    this.retxFirstFrame = ring.sendFirstFrame;
    this.retxFirstT = ring.sendFirstT;
    this.retxPrevT = ring.sendPrevT;
    this.retxCopy = ring.sendCopy;
    // Timeouts: SEG.RETRANSMISSION only. FAST_RETRANSMISSION has its own trigger (dup ACKs);
    // SPURIOUS re-sends data already acknowledged (no outstanding byte to time); OUT_OF_ORDER is
    // a re-send too quick to be a timeout (or reordering). All of them still count for Karn.
    if ((seg & SEG.RETRANSMISSION) === 0) return;
    const timerStart = Math.max(ring.sendPrevT, d.lastAdvanceT);
    d.timeouts.add(ring.sendFirstT >= 0 ? t - ring.sendFirstT : -1, t - timerStart);
    if (ring.sendCopy >= 3) d.timeouts.resend(ring.sendFirstFrame, ring.sendFirstT, ring.sendPrevT, t, ring.sendCopy);
  }

  /** `pkt` (from the other side) acknowledges `d`'s data. */
  private onAck(d: DirRtt, dd: Direction, pkt: DecodedPacket, frame: number, t: number): void {
    const a = pkt.ack;
    const ring = d.ring;
    const advances = d.hasUna ? seqGt(a, d.una) : ring.len > 0 && seqGt(a, ring.startOf(0));
    ring.ack(a);
    let r = -1;
    if (ring.ackPopped > 0) {
      if (ring.ackAnyRetx) {
        d.ambiguous++;
        this.eifel(d, dd, pkt, frame);
      } else if (ring.ackAnyUnknown) {
        d.unknown++;
      } else {
        const st = this.oldest ? ring.ackOldestT : ring.ackNewestT;
        if (st >= 0) {
          r = t - st;
          d.ackStats.note(r);
          d.fedAck++;
          this.lastAckSample = r;
          this.lastSampleSource = 1;
        }
      }
    }
    if (pkt.sackCount > 0) {
      const s = this.onSack(d, dd, pkt, a, frame, t);
      if (r < 0 && s >= 0) {
        r = s;
        d.fedSack++;
        this.lastSampleSource = 2;
      }
    }
    if (pkt.tsecr >= 0) {
      const st = d.tsv.echo(pkt.tsecr, advances);
      // Sender's clock: every ACK of new data with a non-zero echo is a sample (as Linux takes them).
      const ts = this.senderTick > 0 ? (advances && pkt.tsecr !== 0 && d.tsv.lastT >= 0 ? this.senderTicks(d, pkt.tsecr, t) : -1) : st >= 0 ? t - st : -1;
      if (ts >= 0) {
        d.tsStats.note(ts);
        if (r < 0) {
          r = ts;
          d.fedTs++;
          this.lastSampleSource = 3;
        }
      }
    }
    if (r >= 0) {
      this.lastSample = r;
      d.est.add(r);
      if (d.handshake < 0 && d.synEnd >= 0 && seqLe(d.synEnd, a)) d.handshake = r;
    }
    if (advances || !d.hasUna) {
      if (advances) d.lastAdvanceT = t;
      d.una = a;
      d.hasUna = true;
    }
  }

  /** A TS sample as the sender measures it: (its TS clock now − TSecr) ticks, at least one. */
  private senderTicks(d: DirRtt, tsecr: number, t: number): number {
    const tick = this.senderTick;
    const now = d.tsv.newest + Math.floor((t - d.tsv.lastT) / tick);
    return Math.max(1, seqDiff(now >>> 0, tsecr)) * tick;
  }

  /** RFC 3522 §3.2: the first ACK of re-sent data echoes a TSval older than the first re-send's → spurious. */
  private eifel(d: DirRtt, dd: Direction, pkt: DecodedPacket, frame: number): void {
    const ring = d.ring;
    if (pkt.tsecr < 0 || ring.ackRetxTsval < 0 || ring.ackRetxRevised) return;
    if (!seqLt(pkt.tsecr, ring.ackRetxTsval)) return;
    this.revise(frame, ring.ackRetxFrame, dd, 1);
    ring.markRetiredRevised(ring.ackRetxFrame);
  }

  /** SACK blocks of `pkt` about `d`'s data: D-SACK check, then marking; returns the SACK sample (s) or -1. */
  private onSack(d: DirRtt, dd: Direction, pkt: DecodedPacket, a: number, frame: number, t: number): number {
    const b = pkt.sackBlocks;
    const l0 = b[0]!;
    const r0 = b[1]!;
    // RFC 2883 §4: the first block is a D-SACK when it lies below the cumulative ACK or inside the second block.
    const dsack = seqLt(l0, a) || (pkt.sackCount > 1 && !seqLt(l0, b[2]!) && !seqGt(r0, b[3]!));
    if (dsack) {
      d.dsacks++;
      const f = d.ring.claimDuplicate(l0, r0);
      if (f >= 0) this.revise(frame, f, dd, 0);
    }
    const ring = d.ring;
    ring.sackBegin();
    for (let i = dsack ? 1 : 0; i < pkt.sackCount; i++) ring.sack(b[2 * i]!, b[2 * i + 1]!);
    const st = this.oldest ? ring.sackOldestT : ring.sackNewestT;
    if (st < 0) return -1;
    d.sackStats.note(t - st);
    return t - st;
  }

  private revise(frame: number, retxFrame: number, dd: Direction, kind: number): void {
    this.revisionCount++;
    const i = this.revListed;
    if (i >= this.maxRevisions) return;
    const fr = (this.revFrame ??= new Float64Array(this.maxRevisions));
    const rx = (this.revRetx ??= new Float64Array(this.maxRevisions));
    const kd = (this.revKind ??= new Uint8Array(this.maxRevisions));
    fr[i] = frame;
    rx[i] = retxFrame;
    kd[i] = kind * 2 + dd;
    this.revListed++;
  }

  /** Current smoothed RTT of `dir`'s data in seconds (-1 unknown), per the chosen estimator. */
  srtt(dir: Direction): number {
    const e = this.dirs[dir].est;
    return this.classicFills ? e.classicSrtt : e.srtt;
  }

  /** Listed revisions (capture order; `revisionCount` counts all). */
  revisions(): RttRevision[] {
    const out: RttRevision[] = [];
    const fr = this.revFrame;
    const rx = this.revRetx;
    const kd = this.revKind;
    if (fr === null || rx === null || kd === null) return out;
    for (let i = 0; i < this.revListed; i++) {
      const k = kd[i]!;
      out.push({ frame: fr[i]!, retransmittedFrame: rx[i]!, dir: DIR_NAME[k & 1]!, evidence: EVIDENCE[k >> 1]! });
    }
    return out;
  }

  /** Where the capture sits and what each direction's samples mean there. */
  vantage(): VantageJson {
    const c = this.dirs[DIR.C2S].ackStats;
    const s = this.dirs[DIR.S2C].ackStats;
    return this.vant.result(c.count > 0 ? c.min : -1, s.count > 0 ? s.min : -1);
  }

  /** RTT summary of `dir`'s data. */
  summary(dir: Direction): RttSummary {
    const d = this.dirs[dir];
    const e = d.est;
    const has = e.count > 0;
    const rfc = { srttMs: has ? ms3(e.srtt) : null, rttvarMs: has ? ms3(e.rttvar) : null, rtoMs: round3(e.rtoMs()) };
    const classic = { srttMs: has ? ms3(e.classicSrtt) : null, rtoMs: round3(e.classicRtoMs()) };
    const fill = this.classicFills ? { srttMs: classic.srttMs, rttvarMs: null, rtoMs: classic.rtoMs } : rfc;
    const n = e.count;
    return {
      samples: n,
      minMs: n > 0 ? ms3(e.min) : null,
      meanMs: n > 0 ? ms3(e.sum / n) : null,
      maxMs: n > 0 ? ms3(e.max) : null,
      srttMs: fill.srttMs,
      rttvarMs: fill.rttvarMs,
      rtoMs: has ? fill.rtoMs : null,
      observedRtoMs: d.timeouts.observedMs(),
      estimator: this.classicFills ? 'classic' : 'rfc6298',
      meaning: this.vantage().meaning[DIR_NAME[dir]],
      handshakeMs: d.handshake >= 0 ? ms3(d.handshake) : null,
      rfc6298: rfc,
      classic,
      bounds: { minRtoMs: this.bounds.minRtoMs, maxRtoMs: this.bounds.maxRtoMs, granularityMs: this.bounds.granularityMs },
      ack: d.ackStats.toJson(),
      sack: d.sackStats.toJson(),
      ts: d.tsStats.toJson(),
      fed: { ack: d.fedAck, sack: d.fedSack, ts: d.fedTs },
      ambiguous: d.ambiguous,
      unknownTiming: d.unknown,
      timeouts: d.timeouts.count,
      timerMs: d.timeouts.timerMs(),
      backoff: d.timeouts.backoff(),
      backoffChains: d.timeouts.chainCount,
      spuriousRetransmissions: d.spurious,
      dsacks: d.dsacks,
      limits: { mergedSegments: d.ring.merged, droppedTsvals: d.tsv.dropped },
    };
  }
}
