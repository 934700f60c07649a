/**
 * Window shrink detection for one endpoint (Zeek's `window_recision`; RFC 9293 §3.8.6 asks
 * receivers not to shrink): the right edge of the window it advertises (ACK + window in bytes)
 * moved to the left. Owned by `WindowTracker`, one instance per endpoint, fed the endpoint's
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

export class WindowShrink {
  /** Shrinks seen and the largest, bytes. */
  count = 0;
  maxBytes = 0;
  /** Right edge (raw sequence number) and the ACK it was computed from; `edgeOk` false: none yet. */
  private edge = 0;
  private edgeAck = 0;
  private edgeOk = false;
  /** Highest TSval seen, -1 none. */
  private tsHigh = -1;
  /** Highest SACK right edge sent with the current ACK, valid when `sackHighOk`. */
  private sackHigh = 0;
  private sackHighOk = false;

  constructor(
    private readonly log: EventLog,
    private readonly endpoint: Direction,
  ) {}

  /**
   * One segment of the endpoint: window `bytes` (scaled), scale `shift` (>= 0);
   * `peerFinAcked`: its ACK covers the peer's FIN.
   */
  check(pkt: DecodedPacket, bytes: number, shift: number, peerFinAcked: boolean, frame: number, t: number): void {
    if (this.olderThanSeen(pkt) || peerFinAcked) return;
    const edge = seqAdd(pkt.ack, bytes);
    if (this.edgeOk) {
      const by = seqDiff(this.edge, edge);
      if (by > 0 && by >= 1 << shift) {
        this.count++;
        if (by > this.maxBytes) this.maxBytes = by;
        if (this.log.count(ANOMALY_INDEX.window_shrink)) {
          this.log.push('window_shrink', this.endpoint, frame, t, { byBytes: by, fromRightEdge: this.edge, toRightEdge: edge });
        }
      }
    }
    this.edge = edge;
    this.edgeAck = pkt.ack;
    this.edgeOk = true;
  }

  /** The segment was sent before one already seen; updates the ordering evidence otherwise. */
  private olderThanSeen(pkt: DecodedPacket): boolean {
    const ack = pkt.ack;
    const ts = pkt.tsval;
    if (ts >= 0 && this.tsHigh >= 0 && seqLt(ts, this.tsHigh)) return true;
    let high = -1;
    for (let i = 0; i < pkt.sackCount; i++) {
      const r = pkt.sackBlocks[2 * i + 1]!;
      if (seqGt(r, ack) && (high < 0 || seqGt(r, high))) high = r;
    }
    const moved = this.edgeOk ? seqDiff(ack, this.edgeAck) : 1;
    if (moved < 0) return true;
    if (moved === 0 && this.sackHighOk && (high < 0 || seqLt(high, this.sackHigh))) return true;
    if (ts >= 0) this.tsHigh = ts;
    if (moved > 0) this.sackHighOk = false;
    if (high >= 0 && (!this.sackHighOk || seqGt(high, this.sackHigh))) {
      this.sackHigh = high;
      this.sackHighOk = true;
    }
    return false;
  }
}
