/**
 * The per-flow verdict `diagnosis.limitedBy` (issue 5 §4, anomalies.md "Per-flow verdicts"):
 * what limited each data direction, as fractions of its data-transfer time, and a plain-language
 * headline ("why is this flow slow?"). The method and its evidence are documented in
 * docs/diagnosis.md; in short:
 *
 * Time accounting. Every interval between two consecutive packets of the flow is given, for each
 * direction that has started sending data, to exactly one class by the state after the packet
 * that opens it, in this priority order:
 *   1. receiver_window   — the receiver of the data advertises a zero window;
 *   2. network_loss      — the sender is inside a loss episode (congestion.ts);
 *   3. sender_application — nothing (or less than one MSS) outstanding: the sender had nothing
 *                          to send; held *pending* until the sender sends new data (see below);
 *   4. receiver_window   — in flight within one MSS of the advertised window;
 *   5. congestion_window — full segments in flight below the advertised window: ACK-clocked by
 *                          its congestion window (Linux's "busy" chrono, RFC 7661's cwnd-limited).
 * Pending time becomes sender_application when the sender sends new data after it (an idle gap
 * inside the transfer) — or congestion_window when that gap was shorter than one path RTT (a
 * receiver-side capture sees "nothing outstanding" while data is on the wire). Pending time never
 * followed by new data is the idle tail after the transfer: not transfer time (reported apart).
 * When a loss episode begins, the time since the last cumulative-ACK advance that was counted
 * as congestion_window or pending (waiting for the ACK that never came, the RTO) moves to
 * network_loss: loss stops the ACK clock before the sender notices.
 *
 * Pure; one instance per flow; allocation-free per packet. It reads the flow's CongestionTracker,
 * which must see each packet first, and a `PathView` (the window and RTT trackers) per packet.
 */
import { secondsToMs3 as ms } from '../core/time.js';
import { DIR, DIR_NAME, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt } from '../core/seq.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { CongestionTracker } from './congestion.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';
// Circular on purpose and safe: diagnosis-text.ts reads this module's constants only when called.
import { flatten, headline } from './diagnosis-text.js';

/** What the window and RTT trackers know after the current packet, for either data direction. */
export interface PathView {
  /** Bytes of `dir`'s data outstanding (SACK-aware), -1 unknown. */
  inFlight(dir: Direction): number;
  /** Receive window advertised by the receiver of `dir`'s data, bytes, -1 unknown. */
  rwnd(dir: Direction): number;
  /** Smoothed RTT of `dir`'s data, seconds, -1 unknown. */
  srtt(dir: Direction): number;
  /** The receiver of `dir`'s data is in a zero-window period. */
  zeroWindowOpen(dir: Direction): boolean;
}

/** Class names, in the order of `fractions`. */
export const LIMIT_CLASSES = ['receiver_window', 'sender_application', 'network_loss', 'congestion_window'] as const;
export type LimitClass = (typeof LIMIT_CLASSES)[number];
export type LimitedBy = LimitClass | 'handshake_only' | 'too_short';
/** Who each class blames: the dominant class is the largest one of the side with the largest total. */
export type LimitSide = 'receiver' | 'sender' | 'network';
export const LIMIT_SIDE: Readonly<Record<LimitClass, LimitSide>> = {
  receiver_window: 'receiver', sender_application: 'sender', network_loss: 'network', congestion_window: 'network',
};

/** Fewer data segments than this in the main direction: too short to tell. */
export const MIN_DATA_SEGMENTS = 4;
/** A transfer shorter than this many path RTTs: too short to tell. */
export const MIN_TRANSFER_RTTS = 3;
/** A too-short transfer in a connection kept open idle this long (s) and for this share of its life is application-limited. */
export const IDLE_FLOW_MIN_S = 1;
export const IDLE_FLOW_SHARE = 0.5;
/** Segment size assumed before the sender's first full segment is seen, bytes. */
export const DEFAULT_MSS = 1460;

const RWND = 0;
const APP = 1;
const LOSS = 2;
const CWND = 3;
/** Pending states (resolved later). */
const APP_PENDING = 4;
const RWND_PENDING = 5;

/*
 * All scalar state of one flow's diagnosis lives in one Float64Array (in V8 every double-valued
 * object field is a separate boxed number): per direction at `dir * DF`, then the flow's own.
 * Sequence numbers raw u32; booleans 0/1.
 */
const X_STARTED = 0;
const X_FIRST_DATA_T = 1;
/** End of the last committed (non-pending) interval. */
const X_LAST_COMMIT_T = 2;
const X_DATA_SEGMENTS = 3;
const X_NEW_BYTES = 4;
const X_SND_MAX = 5;
const X_UNA = 6;
const X_UNA_KNOWN = 7;
const X_MSS = 8;
const X_CLS = 9;
/** Time per class: 4 doubles (RWND, APP, LOSS, CWND). */
const X_TIME = 10;
const X_PENDING_APP = 14;
const X_PENDING_RWND = 15;
const X_STALL = 16;
const X_EPISODES_SEEN = 17;
// evidence
const X_IDLE_GAPS = 18;
const X_LONGEST_IDLE = 19;
const X_ZW_OPEN = 20;
const X_ZW_START_T = 21;
const X_ZW_STALLS = 22;
const X_ZW_LONGEST = 23;
const X_ZW_TOTAL = 24;
const X_KEEP_ALIVES = 25;
const X_SRTT_MIN = 26;
const X_SRTT_MAX = 27;
const X_SRTT_LAST = 28;
const X_RWND_MAX = 29;
/** Largest window advertised while the sender was at it (receiver_window class), -1 never. */
const X_RWND_AT_LIMIT = 30;
const DF = 31;
/** The flow's own fields. */
const G_PREV_T = 2 * DF;
const G_SYN_T = G_PREV_T + 1;
const G_SYN_ACK_SEEN = G_PREV_T + 2;
const G_HS_RTT = G_PREV_T + 3;
const G_LIFE_START = G_PREV_T + 4;
const G_LIFE_END = G_PREV_T + 5;
const G_LAST_T = G_PREV_T + 6;
/** Idle tail per direction (2 doubles). */
const G_TAIL = G_PREV_T + 7;
const ST_SIZE = G_TAIL + 2;
/** Doubles of the diagnosis state (FlowBehaviour carves them out of the flow's block, flow-state.ts). */
export const DIAGNOSIS_STATE_SLOTS = ST_SIZE;

const INIT = (() => {
  const a = new Float64Array(ST_SIZE);
  for (let d = 0; d < 2; d++) {
    const o = d * DF;
    a[o + X_CLS] = -1;
    a[o + X_SRTT_MIN] = -1;
    a[o + X_SRTT_MAX] = -1;
    a[o + X_SRTT_LAST] = -1;
    a[o + X_RWND_MAX] = -1;
    a[o + X_RWND_AT_LIMIT] = -1;
  }
  for (const g of [G_PREV_T, G_SYN_T, G_HS_RTT, G_LIFE_START, G_LIFE_END, G_LAST_T]) a[g] = -1;
  return a;
})();

/** One direction's verdict. */
export interface DirectionVerdict {
  limitedBy: LimitedBy;
  /** Side of `limitedBy` (null for handshake_only / too_short). */
  side: LimitSide | null;
  fractions: Record<LimitClass, number>;
  transferMs: number;
  dataBytes: number;
  dataSegments: number;
}

/** The report's `diagnosis` object. */
export interface DiagnosisJson extends DirectionVerdict {
  direction: 'c2s' | 's2c' | null;
  evidence: DiagnosisEvidence;
  headline: string;
  directions: { c2s: DirectionVerdict | null; s2c: DirectionVerdict | null };
}

/** The facts behind the verdict, for the main direction (times in ms). */
export interface DiagnosisEvidence {
  handshakeRttMs: number | null;
  srttMinMs: number | null;
  srttMaxMs: number | null;
  rwndMaxBytes: number | null;
  /** Largest window advertised while in flight was at it. */
  rwndWhenLimitedBytes: number | null;
  zeroWindow: { stalls: number; longestMs: number; totalMs: number };
  loss: { episodes: number; fastRetransmit: number; timeout: number; mixed: number; retransmittedBytes: number; longestMs: number; totalMs: number };
  cwnd: { maxBytes: number | null; meanBytes: number | null; slowStartPhases: number; congestionAvoidancePhases: number };
  idle: { gaps: number; longestMs: number; tailMs: number; connectionIdleMs: number; keepAlives: number };
  lifetimeMs: number;
}

export class Diagnosis {
  /** State at offset `b` of `st`: FlowBehaviour passes the flow's state block (flow-state.ts), shared by all its trackers. */
  private readonly st: Float64Array;
  private readonly b: number;

  /**
   * `congestion`: the same flow's tracker, fed each packet before this one. `state`:
   * DIAGNOSIS_STATE_SLOTS doubles to keep the state in (default: its own array).
   */
  constructor(
    private readonly congestion: CongestionTracker,
    state?: Float64Array,
    base = 0,
  ) {
    if (state !== undefined) state.set(INIT, base);
    this.st = state ?? INIT.slice();
    this.b = state !== undefined ? base : 0;
  }

  /** One packet of the flow (capture order), after the congestion, window and RTT trackers saw it. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, view: PathView): void {
    void frame;
    const st = this.st;
    this.lifetime(pkt, t);
    const prevT = st[this.b + G_PREV_T]!;
    st[this.b + G_LAST_T] = t;
    if (prevT >= 0 && t - prevT > 0) {
      this.account(this.b);
      this.account(this.b + DF);
    }
    st[this.b + G_PREV_T] = t;
    this.asSender(this.b + dir * DF, dir, pkt, t, seg);
    if ((pkt.tcpFlags & TCP_FLAG.ACK) !== 0) this.asReceiver(this.b + (dir === DIR.C2S ? DF : 0), pkt.ack);
    this.update(DIR.C2S, view);
    this.update(DIR.S2C, view);
  }

  /** End of the flow: pending time is the idle tail; an open zero-window stall ends at `lastT`. */
  finish(lastT: number): void {
    const st = this.st;
    if (lastT > st[this.b + G_LAST_T]!) st[this.b + G_LAST_T] = lastT;
    for (let i = 0; i < 2; i++) {
      const x = this.b + i * DF;
      st[this.b + G_TAIL + i] = st[x + X_PENDING_APP]! + st[x + X_PENDING_RWND]!;
      st[x + X_PENDING_APP] = 0;
      st[x + X_PENDING_RWND] = 0;
      if (st[x + X_ZW_OPEN] === 1) this.endZeroWindow(x, st[this.b + G_LAST_T]!);
    }
    if (st[this.b + G_LIFE_END]! < 0) st[this.b + G_LIFE_END] = st[this.b + G_LAST_T]!;
  }

  /** The verdict (call after `finish`). */
  result(): DiagnosisJson {
    const st = this.st;
    const c = this.verdict(DIR.C2S);
    const s = this.verdict(DIR.S2C);
    const dcStarted = st[this.b + X_STARTED] === 1;
    const dsStarted = st[this.b + DF + X_STARTED] === 1;
    const dcNew = st[this.b + X_NEW_BYTES]!;
    const dsNew = st[this.b + DF + X_NEW_BYTES]!;
    const main: Direction = dsNew > dcNew || (dsNew === dcNew && st[this.b + DF + X_DATA_SEGMENTS]! > st[this.b + X_DATA_SEGMENTS]!) ? DIR.S2C : DIR.C2S;
    const directions = { c2s: dcStarted ? c : null, s2c: dsStarted ? s : null };
    let v = main === DIR.C2S ? c : s;
    const evidence = this.evidence(main);
    if (!dcStarted && !dsStarted) v = { limitedBy: 'handshake_only', side: null, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments };
    else if (v.limitedBy === 'too_short') {
      const life = evidence.lifetimeMs / 1e3;
      const idle = evidence.idle.connectionIdleMs / 1e3;
      if (idle >= IDLE_FLOW_MIN_S && idle >= IDLE_FLOW_SHARE * life) v = this.idleVerdict(main, life, idle, v);
    }
    const direction = dcStarted || dsStarted ? DIR_NAME[main] : null;
    // Listed fields, no object spread: spread is far slower in V8 and this runs once per flow.
    const out: DiagnosisJson = { limitedBy: v.limitedBy, side: v.side, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments, direction, evidence, headline: '', directions };
    out.headline = flatten(headline(out));
    return out;
  }

  // ---- per packet ----

  private lifetime(pkt: DecodedPacket, t: number): void {
    const st = this.st;
    const f = pkt.tcpFlags;
    if ((f & TCP_FLAG.SYN) !== 0) {
      if ((f & TCP_FLAG.ACK) === 0) {
        if (st[this.b + G_SYN_ACK_SEEN] === 0) st[this.b + G_SYN_T] = t; // the last SYN before the SYN/ACK (SYN retransmissions)
      } else st[this.b + G_SYN_ACK_SEEN] = 1;
      return;
    }
    if (st[this.b + G_HS_RTT]! < 0 && st[this.b + G_SYN_ACK_SEEN] === 1 && st[this.b + G_SYN_T]! >= 0 && (f & TCP_FLAG.ACK) !== 0) st[this.b + G_HS_RTT] = t - st[this.b + G_SYN_T]!;
    if (st[this.b + G_LIFE_START]! < 0) st[this.b + G_LIFE_START] = t;
    if (st[this.b + G_LIFE_END]! < 0 && (f & (TCP_FLAG.FIN | TCP_FLAG.RST)) !== 0) st[this.b + G_LIFE_END] = t;
  }

  /**
   * Give the time since the previous packet (G_PREV_T to G_LAST_T, this packet's time) to the
   * class of the direction at `x`. Reads the times from the block: double arguments would be boxed.
   */
  private account(x: number): void {
    const st = this.st;
    const t = st[this.b + G_LAST_T]!;
    const dt = t - st[this.b + G_PREV_T]!;
    const cls = st[x + X_CLS]!;
    switch (cls) {
      case APP_PENDING: // resolved when new data follows, dropped as the tail otherwise
        st[x + X_PENDING_APP] = st[x + X_PENDING_APP]! + dt;
        return;
      case RWND_PENDING: // zero window with nothing outstanding: blocking only if data follows
        st[x + X_PENDING_RWND] = st[x + X_PENDING_RWND]! + dt;
        return;
      case CWND: // also the stall that a loss episode may claim
        st[x + X_STALL] = st[x + X_STALL]! + dt;
        break;
      case RWND:
      case LOSS:
        break;
      default: // not started, or no state yet
        return;
    }
    st[x + X_TIME + cls] = st[x + X_TIME + cls]! + dt;
    st[x + X_LAST_COMMIT_T] = t;
  }

  private asSender(x: number, dir: Direction, pkt: DecodedPacket, t: number, seg: number): void {
    const st = this.st;
    const len = pkt.payloadWireLen;
    if ((seg & SEG.KEEP_ALIVE) !== 0) st[x + X_KEEP_ALIVES]!++;
    const seq = pkt.seq;
    if ((pkt.tcpFlags & TCP_FLAG.SYN) !== 0) {
      const sndMax = seqAdd(seq, 1);
      st[x + X_SND_MAX] = sndMax;
      if (st[x + X_UNA_KNOWN] === 0) st[x + X_UNA] = sndMax;
      return;
    }
    if (len <= 0 || (seg & (SEG.ZERO_WINDOW_PROBE | SEG.KEEP_ALIVE)) !== 0) return;
    const end = seqAdd(seq, len);
    if (len > st[x + X_MSS]!) st[x + X_MSS] = len;
    st[x + X_DATA_SEGMENTS]!++;
    if (st[x + X_STARTED] === 0) {
      st[x + X_STARTED] = 1;
      st[x + X_FIRST_DATA_T] = t;
      st[x + X_LAST_COMMIT_T] = t;
      st[x + X_SND_MAX] = end;
      st[x + X_NEW_BYTES] = st[x + X_NEW_BYTES]! + len;
      if (st[x + X_UNA_KNOWN] === 0) st[x + X_UNA] = seq;
    } else {
      const sndMax = st[x + X_SND_MAX]!;
      if (seqGt(end, sndMax) && (seg & SEG_ANY_RETRANSMISSION) === 0) {
        const d = seqDiff(end, sndMax);
        st[x + X_NEW_BYTES] = st[x + X_NEW_BYTES]! + (d > len ? len : d);
        st[x + X_SND_MAX] = end;
        this.commitPending(x, t);
      }
    }
    const eps = this.congestion.episodes(dir);
    if (eps > st[x + X_EPISODES_SEEN]!) {
      st[x + X_EPISODES_SEEN] = eps;
      const stall = st[x + X_STALL]!;
      st[x + X_TIME + CWND] = st[x + X_TIME + CWND]! - stall;
      st[x + X_TIME + LOSS] = st[x + X_TIME + LOSS]! + stall + st[x + X_PENDING_APP]!;
      st[x + X_STALL] = 0;
      st[x + X_PENDING_APP] = 0;
      st[x + X_LAST_COMMIT_T] = t;
    }
  }

  private asReceiver(x: number, ack: number): void {
    const st = this.st;
    if (st[x + X_UNA_KNOWN] === 0 || seqGt(ack, st[x + X_UNA]!)) {
      st[x + X_UNA] = ack;
      st[x + X_UNA_KNOWN] = 1;
      st[x + X_STALL] = 0;
    }
  }

  /** New data after pending time: an idle gap inside the transfer (or the ACK clock, when shorter than an RTT). */
  private commitPending(x: number, t: number): void {
    const st = this.st;
    const pendingApp = st[x + X_PENDING_APP]!;
    const pendingRwnd = st[x + X_PENDING_RWND]!;
    if (pendingApp > 0) {
      const rtt = Math.max(st[this.b + G_HS_RTT]!, st[x + X_SRTT_LAST]!);
      if (pendingApp < rtt) st[x + X_TIME + CWND] = st[x + X_TIME + CWND]! + pendingApp;
      else {
        st[x + X_TIME + APP] = st[x + X_TIME + APP]! + pendingApp;
        st[x + X_IDLE_GAPS]!++;
        if (pendingApp > st[x + X_LONGEST_IDLE]!) st[x + X_LONGEST_IDLE] = pendingApp;
      }
    }
    st[x + X_TIME + RWND] = st[x + X_TIME + RWND]! + pendingRwnd;
    if (pendingApp > 0 || pendingRwnd > 0) st[x + X_LAST_COMMIT_T] = t;
    st[x + X_PENDING_APP] = 0;
    st[x + X_PENDING_RWND] = 0;
  }

  /**
   * The state of `dir`'s sender after this packet (each view value read once). The packet's time
   * is read from G_LAST_T when needed (a double argument would be boxed on every call).
   */
  private update(dir: Direction, view: PathView): void {
    const st = this.st;
    const x = this.b + dir * DF;
    const rwnd = view.rwnd(dir);
    const zw = rwnd === 0 || view.zeroWindowOpen(dir);
    if (zw !== (st[x + X_ZW_OPEN] === 1)) {
      const t = st[this.b + G_LAST_T]!;
      if (zw) {
        st[x + X_ZW_OPEN] = 1;
        st[x + X_ZW_START_T] = t;
      } else this.endZeroWindow(x, t);
    }
    const srtt = view.srtt(dir);
    if (srtt > 0) {
      st[x + X_SRTT_LAST] = srtt;
      const mn = st[x + X_SRTT_MIN]!;
      if (mn < 0 || srtt < mn) st[x + X_SRTT_MIN] = srtt;
      if (srtt > st[x + X_SRTT_MAX]!) st[x + X_SRTT_MAX] = srtt;
    }
    if (rwnd > st[x + X_RWND_MAX]!) st[x + X_RWND_MAX] = rwnd;
    if (st[x + X_STARTED] === 0) return;
    // the window bounds the sequence range outstanding (SACKed bytes included); the ACK clock
    // and the cwnd bound the SACK-aware amount in flight
    let outstanding = -1;
    if (st[x + X_UNA_KNOWN] === 1) {
      outstanding = seqDiff(st[x + X_SND_MAX]!, st[x + X_UNA]!);
      if (outstanding < 0) outstanding = 0;
    }
    let inFlight = view.inFlight(dir);
    if (inFlight < 0) inFlight = outstanding;
    const m = st[x + X_MSS]!;
    const mss = m > 0 ? m : DEFAULT_MSS;
    let cls: number;
    if (zw) cls = inFlight > 0 ? RWND : RWND_PENDING;
    else if (this.congestion.inRecovery(dir)) cls = LOSS;
    else if (inFlight <= 0) cls = APP_PENDING;
    else if (rwnd >= 0 && rwnd - (inFlight > outstanding ? inFlight : outstanding) < mss) {
      cls = RWND;
      if (rwnd > st[x + X_RWND_AT_LIMIT]!) st[x + X_RWND_AT_LIMIT] = rwnd;
    }
    else if (inFlight < mss) cls = APP_PENDING;
    else cls = CWND;
    st[x + X_CLS] = cls;
  }

  private endZeroWindow(x: number, t: number): void {
    const st = this.st;
    const dur = t - st[x + X_ZW_START_T]!;
    st[x + X_ZW_OPEN] = 0;
    st[x + X_ZW_STALLS]!++;
    st[x + X_ZW_TOTAL] = st[x + X_ZW_TOTAL]! + dur;
    if (dur > st[x + X_ZW_LONGEST]!) st[x + X_ZW_LONGEST] = dur;
  }

  // ---- result ----

  /** `dir`'s time per class (a copy). */
  private times(dir: Direction): Float64Array {
    const o = this.b + dir * DF + X_TIME;
    return this.st.slice(o, o + 4);
  }

  private verdict(dir: Direction): DirectionVerdict {
    const st = this.st;
    const x = this.b + dir * DF;
    const time = this.times(dir);
    const total = time[0]! + time[1]! + time[2]! + time[3]!;
    const fractions = fractionsOf(time, total);
    let limitedBy: LimitedBy = 'too_short';
    const rtt = Math.max(st[this.b + G_HS_RTT]!, st[x + X_SRTT_MIN]!);
    const dataSegments = st[x + X_DATA_SEGMENTS]!;
    const short = dataSegments < MIN_DATA_SEGMENTS || total <= 0 || (rtt > 0 && total < MIN_TRANSFER_RTTS * rtt);
    if (st[x + X_STARTED] === 0) limitedBy = 'handshake_only';
    else if (!short) limitedBy = dominant(time);
    const side = limitedBy === 'handshake_only' || limitedBy === 'too_short' ? null : LIMIT_SIDE[limitedBy];
    return { limitedBy, side, fractions, transferMs: ms(total), dataBytes: st[x + X_NEW_BYTES]!, dataSegments };
  }

  /** A too-short transfer in a connection mostly kept open idle: the application's choice. */
  private idleVerdict(dir: Direction, life: number, idle: number, v: DirectionVerdict): DirectionVerdict {
    const times = this.times(dir);
    times[APP] = times[APP]! + idle;
    const total = Math.max(life, times[0]! + times[1]! + times[2]! + times[3]!);
    return { limitedBy: 'sender_application', side: 'sender', fractions: fractionsOf(times, total), transferMs: ms(total), dataBytes: v.dataBytes, dataSegments: v.dataSegments };
  }

  private evidence(dir: Direction): DiagnosisEvidence {
    const st = this.st;
    const x = this.b + dir * DF;
    const cg = this.congestion.sender(dir);
    const lifeStart = st[this.b + G_LIFE_START]!;
    const life = lifeStart >= 0 ? Math.max(0, st[this.b + G_LIFE_END]! - lifeStart) : 0;
    let spanStart = Infinity;
    let spanEnd = -Infinity;
    for (let i = 0; i < 2; i++) {
      const y = this.b + i * DF;
      if (st[y + X_STARTED] === 0) continue;
      spanStart = Math.min(spanStart, st[y + X_FIRST_DATA_T]!);
      spanEnd = Math.max(spanEnd, st[y + X_LAST_COMMIT_T]!);
    }
    const span = spanEnd > spanStart ? spanEnd - spanStart : 0;
    const msOrNull = (s: number): number | null => (s > 0 ? ms(s) : null);
    const rwndMax = st[x + X_RWND_MAX]!;
    const rwndAtLimit = st[x + X_RWND_AT_LIMIT]!;
    return {
      handshakeRttMs: msOrNull(st[this.b + G_HS_RTT]!),
      srttMinMs: msOrNull(st[x + X_SRTT_MIN]!),
      srttMaxMs: msOrNull(st[x + X_SRTT_MAX]!),
      rwndMaxBytes: rwndMax >= 0 ? rwndMax : null,
      rwndWhenLimitedBytes: rwndAtLimit >= 0 ? rwndAtLimit : null,
      zeroWindow: { stalls: st[x + X_ZW_STALLS]!, longestMs: ms(st[x + X_ZW_LONGEST]!), totalMs: ms(st[x + X_ZW_TOTAL]!) },
      loss: {
        episodes: cg.episodes, fastRetransmit: cg.fastEpisodes, timeout: cg.timeoutEpisodes, mixed: cg.mixedEpisodes,
        retransmittedBytes: cg.retxBytes, longestMs: ms(cg.maxLossS), totalMs: ms(cg.lossS),
      },
      cwnd: {
        maxBytes: cg.rounds > 0 ? cg.maxCwnd : null, meanBytes: cg.rounds > 0 ? Math.round(cg.sumCwnd / cg.rounds) : null,
        slowStartPhases: cg.ssPhases, congestionAvoidancePhases: cg.caPhases,
      },
      idle: {
        gaps: st[x + X_IDLE_GAPS]!, longestMs: ms(st[x + X_LONGEST_IDLE]!), tailMs: ms(st[this.b + G_TAIL + dir]!),
        connectionIdleMs: ms(Math.max(0, life - span)), keepAlives: st[x + X_KEEP_ALIVES]!,
      },
      lifetimeMs: ms(life),
    };
  }
}

/** The largest class of the side with the largest total time (ties: catalog order). */
function dominant(time: Float64Array): LimitClass {
  const sideTime = (side: LimitSide): number => LIMIT_CLASSES.reduce((a, c, i) => (LIMIT_SIDE[c] === side ? a + time[i]! : a), 0);
  let best: LimitClass = LIMIT_CLASSES[0];
  let bestSide = -1;
  let bestTime = -1;
  LIMIT_CLASSES.forEach((c, i) => {
    const st = sideTime(LIMIT_SIDE[c]);
    if (st > bestSide || (st === bestSide && time[i]! > bestTime)) {
      best = c;
      bestSide = st;
      bestTime = time[i]!;
    }
  });
  return best;
}

function fractionsOf(time: Float64Array, total: number): Record<LimitClass, number> {
  const f = (i: number): number => (total > 0 ? Math.round((time[i]! / total) * 1000) / 1000 : 0);
  return { receiver_window: f(RWND), sender_application: f(APP), network_loss: f(LOSS), congestion_window: f(CWND) };
}

/** Seconds → milliseconds rounded to 3 decimals. */

export class PathSnapshot implements PathView {
  private readonly v = new Float64Array([-1, -1, -1, -1, -1, -1]);
  private readonly zw = new Uint8Array(2);

  /** `dir`'s values: in flight (bytes), rwnd (bytes), srtt (s) — -1 unknown — and zero-window state. */
  set(dir: Direction, inFlight: number, rwnd: number, srtt: number, zeroWindow = false): this {
    this.v[dir] = inFlight;
    this.v[2 + dir] = rwnd;
    this.v[4 + dir] = srtt;
    this.zw[dir] = zeroWindow ? 1 : 0;
    return this;
  }

  inFlight(dir: Direction): number {
    return this.v[dir]!;
  }

  rwnd(dir: Direction): number {
    return this.v[2 + dir]!;
  }

  srtt(dir: Direction): number {
    return this.v[4 + dir]!;
  }

  zeroWindowOpen(dir: Direction): boolean {
    return this.zw[dir] === 1;
  }
}
