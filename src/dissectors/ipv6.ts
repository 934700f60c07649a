/**
 * IPv6 fixed header (RFC 8200 section 3) and the extension-header chain (section 4): hop-by-hop
 * (with the RFC 2675 jumbo payload option used by Linux BIG TCP), routing, fragment (section
 * 4.5), destination options, AH (RFC 4302 section 2.2, length in 4-byte units) and the other
 * generic-format headers (mobility 135, HIP 139, shim6 140). Contract: after a true return the
 * fixed header fields are valid and `l4Off .. l4Off + l4CapLen` is inside capture and payload.
 */
import { u8, u16, u32 } from './bytes.js';
import { IPPROTO } from './ethertype.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

export const IPV6_HEADER = 40;
/** Cap on extension headers walked (RFC 8200 allows each once or twice; more is hostile). */
export const MAX_IPV6_EXT = 8;
/** Jumbo Payload option type (RFC 2675 section 2). */
const OPT_JUMBO = 0xc2;

/**
 * Decode the IPv6 header at `off` captured up to `end` and walk its extension headers.
 * Returns true when the upper layer at `l4Off` (protocol `proto`) may be decoded; false after
 * `pkt.stop(...)` (FRAGMENT for a non-first fragment is a non-error stop).
 * Payload length 0 with a jumbo option uses the jumbo length; without one (TSO capture) the
 * captured length; both set `ipLenFromCapture = 1`.
 *
 * `endSource` says what `end` is: the capture (SLICE) or a link-layer length (PPPOE) that ends
 * the datagram. A payload length past a link-layer end is cut there as in decodeIpv4:
 * `ipTotalLen` keeps the header's value, the walk and `l4WireLen` stop at `end`, and the
 * non-final stop BAD_TOTAL_LENGTH records it; extension headers cut by it stop TRUNCATED with
 * that length source.
 */
export function decodeIpv6(
  pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, reassembled: boolean, endSource: number = LEN_SOURCE.SLICE,
): boolean {
  const have = end - off;
  if (have < IPV6_HEADER) {
    return pkt.stop(STOP_LAYER.IPV6, STOP_REASON.TRUNCATED, off, IPV6_HEADER, Math.max(0, have), endSource);
  }
  if (u8(buf, off) >> 4 !== 6) return pkt.stop(STOP_LAYER.IPV6, STOP_REASON.BAD_VERSION, off, 0, 0, LEN_SOURCE.SLICE);
  pkt.tos = (u16(buf, off) >> 4) & 0xff;
  let plen = u16(buf, off + 4);
  const nh = u8(buf, off + 6);
  pkt.ttl = u8(buf, off + 7);
  pkt.srcOff = off + 8;
  pkt.dstOff = off + 24;
  pkt.pseudoDstOff = off + 24;
  pkt.ipVersion = 6;
  if (plen === 0) {
    const jumbo = nh === IPPROTO.HOPOPTS ? findJumbo(buf, off + IPV6_HEADER, end) : 0;
    plen = jumbo > 0 ? jumbo : have - IPV6_HEADER;
    pkt.ipLenFromCapture = 1;
  }
  pkt.ipTotalLen = IPV6_HEADER + plen;
  pkt.layers |= LAYER.IPV6;
  const limit = off + IPV6_HEADER + plen;
  if (limit > end && endSource !== LEN_SOURCE.SLICE) {
    pkt.stop(STOP_LAYER.IPV6, STOP_REASON.BAD_TOTAL_LENGTH, off, pkt.ipTotalLen, have, endSource);
    return walkExtensions(pkt, buf, off, nh, end, end, reassembled, endSource);
  }
  return walkExtensions(pkt, buf, off, nh, limit, end, reassembled, -1);
}

/** Value of a jumbo payload option in the hop-by-hop header at `p`, or 0. */
function findJumbo(buf: Uint8Array, p: number, end: number): number {
  if (end - p < 8) return 0;
  const hEnd = Math.min(p + ((u8(buf, p + 1) + 1) << 3), end);
  let q = p + 2;
  while (q + 2 <= hEnd) {
    const t = u8(buf, q);
    if (t === 0) { // Pad1 (RFC 8200 section 4.2)
      q++;
      continue;
    }
    const l = u8(buf, q + 1);
    if (t === OPT_JUMBO && l === 4 && q + 6 <= hEnd) return u32(buf, q + 2);
    q += 2 + l;
  }
  return 0;
}

/**
 * Check that `need` bytes at `p` fit the payload (`limit`) and the capture (`end`); otherwise
 * stop with BAD_EXTENSION (past the payload length), TRUNCATED with length source `cutSource`
 * (past a link-layer length that cut the payload to `limit`; -1 when none did) or TRUNCATED
 * (past the capture).
 */
function extFits(pkt: DecodedPacket, p: number, need: number, limit: number, end: number, cutSource: number): boolean {
  if (p + need > limit && cutSource >= 0) {
    return pkt.stop(STOP_LAYER.IPV6_EXT, STOP_REASON.TRUNCATED, p, need, Math.max(0, limit - p), cutSource);
  }
  if (p + need > limit) {
    const src = pkt.ipLenFromCapture !== 0 ? LEN_SOURCE.SLICE : LEN_SOURCE.IPV6_PAYLOAD;
    return pkt.stop(STOP_LAYER.IPV6_EXT, STOP_REASON.BAD_EXTENSION, p, need, Math.max(0, limit - p), src);
  }
  if (p + need > end) return pkt.stop(STOP_LAYER.IPV6_EXT, STOP_REASON.TRUNCATED, p, need, Math.max(0, end - p), LEN_SOURCE.SLICE);
  return true;
}

/** True for next-header values that are extension headers walked here. */
function isExtension(nh: number): boolean {
  return nh === IPPROTO.HOPOPTS || nh === IPPROTO.ROUTING || nh === IPPROTO.FRAGMENT || nh === IPPROTO.DSTOPTS ||
    nh === IPPROTO.AH || nh === IPPROTO.MOBILITY || nh === IPPROTO.HIP || nh === IPPROTO.SHIM6;
}

function walkExtensions(
  pkt: DecodedPacket, buf: Uint8Array, off: number, nh: number, limit: number, end: number, reassembled: boolean, cutSource: number,
): boolean {
  let p = off + IPV6_HEADER;
  let depth = 0;
  while (isExtension(nh)) {
    if (++depth > MAX_IPV6_EXT) return pkt.stop(STOP_LAYER.IPV6_EXT, STOP_REASON.TOO_DEEP, p, MAX_IPV6_EXT, depth, LEN_SOURCE.SLICE);
    if (!extFits(pkt, p, 8, limit, end, cutSource)) return false;
    const hlen = nh === IPPROTO.FRAGMENT ? 8 : nh === IPPROTO.AH ? (u8(buf, p + 1) + 2) << 2 : (u8(buf, p + 1) + 1) << 3;
    if (!extFits(pkt, p, hlen, limit, end, cutSource)) return false;
    if (nh === IPPROTO.ROUTING) finalDestination(pkt, buf, p, hlen);
    const next = u8(buf, p);
    if (nh === IPPROTO.FRAGMENT) {
      setUpper(pkt, off, next, p + 8, limit, end);
      if (readFragment(pkt, buf, p, reassembled)) {
        return pkt.stop(STOP_LAYER.IPV6_EXT, STOP_REASON.FRAGMENT, p, 0, 0, LEN_SOURCE.SLICE);
      }
    }
    nh = next;
    p += hlen;
  }
  setUpper(pkt, off, nh, p, limit, end);
  return true;
}

function setUpper(pkt: DecodedPacket, off: number, proto: number, p: number, limit: number, end: number): void {
  pkt.proto = proto;
  pkt.ipHdrLen = p - off;
  pkt.l4Off = p;
  pkt.l4WireLen = limit - p;
  pkt.l4CapLen = Math.max(0, Math.min(limit, end) - p);
}

/**
 * Fragment header (RFC 8200 section 4.5). Returns true for a non-first fragment (decoding
 * stops). An atomic fragment (offset 0, M = 0; RFC 6946) is recorded but is not a fragment.
 */
function readFragment(pkt: DecodedPacket, buf: Uint8Array, p: number, reassembled: boolean): boolean {
  const fo = u16(buf, p + 2);
  pkt.ip6FragHdrOff = p;
  pkt.fragOff = fo & 0xfff8;
  pkt.mf = fo & 1;
  pkt.ipId = u32(buf, p + 4);
  if ((pkt.fragOff === 0 && pkt.mf === 0) || reassembled) return false;
  pkt.layers |= LAYER.FRAGMENT;
  return pkt.fragOff !== 0;
}

/**
 * With segments left, the pseudo-header destination is the final one (RFC 8200 section 8.1):
 * type 0 (RFC 2460, deprecated) its last address, type 2 (RFC 6275) its one address,
 * type 4 SRH (RFC 8754 section 2) Segment List[0].
 */
function finalDestination(pkt: DecodedPacket, buf: Uint8Array, p: number, hlen: number): void {
  if (u8(buf, p + 3) === 0) return;
  const type = u8(buf, p + 2);
  const n = (hlen - 8) >> 4;
  if (n < 1) return;
  if (type === 0) pkt.pseudoDstOff = p + 8 + (n - 1) * 16;
  else if (type === 2 || type === 4) pkt.pseudoDstOff = p + 8;
}
