/**
 * `tcpscope analyze FILE...|-`: capture summary and flows (text table or JSON report). Exit
 * status 2 only when no input could be read at all.
 */
import { analyzeCapture, type CaptureResult } from '../pipeline/analyze.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import { buildReport, isReadable, tallyFlowAnomalies } from '../report/report-json.js';
import { toFlowRow, type FlowRow } from '../report/flow-row.js';
import { writeReportJson } from '../report/json-writer.js';
import { renderSummaryText } from '../report/summary-text.js';
import { EXIT, type CliIo } from './io.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';

export interface AnalyzeArgs {
  files: readonly string[];
  format: 'text' | 'json';
  verifyChecksums: boolean;
  quiet: boolean;
  /** Flows listed per capture in the text report (default 20). */
  top?: number;
  /** Behaviour analysis options (estimator, RTO floor, stall threshold, two-pass). */
  behaviour?: BehaviourOptions;
}

export async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  if (args.files.filter((f) => f === '-').length > 1) {
    io.err("tcpscope: standard input ('-') can be named only once");
    return EXIT.USAGE;
  }
  const text = args.format !== 'json';
  // The text report keeps a terminal row per flow, not the flow's whole record (memory stays
  // near the flow table's own, whatever the number of flows).
  const rows: FlowRow[] = [];
  const tally = new Map<string, number>();
  const results: CaptureResult[] = [];
  for (const file of args.files) {
    const capture = results.length;
    const r = await analyzeCapture(file, {
      verifyChecksums: args.verifyChecksums,
      ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
      ...(args.behaviour !== undefined ? { behaviour: args.behaviour } : {}),
      ...(text
        ? {
            onFlowEnd: (f: FlowSummary) => {
              tallyFlowAnomalies(tally, f);
              rows.push(toFlowRow(f, capture));
            },
          }
        : {}),
    });
    results.push(r);
    for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
    if (r.info.cutShort && r.info.packets > 0) io.err(`tcpscope: ${file}: read cut short after ${r.info.packets} packets; the analysis covers those`);
  }
  if (text) {
    // Unreadable sources have no capture entry: rows carry the index among readable ones.
    const index = new Map<number, number>();
    results.forEach((r, i) => {
      if (isReadable(r)) index.set(i, index.size);
    });
    for (const row of rows) row.capture = index.get(row.capture) ?? -1;
    const report = buildReport(results, args.verifyChecksums, tally);
    const out = renderSummaryText({ ...report, flows: rows }, io.columns, { top: args.top ?? 20 });
    await new Promise<void>((resolve) => io.stdout.write(out, () => resolve()));
  } else {
    await writeReportJson(buildReport(results, args.verifyChecksums), io.stdout);
  }
  const anyRead = results.some((r) => r.info.format !== null && (r.info.packets > 0 || r.info.errors.length === 0));
  return anyRead ? EXIT.OK : EXIT.USAGE;
}
