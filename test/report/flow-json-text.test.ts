/**
 * `reportIndented` (report/flow-json-text.ts): a flow's text two levels deep in the report's
 * `flows` array, made in one pass — equal to pretty-printing it and indenting every line after
 * the first by four spaces, for every shape a record can have.
 */
import { expect, test } from 'vitest';
import { reportIndented } from '../../src/report/flow-json-text.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { fixturePath } from '../helpers/fixture-captures.js';

const reindented = (v: unknown): string => JSON.stringify(v, null, 2).replace(/\n/g, '\n    ');

test.each([
  ['empty object', {}],
  ['flat', { id: 3, a: 'x', b: null, c: true, d: 1.5 }],
  ['empty and nested arrays and objects', { a: [], b: {}, c: [[1, [2, {}]], { d: [] }] }],
  ['strings with escapes, quotes, newlines, unicode', { s: 'line 1\nline 2\t"q" \\ \u00e9 \u2028 \ud83d\ude00', k: { 'a\nb': 1 } }],
  ['undefined members left out, undefined in arrays as null', { a: undefined, b: [undefined, 1] }],
])('%s', (_name, v) => {
  expect(reportIndented(v)).toBe(reindented(v));
});

test('a real flow record (bulk-loss.client.pcap)', async () => {
  const r = await analyzeCapture(fixturePath('bulk-loss.client.pcap'));
  for (const f of r.flows) expect(reportIndented(f)).toBe(reindented(f));
});
