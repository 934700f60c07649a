/**
 * Table-driven tests of the per-segment classifier (src/analysis/segment-classifier.ts), built from
 * hand-made segments (test/helpers/tcp-seg.ts) fed with exact nanosecond times: every code with
 * positive and negative cases, the 20 ms fast-retransmission and the out-of-order (handshake RTT)
 * boundaries, sequence wrap, unknown window scale, the evidence fields and the read-only state.
 * Each expectation follows Wireshark 4.0 (checked against tshark in classifier-tshark.test.ts),
 * except the catalog's one deliberate difference, whose reasoning is written at its case.
 */
import { describe, expect, test } from 'vitest';
import { DIR, type Direction } from '../../src/core/direction.js';
import { SegmentClassifier } from '../../src/analysis/segment-classifier.js';
import { SCALE_UNKNOWN, SEG, SEG_CODE } from '../../src/analysis/seg-flags.js';
import { ACK, FIN, PSH, RST, SEG as TEMPLATE, SYN, packet, type Seg } from '../helpers/tcp-seg.js';

const C = DIR.C2S;
const S = DIR.S2C;
/** ISNs: client data starts at 1001, server data at 5001 (relative numbers below are added to these). */
const ISN: Record<Direction, number> = { [C]: 1000, [S]: 5000 };
const T0 = 1_700_000_000;

/** One step: direction, time in ms (exact to the ns), segment fields (seq/ack relative to the ISNs), expected codes. */
interface Step {
  d: Direction;
  ms: number;
  s: Partial<Seg>;
  want?: string[];
  /** Raw sequence numbers (no ISN added). */
  raw?: boolean;
}

const NAMES = new Map<number, string>([...SEG_CODE.map(([b, n]) => [b, n] as [number, string]), [SEG.PROBE_KEEPALIVE_SHAPE, 'probe_keepalive_shape']]);

function names(bits: number): string[] {
  return [...NAMES].filter(([b]) => (bits & b) !== 0).map(([, n]) => n);
}

/** Run the steps through one classifier; returns it and the codes per step. */
function run(steps: readonly Step[]): { cls: SegmentClassifier; got: string[][] } {
  const cls = new SegmentClassifier();
  const got = steps.map((st, i) => {
    const s: Seg = { ...TEMPLATE, ...st.s };
    if (st.raw !== true) {
      s.seq = (ISN[st.d] + s.seq) >>> 0;
      s.ack = (ISN[(st.d ^ 1) as Direction] + s.ack) >>> 0;
    }
    const ns = Math.round(st.ms * 1e6);
    const sec = T0 + Math.floor(ns / 1e9);
    return names(cls.classify(packet(s), st.d, i + 1, sec + (ns % 1e9) / 1e9, sec, ns % 1e9));
  });
  return { cls, got };
}

function check(steps: readonly Step[]): SegmentClassifier {
  const { cls, got } = run(steps);
  expect(got).toEqual(steps.map((s) => s.want ?? []));
  return cls;
}

/** SYN, SYN/ACK (10 ms later), ACK (20 ms): handshake RTT 20 ms; scales 2 (client) and 3 (server) unless given. */
function handshake(wsC: number | null = 2, wsS: number | null = 3): Step[] {
  return [
    { d: C, ms: 0, s: { flags: SYN, seq: 0, ack: -ISN[S], ...(wsC !== null ? { wscale: wsC } : {}) } },
    { d: S, ms: 10, s: { flags: SYN | ACK, seq: 0, ack: 1, ...(wsS !== null ? { wscale: wsS } : {}) } },
    { d: C, ms: 20, s: { flags: ACK, seq: 1, ack: 1 } },
  ];
}

const data = (d: Direction, ms: number, seq: number, len: number, ack = 1, extra: Partial<Seg> = {}): Step => ({ d, ms, s: { flags: ACK | PSH, seq, ack, len, ...extra } });
const pure = (d: Direction, ms: number, seq: number, ack: number, window = 1000, flags: number = ACK): Step => ({ d, ms, s: { flags, seq, ack, window } });

interface Case {
  name: string;
  steps: Step[];
}

const CASES: Case[] = [
  // ---- zero window, window update, window full
  {
    name: 'zero_window only without SYN/FIN/RST; window_update needs seq = nextSeq, same ACK, new non-zero window',
    steps: [...handshake(), data(C, 30, 1, 100), { ...pure(S, 31, 1, 101, 0), want: ['zero_window'] }, pure(S, 32, 1, 101, 0, ACK | FIN),
      { ...pure(S, 300, 2, 101, 500), want: ['window_update'] }, { ...pure(S, 301, 2, 101, 500), want: ['duplicate_ack'] }, pure(S, 302, 2, 101, 0, RST)],
  },
  {
    name: 'window_update negative: ACK number moved, or payload, or window unchanged',
    steps: [...handshake(), data(C, 30, 1, 100), pure(S, 31, 1, 50, 700), pure(S, 32, 1, 101, 800), { ...data(S, 33, 1, 10, 101, { window: 900 }) }],
  },
  {
    name: 'window_full: payload ends at lastAck + (window << scale), scale 3 here; not one byte short; not on FIN',
    steps: [...handshake(2, 3), { ...pure(S, 25, 1, 1, 100), want: ['window_update'] }, { ...data(C, 30, 1, 800), want: ['window_full'] },
      pure(S, 40, 1, 801, 100), data(C, 41, 801, 799), pure(S, 50, 1, 1600, 100), { d: C, ms: 51, s: { flags: ACK | FIN, seq: 1600, ack: 1, len: 801 } }],
  },
  {
    name: "window_full uses the receiver's SYN/ACK window unscaled until it sends an ACK (Wireshark's is_first_ack)",
    steps: [{ d: C, ms: 0, s: { flags: SYN, seq: 0, wscale: 2, window: 100 } }, { d: S, ms: 10, s: { flags: SYN | ACK, seq: 0, ack: 1, wscale: 3, window: 200 } },
      { ...data(C, 20, 1, 200), want: ['window_full'] }],
  },
  {
    name: 'window scale unknown (no SYN captured): never window_full',
    steps: [pure(S, 0, 1, 1, 100), data(C, 1, 1, 100), data(C, 2, 101, 300)],
  },
  // ---- zero-window probes and the deliberate difference
  {
    name: 'zero_window_probe: 1 byte at nextSeq while the peer window is 0; its ACK (window 0, same ACK) is zero_window_probe_ack',
    steps: [...handshake(), data(C, 30, 1, 100), { ...pure(S, 31, 1, 101, 0), want: ['zero_window'] },
      { ...data(C, 231, 101, 1), want: ['zero_window_probe'] }, { ...pure(S, 232, 1, 101, 0), want: ['zero_window', 'zero_window_probe_ack'] },
      { ...data(C, 632, 101, 1), want: ['zero_window_probe'] }, { ...pure(S, 633, 1, 101, 500), want: ['window_update'] }],
  },
  {
    // Deliberate difference (catalog, zero_window_probe): Linux's persist timer sends
    // tcp_xmit_probe_skb(sk, 0, ...) = 0 bytes at snd_una - 1 while the peer's window is 0. Its shape
    // is a keep-alive's, and Wireshark calls it keep_alive; but it is sent because the window is
    // closed, and the peer's answer carries the window the sender is waiting for. tcpscope labels
    // it zero_window_probe (+ the shape bit) and its zero-window answer zero_window_probe_ack.
    name: 'deliberate: a 0-byte segment at nextSeq-1 while the peer window is 0 is a zero_window_probe (Wireshark: keep_alive)',
    steps: [...handshake(), data(C, 30, 1, 100), { ...pure(S, 31, 1, 101, 0), want: ['zero_window'] },
      { ...pure(C, 231, 100, 1), want: ['zero_window_probe', 'probe_keepalive_shape'] }, { ...pure(S, 232, 1, 101, 0), want: ['zero_window', 'zero_window_probe_ack'] },
      { ...pure(C, 632, 100, 1), want: ['zero_window_probe', 'probe_keepalive_shape'] }, { ...pure(S, 633, 1, 101, 4000), want: ['window_update'] }],
  },
  // ---- keep-alives
  {
    name: 'keep_alive (0 or 1 byte at nextSeq-1, open window) and keep_alive_ack (same ACK and window); not on FIN/RST',
    steps: [...handshake(), data(C, 30, 1, 100), pure(S, 31, 1, 101), { ...pure(C, 7000, 100, 1), want: ['keep_alive'] }, { ...pure(S, 7001, 1, 101), want: ['keep_alive_ack'] },
      { ...data(C, 8000, 100, 1), want: ['keep_alive'] }, { ...pure(S, 8001, 1, 101), want: ['keep_alive_ack'] }, pure(C, 9000, 100, 1, 1000, ACK | RST)],
  },
  {
    name: 'first packet of a direction with seq 2^32-1 is a keep-alive (nextSeq unknown = 0, and 0 - 1 wraps; as Wireshark)',
    steps: [{ d: C, ms: 0, s: { flags: ACK, seq: 0xffffffff, ack: 77 }, raw: true, want: ['keep_alive'] }],
  },
  // ---- duplicate ACKs
  {
    name: 'duplicate_ack: numbered while the ACK number stays (a window update does not end the run); data with the same ACK neither',
    steps: [...handshake(), data(C, 30, 1, 100), pure(S, 40, 1, 101), { ...pure(S, 41, 1, 101), want: ['duplicate_ack'] }, { ...pure(S, 42, 1, 101, 2000), want: ['window_update'] },
      { ...pure(S, 43, 1, 101, 2000), want: ['duplicate_ack'] }, data(S, 44, 1, 10, 101, { window: 2000 }), { ...pure(S, 45, 11, 101, 2000), want: ['duplicate_ack'] }],
  },
  {
    name: 'duplicate_ack negative: window 0, seq not at nextSeq, SYN/FIN/RST',
    steps: [...handshake(), data(C, 30, 1, 100), pure(S, 40, 1, 101), { ...pure(S, 41, 1, 101, 0), want: ['zero_window'] }, pure(S, 42, -5, 101), pure(S, 43, 1, 101, 1000, ACK | RST)],
  },
  // ---- lost segments and ACKed unseen segments
  {
    name: 'lost_segment (seq beyond nextSeq, not RST) and acked_unseen_segment (once per hole)',
    steps: [...handshake(), data(C, 30, 1, 100), { ...data(C, 31, 201, 100), want: ['lost_segment'] }, { ...pure(S, 40, 1, 301), want: ['acked_unseen_segment'] },
      { ...pure(S, 41, 1, 301), want: ['duplicate_ack'] }, pure(C, 50, 500, 1, 1000, ACK | RST)],
  },
  // ---- retransmissions
  {
    name: 'spurious_retransmission: ends at or below the peer last ACK (even before nextSeq is known)',
    steps: [...handshake(), data(C, 30, 1, 100), pure(S, 40, 1, 101), { ...data(C, 41, 51, 50), want: ['spurious_retransmission'] }, { ...data(C, 100, 51, 51), want: ['retransmission'] }],
  },
  {
    name: 'fast_retransmission needs >= 2 dup ACKs for this seq and < 20 ms since the peer last packet (19.999999 ms yes, 20 ms no)',
    steps: [...handshake(), data(C, 30, 1, 100), data(C, 30, 101, 100), data(C, 30, 201, 100), pure(S, 40, 1, 101), { ...pure(S, 41, 1, 101), want: ['duplicate_ack'] },
      { ...pure(S, 42, 1, 101), want: ['duplicate_ack'] }, { ...data(C, 61.999999, 101, 100), want: ['fast_retransmission'] }, { ...pure(S, 70, 1, 101), want: ['duplicate_ack'] },
      { ...data(C, 90, 101, 100), want: ['retransmission'] }],
  },
  {
    name: 'out_of_order within the handshake RTT (20 ms) of the segment that set nextSeq, not ending at nextSeq; at 20 ms a retransmission',
    steps: [...handshake(), { ...data(C, 30, 201, 100), want: ['lost_segment'] }, { ...data(C, 49.999999, 1, 100), want: ['out_of_order'] }, { ...data(C, 50, 101, 50), want: ['retransmission'] },
      { ...data(C, 50.5, 251, 50), want: ['retransmission'] }],
  },
  {
    name: 'out-of-order threshold is 3 ms when no handshake was seen',
    steps: [data(C, 0, 201, 100), { ...data(C, 2.999999, 1, 100), want: ['out_of_order'] }, { ...data(C, 3.000001, 101, 50), want: ['retransmission'] }],
  },
  {
    name: 'time going backwards: no fast retransmission or out-of-order (Wireshark subtracts unsigned)',
    steps: [...handshake(), { ...data(C, 30, 101, 100), want: ['lost_segment'] }, { ...pure(S, 40, 1, 1), want: ['duplicate_ack'] }, { ...pure(S, 41, 1, 1), want: ['duplicate_ack'] },
      { ...pure(S, 42, 1, 1), want: ['duplicate_ack'] }, { ...data(C, 29, 1, 100), want: ['retransmission'] }],
  },
  {
    name: 'SYN and FIN resent are retransmissions; a keep-alive never is',
    steps: [{ d: C, ms: 0, s: { flags: SYN, seq: 0 } }, { d: C, ms: 1000, s: { flags: SYN, seq: 0 }, want: ['retransmission'] }, { d: S, ms: 1010, s: { flags: SYN | ACK, seq: 0, ack: 1 } },
      { d: S, ms: 2010, s: { flags: SYN | ACK, seq: 0, ack: 1 }, want: ['retransmission'] }, pure(C, 2020, 1, 1), { d: C, ms: 2030, s: { flags: ACK | FIN, seq: 1, ack: 1 } },
      { d: C, ms: 2300, s: { flags: ACK | FIN, seq: 1, ack: 1 }, want: ['retransmission'] }],
  },
  {
    name: "after an ACKed unseen segment the peer's dup-ACK counter is 2^32-1: the next matching resend within 20 ms is fast",
    steps: [...handshake(), data(S, 30, 1, 50, 1), data(S, 30.5, 51, 50, 1), pure(C, 31, 1, 51), { ...pure(S, 32, 101, 101), want: ['acked_unseen_segment'] },
      { ...data(S, 32.5, 51, 50, 101), want: ['fast_retransmission'] }],
  },
  // ---- sequence wrap
  {
    name: 'across 2^32: no false lost/retransmission; the same rules hold modulo 2^32',
    steps: [{ d: C, ms: 0, s: { flags: ACK | PSH, seq: 0xffffff00, ack: 9, len: 0x100 }, raw: true }, { d: C, ms: 1, s: { flags: ACK | PSH, seq: 0, ack: 9, len: 100 }, raw: true },
      { d: S, ms: 2, s: { flags: ACK, seq: 9, ack: 100 }, raw: true }, { d: S, ms: 3, s: { flags: ACK, seq: 9, ack: 100 }, raw: true, want: ['duplicate_ack'] },
      { d: C, ms: 4, s: { flags: ACK | PSH, seq: 0xffffff80, ack: 9, len: 0x80 }, raw: true, want: ['spurious_retransmission'] },
      { d: C, ms: 5, s: { flags: ACK | PSH, seq: 300, ack: 9, len: 1 }, raw: true, want: ['lost_segment'] }],
  },
];

describe('SegmentClassifier: Wireshark 4.0 rules, case by case', () => {
  test.each(CASES)('$name', ({ steps }) => {
    check(steps);
  });
});

describe('SegmentClassifier: evidence and state', () => {
  test('dup-ACK number and the frame repeated; lost and ACKed-unseen byte counts; the frame that set nextSeq', () => {
    const { cls } = run([...handshake(), data(C, 30, 1, 100), pure(S, 40, 1, 101), pure(S, 41, 1, 101), pure(S, 42, 1, 101)]);
    expect([cls.dupAckNum, cls.dupAckFrame]).toEqual([2, 5]);
    const lost = run([...handshake(), data(C, 30, 1, 100), data(C, 31, 151, 100), pure(S, 40, 1, 351)]).cls;
    // ACKed unseen counts from the highest contiguous byte seen (101): the hole 101..151 and the 100 bytes after it.
    expect([lost.lostBytes, lost.ackedUnseenBytes]).toEqual([50, 250]);
    const ooo = run([...handshake(), data(C, 30, 201, 100), data(C, 31, 1, 100)]).cls;
    expect(ooo.nextSeqFrame).toBe(4);
  });

  test('read-only state: nextSeq, lastAck, raw window, dup ACKs, out-of-order threshold', () => {
    const cls = new SegmentClassifier();
    expect([cls.nextSeq(C), cls.lastAck(S), cls.window(S), cls.outOfOrderThresholdMs()]).toEqual([-1, -1, -1, 3]);
    const { cls: c2 } = run([...handshake(), data(C, 30, 1, 100), pure(S, 40, 1, 101, 321), pure(S, 41, 1, 101, 321)]);
    expect([c2.nextSeq(C), c2.lastAck(S), c2.window(S), c2.dupAcks(S), c2.dupAcks(C), c2.outOfOrderThresholdMs()]).toEqual([1101, 1101, 321, 1, 0, 20]);
  });

  test('scaleShift: both SYNs with WS; one without (0); none, or only the SYN (unknown); only the SYN/ACK with WS', () => {
    expect([0, 1].map((d) => run(handshake(2, 3)).cls.scaleShift(d as Direction))).toEqual([2, 3]);
    expect([0, 1].map((d) => run(handshake(2, null)).cls.scaleShift(d as Direction))).toEqual([0, 0]);
    expect([0, 1].map((d) => run(handshake(null, 3)).cls.scaleShift(d as Direction))).toEqual([0, 0]);
    expect([0, 1].map((d) => run([pure(C, 0, 1, 1)]).cls.scaleShift(d as Direction))).toEqual([SCALE_UNKNOWN, SCALE_UNKNOWN]);
    const synOnly = run([{ d: C, ms: 0, s: { flags: SYN, seq: 0, wscale: 7 } }]).cls;
    expect([synOnly.scaleShift(C), synOnly.scaleShift(S)]).toEqual([SCALE_UNKNOWN, SCALE_UNKNOWN]);
    const synAckOnly = run([{ d: S, ms: 0, s: { flags: SYN | ACK, seq: 0, ack: 1, wscale: 9 } }]).cls;
    expect([synAckOnly.scaleShift(C), synAckOnly.scaleShift(S)]).toEqual([SCALE_UNKNOWN, 9]);
    const clamped = run(handshake(15, 14)).cls;
    expect([clamped.scaleShift(C), clamped.scaleShift(S)]).toEqual([14, 14]);
  });

  test('classify allocates nothing per packet (min heap growth over 3 rounds of 2x10^5 packets, after warm-up, far below one object per packet)', () => {
    const cls = new SegmentClassifier();
    const p = packet({ ...TEMPLATE, flags: ACK | PSH, len: 100 });
    const q = packet({ ...TEMPLATE, flags: ACK });
    let i = 0;
    const round = (n: number): number => {
      const before = process.memoryUsage().heapUsed;
      for (const end = i + n; i < end; i++) {
        p.seq = (i * 100) >>> 0;
        cls.classify(p, C, 2 * i + 1, T0 + i * 1e-4);
        q.ack = (i * 100 + 100) >>> 0;
        cls.classify(q, S, 2 * i + 2, T0 + i * 1e-4, T0 + Math.floor(i / 1e4), (i % 1e4) * 1e5);
      }
      return process.memoryUsage().heapUsed - before;
    };
    round(50_000);
    // One 16-byte object per packet would be 6.4 MB per round.
    expect(Math.min(round(100_000), round(100_000), round(100_000))).toBeLessThan(1_000_000);
  });
});
