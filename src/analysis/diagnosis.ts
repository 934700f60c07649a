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
 * This module owns the per-packet rules; the state layout is in diagnosis-state.ts, the verdict
 * record and its builder in diagnosis-result.ts (re-exported here).
 */
import { DIR, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt } from '../core/seq.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { CongestionTracker } from './congestion.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';
import {
  APP, APP_PENDING, CWND, DEFAULT_MSS, DF, G_HS_RTT, G_LAST_T, G_LIFE_END, G_LIFE_START, G_PREV_T, G_SYN_ACK_SEEN, G_SYN_T,
  G_TAIL, INIT, LOSS, RWND, RWND_PENDING, X_CLS, X_DATA_SEGMENTS, X_EPISODES_SEEN, X_FIRST_DATA_T, X_IDLE_GAPS,
  X_KEEP_ALIVES, X_LAST_COMMIT_T, X_LONGEST_IDLE, X_MSS, X_NEW_BYTES, X_PENDING_APP, X_PENDING_RWND, X_RWND_AT_LIMIT,
  X_RWND_MAX, X_SND_MAX, X_SRTT_LAST, X_SRTT_MAX, X_SRTT_MIN, X_STALL, X_STARTED, X_TIME, X_UNA, X_UNA_KNOWN, X_ZW_LONGEST,
  X_ZW_OPEN, X_ZW_START_T, X_ZW_STALLS, X_ZW_TOTAL,
} from './diagnosis-state.js';
import { diagnosisResult, type DiagnosisJson } from './diagnosis-result.js';

export { DEFAULT_MSS, DIAGNOSIS_STATE_SLOTS } from './diagnosis-state.js';
export {
  IDLE_FLOW_MIN_S, IDLE_FLOW_SHARE, LIMIT_CLASSES, LIMIT_SIDE, MIN_DATA_SEGMENTS, MIN_TRANSFER_RTTS,
  type DiagnosisEvidence, type DiagnosisJson, type DirectionVerdict, type LimitClass, type LimitedBy, type LimitSide,
} from './diagnosis-result.js';

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

  /** The verdict (call after `finish`; diagnosis-result.ts). */
  result(): DiagnosisJson {
    return diagnosisResult(this.st, this.b, this.congestion);
  }


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
}

/** A fixed `PathView` (tests): values set per direction. */
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
