/**
 * What a TCP stream reassembler emits (style guide 8 and 11: mechanism apart from policy). The
 * reassembler only places bytes; consumers (stream extraction, `follow`, HTTP, analysis)
 * implement `StreamSink`. Offsets are 0-based positions in the direction's byte stream (the
 * first payload byte after the SYN is offset 0), safe up to 2^53.
 *
 * `onData` hands a view that is valid only during the call (it may point into the capture
 * buffer): a consumer that keeps bytes copies them. Events for one direction arrive in stream
 * order: every offset is delivered exactly once, either as data or inside a gap.
 */
import type { Direction } from '../core/direction.js';

export type StreamEndReason =
  /** The sender's FIN was reached in order. */
  | 'fin'
  /** An RST ended the stream (bytes after it are not delivered). */
  | 'rst'
  /** The capture (or the flow, by expiry/eviction) ended first; holes left were flushed as gaps. */
  | 'close';

/**
 * Why a range was delivered as a gap (the 5th argument of `onGap`; additive, so a sink written
 * for four arguments keeps working):
 * - `'acked'`: below a cumulative ACK from the peer, never captured (`capture_gap`);
 * - `'snaplen'`: the segment carrying these bytes was captured, but the snap length cut them
 *   (`capture_truncated`: on the wire, not missing from the capture's view of the flow);
 * - `'hole'`: a hole before held data, never filled, flushed when the stream ended (close or RST);
 * - `'close'`: bytes up to a FIN seen beyond everything captured, flushed at close;
 * - `'limit'`: skipped because a reassembly cap was hit (`limit_reached`).
 */
export type GapCause = 'acked' | 'snaplen' | 'hole' | 'close' | 'limit';

export interface StreamSink {
  /** In-order bytes `buf[off .. off+len)` at stream `offset`, first carried by frame `frame`. */
  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void;
  /**
   * `len` bytes at `offset` that the capture never held (acknowledged by the peer, cut by the
   * snap length, or skipped at the end / on a cap); `cause` says which (the reassembler always
   * passes it). Causes other than `'snaplen'` are bytes truly missing from the capture
   * (`capture_gap`, a flow's `missedBytes`); `'snaplen'` ones were cut by the snap length
   * (`capture_truncated`, a flow's `truncatedBytes`).
   */
  onGap(dir: Direction, offset: number, len: number, frame: number, cause?: GapCause): void;
  /**
   * A segment overlapped bytes already held or delivered; `inconsistent` when the bytes differ
   * (`overlap_inconsistent`; which copy wins is the reassembler's documented policy).
   */
  onOverlap(dir: Direction, offset: number, len: number, inconsistent: boolean, frame: number): void;
  /** No more events for this direction. */
  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void;
}
