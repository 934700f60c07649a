/**
 * Building the rebuilt datagram's header from the first fragment's (pure byte work).
 *
 * IPv4 (RFC 791 §3.2 reassembly): the first fragment's header, options included, with total
 * length set, MF and fragment offset cleared (DF and the reserved bit kept) and the header checksum
 * adjusted incrementally (RFC 1624 eqn. 3): the result verifies exactly when the original did, so a
 * bad checksum stays visible.
 *
 * IPv6 (RFC 8200 §4.5): the first fragment's fixed header and unfragmentable extension headers;
 * the fragment header is dropped, the next-header field that named it (44) takes the fragment
 * header's next-header value, and payload length covers what is left.
 */
import { fold16, sum16 } from '../dissectors/checksum.js';

/** IPv6 next-header values of extension headers whose length is `(len + 1) * 8` (RFC 8200 §4). */
const EXT_8 = new Set([0, 43, 60, 135, 139, 140, 253, 254]);
/** Authentication Header: length is `(len + 2) * 4` (RFC 4302 §2.2). */
const NH_AH = 51;

/** RFC 1624 eqn. 3: new checksum after a 16-bit word of the summed data changed from `oldW` to `newW`. */
export function adjustChecksum(hc: number, oldW: number, newW: number): number {
  let s = (~hc & 0xffff) + (~oldW & 0xffff) + (newW & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** Internet checksum (RFC 1071) of `b[off, off+len)`; 0 when a header including its checksum verifies. */
export function internetChecksum(b: Uint8Array, off: number, len: number): number {
  return ~fold16(sum16(b, off, len, 0)) & 0xffff;
}

/**
 * Write the rebuilt IPv4 header into `out[0, hdr.length)`. `hdr` is the first fragment's header
 * (IHL*4 bytes); `totalLen` is header + payload. Precondition: totalLen <= 65535.
 */
export function writeIpv4Header(out: Uint8Array, hdr: Uint8Array, totalLen: number): void {
  out.set(hdr, 0);
  const oldLen = ((hdr[2] ?? 0) << 8) | (hdr[3] ?? 0);
  const oldFrag = ((hdr[6] ?? 0) << 8) | (hdr[7] ?? 0);
  const newFrag = oldFrag & 0xc000; // keep reserved + DF, clear MF and offset
  let ck = ((hdr[10] ?? 0) << 8) | (hdr[11] ?? 0);
  ck = adjustChecksum(ck, oldLen, totalLen);
  ck = adjustChecksum(ck, oldFrag, newFrag);
  out[2] = totalLen >>> 8;
  out[3] = totalLen & 0xff;
  out[6] = newFrag >>> 8;
  out[7] = newFrag & 0xff;
  out[10] = ck >>> 8;
  out[11] = ck & 0xff;
}

/**
 * Offset, within `hdr` (fixed header + unfragmentable extension headers, the fragment header
 * excluded), of the next-header byte that names the fragment header: 6 for the fixed header,
 * else byte 0 of the last extension header. -1 when the chain does not end exactly at `hdr.length`.
 */
export function ipv6FragmentNhOffset(hdr: Uint8Array): number {
  let nhOff = 6;
  let off = 40;
  while (off < hdr.length) {
    const nh = hdr[nhOff] ?? -1;
    let len: number;
    if (EXT_8.has(nh)) len = ((hdr[off + 1] ?? 0) + 1) * 8;
    else if (nh === NH_AH) len = ((hdr[off + 1] ?? 0) + 2) * 4;
    else return -1;
    nhOff = off;
    off += len;
  }
  return off === hdr.length ? nhOff : -1;
}

/**
 * Write the rebuilt IPv6 header into `out[0, hdr.length)`: `hdr` is the first fragment's fixed +
 * unfragmentable headers, `nhOff` from `ipv6FragmentNhOffset`, `nextHeader` the fragment header's
 * next header, `payloadLen` = everything after the fixed header. Precondition: payloadLen <= 65535.
 */
export function writeIpv6Header(out: Uint8Array, hdr: Uint8Array, nhOff: number, nextHeader: number, payloadLen: number): void {
  out.set(hdr, 0);
  out[nhOff] = nextHeader;
  out[4] = payloadLen >>> 8;
  out[5] = payloadLen & 0xff;
}
