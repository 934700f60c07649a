/**
 * The decode driver: link -> VLAN/PPPoE -> IP -> TCP/UDP/ICMP into one reused `DecodedPacket`.
 * Never throws and allocates nothing per packet: every layer reads `buf` by offset and records
 * a fault with `pkt.stop(...)` (style guide 2.5); layers decoded before the fault stay valid.
 */
import { LINKTYPE } from '../capture/link-type.js';
import { ETHERTYPE, IPPROTO } from './ethertype.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { decodeEthernet } from './link/ethernet.js';
import { pppoePayloadEnd } from './link/ether-chain.js';
import { decodeEthIpv4Tcp } from './fast-path.js';
import { decodeNull, decodeRaw } from './link/null.js';
import { decodeSll, decodeSll2 } from './link/sll.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';
import { decodeIcmp } from './icmp.js';

/**
 * Decode the frame `buf[off .. off + caplen)` captured on a `linkType` (LINKTYPE_*) interface
 * into `pkt` (reset first). `pkt` is valid until its next decode; offsets index `buf`.
 */
export function decodePacket(pkt: DecodedPacket, buf: Uint8Array, off: number, caplen: number, linkType: number): void {
  const end = Math.min(off + Math.max(0, caplen), buf.length);
  // Ethernet/IPv4/TCP, the usual frame: same fields, fewer writes (see fast-path.ts).
  if (linkType === LINKTYPE.ETHERNET && decodeEthIpv4Tcp(pkt, buf, off, end)) return;
  decodeGeneral(pkt, buf, off, end, linkType);
}

/**
 * `decodePacket` without the fast path: every frame layer by layer. Exported so tests can check
 * that the fast path gives identical fields.
 */
export function decodePacketGeneral(pkt: DecodedPacket, buf: Uint8Array, off: number, caplen: number, linkType: number): void {
  decodeGeneral(pkt, buf, off, Math.min(off + Math.max(0, caplen), buf.length), linkType);
}

function decodeGeneral(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, linkType: number): void {
  pkt.reset(buf, off, end, linkType);
  const net = decodeLink(pkt, buf, off, end, linkType);
  if (net < 0) return;
  pkt.netOff = net;
  const et = pkt.etherType;
  if (et !== ETHERTYPE.IPV4 && et !== ETHERTYPE.IPV6) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.NOT_IP, net, 0, 0, LEN_SOURCE.SLICE);
    return;
  }
  // PPPoE ends the datagram at its LENGTH field (RFC 2516 section 4); what follows in the frame
  // is Ethernet padding (as plain Ethernet padding lies past the IP length). A LENGTH past the
  // captured frame leaves the capture as the bound (a snap-length cut).
  let netEnd = end;
  let endSource: number = LEN_SOURCE.SLICE;
  if ((pkt.layers & LAYER.PPPOE) !== 0) {
    const e = pppoePayloadEnd(buf, net);
    if (e <= end) {
      netEnd = e;
      endSource = LEN_SOURCE.PPPOE;
    }
  }
  decodeNetwork(pkt, buf, net, netEnd, endSource, et === ETHERTYPE.IPV6, false);
}

/**
 * Decode a bare IP datagram `buf[off .. end)` (e.g. one the IP defragmenter rebuilt): resets
 * `pkt` with link type RAW (101) and decodes IP and the upper layer. With `reassembled`,
 * fragment fields are recorded but never stop decoding (the caller sets LAYER.REASSEMBLED).
 */
export function decodeIp(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, reassembled = true): void {
  const e = Math.min(end, buf.length);
  pkt.reset(buf, off, e, LINKTYPE.RAW);
  const net = decodeRaw(pkt, buf, off, e, 0);
  if (net < 0) return;
  pkt.netOff = net;
  decodeNetwork(pkt, buf, net, e, LEN_SOURCE.SLICE, pkt.etherType === ETHERTYPE.IPV6, reassembled);
}

/** Dispatch on the link type; returns the network-layer offset or -1 (stopped). */
function decodeLink(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, linkType: number): number {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return decodeEthernet(pkt, buf, off, end);
    case LINKTYPE.LINUX_SLL:
      return decodeSll(pkt, buf, off, end);
    case LINKTYPE.LINUX_SLL2:
      return decodeSll2(pkt, buf, off, end);
    case LINKTYPE.NULL: // host byte order family
    case LINKTYPE.LOOP: // network byte order family (either is accepted)
      return decodeNull(pkt, buf, off, end);
    case LINKTYPE.RAW: // the version nibble decides
    case LINKTYPE.RAW_12:
    case LINKTYPE.RAW_14:
      return decodeRaw(pkt, buf, off, end, 0);
    case LINKTYPE.IPV4:
      return decodeRaw(pkt, buf, off, end, 4);
    case LINKTYPE.IPV6:
      return decodeRaw(pkt, buf, off, end, 6);
    default: // no dissector: the frame is counted, nothing decoded
      pkt.stop(STOP_LAYER.LINK, STOP_REASON.UNKNOWN_LINK_TYPE, off, 0, 0, LEN_SOURCE.SLICE);
      return -1;
  }
}

/**
 * IP and the upper layer at `net`, the network layer ending at `end`: the capture
 * (`endSource` SLICE) or a link-layer length (PPPOE), which IP passes on to the upper layer.
 */
function decodeNetwork(
  pkt: DecodedPacket, buf: Uint8Array, net: number, end: number, endSource: number, v6: boolean, reassembled: boolean,
): void {
  const ok = v6 ? decodeIpv6(pkt, buf, net, end, reassembled, endSource) : decodeIpv4(pkt, buf, net, end, reassembled, endSource);
  if (!ok) return;
  // A datagram longer than the link layer's length was cut there (ipv4.ts / ipv6.ts): that length limits the upper layer.
  const linkCut = endSource !== LEN_SOURCE.SLICE && pkt.ipTotalLen > end - net;
  decodeTransport(pkt, buf, v6, linkCut ? endSource : -1);
}

/**
 * Upper layer at `pkt.l4Off`, bounded by the IP length and the capture. The limiting length is
 * `linkSource` when the link layer cut the datagram (>= 0), else the IP one (IPV4_TOTAL /
 * IPV6_PAYLOAD) when the whole datagram was captured, else the slice.
 */
function decodeTransport(pkt: DecodedPacket, buf: Uint8Array, v6: boolean, linkSource: number): void {
  const off = pkt.l4Off;
  const end = off + pkt.l4CapLen;
  const src = linkSource >= 0 ? linkSource
    : pkt.ipLenFromCapture === 0 && pkt.l4CapLen === pkt.l4WireLen
      ? (v6 ? LEN_SOURCE.IPV6_PAYLOAD : LEN_SOURCE.IPV4_TOTAL)
      : LEN_SOURCE.SLICE;
  switch (pkt.proto) {
    case IPPROTO.TCP:
      decodeTcp(pkt, buf, off, end, src);
      return;
    case IPPROTO.UDP:
      decodeUdp(pkt, buf, off, end, src);
      return;
    case IPPROTO.ICMP: // ICMPv4 only over IPv4
      if (!v6) decodeIcmp(pkt, buf, off, end, src, false);
      else pkt.stop(STOP_LAYER.IPV6, STOP_REASON.UNKNOWN_PROTOCOL, off, 0, 0, LEN_SOURCE.SLICE);
      return;
    case IPPROTO.ICMPV6: // ICMPv6 only over IPv6
      if (v6) decodeIcmp(pkt, buf, off, end, src, true);
      else pkt.stop(STOP_LAYER.IPV4, STOP_REASON.UNKNOWN_PROTOCOL, off, 0, 0, LEN_SOURCE.SLICE);
      return;
    default: // other protocols (ESP, GRE, SCTP, "no next header" 59, ...) are not decoded
      pkt.stop(v6 ? STOP_LAYER.IPV6 : STOP_LAYER.IPV4, STOP_REASON.UNKNOWN_PROTOCOL, off, 0, 0, LEN_SOURCE.SLICE);
  }
}
