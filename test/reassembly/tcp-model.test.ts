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

/**
 * Lossy capture: some segments never captured, some cut short (snap length); the peer finally
 * ACKs everything. Every delivered byte must equal the original, and gaps cover exactly the rest.
 */
function lossyRun(seed: number): void {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const n = 1 + int(30000);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = int(256);
  const isn = (0xffffffff - int(20000)) >>> 0;
  const sink = new RecordingSink(false);
  const r = new TcpStreamReassembler(DIR.C2S, sink);
  const buf = new Uint8Array(1600);
  let frame = 1;
  r.segment(isn, TCP_FLAG.SYN, buf, 0, 0, 0, frame++);
  const segs: Seg[] = [];
  for (let at = 0; at < n; ) {
    const len = Math.min(n - at, 1 + int(1460));
    segs.push({ start: at, len });
    at += len;
  }
  for (let i = segs.length - 1; i > 0; i--) {
    if (rnd() < 0.3) {
      const j = Math.max(0, i - int(8));
      [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    }
  }
  /** Bytes on the wire in a captured segment but cut by the snap length. */
  const cut = new Uint8Array(n);
  for (const s of segs) {
    if (rnd() < 0.15) continue; // never captured
    const cap = rnd() < 0.2 ? int(s.len) : s.len;
    cut.fill(1, s.start + cap, s.start + s.len);
    buf.set(data.subarray(s.start, s.start + s.len), 20);
    r.segment(seqAdd(isn, 1 + s.start), TCP_FLAG.ACK, buf, 20, cap, s.len, frame++);
    if (rnd() < 0.1) r.acked(seqAdd(isn, 1 + int(n + 1)), frame++);
  }
  r.acked(seqAdd(isn, 1 + n), frame++);
  r.segment(seqAdd(isn, 1 + n), TCP_FLAG.FIN | TCP_FLAG.ACK, buf, 0, 0, 0, frame++);
  expect(sink.endReason).toBe('fin');
  expect(sink.delivered + sink.missed).toBe(n);
  const got = sink.bytes();
  const isGap = new Uint8Array(n);
  for (const [o, l] of sink.gaps) isGap.fill(1, o, o + l);
  for (let i = 0; i < n; i++) if (isGap[i] === 0 && got[i] !== data[i]) throw new Error(`seed ${seed}: byte ${i} differs`);
  expect(r.stats.inconsistentOverlaps).toBe(0);
  // Gaps of cause 'snaplen' cover only bytes a captured segment carried past the snap length.
  let truncated = 0;
  for (const c of sink.causes) {
    const m = /^(\d+)\+(\d+) (\w+)$/.exec(c)!;
    const o = Number(m[1]);
    const l = Number(m[2]);
    if (m[3] !== 'snaplen') continue;
    truncated += l;
    for (let i = o; i < o + l; i++) if (cut[i] === 0) throw new Error(`seed ${seed}: byte ${i} in a snaplen gap was not cut`);
  }
  expect(r.stats.truncated).toBe(truncated);
}

describe('hostile input', () => {
  test('random sequence numbers, flags and ACKs: events stay ordered, memory stays under the caps', () => {
    const rnd = prng(77);
    const int = (n: number): number => Math.floor(rnd() * n);
    const buf = new Uint8Array(70000);
    for (let run = 0; run < 20; run++) {
      const sink = new RecordingSink(false, false);
      const r = new TcpStreamReassembler(DIR.S2C, sink, { maxBufferedBytes: 100_000, maxSegments: 50 });
      const base = int(2 ** 32);
      for (let i = 0; i < 2000 && !r.ended; i++) {
        const near = rnd() < 0.9;
        const seq = near ? seqAdd(base, int(400_000)) : int(2 ** 32);
        const flags = rnd() < 0.02 ? TCP_FLAG.SYN : rnd() < 0.01 ? TCP_FLAG.FIN : rnd() < 0.002 ? TCP_FLAG.RST : TCP_FLAG.ACK;
        const len = int(rnd() < 0.05 ? 65535 : 1500);
        r.segment(seq, flags, buf, int(100), int(len + 1), len, i);
        if (rnd() < 0.05) r.acked(near ? seqAdd(base, int(500_000)) : int(2 ** 32), i);
        expect(r.bufferedBytes).toBeLessThanOrEqual(100_000);
      }
      r.close(99999);
      expect(sink.endReason).not.toBeNull();
      expect(sink.delivered + sink.missed).toBe(sink.next);
    }
  });
});

describe('reassembly against a model', () => {
  test('100 lossy captures: delivered bytes exact, gaps cover the rest', () => {
    for (let seed = 500; seed < 600; seed++) lossyRun(seed);
  });

  test('200 random small streams', () => {
    for (let seed = 1; seed <= 200; seed++) randomRun(seed, { small: true, syn: seed % 3 !== 0 });
  });
  test('30 random large streams', () => {
    for (let seed = 1000; seed < 1030; seed++) randomRun(seed, { syn: seed % 4 !== 0 });
  });
});
