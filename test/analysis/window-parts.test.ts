/**
 * The window tracker's building blocks: the decimated timeline (window-series.ts), the SACK
 * scoreboard (sack-scoreboard.ts, including the 2^32 wrap) and the backoff rule (zero-window.ts).
 */
import { describe, expect, test } from 'vitest';
import { SackScoreboard } from '../../src/analysis/sack-scoreboard.js';
import { DecimatedSeries } from '../../src/analysis/window-series.js';
import { backoffDoubles } from '../../src/analysis/zero-window.js';

describe('DecimatedSeries', () => {
  test('exact while under the cap; repeated values are not points', () => {
    const s = new DecimatedSeries(8);
    for (const [t, v] of [[1, 5], [2, 5], [3, 7], [4, 0], [5, 0], [6, 9]] as const) s.add(t, v);
    expect(s.points()).toEqual([[1, 5], [3, 7], [4, 0], [6, 9]]);
    expect([s.stride, s.changes]).toEqual([1, 4]);
  });

  test('past the cap: bounded, time-ordered, the extremes survive', () => {
    const s = new DecimatedSeries(1000);
    // a saw-tooth with one zero dip and one peak hidden among 100,000 changes
    for (let i = 0; i < 100_000; i++) {
      const v = i === 54_321 ? 0 : i === 77_777 ? 1_000_000 : 1000 + (i % 97);
      s.add(i, v);
    }
    const p = s.points();
    expect(p.length).toBeLessThanOrEqual(1000);
    expect(p.length).toBeGreaterThan(400);
    for (let i = 1; i < p.length; i++) expect(p[i]![0]).toBeGreaterThan(p[i - 1]![0]);
    expect(p).toContainEqual([54_321, 0]);
    expect(p).toContainEqual([77_777, 1_000_000]);
    expect(s.changes).toBe(100_000);
    expect(s.stride).toBeGreaterThan(100);
  });

  test.each([4, 8, 12, 1000])('cap %i is never exceeded', (cap) => {
    const s = new DecimatedSeries(cap);
    for (let i = 0; i < 5000; i++) {
      s.add(i, i % 2 === 0 ? i : -i);
      if (i % 7 === 0) expect(s.points().length).toBeLessThanOrEqual(cap);
    }
  });
});

describe('SackScoreboard', () => {
  const W = 0xfffff000; // ranges straddle the 2^32 wrap
  const at = (n: number): number => (W + n) >>> 0;
  const sacked = (sb: SackScoreboard, una: number, nxt: number): number => sb.sackedBetween(at(una), at(nxt));

  test.each([
    { name: 'disjoint ranges add up', blocks: [[100, 200], [300, 400]], una: 0, nxt: 10_000, want: 200, ranges: 2 },
    { name: 'overlapping and touching ranges merge', blocks: [[100, 200], [150, 300], [300, 400]], una: 0, nxt: 10_000, want: 300, ranges: 1 },
    { name: 'a range bridging two merges all three', blocks: [[100, 200], [300, 400], [150, 350]], una: 0, nxt: 10_000, want: 300, ranges: 1 },
    { name: 'a block at or below the ACK (D-SACK) is ignored', blocks: [[0, 50], [100, 200]], una: 60, nxt: 10_000, want: 100, ranges: 1 },
    { name: 'a block straddling the ACK counts from the ACK', blocks: [[0, 5000]], una: 4096, nxt: 10_000, want: 904, ranges: 1 },
    { name: 'bytes above the highest sent are not counted', blocks: [[100, 9000]], una: 0, nxt: 5000, want: 4900, ranges: 1 },
  ])('$name (across 2^32)', ({ blocks, una, nxt, want, ranges }) => {
    const sb = new SackScoreboard();
    for (const [l, r] of blocks) sb.add(at(l!), at(r!), at(una));
    expect(sacked(sb, una, nxt)).toBe(want);
    expect(sb.ranges).toBe(ranges);
  });

  test('the cumulative ACK trims and drops ranges', () => {
    const sb = new SackScoreboard();
    sb.add(at(100), at(200), at(0));
    sb.add(at(300), at(400), at(0));
    sb.advance(at(150));
    expect([sb.ranges, sacked(sb, 150, 1000)]).toEqual([2, 150]);
    sb.advance(at(400));
    expect([sb.ranges, sacked(sb, 400, 1000)]).toEqual([0, 0]);
  });

  test('full: the highest range is dropped (the new one when it is the highest) and counted', () => {
    const sb = new SackScoreboard(2);
    sb.add(at(100), at(200), at(0));
    sb.add(at(500), at(600), at(0));
    sb.add(at(700), at(800), at(0)); // highest: dropped
    expect([sb.ranges, sb.overflows, sacked(sb, 0, 1000)]).toEqual([2, 1, 200]);
    sb.add(at(300), at(400), at(0)); // [500, 600) is dropped
    expect([sb.ranges, sb.overflows, sacked(sb, 0, 550)]).toEqual([2, 2, 200]);
    sb.add(at(200), at(300), at(0)); // merges everything below 400: no drop
    expect([sb.ranges, sb.overflows, sacked(sb, 0, 1000)]).toEqual([1, 2, 300]);
  });
});

describe('backoffDoubles (Linux persist timer: doubles from the RTO up to 120 s)', () => {
  test.each([
    [0.2, 0.4, true],
    [0.216, 0.448, true],
    [1, 1.7, true],
    [1, 1, false],
    [1, 3, false],
    [0, 1, false],
    [64, 120, true], // capped
    [120, 120, true], // stays at the cap
    [30, 120, false],
  ])('%f s → %f s: %s', (prev, cur, want) => {
    expect(backoffDoubles(prev, cur)).toBe(want);
  });
});
