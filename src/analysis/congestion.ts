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
 * doubling its stride; at most 64 episodes listed, all counted). The state layout is in
 * congestion-state.ts, the report section's builder in congestion-report.ts.
 */
import { DIR, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGe, seqGt } from '../core/seq.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';
import {
  S_STARTED, S_SND_MAX, S_SND_UNA, S_UNA_KNOWN, S_MSS, S_DATA_SEGMENTS,
  S_LAST_ADVANCE_T, S_LAST_REV_T, S_IN_EPISODE, S_EP_START_T, S_EP_RECOVER, S_EP_KIND, S_EP_BYTES,
  S_EP_STALL, S_EP_FLIGHT, S_EPISODES, S_FAST_EPISODES, S_TIMEOUT_EPISODES, S_MIXED_EPISODES,
  S_LOSS_S, S_MAX_LOSS_S, S_RETX_BYTES, S_RETX_SEGMENTS, S_SPURIOUS_SEGMENTS, S_EP_LISTED,
  S_SSTHRESH_PENDING, S_DUP_RUN, S_DUP_RUN_ACK, S_DUP_RUNS, S_MAX_DUP_RUN, S_DUP_RUNS_GE3,
  S_ROUND_OPEN, S_ROUND_MARK, S_ROUND_START_T, S_ROUND_BYTES, S_ROUND_FLIGHT, S_ROUND_FLAGS,
  S_ROUNDS, S_CWND, S_PREV_VALID, S_MAX_CWND, S_SUM_CWND, S_PHASE, S_SS_PHASES, S_CA_PHASES,
  S_SS_S, S_CA_S, S_POINTS, S_STRIDE, S_STRIDE_COUNT, S_DUP_HIST, SF, T0, INIT, EP_FIELDS, KIND_FAST, KIND_TIMEOUT,
  SenderCongestion,
} from './congestion-state.js';
import { senderCongestionJson } from './congestion-report.js';

export { CONGESTION_STATE_SLOTS, SenderCongestion } from './congestion-state.js';

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

/**
 * Scratch for `onPacketPath`: the window and RTT trackers' values for the packet's direction
 * (in flight bytes, receive window bytes, SRTT seconds; -1 unknown), filled by the caller right
 * before the call and read during it only (one thread, one packet at a time).
 */
export const CONGESTION_PATH = new Float64Array(3);

const ROUND_LOSS = 1;
const ROUND_RWND = 2;
const PHASE_NONE = 0;
const PHASE_SS = 1;
const PHASE_CA = 2;
/** Episodes the list holds at its first allocation (it doubles up to MAX_EPISODES_LISTED). */
const EP_LIST_INITIAL = 2;
/** Options of the congestion tracker. */
export interface CongestionOptions {
  /** Keep the cwnd-estimate timeline for plots (default false: summaries only, no per-flow series). */
  timelines?: boolean;
}


export class CongestionTracker {
  /** State at offset `b` of `st`: FlowBehaviour passes the flow's state block (flow-state.ts), shared by all its trackers. */
  private readonly st: Float64Array;
  private readonly b: number;
  /** Per sender: listed episodes (allocated at the first episode) and the timeline (first point). */
  private readonly epList: (Float64Array | null)[] = [null, null];
  private readonly timeline: (Float64Array | null)[] = [null, null];
  /** Views returned by `sender`, created on first use. */
  private views: [SenderCongestion, SenderCongestion] | null = null;
  private readonly timelines: boolean;

  /** `state`, `base`: CONGESTION_STATE_SLOTS doubles at `state[base]` to keep the state in (default: its own array). */
  constructor(opts: CongestionOptions = {}, state?: Float64Array, base = 0) {
    if (state !== undefined) state.set(INIT, base);
    this.st = state ?? INIT.slice();
    this.b = state !== undefined ? base : 0;
    this.timelines = opts.timelines ?? false;
  }

  /** The state of `dir`'s sender (read-only; a live view). */
  sender(dir: Direction): Readonly<SenderCongestion> {
    const lists = { epList: this.epList, timeline: this.timeline };
    this.views ??= [new SenderCongestion(this.st, this.b, lists, DIR.C2S), new SenderCongestion(this.st, this.b + SF, lists, DIR.S2C)];
    return this.views[dir];
  }

  /** Loss episodes `dir`'s sender began so far (what `sender(dir).episodes` says, without the view). */
  episodes(dir: Direction): number {
    return this.st[this.b + dir * SF + S_EPISODES]!;
  }

  /** `dir`'s sender is inside a loss episode. */
  inRecovery(dir: Direction): boolean {
    return this.st[this.b + dir * SF + S_IN_EPISODE] === 1;
  }

  /**
   * One packet of the flow, capture order. `seg`: its SEG bits; `inFlightBytes`, `rwndBytes`,
   * `srttS`: the window and RTT trackers' values for `dir`'s data after this packet (-1 unknown).
   */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, inFlightBytes: number, rwndBytes: number, srttS: number): void {
    const path = CONGESTION_PATH;
    path[0] = inFlightBytes;
    path[1] = rwndBytes;
    path[2] = srttS;
    this.onPacketPath(pkt, dir, frame, t, seg);
  }

  /** `onPacket` with the window and RTT trackers' values in CONGESTION_PATH (no boxed doubles passed per packet). */
  onPacketPath(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number): void {
    void frame;
    const st = this.st;
    if (st[this.b + T0]! < 0) st[this.b + T0] = t;
    this.asSender(this.b + dir * SF, pkt, t, seg);
    if ((pkt.tcpFlags & TCP_FLAG.ACK) !== 0) this.asReceiver(this.b + (dir === DIR.C2S ? SF : 0), pkt, t, seg);
  }

  /** End of the flow at `lastT`: an open episode ends there (listed as open). */
  finish(lastT: number): void {
    for (let d = 0; d < 2; d++) if (this.st[this.b + d * SF + S_IN_EPISODE] === 1) this.endEpisode(this.b + d * SF, lastT, true);
  }

  /** The report's `congestion` section: `{c2s, s2c}` (null for a direction that sent no data). */
  section(): { c2s: unknown; s2c: unknown } {
    const t0 = this.st[this.b + T0]!;
    return { c2s: senderCongestionJson(this.sender(DIR.C2S), t0, this.timelines), s2c: senderCongestionJson(this.sender(DIR.S2C), t0, this.timelines) };
  }

  private asSender(o: number, pkt: DecodedPacket, t: number, seg: number): void {
    const st = this.st;
    const len = pkt.payloadWireLen;
    const flags = pkt.tcpFlags;
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    const seq = pkt.seq;
    const end = seqAdd(seq, len + (syn ? 1 : 0) + ((flags & TCP_FLAG.FIN) !== 0 ? 1 : 0));
    if (st[o + S_STARTED] === 0) {
      st[o + S_STARTED] = 1;
      st[o + S_SND_MAX] = end;
      if (st[o + S_UNA_KNOWN] === 0) st[o + S_SND_UNA] = seq;
    }
    if (syn && st[o + S_UNA_KNOWN] === 0) st[o + S_SND_UNA] = seq;
    if (len <= 0) {
      if (seqGt(end, st[o + S_SND_MAX]!)) st[o + S_SND_MAX] = end;
      return;
    }
    st[o + S_DATA_SEGMENTS]!++;
    if (len > st[o + S_MSS]!) st[o + S_MSS] = len;
    const retx = (seg & SEG_ANY_RETRANSMISSION) !== 0 && (seg & (SEG.ZERO_WINDOW_PROBE | SEG.KEEP_ALIVE)) === 0;
    if (retx) this.retransmission(o, t, seg, len);
    if (seqGt(end, st[o + S_SND_MAX]!)) st[o + S_SND_MAX] = end;
    const sndMax = st[o + S_SND_MAX]!;
    // rounds: the flight after this send
    const inFlight = CONGESTION_PATH[0]!;
    const rwnd = CONGESTION_PATH[1]!;
    const flight = inFlight >= 0 ? inFlight : st[o + S_UNA_KNOWN] === 1 ? seqDiff(sndMax, st[o + S_SND_UNA]!) : -1;
    if (st[o + S_ROUND_OPEN] === 0) {
      st[o + S_ROUND_OPEN] = 1;
      st[o + S_ROUND_MARK] = sndMax;
      st[o + S_ROUND_START_T] = t;
      st[o + S_ROUND_BYTES] = 0;
      st[o + S_ROUND_FLIGHT] = 0;
      st[o + S_ROUND_FLAGS] = 0;
    }
    st[o + S_ROUND_BYTES] = st[o + S_ROUND_BYTES]! + len;
    if (flight > st[o + S_ROUND_FLIGHT]!) st[o + S_ROUND_FLIGHT] = flight;
    let rf = st[o + S_ROUND_FLAGS]!;
    if (st[o + S_IN_EPISODE] === 1) rf |= ROUND_LOSS;
    const mss = st[o + S_MSS]!;
    if (rwnd >= 0 && flight >= 0 && flight + mss > rwnd) rf |= ROUND_RWND;
    st[o + S_ROUND_FLAGS] = rf;
  }

  private retransmission(o: number, t: number, seg: number, len: number): void {
    const st = this.st;
    const srtt = CONGESTION_PATH[2]!;
    st[o + S_RETX_SEGMENTS]!++;
    st[o + S_RETX_BYTES] = st[o + S_RETX_BYTES]! + len;
    const gap = srtt > 0 ? Math.max(2 * srtt, TIMER_GAP_FLOOR_S) : TIMER_GAP_DEFAULT_S;
    const lastRevT = st[o + S_LAST_REV_T]!;
    const timer = (seg & SEG.FAST_RETRANSMISSION) === 0 && (lastRevT < 0 || t - lastRevT >= gap);
    const kind = timer ? KIND_TIMEOUT : KIND_FAST;
    if (st[o + S_IN_EPISODE] === 1) {
      st[o + S_EP_KIND] = st[o + S_EP_KIND]! | kind;
      st[o + S_EP_BYTES] = st[o + S_EP_BYTES]! + len;
      if (timer) st[o + S_EP_RECOVER] = st[o + S_SND_MAX]!;
      return;
    }
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0) {
      st[o + S_SPURIOUS_SEGMENTS]!++;
      return;
    }
    st[o + S_IN_EPISODE] = 1;
    st[o + S_EPISODES]!++;
    st[o + S_EP_START_T] = t;
    st[o + S_EP_RECOVER] = st[o + S_SND_MAX]!;
    st[o + S_EP_KIND] = kind;
    st[o + S_EP_BYTES] = len;
    const lastAdvanceT = st[o + S_LAST_ADVANCE_T]!;
    st[o + S_EP_STALL] = lastAdvanceT >= 0 ? t - lastAdvanceT : 0;
    st[o + S_EP_FLIGHT] = Math.max(st[o + S_ROUND_FLIGHT]!, st[o + S_CWND]!);
    st[o + S_ROUND_FLAGS] = st[o + S_ROUND_FLAGS]! | ROUND_LOSS;
  }

  /** A packet from the receiver of the sender at `o` (it carries ACK). */
  private asReceiver(o: number, pkt: DecodedPacket, t: number, seg: number): void {
    const st = this.st;
    st[o + S_LAST_REV_T] = t;
    const ack = pkt.ack;
    if (st[o + S_STARTED] === 0) return;
    if ((seg & SEG.DUPLICATE_ACK) !== 0) {
      if (st[o + S_DUP_RUN]! > 0 && st[o + S_DUP_RUN_ACK] === ack) st[o + S_DUP_RUN]!++;
      else {
        this.closeDupRun(o);
        st[o + S_DUP_RUN] = 1;
        st[o + S_DUP_RUN_ACK] = ack;
      }
    } else if (st[o + S_DUP_RUN]! > 0) this.closeDupRun(o);
    if (st[o + S_UNA_KNOWN] === 0 || seqGt(ack, st[o + S_SND_UNA]!)) {
      st[o + S_SND_UNA] = ack;
      st[o + S_UNA_KNOWN] = 1;
      st[o + S_LAST_ADVANCE_T] = t;
    }
    if (seqGt(ack, st[o + S_SND_MAX]!)) st[o + S_SND_MAX] = ack;
    if (st[o + S_IN_EPISODE] === 1 && seqGe(ack, st[o + S_EP_RECOVER]!)) this.endEpisode(o, t, false);
    if (st[o + S_ROUND_OPEN] === 1 && seqGe(ack, st[o + S_ROUND_MARK]!)) this.closeRound(o, t, seqGe(ack, st[o + S_SND_MAX]!));
  }

  private closeDupRun(o: number): void {
    const st = this.st;
    const n = st[o + S_DUP_RUN]!;
    if (n <= 0) return;
    st[o + S_DUP_RUNS]!++;
    if (n > st[o + S_MAX_DUP_RUN]!) st[o + S_MAX_DUP_RUN] = n;
    if (n >= 3) st[o + S_DUP_RUNS_GE3]!++;
    st[o + S_DUP_HIST + (n <= 3 ? n - 1 : n < 8 ? 3 : 4)]!++;
    st[o + S_DUP_RUN] = 0;
  }

  private endEpisode(o: number, t: number, open: boolean): void {
    const st = this.st;
    const epStartT = st[o + S_EP_START_T]!;
    const dur = t - epStartT;
    st[o + S_IN_EPISODE] = 0;
    st[o + S_LOSS_S] = st[o + S_LOSS_S]! + dur;
    if (dur > st[o + S_MAX_LOSS_S]!) st[o + S_MAX_LOSS_S] = dur;
    const k = st[o + S_EP_KIND]!;
    if (k === KIND_FAST) st[o + S_FAST_EPISODES]!++;
    else if (k === KIND_TIMEOUT) st[o + S_TIMEOUT_EPISODES]!++;
    else st[o + S_MIXED_EPISODES]!++;
    const listed = st[o + S_EP_LISTED]!;
    if (listed >= MAX_EPISODES_LISTED) return;
    const d = o === this.b ? 0 : 1;
    const l = this.episodeSlot(d, listed);
    st[o + S_EP_LISTED] = listed + 1;
    const i = listed * EP_FIELDS;
    const epFlight = st[o + S_EP_FLIGHT]!;
    l[i] = epStartT;
    l[i + 1] = dur;
    l[i + 2] = k;
    l[i + 3] = st[o + S_EP_BYTES]!;
    l[i + 4] = st[o + S_EP_STALL]!;
    l[i + 5] = epFlight;
    l[i + 6] = k === KIND_FAST ? -1 : Math.round(epFlight / 2);
    l[i + 7] = open ? 1 : 0;
    st[o + S_SSTHRESH_PENDING] = k === KIND_FAST && !open ? listed : -1;
  }

  /**
   * The episode list of sender `d` with room for entry `i`: it starts at EP_LIST_INITIAL entries
   * and doubles up to MAX_EPISODES_LISTED (most flows have a few episodes; 64 up front cost 4 KB
   * per direction, a tenth of the heap on a lossy capture).
   */
  private episodeSlot(d: number, i: number): Float64Array {
    const cur = this.epList[d] ?? EMPTY;
    if ((i + 1) * EP_FIELDS <= cur.length) return cur;
    const n = Math.min(MAX_EPISODES_LISTED, Math.max(EP_LIST_INITIAL, (cur.length / EP_FIELDS) * 2));
    const next = new Float64Array(n * EP_FIELDS);
    next.set(cur);
    this.epList[d] = next;
    return next;
  }

  /** The ACK covering the round's mark arrived at `t`; `drained`: nothing left outstanding. */
  private closeRound(o: number, t: number, drained: boolean): void {
    const st = this.st;
    st[o + S_ROUND_OPEN] = 0;
    const rfl = st[o + S_ROUND_FLIGHT]!;
    const flight = rfl > 0 ? rfl : st[o + S_ROUND_BYTES]!;
    const dur = t - st[o + S_ROUND_START_T]!;
    st[o + S_ROUNDS]!++;
    st[o + S_CWND] = flight;
    if (flight > st[o + S_MAX_CWND]!) st[o + S_MAX_CWND] = flight;
    st[o + S_SUM_CWND] = st[o + S_SUM_CWND]! + flight;
    if (this.timelines) this.addPoint(o, t, flight);
    const roundFlags = st[o + S_ROUND_FLAGS]!;
    const valid = roundFlags === 0 && !drained;
    const pending = st[o + S_SSTHRESH_PENDING]!;
    if (pending >= 0 && (roundFlags & ROUND_LOSS) === 0) {
      this.epList[o === this.b ? 0 : 1]![pending * EP_FIELDS + 6] = flight;
      st[o + S_SSTHRESH_PENDING] = -1;
    }
    let phase = PHASE_NONE;
    const prevValid = st[o + S_PREV_VALID]!;
    if (valid && prevValid > 0) {
      if (flight >= SLOW_START_RATIO * prevValid) phase = PHASE_SS;
      else if (flight >= prevValid - st[o + S_MSS]!) phase = PHASE_CA;
    }
    st[o + S_PREV_VALID] = valid ? flight : 0;
    const prevPhase = st[o + S_PHASE]!;
    if (phase === PHASE_SS) {
      if (prevPhase !== PHASE_SS) st[o + S_SS_PHASES]!++;
      st[o + S_SS_S] = st[o + S_SS_S]! + dur;
    } else if (phase === PHASE_CA) {
      if (prevPhase !== PHASE_CA) st[o + S_CA_PHASES]!++;
      st[o + S_CA_S] = st[o + S_CA_S]! + dur;
    }
    st[o + S_PHASE] = phase;
  }

  /** Timeline point (t, flight), decimated: when full, keep every other point and double the stride. */
  private addPoint(o: number, t: number, flight: number): void {
    const st = this.st;
    const sc = st[o + S_STRIDE_COUNT]! + 1;
    st[o + S_STRIDE_COUNT] = sc;
    if (sc < st[o + S_STRIDE]!) return;
    st[o + S_STRIDE_COUNT] = 0;
    const d = o === this.b ? 0 : 1;
    const tl = (this.timeline[d] ??= new Float64Array(MAX_TIMELINE_POINTS * 2));
    if (st[o + S_POINTS]! >= MAX_TIMELINE_POINTS) {
      for (let i = 0; i < MAX_TIMELINE_POINTS / 2; i++) {
        tl[2 * i] = tl[4 * i]!;
        tl[2 * i + 1] = tl[4 * i + 1]!;
      }
      st[o + S_POINTS] = MAX_TIMELINE_POINTS / 2;
      st[o + S_STRIDE] = st[o + S_STRIDE]! * 2;
    }
    const p = st[o + S_POINTS]!;
    tl[2 * p] = t;
    tl[2 * p + 1] = flight;
    st[o + S_POINTS] = p + 1;
  }
}

