/** `analyze --html FILE`: the CLI writes the self-contained report next to any other output. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/fake-cli-io.js';
import { fixturePath } from '../helpers/fixture-captures.js';

test('--html writes one offline file with every flow and its plot data; stdout keeps its format', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-html-')), 'r.html');
  const r = await runCli(['analyze', '--format', 'csv', '--html', file, fixturePath('slow-reader.client.pcap'), fixturePath('short-conns.client.pcap')]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\r\n')[0]).toMatch(/^capture,id,/);
  expect(r.stderr).toEqual([`tcpscope: HTML report written to ${file}`]);
  const html = readFileSync(file, 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/i);
  expect(html).toContain('10.201.1.1:40102');
  // The inlined data carries the recorded series of both captures' flows.
  const data = /<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html);
  expect(data).not.toBeNull();
  expect(data![1]!.length).toBeGreaterThan(1000);
});
