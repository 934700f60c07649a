/**
 * A capture taken with a short snap length (`tcpdump -s 96`) holds only the headers of a bulk
 * transfer: `payloadBytes` (delivered to the stream) is then ~0 and `truncatedBytes` holds the
 * rest. The tables show the flow's stream bytes on the wire (`wireBytes` = the two together,
 * `*` when some were cut), so they must show the same bytes, the same RTT column and the same
 * order as for the full capture. The cut captures are the real fixtures with every record cut
 * to the snap length, as tcpdump would have written them (original lengths kept).
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { toFlowRow, wireBytes, type FlowRow } from '../../src/report/flow-row.js';
import { renderFlowsTable } from '../../src/report/flows-text.js';
import { sortRows } from '../../src/report/flow-sort.js';
import { palette } from '../../src/report/colors.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { pcapFile, type PcapRecord } from '../helpers/capture-bytes.js';
import { packetRecordOffsets } from '../helpers/record-offsets.js';

/** The classic pcap `file` as written with snap length `snap`. */
function cutTo(file: Uint8Array, snap: number): Uint8Array {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  const nanos = dv.getUint32(0, le) === 0xa1b23c4d;
  const records: PcapRecord[] = packetRecordOffsets(file).map(({ offset }) => {
    const caplen = dv.getUint32(offset + 8, le);
    const data = file.subarray(offset + 16, offset + 16 + Math.min(caplen, snap));
    return { sec: dv.getUint32(offset, le), frac: dv.getUint32(offset + 4, le), data, orig: dv.getUint32(offset + 12, le) };
  });
  return pcapFile(records, { le, nanos, snaplen: snap, linkType: dv.getUint32(20, le) });
}

const dir = mkdtempSync(join(tmpdir(), 'wire-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The table's cells, row by row, a cell's lines joined. */
function cells(table: string): string[][] {
  const rows: string[][] = [];
  let row: string[] | null = null;
  for (const line of table.split('\n')) {
    if (!line.startsWith('│')) {
      if (row !== null) rows.push(row);
      row = line.startsWith('├') || line.startsWith('┌') ? [] : null;
      continue;
    }
    const parts = line.split('│').slice(1, -1).map((c) => c.trim());
    if (row === null) row = [];
    parts.forEach((c, i) => (row![i] = (row![i] ?? '') + c));
  }
  return rows;
}

async function rowsOf(path: string): Promise<FlowRow[]> {
  return (await analyzeCapture(path)).flows.map((f) => toFlowRow(f, 0));
}

const CASES: [string, number][] = [
  // fixture, snap length (Ethernet + IPv4 + TCP with timestamps take 66 bytes: the rest is payload)
  ['bulk-loss.client.pcap', 96],
  ['slow-reader.client.pcap', 96],
  ['http-chunked.server.pcap', 128],
  ['tls.client.pcap', 80],
];

/** Each case's rows from the full capture and from the cut one (ids made unique across cases). */
async function caseRows(k: number): Promise<{ whole: FlowRow[]; part: FlowRow[] }> {
  const [name, snap] = CASES[k]!;
  const full = fixturePath(name);
  const cut = join(dir, `${snap}-${name}`);
  writeFileSync(cut, cutTo(readFileSync(full), snap));
  const ids = (rows: FlowRow[]): FlowRow[] => rows.map((r) => ({ ...r, id: k * 1000 + r.id }));
  return { whole: ids(await rowsOf(full)), part: ids(await rowsOf(cut)) };
}

describe.each(CASES.map((c, k) => [...c, k] as const))('%s cut to %d bytes', async (_name, _snap, k) => {
  const { whole, part } = await caseRows(k);
  const p = palette(false);

  test('the same flows; each direction\'s stream bytes on the wire are the full capture\'s payload bytes', () => {
    expect(part.map((r) => r.id)).toEqual(whole.map((r) => r.id));
    expect(part.some((r) => r.truncatedBytes.c2s + r.truncatedBytes.s2c > 0)).toBe(true);
    for (const [i, r] of part.entries()) {
      const w = whole[i]!;
      expect(w.truncatedBytes).toEqual({ c2s: 0, s2c: 0 });
      for (const d of ['c2s', 's2c'] as const) {
        expect(wireBytes(r, d)).toBe(w.payloadBytes[d]);
        expect(r.payloadBytes[d]).toBeLessThanOrEqual(w.payloadBytes[d]);
      }
    }
  });

  test('the table shows the same bytes (marked * where cut), the same RTT, and says what * means', () => {
    const a = renderFlowsTable(sortRows(whole, 'id'), 100, 200, p);
    const b = renderFlowsTable(sortRows(part, 'id'), 100, 200, p);
    expect(a).not.toContain('snap length');
    expect(b).toContain('bytes: * = some of them cut by the snap length');
    // Without the marks the cells are the same (a cell may break over two lines: its parts are
    // joined), the findings included: bytes the snap length cut cost the HTTP parser its framing,
    // but that is the capture's doing and raises no http_resync (app.http.cutBytes counts them).
    expect(cells(b).map((row) => row.map((c) => c.replace(/\*/g, '')))).toEqual(cells(a));
    expect(cells(a)[0]!.slice(0, 7)).toEqual(['id', 'client → server', 'pkts →/←', 'bytes →/←', 'duration', 'retx →/←', 'rtt ms']);
    expect(cells(b).some((row) => row.some((c) => c.includes('*')))).toBe(true);
    // A bytes cell too wide for one line breaks after the slash; no cell is cut with '…'.
    expect(b).not.toContain('…');
  });

});

test('sorting the flows of all cases by bytes, or by interest (bytes break its ties), gives the full captures\' order', async () => {
  const all = await Promise.all(CASES.map((_, k) => caseRows(k)));
  const whole = all.flatMap((c) => c.whole);
  const part = all.flatMap((c) => c.part);
  expect(sortRows(part, 'bytes').map((r) => r.id)).toEqual(sortRows(whole, 'bytes').map((r) => r.id));
  // Interest sorts by findings first; with the findings of the full capture it must order by bytes as the full one.
  const same = part.map((r, i) => ({ ...r, worst: whole[i]!.worst, serious: whole[i]!.serious, retransmissions: whole[i]!.retransmissions }));
  expect(sortRows(same, 'interest').map((r) => r.id)).toEqual(sortRows(whole, 'interest').map((r) => r.id));
});
