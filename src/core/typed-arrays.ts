/**
 * Growing typed arrays (imports nothing): the per-slot and per-entry tables of the flow layer
 * and the plot columns double their arrays with this one helper.
 */

/** Any typed array of numbers. */
export type NumberArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** A copy of `a` (same type) with room for `n` elements: its first min(length, n) elements, the rest `fill`. */
export function grownArray<A extends NumberArray>(a: A, n: number, fill = 0): A {
  const b = new (a.constructor as new (n: number) => A)(n);
  const keep = Math.min(a.length, n);
  if (fill !== 0 && keep < n) b.fill(fill, keep);
  b.set(a.subarray(0, keep) as never);
  return b;
}
