/**
 * SentRing.ack resets its results only when the previous call popped something (rtt-segments.ts:
 * an ACK of an empty ring then leaves the ring's buffer alone). Checked against a ring that
 * resets before every ACK: random sends (new data, re-sends, holes), SACKs, condensing and ACKs
 * (behind, partial, popping everything, on an empty ring), and after every ACK both rings must
 * report the same results and hold the same state.
 */
import { describe, expect, test } from 'vitest';
import { seqAdd } from '../../src/core/seq.js';
import { SentRing } from '../../src/analysis/rtt-segments.js';
import { prng } from '../helpers/prng.js';

/** Every result of the last `ack` (and the state it leaves). */
function results(r: SentRing): unknown {
  return {
    popped: r.ackPopped,
    anyRetx: r.ackAnyRetx,
    anyUnknown: r.ackAnyUnknown,
    retxRevised: r.ackRetxRevised,
    newestT: r.ackNewestT,
    newestFrame: r.ackNewestFrame,
    oldestT: r.ackOldestT,
    retxTsval: r.ackRetxTsval,
    retxFrame: r.ackRetxFrame,
    len: r.len,
  };
}

/** `ack` as it was: results reset before every ACK (the unconditional path). */
function ackAfterReset(r: SentRing, pkt: { ack: number }): void {
  (r as unknown as { resetAck: () => void }).resetAck();
  r.ack(pkt);
}

function run(seed: number): { emptyAcks: number; pops: number } {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const a = new SentRing(16);
  const b = new SentRing(16);
  const isn = rnd() < 0.5 ? (0xffffffff - int(3000)) >>> 0 : int(2 ** 32);
  let sent = 0;
  let acked = 0;
  let emptyAcks = 0;
  let pops = 0;
  for (let step = 0; step < 600; step++) {
    const t = step * 0.001;
    const r = rnd();
    if (r < 0.35) {
      const len = 1 + int(1000);
      const start = rnd() < 0.1 ? sent + int(500) : sent; // a hole now and then
      const tsval = int(1e6);
      for (const x of [a, b]) x.send(seqAdd(isn, start), seqAdd(isn, start + len), t, step, tsval);
      sent = start + len;
    } else if (r < 0.45 && sent > acked) {
      const start = acked + int(sent - acked); // a re-send
      const len = 1 + int(Math.min(800, sent - start));
      const tsval = int(1e6);
      for (const x of [a, b]) x.send(seqAdd(isn, start), seqAdd(isn, start + len), t, step, tsval);
    } else if (r < 0.5 && sent > acked) {
      const left = acked + int(sent - acked);
      const right = Math.min(sent, left + 1 + int(500));
      for (const x of [a, b]) {
        x.sackBegin();
        x.sack(seqAdd(isn, left), seqAdd(isn, right));
      }
    } else if (r < 0.53) {
      a.condense();
      b.condense();
    } else {
      // The peer's ACK: repeated, partial, or up to everything sent.
      const to = rnd() < 0.3 ? acked : Math.min(sent, acked + int(3000));
      acked = Math.max(acked, to);
      if (a.len === 0) emptyAcks++;
      const pkt = { ack: seqAdd(isn, to) };
      a.ack(pkt);
      ackAfterReset(b, pkt);
      pops += a.ackPopped;
      expect(results(a)).toEqual(results(b));
    }
    expect(a).toEqual(b);
  }
  return { emptyAcks, pops };
}

describe('SentRing.ack: results reset only after a popping call', () => {
  const totals = { emptyAcks: 0, pops: 0 };
  test.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const r = run(seed);
    totals.emptyAcks += r.emptyAcks;
    totals.pops += r.pops;
  });

  test('the runs acked empty rings and popped entries', () => {
    expect(totals.emptyAcks).toBeGreaterThan(200);
    expect(totals.pops).toBeGreaterThan(1000);
  });
});
