/**
 * Turns a flow's recording (plot-recorder.ts) into the JSON the HTML page plots: the rows in
 * time order, compactly encoded, with the derived series (plot-derive.ts). The page decodes it
 * with its script's `decodeFlow`.
 *
 * Encoding, to keep a 200,000-segment flow at ~12 MB of HTML: times as integer microseconds
 * since the flow's start, delta-coded (`dt`); frame numbers delta-coded (`dframe`); every other
 * column as plain numbers; `ack` null where the packet had no ACK flag.
 */
import type { FlowPlot } from './plot-recorder.js';
import type { PlotColumnsView } from './plot-columns.js';
import { bytesInFlight, rttSamples, throughput, type RttSeries, type ThroughputSeries } from './plot-derive.js';

export interface FlowPlotJson {
  capture: number;
  id: number;
  /** Epoch seconds of time 0. */
  t0: number;
  /** Rows recorded, and packets the flow had. */
  rows: number;
  total: number;
  /** First frame not recorded (point cap), or null when the plot is complete. */
  stopFrame: number | null;
  /** Window-scale shift applied per direction [c2s, s2c]; null: handshake not seen, windows raw. */
  scale: [number | null, number | null];
  /** What relative sequence number 0 is per direction: the ISN (SYN seen) or the first number seen. */
  origin: ['isn' | 'first', 'isn' | 'first'];
  dt: number[];
  dframe: number[];
  dir: number[];
  seq: number[];
  len: number[];
  ack: (number | null)[];
  win: number[];
  flags: number[];
  seg: number[];
  sack: { row: number[]; l: number[]; r: number[] };
  /** Bytes in flight per direction after each row. */
  flight: [number[], number[]];
  rtt: RttSeries;
  tput: ThroughputSeries;
}

/** The rows of `c` in time order (stable); `c` itself when already ordered (the usual case). */
export function timeOrdered(c: PlotColumnsView): PlotColumnsView {
  let sorted = true;
  for (let i = 1; i < c.n && sorted; i++) sorted = c.t[i]! >= c.t[i - 1]!;
  if (sorted) return c;
  const idx = Array.from({ length: c.n }, (_, i) => i).sort((a, b) => c.t[a]! - c.t[b]! || a - b);
  const rank = new Uint32Array(c.n);
  idx.forEach((old, i) => (rank[old] = i));
  const pick = <A extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: A): A => {
    const b = new (a.constructor as new (n: number) => A)(c.n);
    for (let i = 0; i < c.n; i++) b[i] = a[idx[i]!]!;
    return b;
  };
  const sIdx = Array.from({ length: c.sn }, (_, i) => i).sort((a, b) => rank[c.sackRow[a]!]! - rank[c.sackRow[b]!]! || a - b);
  const sackRow = new Uint32Array(c.sn);
  const sackL = new Float64Array(c.sn);
  const sackR = new Float64Array(c.sn);
  sIdx.forEach((old, i) => {
    sackRow[i] = rank[c.sackRow[old]!]!;
    sackL[i] = c.sackL[old]!;
    sackR[i] = c.sackR[old]!;
  });
  return {
    n: c.n, t: pick(c.t), frame: pick(c.frame), dir: pick(c.dir), seq: pick(c.seq), len: pick(c.len), ack: pick(c.ack),
    win: pick(c.win), flags: pick(c.flags), seg: pick(c.seg), sn: c.sn, sackRow, sackL, sackR,
  };
}

function deltas(a: ArrayLike<number>, n: number, scale: number): number[] {
  const out = new Array<number>(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.round(a[i]! * scale);
    out[i] = v - prev;
    prev = v;
  }
  return out;
}

function plain(a: ArrayLike<number>, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** The page's data for one recorded flow. */
export function flowPlotJson(f: FlowPlot): FlowPlotJson {
  const c = timeOrdered(f.cols);
  const n = c.n;
  const ack = new Array<number | null>(n);
  for (let i = 0; i < n; i++) ack[i] = Number.isNaN(c.ack[i]!) ? null : c.ack[i]!;
  const [f0, f1] = bytesInFlight(c);
  const rtt = rttSamples(c);
  const scale = (d: 0 | 1): number | null => {
    const s = f.scaleShift(d);
    return s < 0 ? null : s;
  };
  return {
    capture: f.capture,
    id: f.flowId,
    t0: f.t0,
    rows: n,
    total: f.total,
    stopFrame: f.stopFrame >= 0 ? f.stopFrame : null,
    scale: [scale(0), scale(1)],
    origin: [f.fromIsn[0] ? 'isn' : 'first', f.fromIsn[1] ? 'isn' : 'first'],
    dt: deltas(c.t, n, 1e6),
    dframe: deltas(c.frame, n, 1),
    dir: plain(c.dir, n),
    seq: plain(c.seq, n),
    len: plain(c.len, n),
    ack,
    win: plain(c.win, n),
    flags: plain(c.flags, n),
    seg: plain(c.seg, n),
    sack: { row: plain(c.sackRow, c.sn), l: plain(c.sackL, c.sn), r: plain(c.sackR, c.sn) },
    flight: [plain(f0, n), plain(f1, n)],
    rtt: { t: rtt.t.map(round6), ms: rtt.ms.map(round3), dir: rtt.dir },
    tput: throughput(c),
  };
}
