import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { buildReport, tallyFlowAnomalies } from '../../src/report/report-json.js';
import { reportJsonPieces, writeReportJson } from '../../src/report/json-writer.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';

const FIXTURES = ['fixtures/bulk-loss.client.pcap', 'fixtures/short-conns.client.pcap', 'fixtures/closed-port.client.pcapng'];

describe('JSON report written flow by flow', () => {
  it.each(FIXTURES)('%s: pieces join to exactly JSON.stringify(report, null, 2)', async (file) => {
    const report = buildReport([await analyzeCapture(file)], false);
    expect(report.flows.length).toBeGreaterThan(0);
    expect([...reportJsonPieces(report)].join('')).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('a report without flows (unreadable input) is written whole', async () => {
    const report = buildReport([await analyzeCapture('does-not-exist.pcap')], false);
    expect(report.flows).toEqual([]);
    expect([...reportJsonPieces(report)].join('')).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('writes through a stream that pushes back (small highWaterMark) without losing or reordering text', async () => {
    const report = buildReport([await analyzeCapture('fixtures/short-conns.client.pcap')], false);
    const out = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReportJson(report, out);
    out.end();
    await new Promise((r) => out.on('end', r));
    expect(Buffer.concat(chunks).toString()).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('summary counts from a streamed tally equal those summed from collected flows', async () => {
    const file = 'fixtures/bulk-loss.client.pcap';
    const whole = buildReport([await analyzeCapture(file)], false);
    const tally = new Map<string, number>();
    const streamed = await analyzeCapture(file, { onFlowEnd: (f: FlowSummary) => tallyFlowAnomalies(tally, f) });
    expect(streamed.flows).toEqual([]);
    const fromTally = buildReport([streamed], false, tally);
    expect(fromTally.flows).toEqual([]);
    expect(fromTally.summary).toEqual(whole.summary);
    expect(Object.keys(whole.summary.anomalyCounts).length).toBeGreaterThan(0);
  });
});
