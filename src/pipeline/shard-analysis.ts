/**
 * The analysis on several cores: the main thread reads, decodes (IP defragmentation and the
 * capture counters included, as in the single-threaded analysis) and dispatches each TCP
 * segment by its four-tuple to one of N shards (shard-pool.ts), each a flow table with every
 * per-flow analyzer (shard-runner.ts): shard 0 runs on the main thread itself (its segments go
 * straight from the decode stage to its table), shards 1 … N − 1 on worker threads (in
 * batches). The main thread also reads, decodes and merges, so it takes a smaller share of the
 * hash space (MAIN_SHARE). It merges the shards' finished flows back (shard-merge.ts). The
 * result is the single-threaded one, byte for byte:
 *
 * - A four-tuple's packets all go to one shard (a hash of both endpoints, the same either way),
 *   in capture order, so every flow sees what it would see in one table.
 * - The expiry clock runs here over every dispatched packet (flow/packet-clock.ts): shards
 *   sweep where one table would, and agree where a sweep stops once packet times have gone
 *   backwards (shard-barrier.ts).
 * - Flow ids, the order flows are delivered in, `peakLive`: shard-merge.ts. The capture-level
 *   checks that span flows (predictable ISNs) run here on the merged flows, in that order.
 * - Counters are summed; internal errors keep the first ones by frame.
 *
 * One difference, where a cap is hit: `maxFlows` is split between the shards (each holds at
 * most maxFlows / N flows and evicts its own least recently active one), so a run that evicts
 * may evict other flows, or sooner, than one table would; the report then says so
 * (`limits.flow.maxFlowsPerShard`). Where no flow is evicted, nothing differs.
 *
 * Options with functions that see every packet, finding or byte (a stream sink for
 * follow/extract, the per-segment hook of the HTML plots, live capture's finding hook, extract's
 * HTTP body sink) cannot run in a worker: analyzeCapture keeps those runs single-threaded (see
 * `shardable`). The application layer (HTTP, TLS) runs in the workers with the rest of a flow's
 * analysis (flow-analyzers.ts `newFlowTable`).
 */
import type { CaptureInfo, Frame } from '../capture/frame.js';
import type { AfterChunk } from '../capture/open.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import { LAYER, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import type { FlowTableCounters } from '../flow/flow-table.js';
import { PacketClock } from '../flow/packet-clock.js';
import { IsnAnalyzer } from '../analysis/isn.js';
import type { AnalyzeOptions, CaptureResult } from './analyze.js';
import { addIsns, defragSummary } from './result-parts.js';
import { DecodeStage, MAX_INTERNAL_ERROR_SAMPLES, PACKET_KIND, type PacketKind } from './decode-stage.js';
import { PKT_FLAG } from './shard-batch.js';
import { ShardMerge } from './shard-merge.js';
import { ShardPool, type ShardDone, type ShardWorkers } from './shard-pool.js';
import type { ShardConfig } from './shard-runner.js';

/**
 * True when `opts` can run sharded: no hook that sees every packet, finding or byte (a stream
 * sink, the behaviour analysis's `onSegment` / `onFinding`, an application-layer body sink):
 * those are functions of this thread, which a worker cannot call.
 */
export function shardable(opts: AnalyzeOptions): boolean {
  return opts.streamSink === undefined && !hasFunction(opts.behaviour) && !hasFunction(opts.app);
}

/** True when `v` is or holds (in plain objects and arrays) a function. */
function hasFunction(v: unknown, depth = 0): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object' || depth > 8) return false;
  return Object.values(v).some((x) => hasFunction(x, depth + 1));
}

/** A sharded analysis fed frame by frame (like `Analysis`, with asynchronous steps). */
export interface ShardedAnalysis {
  readonly onFrame: (frame: Frame) => void;
  /** Between read chunks: sends the batches and waits while the workers are behind. */
  readonly afterChunk: AfterChunk;
  /** End of input: resolves with the capture's result once every shard is done. */
  finish(info: CaptureInfo): Promise<CaptureResult>;
  /** Always call it, after `finish` or to abandon the analysis (which stops the workers: they cannot be reused). */
  close(): Promise<void>;
}

/**
 * The main thread's share of the four-tuple hash space (its shard 0) with two threads, by what
 * it renders besides: it also reads, decodes, dispatches and merges, so it takes fewer flows
 * than a worker (measured on the bench capture: docs/performance.md, "Two cores").
 */
export const MAIN_SHARE = { row: 0.45, json: 0.5, ndjson: 0.5, records: 0.45 } as const;

/** The main thread's share for `threads` threads (the workers share the rest evenly). */
export function mainShare(threads: number, view: AnalyzeOptions['flowView']): number {
  const two = MAIN_SHARE[view ?? 'records'];
  // With more workers, each worker's part shrinks: the main thread's keeps two threads' ratio to one worker's.
  return two / (two + (1 - two) * (threads - 1));
}

/** Starts a sharded analysis on the main thread and `workers` (one shard each: threads = workers + 1). */
export function createShardedAnalysis(opts: AnalyzeOptions, workers: ShardWorkers): ShardedAnalysis {
  const threads = workers.size + 1;
  const share = opts.mainShare ?? mainShare(threads, opts.flowView);
  const limits = { ...DEFAULT_LIMITS.flow, ...opts.flowLimits };
  const perShard = Math.max(1, Math.floor(limits.maxFlows / threads));
  const setup: ShardConfig['setup'] = {
    flowLimits: { ...limits, maxFlows: perShard },
    ...(opts.behaviour !== undefined ? { behaviour: opts.behaviour } : {}),
    ...(opts.app !== undefined ? { app: opts.app } : {}),
  };
  const cfgs: ShardConfig[] = [];
  // The main thread's shard delivers whole records, as one thread does (a view saves copying between threads, which it does not do).
  for (let s = 0; s < threads; s++) cfgs.push({ shard: s, shards: threads, setup, ...(s > 0 && opts.flowView !== undefined ? { view: opts.flowView } : {}) });
  const flows: FlowSummary[] = [];
  const isn = new IsnAnalyzer();
  const deliver = opts.onFlowEnd ?? ((f: FlowSummary) => flows.push(f));
  const merge = new ShardMerge(threads, (f) => {
    addIsns(isn, f);
    deliver(f);
  });
  const shards = new ShardPool(cfgs, merge, workers);
  const dispatch = new Dispatcher(shards, share);
  const filter = opts.packetFilter;
  let filteredOut = 0;
  const stage = new DecodeStage(
    (pkt: DecodedPacket, frame: Frame, kind: PacketKind): void => {
      if ((pkt.layers & LAYER.TCP) === 0) return;
      if (filter !== undefined && !filter(pkt)) {
        filteredOut++;
        return;
      }
      dispatch.packet(pkt, frame, kind);
    },
    { verifyChecksums: opts.verifyChecksums ?? false, collectChecksumFrames: opts.collectChecksumFrames ?? false },
  );
  const userAfterChunk = opts.afterChunk;
  return {
    onFrame: (frame: Frame): void => {
      dispatch.frame = frame.frameNo;
      stage.onFrame(frame);
    },
    afterChunk: (info: CaptureInfo) => {
      shards.sendAll(dispatch.frame);
      const a = userAfterChunk?.(info);
      const b = shards.backpressure();
      if (a === null || a === undefined) return b;
      return b === null ? a : Promise.all([a, b]).then(() => undefined);
    },
    async finish(info: CaptureInfo): Promise<CaptureResult> {
      stage.finish();
      const done = await shards.end(dispatch.frame);
      if (merge.pending !== 0) throw new Error(`sharded analysis: ${merge.pending} flows left undelivered`);
      flows.sort((a, b) => a.id - b.id);
      const counters = stage.counters;
      mergeInternalErrors(counters, done);
      const flowCounters = sumCounters(done, merge);
      const result: CaptureResult = {
        info,
        counters,
        tcpConversations: done.reduce((n, d) => n + d.tuples, 0),
        flows,
        flowCounters,
        flowLimits: limits,
        defrag: defragSummary(stage),
        checksumFrames: stage.checksumFrames,
        isn: { findings: isn.findings(), hostsNotTested: isn.hostsNotTested },
        filteredOut,
        shards: { threads, maxFlowsPerShard: perShard, barrierCuts: done.reduce((n, d) => n + d.barrierCuts, 0) },
      };
      return result;
    },
    close: () => shards.close(),
  };
}

/** Per TCP segment: the expiry clock, the sweeps, the shard, the record. Allocates nothing per packet. */
class Dispatcher {
  /** Frame being handled (every frame before it is dispatched): the frontier of a batch sent now. */
  frame = 0;
  private readonly clock = new PacketClock();
  /** Latest packet time so far; `reordered` once a packet came with an earlier one. */
  private maxTime = -Infinity;
  private reordered = false;
  /** Frame of the last packet dispatched: the merge orders by frame, one packet per frame. */
  private lastFrame = 0;

  /** Hashes below this go to the main thread's shard (shardOf). */
  private readonly mainBelow: number;

  constructor(
    private readonly pool: ShardPool,
    share: number,
  ) {
    this.mainBelow = mainThreshold(share);
  }

  packet(pkt: DecodedPacket, frame: Frame, kind: PacketKind): void {
    // The readers number frames 1, 2, 3 …; anything else would break the merge's order (counted by the pipeline guard).
    if (frame.frameNo <= this.lastFrame) throw new Error(`frame ${frame.frameNo} after frame ${this.lastFrame}: a sharded analysis needs increasing frame numbers`);
    this.lastFrame = frame.frameNo;
    const hasTs = frame.hasTs !== false;
    const clock = this.clock;
    const time = clock.advance(hasTs, frame.tsSec, frame.tsNsec);
    const before = this.frame - 1;
    if (clock.sweepDue()) {
      // After time went backwards a sweep may stop at another shard's flow: agree (shard-barrier.ts).
      this.pool.sweep(clock.now, frame.frameNo, this.reordered, before);
    }
    if (time < this.maxTime) this.reordered = true;
    else this.maxTime = time;
    const s = shardOf(pkt, this.pool.size, this.mainBelow);
    if (s === 0) {
      this.pool.route(pkt, frame.frameNo, frame.tsSec, frame.tsNsec, time);
      return;
    }
    const len = pkt.frameEnd - pkt.frameOff;
    this.pool
      .packetWriter(s, len, before)
      .packet(pkt.buf, pkt.frameOff, len, kind === PACKET_KIND.REBUILT ? PKT_FLAG.REBUILT : 0, pkt.checksumFlags, pkt.linkType, frame.frameNo, frame.tsSec, frame.tsNsec, time);
  }
}

function i32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

/** The hash threshold (shardOf `mainBelow`) giving the main thread `share` (0..1) of the hash space. */
export function mainThreshold(share: number): number {
  return Math.round(Math.min(1, Math.max(0, share)) * 2 ** 32);
}

/**
 * The shard of a segment's four-tuple, the same for both directions: the addresses' words and
 * the ports combined by XOR (symmetric), then mixed (multiply-xorshift) so every bit counts.
 * Hashes below `mainBelow` (of 2^32) are shard 0's, the main thread's; the rest are spread
 * evenly over shards 1 … shards − 1.
 */
export function shardOf(pkt: DecodedPacket, shards: number, mainBelow: number): number {
  if (shards === 1) return 0;
  const b = pkt.buf;
  let h = i32(b, pkt.srcOff) ^ i32(b, pkt.dstOff);
  if (pkt.ipVersion === 6) for (let i = 4; i < 16; i += 4) h ^= Math.imul(i32(b, pkt.srcOff + i) ^ i32(b, pkt.dstOff + i), 0x9e3779b1 + i);
  h = Math.imul(h ^ Math.imul(pkt.sport ^ pkt.dport, 0x85ebca6b), 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  const u = h >>> 0;
  return u < mainBelow ? 0 : 1 + ((u - mainBelow) % (shards - 1));
}

/** The shards' flow counters as one table's (peakLive replayed by the merge). */
function sumCounters(done: readonly ShardDone[], merge: ShardMerge): FlowTableCounters {
  const c: FlowTableCounters = { flows: 0, peakLive: merge.peakLive, expiredIdle: 0, expiredClosed: 0, evicted: 0, reused: 0 };
  for (const d of done) {
    c.flows += d.counters.flows;
    c.expiredIdle += d.counters.expiredIdle;
    c.expiredClosed += d.counters.expiredClosed;
    c.evicted += d.counters.evicted;
    c.reused += d.counters.reused;
  }
  return c;
}

/** The workers' internal errors with the main thread's: all counted, the first ones by frame listed. */
function mergeInternalErrors(counters: CaptureResult['counters'], done: readonly ShardDone[]): void {
  const samples = [...counters.internalErrorSamples];
  for (const d of done) {
    counters.internalErrors += d.internalErrors;
    samples.push(...d.samples);
  }
  samples.sort((a, b) => a.frame - b.frame);
  counters.internalErrorSamples = samples.slice(0, MAX_INTERNAL_ERROR_SAMPLES);
}
