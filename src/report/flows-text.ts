/**
 * The terminal flows table of `tcpscope analyze` (cli-table3): one row per flow, sorted by id,
 * at most `top` rows (the rest counted below the table). Renders only the flows' terminal rows
 * (report/flow-row.ts), so the caller need not keep whole flow records.
 */
import Table from 'cli-table3';
import type { FlowRow } from './flow-row.js';

/** `ip:port`, with IPv6 addresses in brackets. */
export function endpointText(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function bytesShort(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 10_000_000) return `${(n / 1024).toFixed(1)}K`;
  return `${(n / 1048576).toFixed(1)}M`;
}

function durationText(s: number): string {
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

/** Retransmitted segments each way (retransmission + fast + spurious). */
function retxText(f: FlowRow): string {
  return `${f.retransmissions.c2s}/${f.retransmissions.s2c}`;
}

/**
 * Smoothed RTT in ms of the direction that carried more data (the path RTT when the capture sits
 * near that sender), else the handshake RTT; '-' when neither is known.
 */
function rttText(f: FlowRow): string {
  const main = f.payloadBytes.s2c > f.payloadBytes.c2s ? f.srttMs.s2c : f.srttMs.c2s;
  const ms = main ?? f.handshakeRttMs;
  if (ms === null) return '-';
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** Zero-window stalls of both endpoints and their total time, '-' when none. */
function zeroWindowText(f: FlowRow): string {
  const z = f.zeroWindow;
  if (z === undefined) return '-';
  const stalls = z.client.stalls + z.server.stalls;
  if (stalls === 0) return z.client.count + z.server.count > 0 ? `${z.client.count + z.server.count} seg` : '-';
  return `${stalls} / ${durationText((z.client.stallMs + z.server.stallMs) / 1000)}`;
}

/** The plain-language verdict of a flow (`diagnosis.headline`), or null; `quiet` for flows too short to tell. */
export function headlineOf(f: FlowRow): { text: string; quiet: boolean } | null {
  if (f.headline === null) return null;
  return { text: f.headline, quiet: f.limitedBy === 'too_short' || f.limitedBy === 'handshake_only' };
}

/** One capture's flows as a table (empty string when there are none). */
export function renderFlowsTable(flows: readonly FlowRow[], top: number, columns: number): string {
  if (flows.length === 0) return '';
  const sorted = [...flows].sort((a, b) => a.id - b.id);
  const shown = sorted.slice(0, Math.max(0, top));
  const wide = columns >= 140;
  const head = ['id', 'client → server', 'pkts →/←', 'bytes →/←', 'duration', 'retx →/←', 'rtt ms', 'zero win', 'states c/s', 'conn', 'history', 'close'];
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true, ...(wide ? {} : { colWidths: [5, 26, 11, 13, 10, 10, 8, 10, 16, 6, 12, 12] }) });
  for (const f of shown) {
    t.push([
      String(f.id),
      `${endpointText(f.client)} → ${endpointText(f.server)}${roleMark(f)}`,
      `${f.packets.c2s}/${f.packets.s2c}`,
      `${bytesShort(f.payloadBytes.c2s)}/${bytesShort(f.payloadBytes.s2c)}`,
      durationText(Math.max(0, f.lastTs - f.firstTs)),
      retxText(f),
      rttText(f),
      zeroWindowText(f),
      `${f.state.client}/${f.state.server}`,
      f.state.connState,
      f.state.history,
      closeText(f),
    ]);
  }
  const lines = [`flows: ${flows.length}`, t.toString()];
  const verdicts = shown.map((f) => ({ id: f.id, h: headlineOf(f) }));
  const told = verdicts.filter((v) => v.h !== null && !v.h.quiet);
  const quiet = verdicts.filter((v) => v.h !== null && v.h.quiet);
  if (told.length + quiet.length > 0) {
    lines.push('why (diagnosis.limitedBy):');
    for (const v of told) lines.push(`  flow ${v.id}: ${v.h!.text}`);
    if (quiet.length === 1) lines.push(`  flow ${quiet[0]!.id}: ${quiet[0]!.h!.text}`);
    else if (quiet.length > 1) lines.push(`  ${quiet.length} flows too short to tell (handshake only, or too little data): ${quiet.map((v) => v.id).join(', ')}`);
  }
  const left = sorted.length - shown.length;
  if (left > 0) lines.push(`… ${left} more flow(s) not shown (--top ${sorted.length} shows all)`);
  if (shown.some((f) => f.roleInferred === 'port' || f.roleInferred === 'first-packet')) {
    lines.push('roles: ? = inferred from ports, ?? = sender of the first packet (no SYN or SYN/ACK seen)');
  }
  return lines.join('\n');
}
