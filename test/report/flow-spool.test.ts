/**
 * The JSON report's flow spool (report/flow-spool.ts): texts come back byte for byte in
 * (capture, flow id) order from the temporary file or, when none can be written, from memory;
 * and `analyze --format json` through it prints exactly the report built from the flow records.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FlowTextSpool } from '../../src/report/flow-spool.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { buildReport } from '../../src/report/report-json.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';
import { prng } from '../helpers/prng.js';

/** Texts of varied length (some past the spool's 1 MiB write chunk), with non-ASCII and JSON escapes. */
function texts(n: number, seed: number): { capture: number; id: number; text: string }[] {
  const rnd = prng(seed);
  const out: { capture: number; id: number; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const len = i % 97 === 5 ? 1_200_000 : Math.floor(rnd() * 3000);
    out.push({ capture: i % 3, id: i, text: `    {"id": ${i}, "note": "é→✓ \\"q\\" \\n", "pad": "${'x'.repeat(len)}"}` });
  }
  return out;
}

/** The order the report wants: by capture, then id. */
function reportOrder(items: { capture: number; id: number; text: string }[]): string[] {
  return [...items].sort((a, b) => a.capture - b.capture || a.id - b.id).map((t) => t.text);
}

describe('FlowTextSpool', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test.each([
    ['temporary file', 'file'],
    ['memory (no temporary directory)', 'none'],
    ['memory (the directory does not exist)', 'missing'],
  ] as const)('%s: every text back, byte for byte, in (capture, id) order', (_name, where) => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-test-'));
    dirs.push(dir);
    const spool = new FlowTextSpool({ dir: where === 'file' ? dir : where === 'none' ? null : join(dir, 'missing') });
    expect(spool.fallback === null).toBe(where === 'file');
    if (where === 'missing') expect(spool.fallback).toMatch(/cannot create a temporary file in .*missing/);
    const items = texts(400, 7);
    // Added in a shuffled order (flows finish out of id order).
    const rnd = prng(3);
    const shuffled = [...items].sort(() => rnd() - 0.5);
    for (const t of shuffled) spool.add(t.capture, t.id, t.text);
    expect(spool.size).toBe(items.length);
    expect([...spool.texts()]).toEqual(reportOrder(items));
    // The file is gone from the directory while still open (unlinked at once).
    expect(readdirSync(dir)).toEqual([]);
    spool.close();
    spool.close();
  });

  test('an empty spool yields nothing', () => {
    const spool = new FlowTextSpool();
    expect([...spool.texts()]).toEqual([]);
    spool.close();
  });
});

describe('analyze --format json through the spool', () => {
  const FILES = ['bulk-loss.client.pcap', 'short-conns.client.pcap', 'closed-port.client.pcapng'].map(fixturePath);
  const saved = process.env['TMPDIR'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  });

  /** The report as built from the flow records, pretty-printed. */
  async function expected(files: string[]): Promise<string> {
    const results = [];
    for (const f of files) results.push(await analyzeCapture(f));
    return JSON.stringify(buildReport(results, false), null, 2) + '\n';
  }

  test('several captures, an unreadable one among them: byte-identical to the report of the flow records', async () => {
    const files = [FILES[0]!, 'does-not-exist.pcap', ...FILES.slice(1)];
    const r = await runCli(['analyze', '--format', 'json', ...files]);
    expect(r.code).toBe(0);
    expect(r.stderr.filter((l) => !l.includes('does-not-exist'))).toEqual([]);
    expect(r.stdout).toBe(await expected(files));
  });

  test('without a writable temporary directory: the same bytes, and a note', async () => {
    process.env['TMPDIR'] = join(tmpdir(), 'tcpscope-no-such-dir', 'deeper');
    const r = await runCli(['analyze', '--format', 'json', ...FILES]);
    expect(r.code).toBe(0);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/^tcpscope: note: cannot create a temporary file in .*; the JSON report's flows were kept in memory$/);
    expect(r.stdout).toBe(await expected(FILES));
  });
});
