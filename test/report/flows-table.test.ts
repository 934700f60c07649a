/**
 * The terminal flows table (report/flows-text.ts) never cuts what identifies a flow or its
 * counts: ids of any length (a capture with 10,000 flows has 5-digit ids), and `a/b` pairs too
 * long for their column, which break after the slash. It stays within the terminal's width
 * where the essential columns fit (80 columns and up).
 */
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { toFlowRow, type FlowRow } from '../../src/report/flow-row.js';
import { renderFlowsTable } from '../../src/report/flows-text.js';
import { palette } from '../../src/report/colors.js';
import { fixturePath } from '../helpers/fixture-captures.js';

const p = palette(false);

describe('flows table', async () => {
  // A real flow (bulk-loss: 221/42 packets, 293K bytes), given other ids and bigger counts.
  const base = toFlowRow((await analyzeCapture(fixturePath('bulk-loss.client.pcap'))).flows[0]!, 0);
  const as = (id: number, scale = 1): FlowRow => ({
    ...base,
    id,
    packets: { c2s: base.packets.c2s * scale, s2c: base.packets.s2c * scale * 37 },
    payloadBytes: { c2s: base.payloadBytes.c2s * scale, s2c: base.payloadBytes.c2s * scale },
    retransmissions: { c2s: base.retransmissions.c2s * scale, s2c: 12345 * scale },
  });

  test.each([
    // columns, ids, count scale
    [80, [0, 7, 42], 1],
    [80, [999, 1000, 9999], 1],
    [80, [12345, 99999], 40],
    [120, [123456, 1], 400],
    [200, [1000000], 1],
  ])('%d columns, ids %j, counts x%d', (columns, ids, scale) => {
    const t = renderFlowsTable(ids.map((id) => as(id, scale)), 100, columns, p);
    expect(t).not.toContain('…');
    const lines = t.split('\n').filter((l) => /^[│├┌└]/.test(l));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
    // An endpoint too long for its column breaks after the last colon, never inside the port.
    expect(t).not.toMatch(/│ \d+\.\d+\.\d+\.\d+:\d+ *│[^\n]*\n│ *│ \d+ *│/);
    const idCells = lines.filter((l) => /^│ *\d/.test(l)).map((l) => Number(l.split('│')[1]!.trim()));
    expect(idCells).toEqual(ids);
  });
});
