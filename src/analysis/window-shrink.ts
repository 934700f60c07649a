/**
 * Window shrink detection for one endpoint (Zeek's `window_recision`; RFC 9293 §3.8.6 asks
 * receivers not to shrink): the right edge of the window it advertises (ACK + window in bytes)
 * moved to the left. Owned by `WindowTracker` (state in its Float64Array, see `SHRINK`), one per endpoint, fed the endpoint's
 * non-SYN, non-RST segments whose window scale is known; allocation-free.
 *
 * Not a shrink:
 * - a move smaller than one scale unit (2^shift bytes): the rounding a scaled window allows;
 * - a segment the capture shows after a newer one (reordered between the endpoint and the
 *   capture point): its ACK is lower than one seen, its TSval older, or, with the same ACK, its
 *   highest SACK block lower than one already seen (a receiver's SACK information only grows
 *   until its ACK moves, RFC 2018 §4);
 * - a segment acknowledging the peer's FIN (nothing more can arrive: the window is moot).
 * Each shrink emits `window_shrink` (detail `byBytes`, `fromRightEdge`, `toRightEdge`, raw
 * sequence numbers) at the segment that moved the edge, in the endpoint's direction.
 */
import type { Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqGt, seqLt } from '../core/seq.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { ANOMALY_INDEX } from './anomalies.js';
import type { EventLog } from './event-log.js';

/**
 * Field offsets of one endpoint's shrink state inside its owner's Float64Array (the owner keeps
 * all scalar per-flow state in one typed array: no boxed doubles, one cache line or two per flow).
 */
export const SHRINK = {
  /** Shrinks seen and the largest, bytes. */
  COUNT: 0,
  MAX_BYTES: 1,
  /** Right edge (raw sequence number) and the ACK it was computed from; EDGE_OK 0: none yet. */
  EDGE: 2,
  EDGE_ACK: 3,
  EDGE_OK: 4,
  /** Highest TSval seen, -1 none. */
  TS_HIGH: 5,
  /** Highest SACK right edge sent with the current ACK, valid when SACK_HIGH_OK is 1. */
  SACK_HIGH: 6,
  SACK_HIGH_OK: 7,
} as const;
/** Doubles per endpoint. */
export const SHRINK_FIELDS = 8;

/** Initialise the state at `o` (only TS_HIGH is not 0). */
export function shrinkInit(st: Float64Array, o: number): void {
  st[o + SHRINK.TS_HIGH] = -1;
}

/**
 * One segment of `endpoint` (state at `st[o ..]`): window `bytes` (scaled), scale `shift` (>= 0);
 * `peerFinAcked`: its ACK covers the peer's FIN.
 */
export function shrinkCheck(
  st: Float64Array, o: number, log: EventLog, endpoint: Direction,
  pkt: DecodedPacket, bytes: number, shift: number, peerFinAcked: boolean, frame: number, t: number,
): void {
  if (olderThanSeen(st, o, pkt) || peerFinAcked) return;
  const edge = seqAdd(pkt.ack, bytes);
  if (st[o + SHRINK.EDGE_OK] === 1) {
    const prev = st[o + SHRINK.EDGE]!;
    const by = seqDiff(prev, edge);
    if (by > 0 && by >= 1 << shift) {
      st[o + SHRINK.COUNT]!++;
      if (by > st[o + SHRINK.MAX_BYTES]!) st[o + SHRINK.MAX_BYTES] = by;
      if (log.count(ANOMALY_INDEX.window_shrink)) {
        log.push('window_shrink', endpoint, frame, t, { byBytes: by, fromRightEdge: prev, toRightEdge: edge });
      }
    }
  }
  st[o + SHRINK.EDGE] = edge;
  st[o + SHRINK.EDGE_ACK] = pkt.ack;
  st[o + SHRINK.EDGE_OK] = 1;
}

/** The segment was sent before one already seen; updates the ordering evidence otherwise. */
function olderThanSeen(st: Float64Array, o: number, pkt: DecodedPacket): boolean {
  const ack = pkt.ack;
  const ts = pkt.tsval;
  const tsHigh = st[o + SHRINK.TS_HIGH]!;
  if (ts >= 0 && tsHigh >= 0 && seqLt(ts, tsHigh)) return true;
  let high = -1;
  const n = pkt.sackCount;
  if (n > 0) {
    const b = pkt.sackBlocks;
    for (let i = 0; i < n; i++) {
      const r = b[2 * i + 1]!;
      if (seqGt(r, ack) && (high < 0 || seqGt(r, high))) high = r;
    }
  }
  const edgeOk = st[o + SHRINK.EDGE_OK] === 1;
  const moved = edgeOk ? seqDiff(ack, st[o + SHRINK.EDGE_ACK]!) : 1;
  if (moved < 0) return true;
  let sackHighOk = st[o + SHRINK.SACK_HIGH_OK] === 1;
  if (moved === 0 && sackHighOk && (high < 0 || seqLt(high, st[o + SHRINK.SACK_HIGH]!))) return true;
  if (ts >= 0) st[o + SHRINK.TS_HIGH] = ts;
  if (moved > 0) {
    sackHighOk = false;
    st[o + SHRINK.SACK_HIGH_OK] = 0;
  }
  if (high >= 0 && (!sackHighOk || seqGt(high, st[o + SHRINK.SACK_HIGH]!))) {
    st[o + SHRINK.SACK_HIGH] = high;
    st[o + SHRINK.SACK_HIGH_OK] = 1;
  }
  return false;
}
