/**
 * Hand-built TCP segments for the connection-state scenario tests: a `DecodedPacket` with only
 * the TCP fields the analysis reads (flags, seq, ack, payload length, window, SYN options).
 * Style guide item 17: a template plus spread overrides per step.
 */
import { DecodedPacket, LAYER, TCP_FLAG, TCP_OPT } from '../../src/dissectors/decoded-packet.js';

export const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;

/** The fields a scenario step sets. */
export interface Seg {
  flags: number;
  seq: number;
  ack: number;
  len: number;
  window: number;
  mss?: number;
  wscale?: number;
  sackPerm?: boolean;
  timestamps?: boolean;
}

/** Template: a pure ACK with an open window. */
export const SEG: Seg = { flags: ACK, seq: 0, ack: 0, len: 0, window: 1000 };

/** A fresh packet holding `s` (allocated per call: test code only). */
export function packet(s: Seg): DecodedPacket {
  const p = new DecodedPacket();
  p.layers = LAYER.IPV4 | LAYER.TCP;
  p.tcpFlags = s.flags;
  p.seq = s.seq >>> 0;
  p.ack = s.ack >>> 0;
  p.payloadWireLen = s.len;
  p.payloadCapLen = s.len;
  p.window = s.window;
  p.mss = s.mss ?? -1;
  p.wscale = s.wscale ?? -1;
  p.tcpOptFlags = (s.mss !== undefined ? TCP_OPT.MSS : 0) | (s.wscale !== undefined ? TCP_OPT.WSCALE : 0)
    | (s.sackPerm === true ? TCP_OPT.SACK_PERM : 0) | (s.timestamps === true ? TCP_OPT.TIMESTAMP : 0);
  return p;
}
