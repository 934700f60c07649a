/**
 * The closed anomaly catalog (`../shared/spec/anomalies.md`, both tables): every code tcpscope
 * may report, with its Wireshark-style severity and a one-line description. Codes are part of
 * the JSON contract; `AnomalyCode` is derived from the keys so a typo does not compile.
 * Style guide item 7.
 */

import { APP_FINDINGS } from '../app/app-findings.js';

/** Wireshark expert levels. */
export type Severity = 'error' | 'warning' | 'note' | 'chat';

/** code → severity and description. Immutable, module-lifetime. */
export const ANOMALIES = {
  // ---- per-segment classification (Wireshark-compatible defaults) ----
  zero_window_probe: { severity: 'note', description: '1-byte segment at the next sequence number (or the Linux 0-byte persist shape) while the peer advertises a zero window' },
  zero_window: { severity: 'warning', description: 'raw window 0 on a segment without SYN, FIN or RST' },
  lost_segment: { severity: 'warning', description: 'sequence number beyond the next expected one: earlier bytes were never captured' },
  keep_alive: { severity: 'note', description: '0 or 1 payload byte at the next sequence number - 1, no SYN/FIN/RST' },
  window_update: { severity: 'chat', description: 'pure ACK that only changes a non-zero window' },
  window_full: { severity: 'warning', description: "payload ends exactly at the right edge of the peer's window" },
  keep_alive_ack: { severity: 'note', description: 'pure ACK answering a keep-alive' },
  zero_window_probe_ack: { severity: 'note', description: 'pure ACK with window 0 answering a zero-window probe' },
  duplicate_ack: { severity: 'note', description: 'pure ACK repeating the previous ACK number and window' },
  acked_unseen_segment: { severity: 'warning', description: 'ACK number above anything the peer was seen sending' },
  spurious_retransmission: { severity: 'note', description: 'data (or SYN/FIN) resent although already acknowledged' },
  fast_retransmission: { severity: 'note', description: 'retransmission after >= 2 duplicate ACKs for its sequence number' },
  out_of_order: { severity: 'warning', description: 'segment below the next sequence number arriving within one handshake RTT' },
  retransmission: { severity: 'note', description: 'segment below the next sequence number (timeout retransmission)' },
  reused_ports: { severity: 'note', description: 'SYN on a four-tuple already in use, with a different ISN: a new flow' },
  // ---- beyond Wireshark ----
  syn_retransmission: { severity: 'note', description: 'SYN or SYN/ACK sent again with the same ISN (carries the interval)' },
  connection_refused: { severity: 'warning', description: 'RST answering a SYN: nothing listens (Zeek REJ)' },
  handshake_unanswered: { severity: 'warning', description: 'SYN with no reply before the capture ended or the flow expired (Zeek S0)' },
  connection_reset: { severity: 'warning', description: 'RST ending an established connection before either side sent FIN' },
  rst_on_close: { severity: 'warning', description: 'RST during or after the close, or acknowledging less than the peer had sent' },
  data_after_close: { severity: 'warning', description: 'payload sent after the sender\'s own FIN, or to an endpoint after it sent RST' },
  zero_window_stall: { severity: 'warning', description: 'period during which an endpoint advertised a zero window' },
  persist_backoff: { severity: 'note', description: 'intervals between successive zero-window probes' },
  window_shrink: { severity: 'warning', description: 'right edge of the advertised window moved left (Zeek window_recision)' },
  overlap_inconsistent: { severity: 'error', description: 'retransmitted bytes differ from the bytes first sent for the same range' },
  bad_checksum: { severity: 'error', description: 'IP, TCP or UDP checksum does not verify' },
  capture_truncated: { severity: 'note', description: "the capture's snap length cut the packet" },
  capture_gap: { severity: 'warning', description: 'bytes acknowledged by the peer but never captured' },
  tso_segment: { severity: 'note', description: 'segment larger than the negotiated MSS (segmentation offload)' },
  predictable_isn: { severity: 'warning', description: "a host's initial sequence numbers follow a predictable pattern (RFC 6528)" },
  ip_fragmented: { severity: 'note', description: 'TCP segment that arrived in IP fragments' },
  fragment_overlap: { severity: 'error', description: 'IP fragments of one datagram overlap with different data' },
  limit_reached: { severity: 'warning', description: 'a memory or count limit was hit; what was dropped is counted' },
  // ---- application layer (tcpscope extensions; each protocol's table in src/app/) ----
  ...APP_FINDINGS,
} as const satisfies Record<string, { severity: Severity; description: string }>;

/** Every anomaly code (keys of `ANOMALIES`). */
export type AnomalyCode = keyof typeof ANOMALIES;

/** Every code, in catalog order: index = position in per-code typed-array counters. */
export const ANOMALY_CODES = Object.keys(ANOMALIES) as readonly AnomalyCode[];

/** code → its index in `ANOMALY_CODES`. */
export const ANOMALY_INDEX = Object.fromEntries(ANOMALY_CODES.map((c, i) => [c, i])) as Readonly<Record<AnomalyCode, number>>;

/** Direction names as in the report: data the client sent (`c2s`) or the server sent (`s2c`). */
export type DirName = 'c2s' | 's2c';

/** Detail values: plain JSON-safe data. */
export type AnomalyDetail = Readonly<Record<string, string | number | boolean | null | readonly number[]>>;

/**
 * One reported event (report schema `flow.anomalies[]`): owned by the reporter once emitted;
 * plain JSON-safe data. `frame` is the 1-based packet number, `ts` epoch seconds, `dir` the
 * direction of the packet the event is about.
 */
export interface AnomalyEvent {
  code: AnomalyCode;
  frame: number;
  ts: number;
  dir: DirName;
  detail?: AnomalyDetail;
}

/** True when `code` is in the catalog (for validating codes read from elsewhere). */
export function isAnomalyCode(code: string): code is AnomalyCode {
  return Object.prototype.hasOwnProperty.call(ANOMALIES, code);
}
