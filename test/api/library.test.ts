/**
 * The library API (src/index.ts): `analyze` resolves to exactly the report the CLI prints as
 * JSON; `analyzeFlows` streams the same flows and returns the rest of the report; stopping the
 * iteration early ends reading (the returned promise settles, nothing hangs).
 */
import { describe, expect, test } from 'vitest';
import { analyze, analyzeFlows, type FlowJson, type ReportRest } from '../../src/index.js';
import { runCli } from '../helpers/fake-cli-io.js';
import { fixturePath } from '../helpers/fixture-captures.js';

const FILES = ['short-conns.client.pcap', 'slow-reader.client.pcap'].map(fixturePath);

describe('analyze()', () => {
  test('equals `tcpscope analyze --format json` on the same inputs', async () => {
    const cli = await runCli(['analyze', '--format', 'json', ...FILES]);
    expect(await analyze(FILES)).toEqual(JSON.parse(cli.stdout));
    const one = await analyze(FILES[0]!);
    expect(one.flows.length).toBe(12);
  });

  test('options reach the analysis (two-pass revision, RTO floor)', async () => {
    const r = await analyze(fixturePath('slow-reader.client.pcap'), { behaviour: { twoPass: true, minRtoMs: 200 } });
    const f = r.flows[0]! as FlowJson & { revisions: { applied: boolean } };
    expect(f.revisions.applied).toBe(true);
    expect(f.anomalyCounts['spurious_retransmission']).toBe(1);
  });
});

describe('analyzeFlows()', () => {
  test('streams every flow of the JSON report and returns the rest of it', async () => {
    const whole = await analyze(FILES[0]!);
    const it = analyzeFlows(FILES[0]!);
    const flows: FlowJson[] = [];
    let rest: ReportRest | undefined;
    for (;;) {
      const n = await it.next();
      if (n.done === true) {
        rest = n.value;
        break;
      }
      flows.push(n.value);
    }
    expect(flows.sort((a, b) => a.id - b.id)).toEqual(whole.flows);
    const { flows: _f, ...expected } = whole;
    expect(rest).toEqual(expected);
  });

  test('breaking out early stops reading; a missing file is reported, not thrown', async () => {
    let n = 0;
    for await (const f of analyzeFlows(FILES[0]!)) {
      expect(f.id).toBeGreaterThanOrEqual(0);
      if (++n === 2) break;
    }
    expect(n).toBe(2);
    const it = analyzeFlows('no-such-file.pcap');
    const r = await it.next();
    expect(r.done).toBe(true);
    expect((r.value as ReportRest).inputErrors[0]?.message).toMatch(/no-such-file\.pcap/);
  });
});

describe('threads', () => {
  test('analyze() with 2 worker threads resolves to the same report', async () => {
    expect(await analyze(FILES, { threads: 2 })).toEqual(await analyze(FILES));
  });

  test('analyzeFlows() with 2 worker threads streams the same flows in the same order; breaking out early settles', async () => {
    const collect = async (threads: number): Promise<{ flows: FlowJson[]; rest: ReportRest }> => {
      const it = analyzeFlows(FILES[0]!, { threads });
      const flows: FlowJson[] = [];
      for (;;) {
        const n = await it.next();
        if (n.done === true) return { flows, rest: n.value };
        flows.push(n.value);
      }
    };
    expect(await collect(2)).toEqual(await collect(1));
    let n = 0;
    for await (const f of analyzeFlows(FILES[1]!, { threads: 2 })) {
      expect(f.capture).toBe(0);
      if (++n === 1) break;
    }
    expect(n).toBe(1);
  });
});
