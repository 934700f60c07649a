/**
 * Child process of heap.test.ts: the CLI's heap settings (src/cli/heap.ts), a worker thread
 * started as the CLI starts them once they hold (with `workerV8Flags`; argument `none`:
 * without), while this thread keeps allocating; prints the young generation's size in bytes.
 * The worker's entry is a plain module: a shard worker from the TypeScript sources registers
 * tsx's module hooks, whose thread is one more isolate (the built CLI's workers have none).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { tuneHeap, workerV8Flags } from '../../src/cli/heap.js';
import { ShardWorkers } from '../../src/pipeline/shard-pool.js';


function newSpace(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Allocates objects of which many survive a scavenge or two (what makes V8 grow the young generation). */
const keep: { a: number; b: number[] }[] = [];
function churn(n: number): void {
  for (let i = 0; i < n; i++) {
    keep.push({ a: i, b: [i, i + 1] });
    if (keep.length > 200_000) keep.splice(0, 100_000);
  }
}

tuneHeap();
// Up to the CLI's young generation size, and the GC observer's callback that stops its growth there.
while (newSpace() < 8 * 1024 * 1024) churn(10_000);
await new Promise((r) => setTimeout(r, 100));
const workers = new ShardWorkers(1, { workerUrl: new URL('./idle-worker.mjs', import.meta.url), ...(process.argv[2] === 'none' ? {} : { v8Flags: workerV8Flags }) });
churn(3_000_000);
process.stdout.write(`${newSpace()}\n`);
await workers.close();
