/**
 * The Ethernet/IPv4/TCP fast path (src/dissectors/fast-path.ts) must leave a DecodedPacket
 * exactly as the general path does: every field, on every real packet, on synthetic packets,
 * on mutated and truncated copies (which exercise its shape checks), and in any order of frames
 * decoded into one reused DecodedPacket (its lazy reset of field groups).
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import { decodePacket, decodePacketGeneral } from '../../src/dissectors/decode.js';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { buildFrame, TCP_FLAG } from '../../src/synth/packet.js';
import type { TcpOption } from '../../src/synth/packet.js';
import { REAL_PACKETS } from './real-packets.js';
import { prng } from '../helpers/prng.js';

interface Frame {
  bytes: Uint8Array;
  off: number;
  caplen: number;
  linkType: number;
}

/** Every observable value of `p`: own fields (not the internal dirty mask), used array entries, the getter. */
function snapshot(p: DecodedPacket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'dirtyGroups' || k === 'vlanIds' || k === 'sackBlocks') continue;
    out[k] = v;
  }
  out.vlanIds = Array.from(p.vlanIds.subarray(0, p.vlanCount));
  out.sackBlocks = Array.from(p.sackBlocks.subarray(0, 2 * p.sackCount));
  out.src4 = p.src4;
  out.dst4 = p.dst4;
  out.isMalformedOrTruncated = p.isMalformedOrTruncated;
  return out;
}

function general(f: Frame): Record<string, unknown> {
  const p = new DecodedPacket();
  decodePacketGeneral(p, f.bytes, f.off, f.caplen, f.linkType);
  return snapshot(p);
}

const real: Frame[] = REAL_PACKETS.map((c) => ({ bytes: c.bytes, off: 0, caplen: c.bytes.length, linkType: c.linkType }));

/** Ethernet/IPv4/TCP frames with the option layouts seen in practice, and some that are not. */
function optionFrames(): Frame[] {
  const layouts: TcpOption[][] = [
    [],
    [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 0xfedcba98, ecr: 0x01020304 }],
    [{ kind: 'mss', value: 1460 }, { kind: 'sack-permitted' }, { kind: 'ts', val: 1, ecr: 0 }, { kind: 'nop' }, { kind: 'ws', shift: 7 }],
    [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[0x80000000, 0x80001000], [5, 9]] }],
    [{ kind: 'mss', value: 536 }],
    [{ kind: 'tfo', cookie: new Uint8Array(8) }, { kind: 'raw', bytes: Uint8Array.of(99, 4, 1, 2) }],
    [{ kind: 'raw', bytes: Uint8Array.of(8, 3, 0) }], // malformed timestamp length
  ];
  const out: Frame[] = [];
  for (const [i, options] of layouts.entries()) {
    const bytes = buildFrame({
      ip: { version: 4, src: '10.0.0.1', dst: '192.168.200.250', id: i, df: i % 2 === 0, ttl: 64 - i, tos: i },
      tcp: { srcPort: 40000 + i, dstPort: 443, seq: 0xfffffff0 - i, ack: 0x9abcdef0, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, options, payload: new Uint8Array(10 * i) },
    });
    out.push({ bytes, off: 0, caplen: bytes.length, linkType: 1 });
  }
  return out;
}

/** Packets of the benchmark capture generator (handshakes, data, ACKs, FINs; snap length cuts). */
async function benchFrames(n: number): Promise<Frame[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscope-fast-path-'));
  try {
    const file = join(dir, 'bench.pcap');
    await writeBenchCapture(file, { packets: n, flows: 50, seed: 7 });
    const data = readFileSync(file);
    const out: Frame[] = [];
    parseCaptureBytes(data, file, (f) => {
      out.push({ bytes: f.buf.slice(f.off, f.off + f.caplen), off: 0, caplen: f.caplen, linkType: f.linkType });
    });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies of `f` with header bytes of the link, IP and TCP headers replaced at random. */
function mutations(frames: readonly Frame[], count: number, seed: number): Frame[] {
  const rnd = prng(seed);
  const out: Frame[] = [];
  const interesting = [0, 1, 4, 5, 6, 0x3f, 0x40, 0x45, 0x46, 0x4f, 0x50, 0x60, 0x80, 0xf0, 0xff];
  for (let i = 0; i < count; i++) {
    const f = frames[Math.floor(rnd() * frames.length)]!;
    const bytes = f.bytes.slice(f.off, f.off + f.caplen);
    const flips = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < flips; j++) {
      const at = Math.floor(rnd() * Math.min(bytes.length, 80));
      bytes[at] = rnd() < 0.5 ? interesting[Math.floor(rnd() * interesting.length)]! : Math.floor(rnd() * 256);
    }
    const caplen = rnd() < 0.3 ? Math.floor(rnd() * (bytes.length + 1)) : bytes.length;
    out.push({ bytes, off: 0, caplen, linkType: rnd() < 0.9 ? 1 : f.linkType });
  }
  return out;
}

function expectSameAsGeneral(frames: readonly Frame[], reused: DecodedPacket, what: string): void {
  for (const [i, f] of frames.entries()) {
    decodePacket(reused, f.bytes, f.off, f.caplen, f.linkType);
    const fast = snapshot(reused);
    const want = general(f);
    if (JSON.stringify(fast) !== JSON.stringify(want)) expect(fast, `${what} #${i}`).toEqual(want);
  }
}

describe('fast path equals the general path', () => {
  test('every real packet, fresh and reused DecodedPacket, in order and shuffled', () => {
    for (const f of real) expectSameAsGeneral([f], new DecodedPacket(), 'fresh');
    const reused = new DecodedPacket();
    expectSameAsGeneral(real, reused, 'in order');
    const rnd = prng(11);
    const shuffled = [...real, ...real, ...real].sort(() => rnd() - 0.5);
    expectSameAsGeneral(shuffled, reused, 'shuffled');
  });

  test('TCP option layouts, each after every real packet', () => {
    const opts = optionFrames();
    const reused = new DecodedPacket();
    for (const o of opts) {
      for (const r of real) expectSameAsGeneral([r, o, o], reused, 'options');
    }
  });

  test('a few thousand synthetic benchmark packets, mixed with real ones', async () => {
    const bench = await benchFrames(3000);
    expect(bench.length).toBe(3000);
    const reused = new DecodedPacket();
    expectSameAsGeneral(bench, reused, 'bench');
    const rnd = prng(5);
    const mixed = [...bench.slice(0, 500), ...real, ...optionFrames()].sort(() => rnd() - 0.5);
    expectSameAsGeneral(mixed, reused, 'mixed');
  });

  test('mutated and truncated frames (shape checks of the fast path)', () => {
    const base = [...real, ...optionFrames()];
    expectSameAsGeneral(mutations(base, 10000, 3), new DecodedPacket(), 'mutated');
  });

  test('a frame inside a bigger buffer at an offset, and a caplen past the buffer', () => {
    const f = optionFrames()[2]!;
    const big = new Uint8Array(f.bytes.length + 37);
    big.set(f.bytes, 37);
    const reused = new DecodedPacket();
    expectSameAsGeneral([{ bytes: big, off: 37, caplen: f.caplen, linkType: 1 }], reused, 'offset');
    expectSameAsGeneral([{ bytes: big, off: 37, caplen: f.caplen + 100, linkType: 1 }], reused, 'caplen past end');
    expectSameAsGeneral([{ bytes: big, off: 37, caplen: -5, linkType: 1 }], reused, 'negative caplen');
  });
});
