/**
 * Serial-number arithmetic (RFC 1982, as RFC 9293 §3.4 uses it) for the connection-state
 * inference. PRIVATE stop-gap: `src/core/seq.ts` (the project's one sequence-math module, style
 * guide item 9) is being written by another engineer; once it lands these helpers should be
 * replaced by imports from it. All inputs are unsigned 32-bit numbers.
 */

/** Signed distance a - b modulo 2^32, in [-2^31, 2^31). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b modulo 2^32. */
export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

/** a <= b modulo 2^32. */
export function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

/** a > b modulo 2^32. */
export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** a + n as an unsigned 32-bit number. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
