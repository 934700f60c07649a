import { describe, expect, test } from 'vitest';
import { IpDefragmenter } from '../../src/reassembly/ip-defrag.js';
import type { DefragEvent, Reassembled } from '../../src/reassembly/ip-defrag.js';
import { internetChecksum } from '../../src/reassembly/ip-defrag-build.js';
import { decodedFrom, hex, ipv4, ipv6Frag, pattern, prng, shuffle, splitEven } from './ip-defrag-fixtures.js';

/** Fragments of one IPv4 UDP-ish datagram: [offset, length] pieces of `payload`. */
function v4Frags(payload: Uint8Array, pieces: Array<[number, number]>, id = 0x1234): Uint8Array[] {
  const total = payload.length;
  return pieces.map(([off, len]) => ipv4({ id, off, mf: off + len < total ? 1 : 0 }, payload.subarray(off, off + len)));
}

/** Feed packets (frame numbers 1..n, 1 ms apart); return every non-null result with its frame number. */
function feed(d: IpDefragmenter, pkts: Uint8Array[], t0 = 1000): Array<[number, Reassembled]> {
  const out: Array<[number, Reassembled]> = [];
  pkts.forEach((b, i) => {
    const r = d.add(decodedFrom(b), i + 1, t0, i * 1_000_000);
    if (r !== null) out.push([i + 1, r]);
  });
  return out;
}

const PAYLOAD = pattern(3000, 3);
const WHOLE = ipv4({ off: 0, mf: 0 }, PAYLOAD);
const PIECES = splitEven(3000, 1480); // 1480, 1480, 40

describe('IPv4 ordering', () => {
  const frags = v4Frags(PAYLOAD, PIECES);
  const [a, b, c] = frags as [Uint8Array, Uint8Array, Uint8Array];
  const cases: Array<{ name: string; pkts: Uint8Array[]; completeAt: number; fragments: number; dups: number }> = [
    { name: 'in order', pkts: [a, b, c], completeAt: 3, fragments: 3, dups: 0 },
    { name: 'reverse', pkts: [c, b, a], completeAt: 3, fragments: 3, dups: 0 },
    { name: 'last first', pkts: [c, a, b], completeAt: 3, fragments: 3, dups: 0 },
    { name: 'duplicates', pkts: [a, a, c, a, b], completeAt: 5, fragments: 5, dups: 2 },
    { name: 'seeded shuffle', pkts: shuffle(v4Frags(PAYLOAD, splitEven(3000, 64)), prng(7)), completeAt: 47, fragments: 47, dups: 0 },
  ];
  test.each(cases)('$name', ({ pkts, completeAt, fragments, dups }) => {
    const d = new IpDefragmenter();
    const got = feed(d, pkts);
    expect(got.length).toBe(1);
    const [at, r] = got[0] as [number, Reassembled];
    expect(at).toBe(completeAt);
    expect(r.lastFrame).toBe(completeAt);
    expect(r.firstFrame).toBe(1);
    expect(r.fragments).toBe(fragments);
    expect(r.duplicates).toBe(dups);
    expect(r.overlap).toBe(false);
    expect(r.bytes).toEqual(WHOLE);
    expect(internetChecksum(r.bytes, 0, 20)).toBe(0);
    expect(d.counters.reassembled).toBe(1);
    expect(d.counters.duplicates).toBe(dups);
    expect(d.inProgress).toBe(0);
    expect(d.counters.bytesBuffered).toBe(0);
  });
});

describe('IPv4 header rebuild', () => {
  test('options of the first fragment kept, DF kept, checksum stays consistent', () => {
    const opt = hex`94 04 00 00`; // router alert
    const p = pattern(48);
    const f1 = ipv4({ off: 0, mf: 1, options: opt, ttl: 9 }, p.subarray(0, 24));
    const f2 = ipv4({ off: 24, mf: 0, ttl: 9 }, p.subarray(24));
    const r = feed(new IpDefragmenter(), [f2, f1])[0]?.[1];
    expect(r?.bytes).toEqual(ipv4({ off: 0, mf: 0, options: opt, ttl: 9 }, p));
    expect(internetChecksum(r?.bytes ?? new Uint8Array(), 0, 24)).toBe(0);
  });
  test('a bad first-fragment checksum stays bad by the same amount', () => {
    const p = pattern(32);
    const f1 = ipv4({ off: 0, mf: 1 }, p.subarray(0, 16));
    f1[11] = (f1[11] ?? 0) ^ 0x01;
    const f2 = ipv4({ off: 16, mf: 0 }, p.subarray(16));
    const r = feed(new IpDefragmenter(), [f1, f2])[0]?.[1];
    expect(internetChecksum(r?.bytes ?? new Uint8Array(), 0, 20)).not.toBe(0);
  });
  test('tiny first fragment: TCP header split across fragments', () => {
    const tcp = hex`3039 0050 00000001 00000000 7002 ffff 0000 0000 020405b4 01030307`; // 28-byte SYN
    const f1 = ipv4({ off: 0, mf: 1, proto: 6, id: 1 }, tcp.subarray(0, 8));
    const f2 = ipv4({ off: 8, mf: 0, proto: 6, id: 1 }, tcp.subarray(8));
    const r = feed(new IpDefragmenter(), [f1, f2])[0]?.[1];
    expect(r?.bytes).toEqual(ipv4({ off: 0, mf: 0, proto: 6, id: 1 }, tcp));
  });
});

describe('IPv4 overlaps (first-wins)', () => {
  const p = pattern(32);
  test('same data: flagged overlap, consistent', () => {
    const pkts = [ipv4({ off: 0, mf: 1 }, p.subarray(0, 16)), ipv4({ off: 8, mf: 1 }, p.subarray(8, 24)), ipv4({ off: 24, mf: 0 }, p.subarray(24))];
    const d = new IpDefragmenter();
    const r = feed(d, pkts)[0]?.[1];
    expect(r?.bytes).toEqual(ipv4({ off: 0, mf: 0 }, p));
    expect([r?.overlap, r?.inconsistentOverlap]).toEqual([true, false]);
    expect([d.counters.overlaps, d.counters.inconsistentOverlaps]).toEqual([1, 0]);
  });
  test('different data: the first copy is kept and the overlap is inconsistent', () => {
    const evil = p.slice(8, 24).fill(0xee);
    const pkts = [ipv4({ off: 0, mf: 1 }, p.subarray(0, 16)), ipv4({ off: 8, mf: 1 }, evil), ipv4({ off: 24, mf: 0 }, p.subarray(24))];
    const d = new IpDefragmenter();
    const r = feed(d, pkts)[0]?.[1];
    const want = p.slice();
    want.fill(0xee, 16, 24); // bytes 16..24 were a hole when the evil fragment came
    expect(r?.bytes).toEqual(ipv4({ off: 0, mf: 0 }, want));
    expect([r?.overlap, r?.inconsistentOverlap]).toEqual([true, true]);
    expect(d.counters.inconsistentOverlaps).toBe(1);
  });
});

describe('timeouts in packet time', () => {
  test('missing middle fragment times out after 30 s of packet time (from the first fragment)', () => {
    const events: DefragEvent[] = [];
    const d = new IpDefragmenter({ onEvent: (e) => events.push(e) });
    const [a, , c] = v4Frags(PAYLOAD, PIECES) as [Uint8Array, Uint8Array, Uint8Array];
    expect(d.add(decodedFrom(a), 1, 100, 500)).toBeNull();
    expect(d.add(decodedFrom(c), 2, 120, 0)).toBeNull();
    expect(d.expire(130, 500)).toBe(0); // exactly 30 s: not yet
    expect(d.inProgress).toBe(1);
    expect(d.expire(130, 501)).toBe(1);
    expect(d.counters).toMatchObject({ timedOut: 1, timedOutFragments: 2, timedOutBytes: 20 + 1480 + 40, bytesBuffered: 0, inProgress: 0 });
    expect(events).toEqual([{ kind: 'timeout', drop: { ipVersion: 4, firstFrame: 1, lastFrame: 2, fragments: 2, bytes: 1540, frames: [1, 2] } }]);
  });
  test('add() expires first: a late fragment starts a new datagram', () => {
    const d = new IpDefragmenter({ limits: { timeoutV4Sec: 5 } });
    const [a, b, c] = v4Frags(PAYLOAD, PIECES) as [Uint8Array, Uint8Array, Uint8Array];
    d.add(decodedFrom(a), 1, 0, 0);
    d.add(decodedFrom(b), 2, 1, 0);
    expect(d.add(decodedFrom(c), 3, 6, 0)).toBeNull();
    expect(d.counters.timedOut).toBe(1);
    expect(d.inProgress).toBe(1);
  });
});

describe('limits', () => {
  test('maxDatagrams evicts the oldest and counts it', () => {
    const events: DefragEvent[] = [];
    const d = new IpDefragmenter({ limits: { maxDatagrams: 2 }, onEvent: (e) => events.push(e) });
    for (let id = 1; id <= 3; id++) d.add(decodedFrom(ipv4({ id, off: 0, mf: 1 }, pattern(16))), id, 0, 0);
    expect(d.counters).toMatchObject({ evicted: 1, evictedFragments: 1, evictedBytes: 36, inProgress: 2 });
    expect(events[0]).toMatchObject({ kind: 'evicted', limit: 'maxDatagrams', frameNo: 3, drop: { firstFrame: 1 } });
    // datagram 3 still completes
    const r = d.add(decodedFrom(ipv4({ id: 3, off: 16, mf: 0 }, pattern(8))), 4, 0, 0);
    expect(r?.lastFrame).toBe(4);
  });
  test('maxBytes evicts older datagrams, then the growing one itself', () => {
    const d = new IpDefragmenter({ limits: { maxBytes: 100 } });
    d.add(decodedFrom(ipv4({ id: 1, off: 0, mf: 1 }, pattern(40))), 1, 0, 0); // 60 bytes
    d.add(decodedFrom(ipv4({ id: 2, off: 0, mf: 1 }, pattern(40))), 2, 0, 0); // 120 > 100: id 1 goes
    expect(d.counters).toMatchObject({ evicted: 1, evictedBytes: 60, bytesBuffered: 60, inProgress: 1 });
    d.add(decodedFrom(ipv4({ id: 2, off: 40, mf: 1 }, pattern(48))), 3, 0, 0); // 108 > 100 alone
    expect(d.counters).toMatchObject({ evicted: 2, evictedFragments: 3, bytesBuffered: 0, inProgress: 0, peakBytesBuffered: 120 });
  });
});

describe('invalid fragments', () => {
  const cases: Array<{ name: string; pkts: Uint8Array[]; reason: string; cut?: number }> = [
    { name: 'non-last payload not a multiple of 8', pkts: [ipv4({ off: 0, mf: 1 }, pattern(12))], reason: 'unaligned' },
    { name: 'offset + length past 65535', pkts: [ipv4({ off: 65512, mf: 0 }, pattern(8))], reason: 'oversize' },
    { name: 'two last fragments disagree', pkts: [ipv4({ off: 8, mf: 0 }, pattern(8)), ipv4({ off: 8, mf: 0 }, pattern(16))], reason: 'conflicting-end' },
    { name: 'data past the known end', pkts: [ipv4({ off: 8, mf: 0 }, pattern(8)), ipv4({ off: 16, mf: 1 }, pattern(8))], reason: 'conflicting-end' },
    { name: 'last fragment before held data', pkts: [ipv4({ off: 16, mf: 1 }, pattern(8)), ipv4({ off: 8, mf: 0 }, pattern(8))], reason: 'conflicting-end' },
    { name: 'cut by the snap length', pkts: [ipv4({ off: 0, mf: 1 }, pattern(16))], reason: 'truncated', cut: 30 },
  ];
  test.each(cases)('$name', ({ pkts, reason, cut }) => {
    const d = new IpDefragmenter();
    pkts.forEach((b, i) => d.add(decodedFrom(b, 0, cut ?? b.length), i + 1, 0, 0));
    expect(d.counters.invalid).toBe(1);
    expect(d.counters.invalidByReason[reason as 'oversize']).toBe(1);
  });
  test('not a fragment (MF=0, offset 0) is ignored', () => {
    const d = new IpDefragmenter();
    expect(d.add(decodedFrom(WHOLE), 1, 0, 0)).toBeNull();
    expect(d.counters).toMatchObject({ ignored: 1, fragments: 0, inProgress: 0 });
  });
});

describe('id reuse and flush', () => {
  test('the same id after completion is a new datagram', () => {
    const d = new IpDefragmenter();
    const p2 = pattern(3000, 99);
    const got = feed(d, [...v4Frags(PAYLOAD, PIECES), ...v4Frags(p2, PIECES)]);
    expect(got.map(([at]) => at)).toEqual([3, 6]);
    expect(got[1]?.[1].bytes).toEqual(ipv4({ off: 0, mf: 0 }, p2));
    expect(got[1]?.[1].firstFrame).toBe(4);
  });
  test('flush reports incomplete datagrams with fragment and byte counts', () => {
    const d = new IpDefragmenter();
    const [a, b] = v4Frags(PAYLOAD, PIECES) as [Uint8Array, Uint8Array];
    feed(d, [a, b, ipv4({ id: 9, off: 8, mf: 0 }, pattern(8))]);
    const drops = d.flush();
    expect(drops.map((x) => [x.fragments, x.bytes])).toEqual([[2, 2980], [1, 8]]);
    expect(d.counters).toMatchObject({ incomplete: 2, incompleteFragments: 3, incompleteBytes: 2988, inProgress: 0, bytesBuffered: 0 });
  });
});

describe('property: random split, order and duplicates reassemble byte-identically', () => {
  test.each(Array.from({ length: 200 }, (_, i) => i + 1))('seed %i', (seed) => {
    const rnd = prng(seed);
    const len = 9 + Math.floor(rnd() * (seed % 10 === 0 ? 65000 : 4000));
    const payload = pattern(len, seed);
    const pieces: Array<[number, number]> = [];
    for (let off = 0; off < len;) {
      let n = Math.min(len - off, 8 * (1 + Math.floor(rnd() * (seed % 3 === 0 ? 4 : 200))));
      if (n === len) n = 8; // a datagram in one piece is not fragmented
      pieces.push([off, n]);
      off += n;
    }
    // extra copies: exact duplicates and, for IPv4, consistent overlapping re-fragmentations
    const extra: Array<[number, number]> = [];
    for (const [off, n] of pieces) {
      if (rnd() < 0.2) extra.push([off, n]);
      if (rnd() < 0.1 && off + n < len) extra.push([off, Math.min(len - off, n + 8)]);
    }
    const order = shuffle([...pieces, ...extra], rnd);
    const pkts = v4Frags(payload, order, seed & 0xffff);
    // oracle: coverage bitmap; the datagram must complete exactly when every byte is covered
    const seen = new Uint8Array(len);
    let missing = len;
    let expectAt = -1;
    let headerSeen = false;
    order.forEach(([off, n], i) => {
      for (let k = off; k < off + n; k++) if (seen[k] === 0) { seen[k] = 1; missing--; }
      headerSeen ||= off === 0;
      if (missing === 0 && expectAt < 0) expectAt = i + 1;
    });
    const d = new IpDefragmenter();
    const got = feed(d, pkts.slice(0, expectAt));
    expect(got.length).toBe(1);
    expect(got[0]?.[0]).toBe(expectAt);
    expect(got[0]?.[1].bytes).toEqual(ipv4({ off: 0, mf: 0, id: seed & 0xffff }, payload));
    expect(got[0]?.[1].inconsistentOverlap).toBe(false);
    expect(headerSeen).toBe(true);
  });
});

test('IPv6 fragments of the same stream reassemble byte-identically (property, duplicates only)', () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rnd = prng(seed * 31);
    const len = 9 + Math.floor(rnd() * 6000);
    const payload = pattern(len, seed);
    const pieces = splitEven(len, Math.min(8 * (1 + Math.floor(rnd() * 100)), (len - 1) & ~7));
    const dups = pieces.filter(() => rnd() < 0.3);
    const order = shuffle([...pieces, ...dups], rnd);
    const pkts = order.map(([off, n]) => ipv6Frag({ off, mf: off + n < len ? 1 : 0, id: seed }, payload.subarray(off, off + n)));
    const d = new IpDefragmenter();
    const got = feed(d, pkts);
    expect(got.length).toBeGreaterThanOrEqual(1);
    const r = got[0]?.[1];
    expect(r?.bytes.subarray(40)).toEqual(payload);
    expect(r?.bytes[6]).toBe(17);
    expect(((r?.bytes[4] ?? 0) << 8) | (r?.bytes[5] ?? 0)).toBe(len);
  }
});

describe('IPv4 overlap policies (crafted overlaps; bsd column = what tshark -2 reassembles)', () => {
  const A = 0x41;
  const B = 0x42;
  const C = 0x43;
  const f = (off: number, len: number, byte: number): [number, number, number] => [off, len, byte];
  const cases: Array<{ name: string; frags: Array<[number, number, number]>; first: string; last: string; bsd: string }> = [
    { name: 'same offset, same length', frags: [f(0, 16, A), f(0, 16, B), f(16, 8, C)], first: 'A16C8', last: 'B16C8', bsd: 'A16C8' },
    { name: 'new starts lower', frags: [f(8, 8, A), f(0, 16, B), f(16, 8, C)], first: 'B8A8C8', last: 'B16C8', bsd: 'B16C8' },
    { name: 'new starts inside, ends after', frags: [f(0, 16, A), f(8, 16, B), f(24, 8, C)], first: 'A16B8C8', last: 'A8B16C8', bsd: 'A16B8C8' },
    { name: 'same offset, new longer', frags: [f(0, 8, A), f(0, 16, B), f(16, 8, C)], first: 'A8B8C8', last: 'B16C8', bsd: 'A8B8C8' },
    { name: 'same offset, new shorter', frags: [f(0, 16, A), f(0, 8, B), f(16, 8, C)], first: 'A16C8', last: 'B8A8C8', bsd: 'A16C8' },
  ];
  /** Run-length text of bytes: "A16C8". */
  const rle = (b: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < b.length;) {
      let j = i;
      while (j < b.length && b[j] === b[i]) j++;
      s += String.fromCharCode(b[i] ?? 0) + String(j - i);
      i = j;
    }
    return s;
  };
  for (const policy of ['first', 'last', 'bsd'] as const) {
    test.each(cases)(`${policy}: $name`, (c) => {
      const d = new IpDefragmenter({ overlapPolicyV4: policy });
      const pkts = c.frags.map(([off, len, byte], i) => ipv4({ off, mf: i < c.frags.length - 1 ? 1 : 0 }, new Uint8Array(len).fill(byte)));
      const r = feed(d, pkts)[0]?.[1];
      expect(rle(r?.bytes.subarray(20) ?? new Uint8Array())).toBe(c[policy]);
      expect(r?.inconsistentOverlap).toBe(true);
      expect(internetChecksum(r?.bytes ?? new Uint8Array(), 0, 20)).toBe(0);
    });
  }
});

describe('keys: (src, dst, protocol, id) for IPv4, (src, dst, id) for IPv6', () => {
  const p = pattern(24);
  const first = ipv4({ off: 0, mf: 1, id: 5, proto: 17, src: [10, 0, 0, 1], dst: [10, 0, 0, 2] }, p.subarray(0, 16));
  const cases: Array<{ name: string; last: Uint8Array; joins: boolean }> = [
    { name: 'same key', last: ipv4({ off: 16, mf: 0, id: 5, proto: 17, src: [10, 0, 0, 1], dst: [10, 0, 0, 2] }, p.subarray(16)), joins: true },
    { name: 'other protocol', last: ipv4({ off: 16, mf: 0, id: 5, proto: 6, src: [10, 0, 0, 1], dst: [10, 0, 0, 2] }, p.subarray(16)), joins: false },
    { name: 'other source', last: ipv4({ off: 16, mf: 0, id: 5, proto: 17, src: [10, 0, 1, 1], dst: [10, 0, 0, 2] }, p.subarray(16)), joins: false },
    { name: 'swapped addresses', last: ipv4({ off: 16, mf: 0, id: 5, proto: 17, src: [10, 0, 0, 2], dst: [10, 0, 0, 1] }, p.subarray(16)), joins: false },
    { name: 'other id', last: ipv4({ off: 16, mf: 0, id: 6, proto: 17, src: [10, 0, 0, 1], dst: [10, 0, 0, 2] }, p.subarray(16)), joins: false },
  ];
  test.each(cases)('IPv4 $name', ({ last, joins }) => {
    const got = feed(new IpDefragmenter(), [first, last]);
    expect(got.length).toBe(joins ? 1 : 0);
  });
  test('IPv6: the next header does not split a datagram, the source does', () => {
    const src2 = hex`fd00 0000 0000 0000 0000 0000 0001 0001`;
    const a = ipv6Frag({ off: 0, mf: 1, nh: 17 }, p.subarray(0, 16));
    expect(feed(new IpDefragmenter(), [a, ipv6Frag({ off: 16, mf: 0, nh: 6 }, p.subarray(16))]).length).toBe(1);
    expect(feed(new IpDefragmenter(), [a, ipv6Frag({ off: 16, mf: 0, src: src2 }, p.subarray(16))]).length).toBe(0);
  });
});
