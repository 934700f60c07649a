/** grownArray (core/typed-arrays.ts): same type, the elements kept, the rest filled. */
import { expect, test } from 'vitest';
import { grownArray } from '../../src/core/typed-arrays.js';

test.each([
  ['Int32Array, fill 0', Int32Array.from([1, -2, 3]), 5, 0, [1, -2, 3, 0, 0]],
  ['Int32Array, fill -1', Int32Array.from([1, 2]), 4, -1, [1, 2, -1, -1]],
  ['Int8Array, fill -1', Int8Array.from([0, 1]), 3, -1, [0, 1, -1]],
  ['Float64Array, fractions kept', Float64Array.from([0.5, 1e300]), 3, 0, [0.5, 1e300, 0]],
  ['Uint16Array, shrinking keeps the first n', Uint16Array.from([7, 8, 9]), 2, 0, [7, 8]],
  ['same length', Uint8Array.from([4, 5]), 2, 9, [4, 5]],
] as [string, Int32Array | Int8Array | Float64Array | Uint16Array | Uint8Array, number, number, number[]][])('%s', (_name, a, n, fill, want) => {
  const b = grownArray(a, n, fill);
  expect(b.constructor).toBe(a.constructor);
  expect(b).not.toBe(a);
  expect([...b]).toEqual(want);
});
