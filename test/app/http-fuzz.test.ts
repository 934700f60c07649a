/**
 * Fuzz: real and scripted HTTP streams, mutated (bytes flipped, CR/LF/colon/digits/NUL inserted,
 * bytes deleted, ranges duplicated, gaps punched, cut at random places), through the parser and
 * the report code that renders its section (terminal lines, `--flow` table, HTML page data).
 * Nothing may throw; memory stays within the caps; every message is well-formed in the result.
 * Seeded (test/helpers/prng.ts): a failure names its seed.
 */
import { describe, expect, test } from 'vitest';
import { StreamCollector } from '../../src/flow/stream-collector.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { appLines, httpDetailLines } from '../../src/report/app-text.js';
import { appView } from '../../src/report/html/sections.js';
import type { FlowJson } from '../../src/report/report-json.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { prng } from '../helpers/prng.js';
import { C, S, bytesOf, parse, type StreamEvent } from './http-driver.js';

const SCRIPTED: StreamEvent[] = [
  { dir: C, data: 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;e=1\r\nwiki\r\n0\r\nT: 1\r\n\r\nGET /c HTTP/1.1\r\nUpgrade: websocket\r\n\r\n' },
  { dir: S, data: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 101 Switching\r\nUpgrade: websocket\r\n\r\n\x81\x00' },
];

/** The real fixture's two streams (request and chunked response directions). */
async function fixtureStreams(): Promise<StreamEvent[]> {
  const col = new StreamCollector();
  await analyzeCapture(fixturePath('http-chunked.server.pcap'), { streamSink: () => col, app: false });
  const out: StreamEvent[] = [];
  for (const c of col.chunks) out.push(c.bytes === null ? { dir: c.dir, gap: c.len } : { dir: c.dir, data: c.bytes });
  return out;
}

const INSERTS = ['\r', '\n', '\r\n', ':', ' ', '0', 'f', ';', '\0', '\r\n\r\n', 'HTTP/1.1 200 OK\r\n', 'GET / HTTP/1.1\r\n', 'Content-Length: 99999999999999\r\n', 'Transfer-Encoding: chunked\r\n'];

/** One mutation of `events` from `rnd`. */
function mutate(events: readonly StreamEvent[], rnd: () => number): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const e of events) {
    if (!('data' in e)) {
      out.push(e);
      continue;
    }
    let b = Array.from(bytesOf(e.data));
    const edits = Math.floor(rnd() * 6);
    for (let k = 0; k < edits && b.length > 0; k++) {
      const at = Math.floor(rnd() * b.length);
      const kind = Math.floor(rnd() * 5);
      if (kind === 0) b[at] = Math.floor(rnd() * 256);
      else if (kind === 1) b.splice(at, 0, ...bytesOf(INSERTS[Math.floor(rnd() * INSERTS.length)]!));
      else if (kind === 2) b.splice(at, 1 + Math.floor(rnd() * 40));
      else if (kind === 3) b.splice(at, 0, ...b.slice(at, at + Math.floor(rnd() * 200)));
      else {
        // A gap: the bytes after `at` go missing.
        const len = 1 + Math.floor(rnd() * 2000);
        out.push({ dir: e.dir, data: Uint8Array.from(b.slice(0, at)) });
        out.push({ dir: e.dir, gap: len });
        b = b.slice(Math.min(b.length, at + len));
      }
    }
    if (b.length > 0) out.push({ dir: e.dir, data: Uint8Array.from(b) });
  }
  // Sometimes the end of each direction, sometimes not.
  if (rnd() < 0.7) out.push({ dir: C, end: 'fin' }, { dir: S, end: rnd() < 0.5 ? 'fin' : 'rst' });
  return out;
}

describe('HTTP fuzz', () => {
  test('mutated scripted and real streams never throw; caps hold; the report renders', async () => {
    const sources = [SCRIPTED, await fixtureStreams()];
    let runs = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = prng(seed);
      const events = mutate(sources[seed % sources.length]!, rnd);
      const cuts = (_i: number, n: number): number[] => Array.from({ length: Math.floor(rnd() * 8) }, () => Math.floor(rnd() * n));
      let r: ReturnType<typeof parse>;
      try {
        r = parse(events, cuts, { limits: { maxHeadBytes: 4096, maxMessages: 50 } });
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).stack}`);
      }
      const dirs = (r.parser as unknown as { dirs: { sec: { bytes: Uint8Array } }[] }).dirs;
      for (const d of dirs) expect(d.sec.bytes.length, `seed ${seed}`).toBeLessThanOrEqual(4096);
      const msgs = r.result['messages'] as Record<string, unknown>[];
      expect(msgs.length).toBeLessThanOrEqual(50);
      for (const m of msgs) {
        expect(['request', 'response']).toContain(m['kind']);
        expect(Number(m['lastFrame'])).toBeGreaterThanOrEqual(Number(m['firstFrame']));
        expect(Number(m['bodyLength'])).toBeGreaterThanOrEqual(0);
      }
      // The report code that reads the section.
      const flow = { app: { http: { ...r.result, label: r.parser.label() } } } as unknown as FlowJson;
      expect(() => JSON.stringify(appView(flow))).not.toThrow();
      expect(() => appLines(flow)).not.toThrow();
      expect(() => httpDetailLines((flow['app'] as { http: Record<string, unknown> }).http, 100)).not.toThrow();
      for (const line of appLines(flow)) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      runs++;
    }
    expect(runs).toBe(400);
  }, 120_000);
});
