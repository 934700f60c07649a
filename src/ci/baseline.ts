/**
 * Baseline drift (`--baseline DIR`): a flow's record now against the one committed earlier.
 * Compared, with tolerances (defaults documented in the README, "CI mode"):
 *   - exactly: roles, how the flow ended, both endpoints' final states, Zeek conn_state, close
 *     kind and who closed, the diagnosis verdict (`limitedBy`);
 *   - counts (tolerance `--count-tolerance`, default 0): packets, payload/missed bytes and
 *     retransmissions each way, RTT sample counts, every anomaly code's count;
 *   - timings (tolerance `--time-tolerance`, default 10% with 1 ms of slack): duration,
 *     handshake RTT, SRTT / min / max RTT each way, zero-window stall time per endpoint.
 * Pure: compares two records, returns readable lines.
 */
import type { FlowSummary } from '../flow/flow-summary.js';

/** A tolerance: relative (fraction of the baseline value) and absolute slack; the larger wins. */
export interface Tolerance {
  rel: number;
  abs: number;
}

export interface Tolerances {
  count: Tolerance;
  time: Tolerance;
}

export const DEFAULT_TOLERANCES: Tolerances = { count: { rel: 0, abs: 0 }, time: { rel: 0.1, abs: 1 } };

/** `"5%"` → relative 0.05; `"3"` → absolute 3 (the other part keeps `base`'s). */
export function parseTolerance(text: string, base: Tolerance, what: string): Tolerance {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  if (m === null) throw new Error(`--${what}-tolerance: expected N (absolute) or N% (relative), got '${text}'`);
  const v = Number(m[1]);
  return m[2] === '%' ? { rel: v / 100, abs: base.abs } : { rel: base.rel, abs: v };
}

type Getter = (f: FlowSummary) => unknown;

const EXACT: readonly [string, Getter][] = [
  ['roleInferred', (f) => f.roleInferred],
  ['end', (f) => f.end],
  ['state.client', (f) => f.state.client],
  ['state.server', (f) => f.state.server],
  ['state.connState', (f) => f.state.connState],
  ['close.kind', (f) => f.close.kind],
  ['close.by', (f) => f.close.by],
  ['diagnosis.limitedBy', (f) => (f['diagnosis'] as { limitedBy?: unknown } | null | undefined)?.limitedBy ?? null],
];

const COUNTS: readonly [string, (f: FlowSummary) => number | null][] = [
  ['packets.c2s', (f) => f.packets.c2s],
  ['packets.s2c', (f) => f.packets.s2c],
  ['payloadBytes.c2s', (f) => f.payloadBytes.c2s],
  ['payloadBytes.s2c', (f) => f.payloadBytes.s2c],
  ['missedBytes.c2s', (f) => f.missedBytes.c2s],
  ['missedBytes.s2c', (f) => f.missedBytes.s2c],
  ['retransmissions.c2s', (f) => f.retransmissions.c2s],
  ['retransmissions.s2c', (f) => f.retransmissions.s2c],
  ['rtt.c2s.samples', (f) => f.rtt.c2s.samples],
  ['rtt.s2c.samples', (f) => f.rtt.s2c.samples],
];

const TIMES: readonly [string, (f: FlowSummary) => number | null][] = [
  ['durationMs', (f) => Math.round((f.lastTs - f.firstTs) * 1e6) / 1e3],
  ['handshake.rttMs', (f) => f.handshake.rttMs],
  ['rtt.c2s.srttMs', (f) => f.rtt.c2s.srttMs],
  ['rtt.s2c.srttMs', (f) => f.rtt.s2c.srttMs],
  ['rtt.c2s.minMs', (f) => f.rtt.c2s.minMs ?? null],
  ['rtt.s2c.minMs', (f) => f.rtt.s2c.minMs ?? null],
  ['rtt.c2s.maxMs', (f) => f.rtt.c2s.maxMs ?? null],
  ['rtt.s2c.maxMs', (f) => f.rtt.s2c.maxMs ?? null],
  ['zeroWindow.client.stallMs', (f) => f.zeroWindow?.client.stallMs ?? null],
  ['zeroWindow.server.stallMs', (f) => f.zeroWindow?.server.stallMs ?? null],
];

function within(base: number, now: number, t: Tolerance): boolean {
  return Math.abs(now - base) <= Math.max(t.rel * Math.abs(base), t.abs) + 1e-9;
}

function show(v: unknown): string {
  return v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v);
}

function numeric(name: string, base: number | null, now: number | null, t: Tolerance, unit: string): string | null {
  if (base === null && now === null) return null;
  if (base === null || now === null) return `${name}: ${show(base)} -> ${show(now)}`;
  if (within(base, now, t)) return null;
  const d = now - base;
  const pct = base !== 0 ? ` (${d > 0 ? '+' : ''}${((d / Math.abs(base)) * 100).toFixed(1)}%)` : '';
  return `${name}: ${base}${unit} -> ${now}${unit}, ${d > 0 ? '+' : ''}${Math.round(d * 1000) / 1000}${unit}${pct}`;
}

/** Lines describing how `now` drifted from `base` beyond the tolerances (empty: no drift). */
export function flowDrift(base: FlowSummary, now: FlowSummary, tol: Tolerances = DEFAULT_TOLERANCES): string[] {
  const out: string[] = [];
  const ep = (f: FlowSummary): string => `${f.client.ip}:${f.client.port} -> ${f.server.ip}:${f.server.port}`;
  if (ep(base) !== ep(now)) out.push(`endpoints: ${ep(base)} -> ${ep(now)}`);
  for (const [name, get] of EXACT) {
    const a = get(base);
    const b = get(now);
    if (show(a) !== show(b)) out.push(`${name}: ${show(a)} -> ${show(b)}`);
  }
  for (const [name, get] of COUNTS) {
    const line = numeric(name, get(base), get(now), tol.count, '');
    if (line !== null) out.push(line);
  }
  const codes = new Set([...Object.keys(base.anomalyCounts), ...Object.keys(now.anomalyCounts)]);
  for (const code of [...codes].sort()) {
    const line = numeric(`anomalyCounts.${code}`, base.anomalyCounts[code] ?? 0, now.anomalyCounts[code] ?? 0, tol.count, '');
    if (line !== null) out.push(line);
  }
  for (const [name, get] of TIMES) {
    const line = numeric(name, get(base), get(now), tol.time, ' ms');
    if (line !== null) out.push(line);
  }
  return out;
}
