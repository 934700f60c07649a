/**
 * Robustness: real fragments cut at every length and with random byte flips, decoded by the real
 * dissectors and fed to one defragmenter, never make `add()` throw, and the byte accounting stays
 * exact (style guide item 16).
 */
import { expect, test } from 'vitest';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER } from '../../src/dissectors/decoded-packet.js';
import { IpDefragmenter } from '../../src/reassembly/ip-defrag.js';
import * as caps from './ip-defrag-captures.js';
import { hex, prng } from './ip-defrag-fixtures.js';

const CAPTURES = [caps.ownV4, caps.ownV6, caps.zeekFragmentedSyn, caps.zeekFragmented4, caps.ppFragHttpReq, caps.suricataFragIpTcp];

function check(d: IpDefragmenter): void {
  const c = d.counters;
  expect(c.bytesBuffered).toBeGreaterThanOrEqual(0);
  expect(c.inProgress).toBe(d.inProgress);
  expect(c.bytesBuffered).toBeLessThanOrEqual(d.limits.maxBytes);
}

test('every truncation of every real fragment is handled without throwing', () => {
  const d = new IpDefragmenter({ limits: { maxDatagrams: 64, maxBytes: 256 * 1024 } });
  const pkt = new DecodedPacket();
  let frame = 0;
  for (const cap of CAPTURES) {
    for (const f of cap.frames) {
      const b = hex(f.hex);
      for (let cut = 0; cut <= b.length; cut += cut < 80 ? 1 : 37) {
        decodePacket(pkt, b, 0, cut, cap.linkType);
        if ((pkt.layers & LAYER.FRAGMENT) !== 0) d.add(pkt, ++frame, f.sec, f.nsec);
      }
    }
  }
  check(d);
  d.flush();
  expect([d.counters.bytesBuffered, d.inProgress]).toEqual([0, 0]);
});

test('random byte flips in real fragments never throw and keep the accounting exact', () => {
  const rnd = prng(2024);
  const d = new IpDefragmenter({ limits: { maxDatagrams: 32, maxBytes: 128 * 1024 } });
  const pkt = new DecodedPacket();
  const frames = CAPTURES.flatMap((cap) => cap.frames.map((f) => ({ cap, b: hex(f.hex), f })));
  for (let i = 0; i < 20000; i++) {
    const pick = frames[Math.floor(rnd() * frames.length)];
    if (pick === undefined) continue;
    const b = pick.b.slice();
    const flips = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < flips; k++) {
      // bias towards the headers, where the interesting fields live
      const at = Math.floor(rnd() * Math.min(b.length, rnd() < 0.8 ? 80 : b.length));
      b[at] = Math.floor(rnd() * 256);
    }
    decodePacket(pkt, b, 0, b.length, pick.cap.linkType);
    if ((pkt.layers & LAYER.FRAGMENT) === 0) continue;
    const r = d.add(pkt, i + 1, pick.f.sec + Math.floor(i / 1000), 0);
    if (r !== null) expect(r.bytes.length).toBeLessThanOrEqual(65535);
    if (i % 1000 === 0) check(d);
  }
  check(d);
  expect(d.counters.fragments).toBeGreaterThan(5000);
  expect(d.counters.reassembled).toBeGreaterThan(100);
  expect(d.counters.invalid).toBeGreaterThan(100);
  const drops = d.flush();
  expect(drops.length).toBe(d.counters.incomplete);
  expect(d.counters.bytesBuffered).toBe(0);
});
