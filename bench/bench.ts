/**
 * `npm run bench [-- FILE] [--runs N] [--packets N] [--flows N] [--regenerate]`
 *
 * Builds (deterministically, no network) a large synthetic capture — by default 2,000,000
 * packets over 10,000 flows with loss, retransmission, reordering and zero windows — or takes
 * the capture given, then measures in separate processes:
 *   - tcpscope read    (capture reader alone)
 *   - tcpscope decode  (reader + dissectors + defrag: `tcpscope packets` without printing)
 *   - tcpscope analyze (the whole analyze pipeline, in-process)
 *   - `tcpscope analyze FILE` (terminal report) and `--format json`, end to end (process start
 *     included), each with `--threads 1` and `--threads 2` (flows sharded over two workers)
 *   - `tcptrace -n -l -r FILE` and `tshark -n -q -z conv,tcp -r FILE`, when installed
 * and prints packets/s, MB/s, peak RSS, CPU time (user + system: steadier than wall time on a
 * shared machine) and the ratio of each tool's time to tcpscope's.
 * With `--memory-check` it also builds a 5x longer capture with the same concurrency and
 * compares analyze's peak RSS on both (flat within ±20% is the target).
 * Results are also written to bench/out/results.json. Timing is never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { writeBenchCapture } from '../src/synth/bench-capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outDir = join(root, 'bench', 'out');

interface Measure {
  name: string;
  seconds: number;
  /** User + system CPU seconds, when known. */
  cpuSeconds?: number;
  maxRssKiB: number | null;
  packets: number | null;
  ok: boolean;
  note?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command through a tiny python3 wrapper that reports wall time, CPU time and the child's peak RSS. */
function timeCommand(argv: string[]): { seconds: number; cpuSeconds: number; maxRssKiB: number; status: number; stderr: string } {
  const py = [
    'import resource,subprocess,sys,time,json',
    't=time.perf_counter()',
    'p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)',
    'e=time.perf_counter()-t',
    'u=resource.getrusage(resource.RUSAGE_CHILDREN)',
    'print(json.dumps({"seconds":e,"cpuSeconds":u.ru_utime+u.ru_stime,"maxRssKiB":u.ru_maxrss,"status":p.returncode,"stderr":p.stderr.decode(errors="replace")[-400:]}))',
  ].join('\n');
  const res = spawnSync('python3', ['-c', py, ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`timing wrapper failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { seconds: number; cpuSeconds: number; maxRssKiB: number; status: number; stderr: string };
}

function worker(mode: string, file: string, runs: number): Measure {
  const times: number[] = [];
  const cpus: number[] = [];
  let rss = 0;
  let packets = 0;
  for (let i = 0; i < runs; i++) {
    const res = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'worker.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (res.status !== 0) return { name: `tcpscope ${mode}`, seconds: NaN, maxRssKiB: null, packets: null, ok: false, note: res.stderr.slice(-300) };
    const j = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as { seconds: number; cpuSeconds: number; maxRssKiB: number; packets: number };
    times.push(j.seconds);
    cpus.push(j.cpuSeconds);
    rss = Math.max(rss, j.maxRssKiB);
    packets = j.packets;
  }
  return { name: `tcpscope ${mode}`, seconds: median(times), cpuSeconds: median(cpus), maxRssKiB: rss, packets, ok: true, note: `median of ${runs}` };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** A command `runs` times: median wall and CPU time, largest peak RSS. */
function external(name: string, argv: string[], runs = 1): Measure {
  const all = Array.from({ length: runs }, () => timeCommand(argv));
  const failed = all.find((r) => r.status !== 0);
  const m: Measure = { name, seconds: median(all.map((r) => r.seconds)), cpuSeconds: median(all.map((r) => r.cpuSeconds)), maxRssKiB: Math.max(...all.map((r) => r.maxRssKiB)), packets: null, ok: failed === undefined };
  if (failed !== undefined) m.note = `exit ${failed.status}: ${failed.stderr.trim().split('\n').pop() ?? ''}`;
  else if (runs > 1) m.note = `median of ${runs}`;
  return m;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 3);
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
  let file = positional[0];
  mkdirSync(outDir, { recursive: true });
  if (file === undefined) {
    const packets = Number(arg('packets') ?? 2_000_000);
    const flows = Number(arg('flows') ?? 10_000);
    file = join(outDir, `synthetic-${packets}-${flows}.pcap`);
    if (!existsSync(file) || process.argv.includes('--regenerate')) {
      const t0 = performance.now();
      const r = await writeBenchCapture(file, { packets, flows, seed: 1 });
      console.log(`built ${file}: ${r.packets} packets, ${r.flows} flows, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const size = statSync(file).size;
  console.log(`capture: ${file} (${(size / 1e6).toFixed(1)} MB); node ${process.version}; ${runs} run(s) per tcpscope mode`);

  const results: Measure[] = [];
  for (const mode of ['read', 'decode', 'analyze']) results.push(worker(mode, file, runs));
  const pkts = results.find((r) => r.packets !== null)?.packets ?? null;
  // The terminal report (what `tcpscope analyze FILE` prints) and the whole JSON report, on one
  // thread and sharded over two workers (what --threads auto picks for this file on 2+ cores).
  const cliArgv = [process.execPath, join(root, 'dist', 'bin', 'tcpscope.js'), 'analyze', file, '--quiet'];
  for (const t of [1, 2]) {
    results.push(external(`tcpscope analyze --threads ${t} (CLI)`, [...cliArgv, '--threads', String(t)], runs));
    results.push(external(`tcpscope analyze --format json --threads ${t} (CLI)`, [...cliArgv, '--format', 'json', '--threads', String(t)], runs));
  }
  if (has('tcptrace')) results.push(external('tcptrace -n -l -r', ['tcptrace', '-n', '-l', '-r', file]));
  else console.log('tcptrace not installed: skipped');
  if (has('tshark')) results.push(external('tshark -q -z conv,tcp', ['tshark', '-n', '-q', '-z', 'conv,tcp', '-r', file]));
  else console.log('tshark not installed: skipped');

  const base = results.find((r) => r.name === 'tcpscope analyze --threads 1 (CLI)');
  const table = new Table({ head: ['job', 'seconds', 'CPU s', 'packets/s', 'MB/s', 'peak RSS', 'time vs tcpscope analyze --threads 1 (CLI)', 'note'], style: { head: [], border: [] } });
  for (const r of results) {
    const pps = pkts !== null && r.ok ? pkts / r.seconds : NaN;
    table.push([
      r.name,
      r.ok ? r.seconds.toFixed(3) : 'failed',
      r.cpuSeconds !== undefined && r.ok ? r.cpuSeconds.toFixed(2) : '-',
      Number.isFinite(pps) ? `${(pps / 1e6).toFixed(2)} M` : '-',
      r.ok ? (size / 1e6 / r.seconds).toFixed(0) : '-',
      r.maxRssKiB === null ? '-' : `${(r.maxRssKiB / 1024).toFixed(0)} MiB`,
      base && base.ok && r.ok ? `${(r.seconds / base.seconds).toFixed(2)}x` : '-',
      r.note ?? '',
    ]);
  }
  console.log(table.toString());
  const decode = results.find((r) => r.name === 'tcpscope decode');
  if (decode && decode.ok && pkts !== null) {
    const mpps = pkts / decode.seconds / 1e6;
    console.log(`decode rate: ${mpps.toFixed(2)} M packets/s (target >= 5 M/s): ${mpps >= 5 ? 'met' : 'NOT met'}`);
  }
  // The targets are judged on the faster of 1 and 2 threads (what --threads auto means to pick).
  const cli = results.filter((r) => r.ok && /^tcpscope analyze --threads \d \(CLI\)$/.test(r.name)).sort((a, b) => a.seconds - b.seconds)[0];
  if (cli !== undefined) console.log(`targets judged on: ${cli.name}`);
  const tt = results.find((r) => r.name.startsWith('tcptrace'));
  const ts = results.find((r) => r.name.startsWith('tshark'));
  // Targets: issue 4 (flows + reassembly: <= 1.5x tcptrace), issue 5 (full analysis: <= 1.2x
  // tcptrace, >= 50x faster than tshark, peak RSS < 200 MB).
  if (cli?.ok && tt?.ok) {
    const ratio = cli.seconds / tt.seconds;
    console.log(`analyze vs tcptrace wall time: ${ratio.toFixed(2)}x (target <= 1.2x): ${ratio <= 1.2 ? 'met' : 'NOT met'}`);
  }
  if (cli?.ok && ts?.ok) {
    const ratio = ts.seconds / cli.seconds;
    console.log(`analyze vs tshark: ${ratio.toFixed(1)}x faster (target >= 50x): ${ratio >= 50 ? 'met' : 'NOT met'}`);
  }
  if (cli?.ok && cli.maxRssKiB !== null) {
    const mib = cli.maxRssKiB / 1024;
    console.log(`analyze peak RSS: ${mib.toFixed(0)} MiB (target < 200 MB = 190.7 MiB): ${cli.maxRssKiB * 1024 < 200e6 ? 'met' : 'NOT met'}`);
  }
  let memory: { baseKiB: number; longKiB: number; ratio: number } | null = null;
  if (process.argv.includes('--memory-check') && positional[0] === undefined) memory = await memoryCheck(file, runs);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ file, size, packets: pkts, node: process.version, results, memory }, null, 2) + '\n');
}

/**
 * Peak RSS must stay flat when the capture is 5x longer with the same number of concurrent
 * flows (issue 4): same generator, 5x the packets over the same flows, same concurrency (1000).
 */
async function memoryCheck(file: string, runs: number): Promise<{ baseKiB: number; longKiB: number; ratio: number }> {
  const packets = Number(arg('packets') ?? 2_000_000) * 5;
  const flows = Number(arg('flows') ?? 10_000);
  const long = join(outDir, `synthetic-${packets}-${flows}.pcap`);
  if (!existsSync(long)) await writeBenchCapture(long, { packets, flows, seed: 1 });
  const base = worker('analyze', file, 1);
  const big = worker('analyze', long, Math.min(runs, 1));
  const baseKiB = base.maxRssKiB ?? NaN;
  const longKiB = big.maxRssKiB ?? NaN;
  const ratio = longKiB / baseKiB;
  console.log(
    `peak RSS, analyze: ${(baseKiB / 1024).toFixed(0)} MiB on ${file}, ${(longKiB / 1024).toFixed(0)} MiB on the 5x longer ${long} ` +
      `(${big.seconds.toFixed(1)} s): ${((ratio - 1) * 100).toFixed(0)}% (target within ±20%): ${Math.abs(ratio - 1) <= 0.2 ? 'met' : 'NOT met'}`,
  );
  return { baseKiB, longKiB, ratio };
}

await main();
