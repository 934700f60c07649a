import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { PcapWriter } from '../../src/synth/pcap-writer.js';
import { PcapngWriter } from '../../src/synth/pcapng-writer.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tmpPath, tsharkColumns, writeTmp } from './tshark.js';

const require = createRequire(import.meta.url);
interface PpHeader { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }
interface PpGlobal { magicNumber: number; snapshotLength: number; linkLayerType: number; majorVersion: number; minorVersion: number }
const pcapParser = require('pcap-parser') as {
  parse(input: string): NodeJS.EventEmitter;
};

/** Read a classic pcap with pcap-parser. */
function readWithPcapParser(path: string): Promise<{ global: PpGlobal | null; packets: { header: PpHeader; data: Buffer }[]; error: Error | null }> {
  return new Promise((resolve) => {
    const p = pcapParser.parse(path);
    const packets: { header: PpHeader; data: Buffer }[] = [];
    let global: PpGlobal | null = null;
    let error: Error | null = null;
    p.on('globalHeader', (h: PpGlobal) => { global = h; });
    p.on('packet', (pk: { header: PpHeader; data: Buffer }) => packets.push({ header: pk.header, data: Buffer.from(pk.data) }));
    p.on('error', (e: Error) => { error = e; });
    p.on('end', () => resolve({ global, packets, error }));
  });
}

const frames = [
  { tsSec: 1_700_000_000, tsNsec: 123_456_789, data: Uint8Array.from({ length: 100 }, (_, i) => i) },
  { tsSec: 1_700_000_001, tsNsec: 999_999_999, data: Uint8Array.from({ length: 40 }, (_, i) => 255 - i) },
  { tsSec: 1_700_000_002, tsNsec: 1_000, data: new Uint8Array(30), origLen: 1514 },
];

async function pcapBytes(nanosecond: boolean, byteOrder: 'le' | 'be'): Promise<Uint8Array> {
  const w = new PcapWriter({ linkType: 1, snaplen: 64, nanosecond, byteOrder });
  for (const f of frames) w.writePacket(f);
  const b = await w.finish();
  if (b === null) throw new Error('memory output expected');
  return b;
}

describe('PcapWriter', () => {
  test('microsecond pcap reads back through pcap-parser (both byte orders)', async () => {
    for (const order of ['le', 'be'] as const) {
      const path = writeTmp(`us-${order}.pcap`, await pcapBytes(false, order));
      const r = await readWithPcapParser(path);
      expect(r.error).toBeNull();
      expect(r.global?.snapshotLength).toBe(64);
      expect(r.global?.linkLayerType).toBe(1);
      expect(r.packets.map((p) => p.header.timestampSeconds)).toEqual(frames.map((f) => f.tsSec));
      expect(r.packets.map((p) => p.header.timestampMicroseconds)).toEqual([123456, 999999, 1]);
      expect(r.packets.map((p) => p.header.capturedLength)).toEqual([64, 40, 30]);
      expect(r.packets.map((p) => p.header.originalLength)).toEqual([100, 40, 1514]);
      expect([...r.packets[0]!.data]).toEqual([...frames[0]!.data.subarray(0, 64)]);
      expect([...r.packets[1]!.data]).toEqual([...frames[1]!.data]);
    }
  });

  test('pcap-parser rejects the nanosecond magic (it only knows 0xa1b2c3d4)', async () => {
    const path = writeTmp('ns.pcap', await pcapBytes(true, 'le'));
    const r = await readWithPcapParser(path);
    expect(r.error?.message).toMatch(/unknown magic number: 4d3cb2a1/);
    expect(r.packets).toHaveLength(0);
  });

  test('file path, Writable and memory outputs are identical', async () => {
    const mem = await pcapBytes(true, 'be');
    const path = tmpPath('file.pcap');
    const wf = new PcapWriter({ out: path, snaplen: 64, nanosecond: true, byteOrder: 'be', bufferSize: 4096 });
    const chunks: Buffer[] = [];
    const pt = new PassThrough();
    pt.on('data', (c: Buffer) => chunks.push(c));
    const ws = new PcapWriter({ out: pt, snaplen: 64, nanosecond: true, byteOrder: 'be' });
    for (const f of frames) {
      wf.writePacket(f);
      ws.writePacket(f);
    }
    expect(await wf.finish()).toBeNull();
    expect(await ws.finish()).toBeNull();
    expect(Buffer.compare(readFileSync(path), Buffer.from(mem))).toBe(0);
    expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(mem))).toBe(0);
  });

  test.skipIf(!HAS_TSHARK)(`tshark reads ns and us pcap timestamps and lengths (${NO_TSHARK_MSG})`, async () => {
    const ns = writeTmp('ns-be.pcap', await pcapBytes(true, 'be'));
    const c = tsharkColumns(ns, ['frame.time_epoch', 'frame.len', 'frame.cap_len']);
    expect(c['frame.time_epoch']).toEqual(['1700000000.123456789', '1700000001.999999999', '1700000002.000001000']);
    expect(c['frame.len']).toEqual(['100', '40', '1514']);
    expect(c['frame.cap_len']).toEqual(['64', '40', '30']);
    const us = writeTmp('us-le2.pcap', await pcapBytes(false, 'le'));
    expect(tsharkColumns(us, ['frame.time_epoch'])['frame.time_epoch']).toEqual([
      '1700000000.123456000', '1700000001.999999000', '1700000002.000001000',
    ]);
  });
});

/** A pcapng with two sections of different byte order and several interface kinds. */
async function pcapngSample(): Promise<Uint8Array> {
  const w = new PcapngWriter({ byteOrder: 'le' });
  w.addInterface({ linkType: 1, snaplen: 0, name: 'eth0', tsresol: 9 });
  w.addInterface({ linkType: 1, snaplen: 50, name: 'eth1', tsresol: 0x80 | 20, tsoffset: 1_000_000 });
  w.writeNameResolution([{ addr: Uint8Array.of(10, 0, 0, 1), names: ['host-a'] }]);
  w.writePacket({ tsSec: 1_700_000_000, tsNsec: 5, data: new Uint8Array(60), ifIndex: 0, flags: 1 });
  w.writePacket({ tsSec: 1_700_000_000, tsNsec: 500_000_000, data: new Uint8Array(80), ifIndex: 1, flags: 2 });
  w.writeCustomBlock(32473, Uint8Array.of(1, 2, 3));
  w.writeSimplePacket(new Uint8Array(42));
  w.writeInterfaceStats(0, 1_700_000_001, 0, { ifRecv: 10, ifDrop: 3 });
  w.startSection('be');
  w.addInterface({ linkType: 101, name: 'raw0' });
  w.writePacket({ tsSec: 1_700_000_002, tsNsec: 250_000, data: new Uint8Array(20), origLen: 1500 });
  const b = await w.finish();
  if (b === null) throw new Error('memory output expected');
  return b;
}

describe('PcapngWriter', () => {
  test('blocks are 4-byte aligned and the trailer repeats the length', async () => {
    const b = Buffer.from(await pcapngSample());
    let off = 0;
    let le = true;
    const types: number[] = [];
    while (off < b.length) {
      const type = b.readUInt32LE(off);
      if (type === 0x0a0d0d0a) le = b.readUInt32LE(off + 8) === 0x1a2b3c4d;
      const len = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
      expect(len % 4).toBe(0);
      expect(le ? b.readUInt32LE(off + len - 4) : b.readUInt32BE(off + len - 4)).toBe(len);
      types.push(le ? type : b.readUInt32BE(off));
      off += len;
    }
    expect(off).toBe(b.length);
    expect(types).toEqual([0x0a0d0d0a, 1, 1, 4, 6, 6, 0xbad, 3, 5, 0x0a0d0d0a, 1, 6]);
  });

  test.skipIf(!HAS_TSHARK)(`tshark decodes sections, interfaces, resolutions and flags (${NO_TSHARK_MSG})`, async () => {
    const path = writeTmp('sample.pcapng', await pcapngSample());
    // tshark 4.0 lists the Custom Block as a record of its own (protocol "data", no timestamp) and
    // reports interface ids of a later section without offsetting them; compare around that.
    const all = tsharkColumns(path, ['frame.time_epoch', 'frame.interface_name', 'frame.len', 'frame.cap_len', 'frame.packet_flags_direction', 'frame.protocols']);
    const keep = all['frame.protocols']!.map((p, i) => (p === 'data' ? -1 : i)).filter((i) => i >= 0);
    const c = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, keep.map((i) => v[i] ?? '')]));
    expect(all['frame.protocols']).toEqual(['eth:ethertype:data', 'eth:ethertype:data', 'data', 'eth:ethertype:data', 'raw:ip']);
    expect(c['frame.interface_name']!.slice(0, 3)).toEqual(['eth0', 'eth1', 'eth0']);
    expect(c['frame.len']).toEqual(['60', '80', '42', '1500']);
    expect(c['frame.cap_len']).toEqual(['60', '50', '42', '20']);
    expect(c['frame.packet_flags_direction']).toEqual(['0x00000001', '0x00000002', '', '']);
    const t = c['frame.time_epoch']!;
    expect(t[0]).toBe('1700000000.000000005');
    // 2^-20 s resolution with if_tsoffset: exact to within one tick (~954 ns).
    expect(Math.abs(Number(t[1]) - 1_700_000_000.5)).toBeLessThan(1e-6);
    expect(t[2]).toBe(''); // SPB: no timestamp
    expect(t[3]).toBe('1700000002.000250000');
    const info = execFileSync('capinfos', [path], { encoding: 'utf8' });
    expect(info).toMatch(/Number of interfaces in file: 3/);
    expect(info).toMatch(/Time resolution = 0x94/);
    expect(info).toMatch(/Timestamp offset = 1000000/);
    expect(info).toMatch(/Number of stat entries = 1/);
  });
});
