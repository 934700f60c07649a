/**
 * The application-layer framework (src/app/app-layer.ts): detection by content (not port),
 * detaching directions nothing recognised, a protocol recognised on one direction after the
 * other was passed over, capture times of bytes held out of order, coexistence with the follow
 * sink, `app: false`; and the real fixture whose chunked body's SHA-256 is in its truth file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AppLayer } from '../../src/app/app-layer.js';
import { appProtocols } from '../../src/app/registry.js';
import { readCapture } from '../../src/capture/open.js';
import type { Direction } from '../../src/core/direction.js';
import type { FlowApp, FlowAppHost } from '../../src/flow/analyzers.js';
import { StreamCollector } from '../../src/flow/stream-collector.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { CLIENT, SERVER, SynthCapture, fin, handshake, transfer } from '../../src/synth/tcp-script.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { writeTmp } from '../synth/tshark.js';
import { bytesOf } from './http-driver.js';

/** A flow as the app layer sees it: a clock the test sets, SYNs seen or not. */
class FakeHost implements FlowAppHost {
  lastSec = 1000;
  lastNsec = 0;
  lastFrame = 0;
  appDirs = 3;
  app: FlowApp | null = null;
  constructor(private readonly syn: boolean) {}
  synIsn(_dir: Direction): number {
    return this.syn ? 1 : -1;
  }
}

/** Feeds `app` data of `dir` as frame `frame` (the host's current packet). */
function data(app: AppLayer, host: FakeHost, dir: Direction, offset: number, text: string, frame: number): number {
  host.lastFrame = frame;
  host.lastSec = 1000 + frame;
  const b = bytesOf(text);
  if ((host.appDirs & (1 << dir)) !== 0) app.onData(dir, offset, b, 0, b.length, frame);
  return offset + b.length;
}

function httpSection(app: AppLayer): Record<string, unknown> | null {
  const o = app.finish();
  return o === null ? null : ((o.section([]) as { http?: Record<string, unknown> }).http ?? null);
}

describe('app layer: detection', () => {
  test('nothing recognised on either side: both directions detached, the app layer dropped, no section', () => {
    const host = new FakeHost(true);
    const app = new AppLayer(0, host, appProtocols());
    host.app = app;
    data(app, host, 0, 0, 'SSH-2.0-OpenSSH_9.6\r\n', 4);
    expect(host.appDirs).toBe(2);
    expect(host.app).toBe(app);
    data(app, host, 1, 0, 'SSH-2.0-OpenSSH_9.2\r\n', 5);
    expect(host.appDirs).toBe(0);
    expect(host.app).toBeNull();
    expect(app.finish()).toBeNull();
  });

  test('a request line cut after two bytes is recognised when the rest comes', () => {
    const host = new FakeHost(true);
    const app = new AppLayer(0, host, appProtocols());
    let off = data(app, host, 0, 0, 'GE', 4);
    expect(host.appDirs).toBe(3);
    off = data(app, host, 0, off, 'T /x HTTP/1.1\r\n\r\n', 5);
    data(app, host, 1, 0, 'HTTP/1.1 204 No Content\r\n\r\n', 6);
    const h = httpSection(app)!;
    expect(h['label']).toBe('GET /x → 204');
    expect((h['messages'] as { firstFrame: number; firstTs: number }[])[0]).toMatchObject({ firstFrame: 4, firstTs: 1004 });
  });

  test('the client side passed over, then the server side recognised: the parser is told what it was not shown', () => {
    const host = new FakeHost(true);
    const app = new AppLayer(0, host, appProtocols());
    data(app, host, 0, 0, '\x00\x01binary hello', 4);
    expect(host.appDirs).toBe(2);
    data(app, host, 1, 0, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 5);
    expect(host.appDirs).toBe(3);
    data(app, host, 0, 14, 'GET /later HTTP/1.1\r\n\r\n', 6);
    const h = httpSection(app)!;
    expect(h['notShownBytes']).toEqual({ c2s: 14, s2c: 0 });
    expect(h['label']).toBe('→ 200, GET /later → - (+0 more)'.replace(' (+0 more)', ''));
  });

  test('a stream picked up mid-way (no SYN): the next status line at a line start', () => {
    const host = new FakeHost(false);
    const app = new AppLayer(0, host, appProtocols());
    data(app, host, 1, 0, 'end of some body\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 3);
    const h = httpSection(app)!;
    expect(h['notShownBytes']).toEqual({ c2s: 0, s2c: 18 });
    expect(h['label']).toBe('→ 200');
  });

  test('HTTP on any port: detected by content in a real pipeline, not elsewhere', async () => {
    const cap = new SynthCapture({ seed: 11 });
    const c = cap.connection({ client: { port: 40000 }, server: { port: 5001 } });
    handshake(c);
    transfer(c, CLIENT, 0, { data: bytesOf('GET /odd-port HTTP/1.1\r\nHost: h\r\n\r\n') });
    transfer(c, SERVER, 0, { data: bytesOf(`HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n${'z'.repeat(3000)}`) });
    fin(c, CLIENT, { peerFin: true });
    const d = cap.connection({ client: { port: 40001 }, server: { port: 80 } });
    handshake(d);
    transfer(d, CLIENT, 2000);
    fin(d, CLIENT, { peerFin: true });
    const { bytes } = await cap.write('pcap');
    const r = await analyzeCapture(writeTmp('odd-port.pcap', bytes!));
    expect((r.flows[0]!['app'] as { http: { label: string } }).http.label).toBe('GET /odd-port → 200');
    expect(r.flows[1]!['app']).toBeUndefined();
    const off = await analyzeCapture(writeTmp('odd-port.pcap', bytes!), { app: false });
    expect(off.flows[0]!['app']).toBeUndefined();
  });
});

/** frame → capture time (epoch seconds, as the report writes it). */
async function frameTimes(file: string): Promise<Map<number, number>> {
  const m = new Map<number, number>();
  await readCapture(file, (f) => {
    m.set(f.frameNo, f.tsSec + f.tsNsec / 1e9);
  });
  return m;
}

describe('app layer: times', () => {
  test('bytes held out of order keep their own frame time', async () => {
    const cap = new SynthCapture({ seed: 5 });
    const c = cap.connection();
    handshake(c);
    transfer(c, CLIENT, 0, { data: bytesOf('GET /r HTTP/1.1\r\n\r\n') });
    // The response's next-to-last segment arrives 30 ms late: the last one is held until it
    // comes, then delivered under its own (earlier) frame, whose time the message's end must carry.
    const body = 'b'.repeat(20_000);
    transfer(c, SERVER, 0, { data: bytesOf(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`), reorder: [{ offset: 10 * 1460, delayNs: 30e6 }] });
    fin(c, CLIENT, { peerFin: true });
    const { bytes } = await cap.write('pcap');
    const file = writeTmp('reorder.pcap', bytes!);
    const times = await frameTimes(file);
    const r = await analyzeCapture(file);
    const http = (r.flows[0]!['app'] as { http: Record<string, unknown> }).http;
    expect(http['timesApproximated']).toBeUndefined();
    const resp = (http['messages'] as { kind: string; lastFrame: number; bodyLength: number }[])[1]!;
    expect(resp.bodyLength).toBe(20_000);
    // Held, then released by a later frame: the response did not end on the flow's last data frame.
    const released = r.flows[0]!.anomalies.find((a) => a.dir === 's2c' && a.frame > resp.lastFrame);
    expect(released, JSON.stringify(r.flows[0]!.anomalies)).toBeDefined();
    for (const m of http['messages'] as { firstFrame: number; firstTs: number; lastFrame: number; lastTs: number }[]) {
      expect(m.firstTs).toBe(times.get(m.firstFrame));
      expect(m.lastTs).toBe(times.get(m.lastFrame));
    }
  });

  test.each(['http-chunked.server.pcap'])('every message time is its frame\'s time: %s', async (name) => {
    const file = fixturePath(name);
    const times = await frameTimes(file);
    const r = await analyzeCapture(file);
    let n = 0;
    for (const f of r.flows) {
      const http = (f['app'] as { http?: { messages: { firstFrame: number; firstTs: number; lastFrame: number; lastTs: number }[] } } | undefined)?.http;
      for (const m of http?.messages ?? []) {
        expect(m.firstTs).toBe(times.get(m.firstFrame));
        expect(m.lastTs).toBe(times.get(m.lastFrame));
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});

describe('app layer: the registry', () => {
  test('TLS is registered next to HTTP: the TLS fixture\'s flows get app.tls, its alert a tls_alert finding', async () => {
    const r = await analyzeCapture(fixturePath('tls.client.pcap'));
    expect(r.flows.map((f) => Object.keys((f['app'] as Record<string, unknown> | undefined) ?? {}))).toEqual([['tls'], ['tls'], ['tls']]);
    expect(r.flows.map((f) => typeof (f['app'] as { tls: { label?: unknown } }).tls.label)).toEqual(['string', 'string', 'string']);
    expect(r.flows.reduce((n, f) => n + (f.anomalyCounts['tls_alert'] ?? 0), 0)).toBe(1);
  });
});

describe('app layer: the real chunked fixture', () => {
  test('bodies: SHA-256 of the transfer-decoded bodies equal the truth file', async () => {
    const truth = JSON.parse(readFileSync(fixturePath('http-chunked.server.truth.json'), 'utf8')) as {
      connections: { clientApp: { http: { path: string; bodyBytes: number; bodySha256: string; chunks?: number[] }[] } }[];
    };
    const want = truth.connections[0]!.clientApp.http;
    const r = await analyzeCapture(fixturePath('http-chunked.server.pcap'));
    const msgs = (r.flows[0]!['app'] as { http: { messages: Record<string, unknown>[] } }).http.messages;
    const req = msgs.filter((m) => m['kind'] === 'request');
    const resp = msgs.filter((m) => m['kind'] === 'response');
    expect(req.map((m) => m['uri'])).toEqual(want.map((w) => w.path));
    expect(resp.map((m) => [m['bodyLength'], m['bodySha256']])).toEqual(want.map((w) => [w.bodyBytes, w.bodySha256]));
    expect(resp[0]).toMatchObject({ framing: 'chunked', chunks: want[0]!.chunks!.length, complete: true });
  });

  test('the follow sink and the app layer both get the streams', async () => {
    const collector = new StreamCollector();
    const r = await analyzeCapture(fixturePath('http-chunked.server.pcap'), { streamSink: () => collector });
    expect(collector.delivered).toEqual([r.flows[0]!.payloadBytes.c2s, r.flows[0]!.payloadBytes.s2c]);
    expect(r.flows[0]!['app']).toBeDefined();
  });
});
