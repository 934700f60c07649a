/**
 * predictable_isn: synthetic ISN sequences with a known pattern are flagged, random and
 * RFC 6528-style ones (clock + per-four-tuple hash) are not, and neither are the ISNs Linux
 * chose in the real fixtures (short-conns: 12 connections over 4 reused four-tuples).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { IsnAnalyzer, classify } from '../../src/analysis/isn.js';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { formatIp } from '../../src/dissectors/address.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { prng } from '../helpers/prng.js';

const T0 = 1_795_000_000;
const TOL = 65_536;

interface Case {
  name: string;
  isn: number[];
  t: number[];
  pattern: string | null;
  detail?: Record<string, number>;
}

const times = (n: number, step = 0.37): number[] => Array.from({ length: n }, (_, i) => T0 + i * step + (i % 3) * 0.11);
const rnd = prng(5);
const CASES: Case[] = [
  { name: 'constant', isn: [12345, 12345, 12345, 12345], t: times(4), pattern: 'constant', detail: { isn: 12345 } },
  {
    name: 'fixed +64000, wrapping past 2^32', isn: [0, 1, 2, 3].map((i) => (0xfffe0000 + i * 64000) >>> 0),
    t: times(4), pattern: 'fixed-increment', detail: { increment: 64000 },
  },
  { name: 'fixed −1 (counting down)', isn: [100, 99, 98, 97, 96], t: times(5), pattern: 'fixed-increment', detail: { increment: -1 } },
  {
    // RFC 793's 4 µs clock, no hash; SYN timestamps jitter by up to 50 µs
    name: '250 kHz clock', t: times(6, 1.9), pattern: 'time-linear',
    isn: times(6, 1.9).map((t, i) => Math.round(7_000_000 + (t - T0) * 250_000 + (i % 2 === 0 ? 12 : -12)) >>> 0),
  },
  {
    name: 'Linux 64 ns clock without the hash, wrapping', t: times(5, 60), pattern: 'time-linear',
    isn: times(5, 60).map((t) => Math.round(0xf0000000 + (t - T0) * 15_625_000) >>> 0),
  },
  { name: 'random', isn: Array.from({ length: 8 }, () => Math.floor(rnd() * 2 ** 32)), t: times(8), pattern: null },
  { name: 'nearly constant (within 2^16)', isn: [7, 7, 0xfffffff0, 900], t: times(4), pattern: 'constant', detail: { isn: 7, spread: 916 } },
  { name: 'equal except one far away', isn: [7, 7, 7, 0x80000000], t: times(4), pattern: null },
  { name: 'no time spread, not fixed', isn: [1, 0x40000005, 0x90000006, 0xd0000100], t: [T0, T0, T0, T0], pattern: null },
];

describe('classify', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = classify(c.isn, c.t, TOL);
      expect(r?.pattern ?? null).toBe(c.pattern);
      if (c.detail !== undefined) expect(r?.detail).toEqual(c.detail);
    });
  }

  test('the fitted rate of a 250 kHz clock is 250 kHz', () => {
    const c = CASES.find((x) => x.name === '250 kHz clock')!;
    const r = classify(c.isn, c.t, TOL)!;
    expect(r.detail.ratePerSecond).toBeGreaterThan(249_000);
    expect(r.detail.ratePerSecond).toBeLessThan(251_000);
    expect(r.detail.maxResidual).toBeLessThan(100);
  });

  test('random ISNs: no false positive in 2000 hosts of 4 connections', () => {
    const r = prng(11);
    let hits = 0;
    for (let h = 0; h < 2000; h++) {
      const isn = Array.from({ length: 4 }, () => Math.floor(r() * 2 ** 32));
      if (classify(isn, times(4), TOL) !== null) hits++;
    }
    expect(hits).toBe(0);
  });
});

describe('IsnAnalyzer', () => {
  test('needs at least 4 connections', () => {
    const a = new IsnAnalyzer();
    for (let i = 0; i < 3; i++) a.add('10.0.0.1', 5, T0 + i, i);
    expect(a.findings()).toEqual([]);
    a.add('10.0.0.1', 5, T0 + 3, 3);
    expect(a.findings()).toEqual([
      { host: '10.0.0.1', connections: 4, samples: 4, pattern: 'constant', detail: { isn: 5 }, flows: [0, 1, 2, 3] },
    ]);
  });

  test('samples are sorted by time, per host', () => {
    const a = new IsnAnalyzer();
    const order = [2, 0, 3, 1];
    for (const i of order) a.add('h1', (1000 + i * 64000) >>> 0, T0 + i, 10 + i);
    for (const i of order) a.add('h2', Math.floor(prng(i)() * 2 ** 32), T0 + i, 20 + i);
    const f = a.findings();
    expect(f.map((x) => [x.host, x.pattern, x.flows])).toEqual([['h1', 'fixed-increment', [10, 11, 12, 13]]]);
  });

  test('RFC 6528: clock + per-four-tuple hash, four-tuples reused, is not flagged', () => {
    const a = new IsnAnalyzer();
    const r = prng(3);
    const hash = [0, 1, 2, 3].map(() => Math.floor(r() * 2 ** 32));
    for (let i = 0; i < 12; i++) {
      const t = T0 + i * 0.01;
      a.add('10.201.1.1', (hash[i % 4]! + Math.round((t - T0) * 15_625_000)) >>> 0, t, i, `10.201.2.1|${40000 + (i % 4)}|5001`);
    }
    expect(a.findings()).toEqual([]);
  });

  test('one four-tuple reused: one sample, never flagged however regular', () => {
    const a = new IsnAnalyzer();
    for (let i = 0; i < 10; i++) a.add('h', i * 1000, T0 + i, i, 'same');
    expect(a.findings()).toEqual([]);
  });

  test('hosts past maxHosts are counted, not tested', () => {
    const a = new IsnAnalyzer({ maxHosts: 1 });
    a.add('a', 1, T0, 0);
    a.add('b', 1, T0, 1);
    expect(a.hostsNotTested).toBe(1);
  });
});

interface Syn {
  host: string;
  isn: number;
  t: number;
  tuple: string;
}

/** Each connection's SYN (client) and SYN/ACK (server) ISN, once (retransmitted SYNs dropped). */
function fixtureSyns(name: string): Syn[] {
  const pkt = new DecodedPacket();
  const seen = new Set<string>();
  const out: Syn[] = [];
  parseCaptureBytes(new Uint8Array(readFileSync(fixturePath(name))), name, (f) => {
    decodePacket(pkt, f.buf, f.off, f.caplen, f.linkType);
    if ((pkt.layers & LAYER.TCP) === 0 || (pkt.tcpFlags & TCP_FLAG.SYN) === 0) return;
    const host = formatIp(pkt.buf, pkt.srcOff, pkt.ipVersion);
    const tuple = `${formatIp(pkt.buf, pkt.dstOff, pkt.ipVersion)}|${pkt.sport}|${pkt.dport}`;
    const key = `${host}|${tuple}|${pkt.seq}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ host, isn: pkt.seq, t: f.tsSec + f.tsNsec * 1e-9, tuple });
  });
  return out;
}

describe('real Linux ISNs (RFC 6528) are not flagged', () => {
  test('short-conns: 12 connections from one client over 4 reused four-tuples, and their server', () => {
    const syns = fixtureSyns('short-conns.client.pcap');
    expect(syns.length).toBe(24);
    const a = new IsnAnalyzer();
    syns.forEach((s, i) => a.add(s.host, s.isn, s.t, i, s.tuple));
    expect(a.findings()).toEqual([]);
  });

  test('why one sample per four-tuple: within one reused four-tuple Linux ISNs follow its 64 ns clock', () => {
    const syns = fixtureSyns('short-conns.client.pcap').filter((s) => s.host === '10.201.1.1');
    const byTuple = new Map<string, Syn[]>();
    for (const s of syns) byTuple.set(s.tuple, [...(byTuple.get(s.tuple) ?? []), s]);
    const [tuple, same] = [...byTuple].sort((x, y) => y[1].length - x[1].length)[0]!;
    expect(same.length).toBeGreaterThanOrEqual(3);
    const r = classify(same.map((s) => s.isn), same.map((s) => s.t), TOL);
    expect({ tuple, pattern: r?.pattern }).toEqual({ tuple, pattern: 'time-linear' });
    expect((r?.detail.ratePerSecond ?? 0) / 15_625_000).toBeCloseTo(1, 2);
  });

  test('every fixture together (one analyzer over all captures)', () => {
    const a = new IsnAnalyzer();
    let flow = 0;
    for (const name of FIXTURE_CAPTURES) for (const s of fixtureSyns(name)) a.add(s.host, s.isn, s.t, flow++, s.tuple);
    expect(flow).toBeGreaterThan(30);
    expect(a.findings()).toEqual([]);
  });
});
