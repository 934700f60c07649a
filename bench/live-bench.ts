/**
 * `npm run bench:live [-- --rates 5000,20000,50000,100000,200000] [--seconds 5] [--no-tcpdump-via]`
 *
 * How many packets per second `tcpscope live` sustains on loopback without drops, next to
 * `tcpdump -w /dev/null` on the same traffic. Needs root (capture), the `cap` binding and tcpdump;
 * otherwise it says why and exits 0.
 *
 * Per target rate, for `--seconds`: a load generator (a separate node process) sends small
 * segments (200-byte writes, TCP_NODELAY, over 4 connections, paced every millisecond) to a local
 * sink on port P, while two captures run on `lo` with the filter `tcp port P`:
 *   - `tcpdump -i lo -B 16384 -w /dev/null` (the same 16 MiB kernel buffer tcpscope asks for):
 *     what it captured is the reference when it dropped nothing (its "received by filter" counts
 *     each loopback packet twice, the outgoing and the incoming copy, so it is not used);
 *   - `tcpscope live -i lo -f 'tcp port P' --format ndjson` through cap: packets analyzed, and
 *     missed = tcpdump's captured − analyzed − skipped (cap cannot count the kernel's drops
 *     itself), and the ones it skipped itself when it fell behind; then
 *   - the same with `tcpscope live --via tcpdump` (and its own tcpdump's kernel drop counter).
 * tcpscope's CPU time during the traffic (/proc, start-up excluded) per analyzed packet says what
 * it costs whatever the machine's load. Results go to stdout (a table) and bench/out/live-results.json. Nothing is asserted: timing
 * depends on the machine; the README quotes the numbers of one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import Table from 'cli-table3';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BIN = join(root, 'dist', 'bin', 'tcpscope.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---------------------------------------------------------------- load generator (child process)

/** `live-bench.js --generate PORT RATE SECONDS`: paced 200-byte writes on 4 connections. */
async function generate(port: number, rate: number, seconds: number): Promise<void> {
  const conns: Socket[] = [];
  for (let i = 0; i < 4; i++) {
    conns.push(
      await new Promise<Socket>((r) => {
        const c = connect(port, '127.0.0.1', () => r(c));
        c.setNoDelay(true);
        c.on('error', () => undefined);
      }),
    );
  }
  const payload = Buffer.alloc(200, 7);
  // About one ACK per data segment on loopback: writes per second = rate / 2.
  const writesPerSec = rate / 2;
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * writesPerSec);
    for (; sent < due; sent++) conns[sent % 4]!.write(payload);
    await new Promise((r) => setImmediate(r));
  }
  for (const c of conns) c.end();
  await sleep(200);
  process.stdout.write(JSON.stringify({ writes: sent }) + '\n');
}

// ---------------------------------------------------------------- the captures

interface TcpdumpCount {
  captured: number | null;
  received: number | null;
  dropped: number | null;
}

function tcpdumpCounts(stderr: string): TcpdumpCount {
  const n = (re: RegExp): number | null => {
    const m = re.exec(stderr);
    return m === null ? null : Number(m[1]);
  };
  return { captured: n(/(\d+) packets? captured/), received: n(/(\d+) packets? received by filter/), dropped: n(/(\d+) packets? dropped by kernel/) };
}

function collect(child: ChildProcess): { out: () => string; err: () => string; exited: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { out: () => out, err: () => err, exited };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return true;
  return check();
}

interface LiveRun {
  analyzed: number;
  skipped: number;
  kernelDropped: number | null;
  kernelReceived: number | null;
  busyPeak: number;
}

/** Final numbers of a `tcpscope live --format ndjson` run (its last stats line and the summary). */
function liveNumbers(ndjson: string): LiveRun {
  const lines = ndjson
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; packets?: number; skipped?: number; busy?: number | null; kernel?: { received: number | null; dropped: number | null } | null; captures?: { packets: number; dropped: number | null }[] });
  const stats = lines.filter((l) => l.type === 'stats');
  const last = stats.at(-1);
  const summary = lines.find((l) => l.type === 'summary');
  return {
    analyzed: summary?.captures?.[0]?.packets ?? last?.packets ?? 0,
    skipped: last?.skipped ?? 0,
    kernelDropped: summary?.captures?.[0]?.dropped ?? null,
    kernelReceived: last?.kernel?.received ?? null,
    busyPeak: Math.max(0, ...stats.map((s) => s.busy ?? 0)),
  };
}

interface Row {
  targetPps: number;
  via: 'cap' | 'tcpdump';
  seconds: number;
  wirePackets: number | null;
  wirePps: number | null;
  tcpdump: TcpdumpCount;
  tcpscope: LiveRun & { missed: number | null; cpuSec: number | null; cpuUsPerPacket: number | null };
  /** Whether tcpdump's captured count is the whole traffic. */
  reference: string;
}

async function runRate(rate: number, seconds: number, via: 'cap' | 'tcpdump'): Promise<Row> {
  // The sink: reads and discards.
  const sink = createServer((s) => {
    s.on('data', () => undefined);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as AddressInfo).port;
  const filter = `tcp port ${port}`;
  const td = spawn('tcpdump', ['-i', 'lo', '-n', '-B', '16384', '-w', '/dev/null', filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tdIo = collect(td);
  const ts = spawn(process.execPath, [BIN, 'live', '-i', 'lo', '-f', filter, '--format', 'ndjson', '--quiet', '--via', via], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tsIo = collect(ts);
  await waitFor(() => /listening on/.test(tdIo.err()) && /"type":"stats"/.test(tsIo.out()), 10_000);
  await sleep(via === 'tcpdump' ? 1000 : 300);
  const cpuBefore = procCpuSeconds(ts.pid);
  const gen = spawn(process.execPath, [fileURLToPath(import.meta.url), '--generate', String(port), String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const genIo = collect(gen);
  await genIo.exited;
  await sleep(1000);
  const cpuAfter = procCpuSeconds(ts.pid);
  const cpuSec = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  td.kill('SIGINT');
  ts.kill('SIGINT');
  await Promise.all([tdIo.exited, tsIo.exited]);
  sink.close();
  const tcpdump = tcpdumpCounts(tdIo.err());
  const live = liveNumbers(tsIo.out());
  const wire = tcpdump.captured;
  return {
    targetPps: rate,
    via,
    seconds,
    wirePackets: wire,
    wirePps: wire === null ? null : Math.round(wire / seconds),
    tcpdump,
    tcpscope: { ...live, missed: wire === null ? null : Math.max(0, wire - live.analyzed - live.skipped), cpuSec, cpuUsPerPacket: cpuSec === null || live.analyzed === 0 ? null : Math.round((cpuSec / live.analyzed) * 1e7) / 10 },
    reference: tcpdump.dropped === 0 ? 'exact' : 'lower bound (tcpdump dropped some)',
  };
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), null when unknown. */
function procCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

function why(): string | null {
  if (process.getuid?.() !== 0) return 'live capture needs root (or CAP_NET_RAW + CAP_NET_ADMIN)';
  try {
    createRequire(import.meta.url)('cap');
  } catch {
    return "the optional 'cap' binding is not installed (apt-get install libpcap-dev; npm install cap)";
  }
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is not installed (apt-get install tcpdump)';
  return null;
}

async function main(): Promise<void> {
  const reason = why();
  if (reason !== null) {
    console.log(`bench:live skipped: ${reason}`);
    return;
  }
  const rates = (arg('rates') ?? '5000,20000,50000,100000,200000').split(',').map(Number);
  const seconds = Number(arg('seconds') ?? 5);
  const vias: ('cap' | 'tcpdump')[] = process.argv.includes('--no-tcpdump-via') ? ['cap'] : ['cap', 'tcpdump'];
  console.log(`loopback, node ${process.version}, ${seconds} s per rate; 200-byte writes on 4 connections (TCP_NODELAY)`);
  const rows: Row[] = [];
  for (const via of vias) {
    for (const rate of rates) {
      const r = await runRate(rate, seconds, via);
      rows.push(r);
      const t = r.tcpdump;
      const s = r.tcpscope;
      console.log(
        `${via.padEnd(7)} target ${String(rate).padStart(7)} pps: ${r.wirePps ?? '?'} pps captured by tcpdump (dropped ${t.dropped ?? '?'}); tcpscope analyzed ${s.analyzed}, missed ${s.missed ?? '?'}, skipped ${s.skipped}${via === 'tcpdump' ? `, its tcpdump's kernel drops ${s.kernelDropped ?? '?'}` : ''}, busy peak ${Math.round(s.busyPeak * 100)}%, CPU ${s.cpuUsPerPacket ?? '?'} µs/packet`,
      );
    }
  }
  const table = new Table({
    head: ['tcpscope via', 'target pps', 'pps (tcpdump captured / s)', 'tcpdump -w /dev/null: captured / dropped', 'tcpscope live: analyzed', 'missed + skipped', 'kernel drops (via tcpdump)', 'busy peak', 'CPU µs / packet'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    const s = r.tcpscope;
    const lost = s.missed === null ? '?' : `${s.missed} + ${s.skipped} (${(((s.missed + s.skipped) / Math.max(1, r.wirePackets ?? 1)) * 100).toFixed(1)}%)`;
    table.push([r.via, r.targetPps, r.wirePps ?? '?', `${r.tcpdump.captured ?? '?'} / ${r.tcpdump.dropped ?? '?'}`, s.analyzed, lost, r.via === 'tcpdump' ? (s.kernelDropped ?? '?') : 'n/a', `${Math.round(s.busyPeak * 100)}%`, s.cpuUsPerPacket ?? '?']);
  }
  console.log(table.toString());
  console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  const outDir = join(root, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'live-results.json'), JSON.stringify({ node: process.version, seconds, loadavg: loadavg(), cpus: cpus().length, rows }, null, 2));
  console.log(`written to ${join(outDir, 'live-results.json')}`);
}

if (process.argv[2] === '--generate') void generate(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else void main();
