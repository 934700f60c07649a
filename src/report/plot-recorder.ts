/**
 * Collects per-flow plot series while a capture is analyzed, for the HTML report's graphs
 * (time-sequence, RTT, bytes in flight, throughput). Fed by the behaviour analysis hook:
 *
 * ```ts
 * const rec = new PlotRecorder({ maxPoints: 2_000_000 });
 * rec.beginCapture(0);
 * await analyzeCapture(file, { behaviour: { onSegment: rec.onSegment } });
 * ```
 *
 * One row per TCP packet in typed-array columns (plot-columns.ts), no object per packet. Sequence
 * and acknowledgement numbers are made relative to the direction's ISN (SYN = 0, first data byte
 * = 1) or, without a SYN, to its first sequence number (= 0), and unwrapped past 2^32
 * (core/seq.ts). Windows are scaled by the shift both SYNs agreed (RFC 7323 §2.2: only when both
 * offered the option; never in a SYN), and recorded raw when the handshake was not seen (the
 * flow's `scale` says so).
 *
 * Memory is bounded by a point cap shared by all flows (a packet row and a SACK block are one
 * point each). Past it packets are counted, not recorded, and each flow whose plot stops early
 * keeps the first frame it lost (`stopFrame`), so the report can say where its graphs end: no
 * silent decimation.
 */
import { SeqUnwrapper } from '../core/seq.js';
import type { Direction } from '../core/direction.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { PlotColumns } from './plot-columns.js';

export interface PlotRecorderOptions {
  /** Points recorded over all flows (packet rows + SACK blocks) before recording stops (default 2,000,000). */
  maxPoints?: number;
}

/** Default point cap: ~45 B a point in memory (≤ 2× that with the columns' growth slack), ~60 B in the HTML. */
export const DEFAULT_MAX_POINTS = 2_000_000;

/** Window-scale state per direction: no SYN seen yet / SYN without the option / the shift it offered. */
const WS_NO_SYN = -2;
const WS_NONE = -1;
/** RFC 7323 §2.3: a shift above 14 is used as 14. */
const WS_MAX = 14;

/** One flow's recording. Owned by the recorder; read by the exporter after the capture. */
export class FlowPlot {
  readonly cols = new PlotColumns();
  /** Packets the flow had (recorded or not). */
  total = 0;
  /** First frame not recorded because of the point cap (-1: the plot is complete). */
  stopFrame = -1;
  /** Epoch seconds of the flow's first packet (the plots' time 0). */
  t0 = Number.NaN;
  /** Window-scale offer per direction (WS_* or the shift). */
  readonly synWs = new Int8Array([WS_NO_SYN, WS_NO_SYN]);
  /** Whether each direction's origin is its ISN (a SYN was seen before anything else of it). */
  readonly fromIsn = [false, false];
  readonly unwrap: [SeqUnwrapper | null, SeqUnwrapper | null] = [null, null];

  constructor(
    readonly capture: number,
    readonly flowId: number,
  ) {}

  /** Shift applied to `dir`'s windows: the offered shift when both SYNs carried the option, 0 when one did not, -1 unknown. */
  scaleShift(dir: Direction): number {
    const a = this.synWs[dir]!;
    const b = this.synWs[dir ^ 1]!;
    if (a === WS_NO_SYN || b === WS_NO_SYN) return -1;
    if (a === WS_NONE || b === WS_NONE) return 0;
    return Math.min(a, WS_MAX);
  }

  /** The unwrapper of `dir`'s sequence space, created with `raw` as its origin on first use. */
  space(dir: Direction, raw: number): SeqUnwrapper {
    let u = this.unwrap[dir];
    if (u === null) {
      u = new SeqUnwrapper(raw);
      this.unwrap[dir] = u;
    }
    return u;
  }
}

export class PlotRecorder {
  readonly maxPoints: number;
  /** Points recorded so far over all flows. */
  private used = 0;
  private capture = 0;
  private readonly flows = new Map<number, FlowPlot>();
  /** The last flow looked up: consecutive packets are usually of one flow. */
  private lastKey = -1;
  private last: FlowPlot | null = null;

  constructor(opts: PlotRecorderOptions = {}) {
    this.maxPoints = Math.max(0, Math.floor(opts.maxPoints ?? DEFAULT_MAX_POINTS));
  }

  /**
   * Flow ids restart at 0 for each capture: call with the capture's index in the report
   * (`flows[].capture`) before analyzing it. Defaults to 0 (one capture).
   */
  beginCapture(index: number): void {
    this.capture = index;
    this.lastKey = -1;
    this.last = null;
  }

  /** Points recorded so far (packet rows + SACK blocks). */
  get pointsUsed(): number {
    return this.used;
  }

  /** The recording of a flow, or undefined when it had no packet. */
  flow(capture: number, flowId: number): FlowPlot | undefined {
    return this.flows.get(capture * 0x1_0000_0000 + flowId);
  }

  /** Every recorded flow, in capture then flow-id order. */
  allFlows(): FlowPlot[] {
    return [...this.flows.values()].sort((a, b) => a.capture - b.capture || a.flowId - b.flowId);
  }

  /** The behaviour hook (`BehaviourOptions.onSegment`): a bound property, pass it as is. */
  readonly onSegment = (flowId: number, frame: number, dir: Direction, seg: number, pkt: DecodedPacket, t: number): void => {
    const key = this.capture * 0x1_0000_0000 + flowId;
    let f = this.last;
    if (key !== this.lastKey || f === null) {
      f = this.flows.get(key) ?? null;
      if (f === null) {
        f = new FlowPlot(this.capture, flowId);
        f.t0 = t;
        this.flows.set(key, f);
      }
      this.lastKey = key;
      this.last = f;
    }
    f.total++;
    // A flow that lost a packet to the cap records nothing more: its graphs end at `stopFrame`
    // instead of having holes in the middle.
    const flags = pkt.tcpFlags;
    if ((flags & TCP_FLAG.SYN) !== 0) this.onSyn(f, dir, pkt);
    const sacks = pkt.sackCount;
    if (f.stopFrame >= 0 || this.used + 1 + sacks > this.maxPoints) {
      if (f.stopFrame < 0) f.stopFrame = frame;
      return;
    }
    this.record(f, frame, dir, seg, pkt, t - f.t0);
  };

  private onSyn(f: FlowPlot, dir: Direction, pkt: DecodedPacket): void {
    if (f.synWs[dir] === WS_NO_SYN) f.synWs[dir] = pkt.wscale >= 0 ? pkt.wscale : WS_NONE;
    if (f.unwrap[dir] === null) {
      f.unwrap[dir] = new SeqUnwrapper(pkt.seq);
      f.fromIsn[dir] = true;
    }
  }

  private record(f: FlowPlot, frame: number, dir: Direction, seg: number, pkt: DecodedPacket, t: number): void {
    const c = f.cols;
    const i = c.n;
    if (i === c.rowCapacity) c.growRows(PlotColumns.nextCap(i, i + this.maxPoints - this.used));
    const flags = pkt.tcpFlags;
    const me = f.space(dir, pkt.seq);
    const rel = me.observe(pkt.seq);
    const len = pkt.payloadWireLen;
    // SYN and FIN take one sequence number each (RFC 9293 §3.4).
    me.advanceTo(rel + len + ((flags & TCP_FLAG.SYN) !== 0 ? 1 : 0) + ((flags & TCP_FLAG.FIN) !== 0 ? 1 : 0));
    c.t[i] = t;
    c.frame[i] = frame;
    c.dir[i] = dir;
    c.seq[i] = rel;
    c.len[i] = len;
    c.flags[i] = flags;
    c.seg[i] = seg;
    const shift = (flags & TCP_FLAG.SYN) !== 0 ? 0 : f.scaleShift(dir);
    c.win[i] = shift > 0 ? pkt.window * 2 ** shift : pkt.window;
    if ((flags & TCP_FLAG.ACK) !== 0) {
      // An ACK before the peer sent anything makes the acknowledged number the peer's origin.
      const peer = f.space((dir ^ 1) as Direction, pkt.ack);
      c.ack[i] = peer.unwrap(pkt.ack);
      if (pkt.sackCount > 0) this.recordSacks(f, i, peer, pkt);
    } else c.ack[i] = Number.NaN;
    c.n = i + 1;
    this.used++;
  }

  /** SACK blocks acknowledge the peer's data: relative to the peer's origin. */
  private recordSacks(f: FlowPlot, row: number, peer: SeqUnwrapper, pkt: DecodedPacket): void {
    const c = f.cols;
    const k = pkt.sackCount;
    const b = pkt.sackBlocks;
    for (let j = 0; j < k; j++) {
      const s = c.sn;
      if (s === c.sackCapacity) c.growSacks(PlotColumns.nextCap(s, s + this.maxPoints - this.used));
      c.sackRow[s] = row;
      c.sackL[s] = peer.unwrap(b[2 * j]!);
      c.sackR[s] = peer.unwrap(b[2 * j + 1]!);
      c.sn = s + 1;
      this.used++;
    }
  }
}
