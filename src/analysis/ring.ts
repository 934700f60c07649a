/**
 * Growth of the layout both RTT rings use (rtt-segments.ts, rtt-tsval.ts): one Float64Array of
 * `hdr` header numbers followed by `cap` entries of `stride` numbers (cap a power of two), the
 * live entries being `len` slots from `head`, wrapping. Growing copies the header and lays the
 * live entries out from slot 0 (the caller then sets head = 0).
 */
export function grownRing(buf: Float64Array, hdr: number, stride: number, head: number, len: number, cap: number, newCap: number): Float64Array {
  const next = new Float64Array(hdr + newCap * stride);
  next.set(buf.subarray(0, hdr));
  for (let i = 0; i < len; i++) {
    const s = hdr + ((head + i) & (cap - 1)) * stride;
    next.set(buf.subarray(s, s + stride), hdr + i * stride);
  }
  return next;
}
