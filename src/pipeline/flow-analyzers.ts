/**
 * The concrete per-flow analyzers the pipeline injects into the flow table: the connection
 * tracker (`analysis/connection-tracker.ts`), one TCP stream reassembler per direction
 * (`reassembly/tcp-reassembler.ts`) and the behaviour analysis (`analysis/flow-behaviour.ts`). Adapts their APIs to `flow/analyzers.ts`.
 */
import { DIR, type Direction } from '../core/direction.js';
import type { FlowAnalyzerFactory } from '../flow/analyzers.js';
import { ConnectionTracker } from '../analysis/connection-tracker.js';
import { TcpStreamReassembler } from '../reassembly/tcp-reassembler.js';
import type { StreamSink } from '../reassembly/stream-sink.js';
import { FlowBehaviour, type BehaviourOptions } from '../analysis/flow-behaviour.js';

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
