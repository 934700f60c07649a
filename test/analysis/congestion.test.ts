/**
 * CongestionTracker on hand-fed scripts (the classifier, window and RTT trackers are written
 * elsewhere: the SEG bits, in-flight bytes, rwnd and SRTT are given per packet here). The client
 * sends 1000-byte segments from ISN 0xfffff000, so every script wraps the 32-bit space.
 */
import { describe, expect, test } from 'vitest';
import { CongestionTracker, MAX_TIMELINE_POINTS } from '../../src/analysis/congestion.js';
import { SEG } from '../../src/analysis/seg-flags.js';
import { DIR } from '../../src/core/direction.js';
import { seqAdd } from '../../src/core/seq.js';
import { ACK, PSH, SYN, SEG as TEMPLATE, packet } from '../helpers/tcp-seg.js';

const ISN = 0xfffff000;
const MSS = 1000;
const RWND = 1_000_000;
const SRTT = 0.01;

/** A client→server transfer script: offsets are relative to ISN + 1. */
class Script {
  readonly ct = new CongestionTracker({ timelines: true });
  private frame = 0;
  private sndMax = 0;
  private una = 0;

  constructor() {
    this.ct.onPacket(packet({ ...TEMPLATE, flags: SYN, seq: ISN }), DIR.C2S, ++this.frame, 0, 0, -1, -1, -1);
    this.ct.onPacket(packet({ ...TEMPLATE, flags: SYN | ACK, seq: 5000, ack: seqAdd(ISN, 1) }), DIR.S2C, ++this.frame, 0.01, 0, -1, -1, -1);
  }

  /** Client segment at offset `off` (segments of MSS bytes), time `t`. */
  send(t: number, off: number, seg = 0, len = MSS): this {
    if (off + len > this.sndMax) this.sndMax = off + len;
    const p = packet({ ...TEMPLATE, flags: ACK | PSH, seq: seqAdd(ISN, 1 + off), ack: 5001, len });
    this.ct.onPacket(p, DIR.C2S, ++this.frame, t, seg, this.sndMax - this.una, RWND, SRTT);
    return this;
  }

  /** Send `n` new segments back to back from `off`. */
  burst(t: number, off: number, n: number): this {
    for (let i = 0; i < n; i++) this.send(t + i * 1e-5, off + i * MSS);
    return this;
  }

  /** Server ACK of offset `off`. */
  ack(t: number, off: number, seg = 0): this {
    if (off > this.una) this.una = off;
    this.ct.onPacket(packet({ ...TEMPLATE, flags: ACK, seq: 5001, ack: seqAdd(ISN, 1 + off) }), DIR.S2C, ++this.frame, t, seg, -1, -1, -1);
    return this;
  }

  /** The c2s section after finish. */
  done(t: number): Record<string, any> {
    this.ct.finish(t);
    const s = this.ct.section();
    expect(s.s2c).toBeNull();
    return s.c2s as Record<string, any>;
  }
}

const DUP = SEG.DUPLICATE_ACK;

interface Case {
  name: string;
  script: (s: Script) => void;
  end: number;
  expect: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: 'fast retransmit after 3 dup ACKs: one fast episode, a run of 3',
    script: (s) => s.burst(0.1, 0, 10).ack(0.11, 1000).ack(0.111, 1000, DUP).ack(0.112, 1000, DUP).ack(0.113, 1000, DUP)
      .send(0.1131, 1000, SEG.FAST_RETRANSMISSION).ack(0.123, 10_000),
    end: 0.2,
    expect: {
      lossEpisodes: expect.objectContaining({
        count: 1, fastRetransmit: 1, timeout: 0, mixed: 0, totalMs: 9.9, retransmittedBytes: 1000, retransmittedSegments: 1,
        list: [{ startMs: 113.1, durationMs: 9.9, recovery: 'fast', bytes: 1000, stallBeforeMs: 3.1, flightAtLossBytes: 10_000, ssthreshBytes: null }],
      }),
      dupAcks: { runs: 1, maxRun: 3, runsAtLeast3: 1, histogram: { 1: 0, 2: 0, 3: 1, '4-7': 0, '8+': 0 } },
    },
  },
  {
    name: 'nothing from the receiver for 0.3 s, then a retransmission: timeout episode',
    script: (s) => s.burst(0.1, 0, 4).ack(0.11, 1000).send(0.41, 1000, SEG.RETRANSMISSION).ack(0.42, 4000),
    end: 0.5,
    expect: {
      lossEpisodes: expect.objectContaining({
        count: 1, fastRetransmit: 0, timeout: 1,
        list: [expect.objectContaining({ recovery: 'timeout', stallBeforeMs: 300, durationMs: 10, flightAtLossBytes: 4000, ssthreshBytes: 2000 })],
      }),
    },
  },
  {
    name: 'fast retransmit, then the retransmission is lost too and the RTO fires: one mixed episode, recovery point moved',
    script: (s) => s.burst(0.1, 0, 10).ack(0.11, 1000).ack(0.111, 1000, DUP).ack(0.112, 1000, DUP)
      .send(0.1121, 1000, SEG.FAST_RETRANSMISSION).burst(0.113, 10_000, 2).send(0.5, 1000, SEG.RETRANSMISSION)
      .ack(0.51, 10_000).ack(0.52, 12_000),
    end: 0.6,
    expect: { lossEpisodes: expect.objectContaining({ count: 1, mixed: 1, totalMs: 407.9, retransmittedSegments: 2 }) },
  },
  {
    name: 'spurious retransmission outside an episode starts none',
    script: (s) => s.burst(0.1, 0, 2).ack(0.11, 2000).send(0.111, 0, SEG.SPURIOUS_RETRANSMISSION).ack(0.12, 2000),
    end: 0.2,
    expect: { lossEpisodes: expect.objectContaining({ count: 0, spuriousSegments: 1, retransmittedSegments: 1 }) },
  },
  {
    name: 'zero-window probes and keep-alives are not retransmissions',
    script: (s) => s.burst(0.1, 0, 2).ack(0.11, 2000).send(0.5, 1999, SEG.KEEP_ALIVE | SEG.RETRANSMISSION, 1)
      .send(0.6, 1999, SEG.ZERO_WINDOW_PROBE | SEG.RETRANSMISSION, 1),
    end: 0.7,
    expect: { lossEpisodes: expect.objectContaining({ count: 0, retransmittedSegments: 0 }) },
  },
  {
    name: 'capture ends inside an episode: listed as open',
    script: (s) => s.burst(0.1, 0, 3).send(0.5, 0, SEG.RETRANSMISSION),
    end: 0.7,
    expect: { lossEpisodes: expect.objectContaining({ count: 1, timeout: 1, list: [expect.objectContaining({ durationMs: 200, open: true })] }) },
  },
  {
    // ACK-clocked: each round's ACK covers all but the newest segment (the sender is never
    // drained), so flights are 2, 5, 9, 17 (×~2: slow start), then 18, 19, 20 (+1 MSS: CA)
    name: 'flights doubling per round, then +1 segment per round: one slow-start and one congestion-avoidance phase',
    script: (s) => {
      let off = 0;
      let t = 0.1;
      for (const n of [2, 4, 8, 16, 17, 18, 19]) {
        s.burst(t, off, n);
        off += n * MSS;
        t += SRTT;
        s.ack(t, off - MSS);
      }
    },
    end: 0.3,
    expect: {
      cwnd: expect.objectContaining({ rounds: 7, maxBytes: 20_000, meanBytes: 12_857 }),
      phases: { slowStart: { count: 1, ms: 30 }, congestionAvoidance: { count: 1, ms: 30 } },
    },
  },
  {
    name: 'a round that drains the sender (application-limited) or meets the receiver window is no phase evidence',
    script: (s) => {
      s.burst(0.1, 0, 2).ack(0.11, 1000).burst(0.11, 2000, 4).ack(0.12, 5000) // 2 → 5: slow start
        .burst(0.12, 6000, 8).ack(0.13, 14_000) // drained: no evidence
        .burst(0.13, 14_000, 16).ack(0.14, 29_000); // valid, but its predecessor was not
    },
    end: 0.3,
    expect: { cwnd: expect.objectContaining({ rounds: 4 }), phases: { slowStart: { count: 1, ms: 10 }, congestionAvoidance: { count: 0, ms: 0 } } },
  },
];

describe('CongestionTracker scripts', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const s = new Script();
      c.script(s);
      expect(s.done(c.end)).toMatchObject(c.expect);
    });
  }

  test('the cwnd timeline stays within 1000 points, decimated by stride', () => {
    const s = new Script();
    let off = 0;
    for (let r = 0; r < 2600; r++) {
      s.burst(r * 0.01, off, 2);
      off += 2 * MSS;
      s.ack(r * 0.01 + 0.005, off);
    }
    const cw = s.done(30).cwnd as { rounds: number; timeline: [number, number][]; timelineStride: number; maxBytes: number };
    expect(cw.rounds).toBe(2600);
    expect(cw.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(cw.timeline.length).toBeGreaterThanOrEqual(MAX_TIMELINE_POINTS / 2);
    expect(cw.timelineStride).toBe(4);
    expect(cw.maxBytes).toBe(2000);
    const ts = cw.timeline.map((p) => p[0]);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });

  test('a direction without data is null; times are ms from the first packet', () => {
    const s = new Script();
    s.burst(0.1, 0, 1).ack(0.2, 1000);
    const c = s.done(1);
    expect(c.cwnd.timeline).toEqual([[200, 1000]]);
  });

  test('no allocation in the hot path: onPacket keeps working on the same objects', () => {
    const s = new Script();
    const before = s.ct.sender(DIR.C2S);
    s.burst(0.1, 0, 100);
    expect(s.ct.sender(DIR.C2S)).toBe(before);
    expect(before.dataSegments).toBe(100);
  });
});
