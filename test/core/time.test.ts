import { describe, expect, test } from 'vitest';
import { formatTimeOfDay, formatTsNs, formatTsUs, tsDiffNs, tsToBigNs } from '../../src/core/time.js';

describe('capture timestamps', () => {
  test.each([
    { sec: 0, nsec: 0, ns: '0.000000000', us: '0.000000', tod: '00:00:00.000000' },
    { sec: 1128727435, nsec: 633408000, ns: '1128727435.633408000', us: '1128727435.633408', tod: '23:23:55.633408' },
    { sec: 1700000000, nsec: 999999999, ns: '1700000000.999999999', us: '1700000000.999999', tod: '22:13:20.999999' },
  ])('$ns', ({ sec, nsec, ns, us, tod }) => {
    expect(formatTsNs(sec, nsec)).toBe(ns);
    expect(formatTsUs(sec, nsec)).toBe(us);
    expect(formatTimeOfDay(sec, nsec)).toBe(tod);
  });
  test('time of day before the epoch (a negative if_tsoffset) wraps like a clock', () => {
    expect(formatTimeOfDay(-1, 500_000_000)).toBe('23:59:59.500000');
    expect(formatTimeOfDay(-86_401, 0, true)).toBe('23:59:59.000000000');
  });
  test('differences are exact in nanoseconds', () => {
    expect(tsDiffNs(10, 1, 9, 999_999_999)).toBe(2);
    expect(tsToBigNs(18446744073, 709551615)).toBe(18446744073709551615n);
  });
});
