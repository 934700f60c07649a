/**
 * Oracle for the per-segment classifier (src/analysis/segment-classifier.ts): tshark 4.0's
 * `tcp.analysis.*` flags, frame by frame and flag by flag, on
 *  - every real fixture capture (fixtures/*.pcap, *.pcapng) run through the real pipeline, and
 *  - scripted captures (real packet bytes built here) for the subtle rules: the order of the
 *    retransmission checks, SYN/FIN in the out-of-order test, the dup-ACK run across a window
 *    update, zero-window probes and their ACKs, the unsigned dup-ACK counter after an ACKed
 *    unseen segment, a resent SYN after an RST, window scaling with one SYN, sequence wrap.
 * Exact agreement is required except the catalog's deliberate difference (Linux persist probes,
 * recognised by scripts/conformance/analysis-check.ts), which must show up where expected.
 * Skipped, with a message, when tshark is not installed (CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { collectSegments, compareFlags, TSHARK_FLAGS, type FlagDiff } from '../../scripts/conformance/analysis-check.js';
import { buildFrame, TCP_FLAG as F, type TcpOption } from '../../src/synth/packet.js';
import { PcapWriter } from '../../src/synth/pcap-writer.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { HAS_TSHARK, NO_TSHARK_MSG, writeTmp } from '../synth/tshark.js';

/** tshark's frames per tcp.analysis flag (default preferences, one pass, as the reference corpus). */
function tsharkFlags(file: string): Record<string, number[]> {
  const args = ['-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', ...TSHARK_FLAGS.flatMap((f) => ['-e', `tcp.analysis.${f}`])];
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const flags: Record<string, number[]> = {};
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    TSHARK_FLAGS.forEach((f, i) => {
      if ((cells[i + 1] ?? '') !== '') (flags[f] ??= []).push(Number(cells[0]));
    });
  }
  return flags;
}

async function compare(file: string): Promise<{ diffs: FlagDiff[]; agreeing: number }> {
  const { rows, diffs } = compareFlags(tsharkFlags(file), await collectSegments(file));
  return { diffs, agreeing: TSHARK_FLAGS.reduce((n, f) => n + rows[f].agree, 0) };
}

const show = (d: FlagDiff): string => `#${d.frame} ${d.flag} ${d.side}${d.reason !== null ? ' (deliberate)' : ''}`;

/** The deliberate differences expected on the fixtures (everything else must agree). */
const DELIBERATE: Record<string, string[]> = {
  // Linux persist probes (0 bytes at snd_una-1) while the server's window is 0, and the answer to the first.
  'slow-reader.client.pcap': ['#12 zero_window_probe tcpscope-only (deliberate)', '#12 keep_alive tshark-only (deliberate)', '#13 zero_window_probe_ack tcpscope-only (deliberate)', '#14 zero_window_probe tcpscope-only (deliberate)', '#14 keep_alive tshark-only (deliberate)'],
};

describe.skipIf(!HAS_TSHARK)('classifier vs tshark 4.0 on the real fixtures', () => {
  test.each(FIXTURE_CAPTURES)('%s: every tcp.analysis flag on every frame', async (name) => {
    const { diffs } = await compare(fixturePath(name));
    expect(diffs.map(show)).toEqual(DELIBERATE[name] ?? []);
  });
});

// ------------------------------------------------------------------------------------ scripted captures

/** One scripted segment: direction, time (ms), flags, seq/ack relative to the ISNs, payload, raw window. */
interface Row {
  d: 'c' | 's';
  t: number;
  f: number;
  seq: number;
  ack?: number;
  len?: number;
  win?: number;
  ws?: number;
}

const A = F.ACK;
const HANDSHAKE: Row[] = [
  { d: 'c', t: 0, f: F.SYN, seq: 0 },
  { d: 's', t: 10, f: F.SYN | A, seq: 0, ack: 1 },
  { d: 'c', t: 20, f: A, seq: 1, ack: 1 },
];

/** A nanosecond pcap of the rows (client 10.0.0.1:40000, server 10.0.0.2:80). */
async function script(name: string, rows: readonly Row[], isnC = 0x10000000, isnS = 0x70000000): Promise<string> {
  const w = new PcapWriter({ nanosecond: true });
  for (const r of rows) {
    const c = r.d === 'c';
    const options: TcpOption[] = r.ws !== undefined ? [{ kind: 'ws', shift: r.ws }] : [];
    const data = buildFrame({
      ip: { version: 4, src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1' },
      tcp: {
        srcPort: c ? 40000 : 80, dstPort: c ? 80 : 40000, flags: r.f, window: r.win ?? 1000, options,
        seq: ((c ? isnC : isnS) + r.seq) >>> 0, ack: r.ack === undefined ? 0 : ((c ? isnS : isnC) + r.ack) >>> 0,
        payload: new Uint8Array(r.len ?? 0),
      },
    });
    const ns = Math.round(r.t * 1e6);
    w.writePacket({ tsSec: 1_700_000_000 + Math.floor(ns / 1e9), tsNsec: ns % 1e9, data });
  }
  return writeTmp(`classifier-${name}.pcap`, (await w.finish())!);
}

interface ScriptCase {
  name: string;
  rows: Row[];
  /** What tshark says on the telling frame (documentation; the test compares every frame anyway). */
  why: string;
  isnC?: number;
  /** The only frames allowed to differ: the catalog's deliberate difference, or a tshark flow quirk explained in the case. */
  expectedDiffs?: string[];
}

const CASES: ScriptCase[] = [
  {
    name: 'spurious before out-of-order',
    why: 'frame 7 is already acknowledged and within the OOO threshold: spurious wins (checked first in 4.0)',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 'c', t: 30.1, f: A, seq: 101, ack: 1, len: 100 }, { d: 's', t: 30.2, f: A, seq: 1, ack: 101 }, { d: 'c', t: 30.5, f: A, seq: 1, ack: 1, len: 50 }],
  },
  {
    name: 'resent FIN ends at nextSeq',
    why: 'frame 6 repeats data+FIN ending exactly at nextSeq (FIN counted): retransmission, not out-of-order',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 'c', t: 30.1, f: A | F.FIN, seq: 101, ack: 1, len: 100 }, { d: 'c', t: 30.2, f: A | F.FIN, seq: 101, ack: 1, len: 100 }],
  },
  {
    name: 'new data from nextSeq-1',
    why: 'frame 6 (1 byte at nextSeq-1) is a keep-alive; frame 7 (5 bytes there) is neither retransmission nor out-of-order',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 'c', t: 30.1, f: A, seq: 100, ack: 1, len: 100 }, { d: 'c', t: 90, f: A, seq: 199, ack: 1, len: 1 }, { d: 'c', t: 190, f: A, seq: 199, ack: 1, len: 5 }],
  },
  {
    name: 'dup-ACK run across a window update',
    why: 'the run continues while the ACK number stays (#1, window update, #2, #3, data, #4)',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 's', t: 40, f: A, seq: 1, ack: 101 }, { d: 's', t: 41, f: A, seq: 1, ack: 101 }, { d: 's', t: 42, f: A, seq: 1, ack: 101, win: 2000 }, { d: 's', t: 43, f: A, seq: 1, ack: 101, win: 2000 }, { d: 's', t: 44, f: A, seq: 1, ack: 101, win: 2000 }, { d: 's', t: 45, f: A | F.PSH, seq: 1, ack: 101, win: 2000, len: 10 }, { d: 's', t: 46, f: A, seq: 11, ack: 101, win: 2000 }],
  },
  {
    name: 'zero-window probes and their ACKs',
    why: '1-byte probe, ACK taking the byte (acked unseen), probe again (probe + spurious), probe ACK; then a Linux-shaped probe (deliberate)',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 's', t: 40, f: A, seq: 1, ack: 101, win: 0 }, { d: 'c', t: 240, f: A, seq: 101, ack: 1, len: 1 }, { d: 's', t: 250, f: A, seq: 1, ack: 102, win: 0 }, { d: 'c', t: 450, f: A, seq: 101, ack: 1, len: 1 }, { d: 's', t: 460, f: A, seq: 1, ack: 102, win: 0 }, { d: 'c', t: 850, f: A, seq: 100, ack: 1 }, { d: 's', t: 860, f: A, seq: 1, ack: 102, win: 0 }],
    expectedDiffs: ['#10 zero_window_probe tcpscope-only (deliberate)', '#10 keep_alive tshark-only (deliberate)', '#11 zero_window_probe_ack tcpscope-only (deliberate)'],
  },
  {
    name: 'dup-ACK counter left at 2^32-1 after an ACKed unseen segment',
    why: "frame 7 ACKs unseen data when the client's maxSeqToBeAcked equals its nextSeq: the client's counter becomes -1 (unsigned), so frame 8 is a fast retransmission",
    rows: [...HANDSHAKE, { d: 's', t: 30, f: A, seq: 1, ack: 1, len: 50 }, { d: 's', t: 30.5, f: A, seq: 51, ack: 1, len: 50 }, { d: 'c', t: 31, f: A, seq: 1, ack: 51 }, { d: 's', t: 32, f: A, seq: 101, ack: 101 }, { d: 's', t: 32.5, f: A, seq: 51, ack: 101, len: 50 }],
  },
  {
    name: 'lost segment, ACKed unseen, out-of-order within the handshake RTT',
    why: 'frame 8 arrives 14 ms after the highest segment, below the 20 ms handshake RTT',
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 'c', t: 31, f: A, seq: 201, ack: 1, len: 100 }, { d: 's', t: 40, f: A, seq: 1, ack: 301 }, { d: 's', t: 41, f: A, seq: 1, ack: 101 }, { d: 'c', t: 45, f: A, seq: 101, ack: 1, len: 100 }],
  },
  {
    name: 'resent SYN after a stray segment',
    why: 'the second SYN (same ISN) restores nextSeq to maxSeqToBeAcked: frame 6 is plain data',
    rows: [{ d: 'c', t: 0, f: F.SYN, seq: 0 }, { d: 'c', t: 5, f: A, seq: 1000, ack: 0 }, { d: 'c', t: 1000, f: F.SYN, seq: 0 }, { d: 's', t: 1010, f: F.SYN | A, seq: 0, ack: 1 }, { d: 'c', t: 1020, f: A, seq: 1, ack: 1 }, { d: 'c', t: 1030, f: A, seq: 1, ack: 1, len: 10 }],
    // tshark also flags the SYN/ACK (frame 4) reused_ports, having taken the server's base sequence from frame 2's ACK field; same connection.
    expectedDiffs: ['#4 reused_ports tshark-only'],
  },
  {
    name: 'window full with only the SYN (WS 2) captured',
    why: "Wireshark scales the client's windows by the SYN's shift without the SYN/ACK: 100 << 2 = 400 bytes fill it",
    rows: [{ d: 'c', t: 0, f: F.SYN, seq: 0, ws: 2 }, { d: 'c', t: 20, f: A, seq: 1, ack: 1, win: 100 }, { d: 's', t: 25, f: A, seq: 1, ack: 1, win: 100 }, { d: 's', t: 30, f: A, seq: 1, ack: 1, len: 400 }, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }],
  },
  {
    name: 'window full, dup ACK and retransmissions across the 2^32 wrap',
    why: 'the client ISN is 2^32-50: its data wraps; the same rules hold modulo 2^32',
    isnC: 0xffffffce,
    rows: [...HANDSHAKE, { d: 'c', t: 30, f: A, seq: 1, ack: 1, len: 100 }, { d: 'c', t: 30.2, f: A, seq: 101, ack: 1, len: 100 }, { d: 's', t: 40, f: A, seq: 1, ack: 101 }, { d: 's', t: 41, f: A, seq: 1, ack: 101 }, { d: 's', t: 42, f: A, seq: 1, ack: 101 }, { d: 'c', t: 43, f: A, seq: 101, ack: 1, len: 100 }, { d: 'c', t: 300, f: A, seq: 101, ack: 1, len: 100 }, { d: 's', t: 310, f: A, seq: 1, ack: 201 }, { d: 'c', t: 320, f: A, seq: 201, ack: 1, len: 800 }],
  },
];

describe.skipIf(!HAS_TSHARK)('classifier vs tshark 4.0 on scripted captures', () => {
  test.each(CASES)('$name', async (c) => {
    const file = await script(c.name.replace(/\W+/g, '-'), c.rows, c.isnC);
    const { diffs, agreeing } = await compare(file);
    expect(diffs.map(show), c.why).toEqual(c.expectedDiffs ?? []);
    expect(agreeing, 'the case must exercise at least one flag').toBeGreaterThan(0);
  });
});

if (!HAS_TSHARK) test.skip(`classifier vs tshark: ${NO_TSHARK_MSG}`, () => undefined);
