/**
 * The terminal report keeps only what it shows (report/text-flows.ts): for rows coming in any
 * order, the flows kept per capture are exactly the first `top` of the full sort, and the
 * findings summary names the same first flows per code as one fed the sorted rows — for every
 * sort order and several `top` values, over the rows of every fixture flow and a synthetic
 * capture's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { toFlowRow, type FlowRow } from '../../src/report/flow-row.js';
import { SORT_ORDERS, sortRows } from '../../src/report/flow-sort.js';
import { FindingsSummary } from '../../src/report/findings-text.js';
import { palette } from '../../src/report/colors.js';
import { TextFlows, TopRows } from '../../src/report/text-flows.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { prng } from '../helpers/prng.js';

/** Rows of every fixture flow and of a synthetic capture's 200, spread over three captures, with ties on every sort key. */
async function fixtureRows(): Promise<FlowRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'text-flows-'));
  const synth = join(dir, 'bench.pcap');
  await writeBenchCapture(synth, { packets: 20_000, flows: 200, seed: 3, concurrency: 30 });
  const files = [...FIXTURE_CAPTURES.map(fixturePath), synth];
  const rows: FlowRow[] = [];
  for (const [k, file] of files.entries()) {
    for (const f of (await analyzeCapture(file)).flows) {
      const r = toFlowRow(f, k % 3);
      rows.push({ ...r, id: k * 1000 + r.id });
      // A copy with the same sort keys and another id: the order must break the tie by id.
      rows.push({ ...r, id: k * 1000 + r.id + 500 });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

describe('TextFlows keeps exactly what the full sort would show', async () => {
  const rows = await fixtureRows();
  const p = palette(false);

  test('the fixtures give enough rows, with findings', () => {
    expect(rows.length).toBeGreaterThan(400);
    expect(rows.filter((r) => r.findings.length > 0).length).toBeGreaterThan(100);
  });

  test.each(SORT_ORDERS.flatMap((order) => [0, 1, 5, 20, 10_000].map((top) => [order, top] as const)))('sort %s, top %d', (order, top) => {
    const rnd = prng(top + order.length);
    const shuffled = [...rows].sort(() => rnd() - 0.5);
    const kept = new TextFlows(top, order);
    for (const r of shuffled) kept.add(r);
    for (const capture of [0, 1, 2]) {
      const all = sortRows(rows.filter((r) => r.capture === capture), order);
      const got = kept.capture(capture);
      expect(got.total).toBe(all.length);
      expect(got.shown.map((r) => r.id)).toEqual(all.slice(0, top).map((r) => r.id));
      const sortedFindings = new FindingsSummary();
      for (const r of all) sortedFindings.add(r);
      expect(got.findings.render(p)).toEqual(sortedFindings.render(p));
    }
    expect(kept.capture(3)).toMatchObject({ shown: [], total: 0 });
  });
});

describe('TopRows', () => {
  test('the k smallest of random numbers, in order, for k from 0 to past the count', () => {
    const rnd = prng(9);
    const values = Array.from({ length: 500 }, (_, i) => ({ v: Math.floor(rnd() * 50), id: i }));
    const asRow = (x: { v: number; id: number }): FlowRow => ({ id: x.id, capture: 0, worst: x.v }) as unknown as FlowRow;
    const cmp = (a: FlowRow, b: FlowRow): number => a.worst - b.worst || a.id - b.id;
    for (const k of [0, 1, 2, 7, 64, 499, 500, 600]) {
      const top = new TopRows(k, cmp);
      for (const x of values) top.add(asRow(x));
      const want = values.map(asRow).sort(cmp).slice(0, k).map((r) => r.id);
      expect(top.sorted().map((r) => r.id)).toEqual(want);
    }
  });
});
