/**
 * The shards of a sharded analysis: the main thread's (shard 0, run here directly), the shard
 * workers', and the batches between them and the main thread.
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
 * - Answers: each worker answers on a MessageChannel port of its own, so the main thread can also
 *   take them synchronously (`catchUp`, while its own shard flushes at the end of the capture).
 * - Failure: a worker that throws or exits early fails the analysis with a ShardWorkerError
 *   naming the worker and the cause; every worker is stopped (one waiting at a sweep barrier is
 *   released first; the main thread waiting at one is released by the worker's exit handler,
 *   shard-barrier.ts `abortBarrierOnExit`, or, when V8 stopped the worker (out of memory) and
 *   no handler ran, by looking whether it still runs: `anyStopped`) and every pending wait
 *   rejects. Nothing hangs.
 *   Failed or abandoned workers are not reused.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { ERROR_CODE, TcpscopeError } from '../core/errors.js';
import type { FlowTableCounters } from '../flow/flow-table.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { BATCH_BYTES, BatchWriter, SWP, packetRecordSize } from './shard-batch.js';
import { BarrierAborted, SweepBarrier, abortBarrier, barrierAborted, newBarrierMemory } from './shard-barrier.js';
import type { ShardMerge } from './shard-merge.js';
import { ShardRunner, type EndedFlows, type MainMessage, type ShardConfig, type ShardMessage } from './shard-runner.js';
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
/** Flows of the main thread's shard the merge may hold at the end of the capture before it takes the workers' answers synchronously (catchUp). */
const LOCAL_AHEAD = 256;
/** How long catchUp waits for a worker's answer before it looks again whether the workers failed. */
const CATCH_UP_WAIT_MS = 50;

export interface ShardWorkersOptions {
  /** Worker entry (tests: a worker that fails); default shard-worker. */
  workerUrl?: URL;
  /** Heap limits of the workers besides the default young generation cap (tests: a worker that runs out of memory soon). */
  resourceLimits?: ResourceLimits;
  /**
   * V8 flags each worker sets first thing, asked for when it is started ('' or absent: none), while
   * the thread starting it waits: creating a worker's isolate can reset a process-wide flag the
   * embedder set (the CLI's heap settings, cli/heap.ts), and that thread must not run meanwhile.
   */
  v8Flags?: () => string;
}

/** What the workers' failures go to: the analysis using them (their messages come on its own ports). */
interface WorkerListener {
  onFailure(e: Error): void;
}

/** N worker threads for sharded analyses, one analysis at a time. `close()` when done with them. */
export class ShardWorkers {
  private readonly workers: Worker[] = [];
  private listener: WorkerListener | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** Barrier memory of the analysis running and its number of shards (released if the workers are stopped). */
  barrier: { mem: SharedArrayBuffer; shards: number } | null = null;
  private readonly up: Promise<void>;

  constructor(
    readonly size: number,
    opts: ShardWorkersOptions = {},
  ) {
    const ups: Promise<void>[] = [];
    for (let s = 0; s < size; s++) {
      const worker = startWorker(opts.workerUrl, opts.v8Flags?.() ?? '', opts.resourceLimits);
      this.workers.push(worker);
      worker.on('error', (e: Error) => this.fail(s, e.message));
      worker.on('exit', (code) => this.fail(s, `exited (code ${code})`));
      ups.push(
        new Promise<void>((resolve, reject) => {
          worker.once('online', resolve);
          worker.once('exit', (code) => reject(this.failure ?? new ShardWorkerError(s, size, `exited (code ${code})`)));
        }),
      );
    }
    this.up = Promise.all(ups).then(() => undefined);
    this.up.catch(() => undefined);
  }

  /**
   * Resolves once every worker runs (rejects if one ended first). An analysis waits for it
   * before its first packet: only an online worker tells the main thread synchronously that it
   * stopped (`anyStopped`).
   */
  online(): Promise<void> {
    return this.up;
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

  /**
   * True when a worker's thread has stopped, asked synchronously while the main thread blocks
   * (its `error`/`exit` events wait for the event loop). Node reports a stopped worker's event
   * loop idle time as −1 (`loopIdleTime` of a worker without an environment), but only once the
   * main thread has seen the worker's `online` event (before that it reports 0: hence `online`).
   * Pinned by the out-of-memory test in test/pipeline/shard-failure.test.ts.
   */
  anyStopped(): boolean {
    for (const w of this.workers) if (w.performance.eventLoopUtilization().idle < 0) return true;
    return false;
  }

  post(s: number, m: MainMessage, transfer?: Transferable[]): void {
    if (!this.closed) this.workers[s]!.postMessage(m, transfer ?? []);
  }

  /** Stops the threads (a worker waiting at a barrier is released first). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.barrier !== null) abortBarrier(this.barrier.mem, this.barrier.shards);
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

  constructor(private readonly opts: ShardWorkersOptions = {}) {}

  /** Workers for `threads` shards: the main thread runs one, so threads − 1 (AnalyzeOptions.workers). */
  readonly get = (threads: number): ShardWorkers => {
    const n = threads - 1;
    const w = this.workers;
    if (w !== null && w.usable && w.size === n) return w;
    void w?.close();
    return (this.workers = new ShardWorkers(n, this.opts));
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

/**
 * One analysis on a set of ShardWorkers plus the main thread: shard 0 runs here (a ShardRunner
 * fed decoded packets directly: no copy, no re-decode), shard s ≥ 1 on worker s − 1.
 */
export class ShardPool implements WorkerListener {
  /** The worker shards (shard s at index s − 1). */
  private readonly shards: Shard[] = [];
  private readonly local: ShardRunner;
  private localDone: ShardDone | null = null;
  /** The main thread's shard was released from a sweep barrier by a failing worker: it does no more. */
  private localAborted = false;
  private failure: Error | null = null;
  private waiters: { resolve: () => void; reject: (e: Error) => void; ready: () => boolean }[] = [];
  private ended = false;
  private readonly textForm: FlowTextForm | null;
  /** The ports the workers answer on (worker w's at index w), and the count of answers they posted. */
  private readonly ports: MessagePort[] = [];
  private readonly posted = new Int32Array(new SharedArrayBuffer(4));
  private readonly barrier: SharedArrayBuffer;

  constructor(
    cfgs: readonly ShardConfig[],
    private readonly merge: ShardMerge,
    private readonly workers: ShardWorkers,
  ) {
    const view = cfgs[1]?.view;
    this.textForm = view === 'json' ? 'report' : view === 'ndjson' ? 'compact' : null;
    if (cfgs.length !== workers.size + 1) throw new Error(`${cfgs.length} shards on ${workers.size} workers and the main thread`);
    workers.attach(this);
    const barrier = (this.barrier = newBarrierMemory(cfgs.length));
    workers.barrier = { mem: barrier, shards: cfgs.length };
    const stopped = (): boolean => workers.anyStopped();
    this.local = new ShardRunner(cfgs[0]!, new SweepBarrier(barrier, cfgs.length, 0, stopped), (m) => this.handle(0, m));
    for (const cfg of cfgs.slice(1)) {
      this.shards.push({ writer: new BatchWriter(new ArrayBuffer(BATCH_BYTES)), free: [], inFlight: 0, done: null });
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (m: ShardMessage) => this.handle(cfg.shard, m));
      this.ports.push(port1);
      workers.post(cfg.shard - 1, { t: 'start', cfg, barrier, out: port2, posted: this.posted.buffer as SharedArrayBuffer }, [port2]);
    }
  }

  /** Shards: the main thread's and the workers'. */
  get size(): number {
    return this.shards.length + 1;
  }

  /** The batch writer of worker shard `s` (≥ 1) with room for `bytes`; a full batch is sent first (as of frame `frontier`). */
  writer(s: number, bytes: number, frontier: number): BatchWriter {
    const sh = this.shards[s - 1]!;
    if (sh.writer.free < bytes) {
      this.send(s, frontier);
      if (sh.writer.free < bytes) sh.writer.reset(new ArrayBuffer(Math.max(BATCH_BYTES, bytes)));
    }
    return sh.writer;
  }

  /** Room for a packet record of `len` bytes in worker shard `s`'s batch. */
  packetWriter(s: number, len: number, frontier: number): BatchWriter {
    return this.writer(s, packetRecordSize(len), frontier);
  }

  /** A decoded TCP segment of shard 0, analysed here and now (ShardRunner.route). */
  route(pkt: DecodedPacket, frame: number, tsSec: number, tsNsec: number, time: number): void {
    if (!this.localAborted && this.failure === null) this.local.route(pkt, frame, tsSec, tsNsec, time);
  }

  /**
   * Every shard sweeps at clock time `now` before frame `frame`'s packet (the main thread has
   * dispatched every frame up to `frontier`). A sweep agreed between the shards (`barrier`)
   * sends the workers' batches first: the main thread then waits at the barrier for them.
   */
  sweep(now: number, frame: number, barrier: boolean, frontier: number): void {
    for (let s = 1; s < this.size; s++) this.writer(s, SWP.SIZE, frontier).sweep(now, frame, barrier);
    if (barrier) for (let s = 1; s < this.size; s++) this.send(s, frontier);
    if (this.localAborted || this.failure !== null) return;
    try {
      this.local.sweep(now, frame, barrier);
    } catch (e) {
      // A worker ended (its failure reaches this thread as an event: backpressure/end reject with it).
      if (!(e instanceof BarrierAborted)) throw e;
      this.localAborted = true;
    }
  }

  /** Sends every worker's batch, empty ones too, and takes the main thread's shard's answer: every frontier moves on. */
  sendAll(frontier: number): void {
    for (let s = 1; s < this.size; s++) this.send(s, frontier);
    if (this.localAborted || this.failure !== null) return;
    const a = this.local.answer();
    this.handle(0, { t: 'batch', buf: EMPTY, frontier, ...a });
  }

  /** Sends worker shard `s`'s batch: the main thread has dispatched every frame up to `frontier`. */
  send(s: number, frontier: number): void {
    if (this.failure !== null) return;
    const sh = this.shards[s - 1]!;
    const w = sh.writer;
    this.workers.post(s - 1, { t: 'batch', buf: w.buf, used: w.used, frontier }, [w.buf]);
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

  /** End of input: the last batches and the end message; resolves with every shard's counters (shard 0 first). */
  async end(frontier: number): Promise<ShardDone[]> {
    if (this.failure !== null) throw this.failure;
    this.sendAll(frontier);
    for (let s = 1; s < this.size; s++) this.workers.post(s - 1, { t: 'end' });
    if (!this.localAborted && this.failure === null) this.local.end();
    await this.wait(() => this.localDone !== null && this.workersDone());
    this.ended = true;
    this.closePorts();
    this.workers.attach(null);
    return [this.localDone!, ...this.shards.map((sh) => sh.done!)];
  }

  /** After `end` (or to abandon the analysis): an unfinished analysis stops the workers, which cannot be reused. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.closePorts();
    this.workers.attach(null);
    await this.workers.close();
  }

  private closePorts(): void {
    for (const p of this.ports) p.close();
  }

  private workersDone(): boolean {
    return this.shards.every((sh) => sh.done !== null);
  }

  /**
   * While the main thread's shard flushes its flows at the end of the capture (one synchronous
   * call: FlowTable.flush), the merge holds them until every worker has reported the flows that
   * come before them; the workers flush at the same time, but their answers would wait for this
   * thread. So past LOCAL_AHEAD flows held, this takes the workers' answers synchronously
   * (waiting for the next one when none is there) and hands them to the merge, which delivers
   * and forgets the flows: memory stays flat (measured: +400 MiB on the bench capture without).
   */
  private catchUp(): void {
    while (this.merge.pendingOf(0) > LOCAL_AHEAD && this.failure === null && !this.workersDone()) {
      const seen = Atomics.load(this.posted, 0);
      let got = false;
      for (let w = 0; w < this.ports.length; w++) {
        const r = receiveMessageOnPort(this.ports[w]!);
        if (r === undefined) continue;
        got = true;
        this.handle(w + 1, r.message as ShardMessage);
      }
      if (got) continue;
      // A worker that ended aborts the barriers (abortBarrierOnExit), one V8 stopped is seen
      // here (anyStopped): its failure comes as an event later.
      if (barrierAborted(this.barrier, this.size)) return;
      if (Atomics.wait(this.posted, 0, seen, CATCH_UP_WAIT_MS) === 'timed-out' && this.workers.anyStopped()) abortBarrier(this.barrier, this.size);
    }
  }

  /** A message of shard `s` (0: the main thread's, posted synchronously). */
  private handle(s: number, m: ShardMessage): void {
    if (this.failure !== null) return;
    try {
      if (m.t === 'batch') {
        if (s > 0) {
          const sh = this.shards[s - 1]!;
          sh.inFlight--;
          if (m.buf.byteLength === BATCH_BYTES && sh.free.length < MAX_IN_FLIGHT) sh.free.push(m.buf);
        }
        this.attachTexts(m);
        this.merge.batch(s, m.frontier, m.starts, m.flows, m.endFrames);
      } else if (m.t === 'flows') {
        this.attachTexts(m);
        this.merge.more(s, m.starts, m.flows, m.endFrames);
      } else if (m.t === 'flush') {
        this.attachTexts(m);
        this.merge.flush(s, m.last, m.flows, m.endFrames);
        if (s === 0) this.catchUp();
      } else {
        const done = { counters: m.counters, tuples: m.tuples, internalErrors: m.internalErrors, samples: m.samples, barrierCuts: m.barrierCuts };
        if (s === 0) this.localDone = done;
        else this.shards[s - 1]!.done = done;
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

  /** The records' texts made by the shard (report/flow-json-text.ts), onto the records. */
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
    if (ready()) return Promise.resolve();
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

/** The buffer of the main thread's shard's answers (it has no batch to hand back). */
const EMPTY = new ArrayBuffer(0);

/**
 * A worker's young generation is capped (V8 grows it to 3 × 16 MiB by default): with the
 * CLI's heap settings (cli/heap.ts, process-wide flags; the CLI's workers start at this size)
 * measured −30 MiB peak RSS for two threads on the bench capture, CPU within noise. 4 MiB took
 * 3–5 MiB more off, not kept (docs/performance.md, "Two threads under 200 MB?").
 */
const WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 8 } } as const;

/** How long the starting thread waits for a worker to set its V8 flags (it fails on its own if it cannot start). */
const FLAGS_WAIT_MS = 5000;

/**
 * Starts a worker on `url` (default: shard-worker next to this module). With `v8Flags`, the
 * worker's first statement sets them and this thread waits until it has (ShardWorkersOptions).
 * From the TypeScript sources (tests run them through vitest) the worker loads them through
 * tsx, which must then be installed (a devDependency); the built package runs the compiled .js.
 */
function startWorker(url: URL | undefined, v8Flags: string, limits?: ResourceLimits): Worker {
  const here = import.meta.url;
  const entry = url ?? new URL(here.endsWith('.ts') ? './shard-worker.ts' : './shard-worker.js', here);
  const options = limits === undefined ? WORKER_OPTIONS : { resourceLimits: { ...WORKER_OPTIONS.resourceLimits, ...limits } };
  let load: string;
  if (entry.pathname.endsWith('.ts')) {
    const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/esm/api')), 'index.mjs')).href;
    load = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  } else if (v8Flags === '') {
    return new Worker(entry, options);
  } else {
    load = `import(${JSON.stringify(entry.href)});`;
  }
  if (v8Flags === '') return new Worker(load, { ...options, eval: true });
  const set = new Int32Array(new SharedArrayBuffer(4));
  const boot = `{ const set = new Int32Array(require('node:worker_threads').workerData); require('node:v8').setFlagsFromString(${JSON.stringify(v8Flags)}); Atomics.store(set, 0, 1); Atomics.notify(set, 0); }\n${load}`;
  const worker = new Worker(boot, { ...options, eval: true, workerData: set.buffer });
  Atomics.wait(set, 0, 0, FLAGS_WAIT_MS);
  return worker;
}
