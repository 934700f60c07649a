/**
 * Per-segment classification bits: what `SegmentClassifier.classify` (segment-classifier.ts)
 * returns for one TCP packet, one bit per code of the first table of
 * `../shared/spec/anomalies.md` (Wireshark's `tcp.analysis.*` flags), plus tcpscope's own shape
 * bits. Several bits may be set on one packet (e.g. ZERO_WINDOW + DUPLICATE_ACK is impossible,
 * but LOST_SEGMENT + WINDOW_FULL is not). The bitmask is the hot-path currency between the
 * per-flow analysis modules (RTT, windows, diagnosis): numbers, no objects.
 */
export const SEG = {
  ZERO_WINDOW_PROBE: 1 << 0,
  ZERO_WINDOW: 1 << 1,
  LOST_SEGMENT: 1 << 2,
  KEEP_ALIVE: 1 << 3,
  WINDOW_UPDATE: 1 << 4,
  WINDOW_FULL: 1 << 5,
  KEEP_ALIVE_ACK: 1 << 6,
  ZERO_WINDOW_PROBE_ACK: 1 << 7,
  DUPLICATE_ACK: 1 << 8,
  ACKED_UNSEEN: 1 << 9,
  SPURIOUS_RETRANSMISSION: 1 << 10,
  FAST_RETRANSMISSION: 1 << 11,
  OUT_OF_ORDER: 1 << 12,
  RETRANSMISSION: 1 << 13,
  /** With ZERO_WINDOW_PROBE: the probe has the Linux shape (0 bytes at nextSeq − 1), which Wireshark calls a keep-alive. */
  PROBE_KEEPALIVE_SHAPE: 1 << 14,
} as const;

/** Any of the three retransmission kinds (Wireshark's `tcp.analysis.retransmission` expert item covers all three). */
export const SEG_ANY_RETRANSMISSION = SEG.RETRANSMISSION | SEG.FAST_RETRANSMISSION | SEG.SPURIOUS_RETRANSMISSION;

/** SEG bit → catalog code (anomalies.ts), in the catalog's order. */
export const SEG_CODE = [
  [SEG.ZERO_WINDOW_PROBE, 'zero_window_probe'],
  [SEG.ZERO_WINDOW, 'zero_window'],
  [SEG.LOST_SEGMENT, 'lost_segment'],
  [SEG.KEEP_ALIVE, 'keep_alive'],
  [SEG.WINDOW_UPDATE, 'window_update'],
  [SEG.WINDOW_FULL, 'window_full'],
  [SEG.KEEP_ALIVE_ACK, 'keep_alive_ack'],
  [SEG.ZERO_WINDOW_PROBE_ACK, 'zero_window_probe_ack'],
  [SEG.DUPLICATE_ACK, 'duplicate_ack'],
  [SEG.ACKED_UNSEEN, 'acked_unseen_segment'],
  [SEG.SPURIOUS_RETRANSMISSION, 'spurious_retransmission'],
  [SEG.FAST_RETRANSMISSION, 'fast_retransmission'],
  [SEG.OUT_OF_ORDER, 'out_of_order'],
  [SEG.RETRANSMISSION, 'retransmission'],
] as const;

/** Window-scale shift meaning "the handshake was not captured: scale unknown" (never assume 1 or 14). */
export const SCALE_UNKNOWN = -2;
