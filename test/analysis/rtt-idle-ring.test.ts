/**
 * RttTracker leaves an idle ring alone (rtt.ts `ringIdle`: no entry held and the last `ack`
 * popped none, so `ack` would be a no-op): every data segment acks the other direction's ring,
 * which is empty in a one-way transfer. Skipping must change no report: every fixture capture
 * and a synthetic capture (loss, reordering, zero windows, FIN closes) through the real
 * analyzers, once as shipped and once with the idle bits cleared before every packet (every
 * `ack` made), must give the same flow reports — and the shortcut must be taken.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import type { BehaviourObserver, FlowAnalyzerFactory } from '../../src/flow/analyzers.js';
import { FLOW_ANALYZERS } from '../../src/pipeline/flow-analyzers.js';
import { SentRing } from '../../src/analysis/rtt-segments.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { flowReports } from '../helpers/flow-reports.js';

/** FLOW_ANALYZERS whose RTT trackers forget which rings are idle before every packet. */
const NEVER_IDLE: FlowAnalyzerFactory = {
  ...FLOW_ANALYZERS,
  behaviour: (info) => {
    const b = FLOW_ANALYZERS.behaviour!(info);
    const rtt = (b as unknown as { rtt: { ringIdle: number } }).rtt;
    expect(rtt.ringIdle).toBe(3);
    const on = b.onPacket.bind(b);
    b.onPacket = (...a: Parameters<BehaviourObserver['onPacket']>) => {
      rtt.ringIdle = 0;
      on(...a);
    };
    return b;
  },
};

/** Every flow's report (JSON text, in id order) and the SentRing.ack calls made. */
async function reports(file: string, factory: FlowAnalyzerFactory): Promise<{ flows: string[]; acks: number }> {
  const spy = vi.spyOn(SentRing.prototype, 'ack');
  const flows = await flowReports(file, factory);
  const acks = spy.mock.calls.length;
  spy.mockRestore();
  return { flows, acks };
}

const dir = mkdtempSync(join(tmpdir(), 'rtt-idle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('leaving idle RTT rings alone changes no report', () => {
  let skipped = 0;
  test.each(FIXTURE_CAPTURES)('%s', async (name) => {
    const file = fixturePath(name);
    const normal = await reports(file, FLOW_ANALYZERS);
    const all = await reports(file, NEVER_IDLE);
    expect(normal.flows).toEqual(all.flows);
    expect(normal.acks).toBeLessThanOrEqual(all.acks);
    skipped += all.acks - normal.acks;
  });

  test('the fixtures above took the shortcut', () => {
    expect(skipped).toBeGreaterThan(1000);
  });

  test('synthetic capture: 40,000 packets over 100 flows (loss, reordering, zero windows, FIN closes)', async () => {
    const file = join(dir, 'bench.pcap');
    await writeBenchCapture(file, { packets: 40_000, flows: 100, seed: 9, concurrency: 20 });
    const normal = await reports(file, FLOW_ANALYZERS);
    const all = await reports(file, NEVER_IDLE);
    expect(normal.flows).toHaveLength(100);
    expect(all.acks - normal.acks).toBeGreaterThan(10_000);
    expect(normal.flows).toEqual(all.flows);
  });
});
