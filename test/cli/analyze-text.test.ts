/**
 * The terminal report: it fits 80- and 160-column terminals (every fixture, every line), flows
 * sorted by interest (worst findings first), findings grouped by severity with first frames,
 * colours only on a TTY and never with NO_COLOR, `--flow N` in depth, and `--host/--port/--flow`
 * selecting the flows shown, written and counted.
 */
import { describe, expect, test } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import { fakeIo, runCli } from '../helpers/fake-cli-io.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { main } from '../../src/cli/main.js';
import { wantColor } from '../../src/report/colors.js';
import { sortRows } from '../../src/report/flow-sort.js';
import { toFlowRow } from '../../src/report/flow-row.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { breakPath } from '../../src/report/summary-text.js';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ALL = ['bulk-loss-v6.client.pcapng', 'bulk-loss.client.pcap', 'closed-port.client.pcapng', 'half-close.server.pcapng', 'http-chunked.server.pcap', 'keepalive.client.pcap', 'linger-abort.client.pcap', 'rate-limited.client.pcap', 'rst-unread.server.pcap', 'short-conns.client.pcap', 'simultaneous-close.server.pcap', 'slow-reader.client.pcap', 'syn-retrans.client.pcap'].map(fixturePath);

describe('fits the terminal', () => {
  test.each([80, 100, 160, 200])('%i columns: no line wider', async (columns) => {
    const r = await runCli(['analyze', '--top', '50', ...ALL], { columns });
    expect(r.code).toBe(0);
    const wide = r.stdout.split('\n').filter((l) => [...l].length > columns);
    expect(wide).toEqual([]);
    expect(r.stdout).toContain('why (diagnosis.limitedBy):');
    expect(r.stdout).toMatch(/findings \(\d+ of \d+ flows with warnings or errors\):/);
  });

  test.each([80, 120])('--flow N in depth cuts nothing on %i columns (rate-limited: 32 observed timeouts)', async (columns) => {
    const r = await runCli(['analyze', '--flow', '0', fixturePath('rate-limited.client.pcap')], { columns });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('…');
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('│ observed timeouts'));
    const cell: string[] = [];
    for (let i = at; i < lines.length && lines[i]!.startsWith('│ ') && (i === at || lines[i]!.startsWith('│  ')); i++) cell.push(lines[i]!.split('│')[2]!.trim());
    const listed = cell.join(' ').replace(/ ms$/, '').split(', ').map(Number);
    const json = (await analyzeCapture(fixturePath('rate-limited.client.pcap'))).flows[0]!.rtt.c2s.observedRtoMs;
    expect(json.length).toBeGreaterThan(10);
    expect(listed).toEqual(json);
  });

  test.each([80, 160])('--flow N in depth fits %i columns', async (columns) => {
    const r = await runCli(['analyze', '--flow', '0', fixturePath('slow-reader.client.pcap'), fixturePath('bulk-loss-v6.client.pcapng')], { columns });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => [...l].length > columns)).toEqual([]);
  });

  test.each([80, 160])('a long capture path is shown whole on %i columns, broken after slashes', async (columns) => {
    const dir = mkdtempSync(join(tmpdir(), 'long-path-'));
    try {
      const deep = join(dir, 'captures-from-the-field', 'site-a', 'router-7');
      mkdirSync(deep, { recursive: true });
      const file = join(deep, 'uplink-eth0-2026-11-23T04-55-22-ring-buffer-00017-of-00032.pcap');
      copyFileSync(fixturePath('slow-reader.client.pcap'), file);
      const r = await runCli(['analyze', file], { columns });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('…');
      const lines = r.stdout.split('\n');
      const first = lines.findIndex((l) => l.startsWith('│ capture '));
      const cell: string[] = [];
      for (let i = first; i < lines.length && !lines[i]!.startsWith('│ format '); i++) cell.push(lines[i]!.split('│')[2]!.trim());
      expect(cell.join('')).toBe(file);
      expect(lines.filter((l) => [...l].length > columns)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    // path, width, lines
    ['short.pcap', 20, ['short.pcap']],
    ['/a/b/c/d.pcap', 13, ['/a/b/c/d.pcap']],
    ['/captures/site/x.pcap', 12, ['/captures/', 'site/x.pcap']],
    ['/captures/very-long-file-name.pcap', 12, ['/captures/', 'very-long-fi', 'le-name.pcap']],
    ['no-slash-at-all-here.pcapng', 10, ['no-slash-a', 't-all-here', '.pcapng']],
  ])('breakPath(%j, %d)', (path, width, want) => {
    const got = breakPath(path, width).split('\n');
    expect(got).toEqual(want);
    for (const l of got) expect(l.length).toBeLessThanOrEqual(width);
  });

  test('wider terminals show more columns', async () => {
    const narrow = await runCli(['analyze', fixturePath('slow-reader.client.pcap')], { columns: 80 });
    const wide = await runCli(['analyze', fixturePath('slow-reader.client.pcap')], { columns: 160 });
    expect(narrow.stdout).not.toContain('states c/s');
    expect(wide.stdout).toContain('states c/s');
    expect(wide.stdout).toContain('zero win');
    for (const r of [narrow, wide]) expect(r.stdout).toMatch(/│ 0 +│ 10\.201\.1\.1:40102/);
  });
});

describe('order and findings', () => {
  test('interest puts warning flows before note-only and clean ones; other orders by one quantity', async () => {
    const rows = [];
    for (const [i, f] of ['short-conns.client.pcap', 'slow-reader.client.pcap', 'bulk-loss.client.pcap'].entries()) {
      for (const flow of (await analyzeCapture(fixturePath(f))).flows) rows.push({ ...toFlowRow(flow, 0), id: i * 100 + flow.id });
    }
    const interest = sortRows([...rows], 'interest').map((r) => r.id);
    expect(interest.slice(0, 2)).toEqual([100, 200]); // slow-reader (64 warnings), bulk-loss (3 warnings)
    expect(sortRows([...rows], 'bytes')[0]!.id).toBe(200);
    expect(sortRows([...rows], 'id').map((r) => r.id)).toEqual([...interest].sort((a, b) => a - b));
  });

  test('findings grouped by severity with counts and first frames', async () => {
    const r = await runCli(['analyze', fixturePath('slow-reader.client.pcap')], { columns: 160 });
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('findings ('));
    expect(lines[at]).toBe('findings (1 of 1 flows with warnings or errors):');
    expect(lines[at + 1]).toMatch(/^ {2}warning {2}window_full +61 in 1 flow: flow 0 \(#7 #8 #10\)$/);
    const sev = lines.slice(at + 1).filter((l) => /^ {2}(error|warning|note|chat) /.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(sev).toEqual([...sev].sort((a, b) => ['error', 'warning', 'note', 'chat'].indexOf(a!) - ['error', 'warning', 'note', 'chat'].indexOf(b!)));
    expect(r.stdout).toContain('  zero_window_stall: period during which an endpoint advertised a zero window');
  });
});

describe('colours', () => {
  test('only on a TTY, never with NO_COLOR or TERM=dumb', () => {
    expect(wantColor(true, {})).toBe(true);
    expect(wantColor(false, {})).toBe(false);
    expect(wantColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantColor(true, { TERM: 'dumb' })).toBe(false);
  });

  test('a TTY report has escape codes; stripped it equals the plain one', async () => {
    const saved = process.env['NO_COLOR'];
    delete process.env['NO_COLOR'];
    try {
      const tty = fakeIo({ columns: 120 });
      tty.stdoutIsTty = true;
      await main(['analyze', fixturePath('slow-reader.client.pcap')], tty);
      const plain = await runCli(['analyze', fixturePath('slow-reader.client.pcap')], { columns: 120 });
      expect(tty.out()).toMatch(/\u001b\[/);
      expect(plain.stdout).not.toMatch(/\u001b\[/);
      expect(stripVTControlCharacters(tty.out())).toBe(plain.stdout);
      process.env['NO_COLOR'] = '1';
      const no = fakeIo({ columns: 120 });
      no.stdoutIsTty = true;
      await main(['analyze', fixturePath('slow-reader.client.pcap')], no);
      expect(no.out()).toBe(plain.stdout);
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });
});

describe('--flow N in depth', () => {
  test('handshake, state timeline, RTT table, windows, loss episodes, every listed finding', async () => {
    const r = await runCli(['analyze', '--flow', '0', fixturePath('slow-reader.client.pcap')], { columns: 120 });
    expect(r.code).toBe(0);
    const out = r.stdout;
    for (const s of ['handshake', 'states', 'data and RTT', 'windows', 'loss episodes', 'findings']) expect(out).toMatch(new RegExp(`^${s}$`, 'm'));
    expect(out).toContain('options: client mss 1460, wscale 10, sack, timestamps; server mss 1460, wscale 0, sack, timestamps');
    expect(out).toMatch(/#153 \S+ +client FIN_WAIT_1 → TIME_WAIT/);
    expect(out).toMatch(/server: scale 0, .*zero windows 2, stalls 1 \(1516\.757 ms/);
    expect(out).toMatch(/#8 \S+ c2s retransmission {2}\{"of":7,"rtoMs":6\.768/);
    // Every finding is listed in depth (the JSON report lists 10 per code).
    const json = JSON.parse((await runCli(['analyze', '--format', 'json', fixturePath('slow-reader.client.pcap')])).stdout) as { flows: { anomalies: unknown[]; anomalyCounts: Record<string, number> }[] };
    const total = Object.values(json.flows[0]!.anomalyCounts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(json.flows[0]!.anomalies.length);
    expect(out.match(/^ {2}#\d+ \S+ (c2s|s2c) /gm)?.length).toBe(total);
    expect(out).not.toContain('events listed');
  });

  test('no such flow: exit 2 and a message', async () => {
    const r = await runCli(['analyze', '--flow', '99', fixturePath('slow-reader.client.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['tcpscope: no flow matches flow 99']);
  });
});

describe('--host / --port / --flow select flows', () => {
  test.each([
    [['--port', '40000'], 5],
    [['--port', '40002,40000'], 12],
    [['--host', '10.201.1.1'], 12],
    [['--host', '10.0.0.0/8', '--port', '40002'], 7],
    [['--host', '192.0.2.1'], 0],
    [['--flow', '3', '--flow', '5'], 2],
  ] as const)('%j -> %i flows', async (sel, n) => {
    const r = await runCli(['analyze', '--format', 'json', ...sel, fixturePath('short-conns.client.pcap')]);
    const rep = JSON.parse(r.stdout) as { flows: unknown[]; summary: { flowFilter?: string; anomalyCounts: Record<string, number> } };
    expect(rep.flows.length).toBe(n);
    expect(rep.summary.flowFilter).toBeDefined();
  });

  test('IPv6 prefixes and bad values', async () => {
    const r = await runCli(['analyze', '--format', 'csv', '--host', 'fd00:201:1::/64', fixturePath('closed-port.client.pcapng')]);
    expect(r.stdout.trim().split('\r\n').length).toBe(2);
    for (const bad of [['--host', 'bogus'], ['--host', '10.0.0.0/40'], ['--port', '70000']]) {
      const e = await runCli(['analyze', ...bad, fixturePath('closed-port.client.pcapng')]);
      expect(e.code).toBe(2);
      expect(e.stderr[0]).toMatch(/--(host|port)/);
    }
  });
});
