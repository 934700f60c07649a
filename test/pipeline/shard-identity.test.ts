/**
 * Sharded analysis (pipeline/shard-*.ts) = single-threaded analysis: the same flows with the
 * same ids, delivered to `onFlowEnd` in the same order, the same counters, limits and
 * capture-level findings — on every fixture capture, and on seeded synthetic captures that
 * exercise what the merge must get right: many interleaved flows, reused four-tuples, idle and
 * closed expiry, evictions, timestamps that go backwards, packets without timestamps, a wild
 * timestamp, IPv6. The workers are real threads (from the TypeScript sources through tsx).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { compileFilter } from '../../src/filter/capture-filter.js';
import { ndjsonFlowLine, reportFlowText } from '../../src/report/flow-json-text.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture, type AnalyzeOptions, type CaptureResult } from '../../src/pipeline/analyze.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { scenarioCapture, type ScenarioOptions } from '../helpers/shard-captures.js';
import { ShardWorkers } from '../../src/pipeline/shard-pool.js';

// One set of worker threads per size for the whole file, as the CLI keeps them for several
// captures; the main thread runs a shard too, so `threads` threads have threads − 1 workers.
const pools = new Map<number, ShardWorkers>();
function workers(threads: number): ShardWorkers {
  let w = pools.get(threads);
  if (w === undefined || !w.usable) pools.set(threads, (w = new ShardWorkers(threads - 1)));
  return w;
}
afterAll(async () => {
  for (const w of pools.values()) await w.close();
});

interface Run {
  result: Omit<CaptureResult, 'shards'>;
  /** Flows in the order `onFlowEnd` received them. */
  delivered: FlowSummary[];
  shards: CaptureResult['shards'];
}

async function run(file: string, threads: number, opts: AnalyzeOptions = {}): Promise<Run> {
  const delivered: FlowSummary[] = [];
  const r = await analyzeCapture(file, { ...opts, threads, workers, onFlowEnd: (f) => delivered.push(f) });
  const { shards, ...result } = r;
  return { result, delivered, shards };
}

/** Runs single-threaded and with `threads`; expects the same; returns both. */
async function same(file: string, threads: number, opts: AnalyzeOptions = {}): Promise<{ one: Run; many: Run }> {
  const one = await run(file, 1, opts);
  const many = await run(file, threads, opts);
  expect(one.shards).toBeUndefined();
  expect(many.shards?.threads).toBe(threads);
  expect(many.delivered.map((f) => f.id)).toEqual(one.delivered.map((f) => f.id));
  expect(many.delivered).toEqual(one.delivered);
  expect(many.result).toEqual(one.result);
  return { one, many };
}

describe('fixture captures', () => {
  test.each(FIXTURE_CAPTURES)('%s: 2 threads = 1 thread', async (name) => {
    await same(fixturePath(name), 2);
  });
  test('fragments.client.pcap with checksums verified (rebuilt datagrams and checksum verdicts reach the workers)', async () => {
    const { one } = await same(fixturePath('fragments.client.pcap'), 2, { verifyChecksums: true });
    expect(one.result.counters.reassembled).toBeGreaterThan(0);
  });
});

describe('synthetic captures', () => {
  test('bench generator: 40,000 packets over 400 flows, 150 open at once; 2 and 3 threads; the JSON and NDJSON texts the workers make', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-shard-')), 'bench.pcap');
    await writeBenchCapture(file, { packets: 40_000, flows: 400, concurrency: 150, seed: 7 });
    const { one } = await same(file, 2);
    expect(one.delivered).toHaveLength(400);
    await same(file, 3);
    // With a text view the workers send each flow's text (in several messages per batch here:
    // ~75 flows of ~8 KB finish per batch) and a small record; the texts written are the same.
    const texts = async (threads: number, flowView: 'json' | 'ndjson'): Promise<string[]> =>
      (await run(file, threads, { flowView })).delivered.map((f, i) => {
        if (flowView === 'ndjson') return ndjsonFlowLine(f, 0);
        const j = f as FlowSummary & { capture: number };
        j.capture = i % 2; // as buildReport and the spool do: on the record itself
        return reportFlowText(j);
      });
    for (const view of ['json', 'ndjson'] as const) expect(await texts(2, view)).toEqual(await texts(1, view));
  });

  const cases: [string, ScenarioOptions, AnalyzeOptions, (r: Run, many: Run) => void][] = [
    [
      'reused four-tuples, idle and closed expiry',
      { seed: 1, connections: 400, spanSec: 120 },
      { flowLimits: { idleTimeoutSec: 4, closedTimeoutSec: 1 } },
      (r) => {
        expect(r.result.flowCounters.reused).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredIdle).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredClosed).toBeGreaterThan(10);
      },
    ],
    [
      'timestamps going backwards, a wild timestamp, IPv6 (sweeps agreed between shards)',
      { seed: 2, connections: 400, spanSec: 60, jitter: 0.05, jitterSec: 6, wildSec: 30, ipv6: 0.3 },
      { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 } },
      (r, many) => {
        expect(r.result.counters.outOfOrderTimestamps).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredIdle).toBeGreaterThan(10);
        // The agreement changed where some shard's sweep stopped: without it the shards would differ from one table.
        expect(many.shards?.barrierCuts).toBeGreaterThan(0);
      },
    ],
    [
      'packets without timestamps (pcapng Simple Packet Blocks) among timed ones',
      { seed: 3, connections: 300, spanSec: 40, untimed: 0.05, format: 'pcapng' },
      { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 } },
      (r) => {
        expect(r.result.counters.untimed).toBeGreaterThan(10);
        expect(r.result.flowCounters.expiredClosed).toBeGreaterThan(10);
      },
    ],
    [
      'caps per flow (listed anomalies, reassembly) and a flow cap never reached by any shard',
      { seed: 4, connections: 300, spanSec: 30 },
      { flowLimits: { maxAnomaliesPerFlow: 2, maxFlows: 1000 } },
      (r) => {
        expect(r.result.flowCounters.peakLive).toBeGreaterThan(20);
        expect(r.result.flowCounters.evicted).toBe(0);
        expect(r.delivered.some((f) => f.anomalies.length === 2 && Object.values(f.anomalyCounts).reduce((a, b) => a + b, 0) > 2)).toBe(true);
      },
    ],
  ];
  test.each(cases)('%s', async (_name, scenario, opts, check) => {
    const file = await scenarioCapture(scenario);
    const { one, many } = await same(file, 2, opts);
    check(one, many);
  });
});

describe("the main thread's share of the flows (it runs shard 0 itself)", () => {
  // 0: every flow on the worker; 1: every flow on the main thread (the worker only sweeps).
  const shares = [0, 0.2, 0.8, 1];
  test.each(shares)('share %s: sweeps agreed with the main thread (timestamps going backwards)', async (mainShare) => {
    const file = await scenarioCapture({ seed: 2, connections: 400, spanSec: 60, jitter: 0.05, jitterSec: 6, wildSec: 30, ipv6: 0.3 });
    const { many } = await same(file, 2, { flowLimits: { idleTimeoutSec: 3, closedTimeoutSec: 1 }, mainShare });
    if (mainShare > 0 && mainShare < 1) expect(many.shards?.barrierCuts).toBeGreaterThan(0);
  });
  test.each(shares)('share %s: hundreds of flows live at the end (the main thread takes the worker\'s answers while it flushes), JSON texts', async (mainShare) => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-share-')), 'bench.pcap');
    await writeBenchCapture(file, { packets: 20_000, flows: 1200, concurrency: 900, seed: 11 });
    const { one } = await same(file, 2, { mainShare, flowLimits: { idleTimeoutSec: 3600 } });
    expect(one.delivered.filter((f) => f.end === 'capture-end').length).toBeGreaterThan(600);
    const texts = async (threads: number): Promise<string[]> =>
      (await run(file, threads, { flowView: 'json', mainShare, flowLimits: { idleTimeoutSec: 3600 } })).delivered.map((f) => {
        const j = f as FlowSummary & { capture: number };
        j.capture = 0; // on the record itself: a copy would lose the worker's text
        return reportFlowText(j);
      });
    const [a, b] = [await texts(2), await texts(1)];
    // Compared as one boolean: a diff of 1,200 texts would take vitest minutes.
    expect(a.length === b.length && a.every((t, i) => t === b[i])).toBe(true);
  });
  test('3 threads (two workers) with an uneven share', async () => {
    const file = await scenarioCapture({ seed: 1, connections: 400, spanSec: 120 });
    await same(file, 3, { flowLimits: { idleTimeoutSec: 4, closedTimeoutSec: 1 }, mainShare: 0.3 });
  });
});

describe('other inputs and options', () => {
  test('standard input, with a packet filter', async () => {
    const file = await scenarioCapture({ seed: 6, connections: 200, spanSec: 20 });
    const packetFilter = compileFilter('port 80');
    const stdin = (): AsyncIterable<Uint8Array> => Readable.from([readFileSync(file)]);
    const one = await run('-', 1, { stdin: stdin(), packetFilter });
    const many = await run('-', 2, { stdin: stdin(), packetFilter });
    expect(one.result.filteredOut).toBeGreaterThan(0);
    expect(many.delivered).toEqual(one.delivered);
    expect(many.result).toEqual(one.result);
  });
});

describe('where maxFlows evicts (the documented difference)', () => {
  test('each shard holds maxFlows / N; every packet still lands in a flow, ids follow first frames, the report names the per-shard cap', async () => {
    const file = await scenarioCapture({ seed: 5, connections: 300, spanSec: 20 });
    const one = await run(file, 1, { flowLimits: { maxFlows: 40 } });
    const many = await run(file, 2, { flowLimits: { maxFlows: 40 } });
    expect(one.result.flowCounters.evicted).toBeGreaterThan(0);
    expect(many.result.flowCounters.evicted).toBeGreaterThan(0);
    expect(many.shards?.maxFlowsPerShard).toBe(20);
    expect(many.result.flowCounters.peakLive).toBeLessThanOrEqual(40);
    const packets = (fs: FlowSummary[]): number => fs.reduce((n, f) => n + f.packets.c2s + f.packets.s2c, 0);
    expect(packets(many.delivered)).toBe(packets(one.delivered));
    const byId = [...many.delivered].sort((a, b) => a.id - b.id);
    expect(byId.map((f) => f.id)).toEqual(byId.map((_, i) => i));
    for (let i = 1; i < byId.length; i++) expect(byId[i]!.firstFrame).toBeGreaterThan(byId[i - 1]!.firstFrame);
    const evicted = many.delivered.filter((f) => f.end === 'evicted');
    expect(evicted.length).toBe(many.result.flowCounters.evicted);
    for (const f of evicted) expect(f.anomalies.find((a) => a.code === 'limit_reached')?.detail).toEqual({ limit: 'flow.maxFlows', max: 20 });
  });
});
