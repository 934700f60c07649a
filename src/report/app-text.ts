/**
 * The application layer in the terminal: a flow's one-line summary per protocol (the flows
 * view), and HTTP's requests table (`--flow N`). Reads only the flow record's `app` section
 * (`app.<protocol>`, see the README "Application layer"). Everything from the capture (URIs,
 * reasons, server names) goes through `printable`: a terminal must never receive its control
 * characters (escape sequences could rewrite the screen).
 */
import Table from 'cli-table3';
import type { FlowSummary } from '../flow/flow-summary.js';

type Rec = Record<string, unknown>;

/** Text safe for a terminal: C0/C1 controls and DEL as `\xNN`. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function obj(v: unknown): Rec | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null;
}

/** The `app` sections of a flow record, by protocol name. */
export function appSections(f: FlowSummary): [string, Rec][] {
  const app = obj(f['app']);
  if (app === null) return [];
  return Object.entries(app).flatMap(([name, v]) => (obj(v) === null ? [] : [[name, v as Rec] as [string, Rec]]));
}

/** Short byte count: 999 B, 12.3K, 1.2M. */
function bytesShort(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_048_576) return `${(n / 1024).toFixed(1)}K`;
  return `${(n / 1048576).toFixed(1)}M`;
}

function msText(v: unknown): string {
  if (typeof v !== 'number') return '-';
  if (v < 0.1) return `${Math.round(v * 1000)} µs`;
  return v < 10 ? `${v.toFixed(2)} ms` : v < 1000 ? `${v.toFixed(1)} ms` : `${(v / 1000).toFixed(2)} s`;
}

/** HTTP exchanges of an `app.http` section: each request with its response (or a response alone). */
export function httpExchanges(http: Rec): { req: Rec | null; resp: Rec | null }[] {
  const ms = (Array.isArray(http['messages']) ? http['messages'] : []) as Rec[];
  const out: { req: Rec | null; resp: Rec | null }[] = [];
  for (const m of ms) {
    if (m['kind'] === 'request') {
      const r = typeof m['response'] === 'number' ? (ms[m['response']] ?? null) : null;
      out.push({ req: m, resp: r });
    } else if (m['request'] === null && m['interim'] !== true) out.push({ req: null, resp: m });
  }
  return out;
}

/** `GET /x → 200 (35.1K, ttfb 0.54 ms, 54.2 ms)`; what a cut or missing part leaves shows as `-` and `incomplete`. */
export function exchangeText(e: { req: Rec | null; resp: Rec | null }, maxUri = 60): string {
  const uri = e.req === null ? '' : String(e.req['uri'] ?? '');
  const left = e.req === null ? '(no request)' : `${String(e.req['method'])} ${uri.length > maxUri ? `${uri.slice(0, maxUri - 1)}…` : uri}`;
  if (e.resp === null) return printable(`${left} → -`);
  const r = e.resp;
  const facts = [bytesShort(Number(r['bodyLength'] ?? 0))];
  if (r['ttfbMs'] !== null && r['ttfbMs'] !== undefined) facts.push(`ttfb ${msText(r['ttfbMs'])}`);
  facts.push(msText(r['transferMs']));
  if (r['complete'] !== true) facts.push('incomplete');
  return printable(`${left} → ${String(r['status'])} (${facts.join(', ')})`);
}

/** One line per protocol of the flow for the flows view (HTTP: its exchanges; others: their label). */
export function appLines(f: FlowSummary): string[] {
  const lines: string[] = [];
  for (const [name, s] of appSections(f)) {
    if (name === 'http') {
      const ex = httpExchanges(s);
      const shown = ex.slice(0, 5).map((e) => exchangeText(e, 40));
      const more = ex.length - shown.length + Number(s['messagesNotListed'] ?? 0);
      const tunnel = obj(s['tunnel']);
      let text = `${ex.length} request(s): ${shown.join('; ')}${more > 0 ? `; … (+${more})` : ''}`;
      if (tunnel !== null) text += printable(`; then ${String(tunnel['protocol'] ?? tunnel['reason'])} (not parsed)`);
      lines.push(`http ${text}`);
    } else if (typeof s['label'] === 'string') lines.push(printable(`${name} ${s['label']}`));
    else lines.push(name);
  }
  return lines;
}

const PLAIN = { style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } };

/** `--flow N`: the HTTP section, a table of exchanges with frames, timings, bodies and TCP findings. */
export function httpDetailLines(http: Rec, columns: number): string[] {
  const out: string[] = [];
  const pair = (k: string): string => {
    const p = obj(http[k]);
    return p === null ? '-' : `${String(p['c2s'])}/${String(p['s2c'])}`;
  };
  out.push(`  ${String(http['requests'])} request(s), ${String(http['responses'])} response(s), ${String(http['unanswered'])} unanswered; bytes lost ${pair('lostBytes')}, passed over ${pair('skippedBytes')}, not shown ${pair('notShownBytes')} (c2s/s2c); resyncs ${pair('resyncs')}`);
  const tunnel = obj(http['tunnel']);
  if (tunnel !== null) {
    const b = obj(tunnel['bytes']);
    const proto = tunnel['protocol'] === null ? '' : ` (${String(tunnel['protocol'])})`;
    out.push(printable(`  parsing stopped at frame ${String(tunnel['frame'])}: ${String(tunnel['reason'])}${proto}; ${String(b?.['c2s'])}/${String(b?.['s2c'])} bytes after it not parsed (c2s/s2c)`));
  }
  if (tunnel !== null) out.push(printable(`  parsing stopped at frame ${String(tunnel['frame'])}: ${String(tunnel['reason'])}${tunnel['protocol'] !== null ? ` to ${String(tunnel['protocol'])}` : ''}; then ${pair('tunnel')} bytes not parsed`.replace(`${pair('tunnel')} bytes`, `${String(obj(tunnel['bytes'])?.['c2s'])}/${String(obj(tunnel['bytes'])?.['s2c'])} bytes`)));
  if (typeof http['messagesNotListed'] === 'number') out.push(`  ${http['messagesNotListed']} more message(s) not listed (http.maxMessages)`);
  const ex = httpExchanges(http);
  if (ex.length === 0) return out;
  // Columns that fit: the essential ones, then frames, TCP findings and the hash while the
  // request column keeps at least 24 characters.
  const cols: { head: string; width: number }[] = [
    { head: '#', width: 5 }, { head: 'request', width: 0 }, { head: 'status', width: 9 },
    { head: 'ttfb', width: 10 }, { head: 'transfer', width: 10 }, { head: 'body', width: 12 },
  ];
  const extra = [{ head: 'frames', width: 13 }, { head: 'tcp findings in req / resp', width: 28 }, { head: 'sha256', width: 10 }];
  let used = cols.reduce((n, c) => n + c.width + 1, 1) + 1;
  for (const c of extra) {
    if (Math.max(80, columns) - used - c.width - 1 < 24) break;
    cols.push(c);
    used += c.width + 1;
  }
  const uriWidth = Math.min(70, Math.max(20, Math.max(80, columns) - used));
  cols[1]!.width = uriWidth;
  const t = new Table({ head: cols.map((c) => c.head), colWidths: cols.map((c) => c.width), wordWrap: true, wrapOnWordBoundary: false, ...PLAIN });
  for (const e of ex) {
    const r = e.resp;
    const first = e.req ?? r!;
    const last = r ?? e.req!;
    const uri = e.req === null ? '(no request)' : `${String(e.req['method'])} ${String(e.req['uri'])}`;
    const counts = (m: Rec | null, arrow: string): string[] => Object.entries(obj(m?.['tcpFindings']) ?? {}).map(([k, n]) => `${arrow} ${k} ${String(n)}`);
    const cell: Record<string, string> = {
      '#': String(first['index']),
      request: printable(uri.length > 3 * uriWidth ? `${uri.slice(0, 3 * uriWidth - 1)}…` : uri),
      status: r === null ? '-' : printable(`${String(r['status'])}${r['complete'] === true ? '' : ' (cut)'}`),
      ttfb: r === null ? '-' : msText(r['ttfbMs']),
      transfer: r === null ? '-' : msText(r['transferMs']),
      body: r === null ? '-' : `${bytesShort(Number(r['bodyLength'] ?? 0))}${r['bodyMissingBytes'] !== undefined ? ` (-${bytesShort(Number(r['bodyMissingBytes']))})` : ''}`,
      frames: `${String(first['firstFrame'])}–${String(last['lastFrame'])}`,
      'tcp findings in req / resp': [...counts(e.req, 'req'), ...counts(r, 'resp')].join(', ') || '-',
      sha256: r === null || typeof r['bodySha256'] !== 'string' ? '-' : r['bodySha256'].slice(0, 8),
    };
    t.push(cols.map((c) => cell[c.head] ?? ''));
  }
  out.push(t.toString());
  return out;
}
