/**
 * The live view's text (report/live-view.ts): which columns a terminal width keeps, every line
 * within `columns - 1` characters (so no terminal wraps and the in-place redraw stays exact) with
 * IPv6 endpoints, long state names and every finding kind, and what the finding lines say.
 */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { eventText, fitLiveColumns, rateShort, renderEventLine, renderLiveView, type LiveStatus } from '../../src/report/live-view.js';
import type { LiveEvent, LiveRow } from '../../src/report/live-types.js';
import { palette } from '../../src/report/colors.js';

const STATUS: LiveStatus = {
  device: 'eth0',
  filter: 'tcp port 8080 or tcp port 8443',
  via: 'cap',
  elapsedSec: 3725.4,
  packets: 12_345_678,
  packetsPerSec: 81_234,
  openFlows: 1234,
  flowsDone: 98_765,
  kernel: null,
  skipped: 4321,
  busy: 0.99,
  cpu: null,
  lagMs: null,
  behind: true,
  eventsDropped: 3,
  outputDropped: 0,
};

function row(id: number, over: Partial<LiveRow> = {}): LiveRow {
  return {
    id,
    client: { ip: '10.1.2.3', port: 54321 },
    server: { ip: '192.168.100.200', port: 8443 },
    states: { client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' },
    rate: { c2s: 123_456_789, s2c: 1_234 },
    bytes: { c2s: 9e9, s2c: 1e6 },
    packets: { c2s: 1, s2c: 1 },
    srttMs: 123.456,
    retx: { c2s: 12_345, s2c: 999_999 },
    retxNew: 3,
    zeroWindowSec: 754.2,
    zeroWindowOpen: false,
    zeroWindowOpenSec: 0,
    latest: { code: 'rst_on_close', ts: 990 },
    troubled: true,
    ...over,
  };
}

const ROWS: LiveRow[] = [
  row(7),
  row(123_456, { client: { ip: '2001:db8:1234:5678:9abc:def0:1234:5678', port: 65535 }, server: { ip: 'fe80::1', port: 443 }, zeroWindowOpen: true, zeroWindowOpenSec: 12.5 }),
  row(3, { latest: { code: 'zero_window_stall', phase: 'end', ts: 999 }, states: { client: 'UNKNOWN', server: 'SYN_RECEIVED' } }),
  row(4, { latest: null, troubled: false, srttMs: null, rate: { c2s: 0, s2c: 0 } }),
];

const width = (l: string): number => [...stripVTControlCharacters(l)].length;

describe('columns by terminal width', () => {
  test.each([
    [80, ['id', 'flow', 'state', 'rate', 'rtt', 'retx', 'latest'], false],
    [70, ['id', 'flow', 'state', 'rate', 'rtt', 'latest'], false],
    [100, ['id', 'flow', 'state', 'rate', 'rtt', 'retx', 'zero', 'latest'], false],
    [160, ['id', 'flow', 'state', 'rate', 'rtt', 'retx', 'zero', 'latest'], true],
  ])('%i columns', (cols, names, wide) => {
    const fit = fitLiveColumns(cols - 1, 2, 33);
    expect(fit.names).toEqual(names);
    expect(fit.wideState).toBe(wide);
    expect(fit.widths.reduce((a, b) => a + b, 0) + fit.widths.length - 1).toBeLessThanOrEqual(cols - 1);
  });
});

describe('every line fits', () => {
  test.each([40, 60, 80, 100, 120, 160, 200])('%i columns, colours on', (cols) => {
    const lines = renderLiveView(STATUS, ROWS, 1000, cols, 10, palette(true));
    for (const l of lines) expect(width(l), l).toBeLessThan(cols);
    const plain = lines.map(stripVTControlCharacters);
    expect(plain[0]).toMatch(/^tcpscope eth0 · 01:02:05/);
    if (cols >= 80) expect(plain[0]).toContain('flows 1,234 (98,765 done)');
    expect(plain[1]).toMatch(/^BEHIND \(busy 99%\)/);
    expect(plain.slice(3).map((l) => /^\s*(\d+)/.exec(l)?.[1])).toEqual(['7', '123456', '3', '4']);
    if (cols >= 80) {
      expect(plain[1]).toContain('4,321 packets skipped by tcpscope');
      expect(plain[3]).toContain('RST');
      expect(plain[4]).toMatch(/(zero window|0win) open 13s/);
    }
    for (const e of EVENTS) expect(width(renderEventLine(e, cols, palette(true)))).toBeLessThan(cols);
  });

  test('more flows than rows: counted on the last line', () => {
    const lines = renderLiveView(STATUS, ROWS, 1000, 120, 2, palette(false));
    expect(lines.at(-1)).toBe('… 2 more open flows');
  });

  test('no flows yet', () => {
    expect(renderLiveView({ ...STATUS, kernel: { received: 10, dropped: 0 }, behind: false, skipped: 0 }, [], 0, 80, 10, palette(false))).toEqual([
      'tcpscope eth0 · 01:02:05 · 12.3M pkts, 81,234/s · flows 1,234 (98,765 done)',
      'keeping up (busy 99%) · kernel drops: 0 of 10 · 3 finding lines dropped',
      'id client → server       state c/s     B/s →/← rtt ms  retx →/← latest finding',
      '(no open flows yet)',
    ]);
  });
});

const EV = (over: Partial<LiveEvent>): LiveEvent => ({ ts: 1_700_000_000.25, flow: 5, client: { ip: '127.0.0.1', port: 40000 }, server: { ip: '127.0.0.1', port: 8080 }, code: 'connection_reset', severity: 'warning', dir: 's2c', frame: 10, ...over });

const EVENTS: LiveEvent[] = [
  EV({ code: 'rst_on_close', detail: { by: 'server', reason: 'unacknowledged-data', unackedBytes: 5000 } }),
  EV({ code: 'connection_reset', detail: { by: 'client' }, folded: 2 }),
  EV({ code: 'zero_window_stall', phase: 'start' }),
  EV({ code: 'zero_window_stall', phase: 'end', detail: { durationMs: 1516.757 } }),
  EV({ code: 'retransmission_burst', dir: 'c2s', detail: { count: 3, withinMs: 2.877 } }),
  EV({ code: 'lost_segment', dir: 'c2s', detail: { bytes: 1448 } }),
  EV({ code: 'connection_refused' }),
  EV({ code: 'handshake_unanswered', dir: 'c2s', detail: { syns: 4 } }),
  EV({ code: 'window_shrink', client: { ip: '2001:db8:1234:5678:9abc:def0:1234:5678', port: 65535 } }),
];

describe('finding lines', () => {
  test.each([
    [0, 'RST on close by server (5000 B unacknowledged)'],
    [1, 'connection reset by client (+2 similar)'],
    [2, 'zero-window stall: server advertises window 0'],
    [3, 'zero-window stall ended: server reopened after 1.517 s'],
    [4, 'retransmission burst: 3 from client within 2.877 ms'],
    [5, 'lost segment: 1448 B from client never captured'],
    [6, 'connection refused (RST answering SYN)'],
    [7, 'SYN unanswered (4 SYNs)'],
    [8, 'window_shrink (server)'],
  ])('%i: %s', (i, text) => {
    expect(eventText(EVENTS[i]!)).toBe(text);
  });

  test('time of day (UTC, ms), flow, endpoints; narrower: client port only, then no endpoints', () => {
    const e = EVENTS[0]!;
    expect(renderEventLine(e, 120, palette(false))).toBe('22:13:20.250 flow 5 127.0.0.1:40000 → 127.0.0.1:8080: RST on close by server (5000 B unacknowledged)');
    expect(renderEventLine(e, 90, palette(false))).toBe('22:13:20.250 flow 5 :40000→127.0.0.1:8080: RST on close by server (5000 B unacknowledged)');
    expect(renderEventLine(e, 70, palette(false))).toBe('22:13:20.250 flow 5: RST on close by server (5000 B unacknowledged)');
  });

  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1.0K'],
    [123_456, '121K'],
    [1_048_576 * 9.99, '10M'],
    [5e12, '4.5T'],
  ])('rate %d → %s', (n, s) => {
    expect(rateShort(n)).toBe(s);
    expect(s.length).toBeLessThanOrEqual(4);
  });
});
