/**
 * Internet checksum verification (RFC 1071 one's-complement sum of 16-bit words, RFC 1624
 * incremental form for the offload check): the IPv4 header checksum (RFC 791 section 3.1) and
 * TCP/UDP/ICMPv6 checksums over the pseudo-header (RFC 9293 section 3.1, RFC 768, RFC 8200
 * section 8.1; ICMPv4 has none, RFC 792). Allocation-free; reads `pkt.buf` by offset.
 */
import { u16 } from './bytes.js';
import { IPPROTO } from './ethertype.js';
import { LAYER } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

/** Verdict per checksum. */
export const CHECKSUM = {
  /** Nothing to verify: layer absent, or UDP over IPv4 with checksum 0 ("not computed", RFC 768). */
  NONE: 0,
  GOOD: 1,
  BAD: 2,
  /** Cannot check: payload not fully captured, or a fragment. */
  UNVERIFIED: 3,
  /** Left to the NIC: outgoing packet on the capturing host, a TSO/BIG TCP super-segment, or the field holds the pseudo-header partial sum. */
  OFFLOAD: 4,
} as const;

export const CHECKSUM_NAME: readonly string[] = ['none', 'good', 'bad', 'unverified', 'offload'];

/** Unfolded sum of big-endian 16-bit words of `buf[off .. off + len)` added to `acc` (odd tail padded with 0). */
export function sum16(buf: Uint8Array, off: number, len: number, acc: number): number {
  let s = acc;
  const even = off + (len & ~1);
  let i = off;
  // Four words per iteration; a double holds the running sum exactly for any 64 KiB..4 GiB span.
  for (; i + 8 <= even; i += 8) {
    s += ((buf[i]! << 8) | buf[i + 1]!) + ((buf[i + 2]! << 8) | buf[i + 3]!) +
      ((buf[i + 4]! << 8) | buf[i + 5]!) + ((buf[i + 6]! << 8) | buf[i + 7]!);
  }
  for (; i < even; i += 2) s += (buf[i]! << 8) | buf[i + 1]!;
  if ((len & 1) !== 0) s += buf[even]! << 8;
  return s;
}

/** Fold a sum to 16 bits with end-around carry (RFC 1071 section 4.1). */
export function fold16(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return s;
}

/** IPv4 header checksum verdict. `outgoing`: the packet left the capturing host (offload possible). */
export function verifyIpv4Checksum(pkt: DecodedPacket, outgoing = false): number {
  if ((pkt.layers & LAYER.IPV4) === 0) return CHECKSUM.NONE;
  const off = pkt.netOff;
  if (fold16(sum16(pkt.buf, off, pkt.ipHdrLen, 0)) === 0xffff) return CHECKSUM.GOOD;
  return outgoing || pkt.pktType === 4 ? CHECKSUM.OFFLOAD : CHECKSUM.BAD;
}

/** Unfolded pseudo-header sum for `proto` and upper-layer length `len` (RFC 9293 section 3.1; RFC 8200 section 8.1). */
export function pseudoHeaderSum(pkt: DecodedPacket, proto: number, len: number): number {
  const b = pkt.buf;
  if (pkt.ipVersion === 4) return sum16(b, pkt.srcOff, 8, proto + len);
  let s = sum16(b, pkt.srcOff, 16, 0);
  s = sum16(b, pkt.pseudoDstOff, 16, s);
  return s + Math.floor(len / 0x10000) + (len & 0xffff) + proto;
}

/**
 * Verdict for the TCP, UDP, ICMP or ICMPv6 checksum of a decoded packet. `outgoing` is the
 * pcapng `epb_flags` outbound direction (SLL packet type 4 is detected here). A bad sum whose
 * field equals the folded pseudo-header sum is what Linux leaves for checksum offload
 * (CHECKSUM_PARTIAL) and reads OFFLOAD, not BAD. `frameCut`: the snap length cut this frame.
 */
export function verifyL4Checksum(pkt: DecodedPacket, outgoing = false, frameCut = false): number {
  const l = pkt.layers;
  let field: number;
  let proto: number;
  if ((l & LAYER.TCP) !== 0) {
    field = pkt.tcpChecksum;
    proto = IPPROTO.TCP;
  } else if ((l & LAYER.UDP) !== 0) {
    field = pkt.udpChecksum;
    proto = IPPROTO.UDP;
    if (field === 0 && pkt.ipVersion === 4) return CHECKSUM.NONE;
  } else if ((l & (LAYER.ICMP | LAYER.ICMPV6)) !== 0) {
    field = u16(pkt.buf, pkt.l4Off + 2);
    proto = (l & LAYER.ICMP) !== 0 ? -1 : IPPROTO.ICMPV6;
  } else {
    return CHECKSUM.NONE;
  }
  if (!verifiable(pkt, frameCut)) return CHECKSUM.UNVERIFIED;
  const len = pkt.l4WireLen;
  const pseudo = proto < 0 ? 0 : pseudoHeaderSum(pkt, proto, len);
  if (fold16(sum16(pkt.buf, pkt.l4Off, len, pseudo)) === 0xffff) return CHECKSUM.GOOD;
  // A TSO / BIG TCP super-segment (IP length 0 or a jumbo length, taken from the capture) was
  // captured on the sending host before the NIC segmented it and filled in the checksums.
  if (outgoing || pkt.pktType === 4 || pkt.ipLenFromCapture !== 0) return CHECKSUM.OFFLOAD;
  if (proto >= 0 && field === fold16(pseudo)) return CHECKSUM.OFFLOAD;
  return CHECKSUM.BAD;
}

/**
 * The whole upper-layer datagram is present and its length is the real one. With an IP length
 * taken from the capture (TSO, BIG TCP) that holds only if the snap length did not cut the
 * frame (`frameCut`, known to the caller from the record's original length).
 */
function verifiable(pkt: DecodedPacket, frameCut: boolean): boolean {
  if (pkt.ipLenFromCapture !== 0 && frameCut) return false;
  if ((pkt.layers & LAYER.FRAGMENT) !== 0 && (pkt.layers & LAYER.REASSEMBLED) === 0) return false;
  return pkt.l4CapLen === pkt.l4WireLen;
}
