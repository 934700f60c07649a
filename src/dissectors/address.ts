/**
 * Address text as tcpdump and tshark print it: IPv4 dotted quad, IPv6 per RFC 5952 section 4
 * (lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`, the
 * first such run on a tie) with inet_ntop's embedded-IPv4 forms `::a.b.c.d` and `::ffff:a.b.c.d`.
 * These allocate strings: use for output, not for keys.
 */
import { u16 } from './bytes.js';

/** Dotted-quad text of the 4 bytes at `off`. */
export function formatIpv4(buf: Uint8Array, off: number): string {
  return `${buf[off] ?? 0}.${buf[off + 1] ?? 0}.${buf[off + 2] ?? 0}.${buf[off + 3] ?? 0}`;
}

/** RFC 5952 text of the 16 bytes at `off`. */
export function formatIpv6(buf: Uint8Array, off: number): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  for (let i = 0; i < 8; i++) {
    if (u16(buf, off + 2 * i) === 0) {
      if (curBase < 0) curBase = i;
      if (i - curBase + 1 > bestLen) {
        bestLen = i - curBase + 1;
        bestBase = curBase;
      }
    } else {
      curBase = -1;
    }
  }
  if (bestLen < 2) bestBase = -1; // RFC 5952 section 4.2.2: a single 0 group is not compressed
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && u16(buf, off + 10) === 0xffff))) {
    return (bestLen === 5 ? '::ffff:' : '::') + formatIpv4(buf, off + 12);
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += u16(buf, off + 2 * i).toString(16);
  }
  return s;
}

/** Address text for IP version `v` (4 or 6) at `off`. */
export function formatIp(buf: Uint8Array, off: number, v: number): string {
  return v === 6 ? formatIpv6(buf, off) : formatIpv4(buf, off);
}
