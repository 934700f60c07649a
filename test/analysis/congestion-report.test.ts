/**
 * The congestion report record builder alone (congestion-report.ts): a sender's state written
 * slot by slot into a state block (layout in congestion-state.ts), then read through the same
 * `SenderCongestion` view the tracker hands it. congestion.test.ts drives the whole tracker.
 */
import { describe, expect, test } from 'vitest';
import {
  INIT, KIND_FAST, KIND_TIMEOUT, S_CA_PHASES, S_CA_S, S_DATA_SEGMENTS, S_DUP_HIST, S_DUP_RUNS, S_DUP_RUNS_GE3,
  S_EPISODES, S_EP_LISTED, S_FAST_EPISODES, S_LOSS_S, S_MAX_CWND, S_MAX_DUP_RUN, S_MAX_LOSS_S, S_MIXED_EPISODES, S_MSS,
  S_POINTS, S_RETX_BYTES, S_RETX_SEGMENTS, S_ROUNDS, S_SPURIOUS_SEGMENTS, S_SS_PHASES, S_SS_S, S_STRIDE, S_SUM_CWND,
  S_TIMEOUT_EPISODES, SenderCongestion,
} from '../../src/analysis/congestion-state.js';
import { kindName, senderCongestionJson } from '../../src/analysis/congestion-report.js';
import { DIR } from '../../src/core/direction.js';

/** One c2s sender: scalar slots, listed episodes (EP_FIELDS = 8 numbers each), timeline pairs. */
function sender(slots: Record<number, number>, episodes: number[][] = [], timeline: number[] = []): SenderCongestion {
  const st = INIT.slice();
  for (const [k, v] of Object.entries(slots)) st[Number(k)] = v;
  const epList = episodes.length > 0 ? new Float64Array(episodes.flat()) : null;
  const lists = { epList: [epList, null], timeline: [timeline.length > 0 ? new Float64Array(timeline) : null, null] };
  return new SenderCongestion(st, 0, lists, DIR.C2S);
}

describe('kindName', () => {
  test.each([
    [KIND_FAST, 'fast'],
    [KIND_TIMEOUT, 'timeout'],
    [KIND_FAST | KIND_TIMEOUT, 'mixed'],
  ])('kind bits %i → %s', (k, name) => expect(kindName(k)).toBe(name));
});

interface Case {
  name: string;
  s: SenderCongestion;
  t0: number;
  timelines: boolean;
  expect: unknown;
}

const CASES: Case[] = [
  { name: 'no data sent: null', s: sender({ [S_EPISODES]: 0 }), t0: 0, timelines: true, expect: null },
  {
    name: 'data, no loss, no rounds: means are null, histogram all zero, no timeline without timelines',
    s: sender({ [S_DATA_SEGMENTS]: 3, [S_MSS]: 1448 }),
    t0: 1,
    timelines: false,
    expect: {
      dataSegments: 3,
      mssBytes: 1448,
      lossEpisodes: {
        count: 0, fastRetransmit: 0, timeout: 0, mixed: 0, totalMs: 0, maxMs: 0, meanMs: null,
        retransmittedBytes: 0, retransmittedSegments: 0, spuriousSegments: 0, list: [], listed: 0,
      },
      dupAcks: { runs: 0, maxRun: 0, runsAtLeast3: 0, histogram: { 1: 0, 2: 0, 3: 0, '4-7': 0, '8+': 0 } },
      cwnd: { rounds: 0, maxBytes: 0, meanBytes: null },
      phases: { slowStart: { count: 0, ms: 0 }, congestionAvoidance: { count: 0, ms: 0 } },
    },
  },
  {
    name: 'two listed episodes (fast closed, timeout open) relative to t0; rounds, phases and timeline',
    s: sender(
      {
        [S_DATA_SEGMENTS]: 40, [S_MSS]: 1000, [S_EPISODES]: 3, [S_FAST_EPISODES]: 1, [S_TIMEOUT_EPISODES]: 1,
        [S_MIXED_EPISODES]: 1, [S_LOSS_S]: 0.3, [S_MAX_LOSS_S]: 0.2, [S_RETX_BYTES]: 3000, [S_RETX_SEGMENTS]: 3,
        [S_SPURIOUS_SEGMENTS]: 1, [S_EP_LISTED]: 2, [S_DUP_RUNS]: 4, [S_MAX_DUP_RUN]: 9, [S_DUP_RUNS_GE3]: 2,
        [S_DUP_HIST]: 1, [S_DUP_HIST + 1]: 1, [S_DUP_HIST + 4]: 2, [S_ROUNDS]: 3, [S_MAX_CWND]: 8000, [S_SUM_CWND]: 15001,
        [S_SS_PHASES]: 1, [S_SS_S]: 0.02, [S_CA_PHASES]: 2, [S_CA_S]: 0.0405, [S_POINTS]: 2, [S_STRIDE]: 2,
      },
      [
        [10.1, 0.05, KIND_FAST, 1000, 0.003, 8000, 4000, 0],
        [10.5, 0.2, KIND_TIMEOUT, 2000, 0.25, 6000, -1, 1],
      ],
      [10.2, 4000, 10.3, 8000],
    ),
    t0: 10,
    timelines: true,
    expect: {
      dataSegments: 40,
      mssBytes: 1000,
      lossEpisodes: {
        count: 3, fastRetransmit: 1, timeout: 1, mixed: 1, totalMs: 300, maxMs: 200, meanMs: 100,
        retransmittedBytes: 3000, retransmittedSegments: 3, spuriousSegments: 1,
        list: [
          { startMs: 100, durationMs: 50, recovery: 'fast', bytes: 1000, stallBeforeMs: 3, flightAtLossBytes: 8000, ssthreshBytes: 4000 },
          { startMs: 500, durationMs: 200, recovery: 'timeout', bytes: 2000, stallBeforeMs: 250, flightAtLossBytes: 6000, ssthreshBytes: null, open: true },
        ],
        listed: 2,
      },
      dupAcks: { runs: 4, maxRun: 9, runsAtLeast3: 2, histogram: { 1: 1, 2: 1, 3: 0, '4-7': 0, '8+': 2 } },
      cwnd: { rounds: 3, maxBytes: 8000, meanBytes: 5000, timeline: [[200, 4000], [300, 8000]], timelineStride: 2 },
      phases: { slowStart: { count: 1, ms: 20 }, congestionAvoidance: { count: 2, ms: 40.5 } },
    },
  },
];

describe('senderCongestionJson', () => {
  test.each(CASES)('$name', (c) => {
    const got = senderCongestionJson(c.s, c.t0, c.timelines);
    // toStrictEqual: an `open` key only on open episodes, no timeline keys without timelines.
    expect(got).toStrictEqual(c.expect);
  });
});
