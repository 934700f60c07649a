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
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation size (two semi-spaces) at which growth stops. */
const NEW_SPACE_BYTES = 8 * 1024 * 1024;
/** Old generation growth between full collections, percent of the live data. */
export const HEAP_GROWING_PERCENT = 30;

const USER_FLAGS = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|max-heap-size|optimize-for-size)\b/;

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Apply the settings above (once per process). */
export function tuneHeap(): void {
  if (process.execArgv.some((a) => USER_FLAGS.test(a)) || USER_FLAGS.test(process.env['NODE_OPTIONS'] ?? '')) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (newSpaceBytes() >= NEW_SPACE_BYTES) {
    setFlagsFromString('--semi-space-growth-factor=1');
    return;
  }
  const watch = new PerformanceObserver(() => {
    if (newSpaceBytes() < NEW_SPACE_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    watch.disconnect();
  });
  watch.observe({ entryTypes: ['gc'] });
}
