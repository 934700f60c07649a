/** CI-mode building blocks: rule grammar, tolerances, drift lines, JUnit escaping, capture stems. */
import { describe, expect, test } from 'vitest';
import { FailRuleError, parseFailOn } from '../../src/ci/fail-rules.js';
import { DEFAULT_TOLERANCES, flowDrift, parseTolerance } from '../../src/ci/baseline.js';
import { renderJunit, xmlEscape } from '../../src/ci/junit.js';
import { captureStem, uniqueStems } from '../../src/ci/flow-files.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';

describe('--fail-on grammar', () => {
  test.each([
    ['rst_on_close', [{ code: 'rst_on_close', op: '>=', n: 1 }]],
    ['retransmission>5', [{ code: 'retransmission', op: '>', n: 5 }]],
    [' zero_window_stall >= 2 , duplicate_ack=0', [{ code: 'zero_window_stall', op: '>=', n: 2 }, { code: 'duplicate_ack', op: '=', n: 0 }]],
    ['out_of_order<3', [{ code: 'out_of_order', op: '<', n: 3 }]],
  ] as const)('%j', (spec, want) => {
    expect(parseFailOn([spec]).map((r) => (r.kind === 'code' ? { code: r.code, op: r.op, n: r.n } : r))).toEqual(want);
  });

  test('severity words', () => {
    expect(parseFailOn(['error,warning']).map((r) => r.kind)).toEqual(['severity', 'severity']);
  });

  test.each([['retransmissions'], ['retransmission>x'], ['>5'], ['retransmission 5']])('%j is refused', (spec) => {
    expect(() => parseFailOn([spec])).toThrow(FailRuleError);
  });
});

describe('tolerances and drift', () => {
  test('parse', () => {
    expect(parseTolerance('5%', DEFAULT_TOLERANCES.count, 'count')).toEqual({ rel: 0.05, abs: 0 });
    expect(parseTolerance('2', DEFAULT_TOLERANCES.time, 'time')).toEqual({ rel: 0.1, abs: 2 });
    expect(() => parseTolerance('-1', DEFAULT_TOLERANCES.time, 'time')).toThrow(/time-tolerance/);
  });

  test('a record against itself has no drift; timings within 10% / 1 ms pass, beyond fail', async () => {
    const [f] = (await analyzeCapture('fixtures/bulk-loss.client.pcap')).flows;
    expect(flowDrift(f!, f!)).toEqual([]);
    const near = structuredClone(f!);
    near.handshake.rttMs = f!.handshake.rttMs! + 0.9;
    expect(flowDrift(f!, near)).toEqual([]);
    const far = structuredClone(f!);
    far.handshake.rttMs = f!.handshake.rttMs! * 3 + 5;
    far.packets.c2s += 1;
    const lines = flowDrift(f!, far);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^packets\.c2s: \d+ -> \d+, \+1 \(\+[\d.]+%\)$/);
    expect(lines[1]).toMatch(/^handshake\.rttMs: [\d.]+ ms -> [\d.]+ ms, \+[\d.]+ ms/);
  });
});

describe('JUnit', () => {
  test('escapes capture-controlled text and characters XML cannot carry', () => {
    expect(xmlEscape(`<a href="x">&'\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD');
    const xml = renderJunit([{ name: 'a<b>.pcap', cases: [{ name: 'flow 0', classname: 'tcpscope.a', time: 1.5, failures: [{ type: 'fail-on', message: 'x>1 (x: 2)', detail: '</failure><evil/>' }] }] }]);
    expect(xml).toContain('<testsuite name="a&lt;b&gt;.pcap" tests="1" failures="1"');
    expect(xml).toContain('<failure type="fail-on" message="x&gt;1 (x: 2)">&lt;/failure&gt;&lt;evil/&gt;</failure>');
    expect(xml).not.toContain('<evil/>');
  });
});

describe('capture stems', () => {
  test.each([
    ['fixtures/bulk-loss.client.pcap', 'bulk-loss.client'],
    ['/tmp/x/trace.pcapng.gz', 'trace'],
    ['-', 'stdin'],
    ['a b/weird name?.cap', 'weird_name_'],
  ])('%s -> %s', (src, stem) => {
    expect(captureStem(src)).toBe(stem);
  });

  test('same file name twice gets -2', () => {
    expect(uniqueStems(['a/x.pcap', 'b/x.pcap', 'y.pcap'])).toEqual(['x', 'x-2', 'y']);
  });
});
