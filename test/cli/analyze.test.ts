/**
 * `tcpscope analyze` in-process: text and JSON on one and several fixtures (JSON valid against
 * spec/report.schema.json), standard input, and bad input — empty file, zeros, a capture cut in
 * the middle of a record (pcap and pcapng), a missing file, /etc/passwd, a directory — each
 * with its exit status, one stderr line naming the file, and what the report says.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { FIXTURES, SPEC, captureStem, fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';
import { packetRecordOffsets } from '../helpers/record-offsets.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateReport = ajv.compile(JSON.parse(readFileSync(join(SPEC, 'report.schema.json'), 'utf8')) as object);

const TMP = mkdtempSync(join(tmpdir(), 'tcpscope-cli-'));
const STACK = /\n\s+at |\bat .+:\d+:\d+/;

interface ErrorJson { code: string; message: string; offset?: number; frame?: number }
interface CaptureJson { source: string; format: string; packets: number; tcp: number; tcpConversations: number; cutShort: boolean; errors: ErrorJson[] }
interface Report {
  tool: { name: string; version: string };
  captures: CaptureJson[];
  inputErrors: (ErrorJson & { source: string })[];
  summary: { packets: number; tcpPackets: number; flows: number };
  flows: unknown[];
}

function truthPackets(file: string): number {
  const t = JSON.parse(readFileSync(join(FIXTURES, `${captureStem(file)}.truth.json`), 'utf8')) as { capture: { packets: number } };
  return t.capture.packets;
}

function parseReport(stdout: string): Report {
  const r = JSON.parse(stdout) as unknown;
  expect(validateReport(r), ajv.errorsText(validateReport.errors)).toBe(true);
  return r as Report;
}

describe('analyze --format json', () => {
  test.each([
    [['keepalive.client.pcap']],
    [['closed-port.client.pcapng', 'fragments.client.pcap']],
    [['bulk-loss.client.pcap', 'bulk-loss.server.pcap', 'http-chunked.server.pcap', 'half-close.server.pcapng']],
  ] as const)('%j', async (files) => {
    const r = await runCli(['analyze', '--format', 'json', ...files.map(fixturePath)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const rep = parseReport(r.stdout);
    expect(rep.tool.name).toBe('tcpscope');
    expect(rep.captures.map((c) => c.source)).toEqual(files.map(fixturePath));
    expect(rep.captures.map((c) => c.packets)).toEqual(files.map(truthPackets));
    expect(rep.summary.packets).toBe(files.map(truthPackets).reduce((a, b) => a + b, 0));
    expect(rep.summary.tcpPackets).toBe(rep.captures.reduce((a, c) => a + c.tcp, 0));
    expect(rep.inputErrors).toEqual([]);
  });

  test("stdin ('-') gives the same capture summary as the file, source '-'", async () => {
    const file = fixturePath('slow-reader.client.pcap');
    const a = parseReport((await runCli(['analyze', '--format', 'json', file])).stdout);
    const b = parseReport((await runCli(['analyze', '--format', 'json', '-'], { stdin: Readable.from([readFileSync(file)]) })).stdout);
    expect(b.captures[0]?.source).toBe('-');
    expect({ ...b.captures[0], source: file }).toEqual(a.captures[0]);
  });

  test('--verify-checksums fills the checksums object', async () => {
    const r = await runCli(['analyze', '--format', 'json', '--verify-checksums', fixturePath('bulk-loss.client.pcap')]);
    const rep = parseReport(r.stdout) as unknown as { captures: { checksums: { bad: number; good: number; unverified: number } | null }[] };
    // Recorded with checksum offload off: every checksum is real and good.
    expect(rep.captures[0]?.checksums).toEqual({ bad: 0, good: expect.any(Number) as number, unverified: 0 });
    expect(rep.captures[0]?.checksums?.good).toBeGreaterThan(0);
  });
});

describe('analyze text', () => {
  test.each([
    [['keepalive.client.pcap']],
    [['closed-port.client.pcapng', 'syn-retrans.client.pcap', 'short-conns.client.pcap']],
  ] as const)('%j', async (files) => {
    const r = await runCli(['analyze', ...files.map(fixturePath)], { columns: 100 });
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    for (const f of files) {
      expect(r.stdout).toContain(fixturePath(f));
      expect(r.stdout).toMatch(new RegExp(`packets\\s+│\\s+${truthPackets(f)}\\s`));
    }
  });
});

// ------------------------------------------------------------------------------------------ bad input

function tmpFile(name: string, bytes: Uint8Array): string {
  const p = join(TMP, name);
  writeFileSync(p, bytes);
  return p;
}

const DIR = join(TMP, 'a-directory');
mkdirSync(DIR);

/** Inputs no capture can be read from: exit 2, one stderr line naming the file, the report's inputErrors. */
const UNREADABLE: readonly (readonly [what: string, path: () => string, re: RegExp])[] = [
  ['empty file', () => tmpFile('empty.pcap', new Uint8Array(0)), /empty file/],
  ['4 KiB of zeros', () => tmpFile('zeros.pcap', new Uint8Array(4096)), /not a pcap, pcapng or gzip file/],
  ['missing file', () => join(TMP, 'no-such-file.pcap'), /ENOENT|no such file/],
  ['/etc/passwd', () => '/etc/passwd', /not a pcap/],
  ['a directory', () => DIR, /EISDIR|directory/],
];

describe.each(['packets', 'analyze'] as const)('%s on unreadable input: exit 2, one line naming the file', (cmd) => {
  test.each(UNREADABLE)('%s', async (_what, path, re) => {
    const p = path();
    const r = await runCli([cmd, p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/^tcpscope: /);
    expect(r.stderr[0]).toContain(p);
    expect(r.stderr[0]).toMatch(re);
    expect(r.stderr[0]).not.toMatch(STACK);
    if (cmd === 'packets') expect(r.stdout).toBe('');
  });
});

describe('analyze --format json on unreadable input', () => {
  test.each(UNREADABLE)('%s: no capture, one inputError', async (_what, path, re) => {
    const p = path();
    const r = await runCli(['analyze', '--format', 'json', p]);
    expect(r.code).toBe(2);
    const rep = parseReport(r.stdout);
    expect(rep.captures).toEqual([]);
    expect(rep.inputErrors).toHaveLength(1);
    expect(rep.inputErrors[0]?.source).toBe(p);
    expect(rep.inputErrors[0]?.message).toMatch(re);
  });

  test('one good and one missing file: exit 0, the good one analyzed, the other in inputErrors', async () => {
    const missing = join(TMP, 'missing-too.pcap');
    const r = await runCli(['analyze', '--format', 'json', fixturePath('keepalive.client.pcap'), missing]);
    expect(r.code).toBe(0);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toContain(missing);
    const rep = parseReport(r.stdout);
    expect(rep.captures.map((c) => c.packets)).toEqual([truthPackets('keepalive.client.pcap')]);
    expect(rep.inputErrors.map((e) => e.source)).toEqual([missing]);
  });
});

/**
 * The error's record number (`errors[].frame` in JSON, "record N" in the message) is the packet
 * number in classic pcap but the block number in pcapng (src/core/errors.ts).
 */
describe('a capture cut in the middle of a record: exit 0, the records before it analyzed', () => {
  test.each([
    ['bulk-loss.client.pcap', 4],
    ['bulk-loss.client.pcap', 100],
    ['rate-limited.client.pcap', 200],
    ['half-close.server.pcapng', 50],
    ['bulk-loss-v6.client.pcapng', 2],
  ] as const)('%s cut inside packet %d', async (file, packet) => {
    const bytes = readFileSync(fixturePath(file));
    const records = packetRecordOffsets(bytes);
    const { offset: at, record } = records[packet - 1]!;
    const next = records[packet]?.offset ?? bytes.length;
    const cutAt = at + Math.floor((next - at) / 2); // past the record header, before its end
    const p = tmpFile(`cut-${packet}-${file}`, bytes.subarray(0, cutAt));

    const r = await runCli(['analyze', '--format', 'json', p]);
    expect(r.code).toBe(0);
    // stderr: the fault (file, byte offset, record number), then what the analysis covers.
    expect(r.stderr.length).toBeGreaterThanOrEqual(1);
    const fault = r.stderr[0]!;
    expect(fault).toContain(p);
    expect(fault).toContain(`byte offset ${at}`);
    expect(fault).toContain(`record ${record}`);
    expect(r.stderr.join('\n')).not.toMatch(STACK);
    const rep = parseReport(r.stdout);
    const c = rep.captures[0]!;
    expect(c.cutShort).toBe(true);
    expect(c.packets).toBe(packet - 1);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatchObject({ offset: at, record, frame: packet });
    expect(c.errors[0]?.code).toMatch(/^ERR_/);
    expect(rep.summary.packets).toBe(packet - 1);

    const t = await runCli(['packets', p]);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('  reassembled: '))).toHaveLength(packet - 1);
    expect(t.stderr).toEqual([fault]);
  });
});
