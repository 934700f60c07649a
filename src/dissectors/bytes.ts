/**
 * Big-endian reads by byte shifts over a `Uint8Array` (style guide 1.8: shifts or a cached
 * DataView, never `Buffer.read*`). Callers validate `off + width <= end` first; these helpers do
 * no bounds checks (an out-of-range index reads `undefined`, which `| 0` turns into 0, so a
 * caller bug degrades to wrong numbers, never to a throw).
 */

/** Unsigned 8-bit at `off`. */
export function u8(b: Uint8Array, off: number): number {
  return b[off]! | 0;
}

/**
 * Unsigned big-endian 16-bit at `off` (0..65535 even out of range: `undefined << 8` is 0).
 * Kept this short on purpose: at most 27 bytes of bytecode, V8 inlines it everywhere, even in
 * functions whose inlining budget is spent (a `& 0xffff` here made it a real call in the
 * decode fast path).
 */
export function u16(b: Uint8Array, off: number): number {
  return (b[off]! << 8) | b[off + 1]!;
}

/** Unsigned big-endian 32-bit at `off`, as a non-negative number. */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Unsigned little-endian 32-bit at `off`. */
export function u32le(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}
