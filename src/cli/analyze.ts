/**
 * `tcpscope analyze FILE...|-`: reads each capture through the analysis pipeline and hands the
 * finished flows to the report sink (cli/report-sink.ts), which writes the terminal report, the
 * JSON report, NDJSON, CSV or JUnit, the HTML report and CI mode's verdicts. Only the HTML
 * report keeps every flow's record until the end; the JSON report keeps each flow's finished text
 * in a temporary file, the text report the rows it shows (the first `--top` per capture), NDJSON
 * and CSV nothing, so their memory does not grow with the number of flows.
 * Exit status 2 only when no input could be read at all.
 */
import { analyzeCapture, type CaptureResult } from '../pipeline/analyze.js';
import { WorkerCache } from '../pipeline/shard-pool.js';
import { workerV8Flags } from './heap.js';
import type { SortOrder } from '../report/flow-sort.js';
import { flowFilter, type FlowFilterArgs } from './flow-filter.js';
import { compileFilter, type PacketPredicate } from '../filter/capture-filter.js';
import { UsageError } from '../core/errors.js';
import { EXIT, type CliIo } from './io.js';
import type { CiOptions } from '../ci/gate.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';
import { ReportSink, type AnalyzeFormat } from './report-sink.js';

export type { AnalyzeFormat } from './report-sink.js';

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
  /** Worker threads for the flow analysis (AnalyzeOptions.threads; default 1). */
  threads?: number | 'auto';
  /** Application-layer parsing (HTTP, ...); default on, `--no-app` turns it off. */
  app?: boolean;
}

export async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  if (args.files.filter((f) => f === '-').length > 1) {
    io.err("tcpscope: standard input ('-') can be named only once");
    return EXIT.USAGE;
  }
  let packetFilter: PacketPredicate | undefined;
  try {
    packetFilter = args.filter !== undefined ? compileFilter(args.filter) : undefined;
  } catch (e) {
    throw new UsageError(`--filter '${args.filter}': ${(e as Error).message}`);
  }
  const sink = new ReportSink(
    {
      sources: args.files,
      format: args.format,
      verifyChecksums: args.verifyChecksums,
      quiet: args.quiet,
      select: flowFilter(args.select ?? {}),
      byFlowId: (args.select?.flow?.length ?? 0) > 0,
      ...(args.top !== undefined ? { top: args.top } : {}),
      ...(args.sort !== undefined ? { sort: args.sort } : {}),
      ...(args.filter !== undefined ? { filterExpr: args.filter } : {}),
      ...(args.behaviour !== undefined ? { behaviour: args.behaviour } : {}),
      ...(args.ci !== undefined ? { ci: args.ci } : {}),
      ...(args.junitFile !== undefined ? { junitFile: args.junitFile } : {}),
      ...(args.htmlFile !== undefined ? { htmlFile: args.htmlFile } : {}),
    },
    io,
  );
  const results: CaptureResult[] = [];
  // Worker threads are started once, for the first capture analyzed on them, and serve the rest.
  const workers = new WorkerCache({ v8Flags: workerV8Flags });
  try {
    for (const [index, file] of args.files.entries()) {
      sink.beginCapture(index, file, results);
      const r = await analyzeCapture(file, {
        verifyChecksums: args.verifyChecksums,
        ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
        ...(packetFilter !== undefined ? { packetFilter } : {}),
        ...(args.app === false ? { app: false } : {}),
        ...(args.threads !== undefined ? { threads: args.threads, workers: workers.get } : {}),
        ...sink.pipelineOptions(),
      });
      sink.endCapture(r);
      results.push(r);
    }
  } finally {
    await workers.close();
  }
  return sink.finish(results);
}
