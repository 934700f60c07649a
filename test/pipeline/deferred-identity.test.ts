/**
 * The flow table's deferred mode (flow-table.ts `defer`: packets analysed flow by flow in
 * batches) = packets analysed one by one in capture order: the same flows, delivered in the same
 * order, the same counters and capture-level findings. On every fixture capture and on seeded
 * synthetic captures that exercise what the routing reads of a flow (reused four-tuples after a
 * close and while open, resets, SYN retransmissions, idle and closed expiry, evictions,
 * timestamps going backwards, packets without timestamps, IPv6), with batches from a few
 * packets (every boundary case) to the default size.
 */
import { describe, expect, test } from 'vitest';
import { createAnalysis, type AnalyzeOptions, type CaptureResult } from '../../src/pipeline/analyze.js';
import { readCapture } from '../../src/capture/open.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { KEEP_BYTES } from '../../src/pipeline/shard-batch.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { scenarioCapture, type ScenarioOptions } from '../helpers/shard-captures.js';

interface Run {
  result: CaptureResult;
  delivered: FlowSummary[];
}

async function run(file: string, keepBytes: number, opts: AnalyzeOptions = {}): Promise<Run> {
  const delivered: FlowSummary[] = [];
  const a = createAnalysis({ ...opts, onFlowEnd: (f) => delivered.push(f) }, keepBytes);
  const info = await readCapture(file, a.onFrame);
  return { result: a.finish(info), delivered };
}

/** Batch sizes: a packet or two (most packets of a flow analysed at its next packet or at a drain), ~40 packets, the default. */
const KEEPS = [304, 6000, KEEP_BYTES];

async function same(file: string, opts: AnalyzeOptions = {}): Promise<Run> {
  const now = await run(file, 0, opts);
  for (const keep of KEEPS) {
    const later = await run(file, keep, opts);
    expect(later.delivered.map((f) => f.id)).toEqual(now.delivered.map((f) => f.id));
    expect(later.delivered).toEqual(now.delivered);
    expect(later.result).toEqual(now.result);
  }
  return now;
}

describe('fixture captures', () => {
  test.each(FIXTURE_CAPTURES)('%s: deferred = one by one', async (name) => {
    await same(fixturePath(name));
  });
  test('fragments.client.pcap with checksums verified (rebuilt datagrams and checksum verdicts are kept)', async () => {
    const r = await same(fixturePath('fragments.client.pcap'), { verifyChecksums: true });
    expect(r.result.counters.reassembled).toBeGreaterThan(0);
  });
});

describe('synthetic captures', () => {
  const cases: [string, ScenarioOptions, AnalyzeOptions, (r: Run) => void][] = [
    [
      'reused four-tuples, resets, SYN retransmissions, idle and closed expiry',
      { seed: 1, connections: 400, spanSec: 60 },
      { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 } },
      (r) => {
        expect(r.result.flowCounters.reused).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredIdle).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredClosed).toBeGreaterThan(10);
      },
    ],
    [
      'evictions (maxFlows 8): flows finalised with packets still queued',
      { seed: 5, connections: 300, spanSec: 20 },
      { flowLimits: { maxFlows: 8 } },
      (r) => expect(r.result.flowCounters.evicted).toBeGreaterThan(50),
    ],
    [
      'timestamps going backwards, a wild timestamp, IPv6',
      { seed: 2, connections: 400, spanSec: 60, jitter: 0.05, jitterSec: 6, wildSec: 30, ipv6: 0.3 },
      { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 } },
      (r) => expect(r.result.counters.outOfOrderTimestamps).toBeGreaterThan(10),
    ],
    [
      'packets without timestamps (pcapng Simple Packet Blocks)',
      { seed: 3, connections: 300, spanSec: 40, untimed: 0.05, format: 'pcapng' },
      { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 } },
      (r) => expect(r.result.counters.untimed).toBeGreaterThan(10),
    ],
    [
      'long-lived flows (no expiry): most packets wait for a drain',
      { seed: 4, connections: 300, spanSec: 30 },
      { flowLimits: { maxAnomaliesPerFlow: 2 } },
      (r) => expect(r.result.flowCounters.peakLive).toBeGreaterThan(20),
    ],
  ];
  test.each(cases)('%s', async (_name, scenario, opts, check) => {
    const file = await scenarioCapture(scenario);
    check(await same(file, opts));
  });
});
