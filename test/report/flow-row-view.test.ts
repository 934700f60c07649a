/**
 * `rowView` (report/flow-row.ts), what a sharded terminal run sends per flow between threads:
 * for every flow of every fixture capture with TCP flows (all but the UDP fragments one) it gives the same terminal row, the same anomaly
 * tally, the same flow selection and the same ISN-check and merge inputs as the whole record.
 */
import { expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { rowView, toFlowRow } from '../../src/report/flow-row.js';
import { tallyFlowAnomalies } from '../../src/report/report-json.js';
import { flowFilter } from '../../src/cli/flow-filter.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';

const inputs = (f: FlowSummary): unknown => ({ id: f.id, client: f.client, server: f.server, isn: f.isn, firstTs: f.firstTs, firstFrame: f.firstFrame, lastFrame: f.lastFrame, end: f.end });

test.each(FIXTURE_CAPTURES.filter((n) => !n.startsWith('fragments.')))('%s', async (name) => {
  const { flows } = await analyzeCapture(fixturePath(name));
  expect(flows.length).toBeGreaterThan(0);
  const filters = [flowFilter({ host: [flows[0]!.client.ip] }), flowFilter({ port: [flows[0]!.server.port] }), flowFilter({ flow: [0] })];
  for (const f of flows) {
    const v = rowView(f);
    expect(toFlowRow(v, 3)).toEqual(toFlowRow(f, 3));
    const [a, b] = [new Map<string, number>(), new Map<string, number>()];
    tallyFlowAnomalies(a, f);
    tallyFlowAnomalies(b, v);
    expect(b).toEqual(a);
    for (const sel of filters) expect(sel.test(v)).toBe(sel.test(f));
    expect(inputs(v)).toEqual(inputs(f));
    expect(JSON.stringify(v).length).toBeLessThan(JSON.stringify(f).length);
  }
});
