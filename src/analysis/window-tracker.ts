/**
 * Windows and flow control of one flow (issue 5 §3): what each endpoint advertised as its
 * receive window over time, the bytes in flight each way (SACK-aware) and how long they filled
 * the window, zero-window periods with their persist probes (zero-window.ts), window shrinks
 * (Zeek `window_recision`, window-shrink.ts) and keep-alives (keepalive.ts). Pure: no clocks, no I/O; one instance
 * per flow, driven by the per-flow orchestrator with every packet in capture order. `onPacket`
 * allocates nothing (a few lazily allocated, bounded typed arrays per flow).
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
import { KeepAliveEndpoint } from './keepalive.js';
import { SackScoreboard } from './sack-scoreboard.js';
import { SEG } from './seg-flags.js';
import { DecimatedSeries, SERIES_MAX_POINTS } from './window-series.js';
import { WindowShrink } from './window-shrink.js';
import { ZeroWindowEndpoint, ms } from './zero-window.js';

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
/** `unit` of an endpoint's window samples. */
const UNIT_NONE = 0;
const UNIT_BYTES = 1;
const UNIT_RAW = 2;
const UNIT_NAME: readonly (string | null)[] = [null, 'bytes', 'raw'];

/** What one endpoint advertised (its receive window); owned by `WindowTracker`. Plain numeric fields. */
class Advertised {
  /** Window-scale shift of its windows (SCALE_UNKNOWN, 0 .. 14), the last the caller gave. */
  shift = -2;
  /** WS option of its SYN, -1 none; SYN seen; the SYN's (unscaled) window, -1 none. */
  wsOption = -1;
  synSeen = false;
  synWindow = -1;
  /** UNIT_* of the samples (fixed by the first one). */
  unit = UNIT_NONE;
  /** Current window in bytes (a SYN's raw window is bytes), -1 unknown. */
  rwnd = -1;
  /** Current sample in `unit`, -1 none; min, max, time integral and time covered, samples, samples in the other unit. */
  cur = -1;
  min = Infinity;
  max = -1;
  integral = 0;
  time = 0;
  samples = 0;
  mixed = 0;
  readonly series: DecimatedSeries;
  readonly shrink: WindowShrink;
  readonly zw: ZeroWindowEndpoint;
  readonly ka = new KeepAliveEndpoint();

  constructor(log: EventLog, e: Direction, thresholdSec: number, points: number) {
    this.series = new DecimatedSeries(points);
    this.shrink = new WindowShrink(log, e);
    this.zw = new ZeroWindowEndpoint(log, e, thresholdSec);
  }
}

/** One direction's data in flight; owned by `WindowTracker`. Plain numeric fields; sequence numbers raw u32. */
class Flight {
  /** Highest sequence number sent + 1; sequence number past its FIN; highest cumulative ACK from the peer. */
  nxt = 0;
  nxtOk = false;
  finEnd = 0;
  finOk = false;
  una = 0;
  unaOk = false;
  /** Bytes in flight now (-1 unknown), max, time integral and time covered. */
  cur = -1;
  max = 0;
  integral = 0;
  time = 0;
  /** The window is full now; time full; time during which full-or-not was known (in flight and rwnd known). */
  full = false;
  fullTime = 0;
  fullKnown = 0;
  readonly sack: SackScoreboard;
  readonly series: DecimatedSeries;

  constructor(sackRanges: number | undefined, points: number) {
    this.sack = new SackScoreboard(sackRanges);
    this.series = new DecimatedSeries(points);
  }
}

export class WindowTracker {
  /** Per endpoint, index = the direction of the packets it sends (0 client, 1 server). */
  private readonly ep: [Advertised, Advertised];
  /** Per data direction. */
  private readonly fl: [Flight, Flight];
  private lastT = NaN;
  private finished = false;
  private readonly withPoints: boolean;

  constructor(log: EventLog, opts: WindowOptions = {}) {
    this.withPoints = opts.timelines ?? true;
    const th = (opts.stallThresholdMs ?? 200) / 1000;
    const pts = opts.maxTimelinePoints ?? SERIES_MAX_POINTS;
    this.ep = [new Advertised(log, DIR.C2S, th, pts), new Advertised(log, DIR.S2C, th, pts)];
    this.fl = [new Flight(opts.sackRanges, pts), new Flight(opts.sackRanges, pts)];
  }

  /**
   * Every packet of the flow in capture order. `seg`: the classifier's SEG bits for it;
   * `scaleShift`: the window-scale shift of this packet's sender (SCALE_UNKNOWN, 0 .. 14).
   * `pkt` is read during the call only. Allocation-free.
   */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, t: number, seg: number, scaleShift: number): void {
    this.advanceTime(t);
    const peer = reverse(dir);
    const flags = pkt.tcpFlags;
    const me = this.ep[dir];
    if ((seg & SEG.ZERO_WINDOW_PROBE) !== 0) this.ep[peer].zw.probe(t);
    me.ka.own(seg, frame, t);
    this.ep[peer].ka.peer(seg, frame, t);
    if ((flags & RST) !== 0) return; // an RST's sequence, ACK and window say nothing about flow control
    this.sent(pkt, this.fl[dir], flags);
    if ((flags & ACK) !== 0) this.acked(pkt, this.fl[peer]);
    me.shift = scaleShift;
    if ((flags & SYN) !== 0) synWindowSeen(pkt, me);
    else if ((flags & ACK) !== 0) this.windowSeen(pkt, dir, frame, t, scaleShift);
    this.updateInFlight(dir, t);
    this.updateInFlight(peer, t);
  }

  /** Bytes of dir's data sent and not yet acknowledged, minus bytes the receiver SACKed; -1 unknown. */
  inFlight(dir: Direction): number {
    return this.fl[dir].cur;
  }

  /** Receive window (bytes) last advertised by the receiver of dir's data; -1 unknown (scale unknown, or nothing seen). */
  rwnd(dir: Direction): number {
    return this.ep[reverse(dir)].rwnd;
  }

  /** True while the receiver of dir's data is in a zero-window period (from its first zero window to its next non-zero one). */
  zeroWindowOpen(dir: Direction): boolean {
    return this.ep[reverse(dir)].zw.inPeriod;
  }

  /** End of the flow: time integrals up to `lastT`, open zero-window periods closed (their events emitted). Idempotent. */
  finish(lastFrame: number, lastT: number): void {
    if (this.finished) return;
    this.finished = true;
    this.advanceTime(lastT);
    this.ep[0].zw.finish(lastFrame, lastT);
    this.ep[1].zw.finish(lastFrame, lastT);
  }

  /** Report `zeroWindow`: zero windows each endpoint advertised. */
  zeroWindow(): { client: ZeroWindowJson; server: ZeroWindowJson } {
    return { client: this.ep[0].zw.json(), server: this.ep[1].zw.json() };
  }

  /** Report `windows` section (JSON-safe). */
  section(): Record<string, unknown> {
    const [c, s] = this.ep;
    return {
      client: advertisedJson(c, this.withPoints),
      server: advertisedJson(s, this.withPoints),
      inFlight: { c2s: flightJson(this.fl[0], this.withPoints), s2c: flightJson(this.fl[1], this.withPoints) },
      keepAlive: { client: c.ka.json(), server: s.ka.json() },
      ...(this.withPoints ? { timelines: `at most ${c.series.maxPoints} [t, value] points each; changes only; beyond that min/max per bucket of 'stride' changes` } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** Integrate the current values from the previous packet's time to `t`. */
  private advanceTime(t: number): void {
    const last = this.lastT;
    if (last === last && t > last) {
      const dt = t - last;
      for (let i = 0; i < 2; i++) {
        const e = this.ep[i]!;
        if (e.cur >= 0) {
          e.integral += e.cur * dt;
          e.time += dt;
        }
        const f = this.fl[i]!;
        if (f.cur >= 0) {
          f.integral += f.cur * dt;
          f.time += dt;
          if (this.ep[1 - i]!.rwnd >= 0) {
            f.fullKnown += dt;
            if (f.full) f.fullTime += dt;
          }
        }
      }
    }
    if (!(t <= last)) this.lastT = t;
  }

  /** The packet's own sequence space (its direction's `f`). */
  private sent(pkt: DecodedPacket, f: Flight, flags: number): void {
    const end = seqAdd(pkt.seq, pkt.payloadWireLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0));
    if (!f.nxtOk || seqDiff(end, f.nxt) > 0) f.nxt = end;
    f.nxtOk = true;
    if ((flags & FIN) !== 0) {
      f.finEnd = end;
      f.finOk = true;
    }
  }

  /** The packet's ACK and SACK blocks acknowledge the data of the peer's direction `f`. */
  private acked(pkt: DecodedPacket, f: Flight): void {
    const ack = pkt.ack;
    const sb = f.sack;
    if (!f.unaOk || seqDiff(ack, f.una) > 0) {
      f.una = ack;
      f.unaOk = true;
      sb.advance(ack);
    }
    const n = pkt.sackCount;
    if (n > 0) {
      const b = pkt.sackBlocks;
      for (let i = 0; i < n; i++) sb.add(b[2 * i]!, b[2 * i + 1]!, f.una);
    } else if (sb.ranges > 0) {
      sb.clear(); // RFC 2018 §8: no SACK blocks = the receiver holds nothing above the ACK (or reneged)
    }
  }

  /** A non-SYN segment of endpoint `e` with ACK: its advertised window. */
  private windowSeen(pkt: DecodedPacket, e: Direction, frame: number, t: number, shift: number): void {
    const me = this.ep[e];
    const peerData = this.fl[reverse(e)];
    const raw = pkt.window;
    const bytes = shift >= 0 ? raw * (1 << shift) : -1;
    me.rwnd = bytes;
    if (sample(me, raw, bytes) && this.withPoints) me.series.add(t, me.cur);
    if (raw !== 0 || (pkt.tcpFlags & FIN) === 0) {
      const peerIdle = peerData.nxtOk && peerData.unaOk && seqDiff(peerData.nxt, peerData.una) <= 0;
      me.zw.advertise(raw, frame, t, peerIdle);
    }
    if (bytes >= 0) me.shrink.check(pkt, bytes, shift, peerData.finOk && seqGe(pkt.ack, peerData.finEnd), frame, t);
  }

  /** Recompute direction d's bytes in flight and window-full state. */
  private updateInFlight(d: Direction, t: number): void {
    const f = this.fl[d];
    if (!f.nxtOk || !f.unaOk) return;
    let out = seqDiff(f.nxt, f.una);
    if (out < 0) out = 0; // ACK above anything captured from d (acked unseen)
    const inf = out - f.sack.sackedBetween(f.una, f.nxt);
    f.cur = inf;
    if (inf > f.max) f.max = inf;
    if (this.withPoints) f.series.add(t, inf);
    const rw = this.ep[reverse(d)].rwnd;
    f.full = rw >= 0 && out >= rw;
  }
}

/** A SYN: its window is unscaled bytes (RFC 7323 §2.2); its WS option is kept for the report. */
function synWindowSeen(pkt: DecodedPacket, me: Advertised): void {
  me.synSeen = true;
  me.synWindow = pkt.window;
  me.wsOption = (pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? pkt.wscale : -1;
  me.rwnd = pkt.window;
}

/** One window sample of an endpoint for the stats (`cur` holds it); false when left out (other unit). */
function sample(me: Advertised, raw: number, bytes: number): boolean {
  if (me.unit === UNIT_NONE) me.unit = bytes >= 0 ? UNIT_BYTES : UNIT_RAW;
  if ((me.unit === UNIT_BYTES) !== bytes >= 0) {
    me.mixed++; // the scale became known or unknown mid-flow: keep the first unit
    return false;
  }
  const v = me.unit === UNIT_BYTES ? bytes : raw;
  me.cur = v;
  me.samples++;
  if (v < me.min) me.min = v;
  if (v > me.max) me.max = v;
  return true;
}

/** A series for the report. */
function timeline(s: DecimatedSeries): Record<string, unknown> {
  return { stride: s.stride, changes: s.changes, points: s.points() };
}

function advertisedJson(e: Advertised, withPoints: boolean): Record<string, unknown> {
  const s = e.shift;
  const n = e.samples;
  return {
    scaleKnown: s >= 0,
    scale: s >= 0 ? s : 'unknown',
    synSeen: e.synSeen,
    wsOption: e.wsOption >= 0 ? e.wsOption : null,
    synWindow: e.synWindow >= 0 ? e.synWindow : null,
    unit: UNIT_NAME[e.unit] ?? null,
    samples: n,
    min: n > 0 ? e.min : null,
    max: n > 0 ? e.max : null,
    mean: n === 0 ? null : e.time > 0 ? Math.round(e.integral / e.time) : e.cur,
    last: n > 0 ? e.cur : null,
    unitChanges: e.mixed,
    shrinks: e.shrink.count,
    maxShrinkBytes: e.shrink.count > 0 ? e.shrink.maxBytes : null,
    ...(withPoints ? { timeline: timeline(e.series) } : {}),
  };
}

function flightJson(f: Flight, withPoints: boolean): Record<string, unknown> {
  const known = f.cur >= 0;
  const kt = f.fullKnown;
  return {
    known,
    maxBytes: known ? f.max : null,
    meanBytes: !known ? null : f.time > 0 ? Math.round(f.integral / f.time) : f.cur,
    windowFullMs: kt > 0 ? ms(f.fullTime) : null,
    windowFullFraction: kt > 0 ? Math.round((f.fullTime / kt) * 1e4) / 1e4 : null,
    sackOverflows: f.sack.overflows,
    ...(withPoints ? { timeline: timeline(f.series) } : {}),
  };
}
