/**
 * pcapng option lists (draft-ietf-opsawg-pcapng section 3.5): a sequence of
 * { code u16, length u16, value padded to 32 bits }, ended by opt_endofopt (code 0) or by
 * the end of the block body. An option whose header or value runs past the block is a
 * fatal fault (as in libpcap and wiretap: "Not enough data to handle option").
 */

/** Option codes used by the reader. */
export const OPT = {
  ENDOFOPT: 0,
  /** IDB (section 4.2). */
  IF_NAME: 2,
  IF_TSRESOL: 9,
  IF_TSOFFSET: 14,
  /** EPB (section 4.3) `epb_flags`, and the same code for the obsolete PB's `pack_flags`. */
  EPB_FLAGS: 2,
  /** ISB (section 4.6). */
  ISB_IFRECV: 4,
  ISB_IFDROP: 5,
} as const;

/** Called per option with the value at `dv[valOff, valOff + len)`. */
export type OptionVisitor = (code: number, valOff: number, len: number) => void;

/** Why an option list is malformed, or null when it is fine. */
export type OptionFault = string | null;

/**
 * Walk the options in `[start, end)`, calling `visit` for each (not for opt_endofopt).
 * Returns a description of the first fault, or null.
 */
export function walkOptions(dv: DataView, start: number, end: number, le: boolean, visit: OptionVisitor): OptionFault {
  let p = start;
  while (p < end) {
    if (end - p < 4) return `${end - p} stray bytes where an option header (4 bytes) should be`;
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === OPT.ENDOFOPT) return null;
    if (len > end - p - 4) return `option ${code} claims ${len} bytes, only ${end - p - 4} left in the block`;
    visit(code, p + 4, len);
    p += 4 + ((len + 3) & ~3);
  }
  return null;
}

/** Sentinel returned by `findEpbFlags` for a malformed option list. */
export const BAD_OPTIONS = -1;

/**
 * The `epb_flags` value in an EPB option list (0 when absent), or `BAD_OPTIONS`. Allocation
 * free: this runs per packet when packets carry options.
 */
export function findEpbFlags(dv: DataView, start: number, end: number, le: boolean): number {
  let flags = 0;
  let p = start;
  while (p < end) {
    if (end - p < 4) return BAD_OPTIONS;
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === OPT.ENDOFOPT) return flags;
    if (len > end - p - 4) return BAD_OPTIONS;
    if (code === OPT.EPB_FLAGS && len >= 4) flags = dv.getUint32(p + 4, le);
    p += 4 + ((len + 3) & ~3);
  }
  return flags;
}

/** A u64 option value as a number (exact below 2^53). */
export function readU64(dv: DataView, off: number, le: boolean): number {
  const a = dv.getUint32(off, le);
  const b = dv.getUint32(off + 4, le);
  return le ? b * 4294967296 + a : a * 4294967296 + b;
}

/** An i64 option value as a number (exact within ±2^53). */
export function readI64(dv: DataView, off: number, le: boolean): number {
  const a = dv.getUint32(off, le);
  const b = dv.getUint32(off + 4, le);
  const hi = le ? b | 0 : a | 0;
  const lo = le ? a : b;
  return hi * 4294967296 + lo;
}
