/**
 * The truth a synthetic capture carries: what the builder intended, to compare with what an
 * analyzer (tcpscope, tshark) says. Plain JSON-serialisable data (`JSON.stringify(truth)`).
 *
 * Format (version 1):
 * ```
 * {
 *   version: 1, seed, linkType, snaplen, startSec,   // startSec: epoch seconds of time 0
 *   vantage: 'client' | 'server',                      // where the capture point sits
 *   connections: [{
 *     id, ipVersion, client: {ip, port}, server: {ip, port},
 *     isn: {client, server},                           // wire ISNs (32-bit)
 *     midstream,                                       // true: capture starts after the handshake
 *     options: {mss: {client, server}, wscale: {client, server} | null, sack, timestamps},
 *     streams: {client: StreamTruth, server: StreamTruth},  // bytes each side's application sent
 *     ended: 'open' | 'fin' | 'rst', firstClose: 'client' | 'server' | 'both' | null
 *   }],
 *   frames: [TruthFrame, ...]                          // every segment, captured or not, in capture order
 * }
 * StreamTruth = {length, sha256 (hex), base64 (only when length <= 4096)}
 * ```
 * Times are integer nanoseconds since `startSec` (`tNs`); frame timestamps are
 * `startSec + floor(tNs / 1e9)` s and `tNs % 1e9` ns. Sequence numbers: `seq`/`ack` are the wire
 * values; `relSeq` is the offset from the sender's ISN, unwrapped (no 2^32 wrap).
 */
import { createHash } from 'node:crypto';

/** What a segment is, from the sender's point of view. */
export type FrameKind =
  | 'syn' | 'syn-ack' | 'ack' | 'data' | 'retransmission' | 'dup' | 'dup-ack'
  | 'keep-alive' | 'keep-alive-ack' | 'zero-window-probe' | 'zero-window-probe-ack' | 'window-update'
  | 'fin' | 'rst' | 'raw';

/**
 * Why a retransmission happened: 'rto' (timer), 'fast' (3 dup ACKs / SACK recovery), 'spurious'
 * (the receiver already had every byte; `trigger` says what fired), 'probe' (re-sends the byte a
 * zero-window probe carried).
 */
export type RetransmitReason = 'rto' | 'fast' | 'spurious' | 'probe';

export interface TruthFrame {
  /** 1-based frame number of the (first) captured frame; null when dropped before capture. */
  frame: number | null;
  /** All frame numbers carrying this segment (several when IP-fragmented). */
  frames: number[];
  conn: number;
  dir: 'c2s' | 's2c';
  /** Capture time (or when it would have passed the capture point), ns since startSec. */
  tNs: number;
  seq: number;
  ack: number;
  relSeq: number;
  /** Relative ack (offset from the peer's ISN, unwrapped); 0 without ACK. */
  relAck: number;
  /** TCP payload bytes. */
  len: number;
  /** TCP_FLAG bitmask. */
  flags: number;
  /** Advertised window in bytes (after scaling). */
  window: number;
  kind: FrameKind;
  reason?: RetransmitReason;
  trigger?: 'rto' | 'fast' | 'probe';
  /** Dropped by the network: before the capture point (not in the file) or after it. */
  lost?: 'before-capture' | 'after-capture';
  /** Delayed in the network so it passed the capture point after later segments. */
  reordered?: boolean;
  /** Free-form note (e.g. 'different-bytes' for an overlapping retransmission with other data). */
  note?: string;
}

export interface StreamTruth {
  length: number;
  sha256: string;
  base64?: string;
}

export interface ConnectionTruth {
  id: number;
  ipVersion: 4 | 6;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  isn: { client: number; server: number };
  midstream: boolean;
  options: {
    mss: { client: number; server: number };
    wscale: { client: number; server: number } | null;
    sack: boolean;
    timestamps: boolean;
  };
  streams: { client: StreamTruth; server: StreamTruth };
  ended: 'open' | 'fin' | 'rst';
  firstClose: 'client' | 'server' | 'both' | null;
}

export interface CaptureTruth {
  version: 1;
  seed: number;
  linkType: number;
  snaplen: number;
  startSec: number;
  vantage: 'client' | 'server';
  connections: ConnectionTruth[];
  frames: TruthFrame[];
}

/** Truth of a byte stream: length, sha256, and the bytes in base64 when small. */
export function streamTruth(bytes: Uint8Array): StreamTruth {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return bytes.length <= 4096 ? { length: bytes.length, sha256, base64: Buffer.from(bytes).toString('base64') } : { length: bytes.length, sha256 };
}
