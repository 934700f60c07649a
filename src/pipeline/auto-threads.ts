/**
 * How many threads `threads: 'auto'` (`--threads auto`) gives an analysis: 2 when the second
 * core pays, else 1. Sharding costs CPU of its own (the worker compiles and warms up the
 * analysis code, the main thread copies and the worker re-decodes its segments, and two threads
 * side by side each run slower: +15–25 % in all, docs/performance.md), so it shortens a run only when
 *
 *   - the machine has two or more cores,
 *   - the capture is long enough to pay back starting and warming up the workers (about two
 *     million packets, estimated from the file: capture/estimate.ts; standard input has no size
 *     and stays on one thread),
 *   - and a second core is actually free: measured over AUTO_IDLE_SAMPLE_MS when the run starts
 *     (Linux /proc/stat; other systems are taken as idle). On a machine that other jobs keep
 *     busy, two threads were measured slower than one.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { estimatePackets } from '../capture/estimate.js';

/**
 * Fewest packets (estimated) worth sharding. Measured crossover on the bench generator's
 * captures: ~0.8 M packets at first, ~0.5 M once the main thread ran a shard, ~1.5–2 M since a
 * batch is analysed flow by flow (one thread got ~20 % faster; docs/performance.md, "Flow by
 * flow"): at 1 M and 1.5 M packets one and two threads take the same time, at 2 M two are ~5 %
 * faster, at 4 M 13 %.
 */
export const AUTO_THREADS_MIN_PACKETS = 2_000_000;
/** Idle CPU, in cores, needed to shard: one for the workers beside the main thread, most of another. */
export const AUTO_MIN_IDLE_CORES = 1.5;
/** How long the idle CPU is sampled. */
export const AUTO_IDLE_SAMPLE_MS = 200;

/** The number of threads `threads` asks for, for `source` (see AnalyzeOptions.threads). */
export async function threadsFor(source: string, threads: number | 'auto' | undefined): Promise<number> {
  if (threads === undefined) return 1;
  if (threads !== 'auto') return Math.max(1, Math.floor(threads));
  if (availableParallelism() < 2 || source === '-') return 1;
  // An unreadable file estimates 0 packets: the reader reports what is wrong with it.
  if ((await estimatePackets(source)) < AUTO_THREADS_MIN_PACKETS) return 1;
  const idle = await idleCores(AUTO_IDLE_SAMPLE_MS);
  return idle === null || idle >= AUTO_MIN_IDLE_CORES ? 2 : 1;
}

/** CPU time nothing used over the next `ms` milliseconds, in cores (from /proc/stat); null where it cannot be read. */
export async function idleCores(ms: number): Promise<number | null> {
  const a = await cpuTicks();
  if (a === null) return null;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = await cpuTicks();
  if (b === null || b.total <= a.total) return null;
  return ((b.idle - a.idle) / (b.total - a.total)) * a.cores;
}

/** The aggregate `cpu` line of /proc/stat: idle (idle + iowait) and total ticks, and the number of cores. */
async function cpuTicks(): Promise<{ idle: number; total: number; cores: number } | null> {
  let text: string;
  try {
    text = await readFile('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  return parseProcStat(text);
}

/** Parses /proc/stat (exported for tests). */
export function parseProcStat(text: string): { idle: number; total: number; cores: number } | null {
  const lines = text.split('\n');
  const cpu = lines.find((l) => l.startsWith('cpu '));
  if (cpu === undefined) return null;
  const f = cpu.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return null;
  // user nice system idle iowait irq softirq steal (guest times are inside user/nice)
  const total = f.slice(0, 8).reduce((s, x) => s + x, 0);
  const idle = f[3]! + (f[4] ?? 0);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return cores > 0 ? { idle, total, cores } : null;
}
