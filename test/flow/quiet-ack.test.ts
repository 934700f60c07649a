/**
 * The flow skips a reassembler call for a pure ACK at that reassembler's quiet point, and for an
 * ACK of it (flow.ts `quietAt`; tcp-reassembler.ts `quietState`). Skipping must change no report:
 * every fixture capture and a synthetic capture (loss, reordering, zero windows, FIN closes)
 * through the real analyzers, once as shipped and once with reassemblers that never claim to be
 * quiet (every call made), must give the same flow reports — and the shortcut must be taken.
 * A table of hand-made connections covers the cases next to the quiet point (an ACK of bytes
 * the capture missed, pure ACKs before, at and after it, a keep-alive, a cut segment, a FIN, an
 * RST and late packets after it, a connection picked up mid-stream).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readCapture } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/frame.js';
import type { DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import { LAYER } from '../../src/dissectors/decoded-packet.js';
import type { DirectionReassembler, FlowAnalyzerFactory } from '../../src/flow/analyzers.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { FlowTable } from '../../src/flow/flow-table.js';
import { DecodeStage } from '../../src/pipeline/decode-stage.js';
import { FLOW_ANALYZERS } from '../../src/pipeline/flow-analyzers.js';
import { QUIET_NONE } from '../../src/reassembly/quiet.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { table, TCP_FLAG, type Seg } from './flow-helpers.js';

/** Reassembler calls made (segment + acked), per run. */
interface Calls {
  n: number;
}

/** FLOW_ANALYZERS with counted reassembler calls; `never`: the reassemblers never claim quiet. */
function factory(calls: Calls, never: boolean): FlowAnalyzerFactory {
  return {
    ...FLOW_ANALYZERS,
    reassembler: (dir, sink) => {
      const r = FLOW_ANALYZERS.reassembler(dir, sink);
      const wrapped: DirectionReassembler = {
        segment: (...a) => {
          calls.n++;
          r.segment(...a);
        },
        acked: (...a) => {
          calls.n++;
          r.acked(...a);
        },
        close: (f) => r.close(f),
        get stats() {
          return r.stats;
        },
        quietState: () => (never ? QUIET_NONE : r.quietState()),
        quietSeq: () => r.quietSeq(),
      };
      return wrapped;
    },
  };
}

/** Every flow's report (JSON text, in id order). */
async function reports(file: string, f: FlowAnalyzerFactory): Promise<string[]> {
  const done: FlowSummary[] = [];
  const table = new FlowTable(f, { onFlowEnd: (s) => done.push(s) });
  const stage = new DecodeStage((pkt: DecodedPacket, frame: Frame) => {
    if ((pkt.layers & LAYER.TCP) !== 0) table.onPacket(pkt, frame.frameNo, frame.tsSec, frame.tsNsec, frame.hasTs !== false);
  });
  await readCapture(file, stage.onFrame);
  stage.finish();
  table.flush();
  return done.sort((a, b) => a.id - b.id).map((s) => JSON.stringify(s));
}

/** Reports with and without the shortcut, and the calls each made. */
async function both(file: string): Promise<{ quiet: string[]; all: string[]; skipped: number }> {
  const q: Calls = { n: 0 };
  const a: Calls = { n: 0 };
  const quiet = await reports(file, factory(q, false));
  const all = await reports(file, factory(a, true));
  return { quiet, all, skipped: a.n - q.n };
}

const dir = mkdtempSync(join(tmpdir(), 'quiet-ack-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skipping quiet reassembler calls changes no report', () => {
  let skipped = 0;
  test.each(FIXTURE_CAPTURES)('%s', async (name) => {
    const r = await both(fixturePath(name));
    expect(r.skipped).toBeGreaterThanOrEqual(0);
    skipped += r.skipped;
    expect(r.quiet).toEqual(r.all);
  });

  test('the fixtures above took the shortcut', () => {
    expect(skipped).toBeGreaterThan(1000);
  });

  test('synthetic capture: 40,000 packets over 100 flows (loss, reordering, zero windows, FIN closes)', async () => {
    const file = join(dir, 'bench.pcap');
    await writeBenchCapture(file, { packets: 40_000, flows: 100, seed: 7, concurrency: 20 });
    const r = await both(file);
    expect(r.quiet).toHaveLength(100);
    expect(r.skipped).toBeGreaterThan(10_000);
    expect(r.quiet).toEqual(r.all);
  });
});

const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;
const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
const HANDSHAKE: Seg[] = [
  { ...C, seq: 100, flags: SYN },
  { ...S, seq: 5000, ack: 101, flags: SYN | ACK },
  { ...C, seq: 101, ack: 5001, flags: ACK },
];

const CASES: Array<[string, Seg[]]> = [
  ['one-way transfer, pure ACKs at the quiet point', [
    ...HANDSHAKE,
    { ...C, seq: 101, ack: 5001, flags: ACK | PSH, payload: 100 },
    { ...S, seq: 5001, ack: 201, flags: ACK },
    { ...C, seq: 201, ack: 5001, flags: ACK | PSH, payload: 100 },
    { ...S, seq: 5001, ack: 301, flags: ACK },
    { ...S, seq: 5001, ack: 301, flags: ACK },
  ]],
  ['an ACK of bytes the capture missed (beyond the quiet point)', [
    ...HANDSHAKE,
    { ...C, seq: 101, ack: 5001, flags: ACK | PSH, payload: 100 },
    { ...S, seq: 5001, ack: 201, flags: ACK },
    { ...S, seq: 5001, ack: 201, flags: ACK },
    // 201..301 never captured
    { ...S, seq: 5001, ack: 301, flags: ACK },
    { ...C, seq: 301, ack: 5001, flags: ACK | PSH, payload: 50 },
    { ...S, seq: 5001, ack: 351, flags: ACK },
  ]],
  ['pure ACKs before and after the quiet point, a keep-alive', [
    ...HANDSHAKE,
    { ...S, seq: 5001, ack: 101, flags: ACK },
    { ...S, seq: 5000, ack: 101, flags: ACK }, // keep-alive shape: one below
    { ...S, seq: 5003, ack: 101, flags: ACK }, // ahead of anything sent
    { ...S, seq: 5001, ack: 101, flags: ACK | PSH, payload: 10 },
    { ...C, seq: 101, ack: 5011, flags: ACK },
    { ...C, seq: 100, ack: 5011, flags: ACK },
  ]],
  ['data held out of order, then the hole filled', [
    ...HANDSHAKE,
    { ...C, seq: 201, ack: 5001, flags: ACK | PSH, payload: 100 },
    { ...S, seq: 5001, ack: 101, flags: ACK },
    { ...C, seq: 101, ack: 5001, flags: ACK, payload: 100 },
    { ...S, seq: 5001, ack: 301, flags: ACK },
    { ...C, seq: 301, ack: 5001, flags: ACK },
  ]],
  ['FIN, late ACKs after both ends', [
    ...HANDSHAKE,
    { ...C, seq: 101, ack: 5001, flags: ACK | PSH, payload: 20 },
    { ...S, seq: 5001, ack: 121, flags: ACK },
    { ...C, seq: 121, ack: 5001, flags: FIN | ACK },
    { ...S, seq: 5001, ack: 122, flags: FIN | ACK },
    { ...C, seq: 122, ack: 5002, flags: ACK },
    { ...C, seq: 122, ack: 5002, flags: ACK },
    { ...S, seq: 5002, ack: 122, flags: ACK },
  ]],
  ['RST, then pure ACKs of the ended streams', [
    ...HANDSHAKE,
    { ...C, seq: 101, ack: 5001, flags: ACK | PSH, payload: 20 },
    { ...S, seq: 5001, ack: 121, flags: RST | ACK },
    { ...C, seq: 121, ack: 5001, flags: ACK },
    { ...S, seq: 5001, ack: 121, flags: ACK },
  ]],
  ['picked up mid-stream: the first segments are pure ACKs', [
    { ...S, seq: 9000, ack: 700, flags: ACK },
    { ...C, seq: 700, ack: 9000, flags: ACK },
    { ...C, seq: 700, ack: 9000, flags: ACK | PSH, payload: 30 },
    { ...S, seq: 9000, ack: 730, flags: ACK },
    { ...S, seq: 9000, ack: 730, flags: ACK },
    { ...S, seq: 9000, ack: 800, flags: ACK }, // 730..800 never captured
  ]],
];

describe('hand-made connections: with and without the shortcut', () => {
  test.each(CASES)('%s', (_name, segs) => {
    const q: Calls = { n: 0 };
    const a: Calls = { n: 0 };
    const withQuiet = table({}, factory(q, false));
    const without = table({}, factory(a, true));
    withQuiet.feed(segs);
    without.feed(segs);
    withQuiet.t.flush();
    without.t.flush();
    expect(withQuiet.done.length).toBeGreaterThan(0);
    expect(withQuiet.done.map((f) => JSON.stringify(f))).toEqual(without.done.map((f) => JSON.stringify(f)));
    expect(q.n).toBeLessThan(a.n);
  });
});
