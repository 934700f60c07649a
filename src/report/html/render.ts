/**
 * `renderHtmlReport`: the whole report as ONE self-contained HTML file that works offline —
 * uPlot's code and style, the page's script and style, and the data are all inlined; nothing is
 * fetched (the Content-Security-Policy forbids it: `default-src 'none'`).
 *
 * Layers of protection against capture content (file names, diagnosis text, anomaly details):
 * static text and attributes are escaped (escape.ts), the data travels as JSON in a
 * `<script type="application/json">` block with `<` escaped, the page script builds elements
 * with textContent only, and the CSP allows exactly the page's two scripts by hash, so even a
 * markup injection could not run an inline handler or an injected script.
 */
import { createHash } from 'node:crypto';
import { SEG } from '../../analysis/seg-flags.js';
import type { FlowJson, ReportJson } from '../report-json.js';
import { wireBytes } from '../flow-row.js';
import { flowPlotJson, type FlowPlotJson } from '../plot-data.js';
import type { PlotRecorder } from '../plot-recorder.js';
import { plotLibrary } from './assets.js';
import { escapeHtml as h, inlineScript, jsonForScript } from './escape.js';
import { PAGE_APP } from './page-script.js';
import { PAGE_PLOTS } from './page-plots.js';
import { PAGE_CSS } from './page-style.js';
import { HTTP_ROW_COLUMNS, appView, flowSection, overviewTable, type AppView } from './sections.js';

export interface HtmlReportOptions {
  /** Page title (default: the capture file names). */
  title?: string;
  /** Flows given a section with graphs (default 500): those with findings first, then the busiest; the rest are in the overview only, and the page says so. */
  maxFlowSections?: number;
  /** Rows of the overview table (default 10,000), in report order. */
  maxOverviewRows?: number;
}

/** What the page script reads (the data block). */
interface PageData {
  seg: typeof SEG;
  flows: { key: string; dataDir: 0 | 1; anomalies: FlowJson['anomalies']; plot: FlowPlotJson | null; app: AppView | null }[];
}

function findings(f: FlowJson): number {
  const z = f.zeroWindow;
  return f.retransmissions.c2s + f.retransmissions.s2c + (z === undefined ? 0 : z.client.stalls + z.server.stalls);
}

/** The flows that get a section, in report order. */
function pickSections(flows: readonly FlowJson[], max: number): Set<FlowJson> {
  if (flows.length <= max) return new Set(flows);
  const ranked = [...flows].sort((a, b) =>
    Number(findings(b) > 0) - Number(findings(a) > 0) || b.packets.c2s + b.packets.s2c - (a.packets.c2s + a.packets.s2c) || a.id - b.id);
  return new Set(ranked.slice(0, max));
}

/** The direction shown first: the one that carried more stream bytes on the wire (more packets on a tie). */
function dataDir(f: FlowJson): 0 | 1 {
  const c2s = wireBytes(f, 'c2s');
  const s2c = wireBytes(f, 's2c');
  if (c2s !== s2c) return c2s > s2c ? 0 : 1;
  return f.packets.s2c > f.packets.c2s ? 1 : 0;
}

function sha256(s: string): string {
  return `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
}

function header(report: ReportJson, title: string, lib: string, plotsNote: string): string {
  const caps = report.captures.map((c) => `<li>${h(c.source)} — ${h(c.format)}, ${c.packets} packets, ${c.durationS === null ? 'no packets' : `${c.durationS.toFixed(3)} s`}, ${c.flows} TCP flows</li>`);
  const errs = report.inputErrors.map((e) => `<li>${h(e.source)}: ${h(e.message)}</li>`);
  return [
    '<header>',
    `<h1>${h(title)}</h1>`,
    `<ul class="captures">${caps.join('')}${errs.join('')}</ul>`,
    `<p>${h(`${report.tool.name} ${report.tool.version}, graphs by uPlot ${lib}. ${plotsNote}`)}</p>`,
    '</header>',
  ].join('\n');
}

/**
 * The HTML report of `report`, with graphs from `plots` (the recorder that watched the same
 * analysis; null for a report without graphs). Returns the whole file as one string.
 */
export function renderHtmlReport(report: ReportJson, plots: PlotRecorder | null, opts: HtmlReportOptions = {}): string {
  const lib = plotLibrary();
  const title = opts.title ?? `tcpscope report: ${report.captures.map((c) => c.source).join(', ') || 'no capture'}`;
  const multi = report.captures.length > 1;
  const withSection = pickSections(report.flows, opts.maxFlowSections ?? 500);
  const maxRows = opts.maxOverviewRows ?? 10_000;
  const data: PageData = { seg: SEG, flows: [] };
  const sections: string[] = [];
  let capped = 0;
  for (const f of report.flows) {
    if (!withSection.has(f)) continue;
    const rec = plots?.flow(f.capture, f.id);
    const plot = rec === undefined ? null : flowPlotJson(rec);
    if (plot !== null && plot.stopFrame !== null) capped++;
    data.flows.push({ key: `${f.capture}:${f.id}`, dataDir: dataDir(f), anomalies: f.anomalies, plot, app: appView(f) });
    sections.push(flowSection(f, plot, multi, plots !== null));
  }
  const notes: string[] = [];
  if (plots === null) notes.push('No graphs were recorded.');
  else notes.push(`Point cap ${plots.maxPoints.toLocaleString('en-US')}: ${capped === 0 ? 'every packet is plotted' : `reached, ${capped} flow(s) plotted only in part (each says where its graphs stop)`}.`);
  if (withSection.size < report.flows.length) notes.push(`${withSection.size} of ${report.flows.length} flows have a section with graphs (those with findings first, then the busiest).`);
  if (report.flows.length > maxRows) notes.push(`The table lists the first ${maxRows} of ${report.flows.length} flows.`);
  const appJs = inlineScript(`(function () {\n'use strict';\nvar DATA = JSON.parse(document.getElementById('tcpscope-data').textContent);\nvar HTTP_COLUMNS = ${JSON.stringify(HTTP_ROW_COLUMNS)};\n${PAGE_APP}\n${PAGE_PLOTS}\nmain();\n})();\n`);
  const libJs = inlineScript(lib.js);
  const csp = `default-src 'none'; script-src ${sha256(libJs)} ${sha256(appJs)}; style-src 'unsafe-inline'; img-src data:`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${lib.css}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head><body>',
    header(report, title, lib.version, notes.join(' ')),
    '<section id="overview"><h2>Flows</h2>',
    report.flows.length === 0 ? '<p>No TCP flows.</p>' : overviewTable(report.flows.slice(0, maxRows), withSection, multi),
    '</section>',
    ...sections,
    `<script type="application/json" id="tcpscope-data">${jsonForScript(data)}</script>`,
    `<script>${libJs}</script>`,
    `<script>${appJs}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
