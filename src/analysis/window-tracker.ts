/**
 * Windows and flow control of one flow (issue 5 §3): what each endpoint advertised as its
 * receive window over time, the bytes in flight each way (SACK-aware) and how long they filled
 * the window, zero-window periods with their persist probes (zero-window.ts), window shrinks
 * (Zeek `window_recision`, window-shrink.ts) and keep-alives (keepalive.ts). Pure: no clocks, no I/O; one instance
 * per flow, driven by the per-flow orchestrator with every packet in capture order. `onPacket`
 * allocates nothing (a few lazily allocated, bounded typed arrays per flow). The state layout is
 * named in window-state.ts, the report records are built by window-report.ts.
 *
 * Units and conventions:
 * - Endpoint index = the direction of the packets it sends (0 client, 1 server). `rwnd(d)` is the
 *   window advertised by the receiver of d's data, i.e. by endpoint `reverse(d)`.
 * - Window scale (RFC 7323 §2): the caller passes the sender's shift per packet (the classifier's
 *   `scaleShift`): SCALE_UNKNOWN when the SYNs were not both captured, 0 when not negotiated.
 *   A SYN's own window is never scaled. With the scale unknown the window in bytes is unknown:
 *   `rwnd` says -1 and the report keeps raw 16-bit values (`unit: 'raw'`), never guessing 1 or 14.
 * - Bytes in flight of direction d: sequence space d has sent (SYN/FIN count one each) that the
 *   peer has not cumulatively acknowledged, minus what the peer SACKed above its ACK
 *   (sack-scoreboard.ts). `windowFull` time: d's unacknowledged sequence space (not SACK-reduced:
 *   the window limits the right edge, RFC 9293 §3.8.6) >= the advertised window (a zero
 *   window always counts as full).
 * - Window shrink: see window-shrink.ts (only while the scale is known).
 * - Time-weighted means integrate each value from its packet until the next change (or the flow
 *   end); times are epoch seconds, durations in the report milliseconds (3 decimals).
 */
import { DIR, reverse, type Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGe } from '../core/seq.js';
import { TCP_FLAG, TCP_OPT, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { ZeroWindowJson } from '../flow/analyzers.js';
import type { EventLog } from './event-log.js';
import { KeepAliveEndpoint, NO_KEEPALIVE_JSON } from './keepalive.js';
import { SackScoreboard } from './sack-scoreboard.js';
import { SEG } from './seg-flags.js';
import { DecimatedSeries, SERIES_MAX_POINTS } from './window-series.js';
import { shrinkCheck } from './window-shrink.js';
import { advertisedJson, flightJson } from './window-report.js';
import {
  A_CUR, A_INTEGRAL, A_LAST_SENT, A_MAX, A_MIN, A_MIXED, A_RWND, A_SAMPLES, A_SHIFT, A_SHRINK, A_SYN_SEEN, A_SYN_WIN, A_TIME,
  A_UNIT, A_WS, EP0, EP_FIELDS, F_CUR, F_FIN_END, F_FIN_OK, F_FULL, F_FULL_KNOWN, F_FULL_TIME, F_INTEGRAL, F_MAX, F_NXT,
  F_NXT_OK, F_TIME, F_UNA, F_UNA_OK, FL0, FL_FIELDS, INIT, LAST_T, UNIT_BYTES, UNIT_NONE, UNIT_RAW,
} from './window-state.js';
import { NO_ZERO_WINDOW_JSON, ZeroWindowEndpoint } from './zero-window.js';

/** Options of the window analysis. */
export interface WindowOptions {
  /** `zero_window_stall` is reported for periods at least this long, ms (default 200). */
  stallThresholdMs?: number;
  /** Points kept per timeline (default 1000; see window-series.ts). */
  maxTimelinePoints?: number;
  /**
   * Keep the timelines and put them in `section()` (default true). Each flow then carries up to
   * four arrays of `maxTimelinePoints` [t, value] pairs (and holds up to 16 KB per series while
   * running): for reports of many flows without plots, pass false (no series kept, no `timeline`).
   */
  timelines?: boolean;
  /** Disjoint SACKed ranges kept per direction (default 16). */
  sackRanges?: number;
}

const { SYN, FIN, RST, ACK } = TCP_FLAG;

/** Doubles of the tracker's state (layout: window-state.ts). */
export { WINDOW_STATE_SLOTS } from './window-state.js';

export class WindowTracker {
  /**
   * All scalar state at offsets `ep` (endpoints), `fl` (flights), `lastT` of `st`: FlowBehaviour
   * passes the flow's state block (flow-state.ts), shared by all its trackers.
   */
  private readonly st: Float64Array;
  private readonly ep: number;
  private readonly fl: number;
  private readonly lastT: number;
  /**
   * Per endpoint (0/1 = the direction of the packets it sends), allocated on first use. Plain
   * fields, not [x, y] tuples: the tracker object is touched by every packet anyway, a tuple is
   * two more heap objects (array, elements) per flow, read on every packet.
   */
  private zw0: ZeroWindowEndpoint | null = null;
  private zw1: ZeroWindowEndpoint | null = null;
  private ka0: KeepAliveEndpoint | null = null;
  private ka1: KeepAliveEndpoint | null = null;
  /** Per data direction, allocated at the first SACK block. */
  private sack0: SackScoreboard | null = null;
  private sack1: SackScoreboard | null = null;
  /** Timelines (only with `timelines`): per endpoint window, per direction in flight. */
  private readonly epSeries: [DecimatedSeries, DecimatedSeries] | null;
  private readonly flSeries: [DecimatedSeries, DecimatedSeries] | null;
  private finished = false;
  private readonly withPoints: boolean;
  private readonly log: EventLog;
  private readonly thresholdSec: number;
  private readonly sackRanges: number | undefined;
  private readonly maxPoints: number;

  /** `state`, `base`: WINDOW_STATE_SLOTS doubles at `state[base]` to keep the state in (default: its own array). */
  constructor(log: EventLog, opts: WindowOptions = {}, state?: Float64Array, base = 0) {
    this.log = log;
    this.withPoints = opts.timelines ?? true;
    this.thresholdSec = (opts.stallThresholdMs ?? 200) / 1000;
    const pts = (this.maxPoints = opts.maxTimelinePoints ?? SERIES_MAX_POINTS);
    this.sackRanges = opts.sackRanges;
    if (state !== undefined) state.set(INIT, base);
    this.st = state ?? INIT.slice();
    const b = state !== undefined ? base : 0;
    this.ep = b + EP0;
    this.fl = b + FL0;
    this.lastT = b + LAST_T;
    if (this.withPoints) {
      this.epSeries = [new DecimatedSeries(pts), new DecimatedSeries(pts)];
      this.flSeries = [new DecimatedSeries(pts), new DecimatedSeries(pts)];
    } else {
      this.epSeries = null;
      this.flSeries = null;
    }
  }

  /**
   * Every packet of the flow in capture order. `seg`: the classifier's SEG bits for it;
   * `scaleShift`: the window-scale shift of this packet's sender (SCALE_UNKNOWN, 0 .. 14).
   * `pkt` is read during the call only. Allocation-free (but for parts allocated on first use).
   */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, scaleShift: number): void {
    const st = this.st;
    this.advanceTime(t);
    const peer = reverse(dir);
    const flags = pkt.tcpFlags;
    if ((seg & SEG.ZERO_WINDOW_PROBE) !== 0) this.zwAt(peer)?.probe(t);
    let ka = dir === 0 ? this.ka0 : this.ka1;
    if (ka === null && (seg & SEG.KEEP_ALIVE) !== 0) {
      ka = new KeepAliveEndpoint(st[this.ep + peer * EP_FIELDS + A_LAST_SENT]!);
      if (dir === 0) this.ka0 = ka;
      else this.ka1 = ka;
    }
    if (ka !== null) ka.own(seg, frame, t);
    (dir === 0 ? this.ka1 : this.ka0)?.peer(seg, frame, t);
    const me = this.ep + dir * EP_FIELDS;
    st[me + A_LAST_SENT] = t;
    if ((flags & RST) !== 0) return; // an RST's sequence, ACK and window say nothing about flow control
    this.sent(pkt, this.fl + dir * FL_FIELDS, flags);
    if ((flags & ACK) !== 0) this.acked(pkt, peer);
    st[me + A_SHIFT] = scaleShift;
    if ((flags & SYN) !== 0) {
      // A SYN: its window is unscaled bytes (RFC 7323 §2.2); its WS option is kept for the report.
      st[me + A_SYN_SEEN] = 1;
      st[me + A_SYN_WIN] = pkt.window;
      st[me + A_WS] = (pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? pkt.wscale : -1;
      st[me + A_RWND] = pkt.window;
    } else if ((flags & ACK) !== 0) this.windowSeen(pkt, dir, frame, t, scaleShift);
    this.updateInFlight(dir, t);
    this.updateInFlight(peer, t);
  }

  /** Bytes of dir's data sent and not yet acknowledged, minus bytes the receiver SACKed; -1 unknown. */
  inFlight(dir: Direction): number {
    return this.st[this.fl + dir * FL_FIELDS + F_CUR]!;
  }

  /** Receive window (bytes) last advertised by the receiver of dir's data; -1 unknown (scale unknown, or nothing seen). */
  rwnd(dir: Direction): number {
    return this.st[this.ep + (1 - dir) * EP_FIELDS + A_RWND]!;
  }

  /** True while the receiver of dir's data is in a zero-window period (from its first zero window to its next non-zero one). */
  zeroWindowOpen(dir: Direction): boolean {
    const z = this.zwAt(reverse(dir));
    return z !== null && z.inPeriod;
  }

  /** End of the flow: time integrals up to `lastT`, open zero-window periods closed (their events emitted). Idempotent. */
  finish(lastFrame: number, lastT: number): void {
    if (this.finished) return;
    this.finished = true;
    this.advanceTime(lastT);
    this.zw0?.finish(lastFrame, lastT);
    this.zw1?.finish(lastFrame, lastT);
  }

  /** Report `zeroWindow`: zero windows each endpoint advertised. */
  zeroWindow(): { client: ZeroWindowJson; server: ZeroWindowJson } {
    return { client: this.zw0?.json() ?? NO_ZERO_WINDOW_JSON, server: this.zw1?.json() ?? NO_ZERO_WINDOW_JSON };
  }

  /** Report `windows` section (JSON-safe). */
  section(): Record<string, unknown> {
    return {
      client: advertisedJson(this.st, this.ep + DIR.C2S * EP_FIELDS, this.epSeries?.[DIR.C2S] ?? null),
      server: advertisedJson(this.st, this.ep + DIR.S2C * EP_FIELDS, this.epSeries?.[DIR.S2C] ?? null),
      inFlight: {
        c2s: flightJson(this.st, this.fl + DIR.C2S * FL_FIELDS, this.sack0, this.flSeries?.[DIR.C2S] ?? null),
        s2c: flightJson(this.st, this.fl + DIR.S2C * FL_FIELDS, this.sack1, this.flSeries?.[DIR.S2C] ?? null),
      },
      keepAlive: { client: this.ka0?.json() ?? NO_KEEPALIVE_JSON, server: this.ka1?.json() ?? NO_KEEPALIVE_JSON },
      ...(this.withPoints ? { timelines: `at most ${this.maxPoints} [t, value] points each; changes only; beyond that min/max per bucket of 'stride' changes` } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** Endpoint e's zero-window state, created when needed. */
  private zwOf(e: Direction): ZeroWindowEndpoint {
    const z = this.zwAt(e);
    if (z !== null) return z;
    const made = new ZeroWindowEndpoint(this.log, e, this.thresholdSec);
    if (e === 0) this.zw0 = made;
    else this.zw1 = made;
    return made;
  }

  /** Endpoint e's zero-window state, null before its first zero window. */
  private zwAt(e: Direction): ZeroWindowEndpoint | null {
    return e === 0 ? this.zw0 : this.zw1;
  }

  /** Integrate the current values from the previous packet's time to `t`. */
  private advanceTime(t: number): void {
    const st = this.st;
    const last = st[this.lastT]!;
    if (last === last && t > last) {
      const dt = t - last;
      for (let i = 0; i < 2; i++) {
        const e = this.ep + i * EP_FIELDS;
        const ec = st[e + A_CUR]!;
        if (ec >= 0) {
          st[e + A_INTEGRAL] = st[e + A_INTEGRAL]! + ec * dt;
          st[e + A_TIME] = st[e + A_TIME]! + dt;
        }
        const f = this.fl + i * FL_FIELDS;
        const fc = st[f + F_CUR]!;
        if (fc >= 0) {
          st[f + F_INTEGRAL] = st[f + F_INTEGRAL]! + fc * dt;
          st[f + F_TIME] = st[f + F_TIME]! + dt;
          if (st[this.ep + (1 - i) * EP_FIELDS + A_RWND]! >= 0) {
            st[f + F_FULL_KNOWN] = st[f + F_FULL_KNOWN]! + dt;
            if (st[f + F_FULL] === 1) st[f + F_FULL_TIME] = st[f + F_FULL_TIME]! + dt;
          }
        }
      }
    }
    if (!(t <= last)) st[this.lastT] = t;
  }

  /** The packet's own sequence space (its direction's flight at `f`). */
  private sent(pkt: DecodedPacket, f: number, flags: number): void {
    const st = this.st;
    const end = seqAdd(pkt.seq, pkt.payloadWireLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0));
    if (st[f + F_NXT_OK] === 0 || seqDiff(end, st[f + F_NXT]!) > 0) st[f + F_NXT] = end;
    st[f + F_NXT_OK] = 1;
    if ((flags & FIN) !== 0) {
      st[f + F_FIN_END] = end;
      st[f + F_FIN_OK] = 1;
    }
  }

  /** The packet's ACK and SACK blocks acknowledge the data of direction `d` (the peer's). */
  private acked(pkt: DecodedPacket, d: Direction): void {
    const st = this.st;
    const f = this.fl + d * FL_FIELDS;
    const ack = pkt.ack;
    let sb = d === 0 ? this.sack0 : this.sack1;
    if (st[f + F_UNA_OK] === 0 || seqDiff(ack, st[f + F_UNA]!) > 0) {
      st[f + F_UNA] = ack;
      st[f + F_UNA_OK] = 1;
      if (sb !== null) sb.advance(ack);
    }
    const n = pkt.sackCount;
    if (n > 0) {
      if (sb === null) {
        sb = new SackScoreboard(this.sackRanges);
        if (d === 0) this.sack0 = sb;
        else this.sack1 = sb;
      }
      const b = pkt.sackBlocks;
      const una = st[f + F_UNA]!;
      for (let i = 0; i < n; i++) sb.add(b[2 * i]!, b[2 * i + 1]!, una);
    } else if (sb !== null && sb.ranges > 0) {
      sb.clear(); // RFC 2018 §8: no SACK blocks = the receiver holds nothing above the ACK (or reneged)
    }
  }

  /** A non-SYN segment of endpoint `e` with ACK: its advertised window. */
  private windowSeen(pkt: DecodedPacket, e: Direction, frame: number, t: number, shift: number): void {
    const st = this.st;
    const me = this.ep + e * EP_FIELDS;
    const pd = this.fl + (1 - e) * FL_FIELDS;
    const raw = pkt.window;
    const bytes = shift >= 0 ? raw * (1 << shift) : -1;
    st[me + A_RWND] = bytes;
    if (this.sample(me, raw, bytes) && this.epSeries !== null) this.epSeries[e].add(t, st[me + A_CUR]!);
    if (raw !== 0 || (pkt.tcpFlags & FIN) === 0) {
      const z = raw === 0 ? this.zwOf(e) : this.zwAt(e);
      if (z !== null) {
        const peerIdle = st[pd + F_NXT_OK] === 1 && st[pd + F_UNA_OK] === 1 && seqDiff(st[pd + F_NXT]!, st[pd + F_UNA]!) <= 0;
        z.advertise(raw, frame, t, peerIdle);
      }
    }
    if (bytes >= 0) shrinkCheck(st, me + A_SHRINK, this.log, e, pkt, bytes, shift, st[pd + F_FIN_OK] === 1 && seqGe(pkt.ack, st[pd + F_FIN_END]!), frame, t);
  }

  /** One window sample of the endpoint at `me` for the stats (A_CUR holds it); false when left out (other unit). */
  private sample(me: number, raw: number, bytes: number): boolean {
    const st = this.st;
    let unit = st[me + A_UNIT]!;
    if (unit === UNIT_NONE) unit = st[me + A_UNIT] = bytes >= 0 ? UNIT_BYTES : UNIT_RAW;
    if ((unit === UNIT_BYTES) !== bytes >= 0) {
      st[me + A_MIXED]!++; // the scale became known or unknown mid-flow: keep the first unit
      return false;
    }
    const v = unit === UNIT_BYTES ? bytes : raw;
    st[me + A_CUR] = v;
    st[me + A_SAMPLES]!++;
    if (v < st[me + A_MIN]!) st[me + A_MIN] = v;
    if (v > st[me + A_MAX]!) st[me + A_MAX] = v;
    return true;
  }

  /** Recompute direction d's bytes in flight and window-full state. */
  private updateInFlight(d: Direction, t: number): void {
    const st = this.st;
    const f = this.fl + d * FL_FIELDS;
    if (st[f + F_NXT_OK] === 0 || st[f + F_UNA_OK] === 0) return;
    const nxt = st[f + F_NXT]!;
    const una = st[f + F_UNA]!;
    let out = seqDiff(nxt, una);
    if (out < 0) out = 0; // ACK above anything captured from d (acked unseen)
    const sb = d === 0 ? this.sack0 : this.sack1;
    const inf = sb === null ? out : out - sb.sackedBetween(una, nxt);
    st[f + F_CUR] = inf;
    if (inf > st[f + F_MAX]!) st[f + F_MAX] = inf;
    if (this.flSeries !== null) this.flSeries[d].add(t, inf);
    const rw = st[this.ep + (1 - d) * EP_FIELDS + A_RWND]!;
    st[f + F_FULL] = rw >= 0 && out >= rw ? 1 : 0;
  }
}
