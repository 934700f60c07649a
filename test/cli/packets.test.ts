/**
 * `tcpscope packets` in-process: text and NDJSON on the fixtures (every NDJSON line valid
 * against spec/packet.schema.json), `-c N`, standard input (injected stream, in small chunks),
 * gzip'd files and gzip on stdin. The text itself is compared with tcpdump in
 * test/fixtures/cross-check.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { FIXTURES, FIXTURE_CAPTURES, SPEC, captureStem, fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validatePacket = ajv.compile(JSON.parse(readFileSync(join(SPEC, 'packet.schema.json'), 'utf8')) as object);

const TMP = mkdtempSync(join(tmpdir(), 'tcpscope-cli-'));

/** capinfos packet count recorded in the fixture's truth file. */
function truthPackets(file: string): number {
  const t = JSON.parse(readFileSync(join(FIXTURES, `${captureStem(file)}.truth.json`), 'utf8')) as { capture: { packets: number } };
  return t.capture.packets;
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
/** The lines of one frame each (text output adds '  reassembled:' lines after completed datagrams). */
const frameLines = (s: string): string[] => lines(s).filter((l) => !l.startsWith('  reassembled: '));

/** A stream that yields `bytes` in chunks of `size` (exercises records split across chunks). */
function chunked(bytes: Uint8Array, size: number): Readable {
  const parts: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += size) parts.push(bytes.subarray(o, o + size));
  return Readable.from(parts);
}

describe('packets: one text line per frame, exit 0, nothing on stderr', () => {
  test.each(FIXTURE_CAPTURES)('%s', async (file) => {
    const r = await runCli(['packets', fixturePath(file)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    expect(frameLines(r.stdout)).toHaveLength(truthPackets(file));
  });
});

describe('packets --format ndjson: one schema-valid object per frame', () => {
  test.each(FIXTURE_CAPTURES)('%s', async (file) => {
    const r = await runCli(['packets', '--format', 'ndjson', fixturePath(file)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const records = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    const bad: string[] = [];
    for (const rec of records) {
      if (!validatePacket(rec)) bad.push(`frame ${String(rec['frame'])}: ${ajv.errorsText(validatePacket.errors)}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // Rebuilt datagrams are extra records flagged fragment.reassembled; the rest are the frames in order.
    const frames = records.filter((rec) => (rec['fragment'] as { reassembled?: boolean } | undefined)?.reassembled !== true);
    expect(frames.map((rec) => rec['frame'])).toEqual(Array.from({ length: truthPackets(file) }, (_, i) => i + 1));
  });
});

describe('packets -c N', () => {
  test.each([
    ['keepalive.client.pcap', 0, 'text'],
    ['keepalive.client.pcap', 1, 'text'],
    ['keepalive.client.pcap', 5, 'ndjson'],
    ['keepalive.client.pcap', 18, 'text'],
    ['keepalive.client.pcap', 1000, 'text'],
    ['half-close.server.pcapng', 7, 'ndjson'],
    ['fragments.client.pcap', 4, 'text'],
  ] as const)('%s -c %d (%s)', async (file, n, format) => {
    const r = await runCli(['packets', '-c', String(n), '--format', format, fixturePath(file)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const all = await runCli(['packets', '--format', format, fixturePath(file)]);
    const want = Math.min(n, truthPackets(file));
    const got = format === 'text' ? frameLines(r.stdout) : lines(r.stdout).filter((l) => !l.includes('"reassembled":true'));
    expect(got).toHaveLength(want);
    // The first N frames, exactly as without -c.
    expect(r.stdout).toBe(all.stdout.slice(0, r.stdout.length));
  });
});

describe("packets - (standard input) equals reading the file", () => {
  test.each([
    ['bulk-loss.client.pcap', 1000],
    ['bulk-loss-v6.client.pcapng', 333],
    ['fragments.client.pcap', 4096],
    ['http-chunked.server.pcap', 1],
  ] as const)('%s in %d-byte chunks', async (file, size) => {
    const bytes = readFileSync(fixturePath(file));
    const fromFile = await runCli(['packets', fixturePath(file)]);
    const fromStdin = await runCli(['packets', '-'], { stdin: chunked(bytes, size) });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stderr).toEqual([]);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  test('ndjson from stdin', async () => {
    const bytes = readFileSync(fixturePath('closed-port.client.pcapng'));
    const a = await runCli(['packets', '--format', 'ndjson', '-'], { stdin: chunked(bytes, 100) });
    const b = await runCli(['packets', '--format', 'ndjson', fixturePath('closed-port.client.pcapng')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('gzip input', () => {
  test.each(['keepalive.client.pcap', 'half-close.server.pcapng', 'rate-limited.client.pcap'])('%s.gz as a file and on stdin', async (file) => {
    const plain = await runCli(['packets', '--nano', fixturePath(file)]);
    const gz = gzipSync(readFileSync(fixturePath(file)));
    const path = join(TMP, `${file}.gz`);
    writeFileSync(path, gz);
    const fromFile = await runCli(['packets', '--nano', path]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).toEqual([]);
    expect(fromFile.stdout).toBe(plain.stdout);
    const fromStdin = await runCli(['packets', '--nano', '-'], { stdin: chunked(gz, 700) });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(plain.stdout);
  });

  test('a gzip stream cut short: frames before the cut, error names the file, exit 0', async () => {
    const gz = gzipSync(readFileSync(fixturePath('bulk-loss.client.pcap')));
    const path = join(TMP, 'cut.pcap.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await runCli(['packets', path]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
    expect(lines(r.stdout).length).toBeLessThan(truthPackets('bulk-loss.client.pcap'));
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toContain(path);
    expect(r.stderr[0]).toMatch(/gzip/);
  });
});
