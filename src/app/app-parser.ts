/**
 * The contract between the application-layer framework (`src/app/app-layer.ts`: one per flow,
 * a `StreamSink` fed by the TCP reassembler, detects the protocol by content and feeds a parser)
 * and each protocol parser (`src/app/http/`, `src/app/tls/`). A parser never sees packets, only
 * the two directions' reassembled byte streams, in stream order, every offset exactly once as
 * data or as a gap (see `reassembly/stream-sink.ts`).
 *
 * Rules every parser keeps:
 * - `buf[off .. off+len)` is valid only during the call: copy what you keep, and keep a bounded
 *   amount (caps are the parser's own, reported in its result when hit).
 * - Never throw on hostile bytes: report a finding and resynchronise or stop parsing.
 * - `frame` is the capture's 1-based frame number that carried the first of these bytes; `ts`
 *   is that packet's capture time in seconds (float; as precise as the framework can give).
 */
import type { Direction } from '../core/direction.js';

/** One application-layer finding (becomes a flow anomaly event with this code). */
export interface AppFinding {
  code: string;
  frame: number;
  ts: number;
  dir: Direction;
  detail?: Record<string, unknown>;
}

export interface AppParser {
  /** Protocol name, the key under the flow report's `app` (`http`, `tls`). */
  readonly name: string;
  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): void;
  /** `len` bytes at `offset` the capture does not have. */
  onGap(dir: Direction, offset: number, len: number, frame: number, ts: number): void;
  /** No more bytes in `dir` (`reason` as in StreamSink: fin, rst, close). */
  onEnd(dir: Direction, reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void;
  /** Findings so far (the framework reads them at the end of the flow). */
  findings(): readonly AppFinding[];
  /** The JSON-safe section for `app.<name>` of the flow report, after both directions ended. */
  result(): Record<string, unknown>;
}
