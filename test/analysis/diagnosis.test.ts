/**
 * Diagnosis on hand-fed scripts: each step is one packet with the values the window and RTT
 * trackers would give (in flight, rwnd, zero window), so every class, the priority order, the
 * pending/idle rules and the headline are checked in isolation. RTT 10 ms, MSS 1000 B.
 */
import { describe, expect, test } from 'vitest';
import { CongestionTracker } from '../../src/analysis/congestion.js';
import { Diagnosis, PathSnapshot, type DiagnosisJson } from '../../src/analysis/diagnosis.js';
import { SEG } from '../../src/analysis/seg-flags.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import { seqAdd } from '../../src/core/seq.js';
import { ACK, FIN, PSH, SYN, SEG as TEMPLATE, packet } from '../helpers/tcp-seg.js';

const ISN = [0xffffff00, 77];
const RTT = 0.01;
const MSS = 1000;

/** A scripted flow: the client's data in c2s (offsets from ISN+1), views set per step. */
class Flow {
  readonly cg = new CongestionTracker();
  readonly dg = new Diagnosis(this.cg);
  readonly view = new PathSnapshot();
  private frame = 0;
  private readonly sndMax = [0, 0];
  private readonly una = [0, 0];
  rwnd = 64_000;
  zw = false;
  srtt = RTT;
  t = 0;

  constructor(handshake = true) {
    if (!handshake) return;
    this.pkt(DIR.C2S, SYN, -1, 0, 0);
    this.t += RTT;
    this.pkt(DIR.S2C, SYN | ACK, -1, 0, 0);
    this.pkt(DIR.C2S, ACK, 0, 0, 0);
  }

  /** One packet of `dir` at offset `off` (-1: the SYN) with `len` bytes, after `dt` seconds. */
  pkt(dir: Direction, flags: number, off: number, len: number, dt: number, seg = 0): this {
    this.t += dt;
    const rev = (1 - dir) as Direction;
    if (off >= 0 && off + len > this.sndMax[dir]!) this.sndMax[dir] = off + len;
    const p = packet({ ...TEMPLATE, flags, seq: seqAdd(ISN[dir]!, 1 + off), ack: seqAdd(ISN[rev]!, 1 + this.sndMax[rev]!), len });
    if ((flags & ACK) !== 0) this.una[rev] = this.sndMax[rev]!;
    for (const d of [DIR.C2S, DIR.S2C]) {
      this.view.set(d, this.sndMax[d]! - this.una[d]!, d === DIR.C2S ? this.rwnd : 64_000, this.srtt, d === DIR.C2S && this.zw);
    }
    this.cg.onPacket(p, dir, ++this.frame, this.t, seg, this.view.inFlight(dir), this.view.rwnd(dir), RTT);
    this.dg.onPacket(p, dir, this.frame, this.t, seg, this.view);
    return this;
  }

  /** Client data: `n` segments from offset `off`, 0.1 ms apart, after `dt`. */
  data(off: number, n: number, dt = 0, seg = 0): this {
    for (let i = 0; i < n; i++) this.pkt(DIR.C2S, ACK | PSH, off + i * MSS, MSS, i === 0 ? dt : 1e-4, seg);
    return this;
  }

  /** Server ACK of everything the client sent, after `dt`. */
  ack(dt: number): this {
    return this.pkt(DIR.S2C, ACK, this.sndMax[DIR.S2C]!, 0, dt);
  }

  /** Server ACK that does not cover the client's newest segment (the ACK clock of a busy sender). */
  ackBut(dt: number, keep: number, seg = 0): this {
    const saved = this.sndMax[DIR.C2S]!;
    this.sndMax[DIR.C2S] = saved - keep;
    this.pkt(DIR.S2C, ACK, this.sndMax[DIR.S2C]!, 0, dt, seg);
    this.sndMax[DIR.C2S] = saved;
    this.una[DIR.C2S] = saved - keep;
    this.view.set(DIR.C2S, keep, this.rwnd, this.srtt, this.zw);
    return this;
  }

  result(): DiagnosisJson {
    this.cg.finish(this.t);
    this.dg.finish(this.t);
    return this.dg.result();
  }
}

/** Bulk sending, ACK-clocked with ~`inFlight` segments outstanding, for `rounds` RTTs. */
function busy(f: Flow, from: number, rounds: number, inFlight: number): number {
  let off = from;
  for (let r = 0; r < rounds; r++) {
    f.data(off, 2);
    off += 2 * MSS;
    f.ackBut(RTT, inFlight * MSS);
  }
  return off;
}

interface Case {
  name: string;
  script: (f: Flow) => void;
  limitedBy: DiagnosisJson['limitedBy'];
  /** Expected fractions (±0.02) and other fields. */
  fractions?: Partial<DiagnosisJson['fractions']>;
  headline?: RegExp;
  more?: (r: DiagnosisJson) => void;
}

const CASES: Case[] = [
  {
    name: 'full segments outstanding below the window: congestion window',
    script: (f) => void busy(f, 0, 20, 3),
    limitedBy: 'congestion_window', fractions: { congestion_window: 1 },
    headline: /^congestion window limited 100% of the 20\d ms transfer \(c2s\): in flight below the receiver's window, cwnd estimate up to 5\.0 kB$/,
  },
  {
    name: 'in flight within one MSS of the advertised window: receiver window',
    script: (f) => {
      f.rwnd = 3500;
      busy(f, 0, 20, 3);
    },
    limitedBy: 'receiver_window', fractions: { receiver_window: 0.95 },
    headline: /^receiver window limited 95% .*; in flight at the advertised window \(at most 3\.5 kB\)$/,
  },
  {
    name: 'a zero-window stall with nothing outstanding, then data again: receiver window, one stall',
    script: (f) => {
      const off = busy(f, 0, 5, 2);
      f.rwnd = 0;
      f.zw = true;
      f.ack(RTT); // the receiver closes its window, everything acknowledged
      f.rwnd = 64_000;
      f.zw = false;
      f.ack(1.0); // window update 1 s later
      busy(f, off, 5, 2);
    },
    limitedBy: 'receiver_window', fractions: { receiver_window: 0.9 },
    headline: /^receiver window limited 90% of the 1\.1 s transfer \(c2s\); 1 zero-window stall, longest 1\.0 s$/,
    more: (r) => expect(r.evidence.zeroWindow).toEqual({ stalls: 1, longestMs: 1000, totalMs: 1000 }),
  },
  {
    name: 'zero window at the end, never followed by data: idle tail, not transfer time',
    script: (f) => {
      busy(f, 0, 10, 2);
      f.zw = true;
      f.rwnd = 0;
      f.ack(RTT).ack(5);
    },
    limitedBy: 'congestion_window',
    more: (r) => expect(r.evidence.idle.tailMs).toBeGreaterThan(5000),
  },
  {
    name: 'bursts with idle gaps (nothing outstanding, longer than an RTT): sender application',
    script: (f) => {
      let off = 0;
      for (let i = 0; i < 5; i++) {
        f.data(off, 4, 0.1).ack(RTT);
        off += 4 * MSS;
      }
    },
    limitedBy: 'sender_application',
    headline: /^application limited \d+% of the 4\d\d ms transfer \(c2s\): the sender had nothing to send; 4 idle gaps, longest 100 ms$/,
  },
  {
    name: 'gaps with nothing outstanding shorter than an RTT count as the ACK clock',
    script: (f) => {
      let off = 0;
      for (let i = 0; i < 10; i++) {
        f.data(off, 4, 0.002).ack(0.002);
        off += 4 * MSS;
      }
    },
    limitedBy: 'congestion_window', fractions: { sender_application: 0 },
  },
  {
    name: 'no ACK for 0.5 s, then an RTO retransmission: the wait is network loss',
    script: (f) => {
      const off = busy(f, 0, 5, 2);
      f.data(off, 2).pkt(DIR.C2S, ACK, off - 2 * MSS, MSS, 0.5, SEG.RETRANSMISSION).ack(RTT);
      busy(f, off + 2 * MSS, 5, 2);
    },
    limitedBy: 'network_loss', fractions: { network_loss: 0.8 },
    headline: /^network loss limited 8\d% of the 6\d\d ms transfer \(c2s\); 1 loss episode \(0 fast retransmit, 1 timeout\), 1\.0 kB retransmitted, longest recovery 10\.\d ms$/,
  },
  {
    name: 'priority: a zero window beats loss recovery',
    script: (f) => {
      const off = busy(f, 0, 2, 2);
      f.pkt(DIR.C2S, ACK, off - MSS, MSS, 0.001, SEG.RETRANSMISSION);
      f.zw = true;
      f.rwnd = 0;
      f.ackBut(0.001, 2 * MSS);
      f.ackBut(1, 2 * MSS);
      f.zw = false;
      f.rwnd = 64_000;
      f.ack(0.001);
      busy(f, off, 2, 2);
    },
    limitedBy: 'receiver_window',
  },
  {
    name: 'a queue building on the path: the SRTT rise is named in the headline',
    script: (f) => {
      let off = 0;
      for (let i = 0; i < 10; i++) {
        f.srtt = RTT * (1 + i);
        off = busy(f, off, 2, 4);
      }
    },
    limitedBy: 'congestion_window',
    headline: /: in flight below the receiver's window, cwnd estimate up to 6\.0 kB; RTT rose from 10\.0 ms to 100 ms \(queueing on the path\)$/,
    more: (r) => expect([r.evidence.srttMinMs, r.evidence.srttMaxMs, r.side]).toEqual([10, 100, 'network']),
  },
  {
    name: 'no data at all: handshake only',
    script: (f) => void f.pkt(DIR.C2S, FIN | ACK, 0, 0, 0.1).pkt(DIR.S2C, FIN | ACK, 0, 0, 0.001),
    limitedBy: 'handshake_only', headline: /^handshake only: no data was sent$/,
    more: (r) => expect(r.direction).toBeNull(),
  },
  {
    name: 'three data segments: too short to tell',
    script: (f) => void f.data(0, 3).ack(RTT),
    limitedBy: 'too_short', headline: /^too short to tell: 3 data segments in 10\.\d ms$/,
  },
  {
    name: 'little data, then the connection idles open with keep-alives: sender application',
    script: (f) => {
      f.data(0, 1).ack(RTT);
      for (let i = 0; i < 4; i++) f.pkt(DIR.C2S, ACK, MSS - 1, 0, 1, SEG.KEEP_ALIVE).ack(0.001);
      f.pkt(DIR.C2S, FIN | ACK, MSS, 0, 0.5).pkt(DIR.S2C, FIN | ACK, 0, 0, 0.001);
    },
    limitedBy: 'sender_application', fractions: { sender_application: 0.99 },
    headline: /^application limited 100% of the 4\.5 s connection \(c2s\): idle 4\.5 s after 1\.0 kB of data, 4 keep-alives$/,
  },
  {
    name: 'the direction with more data is the main one; both are reported',
    script: (f) => {
      f.data(0, 1).ack(RTT);
      let off = 0;
      for (let r = 0; r < 10; r++) {
        for (let i = 0; i < 3; i++) f.pkt(DIR.S2C, ACK | PSH, off + i * MSS, MSS, 1e-4);
        off += 3 * MSS;
        f.pkt(DIR.C2S, ACK, MSS, 0, RTT);
      }
    },
    limitedBy: 'congestion_window',
    more: (r) => {
      expect(r.direction).toBe('s2c');
      expect(r.directions.c2s?.limitedBy).toBe('too_short');
      expect(r.directions.s2c?.dataBytes).toBe(30_000);
    },
  },
  {
    name: 'midstream (no handshake): in flight from the view, verdict still given',
    script: (f) => void busy(f, 0, 20, 3),
    limitedBy: 'congestion_window',
    more: (r) => expect(r.evidence.handshakeRttMs).toBeNull(),
  },
];

describe('Diagnosis scripts', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const f = new Flow(!c.name.startsWith('midstream'));
      c.script(f);
      const r = f.result();
      expect(r.limitedBy).toBe(c.limitedBy);
      for (const [k, v] of Object.entries(c.fractions ?? {})) expect(r.fractions[k as keyof typeof r.fractions]).toBeCloseTo(v, 1);
      if (c.headline !== undefined) expect(r.headline).toMatch(c.headline);
      c.more?.(r);
      const sum = Object.values(r.fractions).reduce((a, b) => a + b, 0);
      if (r.limitedBy !== 'handshake_only') expect(sum).toBeCloseTo(1, 2);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    });
  }
});
