/**
 * `TcpStreamReassembler.quietState` / `quietSeq`: the promise the flow relies on to skip a pure
 * ACK (flow.ts). Where it says QUIET_AT, an empty segment without SYN/FIN/RST at `quietSeq()`
 * and `acked(quietSeq())` must change nothing; where it says QUIET_ANY, the same for every
 * sequence number. Checked in lockstep: two reassemblers get the same random segments and ACKs
 * (loss, reordering, snap-length cuts, retransmissions that differ, FIN, RST); one of them also
 * gets the extra no-op calls after every step where it claims to be quiet. Events, stats,
 * offsets and every internal field (store, history, highest ACK) must stay equal.
 */
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { seqAdd } from '../../src/core/seq.js';
import { TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { QUIET_ANY, QUIET_AT, QUIET_NONE } from '../../src/reassembly/quiet.js';
import { TcpStreamReassembler } from '../../src/reassembly/tcp-reassembler.js';
import { prng } from '../helpers/prng.js';
import { RecordingSink } from './tcp-harness.js';

const { SYN, FIN, RST, ACK } = TCP_FLAG;
const LIMITS = { historyBytes: 64, maxBufferedBytes: 4000, maxSegments: 12 };

interface Pair {
  a: TcpStreamReassembler;
  b: TcpStreamReassembler;
  sa: RecordingSink;
  sb: RecordingSink;
  /** Extra calls given to `a` (where it claimed quiet), by state. */
  extra: { at: number; any: number };
}

function pair(): Pair {
  const sa = new RecordingSink(true, true);
  const sb = new RecordingSink(true, true);
  return { a: new TcpStreamReassembler(DIR.C2S, sa, LIMITS), b: new TcpStreamReassembler(DIR.C2S, sb, LIMITS), sa, sb, extra: { at: 0, any: 0 } };
}

/** After a step: where `a` claims quiet, give it the calls that must change nothing. */
function pokeQuiet(p: Pair, frame: number, anySeq: number): void {
  const q = p.a.quietState();
  if (q === QUIET_NONE) return;
  const seq = q === QUIET_AT ? p.a.quietSeq() : anySeq | 0;
  if (q === QUIET_AT) p.extra.at++;
  else p.extra.any++;
  p.a.segment(seq, ACK, new Uint8Array(0), 0, 0, 0, frame);
  p.a.acked(seq, frame);
  // The answer is the same after the no-op calls.
  expect(p.a.quietState()).toBe(q);
  if (q === QUIET_AT) expect(p.a.quietSeq()).toBe(seq);
}

function same(p: Pair): void {
  expect(p.sa.events).toEqual(p.sb.events);
  expect(p.sa.causes).toEqual(p.sb.causes);
  expect(Buffer.from(p.sa.bytes()).equals(Buffer.from(p.sb.bytes()))).toBe(true);
  expect(p.a.stats).toEqual(p.b.stats);
  expect(p.a.nextOffset).toBe(p.b.nextOffset);
  expect(p.a.ended).toBe(p.b.ended);
  expect(p.a.quietState()).toBe(p.b.quietState());
  // No-op means no-op: every field (counters, unwrapping reference, highest ACK, store, history) equal.
  expect(p.a).toEqual(p.b);
}

/** One random connection direction: segments (some lost, cut, reordered, re-sent with other bytes), peer ACKs, pure ACKs, FIN or RST. */
function run(seed: number): Pair {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const p = pair();
  const n = 200 + int(3000);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = int(256);
  const isn = rnd() < 0.5 ? (0xffffffff - int(5000)) >>> 0 : int(2 ** 32);
  const buf = new Uint8Array(400);
  let frame = 1;
  const both = (f: (r: TcpStreamReassembler) => void): void => {
    f(p.a);
    f(p.b);
    same(p);
    pokeQuiet(p, frame, seqAdd(isn, int(n + 10)));
    frame++;
  };
  if (rnd() < 0.7) both((r) => r.segment(isn, SYN, buf, 0, 0, 0, frame));
  else if (rnd() < 0.5) both((r) => r.segment(seqAdd(isn, 1), ACK, buf, 0, 0, 0, frame)); // mid-stream, tentative origin
  let sent = 0;
  let acked = 0;
  for (let step = 0; step < 400 && sent < n; step++) {
    const r = rnd();
    if (r < 0.45) {
      // Next data, sometimes lost, cut, or sent ahead of a hole.
      const ahead = rnd() < 0.1 ? int(300) : 0;
      const start = Math.min(n - 1, sent + ahead);
      const len = Math.min(n - start, 1 + int(300));
      const cap = rnd() < 0.15 ? int(len) : len;
      if (ahead === 0) sent = start + len;
      if (rnd() < 0.1) continue; // never captured
      buf.set(data.subarray(start, start + len), 0);
      both((x) => x.segment(seqAdd(isn, 1 + start), ACK, buf, 0, cap, len, frame));
    } else if (r < 0.6) {
      // A retransmission of earlier bytes, sometimes with other bytes.
      if (sent === 0) continue;
      const start = int(sent);
      const len = Math.min(n - start, 1 + int(200));
      buf.set(data.subarray(start, start + len), 0);
      if (rnd() < 0.3) buf[0] = buf[0]! ^ 0xff;
      both((x) => x.segment(seqAdd(isn, 1 + start), ACK, buf, 0, len, len, frame));
    } else if (r < 0.85) {
      // The peer's ACK: behind, at, or beyond what was sent (acked unseen data).
      const to = Math.max(acked, rnd() < 0.5 ? sent : Math.min(n, int(sent + 50)));
      acked = to;
      both((x) => x.acked(seqAdd(isn, 1 + to), frame));
    } else if (r < 0.97) {
      // A pure ACK of this direction's sender: at its next byte, or one below (keep-alive), or elsewhere.
      const at = rnd() < 0.6 ? sent : Math.max(0, sent - int(3));
      both((x) => x.segment(seqAdd(isn, 1 + at), ACK, buf, 0, 0, 0, frame));
    } else if (rnd() < 0.5) {
      both((x) => x.segment(seqAdd(isn, 1 + sent), FIN | ACK, buf, 0, 0, 0, frame));
    } else {
      both((x) => x.segment(seqAdd(isn, 1 + sent + int(3)), RST, buf, 0, 0, 0, frame));
    }
  }
  // Late packets after the end (if it ended), then close.
  both((x) => x.segment(seqAdd(isn, 1 + sent), ACK, buf, 0, 0, 0, frame));
  both((x) => x.acked(seqAdd(isn, 1 + n), frame));
  both((x) => x.close(frame));
  return p;
}

describe('reassembler quiet point (lockstep with extra no-op calls)', () => {
  test('states on a plain stream', () => {
    const sink = new RecordingSink();
    const r = new TcpStreamReassembler(DIR.C2S, sink, LIMITS);
    const isn = 0xfffffff0;
    const buf = new Uint8Array(100);
    expect(r.quietState()).toBe(QUIET_NONE); // no origin yet
    r.segment(isn, SYN, buf, 0, 0, 0, 1);
    expect(r.quietState()).toBe(QUIET_AT);
    expect(r.quietSeq()).toBe(seqAdd(isn, 1) | 0);
    r.segment(seqAdd(isn, 1), ACK, buf, 0, 50, 50, 2); // delivered, not yet acknowledged
    expect(r.quietState()).toBe(QUIET_NONE);
    r.acked(seqAdd(isn, 51), 3);
    expect(r.quietState()).toBe(QUIET_AT);
    expect(r.quietSeq()).toBe(seqAdd(isn, 51) | 0); // across the wrap
    r.segment(seqAdd(isn, 61), ACK, buf, 0, 10, 10, 4); // held out of order
    expect(r.quietState()).toBe(QUIET_NONE);
    r.segment(seqAdd(isn, 51), ACK, buf, 0, 10, 10, 5);
    r.acked(seqAdd(isn, 71), 6);
    expect(r.quietState()).toBe(QUIET_AT);
    r.segment(seqAdd(isn, 71), ACK, buf, 0, 5, 20, 7); // cut by the snap length: a pending tail
    expect(r.quietState()).toBe(QUIET_NONE);
    r.acked(seqAdd(isn, 91), 8); // passes the tail as a gap; `ackedTo` learns 91 from the next ACK at or below it
    expect(r.quietState()).toBe(QUIET_NONE);
    r.acked(seqAdd(isn, 91), 9);
    expect(r.quietState()).toBe(QUIET_AT);
    r.segment(seqAdd(isn, 91), FIN | ACK, buf, 0, 0, 0, 10); // ends the stream at once
    expect(r.quietState()).toBe(QUIET_ANY);
  });

  test('a known FIN beyond the data is not quiet', () => {
    const r = new TcpStreamReassembler(DIR.C2S, new RecordingSink(), LIMITS);
    const buf = new Uint8Array(100);
    r.segment(1000, SYN, buf, 0, 0, 0, 1);
    r.segment(1011, FIN | ACK, buf, 0, 0, 0, 2); // FIN after 10 bytes never captured
    expect(r.quietState()).toBe(QUIET_NONE);
  });

  const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
  let at = 0;
  let any = 0;
  test.each(SEEDS)('seed %i', (seed) => {
    const p = run(seed);
    at += p.extra.at;
    any += p.extra.any;
  });

  test('the runs above claimed both kinds of quiet often', () => {
    expect(at).toBeGreaterThan(80);
    expect(any).toBeGreaterThan(30);
  });
});
