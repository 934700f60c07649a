/**
 * The concrete per-flow analyzers the pipeline injects into the flow table: the connection
 * tracker (`analysis/connection-tracker.ts`) and one TCP stream reassembler per direction
 * (`reassembly/tcp-reassembler.ts`). Adapts their APIs to `flow/analyzers.ts`.
 */
import type { Direction } from '../core/direction.js';
import type { FlowAnalyzerFactory } from '../flow/analyzers.js';
import { ConnectionTracker } from '../analysis/connection-tracker.js';
import { TcpStreamReassembler } from '../reassembly/tcp-reassembler.js';
import type { StreamSink } from '../reassembly/stream-sink.js';

export const FLOW_ANALYZERS: FlowAnalyzerFactory = {
  tracker: () => new ConnectionTracker(),
  reassembler: (dir: Direction, sink: StreamSink) => new TcpStreamReassembler(dir, sink),
};
