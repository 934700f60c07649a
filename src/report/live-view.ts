/**
 * Text of `tcpscope live` on a terminal: the view redrawn about once a second (a status header
 * and one row per open flow, troubled first, then busiest; report/live-model.ts) and the line
 * written above it for each finding as it happens. Every line fits `columns` (one column is left
 * free so no terminal wraps); narrower terminals drop the least needed columns first, like the
 * analyze table. Pure: strings in, strings out.
 */
import { stripVTControlCharacters } from 'node:util';
import type { LiveEvent, LiveRow } from './live-types.js';
import type { Palette } from './colors.js';
import { endpointText } from './flows-text.js';

/** What the status header says (NDJSON `{"type":"stats"}` carries the same fields). */
export interface LiveStatus {
  device: string;
  filter: string;
  via: 'cap' | 'tcpdump';
  /** Seconds since the capture started. */
  elapsedSec: number;
  /** Packets analyzed, and per second over the last interval. */
  packets: number;
  packetsPerSec: number;
  /** Flows open now, and finished so far. */
  openFlows: number;
  flowsDone: number;
  /** Kernel counters (tcpdump's, through `--via tcpdump`), null when the capture cannot tell (cap). */
  kernel: { received: number | null; dropped: number | null } | null;
  /** Packets tcpscope skipped itself because it was behind (neither analyzed nor written). */
  skipped: number;
  /** Share of the last interval the event loop was busy (0..1; includes time the process waited for a CPU), null when unknown. */
  busy: number | null;
  /** CPU time the process used in the last interval, as a share of one core (0..), null when unknown. */
  cpu: number | null;
  /** How far analysis is behind the newest packet's kernel time (`--via tcpdump`), ms; null when unknown. */
  lagMs: number | null;
  /** Processing did not keep up in the last interval (packets skipped, or lag over a second). */
  behind: boolean;
  /** Finding lines not written (more than the waiting cap at once) and NDJSON lines dropped (output blocked). */
  eventsDropped: number;
  outputDropped: number;
}

const STATE_SHORT: Readonly<Record<string, string>> = {
  UNKNOWN: '?',
  CLOSED: 'CLOSD',
  LISTEN: 'LISTN',
  SYN_SENT: 'SYN-S',
  SYN_RECEIVED: 'SYN-R',
  ESTABLISHED: 'ESTAB',
  FIN_WAIT_1: 'FIN-1',
  FIN_WAIT_2: 'FIN-2',
  CLOSING: 'CLSNG',
  TIME_WAIT: 'TIMEW',
  CLOSE_WAIT: 'CLS-W',
  LAST_ACK: 'LASTA',
};

/** Short byte rate, at most 4 characters: 0, 999, 1.2K, 12K, 123K, 1.2M, ... (binary units). */
export function rateShort(n: number): string {
  if (n < 1) return '0';
  if (n < 1000) return String(Math.round(n));
  const units = ['K', 'M', 'G', 'T'];
  let v = n / 1024;
  let i = 0;
  while (v >= 999.5 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 9.95 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/** Short count, at most 4 characters: 9999, 12k, 123k, 1.2M, 12M. */
function countShort(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 999_500) return `${Math.round(n / 1000)}k`;
  return n < 9.95e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e6)}M`;
}

function secShort(s: number): string {
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 600) return `${Math.round(s)}s`;
  if (s < 36_000) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

function rttShort(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : String(Math.round(ms));
}

/** Findings as the view's last column names them: long form, short form (narrow terminals). */
const LATEST_LABEL: Readonly<Record<string, readonly [string, string]>> = {
  rst_on_close: ['RST on close', 'RST close'],
  connection_reset: ['connection reset', 'reset'],
  connection_refused: ['connection refused', 'refused'],
  handshake_unanswered: ['SYN unanswered', 'no SYN-ACK'],
  data_after_close: ['data after close', 'data>close'],
  retransmission_burst: ['retransmission burst', 'retx burst'],
  lost_segment: ['lost segment', 'lost seg'],
  stall_start: ['zero-window stall', 'zero win'],
  stall_end: ['zero-window stall ended', 'stall end'],
};

/** The latest-finding cell in `w` characters: a zero window open now, else the latest finding and its age. */
function latestText(r: LiveRow, now: number, w: number): string {
  if (r.zeroWindowOpen) {
    const long = `zero window open ${secShort(r.zeroWindowOpenSec)}`;
    return long.length <= w ? long : `0win open ${secShort(r.zeroWindowOpenSec)}`;
  }
  const l = r.latest;
  if (l === null) return '';
  const key = l.code === 'zero_window_stall' ? (l.phase === 'start' ? 'stall_start' : 'stall_end') : l.code;
  const [long, short] = LATEST_LABEL[key] ?? [l.code, l.code];
  const age = secShort(Math.max(0, now - l.ts));
  for (const t of [`${long} ${age} ago`, `${short} ${age} ago`, `${short} ${age}`]) if (t.length <= w) return t;
  return `${short} ${age}`;
}

/** Cut to `w` characters with an ellipsis. */
function cut(s: string, w: number): string {
  if (w <= 0) return '';
  const chars = [...s];
  return chars.length <= w ? s : chars.slice(0, w - 1).join('') + '…';
}

/** A line with colour codes cut to `w` visible characters (only when the columns could not all fit). */
function fitAnsi(line: string, w: number): string {
  const plain = stripVTControlCharacters(line);
  return [...plain].length <= w ? line : cut(plain, w);
}

function pad(s: string, w: number, right: boolean): string {
  const n = [...s].length;
  if (n >= w) return cut(s, w);
  return right ? ' '.repeat(w - n) + s : s + ' '.repeat(w - n);
}

/** The endpoints in `w` characters: whole, else without spaces, else the client's port only, else cut. */
function flowText(r: LiveRow, w: number): string {
  const c = endpointText(r.client);
  const s = endpointText(r.server);
  for (const t of [`${c} → ${s}`, `${c}→${s}`, `:${r.client.port}→${s}`]) if ([...t].length <= w) return t;
  return cut(`:${r.client.port}→${s}`, w);
}

interface Column {
  head: string;
  width: number;
  right: boolean;
  cell: (r: LiveRow, now: number, wide: boolean, w: number) => string;
}

const COLUMNS: Record<string, Column> = {
  id: { head: 'id', width: 2, right: true, cell: (r) => String(r.id) },
  flow: { head: 'client → server', width: 21, right: false, cell: () => '' },
  state: { head: 'state c/s', width: 11, right: false, cell: (r, _n, wide) => (wide ? `${r.states.client}/${r.states.server}` : `${STATE_SHORT[r.states.client] ?? r.states.client}/${STATE_SHORT[r.states.server] ?? r.states.server}`) },
  rate: { head: 'B/s →/←', width: 9, right: true, cell: (r) => `${rateShort(r.rate.c2s)}/${rateShort(r.rate.s2c)}` },
  rtt: { head: 'rtt ms', width: 6, right: true, cell: (r) => rttShort(r.srttMs) },
  retx: { head: 'retx →/←', width: 9, right: true, cell: (r) => `${countShort(r.retx.c2s)}/${countShort(r.retx.s2c)}` },
  zero: { head: 'zero win', width: 8, right: true, cell: (r) => (r.zeroWindowSec > 0 || r.zeroWindowOpen ? secShort(r.zeroWindowSec) : '-') },
  latest: { head: 'latest finding', width: 14, right: false, cell: (r, now, _wide, w) => latestText(r, now, w) },
};
const DISPLAY = ['id', 'flow', 'state', 'rate', 'rtt', 'retx', 'zero', 'latest'];
/** Kept first when the terminal is narrow; `wide-state` (full state names) and `wide-flow` are widenings. */
const PRIORITY = ['id', 'flow', 'state', 'rate', 'rtt', 'latest', 'retx', 'zero', 'wide-flow', 'wide-state'];
const WIDE_FLOW = 12;
/** Full state names: `FIN_WAIT_2/CLOSE_WAIT`. */
const WIDE_STATE = 13;
const FLOW_MAX = 47;

/**
 * The columns that fit `width` characters (1-space gutters), with their widths; `flowNeed`: the
 * widest endpoints text to show (the endpoints column grows to it, up to 47, and the latest
 * finding gets the rest).
 */
export function fitLiveColumns(width: number, idWidth = 2, flowNeed = FLOW_MAX): { names: string[]; widths: number[]; wideState: boolean } {
  const keep = new Set<string>();
  let used = 0;
  let flowW = COLUMNS['flow']!.width;
  let stateW = COLUMNS['state']!.width;
  let wideState = false;
  for (const name of PRIORITY) {
    const growFlow = Math.min(WIDE_FLOW, Math.max(0, Math.min(FLOW_MAX, flowNeed) - flowW));
    if (name === 'wide-flow' && growFlow === 0) continue;
    const w = name === 'wide-flow' ? growFlow : name === 'wide-state' ? WIDE_STATE : (name === 'id' ? idWidth : COLUMNS[name]!.width) + (keep.size > 0 ? 1 : 0);
    if (keep.size >= 3 && used + w > width) continue;
    if (name === 'wide-flow') flowW += growFlow;
    else if (name === 'wide-state') {
      stateW += WIDE_STATE;
      wideState = true;
    } else keep.add(name);
    used += w;
  }
  const names = DISPLAY.filter((n) => keep.has(n));
  const spare = Math.max(0, width - used);
  // The rest goes to the endpoints (up to FLOW_MAX), then to the latest finding.
  const moreFlow = Math.min(spare, Math.max(0, Math.min(FLOW_MAX, flowNeed) - flowW));
  flowW += moreFlow;
  const latestW = COLUMNS['latest']!.width + (spare - moreFlow);
  const widths = names.map((n) => (n === 'id' ? idWidth : n === 'flow' ? flowW : n === 'state' ? stateW : n === 'latest' ? latestW : COLUMNS[n]!.width));
  return { names, widths, wideState };
}

/** `1,234,567` */
function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Exact below 100,000 (`12,345`), else 3 significant digits: `123k`, `1.23M`, `12.3G`. */
function countMid(n: number): string {
  if (n < 100_000) return thousands(n);
  if (n < 999_500) return `${Math.round(n / 1000)}k`;
  const [v, u] = n < 999_500_000 ? [n / 1e6, 'M'] : [n / 1e9, 'G'];
  return `${v.toPrecision(3)}${u}`;
}

function clock(sec: number): string {
  const s = Math.floor(sec);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Parts joined with ' · ' while they fit `width` (the first always, cut if need be). */
function joinFitting(parts: readonly string[], width: number): string {
  let out = parts[0] ?? '';
  for (const p of parts.slice(1)) if ([...out].length + 3 + [...p].length <= width) out += ` · ${p}`;
  return cut(out, width);
}

/** The drop and backlog parts of the header, most important first. */
export function dropParts(s: LiveStatus): string[] {
  const kernel =
    s.kernel === null
      ? 'kernel drops: n/a with cap (use --via tcpdump)'
      : `kernel drops: ${s.kernel.dropped === null ? '?' : thousands(s.kernel.dropped)} of ${s.kernel.received === null ? '?' : thousands(s.kernel.received)}`;
  const load = [s.busy !== null ? `busy ${Math.round(s.busy * 100)}%` : null, s.cpu !== null ? `cpu ${Math.round(s.cpu * 100)}%` : null, s.lagMs !== null ? `lag ${s.lagMs < 1000 ? `${Math.round(s.lagMs)} ms` : `${(s.lagMs / 1000).toFixed(1)} s`}` : null].filter((x) => x !== null).join(', ');
  const parts = [`${s.behind ? 'BEHIND' : 'keeping up'}${load ? ` (${load})` : ''}`, kernel];
  if (s.skipped > 0) parts.splice(1, 0, `${thousands(s.skipped)} packets skipped by tcpscope`);
  if (s.eventsDropped > 0) parts.push(`${thousands(s.eventsDropped)} finding lines dropped`);
  if (s.outputDropped > 0) parts.push(`${thousands(s.outputDropped)} output lines dropped`);
  return parts;
}

/**
 * The view: status lines, the column heads and at most `maxRows` flows (the rest counted), each
 * line at most `columns - 1` characters. `now`: epoch seconds (for ages and open periods).
 */
export function renderLiveView(s: LiveStatus, rows: readonly LiveRow[], now: number, columns: number, maxRows: number, p: Palette): string[] {
  const width = Math.max(20, columns - 1);
  const lines: string[] = [];
  const head = [`tcpscope ${s.device}`, clock(s.elapsedSec), `${countMid(s.packets)} pkts, ${countMid(s.packetsPerSec)}/s`, `flows ${countMid(s.openFlows)} (${countMid(s.flowsDone)} done)`, `via ${s.via}`, ...(s.filter ? [`'${s.filter}'`] : [])];
  lines.push(p.bold(joinFitting(head, width)));
  const drops = joinFitting(dropParts(s), width);
  lines.push(s.behind || s.skipped > 0 || (s.kernel?.dropped ?? 0) > 0 ? p.severity(2, drops) : p.dim(drops));
  const shown = rows.slice(0, Math.max(0, maxRows));
  const idWidth = Math.max(2, ...shown.map((r) => String(r.id).length));
  const flowNeed = Math.max(0, ...shown.map((r) => [...`${endpointText(r.client)} → ${endpointText(r.server)}`].length));
  const { names, widths, wideState } = fitLiveColumns(width, idWidth, flowNeed);
  lines.push(p.dim(cut(names.map((n, i) => pad(COLUMNS[n]!.head, widths[i]!, COLUMNS[n]!.right)).join(' ').trimEnd(), width)));
  for (const r of shown) {
    const cells = names.map((n, i) => {
      const c = COLUMNS[n]!;
      const w = widths[i]!;
      const text = pad(n === 'flow' ? flowText(r, w) : c.cell(r, now, wideState, w), w, c.right);
      if (n === 'latest' && (r.zeroWindowOpen || (r.troubled && r.latest !== null))) return p.severity(2, text);
      if (n === 'zero' && r.zeroWindowOpen) return p.severity(2, text);
      return text;
    });
    lines.push(fitAnsi(cells.join(' ').trimEnd(), width));
  }
  if (rows.length === 0) lines.push(p.dim('(no open flows yet)'));
  else if (rows.length > shown.length) lines.push(p.dim(`… ${rows.length - shown.length} more open flows`));
  return lines;
}

const WHO = { c2s: 'client', s2c: 'server' } as const;

/** What a finding line says after the flow (plain text). */
export function eventText(e: LiveEvent): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const who = WHO[e.dir];
  const by = typeof d['by'] === 'string' ? d['by'] : who;
  let t: string;
  switch (e.code) {
    case 'rst_on_close':
      t = `RST on close by ${by}${d['reason'] === 'unacknowledged-data' ? ` (${String(d['unackedBytes'])} B unacknowledged)` : d['reason'] === 'after-fin' ? ' (after FIN)' : ''}`;
      break;
    case 'connection_reset':
      t = `connection reset by ${by}`;
      break;
    case 'connection_refused':
      t = 'connection refused (RST answering SYN)';
      break;
    case 'handshake_unanswered':
      t = `SYN unanswered${typeof d['syns'] === 'number' ? ` (${d['syns']} SYNs)` : ''}`;
      break;
    case 'data_after_close':
      t = `data after close from ${who}${typeof d['bytes'] === 'number' ? ` (${d['bytes']} B, ${String(d['reason'])})` : ''}`;
      break;
    case 'zero_window_stall':
      t = e.phase === 'start' ? `zero-window stall: ${who} advertises window 0` : `zero-window stall ended: ${who} reopened after ${typeof d['durationMs'] === 'number' ? `${(d['durationMs'] / 1000).toFixed(3)} s` : '?'}`;
      break;
    case 'retransmission_burst':
      t = `retransmission burst: ${String(d['count'])} from ${who} within ${String(d['withinMs'])} ms`;
      break;
    case 'lost_segment':
      t = `lost segment: ${typeof d['bytes'] === 'number' ? `${d['bytes']} B` : 'bytes'} from ${who} never captured`;
      break;
    default:
      t = `${e.code} (${who})`;
  }
  return e.folded !== undefined && e.folded > 0 ? `${t} (+${e.folded} similar)` : t;
}

/** UTC time of day with milliseconds. */
function timeOfDay(ts: number): string {
  return new Date(Math.floor(ts * 1000)).toISOString().slice(11, 23);
}

/**
 * A finding line written above the view: `HH:MM:SS.mmm flow N client → server: what`; on a
 * narrow terminal the endpoints shrink (client port only) or go (the flow id is in the view).
 */
export function renderEventLine(e: LiveEvent, columns: number, p: Palette): string {
  const width = Math.max(20, columns - 1);
  const head = `${timeOfDay(e.ts)} flow ${e.flow}`;
  const what = eventText(e);
  const flows = e.client !== null && e.server !== null ? [` ${endpointText(e.client)} → ${endpointText(e.server)}`, ` :${e.client.port}→${endpointText(e.server)}`, ''] : [''];
  let line = '';
  for (const f of flows) {
    line = `${head}${f}: ${what}`;
    if ([...line].length <= width) break;
  }
  return p.severity(e.severity === 'error' ? 3 : 2, cut(line, width));
}
