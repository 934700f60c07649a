/**
 * Terminal rendering of the capture summary (cli-table3). Renders only report records.
 */
import Table from 'cli-table3';
import { stripVTControlCharacters } from 'node:util';
import wrapAnsi from 'wrap-ansi';
import { renderFlowsTable } from './flows-text.js';
import type { FlowRow } from './flow-row.js';
import type { SortOrder } from './flow-sort.js';
import { TextFlows } from './text-flows.js';
import { palette, type Palette } from './colors.js';
import type { CaptureJson, ReportJson } from './report-json.js';

/** What the text report renders: the report with each flow's terminal row instead of its record. */
/** The report with its flows as terminal rows: all of them, or what `TextFlows` kept of them (same output). */
export type TextReport = Omit<ReportJson, 'flows'> & { flows: readonly FlowRow[] | TextFlows };

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]} (${n} B)`;
}

function fmtTime(ns: string | null): string {
  if (ns === null) return '-';
  const [s, frac] = ns.split('.');
  const d = new Date(Number(s) * 1000);
  return Number.isFinite(d.getTime()) ? `${d.toISOString().slice(0, 19).replace('T', ' ')}.${frac ?? ''} UTC` : ns;
}

/** Table borders without a separator line between rows. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function captureRows(c: CaptureJson): [string, string][] {
  const rows: [string, string][] = [
    ['format', `${c.format}${c.compression ? ` (${c.compression})` : ''}${c.format === 'pcapng' ? `, ${c.sections} section(s), ${c.interfaces} interface(s)` : ''}`],
    ['link types', c.linkTypes.join(', ') || '-'],
    ['packets', String(c.packets)],
    ['bytes captured', fmtBytes(c.bytes)],
    ['first packet', fmtTime(c.firstTsNs)],
    ['last packet', fmtTime(c.lastTsNs)],
    ['duration', c.durationS === null ? '-' : `${c.durationS.toFixed(6)} s`],
    ['IPv4 / IPv6', `${c.ipv4} / ${c.ipv6}`],
    ['TCP / UDP / ICMP', `${c.tcp} / ${c.udp} / ${c.icmp}`],
    ['other IP / non-IP', `${c.otherIp} / ${c.nonIp}`],
    ['TCP flows', `${c.flows} (four-tuples: ${c.tcpConversations})`],
    ['IP fragments', `${c.fragments} (datagrams reassembled: ${c.fragmentsReassembled}, incomplete: ${c.fragmentsIncomplete})`],
    ['undecodable', `${c.undecodable}${formatReasons(c.undecodableReasons)}`],
    ['truncated (snaplen)', String(c.truncated)],
    ['dropped', c.dropped === null ? 'unknown' : String(c.dropped)],
  ];
  if (c.checksums !== null) rows.push(['checksums', `bad ${c.checksums.bad}, good ${c.checksums.good}, unverified ${c.checksums.unverified}`]);
  if (c.outOfOrderTimestamps > 0) rows.push(['timestamps out of order', String(c.outOfOrderTimestamps)]);
  if (c.internalErrors > 0) {
    const first = c.internalErrorSamples[0];
    rows.push(['INTERNAL ERRORS', `${c.internalErrors} frame(s) could not be analyzed (a tcpscope bug; please report)${first ? `: frame ${first.frame}: ${first.message}` : ''}`]);
  }
  if (c.cutShort) rows.push(['read', 'CUT SHORT: the file ends in a fault (see errors)']);
  return rows;
}

function formatReasons(r: Record<string, number>): string {
  const parts = Object.entries(r).map(([k, v]) => `${k} ${v}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Options of the text report. */
export interface SummaryTextOptions {
  /** Flows listed per capture (default 20). */
  top?: number;
  /** Order of the flows table (default `interest`). */
  sort?: SortOrder;
  /** Colours (default none). */
  palette?: Palette;
}

/** The text report: per capture its summary table, flows table, verdicts and findings, then errors. */
export function renderSummaryText(report: TextReport, columns: number, opts: SummaryTextOptions = {}): string {
  const out: string[] = [];
  const p = opts.palette ?? palette(false);
  const top = opts.top ?? 20;
  let kept = report.flows;
  if (!(kept instanceof TextFlows)) {
    const all = new TextFlows(top, opts.sort ?? 'interest');
    for (const r of kept) all.add(r);
    kept = all;
  }
  for (const [i, c] of report.captures.entries()) {
    const valueWidth = Math.max(30, Math.min(columns, 120) - 30);
    const t = new Table({ head: ['capture', breakPath(c.source, valueWidth - 2)], wordWrap: true, colWidths: [26, valueWidth], style: { head: [], border: [] }, chars: COMPACT });
    for (const row of captureRows(c)) t.push(row);
    out.push(t.toString());
    const { shown, total, findings } = kept.capture(i);
    const flows = renderFlowsTable(shown, top, columns, p, total);
    if (flows !== '') out.push(flows);
    out.push(...findings.render(p));
    for (const f of report.summary.predictableIsn.filter((x) => x.capture === i)) {
      out.push(`predictable_isn: ${f.host} chose ${f.samples} initial sequence numbers with a ${f.pattern} pattern (${Object.entries(f.detail).map(([k, v]) => `${k} ${v}`).join(', ')}): RFC 6528 asks for unpredictable ones`);
    }
    for (const e of c.errors) out.push(`error: ${e.message}`);
  }
  for (const e of report.inputErrors) out.push(`error: ${e.message}`);
  if (report.captures.length > 1) {
    const s = report.summary;
    out.push(`total: ${s.packets} packets, ${s.tcpPackets} TCP, ${s.flows} TCP flows in ${report.captures.length} captures`);
  }
  return fitLines(out.join('\n'), columns) + '\n';
}

/**
 * A capture's path on lines of at most `width` characters, broken after a `/` where one falls on
 * the line (cli-table3 would cut a path longer than its cell with `…`, and the end of a path, the
 * file's name, is what tells captures apart).
 */
export function breakPath(path: string, width: number): string {
  const lines: string[] = [];
  let rest = path;
  while (rest.length > width) {
    const slash = rest.lastIndexOf('/', width - 1);
    const cut = slash > 0 ? slash + 1 : width;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  lines.push(rest);
  return lines.join('\n');
}

/** Box-drawing table lines are already as wide as the terminal allows. */
const TABLE_LINE = /^[┌├└│]/;

/**
 * Free-text lines (verdicts, findings, errors) wrapped to the terminal width, continuation lines
 * indented under the line's text (ANSI colours kept intact by wrap-ansi).
 */
export function fitLines(text: string, columns: number): string {
  const width = Math.max(40, columns);
  return text
    .split('\n')
    .map((line) => {
      if (TABLE_LINE.test(line) || [...stripVTControlCharacters(line)].length <= width) return line;
      const lead = /^ */.exec(line)?.[0] ?? '';
      const indent = ' '.repeat(Math.min(12, lead.length + 4));
      const wrapped = wrapAnsi(line.slice(lead.length), width - indent.length, { hard: true }).split('\n');
      return wrapped.map((l, i) => (i === 0 ? lead : indent) + l).join('\n');
    })
    .join('\n');
}
