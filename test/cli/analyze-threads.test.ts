/**
 * `tcpscope analyze --threads N|auto`: the same output with worker threads as without, in every
 * form (text, JSON, NDJSON, CSV, CI mode's per-flow files, HTML), for several captures on the
 * same threads; bad values are usage errors; what `auto` picks.
 */
import { mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AUTO_THREADS_MIN_BYTES, threadsFor } from '../../src/pipeline/analyze.js';
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
  test('1 for a small capture and for standard input; 2 from AUTO_THREADS_MIN_BYTES on a machine with 2+ cores', async () => {
    expect(await threadsFor(FILES[0]!, 'auto')).toBe(1);
    expect(await threadsFor('-', 'auto')).toBe(1);
    expect(await threadsFor('/nonexistent/x.pcap', 'auto')).toBe(1);
    const big = join(mkdtempSync(join(tmpdir(), 'tcpscope-auto-')), 'big.pcap');
    writeFileSync(big, '');
    truncateSync(big, AUTO_THREADS_MIN_BYTES); // sparse: no disk used
    expect(await threadsFor(big, 'auto')).toBe(availableParallelism() >= 2 ? 2 : 1);
  });

  test('an explicit number is taken as is; no option means 1', async () => {
    expect(await threadsFor(FILES[0]!, 3)).toBe(3);
    expect(await threadsFor(FILES[0]!, undefined)).toBe(1);
  });
});
