/**
 * Where a sharded sweep stops, agreed between the shard workers (shared memory, no messages).
 *
 * One flow table walks each LRU list from its least recently active flow and stops at the
 * first flow still active within the timeout. Every packet moves its flow to the head, so the
 * list is in order of each flow's last frame, and while packet times never go backwards a
 * flow's last activity grows along the list: each shard expiring its own idle flows expires
 * exactly what one table would. After a packet time went backwards (a reordered capture, a
 * packet without a timestamp) a flow may still be active behind an idle one; then one table
 * stops at the first active flow of ALL shards. For those sweeps (`barrier`), each shard
 * publishes the last frame of its first active flow per list (`FlowTable.sweepStops`), waits
 * for the others, and every shard stops at the smallest (`FlowTable.sweep(now, stops)`).
 *
 * Layout of the SharedArrayBuffer: Int32 [abort, generation of shard 0..n-1], then Float64
 * stops [barrier parity][shard][list]. Two parities suffice: a shard cannot publish barrier k+2
 * before every shard has read barrier k (it would need barrier k+1 agreed first).
 */

const I32_ABORT = 0;
const LISTS = 2;

/** Thrown in a shard waiting at a barrier when the analysis was aborted (another shard failed). */
export class BarrierAborted extends Error {
  constructor() {
    super('sharded analysis aborted');
  }
}

function i32Words(shards: number): number {
  // Rounded up to keep the Float64 part 8-byte aligned.
  return (1 + shards + 1) & ~1;
}

/** Shared memory for `shards` workers. */
export function newBarrierMemory(shards: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * i32Words(shards) + 8 * 2 * shards * LISTS);
}

/** Main thread: make every shard waiting (now or later) at a barrier throw BarrierAborted. */
export function abortBarrier(mem: SharedArrayBuffer, shards: number): void {
  const ctl = new Int32Array(mem, 0, i32Words(shards));
  Atomics.store(ctl, I32_ABORT, 1);
  for (let s = 0; s < shards; s++) Atomics.notify(ctl, 1 + s);
}

/**
 * Worker thread: when the thread ends while an analysis runs on it (an uncaught exception,
 * `process.exit`), abort that analysis's barriers — the main thread runs a shard too and may be
 * waiting at one, where it cannot see the worker's `error`/`exit` events. `current` names the
 * running analysis's barrier memory and shard count (null between analyses).
 */
export function abortBarrierOnExit(current: () => { mem: SharedArrayBuffer; shards: number } | null): void {
  process.once('exit', () => {
    const c = current();
    if (c !== null) abortBarrier(c.mem, c.shards);
  });
}

/** True once the analysis using `mem` was aborted. */
export function barrierAborted(mem: SharedArrayBuffer, shards: number): boolean {
  return Atomics.load(new Int32Array(mem, 0, i32Words(shards)), I32_ABORT) !== 0;
}

/** How often a shard waiting at a barrier asks `othersStopped` (ms). */
const STALL_POLL_MS = 100;

/** One shard's side of the barriers. */
export class SweepBarrier {
  private readonly ctl: Int32Array;
  private readonly stops: Float64Array;
  private generation = 0;

  /**
   * `othersStopped` (the main thread's shard: ShardWorkers.anyStopped): asked while waiting; a
   * thread V8 stopped (out of memory) runs no exit handler, and the main thread waiting here
   * cannot see its `error` event, so it looks for itself and aborts the barrier.
   */
  constructor(
    private readonly mem: SharedArrayBuffer,
    private readonly shards: number,
    private readonly me: number,
    private readonly othersStopped: (() => boolean) | null = null,
  ) {
    const words = i32Words(shards);
    this.ctl = new Int32Array(mem, 0, words);
    this.stops = new Float64Array(mem, 4 * words, 2 * shards * LISTS);
  }

  /** Publishes this shard's stops for the next barrier, waits for every shard's, returns the smallest per list. */
  agree(mine: readonly [number, number]): [number, number] {
    const k = ++this.generation;
    const base = (k & 1) * this.shards * LISTS;
    this.stops[base + this.me * LISTS] = mine[0];
    this.stops[base + this.me * LISTS + 1] = mine[1];
    Atomics.store(this.ctl, 1 + this.me, k);
    Atomics.notify(this.ctl, 1 + this.me);
    const out: [number, number] = [Infinity, Infinity];
    for (let s = 0; s < this.shards; s++) {
      for (;;) {
        if (Atomics.load(this.ctl, I32_ABORT) !== 0) throw new BarrierAborted();
        const g = Atomics.load(this.ctl, 1 + s);
        if (g >= k) break;
        if (this.othersStopped === null) Atomics.wait(this.ctl, 1 + s, g);
        else if (Atomics.wait(this.ctl, 1 + s, g, STALL_POLL_MS) === 'timed-out' && this.othersStopped()) abortBarrier(this.mem, this.shards);
      }
      for (let l = 0; l < LISTS; l++) out[l] = Math.min(out[l]!, this.stops[base + s * LISTS + l]!);
    }
    return out;
  }
}
