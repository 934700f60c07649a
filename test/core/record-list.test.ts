/**
 * RecordList (core/record-list.ts): what comes back equals what went in — same keys in the same
 * order, every double exactly (-0, NaN, ±Infinity, fractions, 2^53), references kept for
 * non-numbers, frozen objects and arrays, nested plain objects rebuilt — for hand-picked records
 * and random ones.
 */
import { describe, expect, test } from 'vitest';
import { RecordList } from '../../src/core/record-list.js';
import { prng } from '../helpers/prng.js';

/** Deep equality that also tells -0 from 0 and checks key order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  if (Array.isArray(a) || Object.isFrozen(a)) return a === b;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

class Point {
  constructor(readonly x: number) {}
}

const FROZEN = Object.freeze({ shared: true });
const ARRAY = [1, 2, 3];

const CASES: Record<string, object[]> = {
  'anomaly events with and without detail': [
    { code: 'duplicate_ack', frame: 72, ts: 1795346380.891075, dir: 's2c', detail: { n: 1, of: 71 } },
    { code: 'zero_window', frame: 80, ts: 1795346380.9, dir: 'c2s' },
    { code: 'fast_retransmission', frame: 74, ts: 1795346380.891089, dir: 'c2s', detail: { of: 61, rtoMs: 0.062, sincePrevMs: 0.062, copy: 2 } },
    { code: 'fast_retransmission', frame: 75, ts: 1795346380.891089, dir: 'c2s', detail: { of: 61, rtoMs: 0.062, copy: 3 } },
  ],
  'transitions': [{ endpoint: 'client', from: 'CLOSED', to: 'SYN_SENT', frame: 1, ts: 1795346380.888752, cause: 'active open: SYN sent' }],
  'special numbers': [{ a: -0, b: NaN, c: Infinity, d: -Infinity, e: 2 ** 53, f: -(2 ** 31), g: 4294967295, h: 1e-300, i: 0.1 + 0.2 }],
  'other values by reference': [{ s: '', t: true, f: false, n: null, u: undefined, arr: ARRAY, frozen: FROZEN, p: new Point(3), big: 10n }],
  'nested objects, empty ones, integer-like keys': [{ 2: 'two', 1: 'one', z: {}, deep: { a: { b: { c: 1, d: 'x' } }, e: -0 } }],
  'a record that is not a plain object': [new Point(7), Object.freeze({ code: 'x', frame: 1 })],
};

describe('RecordList', () => {
  test.each(Object.entries(CASES))('%s: back as pushed', (_name, records) => {
    const list = new RecordList<object>();
    for (const r of records) list.push(r);
    expect(list.length).toBe(records.length);
    const back = list.toArray();
    expect(back).toHaveLength(records.length);
    back.forEach((b, i) => {
      expect(same(b, records[i]), `record ${i}`).toBe(true);
      // Plain records come back as new objects (the list keeps copies), others as they were.
      const plain = Object.getPrototypeOf(records[i]) === Object.prototype && !Object.isFrozen(records[i]);
      expect(b === records[i]).toBe(!plain);
    });
    expect(back.find((b) => 'arr' in b)?.['arr' as keyof object]).toBe(records.find((r) => 'arr' in r)?.['arr' as keyof object]);
  });

  test('random records of a few layouts, interleaved across lists, read at any time, trimmed or not', () => {
    const rnd = prng(11);
    const value = (depth: number): unknown => {
      const k = Math.floor(rnd() * 7);
      if (k === 0) return rnd() < 0.5 ? -0 : Math.floor(rnd() * 2 ** 32);
      if (k === 1) return (rnd() - 0.5) * 1e12;
      if (k === 2) return ['c2s', 's2c', 'client', 'server'][Math.floor(rnd() * 4)];
      if (k === 3) return rnd() < 0.5 ? null : rnd() < 0.5;
      if (k === 4 && depth < 3) return record(depth + 1);
      if (k === 5) return undefined;
      return rnd();
    };
    const record = (depth: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      const n = Math.floor(rnd() * 6);
      for (let i = 0; i < n; i++) o[['code', 'frame', 'ts', 'dir', 'detail', 'n', 'of'][Math.floor(rnd() * 7)]!] = value(depth);
      return o;
    };
    const lists = [new RecordList<Record<string, unknown>>(), new RecordList<Record<string, unknown>>()];
    const pushed: Record<string, unknown>[][] = [[], []];
    for (let i = 0; i < 3000; i++) {
      const which = rnd() < 0.5 ? 0 : 1;
      const r = record(0);
      lists[which]!.push(r);
      pushed[which]!.push(r);
      if (i % 997 === 0) lists[which]!.trim();
      if (i % 500 === 0) {
        const back = lists[which]!.toArray();
        expect(back.every((b, k) => same(b, pushed[which]![k]))).toBe(true);
      }
    }
    for (const w of [0, 1]) {
      const back = lists[w]!.toArray();
      expect(back).toHaveLength(pushed[w]!.length);
      back.forEach((b, k) => expect(same(b, pushed[w]![k]), JSON.stringify(pushed[w]![k])).toBe(true));
    }
  });
});
