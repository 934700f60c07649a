/**
 * Internet checksum (RFC 1071) helpers. Sums are kept unfolded as plain numbers (safe: < 2^53)
 * and folded to 16 bits at the end.
 */

/** One's-complement partial sum of `b[off .. off+len)` as big-endian 16-bit words (odd byte padded). */
export function sumBytes(b: Uint8Array, off: number, len: number, start = 0): number {
  let s = start;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < end) s += b[i]! << 8;
  return s;
}

/** Fold a partial sum to 16 bits (no complement). */
export function foldSum(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Final checksum value for a header field: complement of the folded sum. */
export function finishChecksum(s: number): number {
  return ~foldSum(s) & 0xffff;
}

/** Pseudo-header partial sum for TCP/UDP (RFC 793 / RFC 8200 §8.1). `src`/`dst` are 4 or 16 bytes. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, l4Length: number): number {
  let s = sumBytes(src, 0, src.length);
  s = sumBytes(dst, 0, dst.length, s);
  return s + protocol + (l4Length & 0xffff) + Math.floor(l4Length / 65536);
}
