/**
 * `tcpscope analyze --threads N|auto`: the same output with worker threads as without, in every
 * form (text, JSON, NDJSON, CSV, CI mode's per-flow files, HTML), for several captures on the
 * same threads; bad values are usage errors; what `auto` picks.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AUTO_MIN_IDLE_CORES, AUTO_THREADS_MIN_PACKETS, idleCores, parseProcStat, threadsFor } from '../../src/pipeline/auto-threads.js';
import { estimatePackets, recordBytes } from '../../src/capture/estimate.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { SynthCapture, handshake } from '../../src/synth/tcp-script.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';

const FILES = ['short-conns.client.pcap', 'bulk-loss.client.pcap', 'fragments.client.pcap', 'http-chunked.server.pcap', 'tls.client.pcap'].map(fixturePath);

describe('--threads 2 prints what --threads 1 prints', () => {
  test.each(['text', 'json', 'ndjson', 'csv'])('--format %s', async (format) => {
    const one = await runCli(['analyze', '--format', format, '--threads', '1', ...FILES]);
    const two = await runCli(['analyze', '--format', format, '--threads', '2', ...FILES]);
    expect(one.code).toBe(0);
    expect(two).toEqual(one);
  });

  test('CI mode: per-flow files, verdicts, exit status', async () => {
    const dirs = [1, 2].map((t) => join(mkdtempSync(join(tmpdir(), `tcpscope-threads${t}-`)), 'flows'));
    const runs = await Promise.all(
      [1, 2].map((t, i) => runCli(['analyze', '--quiet', '--threads', String(t), '--per-flow-dir', dirs[i]!, '--fail-on', 'warning', ...FILES])),
    );
    expect(runs[0]!.code).toBe(1);
    const masked = runs.map((r, i) => ({ ...r, stderr: r.stderr.map((l) => l.replace(dirs[i]!, 'DIR')) }));
    expect(masked[1]).toEqual(masked[0]);
    const list = (d: string): string[] => readdirSync(d, { recursive: true }).map(String).sort();
    expect(list(dirs[1]!)).toEqual(list(dirs[0]!));
    for (const f of list(dirs[0]!).filter((n) => n.endsWith('.json'))) expect(readFileSync(join(dirs[1]!, f), 'utf8')).toBe(readFileSync(join(dirs[0]!, f), 'utf8'));
  });

  test('--html (its per-segment plot recorder keeps the run on the main thread)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-threads-html-'));
    const runs = [];
    for (const t of [1, 2]) runs.push(await runCli(['analyze', '--quiet', '--format', 'json', '--threads', String(t), '--html', join(dir, `${t}.html`), ...FILES]));
    expect(runs[1]).toEqual(runs[0]);
    expect(readFileSync(join(dir, '2.html'), 'utf8')).toBe(readFileSync(join(dir, '1.html'), 'utf8'));
  });
});

test.each(['0', '-1', '1.5', 'two', '65'])('--threads %s is a usage error', async (v) => {
  const r = await runCli(['analyze', '--threads', v, FILES[0]!]);
  expect(r.code).toBe(2);
  expect(r.stderr).toEqual([`tcpscope: --threads must be auto or a number of threads from 1 to 64, not ${v}`]);
});

describe('auto', () => {
  test('1 for a small capture, standard input, a missing file; 2 from AUTO_THREADS_MIN_PACKETS (estimated) on a machine with 2+ cores', async () => {
    expect(await threadsFor(FILES[0]!, 'auto')).toBe(1);
    expect(await threadsFor('-', 'auto')).toBe(1);
    expect(await threadsFor('/nonexistent/x.pcap', 'auto')).toBe(1);
    // A real capture's first records, then its size as if it went on alike (sparse: no disk used).
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-auto-'));
    const small = join(dir, 'small.pcap');
    await writeBenchCapture(small, { packets: 4000, flows: 20, seed: 1 });
    const perRecord = recordBytes(readFileSync(small).subarray(0, 256 * 1024))!;
    expect(perRecord).toBeGreaterThan(54);
    const big = join(dir, 'big.pcap');
    copyFileSync(small, big);
    truncateSync(big, Math.ceil(perRecord * AUTO_THREADS_MIN_PACKETS * 1.01));
    // Big enough: 2 when a second core is idle (sampled inside threadsFor; here before and after,
    // and the answer is only checked when both samples agree on the side of the threshold).
    const before = await idleCores(100);
    const t = await threadsFor(big, 'auto');
    const after = await idleCores(100);
    const idle = (x: number | null): boolean => x === null || x >= AUTO_MIN_IDLE_CORES;
    if (availableParallelism() < 2) expect(t).toBe(1);
    else if (idle(before) && idle(after)) expect(t).toBe(2);
    else if (!idle(before) && !idle(after)) expect(t).toBe(1);
    truncateSync(big, Math.floor(perRecord * AUTO_THREADS_MIN_PACKETS * 0.99));
    expect(await threadsFor(big, 'auto')).toBe(1);
  });

  test('the packet estimate from pcap and pcapng records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-estimate-'));
    for (const format of ['pcap', 'pcapng'] as const) {
      const cap = new SynthCapture({ seed: 3 });
      for (let i = 0; i < 20; i++) handshake(cap.connection());
      const file = join(dir, `c.${format}`);
      const { truth } = await cap.write(format, file);
      const n = truth.frames.length;
      const est = await estimatePackets(file);
      // Header bytes (file header, pcapng's section and interface blocks) count as records' share: within 10%.
      expect(Math.abs(est - n) / n).toBeLessThan(0.1);
    }
    writeFileSync(join(dir, 'x.bin'), Buffer.alloc(12800));
    expect(await estimatePackets(join(dir, 'x.bin'))).toBe(100); // unknown format: 128 bytes a packet
    expect(await estimatePackets(join(dir, 'missing'))).toBe(0);
  });

  test('idle CPU from /proc/stat: the aggregate line, idle + iowait, the number of cores', () => {
    const stat = ['cpu  100 0 50 800 50 0 0 0 0 0', 'cpu0 50 0 25 400 25 0 0 0 0 0', 'cpu1 50 0 25 400 25 0 0 0 0 0', 'intr 1'].join('\n');
    expect(parseProcStat(stat)).toEqual({ idle: 850, total: 1000, cores: 2 });
    expect(parseProcStat('intr 1\n')).toBeNull();
  });

  test('an explicit number is taken as is; no option means 1', async () => {
    expect(await threadsFor(FILES[0]!, 3)).toBe(3);
    expect(await threadsFor(FILES[0]!, undefined)).toBe(1);
  });
});
