/**
 * Table-driven reassembly scenarios (style guide item 17): each case is a list of steps
 * (segment / ack / close) and the exact events wanted.
 */
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import type { ReassemblyLimits } from '../../src/core/limits.js';
import { TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { TcpStreamReassembler, type OverlapPolicy } from '../../src/reassembly/tcp-reassembler.js';
import { RecordingSink, pattern } from './tcp-harness.js';

const { SYN, FIN, RST, ACK } = TCP_FLAG;
/** The stream's source bytes: stream offset i holds byte (i & 0xff). */
const SRC = pattern(70000);

type Step =
  /** Segment at relative seq `at` (ISN-relative: the SYN is at -1), `len` bytes of SRC; `cap` captured; `bytes` overrides. */
  | { seg: number; len?: number; cap?: number; flags?: number; bytes?: Uint8Array }
  | { ack: number }
  | { close: true };

interface Case {
  name: string;
  isn?: number;
  steps: Step[];
  want: string[];
  limits?: Partial<ReassemblyLimits>;
  policy?: OverlapPolicy;
  /** Expected rebuilt stream (gaps as zeros); default: SRC up to the delivered length with gap zeros. */
  stats?: Partial<Record<string, number>>;
  /** Expected gap causes, `offset+len cause` (checked when given). */
  causes?: string[];
}

function run(c: Case): { sink: RecordingSink; r: TcpStreamReassembler } {
  const sink = new RecordingSink();
  const r = new TcpStreamReassembler(DIR.C2S, sink, c.limits ?? {}, { overlapPolicy: c.policy ?? 'first' });
  const isn = c.isn ?? 1000;
  let frame = 0;
  for (const s of c.steps) {
    frame++;
    if ('seg' in s) {
      const len = s.len ?? 0;
      const data = s.bytes ?? SRC.subarray(Math.max(0, s.seg), Math.max(0, s.seg) + len);
      // Put the payload at an offset inside a bigger "frame" buffer, as captures do.
      const buf = new Uint8Array(len + 54);
      buf.set(data.subarray(0, len), 54);
      const seq = (isn + 1 + s.seg) >>> 0;
      r.segment(seq, s.flags ?? ACK, buf, 54, s.cap ?? len, len, frame);
    } else if ('ack' in s) r.acked((isn + 1 + s.ack) >>> 0, frame);
    else r.close(frame);
  }
  return { sink, r };
}

const syn: Step = { seg: -1, flags: SYN };

const cases: Case[] = [
  {
    name: 'in order after a SYN, FIN ends',
    steps: [syn, { seg: 0, len: 100 }, { seg: 100, len: 50 }, { seg: 150, flags: FIN | ACK }],
    want: ['data 0+100 #2', 'data 100+50 #3', 'end fin #4'],
  },
  {
    name: 'reversed order: held until the hole fills',
    steps: [syn, { seg: 200, len: 100 }, { seg: 100, len: 100 }, { seg: 0, len: 100 }, { close: true }],
    want: ['data 0+100 #4', 'data 100+100 #3', 'data 200+100 #2', 'end close #5'],
  },
  {
    name: 'hole filled later, FIN held behind it',
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10, flags: FIN | ACK }, { seg: 10, len: 10 }],
    want: ['data 0+10 #2', 'data 10+10 #4', 'data 20+10 #3', 'end fin #4'],
  },
  {
    name: 'exact duplicate of delivered data',
    steps: [syn, { seg: 0, len: 10 }, { seg: 0, len: 10 }, { close: true }],
    want: ['data 0+10 #2', 'overlap 0+10 #3', 'end close #4'],
    stats: { retransmittedSegments: 1, overlaps: 1, inconsistentOverlaps: 0 },
  },
  {
    name: 'partial overlaps with delivered and held data are trimmed',
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10 }, { seg: 5, len: 20 }, { close: true }],
    want: ['data 0+10 #2', 'overlap 5+5 #4', 'data 10+10 #4', 'overlap 20+5 #4', 'data 20+10 #3', 'end close #5'],
  },
  {
    name: 'differing retransmission of delivered bytes: reported, delivered bytes stay',
    steps: [syn, { seg: 0, len: 4 }, { seg: 0, len: 4, bytes: new Uint8Array([0, 1, 9, 3]) }, { close: true }],
    want: ['data 0+4 #2', 'overlap 0+4 differs #3', 'end close #4'],
    stats: { inconsistentOverlaps: 1 },
  },
  {
    name: 'SYN with data (TFO) delivers at offset 0; a SYN retransmission is a duplicate',
    steps: [{ seg: -1, len: 5, flags: SYN, bytes: pattern(5) }, { seg: -1, flags: SYN }, { seg: 5, len: 5 }, { close: true }],
    want: ['data 0+5 #1', 'data 5+5 #3', 'end close #4'],
    stats: { retransmittedSegments: 1 },
  },
  {
    name: 'RST mid-stream flushes held bytes and ends',
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10 }, { seg: 30, flags: RST }, { seg: 30, len: 5 }],
    want: ['data 0+10 #2', 'gap 10+10 #4', 'data 20+10 #3', 'end rst #4'],
    stats: { afterEnd: 1 },
  },
  {
    name: 'mid-stream start: first segment is the origin, older bytes are not part of the stream',
    steps: [{ seg: 500, len: 10 }, { seg: 490, len: 30 }, { seg: 520, flags: FIN | ACK }],
    want: ['data 0+10 #1', 'overlap 0+10 #2', 'data 10+10 #2', 'end fin #3'],
    stats: { preOriginBytes: 10 },
  },
  {
    name: 'RST drops held bytes above its sequence number',
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10 }, { seg: 40, len: 10 }, { seg: 35, flags: RST }],
    want: ['data 0+10 #2', 'gap 10+10 #5', 'data 20+10 #3', 'end rst #5'],
  },
  {
    name: 'RST before any segment in this direction ends the stream',
    steps: [{ seg: 0, flags: RST | ACK }],
    want: ['end rst #1'],
  },
  {
    name: 'mid-stream start on a keep-alive: the origin settles on the first data byte',
    steps: [{ seg: 99 }, { seg: 100, len: 10 }, { seg: 110, flags: FIN | ACK }],
    want: ['data 0+10 #2', 'end fin #3'],
  },
  {
    name: 'mid-stream start on a pure ACK, first data one segment later: a hole',
    steps: [{ seg: 100 }, { seg: 110, len: 10 }, { close: true }],
    want: ['gap 0+10 #3', 'data 10+10 #2', 'end close #3'],
  },
  {
    name: 'acked but never captured: an exact gap, delivery goes on',
    steps: [syn, { seg: 0, len: 10 }, { seg: 40, len: 10 }, { ack: 30 }, { ack: 45 }, { seg: 50, flags: FIN | ACK }],
    want: ['data 0+10 #2', 'gap 10+20 #4', 'gap 30+10 #5', 'data 40+10 #3', 'end fin #6'],
    stats: { missed: 30, delivered: 20, truncated: 0 },
    causes: ['10+20 acked', '30+10 acked'],
  },
  {
    name: 'ACK past an uncaptured tail: a gap up to the ACK (an unseen FIN counts as one byte)',
    steps: [syn, { seg: 0, len: 10 }, { ack: 31 }],
    want: ['data 0+10 #2', 'gap 10+21 #3'],
  },
  {
    name: 'snap-length cut: the uncaptured tail becomes a gap once data passes it',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 100, len: 100, cap: 40 }, { seg: 200, flags: FIN | ACK }],
    want: ['data 0+40 #2', 'gap 40+60 #3', 'data 100+40 #3', 'gap 140+60 #4', 'end fin #4'],
    stats: { truncated: 120, missed: 120 },
    causes: ['40+60 snaplen', '140+60 snaplen'],
  },
  {
    name: 'snap-length cut: the sender\'s empty segments at the tail end change nothing; an uncaptured one extends the tail',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 100 }, { seg: 100, len: 50, cap: 0 }, { seg: 150 }, { seg: 150, len: 10 }, { close: true }],
    want: ['data 0+40 #2', 'gap 40+110 #6', 'data 150+10 #6', 'end close #7'],
    causes: ['40+110 snaplen'],
  },
  {
    name: 'snap-length cut: an ACK inside the tail flushes the whole tail, one past it adds an acked gap',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { ack: 50 }, { seg: 100, len: 100, cap: 40 }, { ack: 250 }, { close: true }],
    want: ['data 0+40 #2', 'gap 40+60 #3', 'data 100+40 #4', 'gap 140+60 #5', 'gap 200+50 #5', 'end close #6'],
    causes: ['40+60 snaplen', '140+60 snaplen', '200+50 acked'],
    stats: { truncated: 120, missed: 170 },
  },
  {
    name: 'snap-length cut tail, then a hole, then data: tail and hole are gaps of their own causes at close',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 150, len: 10 }, { close: true }],
    want: ['data 0+40 #2', 'gap 40+60 #4', 'gap 100+50 #4', 'data 150+10 #3', 'end close #4'],
    causes: ['40+60 snaplen', '100+50 hole'],
  },
  {
    name: 'snap-length cut tail, then a retransmission of the segment: the held tail takes its bytes',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 0, len: 100 }, { seg: 100, len: 10, cap: 5 }, { seg: 100, len: 10 }, { close: true }],
    want: ['data 0+40 #2', 'overlap 0+40 #3', 'data 40+60 #3', 'data 100+5 #4', 'overlap 100+5 #5', 'data 105+5 #5', 'end close #6'],
    stats: { truncated: 0 },
  },
  {
    name: 'snap-length cut tail at an RST: flushed as a gap, then the stream ends',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 100, flags: RST }],
    want: ['data 0+40 #2', 'gap 40+60 #3', 'end rst #3'],
    causes: ['40+60 snaplen'],
  },
  {
    name: 'snap-length cut tail at a FIN: the tail is a gap, the stream ends with fin',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 100, flags: FIN | ACK }],
    want: ['data 0+40 #2', 'gap 40+60 #3', 'end fin #3'],
    causes: ['40+60 snaplen'],
  },
  {
    name: 'snap-length cut tail replaced by a later full copy',
    steps: [syn, { seg: 0, len: 100, cap: 40 }, { seg: 0, len: 100 }, { close: true }],
    want: ['data 0+40 #2', 'overlap 0+40 #3', 'data 40+60 #3', 'end close #4'],
  },
  {
    name: 'byte cap: skip forward, the hole becomes a gap',
    limits: { maxBufferedBytes: 25 },
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10 }, { seg: 40, len: 10 }, { seg: 60, len: 10 }, { close: true }],
    want: ['data 0+10 #2', 'gap 10+10 #5', 'data 20+10 #3', 'gap 30+10 #6', 'data 40+10 #4', 'gap 50+10 #6', 'data 60+10 #5', 'end close #6'],
    stats: { limitHits: 1 },
    causes: ['10+10 limit', '30+10 hole', '50+10 hole'],
  },
  {
    name: 'segment cap: skip forward',
    limits: { maxSegments: 1 },
    steps: [syn, { seg: 10, len: 10 }, { seg: 30, len: 10 }, { close: true }],
    want: ['gap 0+10 #3', 'data 10+10 #2', 'gap 20+10 #4', 'data 30+10 #3', 'end close #4'],
    stats: { limitHits: 1 },
  },
  {
    name: 'far jump beyond 2^30 is ignored, not a gap',
    steps: [syn, { seg: 0, len: 10 }, { seg: 2 ** 30 + 100, len: 10, bytes: pattern(10) }, { ack: 2 ** 30 + 200 }, { close: true }],
    want: ['data 0+10 #2', 'end close #5'],
    stats: { outOfWindow: 2 },
  },
  {
    name: 'ISN near 2^32: offsets run on across the wrap',
    isn: 0xffffff00,
    steps: [syn, { seg: 0, len: 200 }, { seg: 400, len: 100 }, { seg: 200, len: 200 }, { seg: 500, flags: FIN | ACK }],
    want: ['data 0+200 #2', 'data 200+200 #4', 'data 400+100 #3', 'end fin #5'],
  },
  {
    name: 'close with a hole before a seen FIN: the hole is a gap, the stream ends with fin',
    steps: [syn, { seg: 0, len: 10 }, { seg: 20, len: 10 }, { seg: 40, flags: FIN | ACK }, { close: true }],
    want: ['data 0+10 #2', 'gap 10+10 #5', 'data 20+10 #3', 'gap 30+10 #5', 'end fin #5'],
    causes: ['10+10 hole', '30+10 close'],
  },
  {
    name: 'bytes after the FIN are ignored; a FIN retransmission is a duplicate',
    steps: [syn, { seg: 0, len: 10, flags: FIN | ACK }, { seg: 0, len: 10, flags: FIN | ACK }],
    want: ['data 0+10 #2', 'end fin #2'],
    stats: { afterEnd: 1 },
  },
  {
    name: 'overlap older than the history ring is unverifiable, not inconsistent',
    limits: { historyBytes: 16 },
    steps: [syn, { seg: 0, len: 30 }, { seg: 0, len: 20, bytes: new Uint8Array(20) }, { close: true }],
    want: ['data 0+30 #2', 'overlap 0+20 differs #3', 'end close #4'],
    stats: { unverifiedOverlapBytes: 14, inconsistentOverlaps: 1 },
  },
  {
    name: 'history off: overlaps with delivered data are all unverifiable',
    limits: { historyBytes: 0 },
    steps: [syn, { seg: 0, len: 30 }, { seg: 0, len: 20, bytes: new Uint8Array(20) }, { close: true }],
    want: ['data 0+30 #2', 'overlap 0+20 #3', 'end close #4'],
    stats: { unverifiedOverlapBytes: 20, inconsistentOverlaps: 0 },
  },
  {
    name: 'keep-alive with one garbage byte at next-1 is not an overlap',
    steps: [syn, { seg: 0, len: 10 }, { seg: 9, len: 1, bytes: new Uint8Array([0]) }, { close: true }],
    want: ['data 0+10 #2', 'end close #4'],
  },
];

describe('TcpStreamReassembler scenarios', () => {
  test.each(cases)('$name', (c) => {
    const { sink, r } = run(c);
    expect(sink.events).toEqual(c.want);
    if (c.causes !== undefined) expect(sink.causes).toEqual(c.causes);
    for (const [k, v] of Object.entries(c.stats ?? {})) expect(r.stats[k as keyof typeof r.stats], k).toBe(v);
  });

  test.each<[OverlapPolicy, number]>([
    ['first', 10],
    ['last', 99],
  ])('differing overlap of held bytes, policy %s keeps byte %i', (policy, b) => {
    const other = pattern(10, 10);
    other[0] = 99;
    const { sink } = run({
      name: '',
      policy,
      steps: [syn, { seg: 10, len: 10 }, { seg: 10, len: 10, bytes: other }, { seg: 0, len: 10 }, { close: true }],
      want: [],
    });
    expect(sink.events).toEqual(['overlap 10+10 differs #3', 'data 0+10 #4', 'data 10+10 #2', 'end close #5']);
    expect(sink.bytes()[10]).toBe(b);
  });

  test('in-order data is delivered zero-copy from the packet buffer', () => {
    const sink = new RecordingSink();
    const r = new TcpStreamReassembler(DIR.S2C, sink);
    const buf = pattern(200);
    r.segment(5, SYN, buf, 0, 0, 0, 1);
    r.segment(6, ACK, buf, 54, 100, 100, 2);
    expect(sink.views[0]).toBe(buf);
    expect(r.stats.delivered).toBe(100);
  });
});
