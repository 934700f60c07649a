/**
 * What follows an EtherType: IEEE 802.1Q / 802.1ad / 0x9100 VLAN tags and the PPPoE session
 * header (RFC 2516 section 4), shared by Ethernet II and the Linux cooked headers.
 */
import { u8, u16 } from '../bytes.js';
import { ETHERTYPE } from '../ethertype.js';
import { LAYER, LEN_SOURCE, MAX_VLAN_TAGS, STOP_LAYER, STOP_REASON } from '../decoded-packet.js';
import type { DecodedPacket } from '../decoded-packet.js';

/** PPP protocol numbers (RFC 1332 IPCP-negotiated IPv4, RFC 5072 IPv6). */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

/**
 * Walk VLAN tags and PPPoE starting with EtherType `type` whose payload begins at `pos`.
 * Sets `pkt.etherType`, `vlanCount`/`vlanIds`, the VLAN/PPPOE layer bits, and returns the
 * offset of the network layer, or -1 after `pkt.stop(...)`. A non-IP EtherType is returned
 * as-is (the caller decides NOT_IP). Never reads at or past `end`.
 */
export function decodeEtherChain(pkt: DecodedPacket, buf: Uint8Array, type: number, pos: number, end: number): number {
  while (type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.QINQ_9100) {
    if (pkt.vlanCount >= MAX_VLAN_TAGS) {
      // need/have are tag counts here: at most MAX_VLAN_TAGS are kept.
      pkt.stop(STOP_LAYER.VLAN, STOP_REASON.TOO_DEEP, pos, MAX_VLAN_TAGS, MAX_VLAN_TAGS + 1, LEN_SOURCE.SLICE);
      return -1;
    }
    if (end - pos < 4) {
      pkt.stop(STOP_LAYER.VLAN, STOP_REASON.TRUNCATED, pos, 4, Math.max(0, end - pos), LEN_SOURCE.SLICE);
      return -1;
    }
    pkt.vlanIds[pkt.vlanCount++] = u16(buf, pos) & 0x0fff;
    type = u16(buf, pos + 2);
    pos += 4;
    pkt.layers |= LAYER.VLAN;
  }
  if (type === ETHERTYPE.PPPOE_SESSION) return decodePppoe(pkt, buf, pos, end);
  pkt.etherType = type;
  return pos;
}

/** PPPoE session header before its payload: ver/type, code, session id, LENGTH (RFC 2516 section 4). */
const PPPOE_HEADER = 6;
/** The PPP protocol field that opens the PPPoE payload (RFC 1661 section 2); LENGTH counts it. */
const PPP_PROTO_LEN = 2;

/**
 * Where the PPPoE payload ends, as an absolute offset into `buf`, for a frame whose session
 * header `decodeEtherChain` accepted (LAYER.PPPOE set), given the network-layer offset `net` it
 * returned: LENGTH bytes after the 6-byte header (RFC 2516 section 4: LENGTH is the payload length, PPP protocol field included).
 * Bytes past it are Ethernet padding, not part of the datagram. May lie past the captured frame
 * (a snap-length cut): the caller bounds it by the capture.
 */
export function pppoePayloadEnd(buf: Uint8Array, net: number): number {
  return net - PPP_PROTO_LEN + u16(buf, net - PPP_PROTO_LEN - 2);
}

/**
 * PPPoE session header (RFC 2516 section 4: ver/type 0x11, code 0, session id, length) and the
 * 2-byte PPP protocol field (RFC 1661 section 2). IPv4/IPv6 map to their EtherTypes; any other
 * PPP protocol stops with NOT_IP. A LENGTH below 2 cannot hold the PPP protocol field: malformed
 * (BAD_HEADER_LENGTH, length source PPPOE). The network layer it returns ends at
 * `pppoePayloadEnd` (the decode driver applies that bound).
 */
function decodePppoe(pkt: DecodedPacket, buf: Uint8Array, pos: number, end: number): number {
  const hdr = PPPOE_HEADER + PPP_PROTO_LEN;
  if (end - pos < hdr) {
    pkt.stop(STOP_LAYER.PPPOE, STOP_REASON.TRUNCATED, pos, hdr, Math.max(0, end - pos), LEN_SOURCE.SLICE);
    return -1;
  }
  if (u8(buf, pos) !== 0x11) {
    pkt.stop(STOP_LAYER.PPPOE, STOP_REASON.BAD_VERSION, pos, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  const len = u16(buf, pos + PPPOE_HEADER - 2);
  if (len < PPP_PROTO_LEN) {
    pkt.stop(STOP_LAYER.PPPOE, STOP_REASON.BAD_HEADER_LENGTH, pos, PPP_PROTO_LEN, len, LEN_SOURCE.PPPOE);
    return -1;
  }
  pkt.pppoeSession = u16(buf, pos + 2);
  pkt.layers |= LAYER.PPPOE;
  const proto = u16(buf, pos + PPPOE_HEADER);
  if (proto === PPP_IPV4) pkt.etherType = ETHERTYPE.IPV4;
  else if (proto === PPP_IPV6) pkt.etherType = ETHERTYPE.IPV6;
  else {
    pkt.stop(STOP_LAYER.PPPOE, STOP_REASON.NOT_IP, pos + hdr, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  return pos + hdr;
}
