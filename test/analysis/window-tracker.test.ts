/**
 * Table-driven scenarios for the window tracker (src/analysis/window-tracker.ts): hand-made
 * segments from the `SEG` template with spread overrides, sent by the client ('c') or the server
 * ('s') at time `t` (seconds), with the SEG bits and window-scale shift the classifier would pass
 * (given here by hand: the tracker does not depend on the classifier). The client ISN sits just
 * below 2^32 so the scenarios cross the sequence wrap.
 */
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { EventLog } from '../../src/analysis/event-log.js';
import type { AnomalyEvent } from '../../src/analysis/anomalies.js';
import { SCALE_UNKNOWN, SEG as BIT } from '../../src/analysis/seg-flags.js';
import { WindowTracker, type WindowOptions } from '../../src/analysis/window-tracker.js';
import { ACK, FIN, PSH, RST, SEG, SYN, packet } from '../helpers/tcp-seg.js';
import type { Seg } from '../helpers/tcp-seg.js';

const CI = 0xffffff00; // client ISN (its data wraps after 256 bytes)
const SI = 7000; // server ISN
const c = (n: number): number => (CI + n) >>> 0;
const s = (n: number): number => (SI + n) >>> 0;
const T0 = 1_700_000_000;

interface Step {
  from: 'c' | 's';
  t: number;
  seg: Seg;
  /** SEG bits the classifier gives this packet (default 0). */
  bits?: number;
  /** Window-scale shift of the sender (default: the scenario's). */
  shift?: number;
  sack?: [number, number][];
  tsval?: number;
}

interface Run {
  tracker: WindowTracker;
  log: EventLog;
  events: AnomalyEvent[];
  section: Record<string, any>;
}

/** Feed the steps (frames 1, 2, ...) and finish at the last one. */
function run(steps: Step[], shift: { c: number; s: number }, opts: WindowOptions = {}, after?: (tr: WindowTracker, i: number) => void): Run {
  const log = new EventLog(100);
  const tracker = new WindowTracker(log, opts);
  steps.forEach((st, i) => {
    const p = packet(st.seg);
    if (st.sack !== undefined) {
      p.sackCount = st.sack.length;
      st.sack.forEach(([l, r], k) => {
        p.sackBlocks[2 * k] = l >>> 0;
        p.sackBlocks[2 * k + 1] = r >>> 0;
      });
    }
    if (st.tsval !== undefined) p.tsval = st.tsval;
    const dir = st.from === 'c' ? DIR.C2S : DIR.S2C;
    tracker.onPacket(p, dir, i + 1, T0 + st.t, st.bits ?? 0, st.shift ?? shift[st.from]);
    after?.(tracker, i);
  });
  const last = steps[steps.length - 1]!;
  tracker.finish(steps.length, T0 + last.t);
  return { tracker, log, events: log.events, section: tracker.section() as Record<string, any> };
}

const HS: Step[] = [
  { from: 'c', t: 0, seg: { ...SEG, flags: SYN, seq: c(0), ack: 0, window: 64240, wscale: 7 } },
  { from: 's', t: 0.001, seg: { ...SEG, flags: SYN | ACK, seq: s(0), ack: c(1), window: 65160, wscale: 5 } },
  { from: 'c', t: 0.002, seg: { ...SEG, seq: c(1), ack: s(1), window: 502 } },
];

describe('window scale and receive window', () => {
  const cases: {
    name: string;
    steps: Step[];
    shift: { c: number; s: number };
    /** rwnd(C2S) = server's window, rwnd(S2C) = client's window, after each step. */
    rwnd: [number, number][];
    client: Record<string, unknown>;
    server: Record<string, unknown>;
  }[] = [
    {
      name: 'both SYNs with WS: windows scaled, the SYN windows not',
      steps: [...HS, { from: 's', t: 0.003, seg: { ...SEG, seq: s(1), ack: c(1), window: 2000 } }],
      shift: { c: 7, s: 5 },
      rwnd: [[-1, 64240], [65160, 64240], [65160, 502 * 128], [64000, 502 * 128]],
      client: { scaleKnown: true, scale: 7, wsOption: 7, synWindow: 64240, unit: 'bytes', samples: 1, min: 64256, max: 64256 },
      server: { scaleKnown: true, scale: 5, wsOption: 5, synWindow: 65160, unit: 'bytes', samples: 1, min: 64000 },
    },
    {
      name: 'one-sided WS: the classifier says shift 0, windows are raw bytes',
      steps: [
        { ...HS[0]! },
        { from: 's', t: 0.001, seg: { ...SEG, flags: SYN | ACK, seq: s(0), ack: c(1), window: 65160 } },
        { from: 'c', t: 0.002, seg: { ...SEG, seq: c(1), ack: s(1), window: 502 } },
      ],
      shift: { c: 0, s: 0 },
      rwnd: [[-1, 64240], [65160, 64240], [65160, 502]],
      client: { scaleKnown: true, scale: 0, wsOption: 7, unit: 'bytes', min: 502 },
      server: { scaleKnown: true, scale: 0, wsOption: null, synWindow: 65160, unit: null, samples: 0, min: null, mean: null },
    },
    {
      name: 'handshake not captured: scale unknown, raw values only, rwnd -1',
      steps: [
        { from: 'c', t: 0, seg: { ...SEG, flags: ACK | PSH, seq: c(1), ack: s(1), len: 100, window: 502 } },
        { from: 's', t: 1, seg: { ...SEG, seq: s(1), ack: c(101), window: 300 } },
        { from: 's', t: 2, seg: { ...SEG, seq: s(1), ack: c(101), window: 900 } },
      ],
      shift: { c: SCALE_UNKNOWN, s: SCALE_UNKNOWN },
      rwnd: [[-1, -1], [-1, -1], [-1, -1]],
      client: { scaleKnown: false, scale: 'unknown', synSeen: false, wsOption: null, synWindow: null, unit: 'raw', min: 502, max: 502 },
      server: { scaleKnown: false, scale: 'unknown', unit: 'raw', samples: 2, min: 300, max: 900, mean: 300, last: 900 },
    },
  ];
  test.each(cases)('$name', ({ steps, shift, rwnd, client, server }) => {
    const seen: [number, number][] = [];
    const r = run(steps, shift, {}, (tr) => seen.push([tr.rwnd(DIR.C2S), tr.rwnd(DIR.S2C)]));
    expect(seen).toEqual(rwnd);
    expect(r.section['client']).toMatchObject(client);
    expect(r.section['server']).toMatchObject(server);
    expect(r.events).toEqual([]);
  });

  test('mean over time weights each window by how long it stood; the timeline keeps changes', () => {
    const r = run([
      ...HS,
      { from: 's', t: 1, seg: { ...SEG, seq: s(1), ack: c(1), window: 1000 } },
      { from: 's', t: 2, seg: { ...SEG, seq: s(1), ack: c(1), window: 3000 } },
      { from: 's', t: 3, seg: { ...SEG, seq: s(1), ack: c(1), window: 3000 } },
      { from: 'c', t: 5, seg: { ...SEG, seq: c(1), ack: s(1), window: 502 } },
    ], { c: 0, s: 0 });
    // 1000 for 1 s, then 3000 for 3 s → 2500.
    expect(r.section['server']).toMatchObject({ samples: 3, min: 1000, max: 3000, mean: 2500, last: 3000 });
    expect(r.section['server'].timeline).toEqual({ stride: 1, changes: 2, points: [[T0 + 1, 1000], [T0 + 2, 3000]] });
  });

  test('timelines: false keeps no series and leaves them out of the section (summaries unchanged)', () => {
    const r = run([...HS, { from: 's', t: 1, seg: { ...SEG, seq: s(1), ack: c(1), window: 1000 } }], { c: 0, s: 0 }, { timelines: false });
    expect(r.section['server'].timeline).toBeUndefined();
    expect(r.section['server']).toMatchObject({ samples: 1, min: 1000, max: 1000 });
    expect(r.section['inFlight'].c2s.timeline).toBeUndefined();
    expect(r.section['timelines']).toBeUndefined();
  });
});

describe('zero-window periods, probes and persist backoff', () => {
  /** Client sent 1000 bytes, all acknowledged; then the server's window closes at t = 1. */
  const pre: Step[] = [
    ...HS,
    { from: 'c', t: 0.01, seg: { ...SEG, flags: ACK | PSH, seq: c(1), ack: s(1), len: 1000, window: 502 } },
  ];
  const zero = (t: number, ack = c(1001)): Step => ({ from: 's', t, seg: { ...SEG, seq: s(1), ack, window: 0 } });
  const open = (t: number, w = 40, ack = c(1001)): Step => ({ from: 's', t, seg: { ...SEG, seq: s(1), ack, window: w } });
  /** A Linux persist probe: 0 bytes at SND.NXT − 1. */
  const probe = (t: number): Step => ({ from: 'c', t, seg: { ...SEG, seq: c(1000), ack: s(1), window: 502 }, bits: BIT.ZERO_WINDOW_PROBE | BIT.PROBE_KEEPALIVE_SHAPE });
  const probeAck = (t: number): Step => ({ ...zero(t), bits: BIT.ZERO_WINDOW_PROBE_ACK });

  const cases: {
    name: string;
    steps: Step[];
    opts?: WindowOptions;
    events: { code: string; frame: number; dir: string; detail: Record<string, unknown> }[];
    server: Record<string, unknown>;
  }[] = [
    {
      name: 'stall closed by a window update; probes back off 0.2, 0.4, 0.8 s',
      steps: [...pre, zero(1), probe(1.2), probeAck(1.2001), probe(1.6), probeAck(1.6001), probe(2.4), probeAck(2.4001), open(3)],
      events: [
        { code: 'zero_window_stall', frame: 12, dir: 's2c', detail: { durationMs: 2000, probes: 3, startFrame: 5, endFrame: 12 } },
        { code: 'persist_backoff', frame: 12, dir: 'c2s', detail: { probes: 3, firstProbeMs: 200, intervalsMs: [400, 800], doubling: true } },
      ],
      server: { count: 4, stalls: 1, stallMs: 2000, probes: 3, longestMs: 2000, openAtEnd: false },
    },
    {
      name: 'stall still open at the end of the flow',
      steps: [...pre, zero(1), probe(1.3), probeAck(1.5)],
      events: [{ code: 'zero_window_stall', frame: 7, dir: 's2c', detail: { durationMs: 500, probes: 1, startFrame: 5, endFrame: null } }],
      server: { count: 2, stalls: 1, stallMs: 500, probes: 1, openAtEnd: true },
    },
    {
      name: 'a period under the 200 ms threshold is counted, not reported',
      steps: [...pre, zero(1), open(1.15)],
      events: [],
      server: { count: 1, stalls: 1, stallMs: 150, probes: 0, longestMs: 150 },
    },
    {
      name: 'the threshold is an option',
      steps: [...pre, zero(1), open(1.15)],
      opts: { stallThresholdMs: 100 },
      events: [{ code: 'zero_window_stall', frame: 6, dir: 's2c', detail: { durationMs: 150, probes: 0, startFrame: 5, endFrame: 6 } }],
      server: { count: 1, stalls: 1, stallMs: 150 },
    },
    {
      name: 'probes at a constant interval do not double',
      steps: [...pre, zero(1), probe(1.2), probe(1.6), probe(2.0), probe(2.4), open(3)],
      events: [
        { code: 'zero_window_stall', frame: 10, dir: 's2c', detail: { durationMs: 2000, probes: 4 } },
        { code: 'persist_backoff', frame: 10, dir: 'c2s', detail: { intervalsMs: [400, 400, 400], doubling: false } },
      ],
      server: { stalls: 1, probes: 4 },
    },
    {
      name: "data in flight when the window closed: the first probe's delay is not a backoff step",
      steps: [
        ...pre,
        { from: 'c', t: 0.5, seg: { ...SEG, flags: ACK | PSH, seq: c(1001), ack: s(1), len: 500, window: 502 } },
        zero(1), probe(1.7), probe(2.1), open(3, 100),
      ],
      events: [
        { code: 'zero_window_stall', frame: 9, dir: 's2c', detail: { durationMs: 2000, probes: 2 } },
        { code: 'persist_backoff', frame: 9, dir: 'c2s', detail: { firstProbeMs: 700, intervalsMs: [400], doubling: null } },
      ],
      server: { stalls: 1, probes: 2 },
    },
    {
      name: 'window 0 on SYN, RST or FIN is not a zero window; a FIN with a window ends a period',
      steps: [
        { ...HS[0]! },
        { from: 's', t: 0.001, seg: { ...SEG, flags: SYN | ACK, seq: s(0), ack: c(1), window: 0, wscale: 5 } },
        { from: 'c', t: 0.002, seg: { ...SEG, seq: c(1), ack: s(1), window: 502 } },
        zero(1, c(1)),
        { from: 's', t: 1.5, seg: { ...SEG, flags: FIN | ACK, seq: s(1), ack: c(1), window: 0 } },
        { from: 's', t: 2, seg: { ...SEG, flags: FIN | ACK, seq: s(1), ack: c(1), window: 10 } },
        { from: 's', t: 3, seg: { ...SEG, flags: RST, seq: s(2), ack: 0, window: 0 } },
      ],
      events: [{ code: 'zero_window_stall', frame: 6, dir: 's2c', detail: { durationMs: 1000, probes: 0, startFrame: 4, endFrame: 6 } }],
      server: { count: 1, stalls: 1, stallMs: 1000, openAtEnd: false },
    },
    {
      name: 'two periods, the second below the threshold: both in the summary',
      steps: [
        ...pre, zero(1), open(2), // 40 << 5 = 1280 bytes open
        { from: 'c', t: 2.5, seg: { ...SEG, flags: ACK | PSH, seq: c(1001), ack: s(1), len: 1280, window: 502 } },
        zero(3, c(2281)), open(3.1, 40, c(2281)),
      ],
      events: [{ code: 'zero_window_stall', frame: 6, dir: 's2c', detail: { durationMs: 1000 } }],
      server: { count: 2, stalls: 2, stallMs: 1100, longestMs: 1000 },
    },
  ];
  test.each(cases)('$name', ({ steps, opts, events, server }) => {
    const r = run(steps, { c: 7, s: 5 }, opts);
    expect(r.events).toMatchObject(events);
    expect(r.events.length).toBe(events.length);
    const zw = r.tracker.zeroWindow();
    expect(zw.server).toMatchObject(server);
    expect(zw.client).toEqual({ count: 0, stalls: 0, stallMs: 0, probes: 0, longestMs: 0, openAtEnd: false });
  });
});

describe('window shrink (right edge moving left)', () => {
  const base: Step[] = [...HS, { from: 's', t: 0.01, seg: { ...SEG, seq: s(1), ack: c(1), window: 200 }, tsval: 10 }]; // edge c(1) + 6400
  const sw = (t: number, ack: number, window: number, extra: Partial<Step> = {}): Step => ({ from: 's', t, seg: { ...SEG, seq: s(1), ack, window }, ...extra });
  const cases: { name: string; steps: Step[]; shift?: { c: number; s: number }; shrinks: { byBytes: number; fromRightEdge: number; toRightEdge: number }[] }[] = [
    { name: 'same ACK, smaller window: shrink', steps: [...base, sw(1, c(1), 100)], shrinks: [{ byBytes: 3200, fromRightEdge: c(6401), toRightEdge: c(3201) }] },
    { name: 'ACK advances, window shrinks by as much: edge unchanged', steps: [...base, sw(1, c(3201), 100)], shrinks: [] },
    { name: 'ACK advances less than the window shrinks', steps: [...base, sw(1, c(1001), 100)], shrinks: [{ byBytes: 2200, fromRightEdge: c(6401), toRightEdge: c(4201) }] },
    { name: 'move smaller than one scale unit (32 bytes): rounding, not a shrink', steps: [...base, sw(1, c(11), 199)], shrinks: [] },
    { name: 'an older ACK shown later (reordered): not compared', steps: [...base, sw(1, c(1001), 250), sw(1.1, c(1), 200)], shrinks: [] },
    { name: 'an older TSval (reordered, same ACK): not compared', steps: [...base, sw(1, c(1), 250, { tsval: 12 }), sw(1.1, c(1), 200, { tsval: 11 })], shrinks: [] },
    {
      name: 'same ACK with less SACK information (reordered): not compared',
      steps: [...base, sw(1, c(1), 250, { sack: [[c(101), c(901)]] }), sw(1.1, c(1), 200, { sack: [[c(101), c(201)]] })],
      shrinks: [],
    },
    { name: 'scale unknown: never judged', steps: [...base, sw(1, c(1), 100, { shift: SCALE_UNKNOWN })], shrinks: [] },
    {
      name: "after the peer's FIN is acknowledged the window is moot",
      steps: [...base, { from: 'c', t: 0.5, seg: { ...SEG, flags: FIN | ACK, seq: c(1), ack: s(1), window: 502 } }, sw(1, c(2), 10)],
      shrinks: [],
    },
    { name: 'wrap-around: edge crosses 2^32 without a false shrink', steps: [...base, sw(1, c(400), 190)], shrinks: [] },
  ];
  test.each(cases)('$name', ({ steps, shift, shrinks }) => {
    const r = run(steps, shift ?? { c: 7, s: 5 });
    expect(r.events.filter((e) => e.code === 'window_shrink').map((e) => e.detail)).toEqual(shrinks);
    expect(r.section['server'].shrinks).toBe(shrinks.length);
  });
});

describe('bytes in flight (SACK-aware) and window full', () => {
  const data = (t: number, off: number, len: number): Step => ({ from: 'c', t, seg: { ...SEG, flags: ACK | PSH, seq: c(1 + off), ack: s(1), len, window: 502 } });
  const ack = (t: number, off: number, sack?: [number, number][], window = 2000): Step => ({ from: 's', t, seg: { ...SEG, seq: s(1), ack: c(1 + off), window }, ...(sack ? { sack } : {}) });
  const S = (a: number, b: number): [number, number] => [c(1 + a), c(1 + b)];
  test.each([
    {
      name: 'plain: highest sequence sent minus the cumulative ACK',
      steps: [...HS, data(1, 0, 1000), data(1, 1000, 1000), data(1, 2000, 1000), ack(2, 1000), ack(3, 3000)],
      inFlight: [-1, 0, 0, 1000, 2000, 3000, 2000, 0],
    },
    {
      name: 'SACKed bytes above the ACK are not in flight; D-SACK below the ACK ignored; ACK without SACK clears',
      steps: [
        ...HS,
        data(1, 0, 1000), data(1, 1000, 1000), data(1, 2000, 1000), data(1, 3000, 1000), data(1, 4000, 1000),
        ack(2, 0, [S(1000, 2000)]), // 5000 out, 1000 SACKed
        ack(2, 0, [S(3000, 4000), S(1000, 2000)]), // + another 1000
        ack(2, 0, [S(1000, 4000)]), // merged: 3000 SACKed
        ack(3, 4000, [S(0, 1000)]), // the hole filled; a D-SACK (RFC 2883) below the ACK is ignored
        ack(3.5, 4000, [S(4500, 5000)]),
        ack(4, 4000), // no SACK blocks: the receiver holds nothing above the ACK
      ],
      inFlight: [-1, 0, 0, 1000, 2000, 3000, 4000, 5000, 4000, 3000, 2000, 1000, 500, 1000],
    },
  ])('$name', ({ steps, inFlight }) => {
    const seen: number[] = [];
    run(steps, { c: 7, s: 5 }, {}, (tr) => seen.push(tr.inFlight(DIR.C2S)));
    expect(seen).toEqual(inFlight);
  });

  test('max, time-weighted mean and the window-full fraction', () => {
    // Server window 2000 << 5 = 64000 bytes; client fills it for 1 s out of 4.
    const big = (t: number, off: number): Step => ({ from: 'c', t, seg: { ...SEG, flags: ACK, seq: c(1 + off), ack: s(1), len: 32000, window: 502 } });
    const r = run([...HS, ack(0.003, 0), big(1, 0), big(1, 32000), ack(2, 64000), ack(4, 64000)], { c: 7, s: 5 });
    const c2s = r.section['inFlight'].c2s;
    expect(c2s.maxBytes).toBe(64000);
    expect(c2s.windowFullMs).toBe(1000);
    // known from the SYN/ACK (t 0.001: ACK and SYN window) to t 4: 64000 for 1 s of 3.999 s
    expect(Math.abs(c2s.meanBytes - 64000 / 3.999)).toBeLessThan(1);
    expect(c2s.windowFullFraction).toBeCloseTo(1 / 3.999, 4);
  });

  test('bounded scoreboard: past its ranges the highest is dropped and counted (in flight errs high)', () => {
    const steps: Step[] = [...HS];
    for (let i = 0; i < 10; i++) steps.push(data(1, i * 1000, 1000));
    steps.push(ack(2, 0, [S(1000, 2000), S(3000, 4000), S(5000, 6000)]));
    steps.push(ack(2, 0, [S(7000, 8000), S(5000, 6000), S(3000, 4000)]));
    const r = run(steps, { c: 7, s: 5 }, { sackRanges: 3 });
    expect(r.tracker.inFlight(DIR.C2S)).toBe(7000);
    expect(r.section['inFlight'].c2s.sackOverflows).toBe(1);
  });
});

describe('keep-alives', () => {
  const ka = (t: number): Step => ({ from: 'c', t, seg: { ...SEG, seq: c(100), ack: s(1), window: 502 }, bits: BIT.KEEP_ALIVE });
  const kaAck = (t: number): Step => ({ from: 's', t, seg: { ...SEG, seq: s(1), ack: c(101), window: 2000 }, bits: BIT.KEEP_ALIVE_ACK });
  const pre: Step[] = [
    ...HS,
    { from: 'c', t: 0.01, seg: { ...SEG, flags: ACK | PSH, seq: c(1), ack: s(1), len: 100, window: 502 } },
    { from: 's', t: 0.02, seg: { ...SEG, seq: s(1), ack: c(101), window: 2000 } },
  ];
  test('counted per sender, answers matched, intervals and the idle time before each run', () => {
    const r = run([
      ...pre, ka(1.02), kaAck(1.021), ka(2.02), kaAck(2.0205), ka(3.02),
      { from: 'c', t: 4, seg: { ...SEG, flags: ACK | PSH, seq: c(101), ack: s(1), len: 10, window: 502 } },
      { from: 's', t: 4.001, seg: { ...SEG, seq: s(1), ack: c(111), window: 2000 } },
      { ...ka(9.001), seg: { ...SEG, seq: c(110), ack: s(1), window: 502 } },
    ], { c: 7, s: 5 });
    const k = r.section['keepAlive'];
    expect(k.client).toMatchObject({
      sent: 4, answered: 2, unanswered: 2, runs: 2, idleBeforeMs: [1000, 5000], intervalsMs: [1000, 1000],
      minIntervalMs: 1000, meanIntervalMs: 1000, maxIntervalMs: 1000,
    });
    expect(k.client.listed).toEqual([
      { frame: 6, ts: T0 + 1.02, answeredFrame: 7, answerMs: 1 },
      { frame: 8, ts: T0 + 2.02, answeredFrame: 9, answerMs: 0.5 },
      { frame: 10, ts: T0 + 3.02, answeredFrame: null, answerMs: null },
      { frame: 13, ts: T0 + 9.001, answeredFrame: null, answerMs: null },
    ]);
    expect(k.server).toMatchObject({ sent: 0, answered: 0, intervalsMs: [], minIntervalMs: null });
  });
});

describe('RST segments', () => {
  test('an RST changes neither the windows nor the bytes in flight', () => {
    const r = run([
      ...HS,
      { from: 'c', t: 1, seg: { ...SEG, flags: ACK | PSH, seq: c(1), ack: s(1), len: 100, window: 502 } },
      { from: 's', t: 2, seg: { ...SEG, flags: RST | ACK, seq: s(1), ack: c(101), window: 0 } },
    ], { c: 7, s: 5 });
    expect(r.tracker.inFlight(DIR.C2S)).toBe(100);
    expect(r.tracker.rwnd(DIR.C2S)).toBe(65160);
    expect(r.tracker.zeroWindow().server.count).toBe(0);
  });
});
