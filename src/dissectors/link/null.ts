/**
 * Headerless and loopback link types: BSD NULL (0, address family in host byte order) and
 * LOOP (108, network byte order) per tcpdump.org/linktypes/LINKTYPE_NULL.html; raw IP
 * (101, 12, 14: the version nibble decides) and LINKTYPE_IPV4 (228) / LINKTYPE_IPV6 (229).
 */
import { u8, u32, u32le } from '../bytes.js';
import { ETHERTYPE } from '../ethertype.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from '../decoded-packet.js';
import type { DecodedPacket } from '../decoded-packet.js';

/** AF_INET on every BSD and Linux; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
function familyToEtherType(fam: number): number {
  if (fam === 2) return ETHERTYPE.IPV4;
  if (fam === 24 || fam === 28 || fam === 30) return ETHERTYPE.IPV6;
  return -1;
}

/** NULL/LOOP: a 4-byte address family, accepted in either byte order (writers disagree). */
export function decodeNull(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): number {
  if (end - off < 4) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.TRUNCATED, off, 4, Math.max(0, end - off), LEN_SOURCE.SLICE);
    return -1;
  }
  pkt.layers |= LAYER.LINK;
  let type = familyToEtherType(u32le(buf, off));
  if (type < 0) type = familyToEtherType(u32(buf, off));
  if (type < 0) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.NOT_IP, off + 4, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  pkt.etherType = type;
  return off + 4;
}

/**
 * Raw IP with no link header. `want` is 4 or 6 for LINKTYPE_IPV4/IPV6 (the IP decoder then
 * checks the version), or 0 to take the version from the first nibble.
 */
export function decodeRaw(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number, want: number): number {
  pkt.layers |= LAYER.LINK;
  let v = want;
  if (v === 0) {
    if (end - off < 1) {
      pkt.stop(STOP_LAYER.LINK, STOP_REASON.TRUNCATED, off, 1, 0, LEN_SOURCE.SLICE);
      return -1;
    }
    v = u8(buf, off) >> 4;
  }
  if (v === 4) pkt.etherType = ETHERTYPE.IPV4;
  else if (v === 6) pkt.etherType = ETHERTYPE.IPV6;
  else {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.BAD_VERSION, off, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  return off;
}
