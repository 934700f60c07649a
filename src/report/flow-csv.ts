/**
 * `tcpscope analyze --format csv`: one row per flow (RFC 4180: comma-separated, CRLF line ends,
 * fields with a comma, quote or line break quoted, quotes doubled), written as flows finish.
 * The columns are documented in the README ("CSV columns"); empty cell = unknown (null).
 */
import type { FlowSummary } from '../flow/flow-summary.js';

type Cell = string | number | null;

/** Column name and how to read it from a flow record (with its capture index). */
const COLUMNS: readonly [string, (f: FlowSummary, capture: number) => Cell][] = [
  ['capture', (_f, c) => c],
  ['id', (f) => f.id],
  ['client_ip', (f) => f.client.ip],
  ['client_port', (f) => f.client.port],
  ['server_ip', (f) => f.server.ip],
  ['server_port', (f) => f.server.port],
  ['role_inferred', (f) => f.roleInferred],
  ['first_ts', (f) => f.firstTs],
  ['last_ts', (f) => f.lastTs],
  ['duration_s', (f) => round6(Math.max(0, f.lastTs - f.firstTs))],
  ['first_frame', (f) => f.firstFrame],
  ['last_frame', (f) => f.lastFrame],
  ['end', (f) => f.end],
  ['packets_c2s', (f) => f.packets.c2s],
  ['packets_s2c', (f) => f.packets.s2c],
  ['bytes_c2s', (f) => f.payloadBytes.c2s],
  ['bytes_s2c', (f) => f.payloadBytes.s2c],
  ['missed_bytes_c2s', (f) => f.missedBytes.c2s],
  ['missed_bytes_s2c', (f) => f.missedBytes.s2c],
  ['truncated_bytes_c2s', (f) => f.truncatedBytes.c2s],
  ['truncated_bytes_s2c', (f) => f.truncatedBytes.s2c],
  ['retransmissions_c2s', (f) => f.retransmissions.c2s],
  ['retransmissions_s2c', (f) => f.retransmissions.s2c],
  ['handshake_rtt_ms', (f) => f.handshake.rttMs],
  ['rtt_samples_c2s', (f) => f.rtt.c2s.samples],
  ['rtt_samples_s2c', (f) => f.rtt.s2c.samples],
  ['srtt_ms_c2s', (f) => f.rtt.c2s.srttMs],
  ['srtt_ms_s2c', (f) => f.rtt.s2c.srttMs],
  ['rto_ms_c2s', (f) => f.rtt.c2s.rtoMs],
  ['rto_ms_s2c', (f) => f.rtt.s2c.rtoMs],
  ['zero_window_stalls', (f) => (f.zeroWindow === undefined ? null : f.zeroWindow.client.stalls + f.zeroWindow.server.stalls)],
  ['zero_window_stall_ms', (f) => (f.zeroWindow === undefined ? null : round3(f.zeroWindow.client.stallMs + f.zeroWindow.server.stallMs))],
  ['state_client', (f) => f.state.client],
  ['state_server', (f) => f.state.server],
  ['conn_state', (f) => f.state.connState],
  ['history', (f) => f.state.history],
  ['close', (f) => f.close.kind],
  ['closed_by', (f) => f.close.by],
  ['limited_by', (f) => diagnosisField(f, 'limitedBy')],
  ['anomalies', (f) => Object.values(f.anomalyCounts).reduce((a, b) => a + b, 0)],
  ['anomaly_counts', (f) => Object.entries(f.anomalyCounts).map(([k, n]) => `${k}:${n}`).join(';')],
  ['headline', (f) => diagnosisField(f, 'headline')],
  ['app', (f) => appNames(f)],
  ['http_requests', (f) => httpCount(f, 'requests')],
  ['http_responses', (f) => httpCount(f, 'responses')],
];

/** Application protocols found on the flow (`app` keys, `;`-separated), empty when none. */
function appNames(f: FlowSummary): string | null {
  const app = f['app'];
  if (app === null || typeof app !== 'object') return null;
  return Object.keys(app).join(';');
}

function httpCount(f: FlowSummary, key: 'requests' | 'responses'): number | null {
  const http = (f['app'] as { http?: Record<string, unknown> } | undefined)?.http;
  const v = http?.[key];
  return typeof v === 'number' ? v : null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function diagnosisField(f: FlowSummary, key: 'limitedBy' | 'headline'): string | null {
  const d = f['diagnosis'];
  if (d === null || typeof d !== 'object') return null;
  const v = (d as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : null;
}

/** The column names, in order. */
export const CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

/** One field, quoted when RFC 4180 requires it. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The header line (without its CRLF). */
export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

/** A flow's row (without its CRLF). */
export function csvRow(f: FlowSummary, capture: number): string {
  let out = '';
  for (let i = 0; i < COLUMNS.length; i++) out += (i === 0 ? '' : ',') + csvField(COLUMNS[i]![1](f, capture));
  return out;
}
