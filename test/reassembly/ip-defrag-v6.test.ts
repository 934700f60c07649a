import { describe, expect, test } from 'vitest';
import { IpDefragmenter } from '../../src/reassembly/ip-defrag.js';
import type { DefragEvent, Reassembled } from '../../src/reassembly/ip-defrag.js';
import { decodedFrom, hex, ipv6Frag, pattern, V6_DST, V6_SRC } from './ip-defrag-fixtures.js';

const HBH = hex`00 00 0104 00000000`; // hop-by-hop, PadN
const RTH = hex`00 02 00 00 00000000 fd00000000000000 0000000000000009`; // routing type 0, 24 bytes (len 2)
const DST = hex`00 00 0104 00000000`; // destination options, PadN

/** Feed IPv6 packets at packet time `sec` (frames 1..n). */
function feed(d: IpDefragmenter, pkts: Uint8Array[], sec = 50): Array<Reassembled | null> {
  return pkts.map((b, i) => d.add(decodedFrom(b), i + 1, sec, i));
}

/** The datagram the sender fragmented: fixed header + unfragmentable headers + payload, no fragment header. */
function unfragmented(ext: Array<[number, Uint8Array]>, nh: number, payload: Uint8Array): Uint8Array {
  const extLen = ext.reduce((n, [, e]) => n + e.length, 0);
  const b = new Uint8Array(40 + extLen + payload.length);
  const plen = b.length - 40;
  b.set([0x60, 0, 0, 0, plen >>> 8, plen & 0xff, ext[0]?.[0] ?? nh, 64], 0);
  b.set(V6_SRC, 8);
  b.set(V6_DST, 24);
  let at = 40;
  ext.forEach(([, e], i) => {
    b.set(e, at);
    b[at] = ext[i + 1]?.[0] ?? nh;
    at += e.length;
  });
  b.set(payload, at);
  return b;
}

describe('IPv6 header rebuild (RFC 8200 §4.5)', () => {
  const payload = pattern(2500, 5);
  const cases: Array<{ name: string; ext: Array<[number, Uint8Array]> }> = [
    { name: 'no extension headers', ext: [] },
    { name: 'hop-by-hop', ext: [[0, HBH]] },
    { name: 'hop-by-hop, destination options, routing', ext: [[0, HBH], [60, DST], [43, RTH]] },
  ];
  test.each(cases)('$name before the fragment header', ({ ext }) => {
    const pieces: Array<[number, number]> = [[0, 1232], [1232, 1232], [2464, 36]];
    const pkts = pieces.map(([off, n]) => ipv6Frag({ off, mf: off + n < 2500 ? 1 : 0, ext, nh: 6 }, payload.subarray(off, off + n)));
    const d = new IpDefragmenter();
    const got = feed(d, [pkts[2], pkts[0], pkts[1]] as Uint8Array[]);
    expect(got.slice(0, 2)).toEqual([null, null]);
    expect(got[2]?.bytes).toEqual(unfragmented(ext, 6, payload));
    expect(got[2]?.lastFrame).toBe(3);
  });
  test('next header is taken from the first fragment (RFC 8200 §4.5)', () => {
    const p = pattern(32);
    const d = new IpDefragmenter();
    const got = feed(d, [ipv6Frag({ off: 16, mf: 0, nh: 59 }, p.subarray(16)), ipv6Frag({ off: 0, mf: 1, nh: 17 }, p.subarray(0, 16))]);
    expect(got[1]?.bytes[6]).toBe(17);
  });
});

describe('IPv6 overlaps (RFC 5722 §4, erratum 3089)', () => {
  const p = pattern(48);
  test('exact duplicates are ignored', () => {
    const a = ipv6Frag({ off: 0, mf: 1 }, p.subarray(0, 24));
    const b = ipv6Frag({ off: 24, mf: 0 }, p.subarray(24));
    const d = new IpDefragmenter();
    const got = feed(d, [a, a, b]);
    expect(got[2]?.bytes).toEqual(unfragmented([], 17, p));
    expect(got[2]?.duplicates).toBe(1);
    expect(d.counters.duplicates).toBe(1);
  });
  const overlapCases = [
    { name: 'same data', second: p.subarray(16, 40), inconsistent: false },
    { name: 'different data', second: new Uint8Array(24).fill(0xee), inconsistent: true },
  ];
  test.each(overlapCases)('overlap with $name discards the datagram, later fragments too', ({ second, inconsistent }) => {
    const events: DefragEvent[] = [];
    const d = new IpDefragmenter({ onEvent: (e) => events.push(e) });
    const got = feed(d, [
      ipv6Frag({ off: 0, mf: 1 }, p.subarray(0, 24)),
      ipv6Frag({ off: 16, mf: 1 }, second),
      ipv6Frag({ off: 24, mf: 0 }, p.subarray(24)),
      ipv6Frag({ off: 0, mf: 1 }, p.subarray(0, 24)),
    ]);
    expect(got).toEqual([null, null, null, null]);
    expect(d.counters).toMatchObject({ overlapDiscarded: 1, overlapDiscardedFragments: 4, bytesBuffered: 0, reassembled: 0 });
    expect(events).toMatchObject([{ kind: 'overlap-discarded', inconsistent, frameNo: 2, drop: { fragments: 2, bytes: 64 } }]);
    // the tombstone times out silently after 60 s of packet time; the id then works again
    expect(d.expire(111, 0)).toBe(0);
    expect(d.inProgress).toBe(0);
    const again = feed(d, [ipv6Frag({ off: 0, mf: 1 }, p.subarray(0, 24)), ipv6Frag({ off: 24, mf: 0 }, p.subarray(24))], 112);
    expect(again[1]?.bytes).toEqual(unfragmented([], 17, p));
    expect(d.counters.timedOut).toBe(0);
  });
});

describe('IPv6 edge cases', () => {
  test('atomic fragments (offset 0, M = 0; RFC 6946) are not handled here', () => {
    const d = new IpDefragmenter();
    expect(d.add(decodedFrom(ipv6Frag({ off: 0, mf: 0 }, pattern(40))), 1, 0, 0)).toBeNull();
    expect(d.counters).toMatchObject({ ignored: 1, fragments: 0, inProgress: 0 });
  });
  test('timeout is 60 s for IPv6', () => {
    const d = new IpDefragmenter();
    d.add(decodedFrom(ipv6Frag({ off: 0, mf: 1 }, pattern(16))), 1, 1000, 0);
    expect(d.expire(1060, 0)).toBe(0);
    expect(d.expire(1060, 1)).toBe(1);
    expect(d.counters).toMatchObject({ timedOut: 1, timedOutFragments: 1, timedOutBytes: 56 });
  });
  test('reassembled payload length over 65535 (unfragmentable part counted) is refused', () => {
    const d = new IpDefragmenter();
    // fixed 40 + hop-by-hop 8 + offset 65480 + 16 > 65535
    d.add(decodedFrom(ipv6Frag({ off: 65480, mf: 0, ext: [[0, HBH]] }, pattern(16))), 1, 0, 0);
    expect(d.counters.invalidByReason.oversize).toBe(1);
  });
  test('unaligned non-last fragment is refused (RFC 8200 §4.5)', () => {
    const d = new IpDefragmenter();
    d.add(decodedFrom(ipv6Frag({ off: 0, mf: 1 }, pattern(13))), 1, 0, 0);
    expect(d.counters.invalidByReason.unaligned).toBe(1);
  });
  test('different identifications are different datagrams', () => {
    const d = new IpDefragmenter();
    const r = feed(d, [ipv6Frag({ off: 0, mf: 1, id: 7 }, pattern(16)), ipv6Frag({ off: 16, mf: 0, id: 8 }, pattern(8))]);
    expect(r).toEqual([null, null]);
    expect(d.inProgress).toBe(2);
  });
});
