/**
 * The live model (report/live-model.ts): fed through the finding hook of the real analysis while
 * it reads the real-traffic fixtures, its event lines must agree with the final report of the
 * same capture (every reset / refused / unanswered / stall event there, and nothing else); and,
 * driven by hand, its rules: stalls only past the threshold (start line when the tick sees it),
 * retransmission bursts, the per-flow rate limit, the bound on waiting events, rows and rates.
 */
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { LiveModel, type LiveEvent, type LiveFlowSource } from '../../src/report/live-model.js';
import { ZERO_WINDOW_END, ZERO_WINDOW_START } from '../../src/analysis/finding-hook.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';

/** Events of a whole capture, as live capture would have written them (every stall seen by a tick at the end). */
async function liveEvents(file: string): Promise<{ events: LiveEvent[]; counts: Record<string, number>; model: LiveModel }> {
  const model = new LiveModel();
  const counts: Record<string, number> = {};
  const events: LiveEvent[] = [];
  await analyzeCapture(fixturePath(file), {
    behaviour: { onFinding: model.onFinding },
    onFlowEnd: (f) => {
      model.stalls(Infinity);
      model.flowEnded(f.id, f.client, f.server);
      for (const [k, n] of Object.entries(f.anomalyCounts)) counts[k] = (counts[k] ?? 0) + n;
    },
  });
  events.push(...model.takeEvents());
  return { events, counts, model };
}

const TRACKER_CODES = ['rst_on_close', 'connection_reset', 'connection_refused', 'handshake_unanswered', 'data_after_close'];

describe('live events agree with the final report (real captures)', () => {
  test.each(FIXTURE_CAPTURES)('%s', async (file) => {
    const { events, counts, model } = await liveEvents(file);
    const lines = (code: string, phase?: string): number => events.filter((e) => e.code === code && (phase === undefined || e.phase === phase)).reduce((n, e) => n + 1 + (e.folded ?? 0), 0);
    for (const code of TRACKER_CODES) expect(lines(code), code).toBe(counts[code] ?? 0);
    // Zero-window stalls: a start and an end line per zero_window_stall of the report (same 200 ms threshold).
    expect(lines('zero_window_stall', 'start')).toBe(counts['zero_window_stall'] ?? 0);
    expect(lines('zero_window_stall', 'end')).toBe(counts['zero_window_stall'] ?? 0);
    for (const e of events) {
      expect(e.client, 'every line names its flow').not.toBeNull();
      expect(['warning', 'error']).toContain(e.severity);
    }
    expect(model.size, 'nothing kept for finished flows').toBe(0);
  });

  test.each([
    ['slow-reader.client.pcap', ['zero_window_stall/start', 'zero_window_stall/end']],
    ['rst-unread.server.pcap', ['connection_reset']],
    ['closed-port.client.pcapng', ['connection_refused', 'connection_refused']],
    ['bulk-loss.client.pcap', ['retransmission_burst']],
    ['bulk-loss.server.pcap', ['lost_segment', 'retransmission_burst']],
    ['short-conns.client.pcap', []],
  ])('%s: %j', async (file, want) => {
    const { events } = await liveEvents(file);
    expect(events.map((e) => e.code + (e.phase ? `/${e.phase}` : ''))).toEqual(want);
  });

  test('a stall line carries the time and frame the window went to 0, its end the duration', async () => {
    const { events } = await liveEvents('slow-reader.client.pcap');
    const [start, end] = events;
    expect(start).toMatchObject({ code: 'zero_window_stall', phase: 'start', dir: 's2c', client: { port: expect.any(Number) } });
    expect(end).toMatchObject({ phase: 'end', dir: 's2c' });
    expect(end!.frame).toBeGreaterThan(start!.frame);
    expect(end!.detail!['durationMs']).toBeCloseTo((end!.ts - start!.ts) * 1000, 1);
    expect(end!.detail!['durationMs']).toBeGreaterThan(1500);
  });
});

const C = DIR.C2S;
const S = DIR.S2C;

describe('rules, driven by hand', () => {
  test('zero-window periods: none under the threshold; the start line when a tick sees 200 ms; the end line after', () => {
    const m = new LiveModel();
    m.onFinding(1, ZERO_WINDOW_START, S, 10, 100.0);
    m.onFinding(1, ZERO_WINDOW_END, S, 11, 100.15);
    m.stalls(101);
    expect(m.takeEvents()).toEqual([]);
    m.onFinding(1, ZERO_WINDOW_START, S, 20, 102.0);
    m.stalls(102.1);
    expect(m.takeEvents()).toEqual([]);
    m.stalls(102.25);
    expect(m.takeEvents()).toMatchObject([{ code: 'zero_window_stall', phase: 'start', ts: 102.0, frame: 20, dir: 's2c' }]);
    m.onFinding(1, ZERO_WINDOW_END, S, 30, 103.5);
    expect(m.takeEvents()).toMatchObject([{ phase: 'end', frame: 30, detail: { durationMs: 1500 } }]);
    // A stall that closed between ticks gets both lines at once.
    m.onFinding(1, ZERO_WINDOW_START, C, 40, 104.0);
    m.onFinding(1, ZERO_WINDOW_END, C, 41, 104.4);
    expect(m.takeEvents().map((e) => `${e.phase}@${e.ts}`)).toEqual(['start@104', 'end@104.4']);
  });

  test.each([
    ['2 retransmissions: no burst', [0, 0.1], 0],
    ['3 within 1 s: one burst', [0, 0.2, 0.9], 1],
    ['5 within 1 s: still one', [0, 0.1, 0.2, 0.3, 0.4], 1],
    ['3 spread over 2 s: none', [0, 0.8, 1.6], 0],
    ['3, then 3 more over a second later: two', [0, 0.1, 0.2, 1.3, 1.4, 1.5], 2],
  ])('%s', (_name, times, bursts) => {
    const m = new LiveModel();
    times.forEach((t, i) => m.onFinding(7, 'retransmission', C, i + 1, 50 + t));
    expect(m.takeEvents().filter((e) => e.code === 'retransmission_burst')).toHaveLength(bursts);
  });

  test('rate limit: one line per flow and code per second, the rest folded into the next line', () => {
    const m = new LiveModel();
    m.onFinding(3, 'data_after_close', C, 1, 10.0, { reason: 'after-own-fin', bytes: 5 });
    m.onFinding(3, 'data_after_close', C, 2, 10.3);
    m.onFinding(3, 'data_after_close', C, 3, 10.6);
    m.onFinding(4, 'data_after_close', C, 4, 10.6);
    m.onFinding(3, 'data_after_close', C, 5, 11.2);
    // In time order: flow 4 has its own limit; flow 3's third line folds the two before it.
    expect(m.takeEvents().map((e) => [e.flow, e.frame, e.folded ?? 0])).toEqual([
      [3, 1, 0],
      [4, 4, 0],
      [3, 5, 2],
    ]);
    expect(m.eventsFolded).toBe(2);
  });

  test('notes are not lines (syn_retransmission); unknown codes count as warnings', () => {
    const m = new LiveModel();
    m.onFinding(1, 'syn_retransmission', C, 1, 1);
    m.onFinding(1, 'reused_ports', C, 1, 1);
    expect(m.takeEvents()).toEqual([]);
  });

  test('waiting events are bounded: the rest counted', () => {
    const m = new LiveModel({ maxPending: 5 });
    for (let i = 0; i < 12; i++) m.onFinding(i, 'connection_reset', C, i, i);
    expect(m.takeEvents()).toHaveLength(5);
    expect(m.eventsDropped).toBe(7);
  });

  test('a flow that ends before the line is written still names its endpoints; its record goes', () => {
    const m = new LiveModel();
    m.onFinding(9, 'rst_on_close', S, 3, 5, { by: 'server', reason: 'unacknowledged-data', unackedBytes: 900 });
    expect(m.needsNames()).toBe(true);
    m.flowEnded(9, { ip: '10.0.0.1', port: 1234 }, { ip: '10.0.0.2', port: 80 });
    expect(m.size).toBe(0);
    expect(m.flowsDone).toBe(1);
    expect(m.takeEvents()).toMatchObject([{ flow: 9, client: { ip: '10.0.0.1', port: 1234 }, server: { port: 80 }, detail: { unackedBytes: 900 } }]);
  });
});

/** A flow as the model reads it. */
function fakeFlow(id: number, bytes: [number, number], opts: { retx?: [number, number]; srtt?: [number, number]; states?: [string, string]; closedAt?: number } = {}): LiveFlowSource {
  const b = (d: Direction): number => bytes[d];
  return {
    id,
    endpoints: { ipVersion: 4, clientAddr: new Uint8Array([10, 0, 0, 1]), serverAddr: new Uint8Array([10, 0, 0, 2]), clientPort: 40000 + id, serverPort: 443 },
    closed: opts.closedAt !== undefined,
    lastSec: Math.floor(opts.closedAt ?? 0),
    lastNsec: Math.round(((opts.closedAt ?? 0) % 1) * 1e9),
    packetCount: () => 1,
    deliveredBytes: b,
    truncatedBytes: () => 0,
    tracker: { currentStates: () => ({ client: opts.states?.[0] ?? 'ESTABLISHED', server: opts.states?.[1] ?? 'ESTABLISHED' }) },
    behaviour: { srtt: (d) => opts.srtt?.[d] ?? -1, retransmissionCount: (d) => opts.retx?.[d] ?? 0 },
  };
}

describe('rows', () => {
  test('bytes/s over the interval, SRTT of the busier direction, troubled first then busiest', () => {
    const m = new LiveModel();
    let flows = [fakeFlow(0, [1000, 0]), fakeFlow(1, [0, 0]), fakeFlow(2, [5000, 0])];
    m.sample(100, (v) => flows.forEach(v));
    flows = [fakeFlow(0, [3000, 500], { srtt: [0.012, 0.5] }), fakeFlow(1, [10, 0], { retx: [1, 0] }), fakeFlow(2, [9000, 0])];
    m.sample(102, (v) => flows.forEach(v));
    const rows = m.rows();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 0]);
    const r0 = rows.find((r) => r.id === 0)!;
    expect(r0.rate).toEqual({ c2s: 1000, s2c: 250 });
    expect(r0.srttMs).toBeCloseTo(12, 6);
    expect(r0.client).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(rows[0]).toMatchObject({ id: 1, troubled: true, retxNew: 1 });
  });

  test('zero-window time counts open periods up to now; a recent finding marks the row', () => {
    const m = new LiveModel();
    m.onFinding(0, ZERO_WINDOW_START, S, 5, 100);
    m.sample(100.5, (v) => v(fakeFlow(0, [1, 0])));
    expect(m.rows()[0]).toMatchObject({ zeroWindowOpen: true, zeroWindowOpenSec: 0.5, zeroWindowSec: 0.5, troubled: true });
    m.onFinding(0, ZERO_WINDOW_END, S, 6, 101);
    m.stalls(101);
    m.sample(130, (v) => v(fakeFlow(0, [1, 0])));
    expect(m.rows()[0]).toMatchObject({ zeroWindowOpen: false, zeroWindowSec: 1, latest: { code: 'zero_window_stall', phase: 'end', ts: 101 }, troubled: false });
  });

  test('a flow reset during a zero window: the period stops growing at its last packet', () => {
    const m = new LiveModel();
    m.onFinding(0, ZERO_WINDOW_START, S, 5, 100);
    m.onFinding(0, 'connection_reset', S, 9, 100.75, { by: 'server' });
    m.sample(103, (v) => v(fakeFlow(0, [1, 0], { closedAt: 100.75 })));
    expect(m.rows()[0]).toMatchObject({ zeroWindowOpen: false, zeroWindowSec: 0.75, latest: { code: 'connection_reset' } });
  });
});
