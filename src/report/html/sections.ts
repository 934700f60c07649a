/**
 * Server-side HTML of the report's static parts: the flows overview table and each flow's
 * section skeleton (heading, diagnosis headline, facts, point-cap note, the controls and empty
 * containers the page script fills). Every value from the report goes through `escapeHtml`;
 * numbers are formatted here, never interpolated raw from strings.
 */
import type { FlowJson } from '../report-json.js';
import { toFlowRow, wireBytes, type FlowRow } from '../flow-row.js';
import { endpointText } from '../flows-text.js';
import type { FlowPlotJson } from '../plot-data.js';
import { escapeHtml as h } from './escape.js';
import { appSections, httpExchanges } from '../app-text.js';

/**
 * What the page script needs to draw a flow's application layer (data, never markup: capture
 * text such as URIs reaches the page only through textContent). HTTP: one row per exchange.
 */
export interface AppView {
  http: {
    requests: number;
    responses: number;
    notListed: number;
    tunnel: string | null;
    rows: (string | number | null)[][];
  } | null;
  /** Other protocols' one-line labels. */
  labels: [string, string][];
}

/** Columns of `AppView.http.rows` (the page's table head). */
export const HTTP_ROW_COLUMNS = ['#', 'method', 'uri', 'status', 'frames', 'ttfb ms', 'transfer ms', 'body bytes', 'body sha256', 'tcp findings'] as const;

function tcpText(m: Record<string, unknown> | null, who: string): string[] {
  const t = m?.['tcpFindings'];
  if (t === null || typeof t !== 'object') return [];
  return Object.entries(t as Record<string, number>).map(([k, n]) => `${who} ${k} ${n}`);
}

/** The page data for a flow's `app` section, or null when it has none. */
export function appView(f: FlowJson): AppView | null {
  const sections = appSections(f);
  if (sections.length === 0) return null;
  const view: AppView = { http: null, labels: [] };
  for (const [name, s] of sections) {
    if (name !== 'http') {
      view.labels.push([name, typeof s['label'] === 'string' ? s['label'] : '']);
      continue;
    }
    const t = s['tunnel'] as { reason?: string; protocol?: string | null; frame?: number } | null;
    view.http = {
      requests: Number(s['requests'] ?? 0),
      responses: Number(s['responses'] ?? 0),
      notListed: Number(s['messagesNotListed'] ?? 0),
      tunnel: t === null || t === undefined ? null : `parsing stopped at frame ${t.frame}: ${t.reason}${t.protocol ? ` (${t.protocol})` : ''}`,
      rows: httpExchanges(s).map(({ req, resp }) => {
        const first = req ?? resp!;
        const last = resp ?? req!;
        const missing = resp?.['bodyMissingBytes'];
        return [
          Number(first['index']),
          req === null ? null : String(req['method']),
          req === null ? null : String(req['uri']),
          resp === null ? null : `${String(resp['status'])}${resp['complete'] === true ? '' : ' (incomplete)'}`,
          `${String(first['firstFrame'])}–${String(last['lastFrame'])}`,
          resp === null ? null : (resp['ttfbMs'] as number | null),
          resp === null ? null : (resp['transferMs'] as number | null),
          resp === null ? null : `${String(resp['bodyLength'])}${missing !== undefined ? ` (${String(missing)} missing)` : ''}`,
          resp === null ? null : (resp['bodySha256'] as string | null),
          [...tcpText(req, 'req'), ...tcpText(resp, 'resp')].join(', '),
        ];
      }),
    };
  }
  return view;
}

/** The overview's application cell: protocol names and counts (no capture text). */
function appCell(j: FlowJson): string {
  return appSections(j)
    .map(([name, s]) => (name === 'http' ? `http ${Number(s['requests'] ?? 0)} req / ${Number(s['responses'] ?? 0)} resp` : name))
    .join(', ');
}

/** DOM id of a flow's section (`#flow-<capture>-<id>`). */
export function flowAnchor(capture: number, id: number): string {
  return `flow-${capture}-${id}`;
}

function bytesText(n: number): string {
  if (n < 10_000) return `${n} B`;
  if (n < 10_000_000) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

function durationText(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 600) return `${s.toFixed(2)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

/** The smoothed RTT of the direction that carried more data, else the handshake RTT (as the terminal table). */
function rttText(f: FlowRow): string {
  const more = wireBytes(f, 'c2s') >= wireBytes(f, 's2c') ? f.srttMs.c2s : f.srttMs.s2c;
  const v = more ?? f.srttMs.c2s ?? f.srttMs.s2c ?? f.handshakeRttMs;
  return v === null ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

/** Stream bytes seen on the wire (as the terminal table), with how many the snap length cut. */
function wireBytesText(f: FlowRow, dir: 'c2s' | 's2c'): string {
  const cut = f.truncatedBytes[dir];
  return bytesText(wireBytes(f, dir)) + (cut > 0 ? ` (${bytesText(cut)} cut by the snap length)` : '');
}

function zeroWindowText(f: FlowRow): string {
  const z = f.zeroWindow;
  if (z === undefined) return '–';
  const stalls = z.client.stalls + z.server.stalls;
  return stalls === 0 ? '0' : `${stalls} (${((z.client.stallMs + z.server.stallMs) / 1000).toFixed(2)} s)`;
}

function closeText(f: FlowRow): string {
  if (f.close.kind === 'none') return f.end === 'capture-end' ? 'open' : `open (${f.end})`;
  return f.close.by === null ? f.close.kind : `${f.close.kind} by ${f.close.by}`;
}

/** The overview table: one row per flow, its id linking to the flow's section when it has one. */
export function overviewTable(flows: readonly FlowJson[], withSection: ReadonlySet<FlowJson>, multiCapture: boolean): string {
  const head = ['flow', 'client → server', 'packets c2s/s2c', 'bytes c2s/s2c', 'duration', 'retrans. c2s/s2c', 'RTT', 'zero-window stalls', 'close', 'app', 'diagnosis'];
  const rows = flows.map((j) => {
    const f = toFlowRow(j, j.capture);
    const label = multiCapture ? `${f.capture}:${f.id}` : String(f.id);
    const id = withSection.has(j) ? `<a href="#${flowAnchor(f.capture, f.id)}">${h(label)}</a>` : h(label);
    const cells = [
      id,
      `${h(endpointText(f.client))} → ${h(endpointText(f.server))}`,
      `${f.packets.c2s} / ${f.packets.s2c}`,
      `${h(wireBytesText(f, 'c2s'))} / ${h(wireBytesText(f, 's2c'))}`,
      h(durationText(Math.max(0, f.lastTs - f.firstTs))),
      `${f.retransmissions.c2s} / ${f.retransmissions.s2c}`,
      h(rttText(f)),
      h(zeroWindowText(f)),
      h(closeText(f)),
      h(appCell(j)),
      h(f.headline ?? ''),
    ];
    const cls = f.retransmissions.c2s + f.retransmissions.s2c > 0 || zeroWindowText(f) !== '0' ? ' class="finding"' : '';
    return `<tr${cls}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="flows"><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Why a flow's graphs are incomplete or missing, in words. */
function plotNote(j: FlowJson, plot: FlowPlotJson | null, recorded: boolean): string {
  if (!recorded) return '';
  if (plot === null) return `<p class="note">No graphs for flow ${j.id}: none of its packets was recorded (point cap reached before its first packet).</p>`;
  const notes: string[] = [];
  if (plot.stopFrame !== null) {
    notes.push(`The graphs of flow ${j.id} stop at frame ${plot.stopFrame}: point cap reached (${plot.rows} of ${plot.total} packets plotted; raise the cap to see the rest).`);
  }
  if (plot.scale[0] === null || plot.scale[1] === null) notes.push('Handshake not captured: window scale unknown, windows are plotted raw (unscaled).');
  return notes.map((n) => `<p class="note">${h(n)}</p>`).join('');
}

/** One flow's section: heading, headline, facts, notes, controls and the containers the script fills (`recorded`: graphs were recorded at all). */
export function flowSection(j: FlowJson, plot: FlowPlotJson | null, multiCapture: boolean, recorded: boolean): string {
  const f = toFlowRow(j, j.capture);
  const anchor = flowAnchor(f.capture, f.id);
  const title = `Flow ${multiCapture ? `${f.capture}:` : ''}${f.id}: ${endpointText(f.client)} → ${endpointText(f.server)}`;
  const facts = [
    `packets ${f.packets.c2s} / ${f.packets.s2c}`,
    `bytes ${wireBytesText(f, 'c2s')} / ${wireBytesText(f, 's2c')}`,
    `duration ${durationText(Math.max(0, f.lastTs - f.firstTs))}`,
    `retransmissions ${f.retransmissions.c2s} / ${f.retransmissions.s2c}`,
    `RTT ${rttText(f)}`,
    `zero-window stalls ${zeroWindowText(f)}`,
    `close ${closeText(f)}`,
    `state ${f.state.connState} ${f.state.history}`,
  ].join(' · ');
  const controls = plot === null ? '' : [
    '<div class="controls">',
    `<label>data direction <select class="dir"><option value="0">c2s (client → server)</option><option value="1">s2c (server → client)</option></select></label>`,
    '<button type="button" class="reset">reset zoom</button>',
    '<span class="hint">drag: zoom · double-click: reset · Ctrl/Alt + wheel: zoom · Shift + drag: pan · click a legend entry to hide it</span>',
    '</div>',
  ].join('');
  const nEvents = j.anomalies.length;
  const total = Object.values(j.anomalyCounts).reduce((a, b) => a + b, 0);
  return [
    `<section class="flow" id="${anchor}" data-key="${f.capture}:${f.id}">`,
    `<h2>${h(title)} <a class="top" href="#overview">↑ flows</a></h2>`,
    f.headline !== null ? `<p class="headline">${h(f.headline)}</p>` : '',
    `<p class="facts">${h(facts)}</p>`,
    plotNote(j, plot, recorded),
    controls,
    `<div class="plots" id="plots-${f.capture}-${f.id}"></div>`,
    appSections(j).length > 0 ? '<div class="app"></div>' : '',
    nEvents > 0 ? `<details class="events"><summary>${h(`Events: ${total} (first ${nEvents} listed)`)}</summary></details>` : '',
    '</section>',
  ].join('\n');
}
