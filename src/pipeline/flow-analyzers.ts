/**
 * The concrete per-flow analyzers the pipeline injects into the flow table: the connection
 * tracker (`analysis/connection-tracker.ts`), one TCP stream reassembler per direction
 * (`reassembly/tcp-reassembler.ts`) and the behaviour analysis (`analysis/flow-behaviour.ts`). Adapts their APIs to `flow/analyzers.ts`.
 *
 * `newFlowTable` is the one place a flow table and its analyzers are put together: the
 * single-threaded analysis (analyze.ts) and every shard worker of a sharded one
 * (shard-runner.ts) call it, so whatever a flow's analysis gains here runs in both.
 */
import { DIR, type Direction } from '../core/direction.js';
import type { FlowLimits } from '../core/limits.js';
import type { FlowAnalyzerFactory } from '../flow/analyzers.js';
import type { FlowStreamSinkFactory } from '../flow/flow.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import { FlowTable } from '../flow/flow-table.js';
import { ConnectionTracker } from '../analysis/connection-tracker.js';
import { TcpStreamReassembler } from '../reassembly/tcp-reassembler.js';
import type { StreamSink } from '../reassembly/stream-sink.js';
import { FlowBehaviour, type BehaviourOptions } from '../analysis/flow-behaviour.js';
import { appLayerFactory } from '../app/app-layer.js';
import { appProtocols, type AppOptions } from '../app/registry.js';

/** The analyzers with the behaviour analysis configured by `opts`. */
export function flowAnalyzers(opts: BehaviourOptions = {}): FlowAnalyzerFactory {
  const hook = opts.onFinding;
  return {
    // With a finding hook (live capture) the tracker tells it of its events as they are raised.
    tracker: hook === undefined ? () => new ConnectionTracker() : (flow) => new ConnectionTracker({ onEvent: (e) => hook(flow.id, e.code, e.dir === 'c2s' ? DIR.C2S : DIR.S2C, e.frame, e.ts, e.detail) }),
    reassembler: (dir: Direction, sink: StreamSink) => new TcpStreamReassembler(dir, sink),
    behaviour: (flow) => new FlowBehaviour(flow.id, opts),
  };
}

export const FLOW_ANALYZERS: FlowAnalyzerFactory = flowAnalyzers();

/** What a flow table is configured with (a subset of AnalyzeOptions). */
export interface FlowTableSetup {
  /** Behaviour analysis options; defaults when absent. */
  behaviour?: BehaviourOptions;
  /** Flow table limits (defaults: DEFAULT_LIMITS.flow). */
  flowLimits?: Readonly<Partial<FlowLimits>>;
  /** Consumers of the flows' byte streams (follow, extract). */
  streamSink?: FlowStreamSinkFactory;
  /** The application layer (AnalyzeOptions.app): on by default, `false` turns it off. */
  app?: boolean | AppOptions;
}

/**
 * A flow table with the pipeline's per-flow analyzers; each finished flow goes to `onFlowEnd`,
 * each packet whose deferred analysis failed to `onAnalysisError` (flow-table.ts `defer`).
 */
export function newFlowTable(setup: FlowTableSetup, onAnalysisError: (frame: number, e: unknown) => void, onFlowEnd: (f: FlowSummary) => void): FlowTable {
  return new FlowTable(setup.behaviour !== undefined ? flowAnalyzers(setup.behaviour) : FLOW_ANALYZERS, {
    onFlowEnd,
    onAnalysisError,
    ...(setup.flowLimits !== undefined ? { limits: setup.flowLimits } : {}),
    ...(setup.streamSink !== undefined ? { streamSink: setup.streamSink } : {}),
    ...(setup.app !== false ? { app: appLayerFactory({ protocols: appProtocols(setup.app === true || setup.app === undefined ? {} : setup.app) }) } : {}),
  });
}
