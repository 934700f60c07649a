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
import type { GapCause } from '../reassembly/stream-sink.js';

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
  /**
   * `len` bytes at `offset` the capture does not have; `cause` as the reassembler said it
   * (`'snaplen'`: on the wire, cut by the snap length; absent for bytes detection passed over).
   */
  onGap(dir: Direction, offset: number, len: number, frame: number, ts: number, cause?: GapCause): void;
  /** No more bytes in `dir` (`reason` as in StreamSink: fin, rst, close). */
  onEnd(dir: Direction, reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void;
  /** Findings so far (the framework reads them at the end of the flow). */
  findings(): readonly AppFinding[];
  /** Optional. Every finding counted by code, when `findings()` lists only the first few. */
  findingCounts?(): Readonly<Record<string, number>>;
  /** The JSON-safe section for `app.<name>` of the flow report, after both directions ended. */
  result(): Record<string, unknown>;
  /**
   * Optional. `len` bytes at `offset` that the capture has but the framework did not pass: the
   * direction was already judged not to be this protocol when the other direction was recognised
   * (so the parser starts there mid-stream). Not lost bytes: a parser that lacks it treats the
   * range like a gap.
   */
  onSkip?(dir: Direction, offset: number, len: number, frame: number, ts: number): void;
  /**
   * Optional. A short one-line text for the terminal's flows view and the HTML overview (e.g.
   * `GET /x → 200 (+3)`, a TLS server name), or null; called after `result()`. Capture text in
   * it is the report's to escape.
   */
  label?(): string | null;
  /**
   * Optional. The flow's listed TCP-level events (capture order), before `result()`: lets a
   * parser say which findings (retransmissions, zero-window stalls, ...) fell inside a message.
   */
  attributeEvents?(events: readonly AppFlowEvent[]): void;
}

/** A listed event of the flow, as `attributeEvents` gets it. */
export interface AppFlowEvent {
  code: string;
  frame: number;
  ts: number;
  dir: 'c2s' | 's2c';
}

/** Detector verdict on the first bytes of a direction. */
export type AppDetectVerdict = 'yes' | 'no' | 'need-more';

/**
 * One protocol the framework can recognise (`app/registry.ts`). `detect` sees the first bytes of
 * a direction (or, on a stream picked up mid-way, the bytes from a line start on); it must not
 * keep them and must answer `need-more` for at most a few hundred bytes.
 */
export interface AppProtocol {
  /** Key under the flow report's `app` (same as the parser's `name`). */
  readonly name: string;
  detect(bytes: Uint8Array, dir: Direction): AppDetectVerdict;
  /**
   * Also try the detector at line and segment starts of a direction picked up mid-way (no SYN,
   * or a gap first); without it, only at a direction's first byte.
   */
  readonly midStream?: boolean;
  /** A parser for one flow; `flowId` for body sinks and names. */
  create(flowId: number): AppParser;
}
