/**
 * IP fragmentation of a datagram's upper-layer bytes into chosen pieces (RFC 791 §3.2,
 * RFC 8200 §4.5). Pieces may overlap and may carry different bytes than the datagram
 * (to test overlap policies); the caller picks the order in which the returned packets are sent.
 */
import { buildIpPacket } from './packet.js';
import type { IpSpec } from './packet.js';

/** One fragment: `length` bytes of the upper-layer data starting at byte `offset` (multiple of 8). */
export interface FragmentPiece {
  offset: number;
  length: number;
  /** Bytes to send instead of the datagram's own (length must equal `length`). */
  data?: Uint8Array;
}

/**
 * Consecutive pieces covering `total` bytes with the given sizes (each but the last a multiple
 * of 8); the remainder after the listed sizes goes into a final piece.
 */
export function consecutivePieces(total: number, sizes: readonly number[]): FragmentPiece[] {
  const out: FragmentPiece[] = [];
  let off = 0;
  for (const sz of sizes) {
    if (off >= total) break;
    const len = Math.min(sz, total - off);
    out.push({ offset: off, length: len });
    off += len;
  }
  if (off < total) out.push({ offset: off, length: total - off });
  return out;
}

/**
 * IP packets (no link header), one per piece in the given order. `upper` are the upper-layer bytes
 * (e.g. a whole UDP datagram incl. its header) of protocol `protocol`; `id` is the IPv4
 * identification or IPv6 fragment id. IPv6 extension headers in `ip.ext` stay in front of the
 * fragment header (unfragmentable part). MF is set on every piece that does not reach the end.
 */
export function fragmentDatagram(ip: IpSpec, protocol: number, upper: Uint8Array, pieces: readonly FragmentPiece[], id: number): Uint8Array[] {
  return pieces.map((p) => {
    const data = p.data ?? upper.subarray(p.offset, p.offset + p.length);
    const more = p.offset + p.length < upper.length;
    if (ip.version === 4) {
      return buildIpPacket({ ...ip, id, mf: more, fragOffset: p.offset }, protocol, data);
    }
    const ext = [...(ip.ext ?? []), { type: 'fragment' as const, offset: p.offset, more, id }];
    return buildIpPacket({ ...ip, ext }, protocol, data);
  });
}
