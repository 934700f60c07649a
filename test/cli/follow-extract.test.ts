/**
 * `tcpscope follow` and `tcpscope extract` in-process on real fixtures: follow --raw bytes equal
 * the truth's sha256, the text modes mark directions and gaps, usage errors; extract writes both
 * directions of every flow with the documented names, gap side files only where gaps are, and a
 * summary line per file on stderr. `analyze --top` limits the flows table.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo, runCli } from '../helpers/fake-cli-io.js';
import { FIXTURES, fixturePath } from '../helpers/fixture-captures.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface Conn {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  clientApp: { sent: { sha256: string; bytes: number } };
  serverApp: { sent: { sha256: string; bytes: number } };
}
const truth = (stem: string): { connections: Conn[] } => JSON.parse(readFileSync(join(FIXTURES, `${stem}.truth.json`), 'utf8')) as { connections: Conn[] };

/** Run the CLI collecting stdout as bytes (follow --raw writes binary). */
async function runBinary(argv: string[]): Promise<{ code: number; out: Buffer; err: string[] }> {
  const chunks: Buffer[] = [];
  const io = fakeIo();
  io.stdout = new Writable({
    write(c: Buffer | string, _e, cb): void {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
      cb();
    },
  });
  const code = await main(argv, io);
  return { code, out: Buffer.concat(chunks), err: io.errLines };
}

describe('follow', () => {
  const file = fixturePath('http-chunked.server.pcap');
  const t = truth('http-chunked.server').connections[0]!;

  test('--raw --dir c2s / s2c equal what each application sent', async () => {
    const c2s = await runBinary(['follow', file, '--flow', '0', '--raw', '--dir', 'c2s']);
    expect(c2s.code).toBe(0);
    expect(sha(c2s.out)).toBe(t.clientApp.sent.sha256);
    const s2c = await runBinary(['follow', file, '--flow', '0', '--raw', '--dir', 's2c']);
    expect(sha(s2c.out)).toBe(t.serverApp.sent.sha256);
  });

  test('--raw both directions interleaves every byte once', async () => {
    const both = await runBinary(['follow', file, '--flow', '0', '--raw']);
    expect(both.out.length).toBe(t.clientApp.sent.bytes + t.serverApp.sent.bytes);
    expect(both.out.subarray(0, 13).toString()).toBe('GET /chunked ');
  });

  test('ASCII (default) marks each chunk with its direction; --hex dumps', async () => {
    const a = await runCli(['follow', file, '--flow', '0']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^=== flow 0: 10\.201\.1\.1:36694 → 10\.201\.2\.1:8080/);
    expect(a.stdout).toContain('--- c2s offset 0, 107 bytes, frame 4\nGET /chunked HTTP/1.1');
    expect(a.stdout).toContain('--- s2c offset 0');
    const h = await runCli(['follow', file, '--flow', '0', '--hex', '--dir', 'c2s']);
    expect(h.stdout).toContain('00000000  47 45 54 20 2f 63 68 75  6e 6b 65 64 20 48 54 54  |GET /chunked HTT|');
    expect(h.stdout).not.toContain('--- s2c');
  });

  test('gaps are shown as [N bytes missing]', async () => {
    const r = await runCli(['follow', fixturePath('short-conns.client.pcap'), '--flow', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[\d+ bytes missing\]/);
  });

  test('a flow that does not exist, and conflicting modes, are usage errors', async () => {
    const r = await runCli(['follow', file, '--flow', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`tcpscope: ${file} has no flow 5 (flows: 0..0)`]);
    const c = await runCli(['follow', file, '--flow', '0', '--raw', '--hex']);
    expect(c.code).toBe(2);
    expect(c.stderr).toHaveLength(1);
  });
});

describe('extract', () => {
  test('bulk-loss.server: both directions of the flow, bytes equal the truth', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tcpscope-extract-'));
    const r = await runCli(['extract', fixturePath('bulk-loss.server.pcap'), '--out', out]);
    expect(r.code).toBe(0);
    const t = truth('bulk-loss.server').connections[0]!;
    const base = `0-${t.client.ip}.${t.client.port}-${t.server.ip}.${t.server.port}`;
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.bin'))).toEqual([`${base}-c2s.bin`, `${base}-s2c.bin`]);
    expect(sha(readFileSync(join(out, `${base}-c2s.bin`)))).toBe(t.clientApp.sent.sha256);
    expect(readFileSync(join(out, `${base}-s2c.bin`)).length).toBe(0);
    expect(files.filter((f) => f.endsWith('.gaps.json'))).toEqual([]);
    expect(r.stderr[0]).toBe(`${base}-c2s.bin: ${t.clientApp.sent.bytes} bytes, end fin`);
    expect(r.stderr.at(-1)).toBe(`tcpscope: 1 flow(s), 2 file(s) written to ${out}`);
  });

  test('short-conns (snap length cut the payloads): gaps filled with 0x00 and listed in .gaps.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tcpscope-extract-'));
    const r = await runCli(['extract', fixturePath('short-conns.client.pcap'), '--out', out]);
    expect(r.code).toBe(0);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(24);
    const gapFile = files.find((f) => f.endsWith('-c2s.bin.gaps.json'))!;
    const side = JSON.parse(readFileSync(join(out, gapFile), 'utf8')) as { fill: number; gaps: { offset: number; length: number }[] };
    expect(side.fill).toBe(0);
    const bin = readFileSync(join(out, gapFile.replace(/\.gaps\.json$/, '')));
    for (const g of side.gaps) {
      expect(g.offset + g.length).toBeLessThanOrEqual(bin.length);
      expect(bin.subarray(g.offset, g.offset + g.length).every((b) => b === 0)).toBe(true);
    }
    expect(r.stderr.some((l) => /gap\(s\) \d+ bytes filled with 0x00/.test(l))).toBe(true);
    expect(existsSync(join(out, files[0]!))).toBe(true);
  });
});

describe('analyze flows table', () => {
  test('--top limits the rows and says how many were left out', async () => {
    const r = await runCli(['analyze', fixturePath('short-conns.client.pcap'), '--top', '3', '--sort', 'id'], { columns: 160 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flows: 12');
    expect(r.stdout).toContain('… 9 more flow(s) not shown (--top 12 shows all)');
    expect(r.stdout).toMatch(/│ 2 +│ 10\.201\.1\.1:\d+ → 10\.201\.2\.1:5011/);
    expect(r.stdout).not.toMatch(/│ 3 +│ 10\.201/);
  });
});
