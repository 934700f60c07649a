/**
 * RTT tracker unit tests with hand-built segments (rtt.ts and its parts): the estimators' numbers
 * computed by hand (RFC 6298 §2, RFC 793 §3.7), floors and caps, Karn's rule, SYN/FIN sequence
 * space, SACK and TS echo samples, Eifel and D-SACK revisions, observed timeouts and backoff,
 * the vantage point, ring bounds and sequence wrap-around.
 */
import { describe, expect, test } from 'vitest';
import { DIR, type Direction } from '../../src/core/direction.js';
import { DecodedPacket, LAYER, TCP_FLAG, TCP_OPT } from '../../src/dissectors/decoded-packet.js';
import { RttEstimator } from '../../src/analysis/rtt-estimator.js';
import { RttTracker, type RttOptions } from '../../src/analysis/rtt.js';
import { hopsFromTtl } from '../../src/analysis/rtt-vantage.js';
import { SEG } from '../../src/analysis/seg-flags.js';

const { SYN, ACK, FIN } = TCP_FLAG;
const C = DIR.C2S;
const S = DIR.S2C;

interface P {
  dir: Direction;
  t: number;
  flags?: number;
  seq?: number;
  ack?: number;
  len?: number;
  tsval?: number;
  tsecr?: number;
  sack?: readonly (readonly [number, number])[];
  ttl?: number;
  seg?: number;
}

/** Feed packets (frames numbered from 1) to a fresh tracker. */
function run(pkts: readonly P[], opts: RttOptions = {}): RttTracker {
  const r = new RttTracker(opts);
  const pkt = new DecodedPacket();
  pkts.forEach((p, i) => {
    pkt.layers = LAYER.IPV4 | LAYER.TCP;
    pkt.tcpFlags = p.flags ?? ACK;
    pkt.seq = (p.seq ?? 0) >>> 0;
    pkt.ack = (p.ack ?? 0) >>> 0;
    pkt.payloadWireLen = p.len ?? 0;
    pkt.payloadCapLen = p.len ?? 0;
    pkt.tsval = p.tsval ?? -1;
    pkt.tsecr = p.tsecr ?? -1;
    pkt.ttl = p.ttl ?? 64;
    pkt.sackCount = p.sack?.length ?? 0;
    p.sack?.forEach(([l, rr], k) => {
      pkt.sackBlocks[2 * k] = l >>> 0;
      pkt.sackBlocks[2 * k + 1] = rr >>> 0;
    });
    pkt.tcpOptFlags = (pkt.tsval >= 0 ? TCP_OPT.TIMESTAMP : 0) | (pkt.sackCount > 0 ? TCP_OPT.SACK : 0);
    r.onPacket(pkt, p.dir, i + 1, p.t, p.seg ?? 0);
  });
  return r;
}

const B = { minRtoMs: 1000, maxRtoMs: 60_000, granularityMs: 0 };

describe('estimators (numbers by hand)', () => {
  const cases: { name: string; samples: number[]; bounds?: Partial<typeof B>; srtt: number; rttvar: number; rto: number; classic: number; classicRto: number }[] = [
    // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR = 300 → floored to 1000.
    { name: 'first sample, 1 s floor', samples: [0.1], srtt: 100, rttvar: 50, rto: 1000, classic: 100, classicRto: 1000 },
    { name: 'first sample, Linux 200 ms floor', samples: [0.1], bounds: { minRtoMs: 200 }, srtt: 100, rttvar: 50, rto: 300, classic: 100, classicRto: 200 },
    // §2.3: RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5; SRTT = 7/8·100 + 1/8·200 = 112.5; RTO = 112.5 + 250.
    // Classic: 0.9·100 + 0.1·200 = 110; RTO = 2·110 = 220.
    { name: 'second sample', samples: [0.1, 0.2], bounds: { minRtoMs: 200 }, srtt: 112.5, rttvar: 62.5, rto: 362.5, classic: 110, classicRto: 220 },
    // §2.5 cap: 2 s + 4·1 s = 6 s capped at 5 s; classic 4 s.
    { name: 'cap', samples: [2], bounds: { maxRtoMs: 5000 }, srtt: 2000, rttvar: 1000, rto: 5000, classic: 2000, classicRto: 4000 },
    // G: RTTVAR → 0 with identical samples, so RTO = SRTT + G.
    { name: 'granularity G', samples: Array<number>(60).fill(0.5), bounds: { granularityMs: 100 }, srtt: 500, rttvar: 0, rto: 1000, classic: 500, classicRto: 1000 },
    { name: 'granularity G, low floor', samples: Array<number>(60).fill(0.5), bounds: { granularityMs: 100, minRtoMs: 200 }, srtt: 500, rttvar: 0, rto: 600, classic: 500, classicRto: 1000 },
  ];
  test.each(cases)('$name', (c) => {
    const e = new RttEstimator({ ...B, ...c.bounds });
    for (const s of c.samples) e.add(s);
    expect(e.srtt * 1000).toBeCloseTo(c.srtt, 6);
    expect(e.rttvar * 1000).toBeCloseTo(c.rttvar, 3);
    expect(e.rtoMs()).toBeCloseTo(c.rto, 3);
    expect(e.classicSrtt * 1000).toBeCloseTo(c.classic, 6);
    expect(e.classicRtoMs()).toBeCloseTo(c.classicRto, 6);
  });

  test('before any sample the RTO is the initial 1 s (RFC 6298 §2.1)', () => {
    expect(new RttEstimator({ ...B, minRtoMs: 200 }).rtoMs()).toBe(1000);
  });

  test('summary: estimator option chooses what fills srttMs/rtoMs; both are reported', () => {
    const pk: P[] = [
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: S, t: 0.1, ack: 1100 },
      { dir: C, t: 1, seq: 1100, len: 100 },
      { dir: S, t: 1.2, ack: 1200 },
    ];
    const rfc = run(pk, { minRtoMs: 200 }).summary(C);
    expect(rfc).toMatchObject({ estimator: 'rfc6298', samples: 2, srttMs: 112.5, rttvarMs: 62.5, rtoMs: 362.5, minMs: 100, meanMs: 150, maxMs: 200 });
    expect(rfc.classic).toEqual({ srttMs: 110, rtoMs: 220 });
    const cl = run(pk, { minRtoMs: 200, estimator: 'classic' });
    expect(cl.summary(C)).toMatchObject({ estimator: 'classic', srttMs: 110, rttvarMs: null, rtoMs: 220 });
    expect(cl.srtt(C)).toBeCloseTo(0.11, 9);
    expect(cl.srtt(S)).toBe(-1);
  });
});

/** Client SYN (isn 100) → SYN/ACK (isn 5000) → ACK, with t0 offsets. */
function handshake(t0: number, d1: number, d2: number, ts = false, ttlC = 64, ttlS = 64): P[] {
  return [
    { dir: C, t: t0, flags: SYN, seq: 100, ttl: ttlC, ...(ts ? { tsval: 10, tsecr: 0 } : {}) },
    { dir: S, t: t0 + d1, flags: SYN | ACK, seq: 5000, ack: 101, ttl: ttlS, ...(ts ? { tsval: 900, tsecr: 10 } : {}) },
    { dir: C, t: t0 + d1 + d2, seq: 101, ack: 5001, ttl: ttlC, ...(ts ? { tsval: 11, tsecr: 900 } : {}) },
  ];
}

describe('ACK-matched samples', () => {
  test('SYN → SYN/ACK and SYN/ACK → ACK are the first sample of each direction (handshakeMs)', () => {
    const r = run(handshake(0, 0.05, 0.002));
    expect(r.summary(C)).toMatchObject({ samples: 1, handshakeMs: 50, minMs: 50 });
    expect(r.summary(S)).toMatchObject({ samples: 1, handshakeMs: 2 });
  });

  test("Karn's rule: an ACK covering re-sent data gives no sample (ambiguous); later clean data does", () => {
    const r = run([
      ...handshake(0, 0.05, 0.001),
      { dir: C, t: 1.0, seq: 101, len: 100 },
      { dir: C, t: 1.0, seq: 201, len: 100 },
      { dir: C, t: 1.5, seq: 101, len: 100, seg: SEG.RETRANSMISSION },
      { dir: S, t: 1.6, ack: 201 },
      { dir: S, t: 1.7, ack: 301 },
    ]);
    const s = r.summary(C);
    expect(s.ambiguous).toBe(1);
    expect(s.samples).toBe(2); // SYN + the second segment
    expect(s.maxMs).toBe(700);
    expect(r.retxCopy).toBe(-1); // last packet was an ACK
  });

  test('retransmission evidence: first transmission, previous copy, copy number', () => {
    const r = new RttTracker();
    const pkt = new DecodedPacket();
    const feed = (dir: Direction, frame: number, t: number, flags: number, seq: number, len: number, seg = 0): void => {
      pkt.tcpFlags = flags;
      pkt.seq = seq;
      pkt.ack = 0;
      pkt.payloadWireLen = len;
      r.onPacket(pkt, dir, frame, t, seg);
    };
    feed(C, 1, 10, 0, 1000, 100);
    feed(C, 2, 11, 0, 1000, 100, SEG.RETRANSMISSION);
    expect([r.retxFirstFrame, r.retxFirstT, r.retxPrevT, r.retxCopy]).toEqual([1, 10, 10, 2]);
    feed(C, 3, 13, 0, 1050, 100, SEG.RETRANSMISSION); // overlaps the old entry and 50 new bytes
    expect([r.retxFirstFrame, r.retxFirstT, r.retxPrevT, r.retxCopy]).toEqual([1, 10, 11, 3]);
    feed(C, 4, 14, 0, 1150, 10);
    expect(r.retxCopy).toBe(-1);
  });

  test("one sample per ACK: the newest segment it covers (default) or the oldest (Linux's SRTT)", () => {
    const pk: P[] = [
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.01, seq: 1100, len: 100 },
      { dir: S, t: 0.1, ack: 1200 },
    ];
    expect(run(pk).summary(C)).toMatchObject({ samples: 1, minMs: 90 });
    expect(run(pk, { ackSample: 'oldest' }).summary(C)).toMatchObject({ samples: 1, minMs: 100 });
  });

  test('a partly acknowledged segment gives no sample until it is acknowledged in full; duplicate ACKs give none', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: S, t: 0.05, ack: 1050 },
      { dir: S, t: 0.06, ack: 1050 },
      { dir: S, t: 0.08, ack: 1100 },
    ]);
    expect(r.summary(C)).toMatchObject({ samples: 1, minMs: 80 });
  });

  test('FIN occupies one sequence number: FIN → ACK is a sample', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 0, flags: FIN | ACK },
      { dir: S, t: 0.03, ack: 1001 },
    ]);
    expect(r.summary(C)).toMatchObject({ samples: 1, minMs: 30 });
  });

  test('sequence numbers wrapping past 2^32', () => {
    const isn = 0xffffff00;
    const r = run([
      { dir: C, t: 0, seq: isn, len: 200 },
      { dir: C, t: 0.001, seq: isn + 200, len: 200 },
      { dir: S, t: 0.04, ack: isn + 200 },
      { dir: S, t: 0.05, ack: isn + 400 },
    ]);
    expect(r.summary(C)).toMatchObject({ samples: 2, minMs: 40, maxMs: 49 });
  });

  test('a segment beyond the highest sent leaves a hole of unknown timing: the ACK covering it gives no sample', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.001, seq: 1200, len: 100 }, // 1100..1200 never captured
      { dir: S, t: 0.05, ack: 1300 },
    ]);
    expect(r.summary(C)).toMatchObject({ samples: 0, unknownTiming: 1 });
  });

  test('SACK: newly SACKed data sent once times the ACK when the cumulative ACK cannot (Karn)', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.001, seq: 1100, len: 100 },
      { dir: C, t: 0.002, seq: 1200, len: 100 },
      { dir: S, t: 0.05, ack: 1000, sack: [[1100, 1300]] },
    ]);
    const s = r.summary(C);
    expect(s.sack).toMatchObject({ samples: 1, minMs: 48 });
    expect(s.fed).toEqual({ ack: 0, sack: 1, ts: 0 });
  });
});

describe('TSval/TSecr echo samples', () => {
  test('each TSval gives one sample, from its first capture time, on an ACK of new data', () => {
    const r = run([
      ...handshake(0, 0.01, 0.001, true),
      { dir: C, t: 1.0, seq: 101, len: 100, tsval: 100, tsecr: 900 },
      { dir: C, t: 1.001, seq: 201, len: 100, tsval: 100, tsecr: 900 },
      { dir: S, t: 1.05, ack: 201, tsval: 950, tsecr: 100 },
      { dir: S, t: 1.06, ack: 301, tsval: 950, tsecr: 100 }, // same TSval echoed again: no TS sample
      { dir: S, t: 1.07, ack: 301, tsval: 951, tsecr: 100 }, // no new data
    ]);
    const s = r.summary(C);
    expect(s.ts).toMatchObject({ samples: 2, maxMs: 50 }); // SYN's TSval (10 ms) and TSval 100
    expect(s.ack).toMatchObject({ samples: 3 });
    expect(s.fed).toEqual({ ack: 3, sack: 0, ts: 0 });
  });

  test('where Karn leaves no sample, the TS echo feeds the estimator (no ambiguity: it names the copy)', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100, tsval: 150 },
      { dir: C, t: 1.0, seq: 1000, len: 100, tsval: 200, seg: SEG.RETRANSMISSION },
      { dir: S, t: 1.03, ack: 1100, tsecr: 200 },
    ]);
    const s = r.summary(C);
    expect(s).toMatchObject({ samples: 1, ambiguous: 1, minMs: 30, fed: { ack: 0, sack: 0, ts: 1 } });
    expect(r.revisions()).toEqual([]);
  });

  test("tsClock 'sender-ticks' measures as the sender does: (its clock − TSecr) ticks, 0 counted as 1", () => {
    const pk: P[] = [
      { dir: C, t: 0, seq: 1000, len: 100, tsval: 150 },
      { dir: C, t: 1.0, seq: 1000, len: 100, tsval: 200, seg: SEG.RETRANSMISSION },
      { dir: S, t: 1.0002, ack: 1100, tsecr: 200 },
    ];
    expect(run(pk).summary(C).minMs).toBe(0.2);
    expect(run(pk, { tsClock: 'sender-ticks' }).summary(C).minMs).toBe(1);
    expect(run(pk, { tsClock: 'sender-ticks', tsTickMs: 10 }).summary(C).minMs).toBe(10);
  });
});

describe('revisions: later evidence that a retransmission was spurious', () => {
  test('Eifel (RFC 3522): the ACK of re-sent data echoes the original TSval', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100, tsval: 150 },
      { dir: C, t: 1.0, seq: 1000, len: 100, tsval: 200, seg: SEG.RETRANSMISSION },
      { dir: S, t: 1.01, ack: 1100, tsecr: 150 },
    ]);
    expect(r.revisions()).toEqual([{ frame: 3, retransmittedFrame: 2, dir: 'c2s', evidence: 'tsecr' }]);
    expect(r.summary(C).samples).toBe(1); // the echo of 150 is a TS sample of the original
  });

  test('same TS tick for original and copy: Eifel cannot tell (no revision)', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100, tsval: 150 },
      { dir: C, t: 0.0005, seq: 1000, len: 100, tsval: 150, seg: SEG.RETRANSMISSION },
      { dir: S, t: 0.01, ack: 1100, tsecr: 150 },
    ]);
    expect(r.revisions()).toEqual([]);
  });

  test('D-SACK (RFC 2883) below the cumulative ACK names the re-send, once', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.001, seq: 1100, len: 100 },
      { dir: C, t: 0.3, seq: 1000, len: 100, seg: SEG.RETRANSMISSION },
      { dir: S, t: 0.31, ack: 1200 },
      { dir: S, t: 0.32, ack: 1200, sack: [[1000, 1100]] },
      { dir: S, t: 0.33, ack: 1200, sack: [[1000, 1100]] },
    ]);
    expect(r.revisions()).toEqual([{ frame: 5, retransmittedFrame: 3, dir: 'c2s', evidence: 'dsack' }]);
    expect(r.summary(C).dsacks).toBe(2);
  });

  test('D-SACK inside the second block (above the cumulative ACK) names a live re-send', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.001, seq: 1100, len: 100 },
      { dir: C, t: 0.002, seq: 1200, len: 100 },
      { dir: C, t: 0.3, seq: 1100, len: 100, seg: SEG.RETRANSMISSION },
      { dir: S, t: 0.31, ack: 1000, sack: [[1100, 1200], [1100, 1300]] },
    ]);
    expect(r.revisions()).toEqual([{ frame: 5, retransmittedFrame: 4, dir: 'c2s', evidence: 'dsack' }]);
  });
});

describe('observed timeouts and backoff', () => {
  test('RTO retransmissions: time since first transmission, timer, doubling backoff', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 1, seq: 1000, len: 100, seg: SEG.RETRANSMISSION },
      { dir: C, t: 3, seq: 1000, len: 100, seg: SEG.RETRANSMISSION },
      { dir: C, t: 7, seq: 1000, len: 100, seg: SEG.RETRANSMISSION },
      { dir: S, t: 7.05, ack: 1100 },
    ]);
    const s = r.summary(C);
    expect(s.observedRtoMs).toEqual([1000, 3000, 7000]);
    expect(s.timerMs).toEqual([1000, 2000, 4000]);
    expect(s.backoff).toEqual([{ frame: 1, intervalsMs: [1000, 2000, 4000], ratios: [2, 2] }]);
    expect(s).toMatchObject({ timeouts: 3, backoffChains: 1, samples: 0, ambiguous: 1 });
  });

  test('the timer restarts at an ACK of new data (RFC 6298 §5.3)', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.1, seq: 1100, len: 100 },
      { dir: S, t: 0.2, ack: 1100 },
      { dir: C, t: 1.2, seq: 1100, len: 100, seg: SEG.RETRANSMISSION },
    ]);
    expect(r.summary(C)).toMatchObject({ observedRtoMs: [1100], timerMs: [1000] });
  });

  test('fast, spurious and out-of-order re-sends are not timeouts (but still count for Karn)', () => {
    const r = run([
      { dir: C, t: 0, seq: 1000, len: 100 },
      { dir: C, t: 0.01, seq: 1000, len: 100, seg: SEG.FAST_RETRANSMISSION },
      { dir: C, t: 0.02, seq: 1000, len: 100, seg: SEG.OUT_OF_ORDER },
      { dir: S, t: 0.05, ack: 1100 },
      { dir: C, t: 0.06, seq: 1000, len: 100, seg: SEG.SPURIOUS_RETRANSMISSION },
    ]);
    expect(r.summary(C)).toMatchObject({ timeouts: 0, observedRtoMs: [], samples: 0, ambiguous: 1, spuriousRetransmissions: 1 });
  });

  test('SYN retransmissions (Linux 6.x: linear 1 s) form a backoff chain', () => {
    const r = run([
      { dir: C, t: 0, flags: SYN, seq: 100 },
      { dir: C, t: 1, flags: SYN, seq: 100, seg: SEG.RETRANSMISSION },
      { dir: C, t: 2, flags: SYN, seq: 100, seg: SEG.RETRANSMISSION },
      { dir: S, t: 2.01, flags: SYN | ACK, seq: 5000, ack: 101 },
    ]);
    expect(r.summary(C)).toMatchObject({ observedRtoMs: [1000, 2000], backoff: [{ frame: 1, intervalsMs: [1000, 1000], ratios: [1] }], samples: 0, handshakeMs: null });
  });
});

describe('vantage point', () => {
  test('hops from TTL', () => {
    expect([64, 63, 128, 120, 255, 250, 32, 30].map(hopsFromTtl)).toEqual([0, 1, 0, 8, 0, 5, 0, 2]);
  });

  const cases: { name: string; pk: P[]; position: string; basis: string; meaning: [string, string]; half?: [number, number] }[] = [
    { name: 'TTL: client packets undecremented', pk: handshake(0, 0.05, 0.05, false, 64, 60), position: 'client', basis: 'ttl', meaning: ['path', 'ack-delay'] },
    { name: 'TTL: server packets undecremented', pk: handshake(0, 0.001, 0.05, false, 120, 255), position: 'server', basis: 'ttl', meaning: ['ack-delay', 'path'] },
    { name: 'TTL: both decremented', pk: handshake(0, 0.02, 0.03, false, 62, 61), position: 'middle', basis: 'ttl', meaning: ['half-path', 'half-path'], half: [20, 30] },
    { name: 'handshake: SYN→SYN/ACK long, SYN/ACK→ACK short', pk: handshake(0, 0.1, 0.001), position: 'client', basis: 'handshake', meaning: ['path', 'ack-delay'] },
    { name: 'handshake: the reverse', pk: handshake(0, 0.001, 0.1), position: 'server', basis: 'handshake', meaning: ['ack-delay', 'path'] },
    { name: 'handshake: both halves', pk: handshake(0, 0.04, 0.06), position: 'middle', basis: 'handshake', meaning: ['half-path', 'half-path'], half: [40, 60] },
    {
      name: 'no handshake: smallest data→ACK of each direction',
      pk: [
        { dir: C, t: 0, seq: 1000, len: 10, ack: 7000 },
        { dir: S, t: 0.08, seq: 7000, len: 10, ack: 1010 },
        { dir: C, t: 0.081, seq: 1010, ack: 7010 },
      ],
      position: 'client', basis: 'data', meaning: ['path', 'ack-delay'],
    },
    { name: 'nothing to go on', pk: [{ dir: C, t: 0, seq: 1, len: 10 }], position: 'unknown', basis: 'none', meaning: ['unknown', 'unknown'] },
  ];
  test.each(cases)('$name', (c) => {
    const r = run(c.pk);
    const v = r.vantage();
    expect(v).toMatchObject({ position: c.position, basis: c.basis, meaning: { c2s: c.meaning[0], s2c: c.meaning[1] } });
    expect(r.summary(C).meaning).toBe(c.meaning[0]);
    if (c.half !== undefined) expect(v.halfPath).toEqual({ captureToServerMs: c.half[0], captureToClientMs: c.half[1], basis: 'handshake' });
    else expect(v.halfPath).toBeNull();
  });
});

describe('bounds', () => {
  test('outstanding ring full at its cap: segments merge into the newest entry (no sample from it), counted', () => {
    const pk: P[] = [];
    for (let i = 0; i < 20; i++) pk.push({ dir: C, t: i * 0.001, seq: 1000 + i * 10, len: 10 });
    pk.push({ dir: S, t: 0.1, ack: 1080 }, { dir: S, t: 0.2, ack: 1200 });
    const s = run(pk, { maxOutstanding: 8 }).summary(C);
    expect(s.limits.mergedSegments).toBe(12);
    expect(s).toMatchObject({ samples: 1, unknownTiming: 1, maxMs: 94 }); // ACK 1080 times the newest whole entry (1060, sent at 6 ms)
  });

  test('TSval ring full at its cap drops the oldest values, counted', () => {
    const pk: P[] = [];
    for (let i = 0; i < 40; i++) pk.push({ dir: C, t: i * 0.001, seq: 1000 + i * 10, len: 10, tsval: 100 + i });
    pk.push({ dir: S, t: 0.1, ack: 1400, tsecr: 139 });
    const s = run(pk, { maxTsvals: 16 }).summary(C);
    expect(s.limits.droppedTsvals).toBe(24);
    expect(s.ts.samples).toBe(1);
  });

  test('observed timeouts: listed up to the cap, all counted', () => {
    const pk: P[] = [{ dir: C, t: 0, seq: 1000, len: 10 }];
    for (let i = 1; i <= 5; i++) pk.push({ dir: C, t: i, seq: 1000, len: 10, seg: SEG.RETRANSMISSION });
    const s = run(pk, { listCap: 2 }).summary(C);
    expect(s).toMatchObject({ timeouts: 5, observedRtoMs: [1000, 2000] });
  });
});
