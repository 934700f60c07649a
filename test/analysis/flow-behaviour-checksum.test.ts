/**
 * Per-flow checksum summary of the behaviour analysis: the decode stage marks each packet's
 * verdicts in `checksumFlags` (when it verifies checksums); the flow lists `bad_checksum` events
 * with the layer and counts checksums left to offload as unverified, never as bad. End to end on
 * a real capture this is covered by `npm run conformance` (zeek__reassembly: the flow's
 * bad_checksum frames equal tshark's bad TCP checksums but for the short frames it explains).
 */
import { describe, expect, test } from 'vitest';
import { FlowBehaviour } from '../../src/analysis/flow-behaviour.js';
import { CHECKSUM_FLAG, DecodedPacket, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { DIR } from '../../src/core/direction.js';

function seg(seq: number, ack: number, flags: number, len: number, ck: number): DecodedPacket {
  const p = new DecodedPacket();
  p.seq = seq;
  p.ack = ack;
  p.tcpFlags = flags;
  p.window = 1000;
  p.payloadWireLen = len;
  p.payloadCapLen = len;
  p.checksumFlags = ck;
  return p;
}

describe('per-flow checksum verdicts', () => {
  const cases = [
    { name: 'none verified (no --verify-checksums)', flags: [0, 0, 0], bad: 0, unverified: 0, layers: [] as string[] },
    { name: 'one bad TCP checksum', flags: [0, CHECKSUM_FLAG.L4_BAD, 0], bad: 1, unverified: 0, layers: ['tcp'] },
    { name: 'bad IP and TCP on one packet', flags: [CHECKSUM_FLAG.IP_BAD | CHECKSUM_FLAG.L4_BAD, 0, 0], bad: 1, unverified: 0, layers: ['ip+tcp'] },
    { name: 'offloaded (unverified) is not bad', flags: [CHECKSUM_FLAG.UNVERIFIED, CHECKSUM_FLAG.UNVERIFIED, 0], bad: 0, unverified: 2, layers: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const b = new FlowBehaviour(0);
      const { SYN, ACK } = TCP_FLAG;
      b.onPacket(seg(100, 0, SYN, 0, c.flags[0]!), DIR.C2S, 1, 1000, 0);
      b.onPacket(seg(500, 101, SYN | ACK, 0, c.flags[1]!), DIR.S2C, 2, 1000, 1_000_000);
      b.onPacket(seg(101, 501, ACK, 0, c.flags[2]!), DIR.C2S, 3, 1000, 2_000_000);
      const r = b.finish();
      const events = r.anomalies.filter((a) => a.code === 'bad_checksum');
      expect(events.map((e) => (e.detail as { layer: string }).layer)).toEqual(c.layers);
      expect(r.anomalyCounts['bad_checksum'] ?? 0).toBe(c.bad);
      const s = r.sections['checksums'] as { bad: number; unverified: number } | undefined;
      if (c.bad + c.unverified === 0) expect(s).toBeUndefined();
      else expect(s).toEqual({ bad: c.bad, unverified: c.unverified });
    });
  }
});
