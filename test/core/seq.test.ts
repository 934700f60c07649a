import { describe, expect, test } from 'vitest';
import { SeqUnwrapper, seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from '../../src/core/seq.js';

describe('serial-number arithmetic (RFC 9293 §3.4)', () => {
  test.each([
    { a: 10, b: 5, d: 5 },
    { a: 5, b: 10, d: -5 },
    { a: 3, b: 0xfffffffd, d: 6 },
    { a: 0xfffffffd, b: 3, d: -6 },
    { a: 0x80000000, b: 0, d: -0x80000000 },
    { a: 0x7fffffff, b: 0, d: 0x7fffffff },
  ])('seqDiff($a, $b) = $d', ({ a, b, d }) => {
    expect(seqDiff(a, b)).toBe(d);
    expect(seqLt(a, b)).toBe(d < 0);
    expect(seqLe(a, b)).toBe(d <= 0);
    expect(seqGt(a, b)).toBe(d > 0);
    expect(seqGe(a, b)).toBe(d >= 0);
  });
  test('seqAdd wraps modulo 2^32, also for large and negative n', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffffffff);
    expect(seqAdd(5, 2 ** 40)).toBe(5);
    expect(seqAdd(5, 2 ** 52 + 3)).toBe(8);
  });
});

describe('SeqUnwrapper', () => {
  test('ISN near 2^32: offsets continue across the wrap', () => {
    const u = new SeqUnwrapper(0xfffffff0);
    expect(u.unwrap(0xfffffff0)).toBe(0);
    expect(u.unwrap(0x10)).toBe(0x20);
    expect(u.unwrap(0xffffffe0)).toBe(-0x10);
    expect(u.origin).toBe(0xfffffff0);
  });
  test('exact across many wraps when the reference advances', () => {
    const u = new SeqUnwrapper(123);
    let rel = 0;
    for (let i = 0; i < 3000; i++) {
      rel += 0x3fffffff; // < 2^31 per step
      expect(u.observe(seqAdd(123, rel))).toBe(rel);
    }
    expect(rel).toBeGreaterThan(2 ** 41);
    expect(u.unwrap(seqAdd(123, rel - 1000))).toBe(rel - 1000);
    expect(u.wrap(rel + 5)).toBe(seqAdd(123, rel + 5));
    expect(u.origin).toBe(123);
  });
  test('offsets near 2^53 stay exact', () => {
    const u = new SeqUnwrapper(7);
    const far = 2 ** 53 - 2 ** 33;
    u.advanceTo(far);
    expect(u.unwrap(seqAdd(7, far + 100))).toBe(far + 100);
    expect(u.unwrap(seqAdd(7, far - 100))).toBe(far - 100);
  });
  test('the reference never moves back', () => {
    const u = new SeqUnwrapper(0);
    u.advanceTo(1000);
    u.advanceTo(10);
    expect(u.reference).toBe(1000);
    expect(u.observe(500)).toBe(500);
    expect(u.reference).toBe(1000);
  });
});
