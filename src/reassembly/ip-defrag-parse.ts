/**
 * Reading one fragment's identity and placement from a decoded packet (rare path: only packets
 * with `LAYER.FRAGMENT` come here, so building a string key is acceptable).
 *
 * Fragment fields are read from the header bytes themselves (IPv4 bytes 6-7 and the IPv6 fragment
 * header at `ip6FragHdrOff`); the decoder's offsets and lengths (`netOff`, `ipHdrLen`, `ipTotalLen`,
 * `ip6FragHdrOff`, `frameEnd`) say where they are.
 */
import { u32 } from '../dissectors/bytes.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import type { InvalidReason } from './ip-defrag-types.js';

/** One fragment, as `readFragment` fills it. Reused: valid until the next call. */
export interface FragInfo {
  version: 4 | 6;
  /** IPv4: (src, dst, protocol, id) — RFC 791 §3.2. IPv6: (src, dst, id) — RFC 8200 §4.5. */
  key: string;
  /** Fragment offset in bytes within the fragmentable part. */
  off: number;
  /** More-fragments flag. */
  mf: number;
  /** Absolute offset and length of the fragment's payload in `buf`. */
  payOff: number;
  payLen: number;
  /** Absolute offset of the IP header, and the length of the part kept from a first fragment (IPv4 header / IPv6 fixed + unfragmentable headers). */
  hdrOff: number;
  hdrLen: number;
  /** IPv4 protocol, or the IPv6 fragment header's next header. */
  nextHeader: number;
}

/** `readFragment` outcome: a fragment, not a fragment (IPv4 MF=0 offset 0, IPv6 atomic), or refused. */
export type ReadOutcome = 'fragment' | 'not-fragment' | InvalidReason;

/** A fresh, reusable FragInfo. */
export function newFragInfo(): FragInfo {
  return { version: 4, key: '', off: 0, mf: 0, payOff: 0, payLen: 0, hdrOff: 0, hdrLen: 0, nextHeader: 0 };
}

/** Fill `out` from `pkt`. Never throws. */
export function readFragment(pkt: DecodedPacket, out: FragInfo): ReadOutcome {
  const b = pkt.buf;
  const net = pkt.netOff;
  if (net < 0) return 'not-fragment';
  if (pkt.ipVersion === 4) return readV4(pkt, b, net, out);
  if (pkt.ipVersion === 6) return readV6(pkt, b, net, out);
  return 'not-fragment';
}

function readV4(pkt: DecodedPacket, b: Uint8Array, net: number, out: FragInfo): ReadOutcome {
  const ihl = pkt.ipHdrLen;
  if (ihl < 20 || net + ihl > b.length) return 'malformed';
  const ff = ((b[net + 6] ?? 0) << 8) | (b[net + 7] ?? 0);
  const mf = (ff >>> 13) & 1;
  const off = (ff & 0x1fff) * 8;
  if (mf === 0 && off === 0) return 'not-fragment';
  if (pkt.ipLenFromCapture !== 0 || pkt.ipTotalLen < ihl) return 'malformed';
  const proto = b[net + 9] ?? 0;
  const id = ((b[net + 4] ?? 0) << 8) | (b[net + 5] ?? 0);
  out.version = 4;
  out.key = `4|${u32(b, net + 12)}|${u32(b, net + 16)}|${proto}|${id}`;
  out.off = off;
  out.mf = mf;
  out.hdrOff = net;
  out.hdrLen = ihl;
  out.payOff = net + ihl;
  out.payLen = pkt.ipTotalLen - ihl;
  out.nextHeader = proto;
  return checkCaptured(pkt, b, net + pkt.ipTotalLen);
}

function readV6(pkt: DecodedPacket, b: Uint8Array, net: number, out: FragInfo): ReadOutcome {
  const fh = pkt.ip6FragHdrOff;
  if (fh < 0) return 'not-fragment';
  if (fh < net + 40 || fh + 8 > b.length) return 'malformed';
  const fo = ((b[fh + 2] ?? 0) << 8) | (b[fh + 3] ?? 0);
  const mf = fo & 1;
  const off = fo & 0xfff8;
  // RFC 6946 §4: an atomic fragment (offset 0, M = 0) is processed in isolation, not reassembled.
  if (mf === 0 && off === 0) return 'not-fragment';
  // RFC 2675 §3: a jumbo payload option must not appear with a fragment header.
  if (pkt.ipLenFromCapture !== 0 || pkt.ipTotalLen < fh + 8 - net) return 'malformed';
  const id = (((b[fh + 4] ?? 0) << 24) | ((b[fh + 5] ?? 0) << 16) | ((b[fh + 6] ?? 0) << 8) | (b[fh + 7] ?? 0)) >>> 0;
  out.version = 6;
  out.key = `6|${addr6(b, net + 8)}|${addr6(b, net + 24)}|${id}`;
  out.off = off;
  out.mf = mf;
  out.hdrOff = net;
  out.hdrLen = fh - net;
  out.payOff = fh + 8;
  out.payLen = net + pkt.ipTotalLen - (fh + 8);
  out.nextHeader = b[fh] ?? 0;
  return checkCaptured(pkt, b, net + pkt.ipTotalLen);
}

/** The datagram's bytes must all be captured: a snap-length cut fragment cannot be copied. */
function checkCaptured(pkt: DecodedPacket, b: Uint8Array, ipEnd: number): ReadOutcome {
  return ipEnd > pkt.frameEnd || ipEnd > b.length ? 'truncated' : 'fragment';
}

/** An IPv6 address as four 32-bit numbers joined by '.' (key material). */
function addr6(b: Uint8Array, off: number): string {
  return `${u32(b, off)}.${u32(b, off + 4)}.${u32(b, off + 8)}.${u32(b, off + 12)}`;
}
