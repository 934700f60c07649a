/**
 * V8 heap settings of the `tcpscope` process (docs/performance.md, "Memory"). V8 sizes its heap
 * for throughput: the young generation grows to two 16 MiB semi-spaces, and after each full
 * collection the old generation may grow to 2–4 times the live data before the next one. An
 * analysis keeps tens of megabytes of flow state alive while it turns over several times that
 * in finished flows, so by default the peak RSS is several times the live data. Two flags,
 * both of which V8 reads when it grows a space (so they can be set at run time):
 *
 *   - `--semi-space-growth-factor=1` once the young generation has 4 MiB semi-spaces (loading
 *     the CLI's modules brings it there; until then a GC observer waits for it): a scavenge per
 *     ~4 MiB allocated instead of per 16 MiB, at the same cost per surviving byte;
 *   - `--heap-growing-percent`: the old generation grows to (1 + p/100) × the live data between
 *     full collections (marking is concurrent; its cost is measured in docs/performance.md).
 *
 * Set only by the command-line entry (bin/tcpscope.ts), never by the library, and not when the
 * user gave any of these V8 flags (command line or NODE_OPTIONS).
 *
 * Worker threads (`--threads`): V8's flags are the process's, but every new isolate (a worker's)
 * raises `--semi-space-growth-factor` back to at least 2 while it configures its heap (V8
 * `Heap::ConfigureHeap`, in the worker's thread): the main thread's young generation then grew
 * to 2 × 16 MiB again (+25 MiB peak RSS with two threads). Set again from the main thread once
 * it sees the worker, it was too late (its collections grow the space meanwhile), so a worker
 * the CLI starts sets it again as its first statement while the main thread waits for that
 * (`workerV8Flags`, shard-pool.ts ShardWorkersOptions.v8Flags). The worker's own young
 * generation starts at the main thread's size (`--min-semi-space-size`, read only when an isolate
 * is created, so it does not change the main thread's) and is capped there by the pool.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation size (two semi-spaces) at which growth stops. */
const NEW_SPACE_BYTES = 8 * 1024 * 1024;
/**
 * Old generation growth between full collections, percent of the live data. 20 since the flow
 * table's deferred mode (2026-11-23): the faster analysis allocates faster, and with 30 the
 * one-thread peak RSS rose from ~188 to 194–199 MiB; 20 brings it to 185–188 MiB for 2–4 % CPU
 * (15: 186–188 MiB for ~10 %). docs/performance.md, "Flow by flow".
 */
export const HEAP_GROWING_PERCENT = 20;

const USER_FLAGS = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|max-heap-size|optimize-for-size)\b/;

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Semi-space size (MiB) a worker's young generation starts at (NEW_SPACE_BYTES = two of them). */
const WORKER_SEMI_SPACE_MB = NEW_SPACE_BYTES / 2 / (1024 * 1024);
const STOP_GROWTH = '--semi-space-growth-factor=1';

/** The young generation stopped growing (a worker's isolate undoes it: workerV8Flags). */
let growthStopped = false;

function stopGrowth(): void {
  growthStopped = true;
  setFlagsFromString(STOP_GROWTH);
}

/** Apply the settings above (once per process). */
export function tuneHeap(): void {
  if (process.execArgv.some((a) => USER_FLAGS.test(a)) || USER_FLAGS.test(process.env['NODE_OPTIONS'] ?? '')) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  if (newSpaceBytes() >= NEW_SPACE_BYTES) {
    stopGrowth();
    return;
  }
  const watch = new PerformanceObserver(() => {
    if (newSpaceBytes() < NEW_SPACE_BYTES) return;
    stopGrowth();
    watch.disconnect();
  });
  watch.observe({ entryTypes: ['gc'] });
}

/**
 * V8 flags a worker thread started now sets first (ShardWorkersOptions.v8Flags): the growth
 * factor its isolate's creation undoes, once the main thread's young generation has stopped
 * growing (before that, the factor is still V8's and the watch above sets it later).
 */
export function workerV8Flags(): string {
  return growthStopped ? STOP_GROWTH : '';
}
