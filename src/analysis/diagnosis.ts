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
import { DIR, DIR_NAME, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt } from '../core/seq.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { CongestionTracker } from './congestion.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';

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

/** One direction's accounting (plain numeric fields). */
class DirDiag {
  started = false;
  firstDataT = 0;
  /** End of the last committed (non-pending) interval. */
  lastCommitT = 0;
  dataSegments = 0;
  newBytes = 0;
  sndMax = 0;
  una = 0;
  unaKnown = false;
  mss = 0;
  cls = -1;
  readonly time = new Float64Array(4);
  pendingApp = 0;
  pendingRwnd = 0;
  stall = 0;
  episodesSeen = 0;
  // evidence
  idleGaps = 0;
  longestIdle = 0;
  zwOpen = false;
  zwStartT = 0;
  zwStalls = 0;
  zwLongest = 0;
  zwTotal = 0;
  keepAlives = 0;
  srttMin = -1;
  srttMax = -1;
  srttLast = -1;
  rwndMax = -1;
  /** Largest window advertised while the sender was at it (receiver_window class), -1 never. */
  rwndAtLimit = -1;
}

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
  private readonly d: readonly [DirDiag, DirDiag] = [new DirDiag(), new DirDiag()];
  private prevT = -1;
  private synT = -1;
  private synAckSeen = false;
  private hsRtt = -1;
  private lifeStart = -1;
  private lifeEnd = -1;
  private lastT = -1;
  private tailS: [number, number] = [0, 0];

  /** `congestion`: the same flow's tracker, fed each packet before this one. */
  constructor(private readonly congestion: CongestionTracker) {}

  /** One packet of the flow (capture order), after the congestion, window and RTT trackers saw it. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, view: PathView): void {
    void frame;
    this.lifetime(pkt, t);
    if (this.prevT >= 0) {
      const dt = t - this.prevT;
      if (dt > 0) {
        this.account(this.d[DIR.C2S], dt, t);
        this.account(this.d[DIR.S2C], dt, t);
      }
    }
    this.prevT = t;
    this.lastT = t;
    this.asSender(this.d[dir], dir, pkt, t, seg);
    if ((pkt.tcpFlags & TCP_FLAG.ACK) !== 0) this.asReceiver(this.d[dir === DIR.C2S ? DIR.S2C : DIR.C2S], pkt.ack);
    this.update(DIR.C2S, t, view);
    this.update(DIR.S2C, t, view);
  }

  /** End of the flow: pending time is the idle tail; an open zero-window stall ends at `lastT`. */
  finish(lastT: number): void {
    if (lastT > this.lastT) this.lastT = lastT;
    for (let i = 0; i < 2; i++) {
      const x = this.d[i as Direction];
      this.tailS[i] = x.pendingApp + x.pendingRwnd;
      x.pendingApp = 0;
      x.pendingRwnd = 0;
      if (x.zwOpen) this.endZeroWindow(x, this.lastT);
    }
    if (this.lifeEnd < 0) this.lifeEnd = this.lastT;
  }

  /** The verdict (call after `finish`). */
  result(): DiagnosisJson {
    const c = this.verdict(DIR.C2S);
    const s = this.verdict(DIR.S2C);
    const dc = this.d[DIR.C2S];
    const ds = this.d[DIR.S2C];
    const main: Direction = ds.newBytes > dc.newBytes || (ds.newBytes === dc.newBytes && ds.dataSegments > dc.dataSegments) ? DIR.S2C : DIR.C2S;
    const directions = { c2s: dc.started ? c : null, s2c: ds.started ? s : null };
    const x = this.d[main];
    let v = main === DIR.C2S ? c : s;
    const evidence = this.evidence(main);
    if (!dc.started && !ds.started) v = { limitedBy: 'handshake_only', side: null, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments };
    else if (v.limitedBy === 'too_short') {
      const life = evidence.lifetimeMs / 1e3;
      const idle = evidence.idle.connectionIdleMs / 1e3;
      if (idle >= IDLE_FLOW_MIN_S && idle >= IDLE_FLOW_SHARE * life) v = this.idleVerdict(x, life, idle, v);
    }
    const direction = dc.started || ds.started ? DIR_NAME[main] : null;
    // Listed fields, no object spread: spread is far slower in V8 and this runs once per flow.
    const out: DiagnosisJson = { limitedBy: v.limitedBy, side: v.side, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments, direction, evidence, headline: '', directions };
    out.headline = headline(out);
    return out;
  }

  // ---- per packet ----

  private lifetime(pkt: DecodedPacket, t: number): void {
    const f = pkt.tcpFlags;
    if ((f & TCP_FLAG.SYN) !== 0) {
      if ((f & TCP_FLAG.ACK) === 0) {
        if (!this.synAckSeen) this.synT = t; // the last SYN before the SYN/ACK (SYN retransmissions)
      } else this.synAckSeen = true;
      return;
    }
    if (this.hsRtt < 0 && this.synAckSeen && this.synT >= 0 && (f & TCP_FLAG.ACK) !== 0) this.hsRtt = t - this.synT;
    if (this.lifeStart < 0) this.lifeStart = t;
    if (this.lifeEnd < 0 && (f & (TCP_FLAG.FIN | TCP_FLAG.RST)) !== 0) this.lifeEnd = t;
  }

  /** Give `dt` (ending at `t`) to `x`'s class. */
  private account(x: DirDiag, dt: number, t: number): void {
    switch (x.cls) {
      case APP_PENDING: // resolved when new data follows, dropped as the tail otherwise
        x.pendingApp += dt;
        return;
      case RWND_PENDING: // zero window with nothing outstanding: blocking only if data follows
        x.pendingRwnd += dt;
        return;
      case CWND: // also the stall that a loss episode may claim
        x.stall += dt;
        break;
      case RWND:
      case LOSS:
        break;
      default: // not started, or no state yet
        return;
    }
    x.time[x.cls] = x.time[x.cls]! + dt;
    x.lastCommitT = t;
  }

  private asSender(x: DirDiag, dir: Direction, pkt: DecodedPacket, t: number, seg: number): void {
    const len = pkt.payloadWireLen;
    if ((seg & SEG.KEEP_ALIVE) !== 0) x.keepAlives++;
    const end = seqAdd(pkt.seq, len);
    if ((pkt.tcpFlags & TCP_FLAG.SYN) !== 0) {
      x.sndMax = seqAdd(pkt.seq, 1);
      if (!x.unaKnown) x.una = x.sndMax;
      return;
    }
    if (len <= 0 || (seg & (SEG.ZERO_WINDOW_PROBE | SEG.KEEP_ALIVE)) !== 0) return;
    if (len > x.mss) x.mss = len;
    x.dataSegments++;
    if (!x.started) {
      x.started = true;
      x.firstDataT = t;
      x.lastCommitT = t;
      x.sndMax = end;
      x.newBytes += len;
      if (!x.unaKnown) x.una = pkt.seq;
    } else if (seqGt(end, x.sndMax) && (seg & SEG_ANY_RETRANSMISSION) === 0) {
      x.newBytes += seqDiff(end, x.sndMax) > len ? len : seqDiff(end, x.sndMax);
      x.sndMax = end;
      this.commitPending(x, dir, t);
    }
    const eps = this.congestion.sender(dir).episodes;
    if (eps > x.episodesSeen) {
      x.episodesSeen = eps;
      x.time[CWND] = x.time[CWND]! - x.stall;
      x.time[LOSS] = x.time[LOSS]! + x.stall + x.pendingApp;
      x.stall = 0;
      x.pendingApp = 0;
      x.lastCommitT = t;
    }
  }

  private asReceiver(x: DirDiag, ack: number): void {
    if (!x.unaKnown || seqGt(ack, x.una)) {
      x.una = ack;
      x.unaKnown = true;
      x.stall = 0;
    }
  }

  /** New data after pending time: an idle gap inside the transfer (or the ACK clock, when shorter than an RTT). */
  private commitPending(x: DirDiag, dir: Direction, t: number): void {
    if (x.pendingApp > 0) {
      const rtt = Math.max(this.hsRtt, x.srttLast);
      if (x.pendingApp < rtt) x.time[CWND] = x.time[CWND]! + x.pendingApp;
      else {
        x.time[APP] = x.time[APP]! + x.pendingApp;
        x.idleGaps++;
        if (x.pendingApp > x.longestIdle) x.longestIdle = x.pendingApp;
      }
    }
    x.time[RWND] = x.time[RWND]! + x.pendingRwnd;
    if (x.pendingApp > 0 || x.pendingRwnd > 0) x.lastCommitT = t;
    x.pendingApp = 0;
    x.pendingRwnd = 0;
    void dir;
  }

  /** The state of `dir`'s sender after this packet. */
  private update(dir: Direction, t: number, view: PathView): void {
    const x = this.d[dir];
    const rwnd = view.rwnd(dir);
    const zw = view.zeroWindowOpen(dir) || rwnd === 0;
    if (zw !== x.zwOpen) {
      if (zw) {
        x.zwOpen = true;
        x.zwStartT = t;
      } else this.endZeroWindow(x, t);
    }
    const srtt = view.srtt(dir);
    if (srtt > 0) {
      x.srttLast = srtt;
      if (x.srttMin < 0 || srtt < x.srttMin) x.srttMin = srtt;
      if (srtt > x.srttMax) x.srttMax = srtt;
    }
    if (rwnd > x.rwndMax) x.rwndMax = rwnd;
    if (!x.started) return;
    // the window bounds the sequence range outstanding (SACKed bytes included); the ACK clock
    // and the cwnd bound the SACK-aware amount in flight
    const outstanding = x.unaKnown ? Math.max(0, seqDiff(x.sndMax, x.una)) : -1;
    let inFlight = view.inFlight(dir);
    if (inFlight < 0) inFlight = outstanding;
    const mss = x.mss > 0 ? x.mss : DEFAULT_MSS;
    if (zw) x.cls = inFlight > 0 ? RWND : RWND_PENDING;
    else if (this.congestion.inRecovery(dir)) x.cls = LOSS;
    else if (inFlight <= 0) x.cls = APP_PENDING;
    else if (rwnd >= 0 && rwnd - Math.max(inFlight, outstanding) < mss) {
      x.cls = RWND;
      if (rwnd > x.rwndAtLimit) x.rwndAtLimit = rwnd;
    }
    else if (inFlight < mss) x.cls = APP_PENDING;
    else x.cls = CWND;
  }

  private endZeroWindow(x: DirDiag, t: number): void {
    const dur = t - x.zwStartT;
    x.zwOpen = false;
    x.zwStalls++;
    x.zwTotal += dur;
    if (dur > x.zwLongest) x.zwLongest = dur;
  }

  // ---- result ----

  private verdict(dir: Direction): DirectionVerdict {
    const x = this.d[dir];
    const total = x.time[0]! + x.time[1]! + x.time[2]! + x.time[3]!;
    const fractions = fractionsOf(x.time, total);
    let limitedBy: LimitedBy = 'too_short';
    const rtt = Math.max(this.hsRtt, x.srttMin);
    const short = x.dataSegments < MIN_DATA_SEGMENTS || total <= 0 || (rtt > 0 && total < MIN_TRANSFER_RTTS * rtt);
    if (!x.started) limitedBy = 'handshake_only';
    else if (!short) limitedBy = dominant(x.time);
    const side = limitedBy === 'handshake_only' || limitedBy === 'too_short' ? null : LIMIT_SIDE[limitedBy];
    return { limitedBy, side, fractions, transferMs: ms(total), dataBytes: x.newBytes, dataSegments: x.dataSegments };
  }

  /** A too-short transfer in a connection mostly kept open idle: the application's choice. */
  private idleVerdict(x: DirDiag, life: number, idle: number, v: DirectionVerdict): DirectionVerdict {
    const times = Float64Array.from(x.time);
    times[APP] = times[APP]! + idle;
    const total = Math.max(life, times[0]! + times[1]! + times[2]! + times[3]!);
    return { limitedBy: 'sender_application', side: 'sender', fractions: fractionsOf(times, total), transferMs: ms(total), dataBytes: v.dataBytes, dataSegments: v.dataSegments };
  }

  private evidence(dir: Direction): DiagnosisEvidence {
    const x = this.d[dir];
    const cg = this.congestion.sender(dir);
    const life = this.lifeStart >= 0 ? Math.max(0, this.lifeEnd - this.lifeStart) : 0;
    let spanStart = Infinity;
    let spanEnd = -Infinity;
    for (const y of this.d) {
      if (!y.started) continue;
      spanStart = Math.min(spanStart, y.firstDataT);
      spanEnd = Math.max(spanEnd, y.lastCommitT);
    }
    const span = spanEnd > spanStart ? spanEnd - spanStart : 0;
    const msOrNull = (s: number): number | null => (s > 0 ? ms(s) : null);
    return {
      handshakeRttMs: msOrNull(this.hsRtt),
      srttMinMs: msOrNull(x.srttMin),
      srttMaxMs: msOrNull(x.srttMax),
      rwndMaxBytes: x.rwndMax >= 0 ? x.rwndMax : null,
      rwndWhenLimitedBytes: x.rwndAtLimit >= 0 ? x.rwndAtLimit : null,
      zeroWindow: { stalls: x.zwStalls, longestMs: ms(x.zwLongest), totalMs: ms(x.zwTotal) },
      loss: {
        episodes: cg.episodes, fastRetransmit: cg.fastEpisodes, timeout: cg.timeoutEpisodes, mixed: cg.mixedEpisodes,
        retransmittedBytes: cg.retxBytes, longestMs: ms(cg.maxLossS), totalMs: ms(cg.lossS),
      },
      cwnd: {
        maxBytes: cg.rounds > 0 ? cg.maxCwnd : null, meanBytes: cg.rounds > 0 ? Math.round(cg.sumCwnd / cg.rounds) : null,
        slowStartPhases: cg.ssPhases, congestionAvoidancePhases: cg.caPhases,
      },
      idle: {
        gaps: x.idleGaps, longestMs: ms(x.longestIdle), tailMs: ms(this.tailS[dir]),
        connectionIdleMs: ms(Math.max(0, life - span)), keepAlives: x.keepAlives,
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
function ms(s: number): number {
  return Math.round(s * 1e6) / 1e3;
}

const LABEL: Record<LimitClass, string> = {
  receiver_window: 'receiver window', sender_application: 'application', network_loss: 'network loss', congestion_window: 'congestion window',
};

/** The terminal headline: the verdict as one plain sentence with its strongest evidence. */
export function headline(v: DiagnosisJson): string {
  const e = v.evidence;
  if (v.limitedBy === 'handshake_only') return 'handshake only: no data was sent';
  if (v.limitedBy === 'too_short') return `too short to tell: ${plural(v.dataSegments, 'data segment')} in ${dur(v.transferMs)}`;
  const cls = v.limitedBy;
  const pct = Math.round(v.fractions[cls] * 100);
  const idleFlow = cls === 'sender_application' && v.dataSegments < MIN_DATA_SEGMENTS;
  let out = `${LABEL[cls]} limited ${pct}% of the ${dur(v.transferMs)} ${idleFlow ? 'connection' : 'transfer'}${v.direction !== null ? ` (${v.direction})` : ''}`;
  const second = LIMIT_CLASSES.filter((c) => c !== cls && v.fractions[c] >= 0.2)[0];
  if (second !== undefined) out += `, ${LABEL[second]} ${Math.round(v.fractions[second] * 100)}%`;
  switch (cls) {
    case 'receiver_window': // zero windows are the telling evidence; else a full window
      out += e.zeroWindow.stalls > 0
        ? `; ${plural(e.zeroWindow.stalls, 'zero-window stall')}, longest ${dur(e.zeroWindow.longestMs)}`
        : `; in flight at the advertised window${e.rwndWhenLimitedBytes !== null ? ` (at most ${bytes(e.rwndWhenLimitedBytes)})` : ''}`;
      break;
    case 'network_loss': // episodes by recovery kind, the cost in bytes and the longest recovery
      out += `; ${plural(e.loss.episodes, 'loss episode')} (${e.loss.fastRetransmit} fast retransmit, ${e.loss.timeout} timeout${e.loss.mixed > 0 ? `, ${e.loss.mixed} mixed` : ''}), ${bytes(e.loss.retransmittedBytes)} retransmitted, longest recovery ${dur(e.loss.longestMs)}`;
      out += queueing(e);
      break;
    case 'sender_application': // idle time and keep-alives
      out += idleFlow
        ? `: idle ${dur(e.idle.connectionIdleMs)} after ${bytes(v.dataBytes)} of data`
        : `: the sender had nothing to send; ${plural(e.idle.gaps, 'idle gap')}, longest ${dur(e.idle.longestMs)}`;
      if (e.idle.keepAlives > 0) out += `, ${plural(e.idle.keepAlives, 'keep-alive')}`;
      break;
    case 'congestion_window': // cwnd size, and queueing when the RTT grew
      out += `: in flight below the receiver's window${e.cwnd.maxBytes !== null ? `, cwnd estimate up to ${bytes(e.cwnd.maxBytes)}` : ''}`;
      out += queueing(e);
      if (e.loss.episodes > 0) out += `; ${plural(e.loss.episodes, 'loss episode')}`;
      break;
    default: {
      const never: never = cls;
      return never;
    }
  }
  if (!idleFlow && e.idle.tailMs > v.transferMs) out += `; then idle ${dur(e.idle.tailMs)} before closing`;
  return out;
}

/** "; RTT rose from a to b (queueing on the path)" when the SRTT more than doubled, by 1 ms or more (not host jitter). */
function queueing(e: DiagnosisEvidence): string {
  if (e.srttMinMs === null || e.srttMaxMs === null || e.srttMaxMs <= 2 * e.srttMinMs || e.srttMaxMs - e.srttMinMs < 1) return '';
  return `; RTT rose from ${dur(e.srttMinMs)} to ${dur(e.srttMaxMs)} (queueing on the path)`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Milliseconds for people: 0.42 ms, 7.6 ms, 312 ms, 1.9 s. */
function dur(msv: number): string {
  if (msv >= 1000) return `${(msv / 1000).toFixed(msv >= 10_000 ? 0 : 1)} s`;
  if (msv >= 100) return `${Math.round(msv)} ms`;
  if (msv >= 1) return `${msv.toFixed(1)} ms`;
  return `${msv.toFixed(2)} ms`;
}

function bytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/**
 * A `PathView` held in typed arrays, for callers that copy the trackers' values per packet
 * (tests, replay tools): `set` one direction, then pass the snapshot to `Diagnosis.onPacket`.
 */
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
