/**
 * TCP header (RFC 9293 section 3.1). Contract: after `decodeTcp` sets `LAYER.TCP`, the fixed
 * 20-byte header is inside the capture and every fixed field is valid. Normally the whole header
 * (data offset * 4 bytes) is there too, the options were walked, and
 * `payloadOff .. payloadOff + payloadCapLen` is captured payload. When the capture cut the
 * options (a small snap length, as Wireshark still shows the segment), `stopLayer` is
 * TCP_OPTIONS with reason TRUNCATED: the options are not decoded (their fields stay absent),
 * `payloadCapLen` is 0 and `payloadWireLen` still tells the segment's length.
 */
import { u8, u16, u32 } from './bytes.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { walkTcpOptions } from './tcp-options.js';

/** Minimum header: data offset 5 (RFC 9293 section 3.1, "Data Offset"). */
export const TCP_MIN_HEADER = 20;

/**
 * Decode TCP at `off`; `end` is the smaller of the capture end and the IP datagram end, and
 * `lenSource` says which of the two it is. The fixed fields (ports, numbers, flags) are filled
 * as soon as 20 bytes are there, even if the options are then cut off.
 */
export function decodeTcp(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, lenSource: number): void {
  const have = end - off;
  if (have < TCP_MIN_HEADER) {
    pkt.stop(STOP_LAYER.TCP, STOP_REASON.TRUNCATED, off, TCP_MIN_HEADER, Math.max(0, have), lenSource);
    return;
  }
  const hl = (u8(buf, off + 12) >> 4) << 2;
  if (hl < TCP_MIN_HEADER) {
    pkt.stop(STOP_LAYER.TCP, STOP_REASON.BAD_HEADER_LENGTH, off, TCP_MIN_HEADER, hl, LEN_SOURCE.TCP_DATA_OFFSET);
    return;
  }
  pkt.sport = u16(buf, off);
  pkt.dport = u16(buf, off + 2);
  pkt.seq = u32(buf, off + 4);
  pkt.ack = u32(buf, off + 8);
  pkt.tcpFlags = u16(buf, off + 12) & 0x0fff;
  pkt.window = u16(buf, off + 14);
  pkt.tcpChecksum = u16(buf, off + 16);
  pkt.urgent = u16(buf, off + 18);
  pkt.tcpHdrLen = hl;
  if (hl > have && lenSource !== LEN_SOURCE.SLICE) {
    // The IP datagram itself ends inside the header: malformed, not a capture cut.
    pkt.stop(STOP_LAYER.TCP, STOP_REASON.TRUNCATED, off, hl, have, LEN_SOURCE.TCP_DATA_OFFSET);
    return;
  }
  if (hl > have) {
    // Options cut off: keep the fixed header usable, as tshark does, and say where it stopped.
    pkt.stop(STOP_LAYER.TCP_OPTIONS, STOP_REASON.TRUNCATED, off + TCP_MIN_HEADER, hl - TCP_MIN_HEADER, have - TCP_MIN_HEADER, lenSource);
    pkt.payloadOff = off + hl;
    pkt.payloadWireLen = Math.max(0, pkt.l4WireLen - hl);
    pkt.payloadCapLen = 0;
    pkt.layers |= LAYER.TCP;
    return;
  }
  if (hl > TCP_MIN_HEADER) walkTcpOptions(pkt, buf, off + TCP_MIN_HEADER, off + hl);
  pkt.payloadOff = off + hl;
  pkt.payloadWireLen = pkt.l4WireLen - hl;
  pkt.payloadCapLen = have - hl;
  pkt.layers |= LAYER.TCP;
}
