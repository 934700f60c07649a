/**
 * `tcpscope analyze FILE...|-`: capture summary and flows as a terminal report, the JSON report,
 * NDJSON (a line per flow as flows finish, then a summary line) or CSV (a row per flow as flows
 * finish). Only the JSON report keeps every flow's record until the end; the other forms keep a
 * terminal row per flow (text) or nothing (NDJSON, CSV), so their memory does not grow with the
 * number of flows. Exit status 2 only when no input could be read at all.
 */
import { analyzeCapture, type CaptureResult } from '../pipeline/analyze.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import { buildReport, isReadable, tallyFlowAnomalies, type ReportJson } from '../report/report-json.js';
import type { SortOrder } from '../report/flow-sort.js';
import { palette, wantColor } from '../report/colors.js';
import { renderFlowDetail } from '../report/flow-detail-text.js';
import { flowFilter, type FlowFilterArgs } from './flow-filter.js';
import { compileFilter, type PacketPredicate } from '../filter/capture-filter.js';
import { UsageError } from '../core/errors.js';
import { PlotRecorder } from '../report/plot-recorder.js';
import { renderHtmlReport } from '../report/html/render.js';
import { ProgressBar } from './progress.js';
import type { CaptureInfo } from '../capture/frame.js';
import { toFlowRow, type FlowRow } from '../report/flow-row.js';
import { writeReportJson } from '../report/json-writer.js';
import { csvHeader, csvRow } from '../report/flow-csv.js';
import { fitLines, renderSummaryText } from '../report/summary-text.js';
import { EXIT, LineWriter, type CliIo } from './io.js';
import { writeFileSync } from 'node:fs';
import { CiGate, type CiOptions } from '../ci/gate.js';
import { renderJunit } from '../ci/junit.js';
import { DEFAULT_TOLERANCES } from '../ci/baseline.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';

export type AnalyzeFormat = 'text' | 'json' | 'ndjson' | 'csv' | 'junit';

export interface AnalyzeArgs {
  files: readonly string[];
  format: AnalyzeFormat;
  verifyChecksums: boolean;
  quiet: boolean;
  /** Flows listed per capture in the text report (default 20). */
  top?: number;
  /** Behaviour analysis options (estimator, RTO floor, stall threshold, two-pass). */
  behaviour?: BehaviourOptions;
  /** CI mode (rules, per-flow files, baseline), when any of its options was given. */
  ci?: CiOptions;
  /** Write the JUnit report here too. */
  junitFile?: string;
  /** Order of the text report's flows table (default interest). */
  sort?: SortOrder;
  /** Flow selection (--host, --port, --flow); with --flow the text report shows those flows in depth. */
  select?: FlowFilterArgs;
  /** Write the self-contained HTML report with graphs here (keeps every flow's record and plot series). */
  htmlFile?: string;
  /** Capture-style filter expression (filter/capture-filter.ts): only matching packets are analyzed. */
  filter?: string;
}

export async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  if (args.files.filter((f) => f === '-').length > 1) {
    io.err("tcpscope: standard input ('-') can be named only once");
    return EXIT.USAGE;
  }
  const format = args.format;
  const select = flowFilter(args.select ?? {});
  let packetFilter: PacketPredicate | undefined;
  try {
    packetFilter = args.filter !== undefined ? compileFilter(args.filter) : undefined;
  } catch (e) {
    throw new UsageError(`--filter '${args.filter}': ${(e as Error).message}`);
  }
  // `--flow N` in text form: those flows in depth, so their whole records are kept.
  const detail = format === 'text' && (args.select?.flow?.length ?? 0) > 0;
  const details: { f: FlowSummary; source: string }[] = [];
  const gate = args.ci !== undefined || format === 'junit' || args.junitFile !== undefined ? new CiGate(args.ci ?? NO_CI, args.files) : null;
  // Text keeps a terminal row per flow; NDJSON and CSV write each flow as it finishes.
  const rows: FlowRow[] = [];
  const tally = new Map<string, number>();
  const lines = format === 'ndjson' || format === 'csv' ? new LineWriter(io.stdout) : null;
  if (format === 'csv') lines!.line(csvHeader() + '\r');
  const results: CaptureResult[] = [];
  const plots = args.htmlFile !== undefined ? new PlotRecorder() : null;
  const progress = io.stderrIsTty && !args.quiet && io.errStream !== undefined ? new ProgressBar(io.errStream) : null;
  const keepFlows = format === 'json' || plots !== null;
  for (const [index, file] of args.files.entries()) {
    // Flows come only from readable captures: this one's index among them.
    const capture = results.filter(isReadable).length;
    const collected: FlowSummary[] = [];
    gate?.beginCapture(index, file);
    plots?.beginCapture(capture);
    progress?.begin(file);
    const onFlowEnd = (f: FlowSummary): void => {
      if (!select.test(f)) return;
      tallyFlowAnomalies(tally, f);
      if (detail) details.push({ f, source: file });
      gate?.onFlow(f);
      if (keepFlows) collected.push(f);
      if (format === 'text') rows.push(toFlowRow(f, capture));
      else if (format === 'ndjson') lines!.line(JSON.stringify({ type: 'flow', ...f, capture }));
      else if (format === 'csv') lines!.line(csvRow(f, capture) + '\r');
    };
    const r = await analyzeCapture(file, {
      verifyChecksums: args.verifyChecksums,
      ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
      ...(args.behaviour !== undefined || plots !== null || detail
        ? { behaviour: { ...args.behaviour, ...(plots !== null ? { onSegment: plots.onSegment } : {}), ...(detail ? { eventsPerCode: DETAIL_EVENTS } : {}) } }
        : {}),
      // In depth, every finding is listed (up to a bound that keeps memory in check).
      ...(detail ? { flowLimits: { maxAnomaliesPerFlow: DETAIL_EVENTS } } : {}),
      onFlowEnd,
      ...(packetFilter !== undefined ? { packetFilter } : {}),
      // Progress, and back-pressure: reading pauses while the output stream is full.
      ...(lines !== null || progress !== null
        ? {
            afterChunk: (info: CaptureInfo) => {
              progress?.update(info);
              return lines?.flush() ?? null;
            },
          }
        : {}),
    });
    progress?.stop();
    gate?.endCapture();
    // The JSON report lists the flows in id order.
    r.flows = collected.sort((a, b) => a.id - b.id);
    results.push(r);
    for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
    if (r.info.cutShort && r.info.packets > 0) io.err(`tcpscope: ${file}: read cut short after ${r.info.packets} packets; the analysis covers those`);
  }
  /** The selections in force, said in the report. */
  const decorate = (report: ReportJson): void => {
    if (select.text !== null) report.summary.flowFilter = select.text;
    if (args.filter !== undefined) report.summary.captureFilter = { expression: args.filter, tcpPacketsFilteredOut: results.reduce((n, r) => n + r.filteredOut, 0) };
  };
  const build = (streamed?: Map<string, number>): ReportJson => {
    const report = buildReport(results, args.verifyChecksums, streamed);
    decorate(report);
    return report;
  };
  if (detail) {
    const p = palette(wantColor(io.stdoutIsTty === true));
    const text = details
      .sort((a, b) => a.f.id - b.f.id)
      .map((d) => fitLines(renderFlowDetail(d.f, d.source, io.columns, p), io.columns))
      .join('\n');
    if (details.length === 0) io.err(`tcpscope: no flow matches ${select.text}`);
    await new Promise<void>((resolve) => io.stdout.write(text, () => resolve()));
  } else if (format === 'json') {
    await writeReportJson(build(), io.stdout);
  } else if (format === 'junit') {
    await new Promise<void>((resolve) => io.stdout.write(renderJunit(gate!.junitSuites()), () => resolve()));
  } else {
    const report = build(tally);
    if (format === 'text') {
      const out = renderSummaryText({ ...report, flows: rows }, io.columns, { top: args.top ?? 20, sort: args.sort ?? 'interest', palette: palette(wantColor(io.stdoutIsTty === true)) });
      await new Promise<void>((resolve) => io.stdout.write(out, () => resolve()));
    } else if (format === 'ndjson') {
      const { flows: _none, ...rest } = report;
      lines!.line(JSON.stringify({ type: 'summary', ...rest }));
    }
    if (lines !== null) {
      // A flush that had to wait leaves the lines queued meanwhile for the next one.
      for (let p = lines.flush(); p !== null; p = lines.flush()) await p;
      await new Promise<void>((resolve) => io.stdout.write('', () => resolve()));
    }
  }
  if (plots !== null) {
    const report = buildReport(results, args.verifyChecksums);
    decorate(report);
    writeFileSync(args.htmlFile!, renderHtmlReport(report, plots));
    if (!args.quiet) io.err(`tcpscope: HTML report written to ${args.htmlFile}`);
  }
  if (gate !== null) {
    if (args.junitFile !== undefined) writeFileSync(args.junitFile, renderJunit(gate.junitSuites()));
    if (args.ci !== undefined) for (const line of gate.report()) io.err(`tcpscope: ${line}`);
  }
  const anyRead = results.some((r) => r.info.format !== null && (r.info.packets > 0 || r.info.errors.length === 0));
  if (!anyRead || (detail && details.length === 0)) return EXIT.USAGE;
  return gate?.failed === true ? EXIT.FINDINGS : EXIT.OK;
}

/** Events listed per code and per flow in the `--flow N` view (all are counted regardless). */
const DETAIL_EVENTS = 10_000;

const NO_CI: CiOptions = { rules: [], perFlowDir: null, markdown: false, baselineDir: null, updateBaseline: false, tolerances: DEFAULT_TOLERANCES };
