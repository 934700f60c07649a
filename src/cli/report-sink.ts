/**
 * Where analyzed flows go, for every output form of `tcpscope analyze` (and, later, `live`):
 * the terminal rows, NDJSON/CSV lines (streamed with back-pressure), the JSON report's flow texts,
 * the `--flow N` detail view, the HTML report's plot series, and CI mode's verdicts — then, at the
 * end, the report itself and the exit status. One owner for "what happens to a finished flow",
 * independent of where the packets came from.
 */
import type { AnalyzeOptions, CaptureResult } from '../pipeline/analyze.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import { buildReport, isReadable, tallyFlowAnomalies, type FlowJson, type ReportJson } from '../report/report-json.js';
import type { SortOrder } from '../report/flow-sort.js';
import { palette, wantColor } from '../report/colors.js';
import { renderFlowDetail } from '../report/flow-detail-text.js';
import type { FlowFilter } from './flow-filter.js';
import { PlotRecorder } from '../report/plot-recorder.js';
import { renderHtmlReport } from '../report/html/render.js';
import { ProgressBar } from './progress.js';
import type { CaptureInfo } from '../capture/frame.js';
import { toFlowRow } from '../report/flow-row.js';
import { TextFlows } from '../report/text-flows.js';
import { flowJsonText, writeReportJson } from '../report/json-writer.js';
import { FlowTextSpool } from '../report/flow-spool.js';
import { ndjsonFlowLine } from '../report/flow-json-text.js';
import { csvHeader, csvRow } from '../report/flow-csv.js';
import { fitLines, renderSummaryText } from '../report/summary-text.js';
import { EXIT, LineWriter, type CliIo } from './io.js';
import { writeFileSync } from 'node:fs';
import { CiGate, type CiOptions } from '../ci/gate.js';
import { renderJunit } from '../ci/junit.js';
import { DEFAULT_TOLERANCES } from '../ci/baseline.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';

export type AnalyzeFormat = 'text' | 'json' | 'ndjson' | 'csv' | 'junit';

export interface ReportSinkOptions {
  /** The inputs, in order (CI mode names per-flow directories after them). */
  sources: readonly string[];
  format: AnalyzeFormat;
  verifyChecksums: boolean;
  quiet: boolean;
  /** Flows listed per capture in the text report (default 20). */
  top?: number;
  /** Order of the text report's flows table (default interest). */
  sort?: SortOrder;
  /** Which flows are shown, written and counted; with flow ids in text form, the detail view. */
  select: FlowFilter;
  /** `--flow` ids were given. */
  byFlowId: boolean;
  /** The capture filter expression in force (said in the report). */
  filterExpr?: string;
  /** Behaviour analysis options from the command line. */
  behaviour?: BehaviourOptions;
  ci?: CiOptions;
  junitFile?: string;
  htmlFile?: string;
  /** Show a progress bar on a terminal (default true; a live capture has no size to progress through). */
  progress?: boolean;
  /** NDJSON/CSV characters queued at most while stdout pushes back (live capture: it cannot pause); the rest dropped and counted. */
  maxQueuedOutput?: number;
}

/** Events listed per code and per flow in the `--flow N` view (all are counted regardless). */
const DETAIL_EVENTS = 10_000;

const NO_CI: CiOptions = { rules: [], perFlowDir: null, markdown: false, baselineDir: null, updateBaseline: false, tolerances: DEFAULT_TOLERANCES };

export class ReportSink {
  private readonly format: AnalyzeFormat;
  /** `--flow N` in text form: those flows in depth, so their whole records are kept. */
  private readonly detail: boolean;
  private readonly details: { f: FlowSummary; source: string }[] = [];
  private readonly gate: CiGate | null;
  /** Text keeps the rows its report shows (text-flows.ts: the first `top` per capture, the findings summary), not one per flow; NDJSON and CSV write each flow as it finishes. */
  private readonly rows: TextFlows;
  private readonly tally = new Map<string, number>();
  private readonly lines: LineWriter | null;
  private readonly plots: PlotRecorder | null;
  private readonly progress: ProgressBar | null;
  /** The HTML report (and JSON with it) keeps every flow's record; JSON alone keeps each flow's text in `spool`. */
  private readonly keepFlows: boolean;
  private readonly spool: FlowTextSpool | null;
  private collected: FlowSummary[] = [];
  private source = '';
  private capture = 0;

  constructor(
    private readonly o: ReportSinkOptions,
    private readonly io: CliIo,
  ) {
    this.format = o.format;
    this.detail = o.format === 'text' && o.byFlowId;
    this.gate = o.ci !== undefined || o.format === 'junit' || o.junitFile !== undefined ? new CiGate(o.ci ?? NO_CI, o.sources) : null;
    this.lines = o.format === 'ndjson' || o.format === 'csv' ? new LineWriter(io.stdout) : null;
    if (o.format === 'csv') this.lines!.line(csvHeader() + '\r');
    if (this.lines !== null && o.maxQueuedOutput !== undefined) this.lines.maxQueued = o.maxQueuedOutput;
    this.plots = o.htmlFile !== undefined ? new PlotRecorder() : null;
    this.progress = (o.progress ?? true) && io.stderrIsTty && !o.quiet && io.errStream !== undefined ? new ProgressBar(io.errStream) : null;
    this.rows = new TextFlows(o.top ?? 20, o.sort ?? 'interest');
    this.keepFlows = this.plots !== null;
    this.spool = o.format === 'json' && !this.keepFlows ? new FlowTextSpool() : null;
  }

  /** What the pipeline needs from the sink for one input (flow hook, behaviour options, progress and back-pressure). */
  pipelineOptions(): Pick<AnalyzeOptions, 'behaviour' | 'flowLimits' | 'onFlowEnd' | 'afterChunk' | 'flowView'> {
    const plots = this.plots;
    const out: Pick<AnalyzeOptions, 'behaviour' | 'flowLimits' | 'onFlowEnd' | 'afterChunk' | 'flowView'> = { onFlowEnd: this.onFlowEnd };
    // What the output reads of each flow, where that is not the whole record (CI mode, --flow and
    // the HTML report read it all): a sharded analysis then copies less between threads.
    if (this.gate === null && plots === null && !this.detail) {
      if (this.format === 'text') out.flowView = 'row';
      else if (this.format === 'json') out.flowView = 'json';
      else if (this.format === 'ndjson') out.flowView = 'ndjson';
    }
    if (this.o.behaviour !== undefined || plots !== null || this.detail) {
      out.behaviour = { ...this.o.behaviour, ...(plots !== null ? { onSegment: plots.onSegment } : {}), ...(this.detail ? { eventsPerCode: DETAIL_EVENTS } : {}) };
    }
    // In depth, every finding is listed (up to a bound that keeps memory in check).
    if (this.detail) out.flowLimits = { maxAnomaliesPerFlow: DETAIL_EVENTS };
    const lines = this.lines;
    const progress = this.progress;
    // Progress, and back-pressure: reading pauses while the output stream is full.
    if (lines !== null || progress !== null) {
      out.afterChunk = (info: CaptureInfo) => {
        progress?.update(info);
        return lines?.flush() ?? null;
      };
    }
    return out;
  }

  /** Input `index` (command-line position) starts; `results` are the inputs done so far. */
  beginCapture(index: number, source: string, results: readonly CaptureResult[]): void {
    this.source = source;
    // Flows come only from readable captures: this one's index among them.
    this.capture = results.filter(isReadable).length;
    this.collected = [];
    this.gate?.beginCapture(index, source);
    this.plots?.beginCapture(this.capture);
    this.progress?.begin(source);
  }

  private readonly onFlowEnd = (f: FlowSummary): void => {
    if (!this.o.select.test(f)) return;
    const capture = this.capture;
    tallyFlowAnomalies(this.tally, f);
    if (this.detail) this.details.push({ f, source: this.source });
    this.gate?.onFlow(f);
    if (this.keepFlows) this.collected.push(f);
    else if (this.spool !== null) {
      // The record as the report lists it (buildReport adds `capture` the same way, as the last key).
      (f as FlowJson).capture = capture;
      this.spool.add(capture, f.id, flowJsonText(f as FlowJson));
    }
    if (this.format === 'text') this.rows.add(toFlowRow(f, capture));
    else if (this.format === 'ndjson') this.lines!.line(ndjsonFlowLine(f, capture));
    else if (this.format === 'csv') this.lines!.line(csvRow(f, capture) + '\r');
  };

  /**
   * An extra NDJSON line among the flow lines (live capture's event and stats lines); false, and
   * nothing written, when the output is not NDJSON.
   */
  extraLine(obj: Readonly<Record<string, unknown>>): boolean {
    if (this.format !== 'ndjson') return false;
    void this.lines!.line(JSON.stringify(obj));
    return true;
  }

  /** Hand the queued NDJSON/CSV lines to stdout now (live capture, about once a second). */
  flushLines(): void {
    void this.lines?.flush();
  }

  /** NDJSON/CSV lines dropped because stdout did not keep up (`maxQueuedOutput`). */
  get droppedLines(): number {
    return this.lines?.dropped ?? 0;
  }

  /** The input is done: its errors on stderr; the flows kept for the JSON report, in id order. */
  endCapture(r: CaptureResult): void {
    this.progress?.stop();
    this.gate?.endCapture();
    r.flows = this.collected.sort((a, b) => a.id - b.id);
    this.collected = [];
    const io = this.io;
    for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
    if (r.info.cutShort && r.info.packets > 0) io.err(`tcpscope: ${this.source}: read cut short after ${r.info.packets} packets; the analysis covers those`);
  }

  private report(results: readonly CaptureResult[], streamed?: Map<string, number>): ReportJson {
    const report = buildReport(results, this.o.verifyChecksums, streamed);
    // The selections in force, said in the report.
    if (this.o.select.text !== null) report.summary.flowFilter = this.o.select.text;
    if (this.o.filterExpr !== undefined) report.summary.captureFilter = { expression: this.o.filterExpr, tcpPacketsFilteredOut: results.reduce((n, r) => n + r.filteredOut, 0) };
    return report;
  }

  /** Writes the report in the chosen form (and the HTML / JUnit files); resolves to the exit status. */
  async finish(results: readonly CaptureResult[]): Promise<number> {
    const io = this.io;
    // The summary line is never dropped: from here on the output is waited for.
    if (this.lines !== null) this.lines.maxQueued = Infinity;
    const write = (text: string): Promise<void> => new Promise<void>((resolve) => io.stdout.write(text, () => resolve()));
    /** The report with every kept flow, built once for the JSON and HTML reports. */
    let full: ReportJson | null = null;
    if (this.detail) {
      const p = palette(wantColor(io.stdoutIsTty === true));
      if (this.details.length === 0) io.err(`tcpscope: no flow matches ${this.o.select.text}`);
      await write(
        this.details
          .sort((a, b) => a.f.id - b.f.id)
          .map((d) => fitLines(renderFlowDetail(d.f, d.source, io.columns, p), io.columns))
          .join('\n'),
      );
    } else if (this.format === 'json') {
      const spool = this.spool;
      if (spool !== null) {
        if (spool.fallback !== null) io.err(`tcpscope: note: ${spool.fallback}; the JSON report's flows were kept in memory`);
        try {
          await writeReportJson(this.report(results, this.tally), io.stdout, spool);
        } finally {
          spool.close();
        }
      } else {
        full = this.report(results);
        await writeReportJson(full, io.stdout);
      }
    } else if (this.format === 'junit') {
      await write(renderJunit(this.gate!.junitSuites()));
    } else {
      const report = this.report(results, this.tally);
      if (this.format === 'text') {
        const pal = palette(wantColor(io.stdoutIsTty === true));
        await write(renderSummaryText({ ...report, flows: this.rows }, io.columns, { top: this.o.top ?? 20, sort: this.o.sort ?? 'interest', palette: pal }));
      } else if (this.format === 'ndjson') {
        const { flows: _none, ...rest } = report;
        this.lines!.line(JSON.stringify({ type: 'summary', ...rest }));
      }
      const lines = this.lines;
      if (lines !== null) {
        // A flush that had to wait leaves the lines queued meanwhile for the next one.
        for (let p = lines.flush(); p !== null; p = lines.flush()) await p;
        await write('');
      }
    }
    if (this.plots !== null) {
      writeFileSync(this.o.htmlFile!, renderHtmlReport(full ?? this.report(results), this.plots));
      if (!this.o.quiet) io.err(`tcpscope: HTML report written to ${this.o.htmlFile}`);
    }
    const gate = this.gate;
    if (gate !== null) {
      if (this.o.junitFile !== undefined) writeFileSync(this.o.junitFile, renderJunit(gate.junitSuites()));
      if (this.o.ci !== undefined) for (const line of gate.report()) io.err(`tcpscope: ${line}`);
    }
    const anyRead = results.some((r) => r.info.format !== null && (r.info.packets > 0 || r.info.errors.length === 0));
    if (!anyRead || (this.detail && this.details.length === 0)) return EXIT.USAGE;
    return gate?.failed === true ? EXIT.FINDINGS : EXIT.OK;
  }
}
