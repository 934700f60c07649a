/** The delivered-bytes history: allocated lazily, grows with unacknowledged data only, released at end. */
import { describe, expect, test } from 'vitest';
import { DeliveredHistory } from '../../src/reassembly/tcp-history.js';
import { pattern } from './tcp-harness.js';

const SRC = pattern(300_000);

describe('DeliveredHistory', () => {
  test('nothing allocated before the first record; a small ring first', () => {
    const h = new DeliveredHistory(64 * 1024);
    expect(h.allocated).toBe(0);
    h.record(0, SRC, 0, 100);
    expect(h.allocated).toBe(512);
    expect(h.equals(0, SRC, 0, 100)).toBe(true);
  });

  test('acknowledged data keeps the ring small however long the stream', () => {
    const h = new DeliveredHistory(64 * 1024);
    for (let at = 0; at < 200_000; at += 100) {
      h.record(at, SRC, at, 100);
      h.trimTo(at + 100 - 200); // the peer lags two segments behind
    }
    expect(h.allocated).toBe(512);
    // The unacknowledged bytes are all comparable.
    expect(h.heldFrom).toBeLessThanOrEqual(200_000 - 200);
    expect(h.equals(200_000 - 200, SRC, 200_000 - 200, 200)).toBe(true);
    expect(h.equals(200_000 - 200, new Uint8Array(200), 0, 200)).toBe(false);
  });

  test('unacknowledged data grows the ring by doubling (bytes kept across growth), up to the size', () => {
    const h = new DeliveredHistory(4096);
    for (let at = 0; at < 10_000; at += 300) h.record(at, SRC, at, 300);
    expect(h.allocated).toBe(4096);
    const end = Math.ceil(10_000 / 300) * 300;
    expect(h.heldFrom).toBe(end - 4096);
    expect(h.equals(end - 4096, SRC, end - 4096, 4096)).toBe(true);
  });

  test('a size that is not a power of two is the cap', () => {
    const h = new DeliveredHistory(1000);
    for (let at = 0; at < 5000; at += 70) h.record(at, SRC, at, 70);
    expect(h.allocated).toBe(1000);
    const end = Math.ceil(5000 / 70) * 70;
    expect(h.equals(end - 1000, SRC, end - 1000, 1000)).toBe(true);
  });

  test('a gap makes earlier bytes incomparable; release frees the ring', () => {
    const h = new DeliveredHistory(64 * 1024);
    h.record(0, SRC, 0, 1000);
    h.gapTo(1500);
    expect(h.heldFrom).toBe(1500);
    h.record(1500, SRC, 1500, 10);
    expect(h.equals(1500, SRC, 1500, 10)).toBe(true);
    h.release();
    expect(h.allocated).toBe(0);
  });

  test('size 0 records nothing', () => {
    const h = new DeliveredHistory(0);
    h.record(0, SRC, 0, 1000);
    expect(h.allocated).toBe(0);
    expect(h.heldFrom).toBe(1000);
  });
});
