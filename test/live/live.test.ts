/**
 * Live capture on loopback with real Linux TCP (runs where capturing is allowed: root in CI,
 * skipped otherwise): a bulk transfer closed with FINs and a close with unread data (RST) are
 * captured with a port filter and analyzed as they happen; the final JSON report names both
 * flows with their states and findings, and the `-w` file analyzed offline gives the same flow
 * records. Bad input: unknown interface and invalid filter exit 2 with the reason.
 */
import { spawnSync } from 'node:child_process';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { readCapture } from '../../src/capture/open.js';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runLive } from '../../src/cli/live.js';
import { loadCap } from '../../src/capture/live.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { fakeIo, runCli } from '../helpers/fake-cli-io.js';
import { REPO } from '../helpers/fixture-captures.js';

const BIN = join(REPO, 'dist', 'bin', 'tcpscope.js');

function capAvailable(): boolean {
  try {
    loadCap();
    return true;
  } catch {
    return false;
  }
}
const canCapture = process.getuid?.() === 0 && capAvailable();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A client that connects, sends `bytes` and closes, resolving when the connection is gone. */
function sendAndClose(port: number, bytes: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.end(Buffer.alloc(bytes, 7)));
    c.on('data', () => undefined);
    c.on('close', () => resolve());
    c.on('error', reject);
  });
}

interface FlowRec {
  id: number;
  client: { port: number };
  server: { port: number };
  payloadBytes: { c2s: number; s2c: number };
  close: { kind: string; by: string | null };
  state: { client: string; server: string };
  anomalyCounts: Record<string, number>;
  capture?: number;
}

describe.skipIf(!canCapture)('live on loopback', () => {
  test('bulk transfer and RST on unread data: live report = offline report of the -w file', async () => {
    // Server: reads everything on port A; on the RST port it closes without reading.
    const bulk = createServer((s: Socket) => {
      s.on('data', () => undefined);
      s.on('end', () => s.end());
    });
    // pauseOnConnect: Node never reads from the kernel, so the data stays unread and Linux resets.
    const rude = createServer({ pauseOnConnect: true }, (s: Socket) => {
      setTimeout(() => s.destroy(), 50);
    });
    await new Promise<void>((r) => bulk.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r));
    const pa = (bulk.address() as AddressInfo).port;
    const pb = (rude.address() as AddressInfo).port;
    const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-live-')), 'live.pcap');
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = fakeIo();
    const run = runLive({ device: 'lo', filter: `tcp port ${pa} or tcp port ${pb}`, format: 'json', quiet: true, writeFile: file, stop: stopped }, io);
    await sleep(100);
    // 1: 300 kB sent and read, FIN both ways.
    await sendAndClose(pa, 300_000);
    // 2: data the server never reads, then its close: Linux answers with RST.
    await new Promise<void>((resolve) => {
      const c = connect(pb, '127.0.0.1', () => c.write(Buffer.alloc(5000, 1)));
      c.on('error', () => undefined);
      c.on('close', () => resolve());
    });
    await sleep(300);
    stop();
    const code = await run;
    bulk.close();
    rude.close();
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as { captures: { source: string; format: string; packets: number }[]; flows: FlowRec[] };
    expect(report.captures[0]).toMatchObject({ source: 'live:lo', format: 'live' });
    const a = report.flows.find((f) => f.server.port === pa)!;
    const b = report.flows.find((f) => f.server.port === pb)!;
    expect(a.payloadBytes.c2s + (a as unknown as { truncatedBytes: { c2s: number } }).truncatedBytes.c2s).toBe(300_000);
    expect(a.close.kind).toBe('fin');
    expect(b.close.kind).toMatch(/rst/);
    expect(b.close.by).toBe('server');
    expect((b.anomalyCounts['connection_reset'] ?? 0) + (b.anomalyCounts['rst_on_close'] ?? 0)).toBeGreaterThan(0);
    // The saved capture gives the same flow records offline.
    const offline = await analyzeCapture(file);
    const strip = (f: FlowRec): FlowRec => {
      const { capture: _c, ...rest } = f;
      return rest;
    };
    expect(offline.flows.map((f) => strip(f as unknown as FlowRec))).toEqual(report.flows.map(strip));
    expect(offline.counters.packets).toBe(report.captures[0]!.packets);
  }, 30_000);
});

const hasTcpdump = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!canCapture || !hasTcpdump)('cap vs --via tcpdump on the same traffic', () => {
  test('same flows; cap stamps packets at delivery, later than the kernel (difference printed)', async () => {
    const srv = createServer((s: Socket) => {
      s.on('data', () => undefined);
      s.on('end', () => s.end());
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-live-'));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const ioA = fakeIo();
    const ioB = fakeIo();
    const filter = `tcp port ${port}`;
    const a = runLive({ device: 'lo', filter, format: 'json', quiet: true, writeFile: join(dir, 'cap.pcap'), stop: stopped }, ioA);
    const b = runLive({ device: 'lo', filter, format: 'json', quiet: true, writeFile: join(dir, 'tcpdump.pcapng'), stop: stopped, via: 'tcpdump' }, ioB);
    await sleep(1000); // tcpdump starts
    for (let i = 0; i < 3; i++) await sendAndClose(port, 100_000);
    await sleep(500);
    stop();
    expect(await a).toBe(0);
    expect(await b).toBe(0);
    srv.close();
    const ra = JSON.parse(ioA.out()) as { flows: FlowRec[] };
    const rb = JSON.parse(ioB.out()) as { flows: FlowRec[]; captures: { dropped: number | null }[] };
    // Stream bytes seen (delivered + cut by cap's fixed 65535 snap length), close, per flow.
    const shape = (f: FlowRec): unknown => [f.client.port, f.payloadBytes.c2s + (f as unknown as { truncatedBytes: { c2s: number } }).truncatedBytes.c2s, f.close.kind];
    expect(ra.flows.map(shape)).toEqual(rb.flows.map(shape));
    expect(ra.flows.length).toBe(3);
    expect(rb.captures[0]!.dropped).toBe(0);
    // Per packet (matched by IP + TCP header bytes): cap's time - the kernel's.
    const times = async (file: string): Promise<Map<string, number>> => {
      const m = new Map<string, number>();
      await readCapture(file, (fr) => {
        m.set(Buffer.from(fr.buf.subarray(fr.off + 14, fr.off + 54)).toString('hex'), fr.tsSec + fr.tsNsec / 1e9);
      });
      return m;
    };
    const ta = await times(join(dir, 'cap.pcap'));
    const tb = await times(join(dir, 'tcpdump.pcapng'));
    const d: number[] = [];
    for (const [k, t] of tb) if (ta.has(k)) d.push((ta.get(k)! - t) * 1e6);
    d.sort((x, y) => x - y);
    expect(d.length).toBeGreaterThan(tb.size * 0.9);
    const q = (f: number): number => Math.round(d[Math.floor(f * (d.length - 1))]!);
    console.log(`cap - kernel timestamp over ${d.length} packets (µs): min ${q(0)}, median ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${q(1)}`);
    // Delivery can only be later than the kernel's stamp (clock anchoring error: a few µs).
    expect(q(0)).toBeGreaterThan(-1000);
  }, 30_000);
});

describe.skipIf(!canCapture)('zero window on loopback', () => {
  test('a receiver that stops reading: zero-window stall reported live with its probes, the -w file agrees', async () => {
    // The server does not read for 1.5 s (pauseOnConnect), so its window closes; then it reads all.
    const srv = createServer({ pauseOnConnect: true }, (s: Socket) => {
      setTimeout(() => {
        s.on('data', () => undefined);
        s.on('end', () => s.end());
        s.resume();
      }, 1500);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-live-')), 'zw.pcap');
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = fakeIo();
    const run = runLive({ device: 'lo', filter: `tcp port ${port}`, format: 'json', quiet: true, writeFile: file, stop: stopped }, io);
    await sleep(100);
    await sendAndClose(port, 8_000_000);
    await sleep(300);
    stop();
    expect(await run).toBe(0);
    srv.close();
    const report = JSON.parse(io.out()) as { flows: (FlowRec & { zeroWindow: { server: { stalls: number; stallMs: number; probes: number } } })[] };
    expect(report.flows).toHaveLength(1);
    const f = report.flows[0]!;
    // cap fixes libpcap's snap length at 65535 and loopback frames reach 65550 bytes: the cut
    // bytes are counted as truncated, not delivered.
    const truncated = (f as unknown as { truncatedBytes: { c2s: number } }).truncatedBytes.c2s;
    expect(f.payloadBytes.c2s + truncated).toBe(8_000_000);
    expect(f.anomalyCounts['zero_window_stall']).toBeGreaterThanOrEqual(1);
    expect(f.zeroWindow.server.stalls).toBeGreaterThanOrEqual(1);
    expect(f.zeroWindow.server.stallMs).toBeGreaterThan(500);
    expect(f.zeroWindow.server.probes).toBeGreaterThanOrEqual(1);
    const offline = await analyzeCapture(file);
    expect(offline.flows[0]!.anomalyCounts).toEqual(f.anomalyCounts);
  }, 30_000);
});

/**
 * The unprivileged run needs a `nobody` user, runuser, and a checkout `nobody` can read (a clone
 * in a private temporary directory is not): `tcpscope --version` as nobody must work first.
 */
const nobody =
  existsSync(BIN) &&
  spawnSync('sh', ['-c', 'command -v runuser && id -u nobody'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, '--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

describe.skipIf(!capAvailable())('bad input', () => {
  test.skipIf(!canCapture || !nobody)('no permission (the built CLI run as nobody): exit 2, says what is needed', () => {
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'live', '-i', 'lo', '-c', '1'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tcpscope: no permission to capture on 'lo' \(run as root, or give node CAP_NET_RAW and CAP_NET_ADMIN\)/);
  });

  test('unknown interface: exit 2, says which exist', async () => {
    const r = await runCli(['live', '-i', 'no-such-if0', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/^tcpscope: no such interface 'no-such-if0' \(interfaces: .*lo/);
  });

  test.skipIf(process.getuid?.() !== 0)('invalid filter: exit 2 with libpcap message, and the process survives', async () => {
    const r = await runCli(['live', '-i', 'lo', '-f', 'tcp port', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toBe("tcpscope: invalid capture filter 'tcp port': libpcap says: can't parse filter expression: syntax error");
  });
});
