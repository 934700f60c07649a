/**
 * The finished-flow record: plain JSON-safe data, the `flows[]` item of the JSON report
 * (spec/report.schema.json `flow`). Built once per flow when it is finalised.
 */
import { DIR, DIR_NAME } from '../core/direction.js';
import { formatIp } from '../dissectors/address.js';
import { tsToSeconds } from '../core/time.js';
import type { ObservedAnomaly, ObservedApp, ObservedBehaviour, ObservedConnection, RttJson, ZeroWindowJson } from './analyzers.js';
import type { Flow, FlowEnd } from './flow.js';
import type { RoleInference } from './roles.js';

export interface Pair {
  c2s: number;
  s2c: number;
}

export interface EndpointJson {
  ip: string;
  port: number;
}

export interface AnomalyJson {
  code: string;
  frame: number;
  ts: number;
  dir: 'c2s' | 's2c';
  detail?: unknown;
}

export interface FlowSummary {
  id: number;
  client: EndpointJson;
  server: EndpointJson;
  roleInferred: RoleInference;
  firstTs: number;
  lastTs: number;
  firstFrame: number;
  lastFrame: number;
  /** Why the flow record was closed: end of capture, idle expiry, eviction, or a new connection on its four-tuple. */
  end: FlowEnd;
  packets: Pair;
  payloadBytes: Pair;
  /** Stream bytes never captured: `capture_gap` (gaps other than snap-length cuts). */
  missedBytes: Pair;
  /** Stream bytes on the wire in captured segments but cut by the snap length (`capture_truncated`). */
  truncatedBytes: Pair;
  state: ObservedConnection['state'];
  close: ObservedConnection['close'];
  handshake: ObservedConnection['handshake'];
  /** Initial sequence number each side chose in its SYN / SYN-ACK (null: not captured). */
  isn: { client: number | null; server: number | null };
  rtt: { c2s: RttJson; s2c: RttJson };
  retransmissions: Pair;
  zeroWindow?: { client: ZeroWindowJson; server: ZeroWindowJson };
  /** Behaviour sections (windows, congestion, diagnosis, ...): see analysis/flow-behaviour.ts. */
  [section: string]: unknown;
  anomalyCounts: Record<string, number>;
  anomalies: AnomalyJson[];
}

function emptyRtt(): RttJson {
  return { samples: 0, minMs: null, meanMs: null, maxMs: null, srttMs: null, rttvarMs: null, rtoMs: null, observedRtoMs: [] };
}

function isnOf(v: number | undefined): number | null {
  return v === undefined || v < 0 ? null : v;
}

function dirName(d: ObservedAnomaly['dir']): 'c2s' | 's2c' {
  return typeof d === 'string' ? d : (DIR_NAME[d] ?? 'c2s');
}

/** Tracker events and the flow's own (already capped at `max`), in capture order, capped at `max`; counts cover all. */
function mergeAnomalies(
  flow: Flow,
  observed: readonly ObservedAnomaly[],
  observedCounts: Readonly<Record<string, number>> | undefined,
  behaviour: ObservedBehaviour | null,
  app: ObservedApp | null,
  max: number,
): { counts: Record<string, number>; list: AnomalyJson[] } {
  const all: AnomalyJson[] = [];
  for (const a of [...observed, ...flow.anomalies, ...(behaviour?.anomalies ?? []), ...(app?.anomalies ?? [])]) {
    const j: AnomalyJson = { code: a.code, frame: a.frame, ts: a.ts, dir: dirName(a.dir) };
    if (a.detail !== undefined) j.detail = a.detail;
    all.push(j);
  }
  all.sort((a, b) => a.frame - b.frame); // stable: one frame's events stay in module order
  const counts: Record<string, number> = {};
  if (observedCounts !== undefined) for (const [code, n] of Object.entries(observedCounts)) counts[code] = (counts[code] ?? 0) + n;
  else for (const a of observed) counts[a.code] = (counts[a.code] ?? 0) + 1;
  for (const [code, n] of flow.anomalyCountsByCode()) counts[code] = (counts[code] ?? 0) + n;
  if (behaviour !== null) for (const [code, n] of Object.entries(behaviour.anomalyCounts)) counts[code] = (counts[code] ?? 0) + n;
  if (app !== null) for (const [code, n] of Object.entries(app.anomalyCounts)) counts[code] = (counts[code] ?? 0) + n;
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(counts).sort()) sorted[k] = counts[k]!;
  return { counts: sorted, list: all.slice(0, max) };
}

/**
 * The record of a finalised flow (its reassemblers closed, its observers finished). The listed
 * anomalies are capped at `maxAnomalies` per flow (the behaviour observer already lists only the
 * first few of each code, so the cap keeps every code's first events in view); counts cover all.
 * `app`: the application layer's findings and `app` section (absent when no protocol was found).
 */
export function summarizeFlow(
  flow: Flow,
  observed: ObservedConnection,
  behaviour: ObservedBehaviour | null,
  maxAnomalies: number,
  app: ObservedApp | null = null,
): FlowSummary {
  const e = flow.endpoints;
  const [rc, rs] = flow.reassemblers;
  const { counts, list } = mergeAnomalies(flow, observed.anomalies, observed.anomalyCounts, behaviour, app, maxAnomalies);
  const summary: Omit<FlowSummary, 'anomalyCounts' | 'anomalies'> & Partial<Pick<FlowSummary, 'anomalyCounts' | 'anomalies'>> = {
    id: e.id,
    client: { ip: formatIp(e.clientAddr, 0, e.ipVersion), port: e.clientPort },
    server: { ip: formatIp(e.serverAddr, 0, e.ipVersion), port: e.serverPort },
    roleInferred: e.roleInferred,
    firstTs: tsToSeconds(flow.firstSec, flow.firstNsec),
    lastTs: tsToSeconds(flow.lastSec, flow.lastNsec),
    firstFrame: flow.firstFrame,
    lastFrame: flow.lastFrame,
    end: flow.end,
    packets: { c2s: flow.packetCount(DIR.C2S), s2c: flow.packetCount(DIR.S2C) },
    payloadBytes: { c2s: flow.deliveredBytes(DIR.C2S), s2c: flow.deliveredBytes(DIR.S2C) },
    missedBytes: { c2s: flow.missedBytes(DIR.C2S), s2c: flow.missedBytes(DIR.S2C) },
    truncatedBytes: { c2s: flow.truncatedBytes(DIR.C2S), s2c: flow.truncatedBytes(DIR.S2C) },
    state: observed.state,
    close: observed.close,
    handshake: observed.handshake,
    isn: { client: isnOf(flow.synIsn(DIR.C2S)), server: isnOf(flow.synIsn(DIR.S2C)) },
    rtt: behaviour?.rtt ?? { c2s: emptyRtt(), s2c: emptyRtt() },
    retransmissions: behaviour?.retransmissions ?? { c2s: rc.stats.retransmittedSegments, s2c: rs.stats.retransmittedSegments },
  };
  // Report order: the schema's fields, the behaviour sections, counts and events last. Plain
  // assignments: object spread with many keys is ~50x slower in V8 and this runs once per flow.
  if (behaviour !== null) {
    summary.zeroWindow = behaviour.zeroWindow;
    const sections = behaviour.sections;
    for (const k in sections) summary[k] = sections[k];
  }
  if (app !== null) summary['app'] = app.section(list);
  summary.anomalyCounts = counts;
  summary.anomalies = list;
  return summary as FlowSummary;
}
