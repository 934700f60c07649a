/**
 * `tcpscope analyze FILE --flow N`: one flow in depth, for the terminal — endpoints and roles,
 * handshake and options, the state timeline of both endpoints, RTT/RTO per direction, windows
 * and zero-window episodes, loss episodes, the verdict, and every listed finding with its frame,
 * time and evidence. Reads the flow record (the JSON report's flow) only.
 */
import Table from 'cli-table3';
import { ANOMALIES, type AnomalyCode } from '../analysis/anomalies.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import { formatTimeOfDay } from '../core/time.js';
import { durationText, endpointText } from './flows-text.js';
import { SEVERITY_RANK } from './flow-row.js';
import type { Palette } from './colors.js';
import { appSections, httpDetailLines, printable } from './app-text.js';

type Rec = Record<string, unknown>;

/** Epoch seconds (µs precision in the report) as a UTC time of day. */
function tsText(ts: number): string {
  const sec = Math.floor(ts);
  return formatTimeOfDay(sec, Math.round((ts - sec) * 1e6) * 1000);
}

function obj(v: unknown): Rec | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null;
}

function val(v: unknown, unit = ''): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return `${v}${unit}`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const PLAIN = { style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } };

function optionsText(o: unknown): string {
  const r = obj(o);
  if (r === null) return 'not seen';
  const parts: string[] = [];
  if (r['mss'] !== null && r['mss'] !== undefined) parts.push(`mss ${val(r['mss'])}`);
  if (r['wscale'] !== null && r['wscale'] !== undefined) parts.push(`wscale ${val(r['wscale'])}`);
  if (r['sackPermitted'] === true) parts.push('sack');
  if (r['timestamps'] === true) parts.push('timestamps');
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function section(title: string, p: Palette): string {
  return `\n${p.bold(title)}`;
}

/** The detail view of `f` (of capture `source`). */
export function renderFlowDetail(f: FlowSummary, source: string, columns: number, p: Palette): string {
  const out: string[] = [];
  out.push(p.bold(`flow ${f.id}: ${endpointText(f.client)} → ${endpointText(f.server)}`) + ` (roles: ${f.roleInferred})`);
  out.push(`  capture ${source}, frames ${f.firstFrame}–${f.lastFrame}, ${tsText(f.firstTs)} → ${tsText(f.lastTs)} (${durationText(Math.max(0, f.lastTs - f.firstTs))}); record ended: ${f.end}`);
  const d = obj(f['diagnosis']);
  if (d !== null && typeof d['headline'] === 'string') out.push(`  ${p.bold('verdict')} (${val(d['limitedBy'])}): ${d['headline']}`);

  const h = f.handshake;
  const ho = obj(h.options);
  out.push(section('handshake', p));
  const iv = h.synIntervalsMs ?? [];
  out.push(`  ${h.complete ? 'complete' : 'not complete'}; RTT at the capture point ${val(h.rttMs, ' ms')}; SYN retransmissions ${h.synRetransmissions}${iv.length > 0 ? ` (intervals ${iv.join(', ')} ms)` : ''}; SYN/ACK retransmissions ${val((h as Rec)['synAckRetransmissions'])}`);
  out.push(`  options: client ${optionsText(ho?.['client'])}; server ${optionsText(ho?.['server'])}`);
  out.push(`  ISNs: client ${val(f.isn.client)}, server ${val(f.isn.server)}`);

  out.push(section('states', p));
  out.push(`  final: client ${f.state.client}, server ${f.state.server}; Zeek conn_state ${f.state.connState}, history ${f.state.history}; close: ${f.close.kind}${f.close.by ? ` by ${f.close.by}` : ''}`);
  const tr = (f.state.transitions ?? []) as Rec[];
  for (const t of tr) out.push(`  #${val(t['frame'])} ${tsText(Number(t['ts']))}  ${String(t['endpoint']).padEnd(6)} ${val(t['from'])} → ${val(t['to'])}  (${val(t['cause'])})`);

  out.push(section('data and RTT', p));
  const side = Math.max(20, Math.floor((Math.min(columns, 120) - 4 - 26) / 2));
  const t = new Table({ head: ['', 'client → server', 'server → client'], colWidths: [26, side, side], wordWrap: true, ...PLAIN });
  const rtt = (dir: 'c2s' | 's2c', k: string, unit = ' ms'): string => val((f.rtt[dir] as unknown as Rec)[k], unit);
  t.push(['packets', f.packets.c2s, f.packets.s2c]);
  t.push(['payload bytes', f.payloadBytes.c2s, f.payloadBytes.s2c]);
  t.push(['missed / truncated bytes', `${f.missedBytes.c2s} / ${f.truncatedBytes.c2s}`, `${f.missedBytes.s2c} / ${f.truncatedBytes.s2c}`]);
  t.push(['retransmissions', f.retransmissions.c2s, f.retransmissions.s2c]);
  t.push(['RTT samples (meaning)', `${rtt('c2s', 'samples', '')} (${rtt('c2s', 'meaning', '')})`, `${rtt('s2c', 'samples', '')} (${rtt('s2c', 'meaning', '')})`]);
  t.push(['RTT min / mean / max', `${rtt('c2s', 'minMs')} / ${rtt('c2s', 'meanMs')} / ${rtt('c2s', 'maxMs')}`, `${rtt('s2c', 'minMs')} / ${rtt('s2c', 'meanMs')} / ${rtt('s2c', 'maxMs')}`]);
  t.push(['SRTT / RTTVAR / RTO', `${rtt('c2s', 'srttMs')} / ${rtt('c2s', 'rttvarMs')} / ${rtt('c2s', 'rtoMs')}`, `${rtt('s2c', 'srttMs')} / ${rtt('s2c', 'rttvarMs')} / ${rtt('s2c', 'rtoMs')}`]);
  // A list of any length: spaced so that the cell wraps it (cli-table3 cuts a word longer than the cell).
  const timeouts = (dir: 'c2s' | 's2c'): string => {
    const v = (f.rtt[dir] as unknown as Rec)['observedRtoMs'];
    return Array.isArray(v) ? (v.length === 0 ? '-' : `${v.join(', ')} ms`) : val(v);
  };
  t.push(['observed timeouts', timeouts('c2s'), timeouts('s2c')]);
  out.push(t.toString());

  const w = obj(f['windows']);
  const z = f.zeroWindow;
  if (w !== null || z !== undefined) {
    out.push(section('windows', p));
    for (const side of ['client', 'server'] as const) {
      const ws = obj(w?.[side]);
      const zs = z?.[side];
      const scale = ws === null ? '-' : ws['scaleKnown'] === true ? `scale ${val(ws['scale'])}` : 'scale unknown';
      const adv = ws === null ? '' : `, advertised min ${val(ws['min'])} / mean ${val(ws['mean'])} / max ${val(ws['max'])} ${val(ws['unit'])}`;
      const zero = zs === undefined ? '' : `; zero windows ${zs.count}, stalls ${zs.stalls} (${zs.stallMs} ms, longest ${val((zs as unknown as Rec)['longestMs'])} ms), probes ${zs.probes}`;
      out.push(`  ${side}: ${scale}${adv}${zero}`);
    }
    const inf = obj(w?.['inFlight']);
    for (const dir of ['c2s', 's2c'] as const) {
      const x = obj(inf?.[dir]);
      if (x !== null && x['known'] === true) out.push(`  in flight ${dir}: max ${val(x['maxBytes'])} B, mean ${val(x['meanBytes'])} B, window full ${val(x['windowFullMs'])} ms`);
    }
  }

  const cong = obj(f['congestion']);
  if (cong !== null) {
    const lines: string[] = [];
    for (const dir of ['c2s', 's2c'] as const) {
      const c = obj(cong[dir]);
      const le = obj(c?.['lossEpisodes']);
      if (le === null || le['count'] === 0) continue;
      lines.push(`  ${dir}: ${val(le['count'])} loss episode(s): ${val(le['fastRetransmit'])} fast retransmit, ${val(le['timeout'])} timeout, ${val(le['mixed'])} mixed; ${val(le['retransmittedBytes'])} B retransmitted; longest ${val(le['maxMs'])} ms`);
      for (const e of (le['list'] ?? []) as Rec[]) lines.push(`    at +${val(e['startMs'])} ms for ${val(e['durationMs'])} ms, ${val(e['recovery'])} recovery, ${val(e['bytes'])} B`);
    }
    if (lines.length > 0) out.push(section('loss episodes', p), ...lines);
  }

  for (const [name, s] of appSections(f)) {
    out.push(section(name === 'http' ? 'HTTP' : name, p));
    if (name === 'http') out.push(...httpDetailLines(s, columns));
    else if (typeof s['label'] === 'string') out.push(`  ${printable(s['label'])}`);
  }

  out.push(section('findings', p));
  const counts = Object.entries(f.anomalyCounts);
  if (counts.length === 0) out.push('  none');
  else {
    out.push(`  counts: ${counts.map(([c, n]) => `${c} ${n}`).join(', ')}`);
    for (const a of f.anomalies) {
      const sev = ANOMALIES[a.code as AnomalyCode]?.severity ?? 'note';
      const detail = a.detail === undefined ? '' : `  ${JSON.stringify(a.detail)}`;
      out.push(`  #${a.frame} ${tsText(a.ts)} ${a.dir} ${p.severity(SEVERITY_RANK[sev], a.code)}${detail}`);
    }
    const listed = f.anomalies.length;
    const total = counts.reduce((s, [, n]) => s + n, 0);
    if (listed < total) out.push(`  (${listed} of ${total} events listed: the first ones per code)`);
  }
  return out.join('\n') + '\n';
}
