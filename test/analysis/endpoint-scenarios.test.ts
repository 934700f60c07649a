/**
 * Table-driven scenarios for both endpoints' RFC 9293 states (style guide item 17): each step is
 * a segment made from the `SEG` template with spread overrides, sent by the client ('c') or the
 * server ('s'), and the states expected right after it ([client, server], receipts still
 * waiting for evidence not applied: see endpoint-state.ts) — then the final summary. The client
 * ISN sits just below 2^32 so every scenario crosses the sequence wrap.
 */
import { describe, expect, test } from 'vitest';
import { ConnectionTracker } from '../../src/analysis/connection-tracker.js';
import type { ConnectionSummary } from '../../src/analysis/connection-tracker.js';
import { ACK, FIN, PSH, RST, SEG, SYN, packet } from '../helpers/tcp-seg.js';
import type { Seg } from '../helpers/tcp-seg.js';

const CI = 0xfffffff0; // client ISN (wraps)
const SI = 5000; // server ISN
/** Client / server sequence number `n` after the ISN. */
const c = (n: number): number => (CI + n) >>> 0;
const s = (n: number): number => (SI + n) >>> 0;

interface Step {
  from: 'c' | 's';
  seg: Seg;
  /** [client, server] right after the step. */
  expect?: [string, string];
}

interface Scenario {
  name: string;
  steps: Step[];
  final: [string, string];
  connState?: string;
  history?: string;
  close?: ConnectionSummary['close'];
  events?: string[];
}

/** The usual handshake: client ISN CI, server ISN SI. */
const HANDSHAKE: Step[] = [
  { from: 'c', seg: { ...SEG, flags: SYN, seq: c(0), ack: 0, mss: 1460, wscale: 7, sackPerm: true, timestamps: true }, expect: ['SYN_SENT', 'UNKNOWN'] },
  { from: 's', seg: { ...SEG, flags: SYN | ACK, seq: s(0), ack: c(1), mss: 1400, wscale: 15 }, expect: ['SYN_SENT', 'SYN_RECEIVED'] },
  { from: 'c', seg: { ...SEG, seq: c(1), ack: s(1) }, expect: ['ESTABLISHED', 'ESTABLISHED'] },
];
/** Established, each side has sent 100 bytes and both are acknowledged. */
const ESTABLISHED: Step[] = [
  ...HANDSHAKE,
  { from: 'c', seg: { ...SEG, flags: ACK | PSH, seq: c(1), ack: s(1), len: 100 } },
  { from: 's', seg: { ...SEG, flags: ACK | PSH, seq: s(1), ack: c(101), len: 100 } },
  { from: 'c', seg: { ...SEG, seq: c(101), ack: s(101) }, expect: ['ESTABLISHED', 'ESTABLISHED'] },
];
const cFin = { ...SEG, flags: FIN | ACK, seq: c(101), ack: s(101) };
const sFin = { ...SEG, flags: FIN | ACK, seq: s(101), ack: c(101) };

const SCENARIOS: Scenario[] = [
  { name: 'three-way handshake', steps: HANDSHAKE, final: ['ESTABLISHED', 'ESTABLISHED'], connState: 'S1', history: 'ShA' },
  {
    name: 'simultaneous open (RFC 9293 figure 8)',
    steps: [
      { from: 'c', seg: { ...SEG, flags: SYN, seq: c(0) }, expect: ['SYN_SENT', 'UNKNOWN'] },
      { from: 's', seg: { ...SEG, flags: SYN, seq: s(0) }, expect: ['SYN_SENT', 'SYN_SENT'] },
      { from: 'c', seg: { ...SEG, flags: SYN | ACK, seq: c(0), ack: s(1) }, expect: ['SYN_RECEIVED', 'SYN_SENT'] },
      { from: 's', seg: { ...SEG, flags: SYN | ACK, seq: s(0), ack: c(1) }, expect: ['SYN_RECEIVED', 'ESTABLISHED'] },
      { from: 'c', seg: { ...SEG, seq: c(1), ack: s(1) }, expect: ['ESTABLISHED', 'ESTABLISHED'] },
    ],
    final: ['ESTABLISHED', 'ESTABLISHED'], connState: 'S1', history: 'SsA',
  },
  {
    name: 'SYN retransmitted twice, then answered',
    steps: [
      { from: 'c', seg: { ...SEG, flags: SYN, seq: c(0) } },
      { from: 'c', seg: { ...SEG, flags: SYN, seq: c(0) }, expect: ['SYN_SENT', 'UNKNOWN'] },
      { from: 'c', seg: { ...SEG, flags: SYN, seq: c(0) } },
      ...HANDSHAKE.slice(1),
    ],
    final: ['ESTABLISHED', 'ESTABLISHED'], connState: 'S1', history: 'ShA', events: ['syn_retransmission', 'syn_retransmission'],
  },
  { name: 'SYN unanswered (S0)', steps: HANDSHAKE.slice(0, 1), final: ['SYN_SENT', 'UNKNOWN'], connState: 'S0', history: 'S', events: ['handshake_unanswered'] },
  {
    name: 'refused: RST/ACK answers the SYN (REJ)',
    steps: [HANDSHAKE[0]!, { from: 's', seg: { ...SEG, flags: RST | ACK, seq: 0, ack: c(1), window: 0 }, expect: ['CLOSED', 'CLOSED'] }],
    final: ['CLOSED', 'CLOSED'], connState: 'REJ', history: 'Sr', close: { kind: 'rst', by: 'server' }, events: ['connection_refused'],
  },
  {
    name: 'RST without ACK in SYN_SENT is not acceptable (RFC 9293 §3.10.7.3)',
    steps: [HANDSHAKE[0]!, { from: 's', seg: { ...SEG, flags: RST, seq: 0, ack: 0 }, expect: ['SYN_SENT', 'UNKNOWN'] }],
    final: ['SYN_SENT', 'UNKNOWN'], connState: 'REJ', close: { kind: 'none', by: null },
  },
  {
    name: 'client SYN then client RST (RSTOS0)',
    steps: [HANDSHAKE[0]!, { from: 'c', seg: { ...SEG, flags: RST, seq: c(1), ack: 0 }, expect: ['CLOSED', 'UNKNOWN'] }],
    final: ['CLOSED', 'UNKNOWN'], connState: 'RSTOS0', history: 'SR',
  },
  {
    name: 'client SYN then FIN without SYN/ACK (SH)',
    steps: [HANDSHAKE[0]!, { from: 'c', seg: { ...SEG, flags: FIN, seq: c(1), ack: 0 }, expect: ['FIN_WAIT_1', 'UNKNOWN'] }],
    final: ['FIN_WAIT_1', 'UNKNOWN'], connState: 'SH', history: 'SF', events: ['handshake_unanswered'],
  },
  {
    name: 'SYN_RECEIVED + RST from the client: the server returns to LISTEN (§3.10.7.4)',
    steps: [...HANDSHAKE.slice(0, 2), { from: 'c', seg: { ...SEG, flags: RST, seq: c(1), ack: 0 }, expect: ['CLOSED', 'LISTEN'] }],
    final: ['CLOSED', 'LISTEN'], connState: 'RSTO', history: 'ShR',
  },
  {
    name: 'active close by the client, passive close by the server',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin, expect: ['FIN_WAIT_1', 'ESTABLISHED'] },
      { from: 's', seg: { ...SEG, seq: s(101), ack: c(102) }, expect: ['FIN_WAIT_2', 'CLOSE_WAIT'] },
      { from: 's', seg: { ...sFin, ack: c(102) }, expect: ['FIN_WAIT_2', 'LAST_ACK'] },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(102) }, expect: ['TIME_WAIT', 'CLOSED'] },
    ],
    final: ['TIME_WAIT', 'CLOSED'], connState: 'SF', history: 'ShADdFaf', close: { kind: 'fin', by: 'client' },
  },
  {
    name: 'server answers the FIN with FIN/ACK at once: the client goes FIN_WAIT_1 → TIME_WAIT',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 's', seg: { ...sFin, ack: c(102) }, expect: ['FIN_WAIT_1', 'LAST_ACK'] },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(102) }, expect: ['TIME_WAIT', 'CLOSED'] },
    ],
    final: ['TIME_WAIT', 'CLOSED'], connState: 'SF', close: { kind: 'fin', by: 'client' },
  },
  {
    name: 'simultaneous close: FIN_WAIT_1 → CLOSING → TIME_WAIT on both sides',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin, expect: ['FIN_WAIT_1', 'ESTABLISHED'] },
      { from: 's', seg: sFin, expect: ['FIN_WAIT_1', 'FIN_WAIT_1'] },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(102) }, expect: ['CLOSING', 'FIN_WAIT_1'] },
      { from: 's', seg: { ...SEG, seq: s(102), ack: c(102) }, expect: ['TIME_WAIT', 'TIME_WAIT'] },
    ],
    final: ['TIME_WAIT', 'TIME_WAIT'], connState: 'SF', close: { kind: 'fin', by: 'both' },
  },
  {
    name: 'FIN retransmitted: no change until acknowledged',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 'c', seg: cFin, expect: ['FIN_WAIT_1', 'ESTABLISHED'] },
      { from: 's', seg: { ...SEG, seq: s(101), ack: c(102) }, expect: ['FIN_WAIT_2', 'CLOSE_WAIT'] },
    ],
    final: ['FIN_WAIT_2', 'CLOSE_WAIT'], connState: 'S2', history: 'ShADdFa', close: { kind: 'fin', by: 'client' },
  },
  {
    name: 'half-close: the server keeps sending after the client FIN (no anomaly)',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 's', seg: { ...SEG, seq: s(101), ack: c(102) } },
      { from: 's', seg: { ...SEG, flags: ACK | PSH, seq: s(101), ack: c(102), len: 1000 }, expect: ['FIN_WAIT_2', 'CLOSE_WAIT'] },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(1101) } },
      { from: 's', seg: { ...sFin, seq: s(1101), ack: c(102) }, expect: ['FIN_WAIT_2', 'LAST_ACK'] },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(1102) }, expect: ['TIME_WAIT', 'CLOSED'] },
    ],
    final: ['TIME_WAIT', 'CLOSED'], connState: 'SF', events: [],
  },
  {
    name: 'data after the own FIN',
    steps: [...ESTABLISHED, { from: 'c', seg: cFin }, { from: 'c', seg: { ...SEG, flags: ACK | PSH, seq: c(102), ack: s(101), len: 10 } }],
    final: ['FIN_WAIT_1', 'CLOSE_WAIT'], events: ['data_after_close'],
  },
  {
    name: 'RST in ESTABLISHED from the server, no FIN: connection_reset (RSTR); data to the reset endpoint',
    steps: [
      ...ESTABLISHED,
      { from: 's', seg: { ...SEG, flags: RST | ACK, seq: s(101), ack: c(101) }, expect: ['CLOSED', 'CLOSED'] },
      { from: 'c', seg: { ...SEG, flags: ACK | PSH, seq: c(101), ack: s(101), len: 10 } },
      { from: 's', seg: { ...SEG, flags: RST, seq: c(111) >>> 0 === 0 ? 1 : s(101), ack: 0 } },
    ],
    final: ['CLOSED', 'CLOSED'], connState: 'RSTR', history: 'ShADdr', close: { kind: 'rst', by: 'server' },
    events: ['connection_reset', 'data_after_close'],
  },
  {
    name: 'RST acknowledging less than the client sent: rst_on_close (unread data)',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: { ...SEG, flags: ACK | PSH, seq: c(101), ack: s(101), len: 50 } },
      { from: 's', seg: { ...SEG, flags: RST | ACK, seq: s(101), ack: c(101) }, expect: ['CLOSED', 'CLOSED'] },
    ],
    final: ['CLOSED', 'CLOSED'], events: ['rst_on_close'],
  },
  {
    name: 'RST from the active closer in FIN_WAIT_2: rst_on_close, fin+rst',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 's', seg: { ...SEG, seq: s(101), ack: c(102) }, expect: ['FIN_WAIT_2', 'CLOSE_WAIT'] },
      { from: 'c', seg: { ...SEG, flags: RST, seq: c(102), ack: 0 }, expect: ['CLOSED', 'CLOSED'] },
    ],
    final: ['CLOSED', 'CLOSED'], connState: 'RSTO', close: { kind: 'fin+rst', by: 'client' }, events: ['rst_on_close'],
  },
  {
    name: 'RST in CLOSE_WAIT and LAST_ACK states',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 's', seg: { ...sFin, ack: c(102) }, expect: ['FIN_WAIT_1', 'LAST_ACK'] },
      { from: 's', seg: { ...SEG, flags: RST, seq: s(102), ack: 0 }, expect: ['CLOSED', 'CLOSED'] },
    ],
    final: ['CLOSED', 'CLOSED'], close: { kind: 'fin+rst', by: 'client' }, events: ['rst_on_close'],
  },
  {
    name: 'RST received in TIME_WAIT closes it (RFC 9293 §3.10.7.4; RFC 1337 hazard noted)',
    steps: [
      ...ESTABLISHED,
      { from: 'c', seg: cFin },
      { from: 's', seg: { ...sFin, ack: c(102) } },
      { from: 'c', seg: { ...SEG, seq: c(102), ack: s(102) }, expect: ['TIME_WAIT', 'CLOSED'] },
      { from: 's', seg: { ...SEG, flags: RST, seq: s(102), ack: 0 }, expect: ['CLOSED', 'CLOSED'] },
    ],
    final: ['CLOSED', 'CLOSED'],
  },
  {
    name: 'out-of-window RST is ignored (RFC 5961 §3)',
    steps: [...ESTABLISHED, { from: 's', seg: { ...SEG, flags: RST | ACK, seq: s(50_000_000), ack: c(101) }, expect: ['ESTABLISHED', 'ESTABLISHED'] }],
    final: ['ESTABLISHED', 'ESTABLISHED'], close: { kind: 'none', by: null }, events: [],
  },
  {
    name: 'mid-stream pickup: UNKNOWN until each side sends, then ESTABLISHED (OTH)',
    steps: [
      { from: 's', seg: { ...SEG, flags: ACK | PSH, seq: s(1), ack: c(1), len: 100 }, expect: ['UNKNOWN', 'ESTABLISHED'] },
      { from: 'c', seg: { ...SEG, seq: c(1), ack: s(101) }, expect: ['ESTABLISHED', 'ESTABLISHED'] },
    ],
    final: ['ESTABLISHED', 'ESTABLISHED'], connState: 'OTH', history: 'dA',
  },
  {
    name: 'mid-stream pickup during the close: FIN received by an UNKNOWN endpoint → CLOSE_WAIT',
    steps: [
      { from: 'c', seg: cFin, expect: ['FIN_WAIT_1', 'UNKNOWN'] },
      { from: 's', seg: { ...SEG, seq: s(101), ack: c(102) }, expect: ['FIN_WAIT_2', 'CLOSE_WAIT'] },
    ],
    final: ['FIN_WAIT_2', 'CLOSE_WAIT'], connState: 'SH', history: 'Fa',
  },
];

function run(sc: Scenario): ConnectionSummary {
  const t = new ConnectionTracker();
  sc.steps.forEach((st, i) => {
    t.onPacket(packet(st.seg), st.from === 'c' ? 0 : 1, i + 1, 1_700_000_000 + i, i * 1000);
    if (st.expect) expect([i + 1, Object.values(t.currentStates())]).toEqual([i + 1, st.expect]);
  });
  return t.finish();
}

describe('endpoint state scenarios', () => {
  test.each(SCENARIOS.map((sc) => [sc.name, sc] as const))('%s', (_name, sc) => {
    const sum = run(sc);
    expect([sum.state.client, sum.state.server]).toEqual(sc.final);
    if (sc.connState !== undefined) expect(sum.state.connState).toBe(sc.connState);
    if (sc.history !== undefined) expect(sum.state.history).toBe(sc.history);
    if (sc.close !== undefined) expect(sum.close).toEqual(sc.close);
    if (sc.events !== undefined) expect(sum.anomalies.map((a) => a.code)).toEqual(sc.events);
    // transitions are consistent: each starts where the previous one of that endpoint ended
    for (const who of ['client', 'server'] as const) {
      const ts = sum.state.transitions.filter((x) => x.endpoint === who);
      for (let i = 1; i < ts.length; i++) expect(ts[i]!.from).toBe(ts[i - 1]!.to);
    }
    expect(JSON.parse(JSON.stringify(sum))).toEqual(sum);
  });
});

describe('handshake facts', () => {
  test('options per side, window scale clamped to 14, RTT from the answered SYN', () => {
    const sum = run({ name: '', steps: HANDSHAKE, final: ['ESTABLISHED', 'ESTABLISHED'] });
    expect(sum.handshake.options.client).toEqual({ mss: 1460, wscale: 7, sackPermitted: true, timestamps: true });
    expect(sum.handshake.options.server).toEqual({ mss: 1400, wscale: 14, wscaleRaw: 15, sackPermitted: false, timestamps: false });
    expect(sum.handshake.complete).toBe(true);
    expect(sum.handshake.rttMs).toBeCloseTo(2000.002, 3); // frames 1 → 3: 2 s + 2 µs
  });

  test('SYN retransmission intervals and the event detail', () => {
    const sum = run(SCENARIOS.find((x) => x.name.startsWith('SYN retransmitted'))!);
    expect(sum.handshake.synRetransmissions).toBe(2);
    expect(sum.handshake.synIntervalsMs).toEqual([1000.001, 1000.001]);
    expect(sum.anomalies[0]).toMatchObject({ code: 'syn_retransmission', frame: 2, dir: 'c2s', detail: { n: 1, intervalMs: 1000.001 } });
    expect(sum.handshake.rttMs).toBeCloseTo(2000.002, 3); // from the third SYN (frame 3) to the ACK (frame 5)
  });
});

describe('history: log-scaled letters', () => {
  test('W at 1, 10, 100 zero windows; T, G, C fed from outside', () => {
    const t = new ConnectionTracker();
    for (let i = 0; i < 100; i++) t.onPacket(packet({ ...SEG, seq: s(1), ack: c(1), window: 0 }), 1, i + 1, 1, 0);
    t.noteGap(0);
    t.noteBadChecksum(1);
    for (let i = 0; i < 10; i++) t.noteRetransmission(0, 200 + i);
    expect(t.finish().state.history).toBe('awwwGcTT');
  });
});
