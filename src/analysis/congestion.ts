/**
 * Congestion behaviour of one flow, per data direction (issue 5 §4). Owns, for each sender:
 *
 * - **loss episodes**: from the first retransmission to the ACK that covers the recovery point
 *   (the highest sequence number sent when the episode began; an RTO inside the episode moves it
 *   to the highest sent then, as Linux's `high_seq`). Recovery kind per retransmission: *fast*
 *   (triggered by the receiver's ACKs: the classifier's FAST_RETRANSMISSION bit, or the receiver
 *   sent something within the timer gap) or *timeout* (nothing came from the receiver for
 *   `timerGap` = max(2·SRTT, 2 ms), 200 ms when SRTT is unknown: a timer fired — RTO, or a
 *   RFC 8985 tail-loss probe). An episode with both is *mixed*.
 * - **dup-ACK runs** of the receiver (the classifier's DUPLICATE_ACK bits), as a histogram.
 * - **a congestion-window estimate** from flights (Jaiswal et al., INFOCOM 2004): ACK-clocked
 *   rounds — a round opens with the first data sent after the previous round closed and closes
 *   with the ACK that covers everything sent when it opened (≈ one RTT); the largest in-flight
 *   amount seen in the round is its flight, which approximates cwnd when the sender is
 *   cwnd-limited. Rounds touched by loss recovery, at the receiver's window, or that end with
 *   nothing outstanding (application-limited) are not used for phases.
 * - **phases**: consecutive valid rounds whose flight grows ×≥1.5 are slow start; growing less
 *   (or holding within one MSS) congestion avoidance (+~1 MSS per RTT for Reno, CUBIC's curve).
 *   The ssthresh estimate of an episode: the flight of the first round after a fast recovery
 *   (Linux/NewReno resume at ssthresh), or half the flight at loss after a timeout (Reno halving).
 *
 * Pure; one instance per flow, fed every packet in capture order. Allocation-free per packet:
 * numeric fields and typed arrays sized at construction (timeline ≤ 1000 points, decimated by
 * doubling its stride; at most 64 episodes listed, all counted).
 */
import { DIR, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGe, seqGt } from '../core/seq.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';

/** Timeline points kept per direction (decimated beyond). */
export const MAX_TIMELINE_POINTS = 1000;
/** Placeholder for arrays allocated on first use. */
const EMPTY = new Float64Array(0);
/** Loss episodes listed per direction (all are counted). */
export const MAX_EPISODES_LISTED = 64;
/** Flight growth per round that counts as slow start (doubling, with slack for delayed ACKs). */
export const SLOW_START_RATIO = 1.5;
/** Timer gap floor (s) and the default when SRTT is unknown (Linux's minimum RTO, 200 ms). */
export const TIMER_GAP_FLOOR_S = 0.002;
export const TIMER_GAP_DEFAULT_S = 0.2;

const KIND_FAST = 1;
const KIND_TIMEOUT = 2;
const ROUND_LOSS = 1;
const ROUND_RWND = 2;
const PHASE_NONE = 0;
const PHASE_SS = 1;
const PHASE_CA = 2;
/** Fields per listed episode: start t, duration s, kind bits, bytes, stall before s, flight at loss, ssthresh (-1 unknown), open. */
const EP_FIELDS = 8;
/** Dup-ACK run histogram buckets: 1, 2, 3, 4-7, 8+. */
const HIST_LABELS = ['1', '2', '3', '4-7', '8+'] as const;

/** One sender's congestion state (one per direction; plain numeric fields). */
export class SenderCongestion {
  started = false;
  /** Highest sequence number sent + 1 (raw u32) and highest cumulative ACK from the receiver. */
  sndMax = 0;
  sndUna = 0;
  unaKnown = false;
  /** Largest payload seen from this sender (its MSS estimate), bytes; 0 before any data. */
  mss = 0;
  dataSegments = 0;
  lastAdvanceT = -1;
  /** Time of the receiver's last packet, -1 none yet. */
  lastRevT = -1;

  // ---- loss episodes ----
  inEpisode = false;
  epStartT = 0;
  epRecover = 0;
  epKind = 0;
  epBytes = 0;
  epStall = 0;
  epFlight = 0;
  episodes = 0;
  fastEpisodes = 0;
  timeoutEpisodes = 0;
  mixedEpisodes = 0;
  lossS = 0;
  maxLossS = 0;
  retxBytes = 0;
  retxSegments = 0;
  spuriousSegments = 0;
  /** Listed episodes, EP_FIELDS numbers each; allocated at the first episode (most flows have none). */
  epList: Float64Array = EMPTY;
  epListed = 0;
  /** Listed episode waiting for its post-recovery flight (ssthresh), -1 none. */
  ssthreshPending = -1;

  // ---- dup-ACK runs ----
  dupRun = 0;
  dupRunAck = 0;
  dupRuns = 0;
  maxDupRun = 0;
  dupRunsGe3 = 0;
  readonly dupHist = new Float64Array(HIST_LABELS.length);

  // ---- rounds, cwnd estimate, phases ----
  roundOpen = false;
  roundMark = 0;
  roundStartT = 0;
  roundBytes = 0;
  roundFlight = 0;
  roundFlags = 0;
  rounds = 0;
  /** Flight of the last closed round (the current cwnd estimate), bytes; 0 none. */
  cwnd = 0;
  prevValid = 0;
  maxCwnd = 0;
  sumCwnd = 0;
  phase = PHASE_NONE;
  ssPhases = 0;
  caPhases = 0;
  ssS = 0;
  caS = 0;
  /** (t, flight) pairs; allocated at the first point, only when timelines are kept. */
  timeline: Float64Array = EMPTY;
  points = 0;
  stride = 1;
  strideCount = 0;
}

/** Options of the congestion tracker. */
export interface CongestionOptions {
  /** Keep the cwnd-estimate timeline for plots (default false: summaries only, no per-flow series). */
  timelines?: boolean;
}


export class CongestionTracker {
  private readonly s: readonly [SenderCongestion, SenderCongestion] = [new SenderCongestion(), new SenderCongestion()];
  private t0 = -1;
  private readonly timelines: boolean;

  constructor(opts: CongestionOptions = {}) {
    this.timelines = opts.timelines ?? false;
  }

  /** The state of `dir`'s sender (read-only use: the diagnosis reads it per packet). */
  sender(dir: Direction): Readonly<SenderCongestion> {
    return this.s[dir];
  }

  /** `dir`'s sender is inside a loss episode. */
  inRecovery(dir: Direction): boolean {
    return this.s[dir].inEpisode;
  }

  /**
   * One packet of the flow, capture order. `seg`: its SEG bits; `inFlightBytes`, `rwndBytes`,
   * `srttS`: the window and RTT trackers' values for `dir`'s data after this packet (-1 unknown).
   */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, inFlightBytes: number, rwndBytes: number, srttS: number): void {
    void frame;
    if (this.t0 < 0) this.t0 = t;
    this.asSender(this.s[dir], pkt, t, seg, inFlightBytes, rwndBytes, srttS);
    if ((pkt.tcpFlags & TCP_FLAG.ACK) !== 0) this.asReceiver(this.s[dir === DIR.C2S ? DIR.S2C : DIR.C2S], pkt, t, seg);
  }

  /** End of the flow at `lastT`: an open episode ends there (listed as open). */
  finish(lastT: number): void {
    for (const s of this.s) if (s.inEpisode) this.endEpisode(s, lastT, true);
  }

  /** The report's `congestion` section: `{c2s, s2c}` (null for a direction that sent no data). */
  section(): { c2s: unknown; s2c: unknown } {
    return { c2s: this.dirJson(this.s[DIR.C2S]), s2c: this.dirJson(this.s[DIR.S2C]) };
  }

  private asSender(s: SenderCongestion, pkt: DecodedPacket, t: number, seg: number, inFlight: number, rwnd: number, srtt: number): void {
    const len = pkt.payloadWireLen;
    const syn = (pkt.tcpFlags & TCP_FLAG.SYN) !== 0;
    const end = seqAdd(pkt.seq, len + (syn ? 1 : 0) + ((pkt.tcpFlags & TCP_FLAG.FIN) !== 0 ? 1 : 0));
    if (!s.started) {
      s.started = true;
      s.sndMax = end;
      if (!s.unaKnown) s.sndUna = pkt.seq;
    }
    if (syn && !s.unaKnown) s.sndUna = pkt.seq;
    if (len <= 0) {
      if (seqGt(end, s.sndMax)) s.sndMax = end;
      return;
    }
    s.dataSegments++;
    if (len > s.mss) s.mss = len;
    const retx = (seg & SEG_ANY_RETRANSMISSION) !== 0 && (seg & (SEG.ZERO_WINDOW_PROBE | SEG.KEEP_ALIVE)) === 0;
    if (retx) this.retransmission(s, t, seg, len, srtt);
    if (seqGt(end, s.sndMax)) s.sndMax = end;
    // rounds: the flight after this send
    const flight = inFlight >= 0 ? inFlight : s.unaKnown ? seqDiff(s.sndMax, s.sndUna) : -1;
    if (!s.roundOpen) {
      s.roundOpen = true;
      s.roundMark = s.sndMax;
      s.roundStartT = t;
      s.roundBytes = 0;
      s.roundFlight = 0;
      s.roundFlags = 0;
    }
    s.roundBytes += len;
    if (flight > s.roundFlight) s.roundFlight = flight;
    if (s.inEpisode) s.roundFlags |= ROUND_LOSS;
    const mss = s.mss;
    if (rwnd >= 0 && flight >= 0 && flight + mss > rwnd) s.roundFlags |= ROUND_RWND;
  }

  private retransmission(s: SenderCongestion, t: number, seg: number, len: number, srtt: number): void {
    s.retxSegments++;
    s.retxBytes += len;
    const gap = srtt > 0 ? Math.max(2 * srtt, TIMER_GAP_FLOOR_S) : TIMER_GAP_DEFAULT_S;
    const timer = (seg & SEG.FAST_RETRANSMISSION) === 0 && (s.lastRevT < 0 || t - s.lastRevT >= gap);
    const kind = timer ? KIND_TIMEOUT : KIND_FAST;
    if (s.inEpisode) {
      s.epKind |= kind;
      s.epBytes += len;
      if (timer) s.epRecover = s.sndMax;
      return;
    }
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0) {
      s.spuriousSegments++;
      return;
    }
    s.inEpisode = true;
    s.episodes++;
    s.epStartT = t;
    s.epRecover = s.sndMax;
    s.epKind = kind;
    s.epBytes = len;
    s.epStall = s.lastAdvanceT >= 0 ? t - s.lastAdvanceT : 0;
    s.epFlight = Math.max(s.roundFlight, s.cwnd);
    s.roundFlags |= ROUND_LOSS;
  }

  /** A packet from `s`'s receiver (it carries ACK). */
  private asReceiver(s: SenderCongestion, pkt: DecodedPacket, t: number, seg: number): void {
    s.lastRevT = t;
    const ack = pkt.ack;
    if (!s.started) return;
    if ((seg & SEG.DUPLICATE_ACK) !== 0) {
      if (s.dupRun > 0 && s.dupRunAck === ack) s.dupRun++;
      else {
        this.closeDupRun(s);
        s.dupRun = 1;
        s.dupRunAck = ack;
      }
    } else if (s.dupRun > 0) this.closeDupRun(s);
    if (!s.unaKnown || seqGt(ack, s.sndUna)) {
      s.sndUna = ack;
      s.unaKnown = true;
      s.lastAdvanceT = t;
    }
    if (seqGt(ack, s.sndMax)) s.sndMax = ack;
    if (s.inEpisode && seqGe(ack, s.epRecover)) this.endEpisode(s, t, false);
    if (s.roundOpen && seqGe(ack, s.roundMark)) this.closeRound(s, t, seqGe(ack, s.sndMax));
  }

  private closeDupRun(s: SenderCongestion): void {
    const n = s.dupRun;
    if (n <= 0) return;
    s.dupRuns++;
    if (n > s.maxDupRun) s.maxDupRun = n;
    if (n >= 3) s.dupRunsGe3++;
    s.dupHist[n <= 3 ? n - 1 : n < 8 ? 3 : 4]!++;
    s.dupRun = 0;
  }

  private endEpisode(s: SenderCongestion, t: number, open: boolean): void {
    const dur = t - s.epStartT;
    s.inEpisode = false;
    s.lossS += dur;
    if (dur > s.maxLossS) s.maxLossS = dur;
    const k = s.epKind;
    if (k === KIND_FAST) s.fastEpisodes++;
    else if (k === KIND_TIMEOUT) s.timeoutEpisodes++;
    else s.mixedEpisodes++;
    if (s.epListed >= MAX_EPISODES_LISTED) return;
    if (s.epList === EMPTY) s.epList = new Float64Array(MAX_EPISODES_LISTED * EP_FIELDS);
    const o = s.epListed++ * EP_FIELDS;
    const l = s.epList;
    l[o] = s.epStartT;
    l[o + 1] = dur;
    l[o + 2] = k;
    l[o + 3] = s.epBytes;
    l[o + 4] = s.epStall;
    l[o + 5] = s.epFlight;
    l[o + 6] = k === KIND_FAST ? -1 : Math.round(s.epFlight / 2);
    l[o + 7] = open ? 1 : 0;
    s.ssthreshPending = k === KIND_FAST && !open ? s.epListed - 1 : -1;
  }

  /** The ACK covering the round's mark arrived at `t`; `drained`: nothing left outstanding. */
  private closeRound(s: SenderCongestion, t: number, drained: boolean): void {
    s.roundOpen = false;
    const flight = s.roundFlight > 0 ? s.roundFlight : s.roundBytes;
    const dur = t - s.roundStartT;
    s.rounds++;
    s.cwnd = flight;
    if (flight > s.maxCwnd) s.maxCwnd = flight;
    s.sumCwnd += flight;
    this.addPoint(s, t, flight);
    const valid = s.roundFlags === 0 && !drained;
    if (s.ssthreshPending >= 0 && (s.roundFlags & ROUND_LOSS) === 0) {
      s.epList[s.ssthreshPending * EP_FIELDS + 6] = flight;
      s.ssthreshPending = -1;
    }
    let phase = PHASE_NONE;
    if (valid && s.prevValid > 0) {
      if (flight >= SLOW_START_RATIO * s.prevValid) phase = PHASE_SS;
      else if (flight >= s.prevValid - s.mss) phase = PHASE_CA;
    }
    s.prevValid = valid ? flight : 0;
    if (phase === PHASE_SS) {
      if (s.phase !== PHASE_SS) s.ssPhases++;
      s.ssS += dur;
    } else if (phase === PHASE_CA) {
      if (s.phase !== PHASE_CA) s.caPhases++;
      s.caS += dur;
    }
    s.phase = phase;
  }

  /** Timeline point (t, flight), decimated: when full, keep every other point and double the stride. */
  private addPoint(s: SenderCongestion, t: number, flight: number): void {
    if (!this.timelines || ++s.strideCount < s.stride) return;
    s.strideCount = 0;
    if (s.timeline === EMPTY) s.timeline = new Float64Array(MAX_TIMELINE_POINTS * 2);
    const tl = s.timeline;
    if (s.points >= MAX_TIMELINE_POINTS) {
      for (let i = 0; i < MAX_TIMELINE_POINTS / 2; i++) {
        tl[2 * i] = tl[4 * i]!;
        tl[2 * i + 1] = tl[4 * i + 1]!;
      }
      s.points = MAX_TIMELINE_POINTS / 2;
      s.stride *= 2;
    }
    tl[2 * s.points] = t;
    tl[2 * s.points + 1] = flight;
    s.points++;
  }

  private dirJson(s: SenderCongestion): unknown {
    if (s.dataSegments === 0) return null;
    const t0 = this.t0;
    const list: unknown[] = [];
    for (let i = 0; i < s.epListed; i++) {
      const o = i * EP_FIELDS;
      const l = s.epList;
      const ss = l[o + 6]!;
      const e: Record<string, unknown> = {
        startMs: ms(l[o]! - t0), durationMs: ms(l[o + 1]!), recovery: kindName(l[o + 2]!), bytes: l[o + 3]!,
        stallBeforeMs: ms(l[o + 4]!), flightAtLossBytes: l[o + 5]!, ssthreshBytes: ss >= 0 ? ss : null,
      };
      if (l[o + 7] === 1) e.open = true;
      list.push(e);
    }
    const timeline: [number, number][] = [];
    for (let i = 0; i < s.points; i++) timeline.push([ms(s.timeline[2 * i]! - t0), s.timeline[2 * i + 1]!]);
    const hist: Record<string, number> = {};
    HIST_LABELS.forEach((k, i) => (hist[k] = s.dupHist[i]!));
    return {
      dataSegments: s.dataSegments,
      mssBytes: s.mss,
      lossEpisodes: {
        count: s.episodes, fastRetransmit: s.fastEpisodes, timeout: s.timeoutEpisodes, mixed: s.mixedEpisodes,
        totalMs: ms(s.lossS), maxMs: ms(s.maxLossS), meanMs: s.episodes > 0 ? ms(s.lossS / s.episodes) : null,
        retransmittedBytes: s.retxBytes, retransmittedSegments: s.retxSegments, spuriousSegments: s.spuriousSegments,
        list, listed: s.epListed,
      },
      dupAcks: { runs: s.dupRuns, maxRun: s.maxDupRun, runsAtLeast3: s.dupRunsGe3, histogram: hist },
      cwnd: {
        rounds: s.rounds, maxBytes: s.maxCwnd, meanBytes: s.rounds > 0 ? Math.round(s.sumCwnd / s.rounds) : null,
        ...(this.timelines ? { timeline, timelineStride: s.stride } : {}),
      },
      phases: {
        slowStart: { count: s.ssPhases, ms: ms(s.ssS) },
        congestionAvoidance: { count: s.caPhases, ms: ms(s.caS) },
      },
    };
  }
}

/** Seconds → milliseconds rounded to 3 decimals. */
function ms(s: number): number {
  return Math.round(s * 1e6) / 1e3;
}

function kindName(k: number): 'fast' | 'timeout' | 'mixed' {
  return k === KIND_FAST ? 'fast' : k === KIND_TIMEOUT ? 'timeout' : 'mixed';
}
