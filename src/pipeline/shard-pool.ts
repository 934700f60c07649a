/**
 * The shard workers of a sharded analysis and the batches between them and the main thread.
 *
 * - One worker thread per shard (shard-worker.ts), each with its own batch being filled here
 *   (shard-batch.ts). A batch goes to its worker when full, and every batch (even an empty one)
 *   at each read chunk's end, so every shard's frontier keeps up and the merge (shard-merge.ts)
 *   can deliver flows while the capture is read. Buffers are transferred, not copied, and come
 *   back with the worker's answer to be filled again.
 * - Back-pressure: `backpressure()` (called between read chunks) waits while a worker has more
 *   than MAX_IN_FLIGHT batches to do, so the main thread never runs far ahead of the workers and
 *   memory stays bounded.
 * - Failure: a worker that throws or exits early fails the whole analysis with a
 *   ShardWorkerError naming the worker and the cause; the other workers are stopped (one waiting
 *   at a sweep barrier is released first), every pending wait rejects. Nothing hangs.
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
import type { MainMessage, ShardConfig, ShardMessage } from './shard-runner.js';

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
}

/** Batches a worker may have queued before the reader waits (8 MiB of packets per shard). */
const MAX_IN_FLIGHT = 8;

interface Shard {
  worker: Worker;
  writer: BatchWriter;
  free: ArrayBuffer[];
  inFlight: number;
  done: ShardDone | null;
}

export interface ShardPoolOptions {
  /** Worker entry (tests: a worker that fails); default shard-worker. */
  workerUrl?: URL;
}

export class ShardPool {
  private readonly shards: Shard[] = [];
  private readonly barrier: SharedArrayBuffer;
  private failure: Error | null = null;
  private waiters: { resolve: () => void; reject: (e: Error) => void; ready: () => boolean }[] = [];
  private closed = false;

  constructor(
    cfgs: readonly ShardConfig[],
    private readonly merge: ShardMerge,
    opts: ShardPoolOptions = {},
  ) {
    this.barrier = newBarrierMemory(cfgs.length);
    for (const cfg of cfgs) {
      const worker = startWorker({ cfg, barrier: this.barrier }, opts.workerUrl);
      const shard: Shard = { worker, writer: new BatchWriter(new ArrayBuffer(BATCH_BYTES)), free: [], inFlight: 0, done: null };
      this.shards.push(shard);
      const s = cfg.shard;
      worker.on('message', (m: ShardMessage) => this.onMessage(s, m));
      worker.on('error', (e: Error) => this.fail(s, e.message));
      worker.on('exit', (code) => {
        if (shard.done === null) this.fail(s, `exited (code ${code}) before the end of the capture`);
      });
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
    if (this.failure !== null || this.closed) return;
    const sh = this.shards[s]!;
    const w = sh.writer;
    const msg: MainMessage = { t: 'batch', buf: w.buf, used: w.used, frontier };
    sh.worker.postMessage(msg, [w.buf]);
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
    for (const sh of this.shards) sh.worker.postMessage({ t: 'end' } satisfies MainMessage);
    await this.wait(() => this.shards.every((sh) => sh.done !== null));
    return this.shards.map((sh) => sh.done!);
  }

  /** Stops every worker (after `end`, or to abandon the analysis). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    abortBarrier(this.barrier, this.shards.length);
    await Promise.all(this.shards.map((sh) => sh.worker.terminate()));
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

  private onMessage(s: number, m: ShardMessage): void {
    if (this.failure !== null) return;
    const sh = this.shards[s]!;
    try {
      if (m.t === 'batch') {
        sh.inFlight--;
        if (m.buf.byteLength === BATCH_BYTES && sh.free.length < MAX_IN_FLIGHT) sh.free.push(m.buf);
        this.merge.batch(s, m.frontier, m.starts, m.flows, m.endFrames);
      } else if (m.t === 'flush') {
        this.merge.flush(s, m.last, m.flows, m.endFrames);
      } else {
        sh.done = { counters: m.counters, tuples: m.tuples, internalErrors: m.internalErrors, samples: m.samples };
        this.merge.done(s);
      }
    } catch (e) {
      // A consumer of the delivered flows threw: the analysis fails with its error.
      this.failWith(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    this.wake();
  }

  private fail(s: number, cause: string): void {
    if (this.failure !== null || this.closed) return;
    this.failWith(new ShardWorkerError(s, this.shards.length, cause));
  }

  private failWith(e: Error): void {
    if (this.failure !== null) return;
    this.failure = e;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(e);
    void this.close();
  }
}

/**
 * Starts a worker on `url` (default: shard-worker next to this module). From the TypeScript
 * sources (tests run them through vitest) the worker loads them through tsx, which must then
 * be installed (a devDependency); the built package runs the compiled .js.
 */
function startWorker(workerData: unknown, url?: URL): Worker {
  const here = import.meta.url;
  const entry = url ?? new URL(here.endsWith('.ts') ? './shard-worker.ts' : './shard-worker.js', here);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/esm/api')), 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
