/**
 * Randomised model test: a random byte stream cut into random segments, sent in random order
 * with duplicates and overlaps (same bytes), must always come out exactly.
 */
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { seqAdd } from '../../src/core/seq.js';
import { TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { TcpStreamReassembler } from '../../src/reassembly/tcp-reassembler.js';
import { prng } from '../helpers/prng.js';
import { RecordingSink } from './tcp-harness.js';

interface Seg {
  start: number;
  len: number;
}

function randomRun(seed: number, opts: { small?: boolean; syn: boolean }): void {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const n = 1 + int(opts.small === true ? 300 : 20000);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = int(256);
  // ISNs often near the wrap.
  const isn = rnd() < 0.5 ? (0xffffffff - int(30000)) >>> 0 : int(2 ** 32);
  const segs: Seg[] = [];
  for (let at = 0; at < n; ) {
    const len = Math.min(n - at, 1 + int(opts.small === true ? 20 : 1500));
    segs.push({ start: at, len });
    at += len;
  }
  // Duplicates and overlaps with the same bytes.
  const extra = int(segs.length);
  for (let i = 0; i < extra; i++) {
    const s = int(n);
    segs.push({ start: s, len: Math.min(n - s, 1 + int(3000)) });
  }
  // Shuffle, but keep a bounded displacement sometimes (more realistic reordering).
  for (let i = segs.length - 1; i > 0; i--) {
    if (rnd() < 0.7) {
      const j = int(i + 1);
      [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    }
  }
  const sink = new RecordingSink(false);
  const r = new TcpStreamReassembler(DIR.C2S, sink, { maxBufferedBytes: 1 << 30, maxSegments: 1 << 20 });
  let frame = 1;
  const first = opts.syn ? -1 : segs[0]!.start;
  if (opts.syn) r.segment(isn, TCP_FLAG.SYN, data, 0, 0, 0, frame++);
  else {
    // Mid-stream: the origin is the first segment seen; feed the earliest data first.
    segs.unshift({ start: 0, len: Math.min(n, 10) });
  }
  void first;
  const buf = new Uint8Array(3100);
  for (const s of segs) {
    buf.set(data.subarray(s.start, s.start + s.len), 40);
    r.segment(seqAdd(isn, 1 + s.start), TCP_FLAG.ACK, buf, 40, s.len, s.len, frame++);
  }
  r.segment(seqAdd(isn, 1 + n), TCP_FLAG.FIN | TCP_FLAG.ACK, buf, 0, 0, 0, frame++);
  r.close(frame);
  expect(sink.endReason).toBe('fin');
  expect(sink.missed).toBe(0);
  expect(Buffer.from(sink.bytes()).equals(Buffer.from(data))).toBe(true);
  expect(r.stats.inconsistentOverlaps).toBe(0);
  expect(r.stats.delivered).toBe(n);
}

describe('reassembly against a model', () => {
  test('200 random small streams', () => {
    for (let seed = 1; seed <= 200; seed++) randomRun(seed, { small: true, syn: seed % 3 !== 0 });
  });
  test('30 random large streams', () => {
    for (let seed = 1000; seed < 1030; seed++) randomRun(seed, { syn: seed % 4 !== 0 });
  });
});
