/**
 * The part of a finished flow the terminal report shows: a few hundred bytes instead of the
 * whole flow record (~15 KB in memory with its behaviour sections). `tcpscope analyze` in text
 * form keeps only these while the capture streams by, so its memory does not grow with the
 * number of flows' full records.
 */
import type { FlowSummary } from '../flow/flow-summary.js';
import { ANOMALIES, type AnomalyCode, type Severity } from '../analysis/anomalies.js';
import { appLines } from './app-text.js';

/** Severity ranks: higher is worse. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { chat: 0, note: 1, warning: 2, error: 3 };

/** One finding code of a flow: its count and the first few frames listed. */
export interface RowFinding {
  code: string;
  severity: Severity;
  count: number;
  frames: number[];
}

/** Frames kept per code and flow for the findings summary. */
const FRAMES_PER_CODE = 3;

/** What the flows table and the verdict lines read of a flow. */
export interface FlowRow {
  id: number;
  capture: number;
  client: FlowSummary['client'];
  server: FlowSummary['server'];
  roleInferred: FlowSummary['roleInferred'];
  firstTs: number;
  lastTs: number;
  end: FlowSummary['end'];
  packets: FlowSummary['packets'];
  payloadBytes: FlowSummary['payloadBytes'];
  /** Stream bytes the snap length cut (on the wire, not in the file). */
  truncatedBytes: FlowSummary['truncatedBytes'];
  retransmissions: FlowSummary['retransmissions'];
  /** Smoothed RTT (ms) of each direction, or null. */
  srttMs: { c2s: number | null; s2c: number | null };
  handshakeRttMs: number | null;
  zeroWindow: FlowSummary['zeroWindow'];
  state: { client: string; server: string; connState: string; history: string };
  close: { kind: string; by: string | null };
  /** `diagnosis.headline` and `diagnosis.limitedBy`, when the flow has a diagnosis. */
  headline: string | null;
  limitedBy: string | null;
  /** Findings by code, worst severity first, then by count. */
  findings: RowFinding[];
  /** Worst severity rank among the findings (-1: none) and events of warning or worse. */
  worst: number;
  serious: number;
  /** One line per application protocol found (`app-text.ts` `appLines`: HTTP requests with status and timings, others' labels). */
  app: string[];
}

/**
 * Stream bytes of `dir` seen on the wire, once each: those in the file (`payloadBytes`) plus
 * those the snap length cut (`truncatedBytes`). What the tables show as a flow's bytes: with a
 * short snap length (tcpdump -s 96) `payloadBytes` alone is 0 for a flow that moved megabytes.
 */
export function wireBytes(f: Pick<FlowRow, 'payloadBytes' | 'truncatedBytes'>, dir: 'c2s' | 's2c'): number {
  return f.payloadBytes[dir] + f.truncatedBytes[dir];
}

function severityOf(code: string): Severity {
  return ANOMALIES[code as AnomalyCode]?.severity ?? 'note';
}

/** The terminal row of a finished flow of capture `capture`. */
export function toFlowRow(f: FlowSummary, capture: number): FlowRow {
  const d = f['diagnosis'];
  let headline: string | null = null;
  let limitedBy: string | null = null;
  if (d !== null && typeof d === 'object') {
    const { headline: h, limitedBy: l } = d as { headline?: unknown; limitedBy?: unknown };
    if (typeof h === 'string' && h !== '') headline = h;
    if (typeof l === 'string') limitedBy = l;
  }
  return {
    id: f.id,
    capture,
    client: f.client,
    server: f.server,
    roleInferred: f.roleInferred,
    firstTs: f.firstTs,
    lastTs: f.lastTs,
    end: f.end,
    packets: f.packets,
    payloadBytes: f.payloadBytes,
    truncatedBytes: f.truncatedBytes,
    retransmissions: f.retransmissions,
    srttMs: { c2s: f.rtt.c2s.srttMs, s2c: f.rtt.s2c.srttMs },
    handshakeRttMs: f.handshake.rttMs,
    zeroWindow: f.zeroWindow,
    state: { client: f.state.client, server: f.state.server, connState: f.state.connState, history: f.state.history },
    close: { kind: f.close.kind, by: f.close.by },
    headline,
    limitedBy,
    ...rowFindings(f),
    app: appLines(f),
  };
}

function rowFindings(f: FlowSummary): Pick<FlowRow, 'findings' | 'worst' | 'serious'> {
  const findings: RowFinding[] = [];
  let worst = -1;
  let serious = 0;
  for (const code in f.anomalyCounts) {
    const count = f.anomalyCounts[code]!;
    if (count === 0) continue;
    const severity = severityOf(code);
    const rank = SEVERITY_RANK[severity];
    if (rank > worst) worst = rank;
    if (rank >= SEVERITY_RANK.warning) serious += count;
    const frames: number[] = [];
    for (const a of f.anomalies) {
      if (a.code !== code) continue;
      frames.push(a.frame);
      if (frames.length === FRAMES_PER_CODE) break;
    }
    findings.push({ code, severity, count, frames });
  }
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || (a.code < b.code ? -1 : 1));
  return { findings, worst, serious };
}

/**
 * The flow reduced to what the terminal report reads of it: `toFlowRow` (with the application
 * layer's sections for its `app` lines), the anomaly tally
 * (`anomalyCounts`), the flow selection (endpoints, id), the capture's ISN check (endpoints,
 * ISNs, first time) and the shard merge (first/last frame, end) — a few hundred bytes instead
 * of the whole record. A sharded analysis sends this from its workers when the only consumer
 * is the terminal report (AnalyzeOptions.flowView = 'row'), which saves copying ~10 KB per flow
 * between threads. Shared objects are kept, not copied; `toFlowRow(rowView(f))` equals
 * `toFlowRow(f)` (tested on every fixture flow).
 */
export function rowView(f: FlowSummary): FlowSummary {
  const v: Record<string, unknown> = {
    id: f.id,
    client: f.client,
    server: f.server,
    roleInferred: f.roleInferred,
    firstTs: f.firstTs,
    lastTs: f.lastTs,
    firstFrame: f.firstFrame,
    lastFrame: f.lastFrame,
    end: f.end,
    packets: f.packets,
    payloadBytes: f.payloadBytes,
    truncatedBytes: f.truncatedBytes,
    state: { client: f.state.client, server: f.state.server, connState: f.state.connState, history: f.state.history },
    close: f.close,
    handshake: { rttMs: f.handshake.rttMs },
    isn: f.isn,
    rtt: { c2s: { srttMs: f.rtt.c2s.srttMs }, s2c: { srttMs: f.rtt.s2c.srttMs } },
    retransmissions: f.retransmissions,
  };
  if (f.zeroWindow !== undefined) v['zeroWindow'] = f.zeroWindow;
  const d = f['diagnosis'];
  if (d !== null && typeof d === 'object') {
    const { headline, limitedBy } = d as { headline?: unknown; limitedBy?: unknown };
    v['diagnosis'] = { headline, limitedBy };
  } else if (d !== undefined) {
    v['diagnosis'] = d;
  }
  // The application layer's sections (what appLines reads; small beside the TCP sections).
  if (f['app'] !== undefined) v['app'] = f['app'];
  v['anomalyCounts'] = f.anomalyCounts;
  // The first frames of each code, in list order (what rowFindings lists).
  const perCode = new Map<string, number>();
  v['anomalies'] = f.anomalies.filter((a) => {
    const n = perCode.get(a.code) ?? 0;
    perCode.set(a.code, n + 1);
    return n < FRAMES_PER_CODE;
  });
  return v as FlowSummary;
}
