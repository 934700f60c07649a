/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443 section 2.1): type, code, and for error messages the
 * quoted ("embedded") IP header plus the first 8 bytes of its transport header (RFC 792
 * "Internet Header + 64 bits of Original Data Datagram"; RFC 4443 section 3 "as much of the
 * invoking packet as possible"). Quoted data that is cut short just leaves inner fields absent.
 */
import { u8, u16, u32 } from './bytes.js';
import { IPPROTO } from './ethertype.js';
import { LAYER, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

/** ICMPv4 types whose body quotes the invoking datagram. */
function isIcmp4Error(t: number): boolean {
  // 3 destination unreachable (code 4: fragmentation needed), 4 source quench, 5 redirect,
  // 11 time exceeded, 12 parameter problem.
  return t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
}

/** ICMPv6 error types: 1 unreachable, 2 packet too big, 3 time exceeded, 4 parameter problem. */
function isIcmp6Error(t: number): boolean {
  return t >= 1 && t <= 4;
}

/**
 * Decode ICMP (`v6` false) or ICMPv6 at `off`. The 8-byte header (type, code, checksum and the
 * 4 type-specific bytes: echo id/sequence, next-hop MTU, pointer, gateway) must be present.
 */
export function decodeIcmp(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, lenSource: number, v6: boolean): void {
  const layer = v6 ? STOP_LAYER.ICMPV6 : STOP_LAYER.ICMP;
  if (end - off < 8) {
    pkt.stop(layer, STOP_REASON.TRUNCATED, off, 8, Math.max(0, end - off), lenSource);
    return;
  }
  const type = u8(buf, off);
  pkt.icmpType = type;
  pkt.icmpCode = u8(buf, off + 1);
  pkt.payloadOff = off + 8;
  pkt.payloadWireLen = pkt.l4WireLen - 8;
  pkt.payloadCapLen = end - off - 8;
  pkt.layers |= v6 ? LAYER.ICMPV6 : LAYER.ICMP;
  if (v6 ? isIcmp6Error(type) : isIcmp4Error(type)) decodeInner(pkt, buf, off + 8, end);
}

/** The quoted IP header at `p` and the first 8 bytes of the quoted TCP/UDP header. */
function decodeInner(pkt: DecodedPacket, buf: Uint8Array, p: number, end: number): void {
  if (end - p < 1) return;
  const v = u8(buf, p) >> 4;
  let l4: number;
  if (v === 4) {
    const ihl = (u8(buf, p) & 0x0f) << 2;
    if (ihl < 20 || end - p < ihl) return;
    pkt.innerProto = u8(buf, p + 9);
    pkt.innerSrcOff = p + 12;
    pkt.innerDstOff = p + 16;
    if ((u16(buf, p + 6) & 0x1fff) !== 0) { // a non-first fragment quotes no transport header
      pkt.innerIpVersion = 4;
      pkt.layers |= LAYER.ICMP_INNER;
      return;
    }
    l4 = p + ihl;
  } else if (v === 6) {
    if (end - p < 40) return;
    pkt.innerProto = u8(buf, p + 6);
    pkt.innerSrcOff = p + 8;
    pkt.innerDstOff = p + 24;
    l4 = p + 40;
  } else {
    return;
  }
  pkt.innerIpVersion = v;
  pkt.layers |= LAYER.ICMP_INNER;
  const proto = pkt.innerProto;
  if ((proto === IPPROTO.TCP || proto === IPPROTO.UDP) && end - l4 >= 4) {
    pkt.innerSport = u16(buf, l4);
    pkt.innerDport = u16(buf, l4 + 2);
    if (proto === IPPROTO.TCP && end - l4 >= 8) pkt.innerSeq = u32(buf, l4 + 4);
  }
}
