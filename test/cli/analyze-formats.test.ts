/**
 * `analyze --format ndjson|csv`: flows streamed as they finish. The NDJSON flow lines are the
 * JSON report's flows (each valid against the schema's flow definition) and the summary line is
 * the rest of the JSON report; the CSV has one RFC 4180 row per flow whose cells are the JSON
 * report's values (headlines with commas are quoted and come back intact).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { SPEC, fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';
import { CSV_COLUMNS, csvField } from '../../src/report/flow-csv.js';

const schema = JSON.parse(readFileSync(join(SPEC, 'report.schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema, 'report');
const validateFlow = ajv.compile({ $ref: 'report#/$defs/flow' });

type Flow = { id: number; capture: number; client: { ip: string; port: number }; anomalyCounts: Record<string, number>; diagnosis?: { headline?: string } } & Record<string, unknown>;

const FILES = ['short-conns.client.pcap', 'bulk-loss.client.pcap', 'slow-reader.client.pcap'].map(fixturePath);

async function jsonReport(files: string[]): Promise<{ flows: Flow[] } & Record<string, unknown>> {
  const r = await runCli(['analyze', '--format', 'json', ...files]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { flows: Flow[] } & Record<string, unknown>;
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  return rows;
}

describe('analyze --format ndjson', () => {
  test('flow lines are the JSON report flows, the last line its summary', async () => {
    const whole = await jsonReport(FILES);
    const r = await runCli(['analyze', '--format', 'ndjson', ...FILES]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
    const flows = lines.filter((l) => l.type === 'flow');
    expect(lines.at(-1)!.type).toBe('summary');
    expect(flows.length).toBe(lines.length - 1);
    for (const f of flows) expect(validateFlow(f), ajv.errorsText(validateFlow.errors)).toBe(true);
    const strip = (f: Record<string, unknown>): Record<string, unknown> => {
      const { type: _t, ...rest } = f;
      return rest;
    };
    const key = (f: Record<string, unknown>): number => (f['capture'] as number) * 1e6 + (f['id'] as number);
    expect(flows.map(strip).sort((a, b) => key(a) - key(b))).toEqual(whole.flows);
    const { flows: _f, ...rest } = whole;
    expect(strip(lines.at(-1)!)).toEqual(rest);
  });
});

describe('analyze --format csv', () => {
  test('a header and one row per flow; cells equal the JSON report values', async () => {
    const whole = await jsonReport(FILES);
    const r = await runCli(['analyze', '--format', 'csv', ...FILES]);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(CSV_COLUMNS);
    const body = rows.slice(1);
    expect(body.length).toBe(whole.flows.length);
    for (const row of body) expect(row.length).toBe(CSV_COLUMNS.length);
    const col = (name: string): number => CSV_COLUMNS.indexOf(name);
    const byKey = new Map(body.map((row) => [`${row[col('capture')]}/${row[col('id')]}`, row]));
    let quotedHeadlines = 0;
    for (const f of whole.flows) {
      const row = byKey.get(`${f.capture}/${f.id}`)!;
      expect(row[col('client_ip')]).toBe(f.client.ip);
      expect(Number(row[col('client_port')])).toBe(f.client.port);
      expect(Number(row[col('anomalies')])).toBe(Object.values(f.anomalyCounts).reduce((a, b) => a + b, 0));
      const h = f.diagnosis?.headline ?? '';
      expect(row[col('headline')]).toBe(h);
      if (h.includes(',')) quotedHeadlines++;
    }
    expect(quotedHeadlines).toBeGreaterThan(0);
  });

  test.each([
    [null, ''],
    [3.5, '3.5'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
  ] as const)('field %j -> %j', (v, out) => {
    expect(csvField(v)).toBe(out);
  });
});
