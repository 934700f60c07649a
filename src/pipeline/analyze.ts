/**
 * Composition root for `tcpscope analyze`, `follow` and `extract`: reads each capture, runs the
 * decode stage and the flow table (per flow: a connection tracker and two stream reassemblers),
 * and returns plain summary records. The only module that wires concrete parts together;
 * everything it returns is JSON-safe data for the report layer.
 */
import type { CaptureInfo, Frame, FrameSink } from '../capture/frame.js';
import { readCapture, type AfterChunk, type ReadCaptureOptions } from '../capture/open.js';
import { LAYER, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { FlowLimits } from '../core/limits.js';
import type { Flow, FlowStreamSinkFactory } from '../flow/flow.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import type { FlowTableCounters } from '../flow/flow-table.js';
import { newFlowTable } from './flow-analyzers.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';
import { IsnAnalyzer, type IsnFinding } from '../analysis/isn.js';
import { DecodeStage, StopPipeline, type ChecksumFrames } from './decode-stage.js';
import type { AppOptions } from '../app/registry.js';
import type { PacketCounters } from './stats.js';
import { addIsns, defragSummary } from './result-parts.js';
import { createShardedAnalysis, shardable } from './shard-analysis.js';
import { KEEP_BYTES, PacketKeeper } from './shard-batch.js';
import { ShardWorkers } from './shard-pool.js';
import { threadsFor } from './auto-threads.js';

/** See AnalyzeOptions.flowView. */
export type FlowView = 'row' | 'json' | 'ndjson';

export interface AnalyzeOptions {
  /** Called between read chunks (progress display); may return a promise to pause reading. */
  afterChunk?: AfterChunk;
  /** Verify checksums (see DecodeStageOptions). */
  verifyChecksums?: boolean;
  /** List bad-checksum frames (conformance). */
  collectChecksumFrames?: boolean;
  /** What source '-' reads (default `process.stdin`). */
  stdin?: AsyncIterable<Uint8Array>;
  /** Flow table limits (defaults: DEFAULT_LIMITS.flow). */
  flowLimits?: Readonly<Partial<FlowLimits>>;
  /** Consumers of the flows' byte streams (follow, extract). */
  streamSink?: FlowStreamSinkFactory;
  /**
   * The application layer (protocol detection and parsers, `app/`): on by default; `false`
   * turns it off (`--no-app`), an object configures it (e.g. `extract --http`'s body sink).
   */
  app?: boolean | AppOptions;
  /**
   * Receives each flow as it finishes (expiry, eviction, reuse, end of capture). When given,
   * flows are not collected in `CaptureResult.flows` (streaming output keeps memory flat).
   */
  onFlowEnd?: (flow: FlowSummary) => void;
  /** Behaviour analysis options (RTT estimator, thresholds, per-segment hook); defaults when absent. */
  behaviour?: BehaviourOptions;
  /** Only packets this accepts reach the flow analysis (`--filter`); the capture counters still cover every frame. */
  packetFilter?: (pkt: DecodedPacket) => boolean;
  /**
   * Threads for the flow analysis (`analyzeCapture` only): 1 (default) analyzes on this thread;
   * N > 1 shards the flows over this thread and N − 1 worker threads (shard-analysis.ts; the same result, except
   * where `maxFlows` evicts); 'auto' is 2 when that pays (auto-threads.ts: two or more cores, a
   * second one idle, a capture file of about two million packets or more), else 1. A run with `streamSink` or
   * `behaviour.onSegment` stays on this thread whatever is asked.
   */
  threads?: number | 'auto';
  /**
   * Where a sharded `analyzeCapture` gets its worker threads for `threads` shards, to keep them
   * for several captures (the caller closes them); by default it starts and stops its own.
   */
  workers?: (threads: number) => ShardWorkers;
  /**
   * A sharded analysis: the main thread's share (0..1) of the flows' hash space (default
   * shard-analysis.ts `mainShare`, by `flowView`). Changes nothing in the result (tests use it).
   */
  mainShare?: number;
  /**
   * What `onFlowEnd` needs of each flow, when not the whole record: 'row' = what the terminal
   * report reads (report/flow-row.ts `rowView`); 'json' / 'ndjson' = that, plus the record's
   * text for the JSON report / NDJSON made by the worker (report/flow-json-text.ts). A sharded
   * analysis then sends only that from its workers (much less to copy between threads, and the
   * records are stringified in parallel); a single-threaded one delivers whole records regardless.
   */
  flowView?: FlowView;
}


/** What one capture source produced. */
export interface CaptureResult {
  info: CaptureInfo;
  counters: PacketCounters;
  /** Distinct TCP four-tuples. */
  tcpConversations: number;
  /** Finished flows in id order (empty when `onFlowEnd` streamed them). */
  flows: FlowSummary[];
  /** Flow table counters (flows started, expired, evicted, reused four-tuples). */
  flowCounters: FlowTableCounters;
  /** The flow limits in force. */
  flowLimits: Readonly<FlowLimits>;
  /** Fragment reassembly counters. */
  defrag: DefragSummary | null;
  /** Bad-checksum frames, when collected. */
  checksumFrames: ChecksumFrames | null;
  /** Hosts whose initial sequence numbers follow a pattern (`predictable_isn`), and hosts past the check's cap. */
  isn: { findings: IsnFinding[]; hostsNotTested: number };
  /** TCP packets the packet filter kept out of the flow analysis (0 without a filter). */
  filteredOut: number;
  /**
   * Sharded analyses: the worker threads, the flows each could hold (maxFlows split between
   * them), and how often a sweep had to stop at another shard's flow (shard-barrier.ts).
   */
  shards?: { threads: number; maxFlowsPerShard: number; barrierCuts: number };
}

export interface DefragSummary {
  fragments: number;
  reassembled: number;
  timedOut: number;
  incomplete: number;
  overlaps: number;
  inconsistentOverlaps: number;
  evicted: number;
  invalid: number;
}

/**
 * One analysis fed frame by frame (push): the decode stage, the flow table with its per-flow
 * analyzers, and the capture-level checks. `analyzeCapture` feeds it from a file; a live capture
 * can feed it from an interface. `finish` ends every flow and returns the capture's result.
 */
export interface Analysis {
  /** Feed one frame (valid only during the call, as from a capture reader). */
  readonly onFrame: FrameSink;
  /** End of input: finalise every flow; `info` is what the source said about itself. */
  finish(info: CaptureInfo): CaptureResult;
  /** The flows not finalised yet (read-only, between frames: live views). */
  forEachLiveFlow(fn: (flow: Flow) => void): void;
  /** Flows not finalised yet. */
  readonly liveFlows: number;
}

/**
 * Starts an analysis with `opts` (the reading options `afterChunk`/`stdin` are not used here).
 * `keepBytes` > 0: the flow table analyses packets flow by flow, in batches of that many bytes
 * of packets (flow-table.ts `defer`; faster, the same result). Only where no hook sees packets
 * or bytes in capture order (`shardable`), and nothing looks at flows between frames: a file,
 * not a live capture (analyzeCapture passes KEEP_BYTES).
 */
export function createAnalysis(opts: AnalyzeOptions = {}, keepBytes = 0): Analysis {
  const flows: FlowSummary[] = [];
  const isn = new IsnAnalyzer();
  const deliver = opts.onFlowEnd ?? ((f: FlowSummary) => flows.push(f));
  const table = newFlowTable(
    opts,
    (frame, e) => {
      if (e instanceof StopPipeline) throw e;
      stage.internalError(frame, e);
    },
    (f) => {
      addIsns(isn, f);
      deliver(f);
    },
  );
  const keeper = keepBytes > 0 && shardable(opts) ? new PacketKeeper(keepBytes) : null;
  if (keeper !== null) table.defer(keeper);
  const toTable = (pkt: DecodedPacket, frame: Frame): void => {
    let ref = -1;
    if (keeper !== null) {
      ref = keeper.keep(pkt, frame.frameNo, frame.tsSec, frame.tsNsec);
      if (ref < 0) {
        table.drain();
        keeper.clear();
        ref = keeper.keep(pkt, frame.frameNo, frame.tsSec, frame.tsNsec);
      }
    }
    table.onPacket(pkt, frame.frameNo, frame.tsSec, frame.tsNsec, frame.hasTs !== false, ref);
  };
  // Every TCP segment, rebuilt datagrams included (their frame is the last fragment's).
  const filter = opts.packetFilter;
  let filteredOut = 0;
  const sink =
    filter === undefined
      ? (pkt: DecodedPacket, frame: Frame): void => {
          if ((pkt.layers & LAYER.TCP) !== 0) toTable(pkt, frame);
        }
      : (pkt: DecodedPacket, frame: Frame): void => {
          if ((pkt.layers & LAYER.TCP) === 0) return;
          if (!filter(pkt)) {
            filteredOut++;
            return;
          }
          toTable(pkt, frame);
        };
  const stage = new DecodeStage(sink, {
    verifyChecksums: opts.verifyChecksums ?? false,
    collectChecksumFrames: opts.collectChecksumFrames ?? false,
  });
  return {
    onFrame: stage.onFrame,
    forEachLiveFlow: (fn) => table.forEachLive(fn),
    get liveFlows() {
      return table.liveFlows;
    },
    finish(info: CaptureInfo): CaptureResult {
      stage.finish();
      table.flush();
      flows.sort((a, b) => a.id - b.id);
      return {
        info,
        counters: stage.counters,
        tcpConversations: table.tupleCount,
        flows,
        flowCounters: table.counters,
        flowLimits: table.limits,
        defrag: defragSummary(stage),
        checksumFrames: stage.checksumFrames,
        isn: { findings: isn.findings(), hostsNotTested: isn.hostsNotTested },
        filteredOut,
      };
    },
  };
}

/**
 * Analyze one capture file ('-' = stdin). Never rejects for format faults: see `info.errors`.
 * Rejects when a consumer (`onFlowEnd`, `afterChunk`) throws, or a shard worker fails
 * (ShardWorkerError).
 */
export async function analyzeCapture(source: string, opts: AnalyzeOptions = {}): Promise<CaptureResult> {
  const threads = shardable(opts) ? await threadsFor(source, opts.threads) : 1;
  const readOpts: ReadCaptureOptions = {};
  if (opts.stdin) readOpts.stdin = opts.stdin;
  if (threads > 1) {
    const workers = opts.workers?.(threads) ?? new ShardWorkers(threads - 1);
    const sharded = createShardedAnalysis(opts, workers);
    try {
      await workers.online();
      const info = await readCapture(source, sharded.onFrame, { ...readOpts, afterChunk: sharded.afterChunk });
      return await sharded.finish(info);
    } finally {
      await sharded.close();
      if (opts.workers === undefined) await workers.close();
    }
  }
  const analysis = createAnalysis(opts, KEEP_BYTES);
  if (opts.afterChunk) readOpts.afterChunk = opts.afterChunk;
  const info = await readCapture(source, analysis.onFrame, readOpts);
  return analysis.finish(info);
}


