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
  /** Disjoint SACKed ranges kept per direction (default 16). */
  sackRanges?: number;
}

const { SYN, FIN, RST, ACK } = TCP_FLAG;
/** `unit` of an endpoint's window samples. */
const UNIT_NONE = 0;
const UNIT_BYTES = 1;
const UNIT_RAW = 2;
const UNIT_NAME = [null, 'bytes', 'raw'] as const;

export class WindowTracker {
  // ---- per endpoint (index = direction of its packets) ----
  private readonly shift = new Int8Array([-2, -2]);
  private readonly wsOption = new Int16Array([-1, -1]);
  private readonly synSeen = new Uint8Array(2);
  private readonly synWindow = new Int32Array([-1, -1]);
  private readonly unit = new Uint8Array(2);
  /** Current advertised window in bytes (SYN: raw = bytes), -1 unknown. */
  private readonly rwndB = new Float64Array([-1, -1]);
  /** Current window sample in the endpoint's unit, -1 none. */
  private readonly winCur = new Float64Array([-1, -1]);
  private readonly winMin = new Float64Array([Infinity, Infinity]);
  private readonly winMax = new Float64Array([-1, -1]);
  private readonly winInt = new Float64Array(2);
  private readonly winTime = new Float64Array(2);
  private readonly winSamples = new Float64Array(2);
  private readonly winMixed = new Float64Array(2);
  private readonly shrink: [WindowShrink, WindowShrink];
  private readonly winSeries: [DecimatedSeries, DecimatedSeries];
  private readonly zw: [ZeroWindowEndpoint, ZeroWindowEndpoint];
  private readonly ka: [KeepAliveEndpoint, KeepAliveEndpoint] = [new KeepAliveEndpoint(), new KeepAliveEndpoint()];

  // ---- per data direction ----
  /** Highest sequence number sent + 1 (raw u32) and whether known. */
  private readonly nxt = new Float64Array(2);
  private readonly nxtOk = new Uint8Array(2);
  /** Sequence number just past the direction's FIN, once one was sent (finOk). */
  private readonly finEnd = new Float64Array(2);
  private readonly finOk = new Uint8Array(2);
  /** Highest cumulative ACK from the peer (raw u32) and whether known. */
  private readonly una = new Float64Array(2);
  private readonly unaOk = new Uint8Array(2);
  private readonly sack: [SackScoreboard, SackScoreboard];
  /** Bytes in flight now, -1 unknown; full: 1 while the window is full. */
  private readonly infCur = new Float64Array([-1, -1]);
  private readonly infMax = new Float64Array(2);
  private readonly infInt = new Float64Array(2);
  private readonly infTime = new Float64Array(2);
  private readonly full = new Uint8Array(2);
  private readonly fullTime = new Float64Array(2);
  /** Time during which window-full could be judged (in flight and rwnd both known). */
  private readonly fullKnownTime = new Float64Array(2);
  private readonly infSeries: [DecimatedSeries, DecimatedSeries];

  private lastT = NaN;
  private finished = false;

  constructor(
    private readonly log: EventLog,
    opts: WindowOptions = {},
  ) {
    const th = (opts.stallThresholdMs ?? 200) / 1000;
    const pts = opts.maxTimelinePoints ?? SERIES_MAX_POINTS;
    this.zw = [new ZeroWindowEndpoint(log, DIR.C2S, th), new ZeroWindowEndpoint(log, DIR.S2C, th)];
    this.winSeries = [new DecimatedSeries(pts), new DecimatedSeries(pts)];
    this.infSeries = [new DecimatedSeries(pts), new DecimatedSeries(pts)];
    this.shrink = [new WindowShrink(log, DIR.C2S), new WindowShrink(log, DIR.S2C)];
    this.sack = [new SackScoreboard(opts.sackRanges), new SackScoreboard(opts.sackRanges)];
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
    if ((seg & SEG.ZERO_WINDOW_PROBE) !== 0) this.zw[peer].probe(t);
    this.ka[dir].own(seg, frame, t);
    this.ka[peer].peer(seg, frame, t);
    if ((flags & RST) !== 0) return; // an RST's sequence, ACK and window say nothing about flow control
    this.sent(pkt, dir, flags);
    if ((flags & ACK) !== 0) this.acked(pkt, peer);
    this.shift[dir] = scaleShift;
    if ((flags & SYN) !== 0) this.synWindowSeen(pkt, dir);
    else if ((flags & ACK) !== 0) this.windowSeen(pkt, dir, frame, t, scaleShift);
    this.updateInFlight(dir, t);
    this.updateInFlight(peer, t);
  }

  /** Bytes of dir's data sent and not yet acknowledged, minus bytes the receiver SACKed; -1 unknown. */
  inFlight(dir: Direction): number {
    return this.infCur[dir]!;
  }

  /** Receive window (bytes) last advertised by the receiver of dir's data; -1 unknown (scale unknown, or nothing seen). */
  rwnd(dir: Direction): number {
    return this.rwndB[reverse(dir)]!;
  }

  /** End of the flow: time integrals up to `lastT`, open zero-window periods closed (their events emitted). Idempotent. */
  finish(lastFrame: number, lastT: number): void {
    if (this.finished) return;
    this.finished = true;
    this.advanceTime(lastT);
    this.zw[0].finish(lastFrame, lastT);
    this.zw[1].finish(lastFrame, lastT);
  }

  /** Report `zeroWindow`: zero windows each endpoint advertised. */
  zeroWindow(): { client: ZeroWindowJson; server: ZeroWindowJson } {
    return { client: this.zw[0].json(), server: this.zw[1].json() };
  }

  /** Report `windows` section (JSON-safe). */
  section(): Record<string, unknown> {
    return {
      client: this.endpointJson(DIR.C2S),
      server: this.endpointJson(DIR.S2C),
      inFlight: { c2s: this.directionJson(DIR.C2S), s2c: this.directionJson(DIR.S2C) },
      keepAlive: { client: this.ka[0].json(), server: this.ka[1].json() },
      timelines: `at most ${this.winSeries[0].maxPoints} [t, value] points each; changes only; beyond that min/max per bucket of 'stride' changes`,
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** Integrate the current values from the previous packet's time to `t`. */
  private advanceTime(t: number): void {
    const last = this.lastT;
    if (last === last && t > last) {
      const dt = t - last;
      for (let i = 0; i < 2; i++) {
        const w = this.winCur[i]!;
        if (w >= 0) {
          this.winInt[i]! += w * dt;
          this.winTime[i]! += dt;
        }
        const f = this.infCur[i]!;
        if (f >= 0) {
          this.infInt[i]! += f * dt;
          this.infTime[i]! += dt;
          if (this.rwndB[1 - i]! >= 0) {
            this.fullKnownTime[i]! += dt;
            if (this.full[i] === 1) this.fullTime[i]! += dt;
          }
        }
      }
    }
    if (!(t <= last)) this.lastT = t;
  }

  /** The packet's own sequence space (direction `dir`). */
  private sent(pkt: DecodedPacket, dir: Direction, flags: number): void {
    const end = seqAdd(pkt.seq, pkt.payloadWireLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0));
    if (this.nxtOk[dir] === 0 || seqDiff(end, this.nxt[dir]!) > 0) this.nxt[dir] = end;
    this.nxtOk[dir] = 1;
    if ((flags & FIN) !== 0) {
      this.finEnd[dir] = end;
      this.finOk[dir] = 1;
    }
  }

  /** The packet's ACK and SACK blocks acknowledge data of direction `d`. */
  private acked(pkt: DecodedPacket, d: Direction): void {
    const ack = pkt.ack;
    const sb = this.sack[d];
    if (this.unaOk[d] === 0 || seqDiff(ack, this.una[d]!) > 0) {
      this.una[d] = ack;
      this.unaOk[d] = 1;
      sb.advance(ack);
    }
    const n = pkt.sackCount;
    if (n > 0) {
      const una = this.una[d]!;
      const b = pkt.sackBlocks;
      for (let i = 0; i < n; i++) sb.add(b[2 * i]!, b[2 * i + 1]!, una);
    } else if (sb.ranges > 0) {
      sb.clear(); // RFC 2018 §8: no SACK blocks = the receiver holds nothing above the ACK (or reneged)
    }
  }

  /** A SYN: its window is unscaled bytes (RFC 7323 §2.2); its WS option is kept for the report. */
  private synWindowSeen(pkt: DecodedPacket, e: Direction): void {
    this.synSeen[e] = 1;
    this.synWindow[e] = pkt.window;
    this.wsOption[e] = (pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? pkt.wscale : -1;
    this.rwndB[e] = pkt.window;
  }

  /** A non-SYN segment of endpoint `e` with ACK: its advertised window. */
  private windowSeen(pkt: DecodedPacket, e: Direction, frame: number, t: number, shift: number): void {
    const raw = pkt.window;
    const bytes = shift >= 0 ? raw * (1 << shift) : -1;
    this.rwndB[e] = bytes;
    this.sample(e, t, raw, bytes);
    if (raw !== 0 || (pkt.tcpFlags & FIN) === 0) {
      const d = reverse(e);
      const peerIdle = this.nxtOk[d] === 1 && this.unaOk[d] === 1 && seqDiff(this.nxt[d]!, this.una[d]!) <= 0;
      this.zw[e].advertise(raw, frame, t, peerIdle);
    }
    if (bytes >= 0) {
      const d = reverse(e);
      this.shrink[e].check(pkt, bytes, shift, this.finOk[d] === 1 && seqGe(pkt.ack, this.finEnd[d]!), frame, t);
    }
  }

  /** One window sample of endpoint `e` for the stats and the timeline. */
  private sample(e: Direction, t: number, raw: number, bytes: number): void {
    if (this.unit[e] === UNIT_NONE) this.unit[e] = bytes >= 0 ? UNIT_BYTES : UNIT_RAW;
    const u = this.unit[e];
    if ((u === UNIT_BYTES) !== bytes >= 0) {
      this.winMixed[e]!++; // the scale became known or unknown mid-flow: keep the first unit
      return;
    }
    const v = u === UNIT_BYTES ? bytes : raw;
    this.winCur[e] = v;
    this.winSamples[e]!++;
    if (v < this.winMin[e]!) this.winMin[e] = v;
    if (v > this.winMax[e]!) this.winMax[e] = v;
    this.winSeries[e].add(t, v);
  }

  /** Recompute direction d's bytes in flight and window-full state. */
  private updateInFlight(d: Direction, t: number): void {
    if (this.nxtOk[d] === 0 || this.unaOk[d] === 0) return;
    const nxt = this.nxt[d]!;
    const una = this.una[d]!;
    let out = seqDiff(nxt, una);
    if (out < 0) out = 0; // ACK above anything captured from d (acked unseen)
    const inf = out - this.sack[d].sackedBetween(una, nxt);
    this.infCur[d] = inf;
    if (inf > this.infMax[d]!) this.infMax[d] = inf;
    this.infSeries[d].add(t, inf);
    const rw = this.rwndB[reverse(d)]!;
    this.full[d] = rw >= 0 && out >= rw ? 1 : 0;
  }

  private endpointJson(e: Direction): Record<string, unknown> {
    const s = this.shift[e]!;
    const n = this.winSamples[e]!;
    const series = this.winSeries[e];
    return {
      scaleKnown: s >= 0,
      scale: s >= 0 ? s : 'unknown',
      synSeen: this.synSeen[e] === 1,
      wsOption: this.wsOption[e]! >= 0 ? this.wsOption[e] : null,
      synWindow: this.synWindow[e]! >= 0 ? this.synWindow[e] : null,
      unit: UNIT_NAME[this.unit[e]!] ?? null,
      samples: n,
      min: n > 0 ? this.winMin[e] : null,
      max: n > 0 ? this.winMax[e] : null,
      mean: n === 0 ? null : this.winTime[e]! > 0 ? Math.round(this.winInt[e]! / this.winTime[e]!) : this.winCur[e],
      last: n > 0 ? this.winCur[e] : null,
      unitChanges: this.winMixed[e],
      shrinks: this.shrink[e].count,
      maxShrinkBytes: this.shrink[e].count > 0 ? this.shrink[e].maxBytes : null,
      timeline: { stride: series.stride, changes: series.changes, points: series.points() },
    };
  }

  private directionJson(d: Direction): Record<string, unknown> {
    const known = this.infCur[d]! >= 0;
    const kt = this.fullKnownTime[d]!;
    const series = this.infSeries[d];
    return {
      known,
      maxBytes: known ? this.infMax[d] : null,
      meanBytes: !known ? null : this.infTime[d]! > 0 ? Math.round(this.infInt[d]! / this.infTime[d]!) : this.infCur[d],
      windowFullMs: kt > 0 ? ms(this.fullTime[d]!) : null,
      windowFullFraction: kt > 0 ? Math.round((this.fullTime[d]! / kt) * 1e4) / 1e4 : null,
      sackOverflows: this.sack[d].overflows,
      timeline: { stride: series.stride, changes: series.changes, points: series.points() },
    };
  }
}
