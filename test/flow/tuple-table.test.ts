import { describe, expect, test } from 'vitest';
import { TupleTable } from '../../src/flow/tuple-table.js';

function v4(a: string): number[] {
  return a.split('.').map(Number);
}
function buf(src: number[], dst: number[]): Uint8Array {
  return Uint8Array.from([...src, ...dst]);
}

describe('TupleTable', () => {
  test('both directions of a tuple map to one id, with direction', () => {
    const t = new TupleTable(4);
    const ab = buf(v4('10.0.0.1'), v4('10.0.0.2'));
    const ba = buf(v4('10.0.0.2'), v4('10.0.0.1'));
    expect(t.lookup(ba, 4, 0, 4, 80, 40000)).toBe(0);
    expect(t.inserted).toBe(true);
    expect(t.lastDirection).toBe(0);
    expect(t.lookup(ab, 4, 0, 4, 40000, 80)).toBe(0);
    expect(t.inserted).toBe(false);
    expect(t.lastDirection).toBe(1);
    expect(t.lookup(ba, 4, 0, 4, 80, 40000)).toBe(0);
    expect(t.lastDirection).toBe(0);
    expect(t.lookup(ab, 4, 0, 4, 40001, 80)).toBe(1);
    expect(t.size).toBe(2);
  });

  test('same addresses, ports decide order; IPv4 and IPv6 never collide', () => {
    const t = new TupleTable(2);
    const same = buf(v4('127.0.0.1'), v4('127.0.0.1'));
    expect(t.lookup(same, 4, 0, 4, 5000, 6000)).toBe(0);
    expect(t.lookup(same, 4, 0, 4, 6000, 5000)).toBe(0);
    expect(t.lastDirection).toBe(1);
    const six = new Uint8Array(32);
    six[15] = 1;
    six[31] = 1;
    expect(t.lookup(six, 6, 0, 16, 5000, 6000)).toBe(1);
  });

  test('addresses either side of 128.0.0.0 (the int32 sign bit) keep one id and consistent directions', () => {
    const t = new TupleTable(4);
    const hiLo = buf(v4('200.0.0.1'), v4('100.0.0.1'));
    const loHi = buf(v4('100.0.0.1'), v4('200.0.0.1'));
    expect(t.lookup(hiLo, 4, 0, 4, 443, 50000)).toBe(0);
    expect(t.lastDirection).toBe(0);
    expect(t.lookup(loHi, 4, 0, 4, 50000, 443)).toBe(0);
    expect(t.lastDirection).toBe(1);
    const hiHi = buf(v4('255.255.255.255'), v4('128.0.0.0'));
    expect(t.lookup(hiHi, 4, 4, 0, 1, 2)).toBe(1);
    expect(t.lookup(hiHi, 4, 0, 4, 2, 1)).toBe(1);
    expect(t.lastDirection).toBe(1);
    expect(t.size).toBe(2);
  });

  test('many tuples survive growth and are found again (model check)', () => {
    const t = new TupleTable(8);
    const b = new Uint8Array(8);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      b[0] = 10; b[1] = (i >> 16) & 255; b[2] = (i >> 8) & 255; b[3] = i & 255;
      b[4] = 192; b[5] = 168; b[6] = 0; b[7] = 1;
      expect(t.lookup(b, 4, 0, 4, 1024 + (i % 30000), 443)).toBe(i);
    }
    for (let i = n - 1; i >= 0; i -= 7) {
      b[0] = 10; b[1] = (i >> 16) & 255; b[2] = (i >> 8) & 255; b[3] = i & 255;
      expect(t.lookup(b, 4, 4, 0, 443, 1024 + (i % 30000))).toBe(i);
      expect(t.lastDirection).toBe(1);
    }
    expect(t.size).toBe(n);
  });
});
