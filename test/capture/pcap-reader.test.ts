import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseChunked, errs, fingerprint, type FrameRec } from './collect.js';
import { pcapFile, payload, swapPcap, type PcapRecord } from '../helpers/capture-bytes.js';

const data = (name: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url))));
const USEC = data('loopback-http-usec.pcap');
const NSEC = data('loopback-http-nsec.pcap');

interface OraclePacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}

/** pcap-parser (npm) as an independent oracle. It only knows the µs magic: ns files are fed with the magic patched, and then its "microseconds" field is the raw nanosecond field. */
function oracle(bytes: Uint8Array): Promise<OraclePacket[]> {
  const require = createRequire(import.meta.url);
  const pcapParser = require('pcap-parser') as { parse(s: Readable): NodeJS.EventEmitter };
  const copy = Buffer.from(bytes);
  const le = copy.readUInt32LE(0) === 0xa1b2c3d4 || copy.readUInt32LE(0) === 0xa1b23c4d;
  if (le) copy.writeUInt32LE(0xa1b2c3d4, 0);
  else copy.writeUInt32BE(0xa1b2c3d4, 0);
  return new Promise((resolve, reject) => {
    const out: OraclePacket[] = [];
    const p = pcapParser.parse(Readable.from([copy]));
    p.on('packet', (pkt: OraclePacket) => out.push({ header: { ...pkt.header }, data: Buffer.from(pkt.data) }));
    p.on('error', reject);
    p.on('end', () => resolve(out));
  });
}

async function expectOracleAgrees(bytes: Uint8Array, frames: FrameRec[], nanos: boolean): Promise<void> {
  const want = await oracle(bytes);
  expect(frames.length).toBe(want.length);
  frames.forEach((f, i) => {
    const w = want[i] as OraclePacket;
    expect([f.tsSec, f.tsNsec, f.caplen, f.origLen]).toEqual([
      w.header.timestampSeconds,
      nanos ? w.header.timestampMicroseconds : w.header.timestampMicroseconds * 1000,
      w.header.capturedLength,
      w.header.originalLength,
    ]);
    expect(Buffer.from(f.data).equals(w.data)).toBe(true);
  });
}

describe('pcap reader on real captures (tcpdump -i lo)', () => {
  const cases = [
    { name: 'µs, little-endian', bytes: USEC, nanos: false, format: 'pcap', order: 'le' },
    { name: 'ns, little-endian', bytes: NSEC, nanos: true, format: 'pcap-nsec', order: 'le' },
    { name: 'µs, byte-swapped', bytes: swapPcap(USEC), nanos: false, format: 'pcap', order: 'be' },
    { name: 'ns, byte-swapped', bytes: swapPcap(NSEC), nanos: true, format: 'pcap-nsec', order: 'be' },
  ] as const;
  for (const c of cases) {
    test(`${c.name}: agrees with pcap-parser and tshark`, async () => {
      const { info, frames } = parseChunked(c.bytes);
      expect(info.errors).toEqual([]);
      expect([info.format, info.byteOrder, info.versionMajor, info.versionMinor]).toEqual([c.format, c.order, 2, 4]);
      expect(info.packets).toBe(25);
      expect(info.interfaces).toHaveLength(1);
      expect(info.interfaces[0]?.linkType).toBe(1);
      expect(info.interfaces[0]?.snaplen).toBe(262144);
      // tshark -T fields -e frame.time_epoch: first and last frames
      expect([frames[0]?.tsSec, frames[0]?.tsNsec]).toEqual([1795345568, c.nanos ? 187914701 : 187914000]);
      expect([frames[24]?.tsSec, frames[24]?.tsNsec]).toEqual([1795345568, c.nanos ? 199746060 : 199745000]);
      expect(frames.map((f) => f.frameNo)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(frames[0]?.fileOffset).toBe(24);
      await expectOracleAgrees(c.bytes, frames, c.nanos);
    });
  }

  test('every chunk size 1..N gives the same frames', () => {
    const whole = fingerprint(parseChunked(USEC).frames);
    for (let size = 1; size <= USEC.length; size++) {
      const { info, frames } = parseChunked(USEC, size);
      if (info.errors.length > 0 || fingerprint(frames) !== whole) throw new Error(`chunk size ${size}: ${frames.length} frames differ; ${info.errors.map(String).join()}`);
    }
  });

  test('cut at every length: earlier records delivered, exact truncation error', () => {
    const ends: number[] = [];
    parseChunked(USEC).frames.forEach((f) => ends.push(f.fileOffset + 16 + f.caplen));
    for (let cut = 0; cut < USEC.length; cut++) {
      const { info, frames } = parseChunked(USEC.subarray(0, cut));
      const complete = ends.filter((e) => e <= cut).length;
      expect(frames.length).toBe(complete);
      const atBoundary = cut === 24 || ends.includes(cut);
      if (atBoundary) {
        expect(info.errors).toEqual([]);
        continue;
      }
      const start = cut < 24 ? 0 : complete === 0 ? 24 : (ends[complete - 1] as number);
      expect(errs(info)).toEqual([{ code: 'ERR_TRUNCATED_FILE', fileOffset: start, recordIndex: cut < 24 ? 0 : complete + 1 }]);
      expect(info.cutShort).toBe(true);
    }
  });
});

const rec = (i: number, len = 60, extra: Partial<PcapRecord> = {}): PcapRecord => ({ sec: 1_700_000_000 + i, frac: i * 1000, data: payload(len, i), ...extra });

describe('pcap reader on hand-made files', () => {
  test('big-endian ns file with a snaplen-cut record', () => {
    const f = pcapFile([rec(1), rec(2, 40, { orig: 1500 })], { le: false, nanos: true, linkType: 113 });
    const { info, frames } = parseChunked(f);
    expect(info.byteOrder).toBe('be');
    expect(frames.map((x) => [x.tsSec, x.tsNsec, x.caplen, x.origLen, x.linkType])).toEqual([
      [1_700_000_001, 1000, 60, 60, 113],
      [1_700_000_002, 2000, 40, 1500, 113],
    ]);
    expect([info.truncatedRecords, info.capturedBytes, info.wireBytes]).toEqual([1, 100, 1560]);
  });

  test('link type field: FCS bits (28-31) and reserved bits are masked off', () => {
    const { info, frames } = parseChunked(pcapFile([rec(1)], { linkType: 0x1400_0001 | (1 << 27) }));
    expect(info.interfaces[0]?.linkType).toBe(1);
    expect(frames[0]?.linkType).toBe(1);
  });

  test('Kuznetzov modified pcap (a1b2cd34, 24-byte record headers), both byte orders', () => {
    const f = pcapFile([rec(1), rec(2, 10)], { kuznetzov: true });
    for (const bytes of [f, swapPcap(f)]) {
      const { info, frames } = parseChunked(bytes);
      expect(info.errors).toEqual([]);
      expect(info.format).toBe('pcap');
      expect(frames.map((x) => [x.fileOffset, x.caplen, x.tsNsec])).toEqual([[24, 60, 1_000_000], [108, 10, 2_000_000]]);
      expect(frames[1]?.data).toEqual(payload(10, 2));
    }
  });

  test('out-of-range µs field: wiretap arithmetic, counted (like tcpdump timestamp_invalid_micro.pcap)', () => {
    const f = pcapFile([rec(0, 20, { sec: 1418145369, frac: 999_999 }), rec(0, 20, { sec: 1418145370, frac: 1_000_000 }), rec(0, 20, { sec: 1418145370, frac: 0x80000000 })]);
    const { info, frames } = parseChunked(f);
    // tshark: 1418145369.999999, 1418145370 + 1 s (relative time 1.000001), 1418145370.000000000 (32-bit wrap)
    expect(frames.map((x) => [x.tsSec, x.tsNsec])).toEqual([[1418145369, 999_999_000], [1418145371, 0], [1418145370, 0]]);
    expect(info.badTimestamps).toBe(2);
  });

  test('out-of-range ns field carries into seconds', () => {
    const { frames } = parseChunked(pcapFile([rec(0, 4, { sec: 10, frac: 2_500_000_000 })], { nanos: true }));
    expect([frames[0]?.tsSec, frames[0]?.tsNsec]).toEqual([12, 500_000_000]);
  });

  test('caplen above snaplen but <= 262144 is kept whole (wiretap/tshark)', () => {
    const { info, frames } = parseChunked(pcapFile([rec(1, 200)], { snaplen: 96 }));
    expect(info.errors).toEqual([]);
    expect(frames[0]?.caplen).toBe(200);
  });

  test('version 2.2: swapped caplen/len are put right (libpcap)', () => {
    const f = pcapFile([rec(1, 50, { caplen: 1500, orig: 50 })], { minor: 2 });
    // caplen field 1500, len 50 → really caplen 50, len 1500: only 50 bytes follow.
    const { info, frames } = parseChunked(f);
    expect(info.errors).toEqual([]);
    expect([frames[0]?.caplen, frames[0]?.origLen]).toEqual([50, 1500]);
  });

  const bad = [
    { name: 'major version 1', bytes: pcapFile([rec(1)], { major: 1 }), code: 'ERR_UNSUPPORTED_VERSION', offset: 0, index: 0 },
    { name: 'major version 3', bytes: pcapFile([rec(1)], { major: 3 }), code: 'ERR_UNSUPPORTED_VERSION', offset: 0, index: 0 },
    { name: 'minor version 5', bytes: pcapFile([rec(1)], { minor: 5 }), code: 'ERR_UNSUPPORTED_VERSION', offset: 0, index: 0 },
    {
      name: 'record of 4 MB after 2 good ones (suricata tls_DER-incomplete-header)',
      bytes: pcapFile([rec(1), rec(2), rec(3, 8, { caplen: 4325376 })]),
      code: 'ERR_BAD_LENGTH',
      offset: 24 + 2 * 76,
      index: 3,
      delivered: 2,
    },
    { name: 'caplen 262145', bytes: pcapFile([rec(1, 8, { caplen: 262145 })]), code: 'ERR_BAD_LENGTH', offset: 24, index: 1 },
    { name: 'body cut off', bytes: pcapFile([rec(1), rec(2)]).subarray(0, 24 + 76 + 30), code: 'ERR_TRUNCATED_FILE', offset: 100, index: 2, delivered: 1 },
    { name: 'record header cut off', bytes: pcapFile([rec(1), rec(2)]).subarray(0, 24 + 76 + 5), code: 'ERR_TRUNCATED_FILE', offset: 100, index: 2, delivered: 1 },
  ];
  for (const c of bad) {
    test(`fault: ${c.name}`, () => {
      for (const chunk of [c.bytes.length, 1, 7]) {
        const { info, frames } = parseChunked(c.bytes, chunk, 'x.pcap');
        expect(errs(info)).toEqual([{ code: c.code, fileOffset: c.offset, recordIndex: c.index }]);
        expect(info.cutShort).toBe(true);
        expect(frames.length).toBe(c.delivered ?? 0);
        expect(info.errors[0]?.message).toContain(`x.pcap: at byte offset ${c.offset}`);
      }
    });
  }

  test('a 262144-byte record is accepted, also straddling chunks', () => {
    const big = pcapFile([rec(1, 262144), rec(2)]);
    for (const chunk of [big.length, 65536, 1000]) {
      const { info, frames } = parseChunked(big, chunk);
      expect(info.errors).toEqual([]);
      expect(frames.map((f) => f.caplen)).toEqual([262144, 60]);
      expect(Buffer.from(frames[0]?.data ?? []).equals(payload(262144, 1))).toBe(true);
    }
  });
});
