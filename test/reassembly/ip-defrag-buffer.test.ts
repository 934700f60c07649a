/**
 * FragmentRuns against a byte-map oracle: random fragments with random data under each overlap
 * policy; held bytes, holes, coverage and the overlap/difference report must match the oracle.
 */
import { describe, expect, test } from 'vitest';
import { FragmentRuns } from '../../src/reassembly/ip-defrag-buffer.js';
import type { OverlapPolicy } from '../../src/reassembly/ip-defrag-buffer.js';
import { prng } from './ip-defrag-fixtures.js';

const SIZE = 256;

/** Oracle: per byte, the value held and the offset of the fragment that supplied it (-1 = hole). */
class Oracle {
  readonly val = new Int16Array(SIZE).fill(-1);
  readonly from = new Int32Array(SIZE).fill(-1);
  constructor(private readonly policy: OverlapPolicy) {}
  insert(off: number, data: Uint8Array): { added: number; overlapped: number; differing: boolean } {
    let added = 0;
    let overlapped = 0;
    let differing = false;
    const wins: number[] = [];
    for (let k = 0; k < data.length; k++) {
      const x = off + k;
      const v = data[k] ?? 0;
      if (this.val[x] === -1) {
        added++;
        this.val[x] = v;
        this.from[x] = off;
        continue;
      }
      overlapped++;
      if (this.val[x] !== v) differing = true;
      wins.push(x);
    }
    // a byte held is replaced when the policy says the new fragment wins over its supplier
    for (const x of wins) {
      const v = data[x - off] ?? 0;
      const replace = this.policy === 'last' || (this.policy === 'bsd' && off < (this.from[x] ?? 0));
      if (replace) {
        this.val[x] = v;
        this.from[x] = off;
      }
    }
    return { added, overlapped, differing };
  }
  holes(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let end = SIZE;
    while (end > 0 && this.val[end - 1] === -1) end--;
    for (let x = 0; x < end;) {
      if (this.val[x] !== -1) { x++; continue; }
      let y = x;
      while (y < end && this.val[y] === -1) y++;
      out.push([x, y]);
      x = y;
    }
    return out;
  }
}

describe.each(['first', 'last', 'bsd'] as const)('FragmentRuns, policy %s', (policy) => {
  test.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const rnd = prng(seed * 977);
    const runs = new FragmentRuns(policy);
    const oracle = new Oracle(policy);
    for (let step = 0; step < 30; step++) {
      const off = Math.floor(rnd() * (SIZE - 8));
      const len = Math.min(SIZE - off, 1 + Math.floor(rnd() * 48));
      // few distinct byte values so that equal-data overlaps happen often
      const data = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 2));
      const src = new Uint8Array(len + 5);
      src.set(data, 5);
      const got = runs.insert(off, src, 5, len);
      const want = oracle.insert(off, data);
      expect({ ...got }).toEqual(want);
      src.fill(9); // the source may be reused: runs hold copies
      expect(runs.holes(runs.maxEnd)).toEqual(oracle.holes());
      expect(runs.covered).toBe(oracle.val.filter((v) => v !== -1).length);
    }
    const out = new Uint8Array(SIZE).fill(0xff);
    runs.copyTo(out, 0);
    oracle.val.forEach((v, x) => expect(out[x]).toBe(v === -1 ? 0xff : v));
  });
});
