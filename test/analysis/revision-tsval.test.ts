/**
 * Two-pass evidence 'tsval' (flow-behaviour.ts `sentLater`): an `out_of_order` segment (Wireshark:
 * below nextSeq, within the reordering threshold) whose TSval is newer than that of the
 * higher-sequence segment sent before it was sent after that segment, so it is a re-send, not
 * original data overtaken on the path (a sender emits new data in sequence order; RFC 7323 TSvals
 * never go backwards on one connection). Equal TSvals prove nothing (one clock tick).
 *
 * The shape is taken from a real capture (../shared/captures/pcapplusplus__example.pcap, flow
 * 44153 → 80, frames 1381–1389: after a SACKed hole the server re-sends 88920… with TSval 794
 * while the highest segment, frame 1381, carried 790; tshark labels frames 1385/1387/1389
 * out_of_order because each follows the previous within the first RTT).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { REPO } from '../helpers/fixture-captures.js';
import { FlowBehaviour, type BehaviourOptions } from '../../src/analysis/flow-behaviour.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import type { ObservedBehaviour } from '../../src/flow/analyzers.js';
import { TCP_OPT } from '../../src/dissectors/decoded-packet.js';
import { ACK, SYN, SEG, packet, type Seg } from '../helpers/tcp-seg.js';

const C = DIR.C2S;
const S = DIR.S2C;
const MSS = 1000;

interface Step extends Partial<Seg> {
  dir: Direction;
  /** Milliseconds from the first packet. */
  ms: number;
  tsval?: number;
  tsecr?: number;
  sack?: readonly (readonly [number, number])[];
}

/** Handshake (timestamps on, 10 ms RTT), then server data 0..4 MSS, the client's ACK of the first. */
function prologue(ts: boolean): Step[] {
  const o = ts ? { timestamps: true } : {};
  const tv = (v: number): { tsval?: number; tsecr?: number } => (ts ? { tsval: v, tsecr: 1 } : {});
  return [
    { dir: C, ms: 0, flags: SYN, seq: 99, mss: MSS, ...o, ...tv(1) },
    { dir: S, ms: 10, flags: SYN | ACK, seq: 999, ack: 100, mss: MSS, ...o, ...tv(500) },
    { dir: C, ms: 20, seq: 100, ack: 1000, ...tv(2) },
    // Frames 4-7: server data; frame 5 (1000..2000 after the first) is the "hole" below.
    { dir: S, ms: 30, seq: 1000, ack: 100, len: MSS, ...tv(510) },
    { dir: S, ms: 30.1, seq: 3000, ack: 100, len: MSS, ...tv(510) },
    { dir: S, ms: 30.2, seq: 4000, ack: 100, len: MSS, ...tv(511) },
  ];
}

function run(steps: readonly Step[], opts: BehaviourOptions = {}): ObservedBehaviour {
  const b = new FlowBehaviour(1, opts);
  steps.forEach((s, i) => {
    const p = packet({ ...SEG, ...s });
    p.tsval = s.tsval ?? -1;
    p.tsecr = s.tsecr ?? -1;
    if (p.tsval >= 0) p.tcpOptFlags |= TCP_OPT.TIMESTAMP;
    p.sackCount = s.sack?.length ?? 0;
    s.sack?.forEach(([l, r], k) => {
      p.sackBlocks[2 * k] = l >>> 0;
      p.sackBlocks[2 * k + 1] = r >>> 0;
    });
    if (p.sackCount > 0) p.tcpOptFlags |= TCP_OPT.SACK;
    const ns = Math.round(s.ms * 1e6);
    b.onPacket(p, s.dir, i + 1, 1_700_000_000 + Math.floor(ns / 1e9), ns % 1e9);
  });
  return b.finish();
}

const fill = (tsval?: number): Step => ({ dir: S, ms: 30.6, seq: 2000, ack: 100, len: MSS, ...(tsval !== undefined ? { tsval, tsecr: 2 } : {}) });

interface Revisions { count: number; applied: boolean; list: { frame: number; retransmittedFrame: number; dir: string; evidence: string }[] }
const revisions = (o: ObservedBehaviour): Revisions => o.sections['revisions'] as Revisions;

describe("two-pass evidence 'tsval': an out-of-order segment sent after higher-sequence data is a re-send", () => {
  const cases: { name: string; ts: boolean; tsval?: number; revised: boolean }[] = [
    { name: 'newer TSval than the highest segment (511 → 515): a re-send', ts: true, tsval: 515, revised: true },
    { name: 'same TSval as the highest segment: same tick, no proof (reordering stays)', ts: true, tsval: 511, revised: false },
    { name: 'older TSval (sent before the highest segment): reordered original data', ts: true, tsval: 510, revised: false },
    { name: 'no timestamps option: no evidence', ts: false, revised: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const steps = [...prologue(c.ts), fill(c.ts ? c.tsval : undefined)];
      const one = run(steps);
      // Wireshark's label (one pass) in every case: below nextSeq, 0.4 ms after it was set (< the 10 ms first RTT).
      expect(one.anomalies.filter((e) => e.code === 'out_of_order').map((e) => e.frame)).toEqual([7]);
      const expected = c.revised ? [{ frame: 6, retransmittedFrame: 7, dir: 's2c', evidence: 'tsval' }] : [];
      expect(revisions(one)).toEqual({ count: expected.length, applied: false, list: expected });

      const two = run(steps, { twoPass: true });
      if (!c.revised) {
        expect(two.anomalyCounts).toEqual(one.anomalyCounts);
        expect(two.retransmissions).toEqual(one.retransmissions);
        return;
      }
      const e = two.anomalies.find((x) => x.frame === 7);
      expect(e?.code).toBe('retransmission');
      expect(e?.detail).toEqual({ after: 6, revised: true, revisedFrom: 'out_of_order', evidence: 'tsval', evidenceFrame: 6 });
      expect(two.anomalyCounts['out_of_order'] ?? 0).toBe(0);
      expect(two.anomalyCounts['retransmission']).toBe((one.anomalyCounts['retransmission'] ?? 0) + 1);
      expect(two.retransmissions.s2c).toBe(one.retransmissions.s2c + 1);
    });
  }

  test('TSval comparison is modular (RFC 7323 §5.2): 0xfffffffe → 3 is newer', () => {
    const steps = prologue(true).map((s) => (s.dir === S && s.tsval !== undefined && s.tsval >= 510 ? { ...s, tsval: 0xfffffffe } : s));
    const out = run([...steps, fill(3)], { twoPass: true });
    expect(out.anomalies.find((x) => x.frame === 7)?.code).toBe('retransmission');
  });
});

const CORPUS = join(REPO, '..', 'shared', 'captures', 'pcapplusplus__example.pcap');

describe.skipIf(!existsSync(CORPUS))("'tsval' on the real capture this rule was drawn from (skipped without ../shared)", () => {
  test('server re-sends a SACKed hole: tshark says out-of-order for 1385/1387/1389, TSval 794 > 790 of frame 1381 proves re-sends', async () => {
    const two = await analyzeCapture(CORPUS, { behaviour: { twoPass: true } });
    const f = two.flows.find((x) => x.anomalies.some((e) => e.frame === 1385))!;
    const got = f.anomalies.filter((e) => [1383, 1385, 1387, 1389].includes(e.frame)).map((e) => [e.frame, e.code, (e.detail as Record<string, unknown> | undefined)?.['evidence'] ?? null]);
    expect(got).toEqual([
      [1383, 'fast_retransmission', null], // as tshark: the hole's first segment, after the client's dup ACKs
      [1385, 'retransmission', 'tsval'],
      [1387, 'retransmission', 'tsval'],
      [1389, 'retransmission', 'tsval'],
    ]);
  });
});
