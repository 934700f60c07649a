/**
 * IPv4 header (RFC 791 section 3.1). Contract (style guide 2.2): `decodeIpv4` validates the
 * captured length, version, IHL >= 5 and total length >= IHL once; after it returns true every
 * header field in `pkt` is valid and `l4Off .. l4Off + l4CapLen` lies inside the capture and
 * inside the datagram (Ethernet padding past the total length is never upper-layer data).
 */
import { u8, u16 } from './bytes.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

/** Minimum header: IHL 5 (RFC 791 section 3.1, "Internet Header Length"). */
export const IPV4_MIN_HEADER = 20;

/**
 * Decode the IPv4 header at `off`, captured up to `end`. Returns true when the upper layer
 * may be decoded (first fragment or whole datagram); false after `pkt.stop(...)`, including
 * the non-error stop FRAGMENT for a non-first fragment (RFC 791: offset != 0).
 *
 * Total length 0 (a segmentation-offload "super packet" captured on the sending host before
 * the NIC split it) resolves to the captured length with `ipLenFromCapture = 1`.
 * With `reassembled`, fragment fields are recorded but do not stop decoding (the defragmenter
 * hands back a whole datagram that may still carry the first fragment's MF bit).
 *
 * `endSource` says what `end` is: the capture (SLICE: bytes past it were on the wire but not
 * captured, so the upper layer keeps the total length as its wire length) or a link-layer length
 * (PPPOE: the datagram really ends there). A total length past a link-layer end is cut at that
 * end, as tshark does ("IPv4 total length exceeds packet length"): `ipTotalLen` keeps the header's
 * value, `l4WireLen` counts only the bytes the link layer carries, and the non-final stop
 * BAD_TOTAL_LENGTH (need = total length, have = link-layer length) records it while decoding
 * goes on to the upper layer.
 */
export function decodeIpv4(
  pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, reassembled: boolean, endSource: number = LEN_SOURCE.SLICE,
): boolean {
  const have = end - off;
  if (have < IPV4_MIN_HEADER) {
    return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.TRUNCATED, off, IPV4_MIN_HEADER, Math.max(0, have), endSource);
  }
  const b0 = u8(buf, off);
  if (b0 >> 4 !== 4) return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.BAD_VERSION, off, 0, 0, LEN_SOURCE.SLICE);
  const ihl = (b0 & 0x0f) << 2;
  if (ihl < IPV4_MIN_HEADER) {
    return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.BAD_HEADER_LENGTH, off, IPV4_MIN_HEADER, ihl, LEN_SOURCE.IPV4_IHL);
  }
  if (ihl > have) return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.TRUNCATED, off, ihl, have, endSource);
  let total = u16(buf, off + 2);
  if (total === 0) {
    total = have;
    pkt.ipLenFromCapture = 1;
  } else if (total < ihl) {
    return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.BAD_TOTAL_LENGTH, off, ihl, total, LEN_SOURCE.IPV4_TOTAL);
  }
  readFields(pkt, buf, off);
  pkt.ipVersion = 4;
  pkt.ipHdrLen = ihl;
  pkt.ipTotalLen = total;
  pkt.l4Off = off + ihl;
  const linkCut = total > have && endSource !== LEN_SOURCE.SLICE;
  pkt.l4WireLen = (linkCut ? have : total) - ihl;
  pkt.l4CapLen = Math.min(total, have) - ihl;
  pkt.layers |= LAYER.IPV4;
  if (linkCut) pkt.stop(STOP_LAYER.IPV4, STOP_REASON.BAD_TOTAL_LENGTH, off, total, have, endSource);
  if (pkt.mf !== 0 || pkt.fragOff !== 0) {
    if (reassembled) return true;
    pkt.layers |= LAYER.FRAGMENT;
    if (pkt.fragOff !== 0) return pkt.stop(STOP_LAYER.IPV4, STOP_REASON.FRAGMENT, off, 0, 0, LEN_SOURCE.SLICE);
  }
  return true;
}

/** Fixed fields: TOS, identification, flags/fragment offset, TTL, protocol, checksum, addresses. */
function readFields(pkt: DecodedPacket, buf: Uint8Array, off: number): void {
  pkt.tos = u8(buf, off + 1);
  pkt.ipId = u16(buf, off + 4);
  const ff = u16(buf, off + 6);
  pkt.df = (ff >> 14) & 1;
  pkt.mf = (ff >> 13) & 1;
  pkt.fragOff = (ff & 0x1fff) << 3;
  pkt.ttl = u8(buf, off + 8);
  pkt.proto = u8(buf, off + 9);
  pkt.ipChecksum = u16(buf, off + 10);
  pkt.srcOff = off + 12;
  pkt.dstOff = off + 16;
  pkt.pseudoDstOff = off + 16;
}
