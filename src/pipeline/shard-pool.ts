/**
 * The shard workers of a sharded analysis and the batches between them and the main thread.
 *
 * - `ShardWorkers`: the worker threads (shard-worker.ts), started once and reusable by one
 *   analysis after another (the CLI analyzes several captures on the same threads).
 * - `ShardPool`: one analysis on them. Each shard has a batch being filled here
 *   (shard-batch.ts); a batch goes to its worker when full, and every batch (even an empty one)
 *   at each read chunk's end, so every shard's frontier keeps up and the merge
 *   (shard-merge.ts) can deliver flows while the capture is read. Buffers are transferred, not
 *   copied, and come back with the worker's answer to be filled again.
 * - Back-pressure: `backpressure()` (called between read chunks) waits while a worker has more
 *   than MAX_IN_FLIGHT batches to do, so the main thread never runs far ahead of the workers and
 *   memory stays bounded.
 * - Failure: a worker that throws or exits early fails the analysis with a ShardWorkerError
 *   naming the worker and the cause; every worker is stopped (one waiting at a sweep barrier is
 *   released first) and every pending wait rejects. Nothing hangs. Failed or abandoned
 *   workers are not reused.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ERROR_CODE, TcpscopeError } from '../core/errors.js';
import type { FlowTableCounters } from '../flow/flow-table.js';
import { BATCH_BYTES, BatchWriter, packetRecordSize } from './shard-batch.js';
import { abortBarrier, newBarrierMemory } from './shard-barrier.js';
import type { ShardMerge } from './shard-merge.js';
import type { EndedFlows, MainMessage, ShardConfig, ShardMessage } from './shard-runner.js';
import { attachFlowText, type FlowTextForm } from '../report/flow-json-text.js';

/** A shard worker failed: the analysis is abandoned. */
export class ShardWorkerError extends TcpscopeError {
  constructor(
    readonly shard: number,
    shards: number,
    cause: string,
  ) {
    super(ERROR_CODE.INTERNAL, `analysis worker ${shard + 1} of ${shards} failed: ${cause}`);
    this.name = 'ShardWorkerError';
  }
}

/** What a worker reports when it is done. */
export interface ShardDone {
  counters: FlowTableCounters;
  tuples: number;
  internalErrors: number;
  samples: { frame: number; message: string }[];
  /** Barrier sweeps where another shard's active flow stopped this shard's sweep (shard-barrier.ts). */
  barrierCuts: number;
}

/** Batches a worker may have queued before the reader waits (8 MiB of packets per shard). */
const MAX_IN_FLIGHT = 8;

export interface ShardWorkersOptions {
  /** Worker entry (tests: a worker that fails); default shard-worker. */
  workerUrl?: URL;
}

/** What the workers' events go to: the analysis using them. */
interface WorkerListener {
  onMessage(s: number, m: ShardMessage): void;
  onFailure(e: Error): void;
}

/** N worker threads for sharded analyses, one analysis at a time. `close()` when done with them. */
export class ShardWorkers {
  private readonly workers: Worker[] = [];
  private listener: WorkerListener | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** Barrier memory of the analysis running (released if the workers are stopped). */
  barrier: SharedArrayBuffer | null = null;

  constructor(
    readonly size: number,
    opts: ShardWorkersOptions = {},
  ) {
    for (let s = 0; s < size; s++) {
      const worker = startWorker(opts.workerUrl);
      this.workers.push(worker);
      worker.on('message', (m: ShardMessage) => this.listener?.onMessage(s, m));
      worker.on('error', (e: Error) => this.fail(s, e.message));
      worker.on('exit', (code) => this.fail(s, `exited (code ${code})`));
    }
  }

  /** The analysis that receives the workers' messages from now on (null: none). */
  attach(listener: WorkerListener | null): void {
    if (listener !== null && this.failure !== null) throw this.failure;
    if (listener !== null && this.closed) throw new TcpscopeError(ERROR_CODE.INTERNAL, 'the analysis workers were stopped');
    this.listener = listener;
  }

  /** False once stopped (closed, failed, or an analysis on them was abandoned). */
  get usable(): boolean {
    return !this.closed && this.failure === null;
  }

  post(s: number, m: MainMessage, transfer?: ArrayBuffer[]): void {
    if (!this.closed) this.workers[s]!.postMessage(m, transfer ?? []);
  }

  /** Stops the threads (a worker waiting at a barrier is released first). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.barrier !== null) abortBarrier(this.barrier, this.size);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(s: number, cause: string): void {
    if (this.closed || this.failure !== null) return;
    this.failure = new ShardWorkerError(s, this.size, cause);
    this.listener?.onFailure(this.failure);
    void this.close();
  }
}

/**
 * Worker threads kept for the analyses of one run (several captures): the same threads while
 * they are usable, new ones when the number changes or they were stopped. `close()` at the end.
 */
export class WorkerCache {
  private workers: ShardWorkers | null = null;

  /** Workers for `n` shards (AnalyzeOptions.workers). */
  readonly get = (n: number): ShardWorkers => {
    const w = this.workers;
    if (w !== null && w.usable && w.size === n) return w;
    void w?.close();
    return (this.workers = new ShardWorkers(n));
  };

  async close(): Promise<void> {
    await this.workers?.close();
    this.workers = null;
  }
}

interface Shard {
  writer: BatchWriter;
  free: ArrayBuffer[];
  inFlight: number;
  done: ShardDone | null;
}

/** One analysis on a set of ShardWorkers. */
export class ShardPool implements WorkerListener {
  private readonly shards: Shard[] = [];
  private failure: Error | null = null;
  private waiters: { resolve: () => void; reject: (e: Error) => void; ready: () => boolean }[] = [];
  private ended = false;
  private readonly textForm: FlowTextForm | null;

  constructor(
    cfgs: readonly ShardConfig[],
    private readonly merge: ShardMerge,
    private readonly workers: ShardWorkers,
  ) {
    const view = cfgs[0]?.view;
    this.textForm = view === 'json' ? 'report' : view === 'ndjson' ? 'compact' : null;
    if (cfgs.length !== workers.size) throw new Error(`${cfgs.length} shards on ${workers.size} workers`);
    workers.attach(this);
    const barrier = newBarrierMemory(cfgs.length);
    workers.barrier = barrier;
    for (const cfg of cfgs) {
      this.shards.push({ writer: new BatchWriter(new ArrayBuffer(BATCH_BYTES)), free: [], inFlight: 0, done: null });
      workers.post(cfg.shard, { t: 'start', cfg, barrier });
    }
  }

  get size(): number {
    return this.shards.length;
  }

  /** The batch writer of shard `s` with room for `bytes`; a full batch is sent first (as of frame `frontier`). */
  writer(s: number, bytes: number, frontier: number): BatchWriter {
    const sh = this.shards[s]!;
    if (sh.writer.free < bytes) {
      this.send(s, frontier);
      if (sh.writer.free < bytes) sh.writer.reset(new ArrayBuffer(Math.max(BATCH_BYTES, bytes)));
    }
    return sh.writer;
  }

  /** Room for a packet record of `len` bytes in shard `s`'s batch. */
  packetWriter(s: number, len: number, frontier: number): BatchWriter {
    return this.writer(s, packetRecordSize(len), frontier);
  }

  /** Sends every shard's batch, empty ones too (their frontiers move on). */
  sendAll(frontier: number): void {
    for (let s = 0; s < this.shards.length; s++) this.send(s, frontier);
  }

  /** Sends shard `s`'s batch: the main thread has dispatched every frame up to `frontier`. */
  send(s: number, frontier: number): void {
    if (this.failure !== null) return;
    const sh = this.shards[s]!;
    const w = sh.writer;
    this.workers.post(s, { t: 'batch', buf: w.buf, used: w.used, frontier }, [w.buf]);
    sh.inFlight++;
    w.reset(sh.free.pop() ?? new ArrayBuffer(BATCH_BYTES));
  }

  /** Null when every worker keeps up, else a promise resolved once they do. Throws/rejects after a failure. */
  backpressure(): Promise<void> | null {
    if (this.failure !== null) throw this.failure;
    const ready = (): boolean => this.shards.every((sh) => sh.inFlight <= MAX_IN_FLIGHT);
    if (ready()) return null;
    return this.wait(ready);
  }

  /** End of input: the last batches and the end message; resolves with every worker's counters. */
  async end(frontier: number): Promise<ShardDone[]> {
    if (this.failure !== null) throw this.failure;
    this.sendAll(frontier);
    for (let s = 0; s < this.shards.length; s++) this.workers.post(s, { t: 'end' });
    await this.wait(() => this.shards.every((sh) => sh.done !== null));
    this.ended = true;
    this.workers.attach(null);
    return this.shards.map((sh) => sh.done!);
  }

  /** After `end` (or to abandon the analysis): an unfinished analysis stops the workers, which cannot be reused. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.workers.attach(null);
    await this.workers.close();
  }

  onMessage(s: number, m: ShardMessage): void {
    if (this.failure !== null) return;
    const sh = this.shards[s]!;
    try {
      if (m.t === 'batch') {
        sh.inFlight--;
        if (m.buf.byteLength === BATCH_BYTES && sh.free.length < MAX_IN_FLIGHT) sh.free.push(m.buf);
        this.attachTexts(m);
        this.merge.batch(s, m.frontier, m.starts, m.flows, m.endFrames);
      } else if (m.t === 'flows') {
        this.attachTexts(m);
        this.merge.more(s, m.starts, m.flows, m.endFrames);
      } else if (m.t === 'flush') {
        this.attachTexts(m);
        this.merge.flush(s, m.last, m.flows, m.endFrames);
      } else {
        sh.done = { counters: m.counters, tuples: m.tuples, internalErrors: m.internalErrors, samples: m.samples, barrierCuts: m.barrierCuts };
        this.merge.done(s);
      }
    } catch (e) {
      // A consumer of the delivered flows threw: the analysis fails with its error.
      this.onFailure(e instanceof Error ? e : new Error(String(e)));
      void this.close();
      return;
    }
    this.wake();
  }

  /** The records' texts made by the worker (report/flow-json-text.ts), onto the records. */
  private attachTexts(m: EndedFlows): void {
    if (m.texts === null || this.textForm === null) return;
    for (let i = 0; i < m.flows.length; i++) attachFlowText(m.flows[i]!, this.textForm, m.texts[i]!);
  }

  onFailure(e: Error): void {
    if (this.failure !== null) return;
    this.failure = e;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(e);
  }

  private wait(ready: () => boolean): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject, ready }));
  }

  private wake(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.ready()) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}

/**
 * Starts a worker on `url` (default: shard-worker next to this module). From the TypeScript
 * sources (tests run them through vitest) the worker loads them through tsx, which must then
 * be installed (a devDependency); the built package runs the compiled .js.
 */
function startWorker(url?: URL): Worker {
  const here = import.meta.url;
  const entry = url ?? new URL(here.endsWith('.ts') ? './shard-worker.ts' : './shard-worker.js', here);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/esm/api')), 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}
