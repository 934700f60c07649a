import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseChunked, errs, fingerprint } from './collect.js';
import { block, concat, epb, idb, isb, optI64, optStr, optU32, optU8, payload, pb, shb, spb, Bytes } from '../helpers/capture-bytes.js';
import { tickScale, ticksToTs } from '../../src/capture/pcapng-time.js';

const DUMPCAP = new Uint8Array(readFileSync(fileURLToPath(new URL('./data/dumpcap-lo-any.pcapng', import.meta.url))));

describe('pcapng reader on a real dumpcap capture (-i lo -i any)', () => {
  test('interfaces, link types, timestamps and ISB counters agree with tshark/capinfos', () => {
    const { info, frames } = parseChunked(DUMPCAP);
    expect(info.errors).toEqual([]);
    expect([info.format, info.byteOrder, info.versionMajor, info.versionMinor, info.sections]).toEqual(['pcapng', 'le', 1, 0, 1]);
    expect(info.interfaces.map((i) => [i.name, i.linkType, i.snaplen, i.ticksPerSecond, i.tsresol, i.packets, i.ifRecv, i.ifDrop])).toEqual([
      ['lo', 1, 262144, 1e9, 9, 12, 12, 0],
      ['any', 113, 262144, 1e9, 9, 3, 3, 0],
    ]);
    expect(info.packets).toBe(15);
    expect(info.dropped).toBe(0);
    // tshark -e frame.interface_id -e frame.time_epoch
    expect(frames.slice(0, 4).map((f) => [f.ifIndex, f.linkType, f.tsSec, f.tsNsec])).toEqual([
      [1, 113, 1795345598, 305807139],
      [1, 113, 1795345598, 305912217],
      [1, 113, 1795345598, 305956740],
      [0, 1, 1795345598, 303208105],
    ]);
    expect([frames[14]?.tsSec, frames[14]?.tsNsec, frames[14]?.caplen]).toEqual([1795345598, 304743314, 66]);
  });

  test('every chunk size 1..N gives the same frames', () => {
    const whole = fingerprint(parseChunked(DUMPCAP).frames);
    for (let size = 1; size <= DUMPCAP.length; size++) {
      const { info, frames } = parseChunked(DUMPCAP, size);
      if (info.errors.length > 0 || fingerprint(frames) !== whole) throw new Error(`chunk size ${size} differs`);
    }
  });

  test('cut at every length: blocks before the cut delivered, then ERR_TRUNCATED_FILE at the cut block', () => {
    const blockEnds: number[] = [];
    const dv = new DataView(DUMPCAP.buffer, DUMPCAP.byteOffset);
    for (let p = 0; p < DUMPCAP.length; p += dv.getUint32(p + 4, true)) blockEnds.push(p + dv.getUint32(p + 4, true));
    const all = parseChunked(DUMPCAP).frames;
    for (let cut = 1; cut < DUMPCAP.length; cut++) {
      const { info, frames } = parseChunked(DUMPCAP.subarray(0, cut));
      expect(frames.length).toBe(all.filter((f) => blockEnds.includes(f.fileOffset + dv.getUint32(f.fileOffset + 4, true)) && f.fileOffset + dv.getUint32(f.fileOffset + 4, true) <= cut).length);
      const done = blockEnds.filter((e) => e <= cut);
      if (blockEnds.includes(cut)) expect(info.errors).toEqual([]);
      // Under 4 bytes the format cannot even be detected (record 0 = no record).
      else expect(errs(info)).toEqual([{ code: 'ERR_TRUNCATED_FILE', fileOffset: done.length === 0 ? 0 : (done[done.length - 1] as number), recordIndex: cut < 4 ? 0 : done.length + 1 }]);
    }
  });
});

/** Two sections (LE then BE), three interfaces, every packet block kind, skipped blocks. */
function multiSection(): Uint8Array {
  const LE = true;
  const BE = false;
  return concat(
    shb(LE, { opts: [optStr(4, 'tcpscope test')] }),
    idb(LE, 1, 0, [optStr(2, 'eth0'), optU8(9, 9)]), // ns
    idb(LE, 113, 64, [optU8(9, 0x80 | 10), optI64(LE, 14, 100n)]), // 2^-10 s ticks, +100 s offset
    block(LE, 4, new Bytes(LE).u16(1).u16(8).raw([10, 0, 0, 1]).raw([0x61, 0x62, 0x63, 0]).u32(0).bytes()), // NRB
    epb(LE, 0, 1_700_000_000_123_456_789n, payload(60, 1), { opts: [optU32(LE, 2, 0x1)] }),
    epb(LE, 1, 1024n * 5n + 512n, payload(30, 2), { orig: 90 }),
    spb(LE, 100, payload(100, 3)), // interface 0 snaplen 0 → caplen 100
    block(LE, 0x00000bad, new Bytes(LE).u32(32473).raw([1, 2, 3, 4]).bytes()),
    block(LE, 0x40000bad, new Bytes(LE).u32(32473).bytes()),
    block(LE, 0x0000000a, new Bytes(LE).u32(0x544c534b).u32(4).raw([1, 2, 3, 4]).bytes()), // DSB
    block(LE, 0x12345678, new Uint8Array(8)), // unknown
    isb(LE, 0, 10n, 2n),
    isb(LE, 0, 20n, 3n), // the last ISB per interface counts
    shb(BE, { minor: 2 }),
    idb(BE, 101, 40, [optStr(2, 'raw0'), optU8(9, 6)]),
    spb(BE, 100, payload(100, 4)), // snaplen 40 → caplen 40
    pb(BE, 0, 1_000_000n * 7n + 5n, payload(20, 5), [optU32(BE, 2, 0x2)]),
    isb(BE, 0, null, 4n),
  );
}

describe('pcapng reader on hand-made files', () => {
  test('several sections, byte orders, interfaces, tsresol, tsoffset, SPB, PB, ISB, skipped blocks', () => {
    const f = multiSection();
    const { info, frames } = parseChunked(f);
    expect(info.errors).toEqual([]);
    expect([info.sections, info.byteOrder, info.skippedBlocks, info.packetsWithoutTs]).toEqual([2, 'le', 5, 2]);
    expect(info.interfaces.map((i) => [i.section, i.name, i.linkType, i.ticksPerSecond, i.tsoffset, i.packets, i.ifRecv, i.ifDrop])).toEqual([
      [0, 'eth0', 1, 1e9, 0, 2, 20, 3],
      [0, null, 113, 1024, 100, 1, null, null],
      [1, 'raw0', 101, 1e6, 0, 2, null, 4],
    ]);
    expect(info.dropped).toBe(7);
    expect(frames.map((x) => [x.frameNo, x.ifIndex, x.linkType, x.tsSec, x.tsNsec, x.caplen, x.origLen, x.epbFlags, x.hasTs])).toEqual([
      [1, 0, 1, 1_700_000_000, 123_456_789, 60, 60, 1, true],
      [2, 1, 113, 105, 500_000_000, 30, 90, 0, true],
      [3, 0, 1, 0, 0, 100, 100, 0, false],
      [4, 2, 101, 0, 0, 40, 100, 0, false],
      [5, 2, 101, 7, 5000, 20, 20, 2, true],
    ]);
    expect(frames[3]?.data).toEqual(payload(100, 4).subarray(0, 40));
    expect(frames[4]?.data).toEqual(payload(20, 5));
    const whole = fingerprint(frames);
    for (let size = 1; size <= f.length; size++) {
      if (fingerprint(parseChunked(f, size).frames) !== whole) throw new Error(`chunk size ${size} differs`);
    }
  });

  test('a big-endian file from the first byte', () => {
    const f = concat(shb(false), idb(false, 1, 0), epb(false, 0, 1_500_000_000_000_001n, payload(10)));
    const { info, frames } = parseChunked(f);
    expect(info.byteOrder).toBe('be');
    expect([frames[0]?.tsSec, frames[0]?.tsNsec]).toEqual([1_500_000_000, 1000]);
  });

  test('no ISB: dropped is null', () => {
    const { info } = parseChunked(concat(shb(true), idb(true, 1, 0)));
    expect(info.dropped).toBeNull();
  });

  const ts = (tsresol: number, ticks: bigint, offset = 0): [number, number] => {
    const scale = tickScale(tsresol);
    if (scale === null) throw new Error('no scale');
    const out = { tsSec: 0, tsNsec: 0 };
    ticksToTs(Number(ticks >> 32n), Number(ticks & 0xffffffffn), scale, offset, out);
    return [out.tsSec, out.tsNsec];
  };
  const tsCases: [string, number, bigint, [number, number]][] = [
    ['µs default', -1, 1_422_527_998_578_402n, [1_422_527_998, 578_402_000]],
    ['ns', 9, 1_422_527_998_578_402_281n, [1_422_527_998, 578_402_281]],
    ['ms', 3, 1_000_001n, [1000, 1_000_000]],
    ['1 s', 0, 42n, [42, 0]],
    ['ps (10^-12): truncated to ns', 12, 1_000_000_000_001_999n, [1000, 1]],
    ['10^-15, just below a ns boundary', 15, 999_999_999_999_999n, [0, 999_999_999]],
    ['2^-10', 0x80 | 10, 1024n * 3n + 256n, [3, 250_000_000]],
    ['2^-30 (BigInt path)', 0x80 | 30, (1n << 30n) * 5n + (1n << 29n), [5, 500_000_000]],
    ['near 2^64 µs (pcapplusplus pcapng-example)', 6, 18_446_744_073_204_126_329n, [18_446_744_073_204, 126_329_000]],
    ['2^64-1 ns', 9, 18_446_744_073_709_551_615n, [18_446_744_073, 709_551_615]],
    ['2^53 - 1 µs, exact', 6, 9_007_199_254_740_991n, [9_007_199_254, 740_991_000]],
    ['2^53 - 1 ticks at 10^-7', 7, 9_007_199_254_740_991n, [900_719_925, 474_099_100]],
  ];
  for (const [name, res, ticks, want] of tsCases) {
    test(`timestamp conversion: ${name}`, () => {
      expect(ts(res, ticks)).toEqual(want);
    });
  }

  test('tsoffset is added; a too-fine tsresol is ERR_BAD_OPTION', () => {
    expect(ts(6, 5_000_000n, -3)).toEqual([2, 0]);
    const { info } = parseChunked(concat(shb(true), idb(true, 1, 0, [optU8(9, 20)])));
    expect(errs(info)).toEqual([{ code: 'ERR_BAD_OPTION', fileOffset: 28, recordIndex: 2 }]);
  });

  test('EPB naming an unknown interface: non-fatal, block skipped, later packets delivered', () => {
    const f = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, payload(8)), epb(true, 5, 2n, payload(8)), epb(true, 0, 3n, payload(8)), isb(true, 9, 1n, 1n));
    const { info, frames } = parseChunked(f);
    expect(frames.map((x) => [x.frameNo, x.tsNsec])).toEqual([[1, 1000], [2, 3000]]);
    expect(errs(info)).toEqual([
      { code: 'ERR_BAD_INTERFACE', fileOffset: 28 + 20 + 40, recordIndex: 4 },
      { code: 'ERR_BAD_INTERFACE', fileOffset: 28 + 20 + 40 * 3, recordIndex: 6 },
    ]);
    expect(info.cutShort).toBe(false);
  });

  const good = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, payload(8)));
  const withLen = (lead: number, trail?: number): Uint8Array => concat(good, block(true, 6, new Uint8Array(20), { lead, ...(trail === undefined ? {} : { trail }) }));
  const badOpt = { code: 2, value: new Uint8Array(4), len: 200 };
  const faults: { name: string; bytes: Uint8Array; code: string; offset: number; index: number; delivered: number }[] = [
    { name: 'block length 0 (infinite-loop trap)', bytes: withLen(0), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'block length 8 (< 12)', bytes: withLen(8), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'block length 34 (not a multiple of 4)', bytes: withLen(34), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'leading and trailing lengths disagree', bytes: withLen(32, 36), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'block over 16 MiB', bytes: withLen(0x7ffffff0), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'EPB caplen larger than its block', bytes: concat(good, epb(true, 0, 1n, payload(8), { caplen: 100 })), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'EPB shorter than its fixed fields', bytes: concat(good, block(true, 6, new Uint8Array(12))), code: 'ERR_BAD_LENGTH', offset: 88, index: 4, delivered: 1 },
    { name: 'EPB option running past the block', bytes: concat(good, epb(true, 0, 1n, payload(8), { opts: [badOpt] })), code: 'ERR_BAD_OPTION', offset: 88, index: 4, delivered: 1 },
    { name: 'SHB option running past the block (libpcap shb-option-too-long)', bytes: concat(shb(true, { opts: [badOpt] }), idb(true, 1, 0)), code: 'ERR_BAD_OPTION', offset: 0, index: 1, delivered: 0 },
    {
      name: 'SHB option past the block and a garbage trailer: the option is reported (as libpcap/wiretap)',
      bytes: (() => {
        const b = concat(shb(true, { opts: [{ code: 0x3030, value: new Uint8Array(4), len: 0x3030 }] }), idb(true, 1, 0));
        new DataView(b.buffer).setUint32(shb(true, { opts: [{ code: 1, value: new Uint8Array(4) }] }).length - 4, 0x30303030, true);
        return b;
      })(),
      code: 'ERR_BAD_OPTION',
      offset: 0,
      index: 1,
      delivered: 0,
    },
    { name: 'SHB version 0.1', bytes: concat(shb(true, { major: 0, minor: 1 }), idb(true, 1, 0)), code: 'ERR_UNSUPPORTED_VERSION', offset: 0, index: 1, delivered: 0 },
    { name: 'SHB version 2.0 in a second section', bytes: concat(good, shb(true, { major: 2 })), code: 'ERR_UNSUPPORTED_VERSION', offset: 88, index: 4, delivered: 1 },
    { name: 'bad byte-order magic in a later SHB', bytes: concat(good, block(true, 0x0a0d0d0a, new Bytes(true).u32(0x11223344).u32(1).u64(0n).bytes())), code: 'ERR_BAD_MAGIC', offset: 88, index: 4, delivered: 1 },
    { name: 'block cut off at end of file', bytes: concat(good, epb(true, 0, 1n, payload(8))).subarray(0, 88 + 20), code: 'ERR_TRUNCATED_FILE', offset: 88, index: 4, delivered: 1 },
  ];
  for (const c of faults) {
    test(`fault: ${c.name}`, () => {
      for (const chunk of [c.bytes.length, 1, 5]) {
        const { info, frames } = parseChunked(c.bytes, chunk, 'y.pcapng');
        expect(errs(info)).toEqual([{ code: c.code, fileOffset: c.offset, recordIndex: c.index }]);
        expect(info.cutShort).toBe(true);
        expect(frames.length).toBe(c.delivered);
        expect(info.errors[0]?.message).toMatch(new RegExp(`^y\\.pcapng: at byte offset ${c.offset} \\(record ${c.index}\\): `));
      }
    });
  }
});
