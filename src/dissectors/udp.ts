/** UDP header (RFC 768): source port, destination port, length (header + data), checksum. */
import { u16 } from './bytes.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

/**
 * Decode UDP at `off` (`end`/`lenSource` as for TCP). The UDP length bounds the payload;
 * a length below 8 is BAD_HEADER_LENGTH, one above the IP payload BAD_TOTAL_LENGTH (except on
 * a first fragment, whose UDP length covers the whole datagram). Over an
 * IPv6 jumbogram a length of 0 means "see the IP length" (RFC 2675 section 4).
 */
export function decodeUdp(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, lenSource: number): void {
  const have = end - off;
  if (have < 8) {
    pkt.stop(STOP_LAYER.UDP, STOP_REASON.TRUNCATED, off, 8, Math.max(0, have), lenSource);
    return;
  }
  pkt.sport = u16(buf, off);
  pkt.dport = u16(buf, off + 2);
  let len = u16(buf, off + 4);
  pkt.udpChecksum = u16(buf, off + 6);
  if (len === 0 && pkt.ipLenFromCapture !== 0) len = pkt.l4WireLen;
  pkt.udpLength = len;
  if (len < 8) {
    pkt.stop(STOP_LAYER.UDP, STOP_REASON.BAD_HEADER_LENGTH, off, 8, len, LEN_SOURCE.UDP_LENGTH);
    return;
  }
  // A first fragment carries only part of the datagram: its UDP length covers the whole one.
  const partial = pkt.ipLenFromCapture !== 0 || (pkt.layers & (LAYER.FRAGMENT | LAYER.REASSEMBLED)) === LAYER.FRAGMENT;
  if (len > pkt.l4WireLen && !partial) {
    pkt.stop(STOP_LAYER.UDP, STOP_REASON.BAD_TOTAL_LENGTH, off, len, pkt.l4WireLen, LEN_SOURCE.UDP_LENGTH);
    return;
  }
  pkt.payloadOff = off + 8;
  pkt.payloadWireLen = len - 8;
  pkt.payloadCapLen = Math.min(len, have) - 8;
  if (partial && pkt.ipLenFromCapture === 0) pkt.payloadCapLen = Math.min(pkt.payloadCapLen, pkt.l4CapLen - 8);
  pkt.layers |= LAYER.UDP;
}
