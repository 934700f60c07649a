/**
 * The library API: `import { analyze, analyzeFlows } from 'tcpscope'`.
 *
 * - `analyze(sources)` resolves to the whole report, the same object `tcpscope analyze --format
 *   json` prints (typed by `ReportJson`; spec/report.schema.json).
 * - `analyzeFlows(source)` is the streaming form for large captures: an async iterator of flow
 *   records as flows finish (expiry, close, end of capture), with back-pressure — reading pauses
 *   while the consumer has not taken the flows already queued — and the rest of the report
 *   (captures, summary) as the iterator's return value. Breaking out of the loop stops reading.
 */
import { analyzeCapture, type AnalyzeOptions, type CaptureResult } from './pipeline/analyze.js';
import { buildReport, tallyFlowAnomalies, type FlowJson, type ReportJson } from './report/report-json.js';
import type { FlowSummary } from './flow/flow-summary.js';
import type { BehaviourOptions } from './analysis/flow-behaviour.js';
import type { FlowLimits } from './core/limits.js';
import { WorkerCache } from './pipeline/shard-pool.js';

export type { ReportJson, FlowJson, CaptureJson, FileErrorJson } from './report/report-json.js';
export type { FlowSummary, AnomalyJson, EndpointJson, Pair } from './flow/flow-summary.js';
export type { AnomalyCode, Severity } from './analysis/anomalies.js';
export { ANOMALIES, ANOMALY_CODES } from './analysis/anomalies.js';
export { REPORT_SCHEMA } from './report/report-json.js';

/** Options of `analyze` / `analyzeFlows`. */
export interface AnalyzeApiOptions {
  /** Verify IP/TCP/UDP checksums (offload-aware). Default false. */
  verifyChecksums?: boolean;
  /** RTT estimator, RTO floor, stall threshold, two-pass revision (see the README, "TCP behaviour"). */
  behaviour?: Omit<BehaviourOptions, 'onSegment'>;
  /** Flow table limits (max flows, idle and closed timeouts, events listed per flow). */
  flowLimits?: Partial<FlowLimits>;
  /** What '-' reads (default process.stdin). */
  stdin?: AsyncIterable<Uint8Array>;
  /**
   * Threads for the flow analysis: 1 (default) analyzes on the calling thread; N shards the
   * flows over the calling thread and N − 1 worker threads; 'auto' is 2 for a capture file of about two million packets
   * or more when a second core is idle, else 1. The result is the same (README, "Threads"), except
   * where `flowLimits.maxFlows` evicts flows.
   */
  threads?: number | 'auto';
}

function pipelineOptions(opts: AnalyzeApiOptions): AnalyzeOptions {
  return {
    verifyChecksums: opts.verifyChecksums ?? false,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.behaviour !== undefined ? { behaviour: opts.behaviour } : {}),
    ...(opts.flowLimits !== undefined ? { flowLimits: opts.flowLimits } : {}),
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  };
}

/** Analyzes one or more captures (paths, '-' for stdin); resolves to the JSON report. Never rejects for faults in a capture: see `captures[].errors` / `inputErrors`. */
export async function analyze(sources: string | readonly string[], opts: AnalyzeApiOptions = {}): Promise<ReportJson> {
  const list = typeof sources === 'string' ? [sources] : sources;
  const results: CaptureResult[] = [];
  const workers = new WorkerCache();
  try {
    for (const s of list) results.push(await analyzeCapture(s, { ...pipelineOptions(opts), workers: workers.get }));
  } finally {
    await workers.close();
  }
  return buildReport(results, opts.verifyChecksums ?? false);
}

/** The report without its flows: what `analyzeFlows` returns when the capture is done. */
export type ReportRest = Omit<ReportJson, 'flows'>;

/** Flows queued before reading pauses for the consumer. */
const HIGH_WATER = 256;

class Stopped extends Error {}

/**
 * Streams one capture's flows as they finish (not in id order), each exactly as in the JSON
 * report's `flows[]` (with `capture: 0`); returns the rest of the report.
 */
export async function* analyzeFlows(source: string, opts: AnalyzeApiOptions = {}): AsyncGenerator<FlowJson, ReportRest, undefined> {
  const queue: FlowSummary[] = [];
  const tally = new Map<string, number>();
  let wakeConsumer: (() => void) | null = null;
  let resumeReader: (() => void) | null = null;
  let stopped = false;
  let finished = false;
  let failure: unknown = null;
  let result: CaptureResult | null = null;
  const wake = (): void => {
    const w = wakeConsumer;
    wakeConsumer = null;
    w?.();
  };
  const run = analyzeCapture(source, {
    ...pipelineOptions(opts),
    onFlowEnd: (f) => {
      tallyFlowAnomalies(tally, f);
      queue.push(f);
      wake();
    },
    afterChunk: () => {
      if (stopped) throw new Stopped('stopped by the consumer');
      if (queue.length < HIGH_WATER) return null;
      return new Promise<void>((resolve) => {
        resumeReader = resolve;
      });
    },
  }).then(
    (r) => {
      result = r;
    },
    (e: unknown) => {
      if (!(e instanceof Stopped)) failure = e;
    },
  );
  void run.finally(() => {
    finished = true;
    wake();
  });
  try {
    for (;;) {
      const f = queue.shift();
      if (f !== undefined) {
        if (resumeReader !== null && queue.length < HIGH_WATER / 2) {
          const r: () => void = resumeReader;
          resumeReader = null;
          r();
        }
        const j = f as FlowJson;
        j.capture = 0;
        yield j;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
  } finally {
    // The consumer stopped early (break/return/throw): let the paused reader end.
    stopped = true;
    const r = resumeReader as (() => void) | null;
    resumeReader = null;
    r?.();
  }
  await run;
  if (failure !== null) throw failure;
  const { flows: _none, ...rest } = buildReport([result!], opts.verifyChecksums ?? false, tally);
  return rest;
}
