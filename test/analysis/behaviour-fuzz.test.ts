/**
 * Hostile and random TCP headers through the whole per-flow behaviour analysis: nothing throws,
 * every number in the finished record is finite or null, fractions stay in [0, 1], and the record
 * is JSON-safe. Packets are random mixes of plausible and wild values (sequence numbers near the
 * 2^32 wrap, ACKs of unseen data, SACK blocks out of order, timestamps going backwards, windows 0
 * and 65535, options on and off) so the trackers' edge paths all run.
 */
import { describe, expect, test } from 'vitest';
import { FlowBehaviour } from '../../src/analysis/flow-behaviour.js';
import { DecodedPacket, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import type { Direction } from '../../src/core/direction.js';
import { prng } from '../helpers/prng.js';

function walk(v: unknown, path: string, bad: string[]): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) bad.push(`${path} = ${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, bad));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, bad);
}

describe('behaviour analysis under random and hostile headers', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    test(`seed ${seed}: 3000 packets, no throw, finite JSON-safe record`, () => {
      const r = prng(seed);
      const int = (n: number): number => Math.floor(r() * n);
      const b = new FlowBehaviour(0, { twoPass: seed % 2 === 0, minRtoMs: seed % 3 === 0 ? 200 : 1000 });
      const base = [0xfffff000 + int(0x800), int(2 ** 32)];
      const next = [base[0]!, base[1]!];
      let sec = 1_700_000_000;
      let nsec = 0;
      const flagsPool = [TCP_FLAG.SYN, TCP_FLAG.SYN | TCP_FLAG.ACK, TCP_FLAG.ACK, TCP_FLAG.ACK | TCP_FLAG.PSH, TCP_FLAG.FIN | TCP_FLAG.ACK, TCP_FLAG.RST, TCP_FLAG.RST | TCP_FLAG.ACK, 0, 0xfff];
      for (let i = 0; i < 3000; i++) {
        const dir = int(2) as Direction;
        const p = new DecodedPacket();
        const wild = r() < 0.1;
        p.tcpFlags = i < 2 ? flagsPool[i]! : r() < 0.85 ? TCP_FLAG.ACK | (r() < 0.3 ? TCP_FLAG.PSH : 0) : flagsPool[int(flagsPool.length)]!;
        const len = wild ? int(70000) : r() < 0.5 ? 0 : int(1449);
        p.seq = wild ? int(2 ** 32) : (next[dir]! - (r() < 0.1 ? int(5000) : 0)) >>> 0;
        p.ack = wild ? int(2 ** 32) : (next[1 - dir]! - (r() < 0.2 ? int(3000) : 0)) >>> 0;
        p.window = r() < 0.1 ? 0 : r() < 0.5 ? 65535 : int(65536);
        p.payloadWireLen = len;
        p.payloadCapLen = r() < 0.1 ? int(len + 1) : len;
        p.ttl = r() < 0.5 ? 64 : int(256);
        if (r() < 0.5) {
          p.tsval = int(2 ** 32);
          p.tsecr = int(2 ** 32);
        }
        if ((p.tcpFlags & TCP_FLAG.SYN) !== 0 && r() < 0.7) {
          p.wscale = int(20);
          p.mss = int(70000);
        }
        p.sackCount = r() < 0.2 ? 1 + int(4) : 0;
        for (let k = 0; k < p.sackCount * 2; k++) p.sackBlocks[k] = r() < 0.5 ? int(2 ** 32) : (p.ack + int(20000)) >>> 0;
        next[dir] = (p.seq + len) >>> 0;
        // Time mostly forward, sometimes backwards or jumping.
        nsec += r() < 0.05 ? -int(1e9) : int(5e6);
        if (r() < 0.01) sec += int(100);
        while (nsec < 0) { nsec += 1e9; sec--; }
        while (nsec >= 1e9) { nsec -= 1e9; sec++; }
        b.onPacket(p, dir, i + 1, sec, nsec);
      }
      const out = b.finish();
      const bad: string[] = [];
      walk(out, 'flow', bad);
      expect(bad).toEqual([]);
      expect(() => JSON.stringify(out)).not.toThrow();
      // The random mix reaches many rules (so the edge paths above really ran).
      expect(Object.keys(out.anomalyCounts).length).toBeGreaterThanOrEqual(6);
      const d = out.sections['diagnosis'] as { fractions: Record<string, number> };
      for (const v of Object.values(d.fractions)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    });
  }
});
