/**
 * Series derived from one flow's recorded columns for the plots: RTT samples over time, bytes
 * in flight per direction, throughput and goodput per time bin. Computed once per flow when the
 * report is written (not on the per-packet path), from the rows in time order.
 *
 * These are plot series, recomputed simply from what was recorded; the report's numbers
 * (`flows[].rtt`, `windows`) come from the analysis modules, which see every packet and more
 * evidence (SACK, timestamps). With the rows complete, the two agree on what they both count.
 */
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import { SEG_ANY_RETRANSMISSION } from '../analysis/seg-flags.js';
import type { PlotColumnsView } from './plot-columns.js';

/** Sequence space a row occupies: payload, plus one for SYN and one for FIN (RFC 9293 §3.4). */
export function seqSpan(c: PlotColumnsView, i: number): number {
  const f = c.flags[i]!;
  return c.len[i]! + ((f & TCP_FLAG.SYN) !== 0 ? 1 : 0) + ((f & TCP_FLAG.FIN) !== 0 ? 1 : 0);
}

export interface RttSeries {
  /** Time of the ACK that gave the sample (s since the flow's start). */
  t: number[];
  /** Sample, ms. */
  ms: number[];
  /** Direction of the timed data (0 = c2s: the client's data, acknowledged by the server). */
  dir: number[];
}

/**
 * Data → ACK samples with Karn's rule (RFC 6298 §3): an ACK that newly acknowledges data times
 * the newest segment it fully covers, unless any segment it covers was sent more than once (the
 * sample would be ambiguous). One sample per ACK, as tcptrace and the README's RTT section do.
 */
export function rttSamples(c: PlotColumnsView): RttSeries {
  const out: RttSeries = { t: [], ms: [], dir: [] };
  // Per direction of data: a queue of outstanding segments as flat quadruples (start, end, tSent, resent).
  const q: [number[], number[]] = [[], []];
  const head = [0, 0];
  const hiEnd = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const hiAck = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < c.n; i++) {
    const d = c.dir[i]!;
    const span = seqSpan(c, i);
    if (span > 0) sent(q[d]!, head[d]!, c.seq[i]!, c.seq[i]! + span, c.t[i]!, (c.seg[i]! & SEG_ANY_RETRANSMISSION) !== 0 || c.seq[i]! < hiEnd[d]!);
    if (span > 0) hiEnd[d] = Math.max(hiEnd[d]!, c.seq[i]! + span);
    const a = c.ack[i]!;
    const p = d ^ 1;
    if (Number.isNaN(a) || a <= hiAck[p]!) continue;
    hiAck[p] = a;
    const qp = q[p]!;
    let h = head[p]!;
    let newest = -1;
    let ambiguous = false;
    while (h < qp.length && qp[h + 1]! <= a) {
      newest = qp[h + 2]!;
      ambiguous ||= qp[h + 3]! !== 0;
      h += Q;
    }
    head[p] = h;
    if (h > 4096 && h * 2 > qp.length) {
      qp.splice(0, h);
      head[p] = 0;
    }
    if (newest >= 0 && !ambiguous) {
      out.t.push(c.t[i]!);
      out.ms.push((c.t[i]! - newest) * 1000);
      out.dir.push(p);
    }
  }
  return out;
}

/** Queue a segment [seq, end) sent at t; a re-send marks every queued segment it overlaps instead. */
function sent(q: number[], head: number, seq: number, end: number, t: number, resent: boolean): void {
  if (!resent) {
    q.push(seq, end, t, 0);
    return;
  }
  for (let h = head; h < q.length; h += Q) if (q[h + 1]! > seq && q[h]! < end) q[h + 3] = 1;
}

/** Numbers per queued segment. */
const Q = 4;

/**
 * Bytes in flight per direction after each row: the highest sequence number the direction sent
 * minus the highest acknowledgement its peer sent (0 before both are known). `flight[d][i]`.
 */
export function bytesInFlight(c: PlotColumnsView): [Float64Array, Float64Array] {
  const out: [Float64Array, Float64Array] = [new Float64Array(c.n), new Float64Array(c.n)];
  const hiEnd = [Number.NaN, Number.NaN];
  const hiAck = [Number.NaN, Number.NaN];
  for (let i = 0; i < c.n; i++) {
    const d = c.dir[i]!;
    const end = c.seq[i]! + seqSpan(c, i);
    if (!(end <= hiEnd[d]!)) hiEnd[d] = end;
    const a = c.ack[i]!;
    const p = d ^ 1;
    if (!Number.isNaN(a) && !(a <= hiAck[p]!)) hiAck[p] = a;
    for (let k = 0; k < 2; k++) {
      const v = hiEnd[k]! - hiAck[k]!;
      out[k]![i] = v > 0 ? v : 0;
    }
  }
  return out;
}

export interface ThroughputSeries {
  /** Bin width, s. */
  bin: number;
  /** Payload bytes sent per bin and direction (retransmissions included): throughput. */
  bytes: [number[], number[]];
  /** New stream bytes per bin and direction (beyond the highest sent before): goodput. */
  good: [number[], number[]];
}

const NICE = [1, 2, 5];

/** A 1-2-5 bin width giving at most `maxBins` bins over `duration` (at least 1 µs). */
export function binWidth(duration: number, maxBins: number): number {
  const raw = Math.max(duration / maxBins, 1e-6);
  let p = 10 ** Math.floor(Math.log10(raw));
  for (;;) {
    for (const m of NICE) if (m * p >= raw) return Number((m * p).toPrecision(6)); // 5e-6, not 4.9999e-6
    p *= 10;
  }
}

/** Throughput and goodput per time bin (bin i covers [i·bin, (i+1)·bin) s from the flow's start). */
export function throughput(c: PlotColumnsView, maxBins = 500): ThroughputSeries {
  const duration = c.n > 0 ? c.t[c.n - 1]! : 0;
  const bin = binWidth(duration, maxBins);
  const nb = Math.max(1, Math.floor(duration / bin) + 1);
  const bytes: [number[], number[]] = [new Array<number>(nb).fill(0), new Array<number>(nb).fill(0)];
  const good: [number[], number[]] = [new Array<number>(nb).fill(0), new Array<number>(nb).fill(0)];
  const hiEnd = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < c.n; i++) {
    const len = c.len[i]!;
    if (len === 0) continue;
    const d = c.dir[i]!;
    const b = Math.min(nb - 1, Math.max(0, Math.floor(c.t[i]! / bin)));
    bytes[d]![b]! += len;
    const start = c.seq[i]!;
    const end = start + len;
    if (end > hiEnd[d]!) {
      good[d]![b]! += end - Math.max(start, hiEnd[d]!);
      hiEnd[d] = end;
    }
  }
  return { bin, bytes, good };
}
