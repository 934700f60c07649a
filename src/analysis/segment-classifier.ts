/**
 * Wireshark-compatible per-segment classification (../shared/spec/anomalies.md, first table).
 * INTERFACE ONLY in this commit: the rules land with the next commits (issue 5).
 */
import type { Direction } from '../core/direction.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { SCALE_UNKNOWN } from './seg-flags.js';

export class SegmentClassifier {
  // ---- evidence of the last `classify` call (valid until the next call) ----
  /** DUPLICATE_ACK: its number in the run (1, 2, 3 ...). */
  dupAckNum = 0;
  /** DUPLICATE_ACK: frame of the last ACK that was not a duplicate (the one repeated). */
  dupAckFrame = 0;
  /** Frame that set the sender's nextSeq before this packet (OUT_OF_ORDER / retransmission evidence), 0 unknown. */
  nextSeqFrame = 0;
  /** LOST_SEGMENT: bytes between the sender's nextSeq and this seq. */
  lostBytes = 0;
  /** ACKED_UNSEEN: bytes acknowledged beyond what the peer was seen sending. */
  ackedUnseenBytes = 0;

  /** Classify one TCP packet of the flow (capture order). `t`: epoch seconds. Returns SEG bits. */
  classify(pkt: DecodedPacket, dir: Direction, frame: number, t: number): number {
    void pkt;
    void dir;
    void frame;
    void t;
    return 0;
  }

  /** Window-scale shift of `dir`'s sender's advertised windows: SCALE_UNKNOWN, or 0..14 (0 when not negotiated by both). */
  scaleShift(dir: Direction): number {
    void dir;
    return SCALE_UNKNOWN;
  }
}
