/**
 * The terminal flows table of `tcpscope analyze` (cli-table3): one row per flow in the order
 * given (report/flow-sort.ts), at most `top` rows (the rest counted below the table), then the
 * plain-language verdict of each listed flow. The columns fit the terminal: the essential ones
 * (id, endpoints, packets, bytes, retransmissions, RTT, findings) fit 80 columns; wider
 * terminals add close, duration, zero-window time, states, history and Zeek's conn_state, and
 * give the rest to the endpoints. Renders only the flows' terminal rows (report/flow-row.ts).
 */
import Table from 'cli-table3';
import { SEVERITY_RANK, wireBytes, type FlowRow } from './flow-row.js';
import type { Palette } from './colors.js';

/** `ip:port`, with IPv6 addresses in brackets. */
export function endpointText(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** Short count: 9999, 12.3k, 123k, 1.2M. */
function countShort(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 10_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

/** Short byte count (binary units): 9999, 12.3K, 293K, 1.2M, 12.3M, 1.2G. */
function bytesShort(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 102_400) return `${(n / 1024).toFixed(1)}K`;
  if (n < 1_048_576) return `${Math.round(n / 1024)}K`;
  if (n < 1_073_741_824) return `${(n / 1048576).toFixed(n < 104_857_600 ? 1 : 0)}M`;
  return `${(n / 1073741824).toFixed(1)}G`;
}

export function durationText(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 600) return `${s.toFixed(2)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

function closeText(f: FlowRow): string {
  if (f.close.kind === 'none') return f.end === 'capture-end' ? 'open' : `open (${f.end})`;
  return f.close.by === null ? f.close.kind : `${f.close.kind} by ${f.close.by}`;
}

/** Roles that were not seen in a handshake are marked: `?` port heuristic, `??` first packet. */
function roleMark(f: FlowRow): string {
  if (f.roleInferred === 'port') return ' ?';
  if (f.roleInferred === 'first-packet') return ' ??';
  return '';
}

/**
 * Smoothed RTT in ms of the direction that carried more data (the path RTT when the capture sits
 * near that sender), else the handshake RTT; '-' when neither is known.
 */
function rttText(f: FlowRow): string {
  const main = wireBytes(f, 's2c') > wireBytes(f, 'c2s') ? f.srttMs.s2c : f.srttMs.c2s;
  const ms = main ?? f.handshakeRttMs;
  if (ms === null) return '-';
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/**
 * `a/b` in a cell `width` wide (cli-table3's padding included): on one line when it fits, else
 * broken after the slash (cli-table3 would cut a word longer than the cell with `…`).
 */
function pair(a: string, b: string, width: number): string {
  return a.length + 1 + b.length <= width - 2 ? `${a}/${b}` : `${a}/\n${b}`;
}

/** Stream bytes seen on the wire in `dir`, `*` when the snap length cut some of them. */
function bytesCell(f: FlowRow, dir: 'c2s' | 's2c'): string {
  return bytesShort(wireBytes(f, dir)) + (f.truncatedBytes[dir] > 0 ? '*' : '');
}

/** Zero-window stalls of both endpoints and their total time, '-' when none. */
function zeroWindowText(f: FlowRow): string {
  const z = f.zeroWindow;
  if (z === undefined) return '-';
  const stalls = z.client.stalls + z.server.stalls;
  if (stalls === 0) return z.client.count + z.server.count > 0 ? `${z.client.count + z.server.count} seg` : '-';
  return `${stalls} / ${durationText((z.client.stallMs + z.server.stallMs) / 1000)}`;
}

const SEVERITY_SHORT = ['chat', 'note', 'warn', 'err'] as const;

/** Worst finding of the flow: events of that severity, e.g. `3 warn`; '-' when none. */
function issuesText(f: FlowRow, p: Palette): string {
  if (f.worst < 0) return '-';
  let n = 0;
  for (const x of f.findings) if (SEVERITY_RANK[x.severity] === f.worst) n += x.count;
  return p.severity(f.worst, `${countShort(n)} ${SEVERITY_SHORT[f.worst]}`);
}

/** The plain-language verdict of a flow (`diagnosis.headline`), or null; `quiet` for flows too short to tell. */
export function headlineOf(f: FlowRow): { text: string; quiet: boolean } | null {
  if (f.headline === null) return null;
  return { text: f.headline, quiet: f.limitedBy === 'too_short' || f.limitedBy === 'handshake_only' };
}

interface Column {
  head: string;
  /** Width including cli-table3's one-space padding each side. */
  width: number;
  cell: (f: FlowRow, p: Palette) => string;
}

/** Widths of the `a/b` columns: packets and retransmissions, bytes. */
const PAIR_W = 10;
const BYTES_W = 12;

/** Every column, in display order; `PRIORITY` says which are kept when the terminal is narrow. */
const COLUMNS: Record<string, Column> = {
  id: { head: 'id', width: 5, cell: (f) => String(f.id) },
  flow: { head: 'client → server', width: 18, cell: (f) => `${endpointText(f.client)} → ${endpointText(f.server)}${roleMark(f)}` },
  pkts: { head: 'pkts →/←', width: PAIR_W, cell: (f) => pair(countShort(f.packets.c2s), countShort(f.packets.s2c), PAIR_W) },
  bytes: { head: 'bytes →/←', width: BYTES_W, cell: (f) => pair(bytesCell(f, 'c2s'), bytesCell(f, 's2c'), BYTES_W) },
  duration: { head: 'duration', width: 10, cell: (f) => durationText(Math.max(0, f.lastTs - f.firstTs)) },
  retx: { head: 'retx →/←', width: PAIR_W, cell: (f) => pair(countShort(f.retransmissions.c2s), countShort(f.retransmissions.s2c), PAIR_W) },
  rtt: { head: 'rtt ms', width: 8, cell: (f) => rttText(f) },
  zero: { head: 'zero win', width: 11, cell: (f) => zeroWindowText(f) },
  issues: { head: 'issues', width: 9, cell: (f, p) => issuesText(f, p) },
  states: { head: 'states c/s', width: 18, cell: (f) => `${f.state.client}/${f.state.server}` },
  conn: { head: 'conn', width: 6, cell: (f) => f.state.connState },
  history: { head: 'history', width: 12, cell: (f) => f.state.history },
  close: { head: 'close', width: 11, cell: (f) => closeText(f) },
};
const DISPLAY = ['id', 'flow', 'pkts', 'bytes', 'duration', 'retx', 'rtt', 'zero', 'issues', 'states', 'conn', 'history', 'close'];
/**
 * Which columns a narrower terminal keeps first. `wide-flow` is not a column: it widens the
 * endpoints column so that an IPv4 pair fits on one line, worth more than the last two columns.
 */
const PRIORITY = ['id', 'flow', 'pkts', 'bytes', 'retx', 'rtt', 'issues', 'close', 'duration', 'zero', 'states', 'wide-flow', 'history', 'conn'];
const WIDE_FLOW = 18;
/** The endpoints column takes what is left, up to this width; at least this much. */
const FLOW_MAX = 48;
const FLOW_MIN = 14;

/**
 * The columns (names and widths) that fit `columns` terminal columns. `idDigits`: the longest
 * flow id shown (the id column widens for it: an id cut to `10…` names no flow).
 */
export function fitColumns(columns: number, idDigits = 1): { names: string[]; widths: number[] } {
  const width = (name: string): number => (name === 'id' ? Math.max(COLUMNS['id']!.width, idDigits + 2) : COLUMNS[name]!.width);
  const keep = new Set<string>();
  let used = 1; // the left border
  let flowWidth = COLUMNS['flow']!.width;
  for (const name of PRIORITY) {
    const w = name === 'wide-flow' ? WIDE_FLOW : width(name) + 1; // + its right border
    if (keep.size >= 7 && used + w > columns) continue;
    if (name === 'wide-flow') flowWidth += WIDE_FLOW;
    else keep.add(name);
    used += w;
  }
  const names = DISPLAY.filter((n) => keep.has(n));
  // What is left widens the endpoints; a wider id column narrows them (down to FLOW_MIN).
  flowWidth += used <= columns ? Math.min(FLOW_MAX - flowWidth, columns - used) : -Math.min(used - columns, flowWidth - FLOW_MIN);
  const widths = names.map((n) => (n === 'flow' ? flowWidth : width(n)));
  return { names, widths };
}

/**
 * One capture's flows as a table with the verdicts of the listed flows (empty string when there
 * are none). `flows`: the capture's flows in the table's order — all, or at least the first `top`
 * of them; `total`: how many it has.
 */
export function renderFlowsTable(flows: readonly FlowRow[], top: number, columns: number, p: Palette, total = flows.length): string {
  if (total === 0) return '';
  const shown = flows.slice(0, Math.max(0, top));
  const { names, widths } = fitColumns(columns, Math.max(1, ...shown.map((f) => String(f.id).length)));
  const t = new Table({ head: names.map((n) => COLUMNS[n]!.head), colWidths: widths, wordWrap: true, wrapOnWordBoundary: true, style: { head: [], border: [] } });
  const flowWidth = widths[names.indexOf('flow')]! - 2;
  for (const f of shown) t.push(names.map((n) => (n === 'flow' ? flowCell(f, flowWidth) : COLUMNS[n]!.cell(f, p))));
  const lines = [`flows: ${total}`, t.toString()];
  const verdicts = shown.map((f) => ({ id: f.id, h: headlineOf(f) }));
  const told = verdicts.filter((v) => v.h !== null && !v.h.quiet);
  const quiet = verdicts.filter((v) => v.h !== null && v.h.quiet);
  if (told.length + quiet.length > 0) {
    lines.push('why (diagnosis.limitedBy):');
    for (const v of told) lines.push(`  flow ${v.id}: ${v.h!.text}`);
    if (quiet.length === 1) lines.push(`  flow ${quiet[0]!.id}: ${quiet[0]!.h!.text}`);
    else if (quiet.length > 1) lines.push(`  ${quiet.length} flows too short to tell (handshake only, or too little data): ${idList(quiet.map((v) => v.id).sort((a, b) => a - b))}`);
  }
  const withApp = shown.filter((f) => f.app.length > 0);
  if (withApp.length > 0) {
    const http = withApp.some((f) => f.app.some((l) => l.startsWith('http ')));
    lines.push(http ? 'application layer (http: request → status (body size, time to first byte, transfer time)):' : 'application layer:');
    for (const f of withApp) for (const l of f.app) lines.push(`  flow ${f.id} ${l}`);
  }
  const left = total - shown.length;
  if (left > 0) lines.push(`… ${left} more flow(s) not shown (--top ${total} shows all)`);
  if (names.includes('bytes') && shown.some((f) => f.truncatedBytes.c2s + f.truncatedBytes.s2c > 0)) {
    lines.push('bytes: * = some of them cut by the snap length (seen on the wire, not in the file: truncatedBytes)');
  }
  if (shown.some((f) => f.roleInferred === 'port' || f.roleInferred === 'first-packet')) {
    lines.push('roles: ? = inferred from ports, ?? = sender of the first packet (no SYN or SYN/ACK seen)');
  }
  return lines.join('\n');
}

/**
 * The endpoints cell wrapped by hand for `width` characters: on one line when it fits, else the
 * client on one line and the server on the next (the header says which is which), and an
 * endpoint longer than the width (IPv6) split across lines rather than cut.
 */
function flowCell(f: FlowRow, width: number): string {
  const one = `${endpointText(f.client)} → ${endpointText(f.server)}${roleMark(f)}`;
  if (one.length <= width) return one;
  const out: string[] = [];
  for (const part of [endpointText(f.client), `${endpointText(f.server)}${roleMark(f)}`]) {
    // Too long: break after the address's last ':' when both halves fit (`10.0.3.232:` / `48024`), else every `width` characters.
    const colon = part.lastIndexOf(':') + 1;
    if (part.length > width && colon > 0 && colon <= width && part.length - colon <= width) out.push(part.slice(0, colon), part.slice(colon));
    else for (let i = 0; i < part.length; i += width) out.push(part.slice(i, i + width));
  }
  return out.join('\n');
}

/** `0, 1, 2 … (+N more)` for long lists. */
function idList(ids: readonly number[], max = 20): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} … (+${ids.length - max} more)`;
}
