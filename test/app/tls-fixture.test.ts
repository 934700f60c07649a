/**
 * TlsParser on the real TLS fixture (fixtures/tls.client.pcap, OpenSSL on both ends): its facts
 * equal what OpenSSL reported (the truth file) and what tshark dissects; every chunk split and
 * byte-by-byte feeding of the real streams gives the same result; cutting a stream anywhere or
 * losing bytes to a gap never throws and loses exactly what the gap covered.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { DIR, type Direction } from '../../src/core/direction.js';
import { fixturePath, hasTool } from '../helpers/fixture-captures.js';
import { tsharkTls } from '../helpers/tshark-tls.js';
import { replay, streamEventsOf, type StreamEvent } from './tls-adapter.js';

interface TlsView {
  sniSent?: string; alpnOffered?: string[]; version: string | null; cipherCode: string | null; alpn: string | null;
  error: string | null; peerCertificateBytes: number | null; certificateDerBytes?: number;
}
interface Conn { client: { port: number }; server: { port: number }; clientApp: { tls: TlsView }; serverApp: { tls: TlsView } }
const truth = JSON.parse(readFileSync(fixturePath('tls.client.truth.json'), 'utf8')) as { connections: Conn[] };
const VERSION: Record<string, string> = { 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

type Flow = Awaited<ReturnType<typeof streamEventsOf>>[number];
let flows: Flow[] = [];
beforeAll(async () => {
  flows = await streamEventsOf(fixturePath('tls.client.pcap'));
});
const flowOf = (c: Conn): Flow => flows.find((f) => f.clientPort === c.client.port && f.serverPort === c.server.port)!;
const resultOf = (events: readonly StreamEvent[]): Record<string, unknown> => replay(events).result();

describe('facts equal what OpenSSL reported (truth)', () => {
  test.each(truth.connections.map((c) => [c.clientApp.tls.sniSent!, c] as const))('%s', (_sni, c) => {
    const p = replay(flowOf(c).events);
    const r = p.result() as Record<string, any>;
    const cli = c.clientApp.tls;
    expect(r.sni).toBe(cli.sniSent);
    expect(r.alpn.offered).toEqual(cli.alpnOffered);
    expect(r.findings).toEqual(cli.error === null ? {} : { tls_alert: 1 });
    if (cli.error === null) {
      expect(r.version).toBe(VERSION[cli.version!]);
      expect(r.cipherSuiteId).toBe(Number(cli.cipherCode));
      expect(r.cipherSuite).toMatch(/^TLS_/);
      expect(r.resumed).toBe(false);
      expect(r.stopped).toEqual({ c2s: null, s2c: null });
      expect(r.cut).toEqual({ c2s: null, s2c: null });
      expect(r.encryptedFrom.c2s).not.toBeNull();
      expect(r.encryptedFrom.s2c).not.toBeNull();
      if (cli.version === 'TLSv1.3') {
        // EncryptedExtensions and Certificate are encrypted in TLS 1.3
        expect(r.alpn.selected).toBeNull();
        expect(r.certificate).toEqual({ visible: false, present: null });
        expect(p.label()).toBe(`TLS1.3 ${cli.sniSent} [${cli.alpnOffered!.join(',')}]`);
      } else {
        expect(r.alpn.selected).toBe(cli.alpn);
        expect(r.certificate).toMatchObject({ visible: true, present: true, count: 1, sizes: [c.serverApp.tls.certificateDerBytes] });
        expect(r.records.c2s.encryptedHandshake).toBe(1); // Finished after ChangeCipherSpec
        expect(r.records.s2c.encryptedHandshake).toBe(1);
        expect(p.label()).toBe(`TLS1.2 ${cli.sniSent} ${cli.alpn}`);
      }
    } else {
      // TLS 1.3-only server, TLS 1.2-only client: fatal protocol_version (70) in plaintext
      expect(r.version).toBeNull();
      expect(r.alerts).toEqual([{ dir: 's2c', frame: expect.any(Number), level: 'fatal', description: 'protocol_version' }]);
      expect(p.findings()[0]).toMatchObject({ code: 'tls_alert', dir: DIR.S2C, detail: { level: 'fatal', description: 'protocol_version', code: 70 } });
      expect(r.encryptedFrom).toEqual({ c2s: null, s2c: null });
      expect(p.label()).toBe(`TLS ${cli.sniSent} [${cli.alpnOffered!.join(',')}] alert:protocol_version`);
    }
  });
});

describe.skipIf(!hasTool('tshark'))('facts equal tshark', () => {
  test('SNI, ALPN, version, cipher suite, alerts per connection', async () => {
    const ts = [...(await tsharkTls(fixturePath('tls.client.pcap'), ['tcp.port==4431-4433,tls'])).values()];
    expect(ts).toHaveLength(truth.connections.length);
    for (const t of ts) {
      const f = flows.find((x) => x.clientPort === t.clientPort && x.serverPort === t.serverPort)!;
      const r = resultOf(f.events) as Record<string, any>;
      expect(r.sni).toBe(t.sni);
      expect(r.alpn.offered).toEqual(t.alpnOffered);
      expect(r.alpn.selected).toBe(t.alpnSelected);
      expect(r.cipherSuiteId).toBe(t.cipherSuite);
      expect(r.hrr).toBe(t.hrr);
      expect(r.version).toBe(t.version === null ? null : VERSION[t.version === 0x0304 ? 'TLSv1.3' : 'TLSv1.2']);
      expect(r.alerts.map((a: any) => a.level)).toEqual(t.alerts.map((a) => (a.level === 2 ? 'fatal' : 'warning')));
    }
  });
});

/** Events with the data event holding stream byte `k` of direction `dir` split in two calls at `k`. */
function splitAt(events: readonly StreamEvent[], dir: Direction, k: number): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const e of events) {
    if (e.kind === 'data' && e.dir === dir && e.offset < k && k < e.offset + e.bytes.length) {
      const cut = k - e.offset;
      out.push({ ...e, bytes: e.bytes.subarray(0, cut) }, { ...e, offset: k, bytes: e.bytes.subarray(cut) });
    } else out.push(e);
  }
  return out;
}

function streamLength(events: readonly StreamEvent[], dir: Direction): number {
  return events.reduce((n, e) => (e.kind === 'data' && e.dir === dir ? Math.max(n, e.offset + e.bytes.length) : n), 0);
}

describe('chunking does not change the result', () => {
  test('every two-chunk split of every event, both directions, all connections', () => {
    for (const f of flows) {
      const want = JSON.stringify(resultOf(f.events));
      for (const dir of [DIR.C2S, DIR.S2C] as const) {
        const n = streamLength(f.events, dir);
        for (let k = 1; k < n; k++) {
          const got = JSON.stringify(resultOf(splitAt(f.events, dir, k)));
          if (got !== want) expect({ flow: f.id, dir, k, got: JSON.parse(got) }).toEqual({ flow: f.id, dir, k, got: JSON.parse(want) });
        }
      }
    }
  });

  test('byte by byte', () => {
    for (const f of flows) {
      const bytewise = f.events.flatMap((e): StreamEvent[] =>
        e.kind !== 'data' ? [e] : Array.from(e.bytes, (_b, i) => ({ ...e, offset: e.offset + i, bytes: e.bytes.subarray(i, i + 1) })),
      );
      expect(resultOf(bytewise)).toEqual(resultOf(f.events));
    }
  });
});

/** The events of one direction cut at stream length `k` (then ended by 'close'). */
function cutAt(events: readonly StreamEvent[], dir: Direction, k: number): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const e of events) {
    if (e.dir !== dir) out.push(e);
    else if (e.kind === 'data' && e.offset < k) out.push({ ...e, bytes: e.bytes.subarray(0, Math.min(e.bytes.length, k - e.offset)) });
  }
  out.push({ kind: 'end', dir, reason: 'close', frame: 0 });
  return out;
}

describe('a stream cut anywhere', () => {
  test('the TLS 1.3 ClientHello: SNI known exactly when the whole ClientHello record is there; cut inside a record is said', () => {
    const c = truth.connections[0]!;
    const f = flowOf(c);
    const full = resultOf(f.events) as Record<string, any>;
    const first = (f.events.find((e) => e.kind === 'data' && e.dir === DIR.C2S) as Extract<StreamEvent, { kind: 'data' }>).bytes;
    const recEnd = 5 + ((first[3]! << 8) | first[4]!);
    expect(recEnd).toBe(517); // 5-byte header + a 512-byte record (OpenSSL pads its ClientHello to 512 bytes)
    const n = streamLength(f.events, DIR.C2S);
    for (let k = 0; k <= n; k++) {
      const r = resultOf(cutAt(f.events, DIR.C2S, k)) as Record<string, any>;
      expect(r.sni, `cut at ${k}`).toBe(k >= recEnd ? c.clientApp.tls.sniSent : null);
      expect(r.version).toBe(full.version); // from the server's untouched stream
      if (k === 0 || k === recEnd || k === n) expect(r.cut.c2s).toBeNull();
      else if (k < recEnd) expect(r.cut.c2s).toMatchObject({ offset: 0 });
    }
  });
});

describe('gaps', () => {
  /** Replace stream bytes [from, to) of `dir` by a gap. */
  function withGap(events: readonly StreamEvent[], dir: Direction, from: number, to: number): StreamEvent[] {
    const out: StreamEvent[] = [];
    let gapDone = false;
    for (const e of events) {
      if (e.kind !== 'data' || e.dir !== dir || e.offset + e.bytes.length <= from || e.offset >= to) {
        out.push(e);
        continue;
      }
      if (e.offset < from) out.push({ ...e, bytes: e.bytes.subarray(0, from - e.offset) });
      if (!gapDone) out.push({ kind: 'gap', dir, offset: from, len: to - from, frame: e.frame });
      gapDone = true;
      if (e.offset + e.bytes.length > to) out.push({ ...e, offset: to, bytes: e.bytes.subarray(to - e.offset) });
    }
    return out;
  }

  test('inside an application_data record: nothing lost, no finding, records still counted', () => {
    const f = flowOf(truth.connections[1]!); // TLS 1.2
    const full = resultOf(f.events) as Record<string, any>;
    const n = streamLength(f.events, DIR.S2C);
    // the 4000-byte response is one application_data record near the end of the stream
    const r = resultOf(withGap(f.events, DIR.S2C, n - 2000, n - 1000)) as Record<string, any>;
    expect(r.findings).toEqual({});
    expect(r.records).toEqual(full.records);
    expect(r.stopped.s2c).toBeNull();
  });

  test('inside the Certificate message: it is not read, said so, and later messages keep their boundaries', () => {
    const f = flowOf(truth.connections[1]!);
    const full = resultOf(f.events) as Record<string, any>;
    const p = replay(withGap(f.events, DIR.S2C, 200, 300)); // ServerHello ends before 100; the certificate spans 100..570
    const r = p.result() as Record<string, any>;
    expect(r.certificate).toMatchObject({ visible: true, present: true, count: null, unread: '100 bytes missing from the capture' });
    expect(r.messages).toEqual(full.messages);
    expect(r.cipherSuite).toBe(full.cipherSuite);
    expect(p.findings().map((x) => x.code)).toEqual(['tls_gap']);
    expect(p.findings()[0]!.detail).toMatchObject({ offset: 200, bytes: 100 });
  });

  test.each([
    ['inside the Certificate message', 1, DIR.S2C, 200, 300],
    ['over a record boundary', 0, DIR.C2S, 500, 540],
  ] as const)('%s, cut by the snap length: the same result, counted in cutBytes, no tls_gap (the capture\'s doing)', (_name, conn, dir, from, to) => {
    const f = flowOf(truth.connections[conn]!);
    const gap = replay(withGap(f.events, dir, from, to));
    const cut = replay(withGap(f.events, dir, from, to).map((e) => (e.kind === 'gap' ? { ...e, cause: 'snaplen' as const } : e)));
    expect(gap.findings().map((x) => x.code)).toEqual(['tls_gap']);
    expect(cut.findings()).toEqual([]);
    const { cutBytes, findings, ...rest } = cut.result() as Record<string, unknown>;
    expect(cutBytes).toEqual(dir === DIR.C2S ? { c2s: to - from, s2c: 0 } : { c2s: 0, s2c: to - from });
    expect(findings).toEqual({});
    const { findings: gapFindings, ...gapRest } = gap.result() as Record<string, unknown>;
    expect(gapFindings).toEqual({ tls_gap: 1 });
    expect(rest).toEqual(gapRest);
  });

  test('over a record boundary: the direction stops, the bytes after are counted, the other direction is untouched', () => {
    const f = flowOf(truth.connections[0]!); // TLS 1.3; the ClientHello record ends at 517
    const n = streamLength(f.events, DIR.C2S);
    const p = replay(withGap(f.events, DIR.C2S, 500, 540));
    const r = p.result() as Record<string, any>;
    expect(r.sni).toBeNull(); // the ClientHello lost its end
    expect(r.stopped.c2s).toMatchObject({ offset: 500, unparsedBytes: 40 + n - 540 });
    expect(r.version).toBe('TLS 1.3');
    expect(p.findings()).toHaveLength(1);
    expect(p.findings()[0]).toMatchObject({ code: 'tls_gap', dir: DIR.C2S, detail: { offset: 500, bytes: 40, stopped: 'the rest of this direction is not parsed' } });
  });
});
