/**
 * CI mode of `tcpscope analyze` end to end on the real fixtures: per-flow files with stable
 * names, --fail-on rules and thresholds (exit 1, which flows matched), baselines (a fresh one
 * passes, a deliberate change is caught with a readable diff, a vanished flow fails), JUnit XML,
 * and bad options (exit 2).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';

const FILES = ['bulk-loss.client.pcap', 'short-conns.client.pcap', 'slow-reader.client.pcap', 'rate-limited.client.pcap'].map(fixturePath);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'tcpscope-ci-'));
}

describe('per-flow reports', () => {
  test('one JSON (and Markdown) per flow, names and contents stable across runs', async () => {
    const a = tmp();
    const b = tmp();
    for (const dir of [a, b]) {
      const r = await runCli(['analyze', '--quiet', '--per-flow-dir', dir, '--markdown', ...FILES]);
      expect(r.code).toBe(0);
    }
    const dirs = readdirSync(a).sort();
    expect(dirs).toEqual(['bulk-loss.client', 'rate-limited.client', 'short-conns.client', 'slow-reader.client']);
    const names = readdirSync(join(a, 'short-conns.client')).sort();
    expect(names.filter((n) => n.endsWith('.json')).length).toBe(12);
    expect(names).toContain('flow-0.md');
    for (const d of dirs) for (const n of readdirSync(join(a, d))) expect(readFileSync(join(b, d, n), 'utf8')).toBe(readFileSync(join(a, d, n), 'utf8'));
    const f = JSON.parse(readFileSync(join(a, 'bulk-loss.client', 'flow-0.json'), 'utf8')) as { schema: string; source: string; flow: { id: number; anomalyCounts: Record<string, number> } };
    expect(f.schema).toBe('tcpscope-flow-v1');
    expect(f.source).toBe(FILES[0]);
    expect(f.flow.anomalyCounts['fast_retransmission']).toBe(3);
    expect(readFileSync(join(a, 'bulk-loss.client', 'flow-0.md'), 'utf8')).toMatch(/^# Flow 0: `10\.201\.1\.1:50018` → `10\.201\.2\.1:5001`/);
  });
});

describe('--fail-on and thresholds', () => {
  test.each([
    ['retransmission>2', 1, ['rate-limited.client.pcap']],
    ['fast_retransmission', 1, ['bulk-loss.client.pcap']],
    ['zero_window_stall', 1, ['slow-reader.client.pcap']],
    ['reused_ports>=1', 1, ['short-conns.client.pcap']],
    ['rst_on_close', 0, []],
    ['retransmission>1000', 0, []],
  ] as const)('%s -> exit %d', async (rule, code, matched) => {
    const r = await runCli(['analyze', '--quiet', '--fail-on', rule, ...FILES]);
    expect(r.code).toBe(code);
    const fails = r.stderr.filter((l) => l.startsWith('tcpscope: FAIL '));
    expect([...new Set(fails.map((l) => /(fixtures\/)?[\w.-]+\.pcap/.exec(l.split(' ')[2] ?? '')?.[0]?.replace(/^.*\//, '')))].sort()).toEqual([...matched]);
    expect(r.stderr.at(-1)).toMatch(code === 1 ? /FAILED$/ : /0 matched --fail-on$/);
  });

  test('severity words and the RTT / retransmission-rate sugar', async () => {
    // bulk-loss: window_full (warning) x3, notes (dup ACKs, retransmissions); no error-level finding.
    const warn = await runCli(['analyze', '--quiet', '--fail-on', 'warning', fixturePath('bulk-loss.client.pcap')]);
    expect(warn.code).toBe(1);
    expect(warn.stderr.join('\n')).toMatch(/warning \(window_full: 3\)/);
    const notes = await runCli(['analyze', '--quiet', '--fail-on', 'note', fixturePath('bulk-loss.client.pcap')]);
    expect(notes.code).toBe(1);
    expect(notes.stderr.join('\n')).toMatch(/note \(duplicate_ack: 6, fast_retransmission: 3, retransmission: 1, window_full: 3\)/);
    const errors = await runCli(['analyze', '--quiet', '--fail-on', 'error', fixturePath('bulk-loss.client.pcap')]);
    expect(errors.code).toBe(0);
    const rtt = await runCli(['analyze', '--quiet', '--max-rtt-ms', '0.001', fixturePath('bulk-loss.client.pcap')]);
    expect(rtt.code).toBe(1);
    expect(rtt.stderr.join('\n')).toMatch(/max-rtt-ms 0\.001 \(largest RTT sample [\d.]+ ms\)/);
    const rate = await runCli(['analyze', '--quiet', '--max-retrans-rate', '0.01', fixturePath('rate-limited.client.pcap')]);
    expect(rate.code).toBe(1);
    expect(rate.stderr.join('\n')).toMatch(/retransmitted of \d+ data segments/);
    const ok = await runCli(['analyze', '--quiet', '--max-retrans-rate', '0.99', '--max-rtt-ms', '100000', fixturePath('rate-limited.client.pcap')]);
    expect(ok.code).toBe(0);
  });

  test.each([['bogus_code'], ['retransmission>>2'], ['retransmission>']])('bad rule %s: exit 2, one line', async (rule) => {
    const r = await runCli(['analyze', '--quiet', '--fail-on', rule, FILES[0]!]);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBe(1);
    expect(r.stderr[0]).toMatch(/--fail-on/);
  });
});

describe('--baseline', () => {
  test('a fresh baseline passes; a deliberate change, a vanished flow and a new capture are caught', async () => {
    const dir = tmp();
    const up = await runCli(['analyze', '--quiet', '--baseline', dir, '--update-baseline', ...FILES]);
    expect(up.code).toBe(0);
    const same = await runCli(['analyze', '--quiet', '--baseline', dir, ...FILES]);
    expect(same.code).toBe(0);
    expect(same.stderr.at(-1)).toMatch(/0 drifted from baseline/);

    // Deliberate change: the baseline says fewer retransmissions and a different close.
    const p = join(dir, 'rate-limited.client', 'flow-0.json');
    const f = JSON.parse(readFileSync(p, 'utf8')) as { flow: { anomalyCounts: Record<string, number>; packets: { c2s: number }; close: { kind: string } } };
    f.flow.anomalyCounts['retransmission'] = 40;
    f.flow.close.kind = 'rst';
    writeFileSync(p, JSON.stringify(f, null, 2));
    rmSync(join(dir, 'short-conns.client', 'flow-3.json'));
    writeFileSync(join(dir, 'bulk-loss.client', 'flow-7.json'), readFileSync(join(dir, 'bulk-loss.client', 'flow-0.json')));
    const drift = await runCli(['analyze', '--quiet', '--baseline', dir, ...FILES]);
    expect(drift.code).toBe(1);
    const text = drift.stderr.join('\n');
    expect(text).toMatch(/DRIFT \S*fixtures\/rate-limited\.client\.pcap flow 0 .*:\ntcpscope: {5}close\.kind: rst -> fin\n(.|\n)*tcpscope: {5}anomalyCounts\.retransmission: 40 -> 52, \+12 \(\+30\.0%\)/);
    expect(text).toMatch(/new flow: no short-conns\.client\/flow-3\.json in the baseline/);
    expect(text).toMatch(/flow 7 is in the baseline \(bulk-loss\.client\/flow-7\.json\) but not in this run/);
    expect(drift.stderr.at(-1)).toMatch(/3 drifted from baseline .*FAILED$/);

    // Tolerances: a count tolerance of 30% accepts 40 -> 52 (close.kind still differs).
    const tol = await runCli(['analyze', '--quiet', '--baseline', dir, '--count-tolerance', '31%', FILES[3]!]);
    expect(tol.stderr.join('\n')).not.toMatch(/anomalyCounts\.retransmission/);
    expect(tol.stderr.join('\n')).toMatch(/close\.kind: rst -> fin/);

    // --update-baseline rewrites it (and removes files of flows no longer present).
    const again = await runCli(['analyze', '--quiet', '--baseline', dir, '--update-baseline', ...FILES]);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, 'bulk-loss.client', 'flow-7.json'))).toBe(false);
    expect((await runCli(['analyze', '--quiet', '--baseline', dir, ...FILES])).code).toBe(0);
  });

  test('--update-baseline without --baseline and bad tolerances are usage errors', async () => {
    expect((await runCli(['analyze', '--quiet', '--update-baseline', FILES[0]!])).code).toBe(2);
    const r = await runCli(['analyze', '--quiet', '--baseline', tmp(), '--time-tolerance', 'ten', FILES[0]!]);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/--time-tolerance/);
  });
});

describe('JUnit', () => {
  test('a test case per flow, failures for matched rules, to a file and to stdout', async () => {
    const file = join(tmp(), 'junit.xml');
    const r = await runCli(['analyze', '--quiet', '--fail-on', 'zero_window_stall', '--junit', file, ...FILES]);
    expect(r.code).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tcpscope" tests="15" failures="1">')).toBe(true);
    expect(xml.match(/<testcase /g)?.length).toBe(15);
    expect(xml).toMatch(/<testsuite name="[^"]*slow-reader\.client\.pcap" tests="1" failures="1"/);
    expect(xml).toMatch(/<failure type="fail-on" message="zero_window_stall \(zero_window_stall: \d+\)">/);
    const out = await runCli(['analyze', '--quiet', '--format', 'junit', ...FILES]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/<testsuites name="tcpscope" tests="15" failures="0">/);
  });
});
