import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseCaptureBytes, readCapture } from '../../src/capture/open.js';
import { detectFormat } from '../../src/capture/detect.js';
import { copyFrame, errs, fingerprint, type FrameRec } from './collect.js';
import { pcapFile, payload } from '../helpers/capture-bytes.js';

const data = (name: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url))));
const USEC = data('loopback-http-usec.pcap');
const NG = data('dumpcap-lo-any.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'tcpscope-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function read(path: string, opts: Parameters<typeof readCapture>[2] = {}): Promise<{ info: Awaited<ReturnType<typeof readCapture>>; frames: FrameRec[] }> {
  const frames: FrameRec[] = [];
  const info = await readCapture(path, (f) => frames.push(copyFrame(f)), opts);
  return { info, frames };
}

function parse(bytes: Uint8Array, source = 'mem'): { info: ReturnType<typeof parseCaptureBytes>; frames: FrameRec[] } {
  const frames: FrameRec[] = [];
  const info = parseCaptureBytes(bytes, source, (f) => frames.push(copyFrame(f)));
  return { info, frames };
}

describe('format detection', () => {
  const cases: [string, number[], string][] = [
    ['pcap µs LE', [0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
    ['pcap ns BE', [0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
    ['Kuznetzov LE', [0x34, 0xcd, 0xb2, 0xa1], 'pcap'],
    ['pcapng', [0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
    ['gzip', [0x1f, 0x8b, 8, 0], 'gzip'],
    ['snoop', [...'snoop\0\0\0'].map((c) => c.charCodeAt(0)), 'unsupported'],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd], 'unsupported'],
    ['text', [...'GET / HTTP/1.1'].map((c) => c.charCodeAt(0)), 'unknown'],
  ];
  for (const [name, bytes, kind] of cases) test(name, () => expect(detectFormat(Uint8Array.from(bytes)).kind).toBe(kind));
});

describe('readCapture / parseCaptureBytes', () => {
  test('file read in large and in tiny chunks equals the in-memory parse (pcap and pcapng)', async () => {
    for (const [name, bytes] of [['a.pcap', USEC], ['b.pcapng', NG]] as const) {
      const path = file(name, bytes);
      const want = parse(bytes, path);
      for (const chunkSize of [undefined, 1, 7, 100]) {
        const got = await read(path, chunkSize === undefined ? {} : { chunkSize });
        expect(got.info.errors).toEqual([]);
        expect(fingerprint(got.frames)).toBe(fingerprint(want.frames));
        expect(got.info.streamBytes).toBe(bytes.length);
        expect(got.info.packets).toBe(want.info.packets);
      }
    }
  });

  test('gzip: detected, decompressed, detected again (file, memory, stdin)', async () => {
    const gz = gzipSync(NG);
    const want = fingerprint(parse(NG).frames);
    const viaFile = await read(file('c.pcapng.gz', gz), { chunkSize: 333 });
    const viaMem = parse(gz);
    const viaStdin = await read('-', { stdin: Readable.from([Buffer.from(gz.subarray(0, 1)), Buffer.from(gz.subarray(1))]) });
    for (const r of [viaFile, viaMem, viaStdin]) {
      expect(r.info.compression).toBe('gzip');
      expect(r.info.format).toBe('pcapng');
      expect(r.info.errors).toEqual([]);
      expect(fingerprint(r.frames)).toBe(want);
    }
  });

  test('truncated gzip: ERR_BAD_GZIP, earlier records delivered', async () => {
    const big = pcapFile(Array.from({ length: 400 }, (_, i) => ({ sec: i, frac: 0, data: payload(200, i) })));
    const gz = gzipSync(big);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    for (const r of [parse(cut), await read(file('d.pcap.gz', cut))]) {
      expect(r.info.errors.map((e) => e.code)).toEqual(['ERR_BAD_GZIP']);
      expect(r.info.cutShort).toBe(true);
      expect(r.frames.length).toBeGreaterThan(0);
      expect(r.frames.length).toBeLessThan(400);
    }
  });

  test('stdin ("-")', async () => {
    const r = await read('-', { stdin: Readable.from([Buffer.from(USEC.subarray(0, 10)), Buffer.from(USEC.subarray(10))]) });
    expect(r.info.source).toBe('-');
    expect(r.info.packets).toBe(25);
  });

  const faults: [string, Uint8Array, string, RegExp][] = [
    ['Solaris snoop', Uint8Array.from([...'snoop\0\0\0\0\0\0\x02\0\0\0\x04'].map((c) => c.charCodeAt(0))), 'ERR_UNSUPPORTED_FORMAT', /Solaris snoop/],
    ['gzip inside gzip', gzipSync(gzipSync(USEC)), 'ERR_UNSUPPORTED_FORMAT', /gzip data inside a gzip stream/],
    ['HTML page', new TextEncoder().encode('<!DOCTYPE html><html>'), 'ERR_BAD_MAGIC', /starts with 3c 21 44 4f 43 54 59 50/],
    ['empty file', new Uint8Array(0), 'ERR_TRUNCATED_FILE', /empty file/],
    ['3 bytes', Uint8Array.of(0xd4, 0xc3, 0xb2), 'ERR_TRUNCATED_FILE', /too short \(3 bytes\).*d4 c3 b2/],
  ];
  for (const [name, bytes, code, msg] of faults) {
    test(`refused: ${name}`, async () => {
      const path = file(`e-${name.replace(/\W/g, '')}`, bytes);
      for (const r of [parse(bytes, path), await read(path)]) {
        expect(r.info.errors.map((e) => e.code)).toEqual([code]);
        expect(r.info.errors[0]?.message).toMatch(msg);
        expect(r.info.errors[0]?.message.startsWith(`${path}: at byte offset 0`)).toBe(true);
        expect(r.info.cutShort).toBe(true);
        expect(r.frames).toEqual([]);
      }
    });
  }

  test('I/O errors become ERR_IO naming the file; readCapture does not reject', async () => {
    for (const path of [join(dir, 'missing.pcap'), dir]) {
      const r = await read(path);
      expect(errs(r.info)).toEqual([{ code: 'ERR_IO', fileOffset: 0, recordIndex: 0 }]);
      expect(r.info.errors[0]?.message).toMatch(new RegExp(`^${path.replace(/[/.]/g, '\\$&')}: .*(ENOENT|EISDIR)`));
      expect(r.info.cutShort).toBe(true);
    }
  });

  test('a fatal fault stops reading the file', async () => {
    const bad = pcapFile([{ sec: 1, frac: 0, data: payload(10) }, { sec: 2, frac: 0, data: payload(10), caplen: 5_000_000 }]);
    const path = file('f.pcap', new Uint8Array([...bad, ...new Uint8Array(100_000)]));
    const r = await read(path, { chunkSize: 64 });
    expect(r.frames).toHaveLength(1);
    expect(errs(r.info)).toEqual([{ code: 'ERR_BAD_LENGTH', fileOffset: 24 + 26, recordIndex: 2 }]);
    expect(r.info.streamBytes).toBeLessThan(200);
  });
});
