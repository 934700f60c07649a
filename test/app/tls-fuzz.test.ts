/**
 * Hostile streams never make TlsParser throw, and what it holds stays bounded: the real fixture
 * handshakes mutated at random (byte flips, inserted and deleted runs, truncation, gaps, random
 * chunking, swapped directions), random bytes behind a valid record header, and records claiming
 * the largest lengths. Seeded (test/helpers/prng.ts), so a failure names the seed that replays it.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { DIR, type Direction } from '../../src/core/direction.js';
import { TlsParser, type TlsParserOptions } from '../../src/app/tls/tls-parser.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { prng } from '../helpers/prng.js';
import { streamEventsOf } from './tls-adapter.js';

let streams: { c2s: Uint8Array; s2c: Uint8Array }[] = [];
beforeAll(async () => {
  const flows = await streamEventsOf(fixturePath('tls.client.pcap'));
  const dir = (ev: (typeof flows)[number]['events'], d: Direction): Uint8Array =>
    new Uint8Array(Buffer.concat(ev.flatMap((e) => (e.kind === 'data' && e.dir === d ? [e.bytes] : []))));
  streams = flows.map((f) => ({ c2s: dir(f.events, DIR.C2S), s2c: dir(f.events, DIR.S2C) }));
});

function mutate(b: Uint8Array, rnd: () => number): Uint8Array {
  let out = Array.from(b);
  const edits = 1 + Math.floor(rnd() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const kind = rnd();
    if (kind < 0.5 && out.length > 0) out[Math.min(at, out.length - 1)] = Math.floor(rnd() * 256);
    else if (kind < 0.7) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
    else if (kind < 0.85) out.splice(at, 1 + Math.floor(rnd() * 40));
    else out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

const OPTS: TlsParserOptions = { maxHandshakeMessage: 4096, maxFindings: 16, maxListed: 8 };

/** Feed both directions interleaved in random chunks, with random gaps; check the bounds after every call. */
function feed(c2s: Uint8Array, s2c: Uint8Array, rnd: () => number, seed: number): TlsParser {
  const p = new TlsParser(OPTS);
  const data = [c2s, s2c];
  const pos = [0, 0];
  let frame = 1;
  while (pos[0]! < c2s.length || pos[1]! < s2c.length) {
    const d: Direction = pos[0]! >= c2s.length ? DIR.S2C : pos[1]! >= s2c.length ? DIR.C2S : rnd() < 0.5 ? DIR.C2S : DIR.S2C;
    const left = data[d]!.length - pos[d]!;
    const n = Math.min(left, 1 + Math.floor(rnd() * (rnd() < 0.3 ? 8 : 1500)));
    if (rnd() < 0.03) p.onGap(d, pos[d]!, n, frame, 0);
    else p.onData(d, pos[d]!, data[d]!, pos[d]!, n, frame, frame / 1000);
    pos[d]! += n;
    frame++;
    expect(p.bufferedBytes(), `seed ${seed}`).toBeLessThanOrEqual(2 * OPTS.maxHandshakeMessage + 2 * 32768);
  }
  p.onEnd(DIR.C2S, rnd() < 0.5 ? 'fin' : 'close', frame, 0);
  p.onEnd(DIR.S2C, 'rst', frame, 0);
  return p;
}

function checkBounded(p: TlsParser, seed: number): void {
  const r = p.result();
  const json = JSON.stringify(r); // JSON-safe
  expect(json.length, `seed ${seed}`).toBeLessThan(32 * 1024);
  expect(p.findings().length, `seed ${seed}`).toBeLessThanOrEqual(OPTS.maxFindings);
  expect((r.alerts as unknown[]).length).toBeLessThanOrEqual(OPTS.maxListed);
  expect(typeof p.label()).toBe('string');
  for (const f of p.findings()) expect(f.code).toMatch(/^tls_(malformed|record_oversize|alert|gap|limit)$/);
}

describe('fuzz: never throws, stays bounded', () => {
  test('mutated real handshakes, random chunks and gaps (3000 runs)', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rnd = prng(seed);
      const s = streams[seed % streams.length]!;
      const swap = rnd() < 0.1;
      const c = rnd() < 0.8 ? mutate(s.c2s, rnd) : s.c2s;
      const v = rnd() < 0.8 ? mutate(s.s2c, rnd) : s.s2c;
      checkBounded(swap ? feed(v, c, rnd, seed) : feed(c, v, rnd, seed), seed);
    }
  });

  test('random bytes behind valid record headers of every content type (1000 runs)', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const rnd = prng(10_000 + seed);
      const parts: number[] = [];
      while (parts.length < 6000) {
        const len = Math.floor(rnd() * 300);
        parts.push(20 + Math.floor(rnd() * 5), 3, Math.floor(rnd() * 5), len >> 8, len & 0xff);
        for (let i = 0; i < len; i++) parts.push(rnd() < 0.2 ? Math.floor(rnd() * 30) : Math.floor(rnd() * 256));
      }
      const b = Uint8Array.from(parts);
      checkBounded(feed(b, b.slice().reverse(), rnd, seed), seed);
    }
  });

  test('the largest claimed lengths: 2^24-1 handshake messages, 65535-byte records, truncated', () => {
    const huge = Uint8Array.from([0x16, 3, 3, 0xff, 0xff, 1, 0xff, 0xff, 0xff, ...new Array(200).fill(0x41)]);
    const p = new TlsParser(OPTS);
    p.onData(DIR.C2S, 0, huge, 0, huge.length, 1, 0);
    expect(p.bufferedBytes()).toBe(0); // larger than the buffer: skipped, not held
    expect(p.findings().map((f) => f.code)).toEqual(['tls_record_oversize', 'tls_limit']);
    const r = p.result() as Record<string, any>;
    expect(r.cut.c2s).toMatchObject({ offset: 0, inside: 'record of type 22, 65331 of 65535 bytes missing' });
    // a ServerHello of exactly the cap is held until complete, then released
    const cap = Uint8Array.from([0x16, 3, 3, 0x10, 0x04, 2, 0, 0x10, 0, ...new Array(4096).fill(0)]);
    const q = new TlsParser(OPTS);
    q.onData(DIR.S2C, 0, cap, 0, 2000, 1, 0);
    expect(q.bufferedBytes()).toBe(4096);
    q.onData(DIR.S2C, 2000, cap, 2000, cap.length - 2000, 2, 0);
    expect(q.bufferedBytes()).toBe(0);
    // an all-zero body parses up to an empty extension list, then 4056 bytes are left over
    expect(q.findings().map((f) => f.detail?.what)).toEqual(['ServerHello: 4056 bytes after the extensions']);
  });
});
