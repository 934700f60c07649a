/**
 * RetiredRanges (rtt-retired.ts): the re-sent ranges kept after their ACK so a later D-SACK or
 * Eifel verdict can name the retransmission. The ring starts at 2 entries and doubles up to 16;
 * growing it must keep every entry (a bug found when it was split out: after the first
 * doubling the write position stayed at 0 and overwrote the oldest range, leaving zeroed slots).
 */
import { describe, expect, test } from 'vitest';
import { RetiredRanges } from '../../src/analysis/rtt-retired.js';

/** Retire ranges [start, end) first re-sent in `frame`, oldest first. */
function ring(ranges: readonly (readonly [number, number, number])[]): RetiredRanges {
  const r = new RetiredRanges();
  const src = new Float64Array(3);
  for (const [start, end, frame] of ranges) {
    src[0] = start;
    src[1] = end;
    src[2] = frame;
    r.add(src, 0, 1, 2, false);
  }
  return r;
}

const ranges = (n: number): [number, number, number][] => Array.from({ length: n }, (_, i) => [1000 + 100 * i, 1100 + 100 * i, i + 1]);

describe('retired re-sent ranges', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 9, 16]) {
    test(`${n} ranges (growth from 2 to ${Math.min(16, 2 ** Math.ceil(Math.log2(Math.max(2, n))))}): every one is claimed once, by its own frame`, () => {
      const r = ring(ranges(n));
      for (const [start, end, frame] of ranges(n)) expect(r.claim(start, end)).toBe(frame);
      for (const [start, end] of ranges(n)) expect(r.claim(start, end)).toBe(-1); // at most once
    });
  }

  test('beyond 16 the oldest are overwritten, the newest 16 stay', () => {
    const all = ranges(20);
    const r = ring(all);
    for (const [start, end] of all.slice(0, 4)) expect(r.claim(start, end)).toBe(-1);
    for (const [start, end, frame] of all.slice(4)) expect(r.claim(start, end)).toBe(frame);
  });

  test('a D-SACK overlapping several ranges names the newest; sequence numbers of 2^31 and more', () => {
    const big = 0xfffff000;
    const r = ring([[big, big + 100, 7], [big + 100, big + 200, 8], [big + 200, big + 300, 9]]);
    expect(r.claim(big + 50, big + 250)).toBe(9);
    expect(r.claim(big + 50, big + 250)).toBe(8);
    expect(r.claim(big + 50, big + 250)).toBe(7);
  });

  test('markRevised: a range Eifel already named is not named again by a D-SACK', () => {
    const r = ring(ranges(3));
    r.markRevised(1);
    expect(r.claim(1000, 1100)).toBe(-1);
    expect(r.claim(1100, 1200)).toBe(2);
  });
});
