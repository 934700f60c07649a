/**
 * The HTTP/1.x parser on scripted streams (test/app/http-driver.ts): message framing (RFC 9112
 * §6), pairing and pipelining, protocol switches, gaps and resync, hostile input. Every stream
 * of `STREAMS` is also fed cut at every position (and one byte at a time): the result must not
 * change (llhttp's rule: the output does not depend on where the cuts fall).
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { C, S, exchanges, messages, parse, type StreamEvent } from './http-driver.js';

const sha = (s: string): string => createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');

/** Streams whose whole result the split tests compare; each with what it must give. */
const STREAMS: { name: string; events: StreamEvent[]; exchanges: string[] }[] = [
  {
    name: 'pipelined GETs: Content-Length, chunked with extensions and trailers, HEAD, read until close',
    events: [
      { dir: C, data: 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b?q=1 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /c HTTP/1.1\r\n\r\nGET /d HTTP/1.0\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;name=val;x\r\nxyz\r\n10\r\n0123456789abcdef\r\n0\r\nX-Check: 1\r\nX-More: 2\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n' },
      { dir: S, data: 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the close' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['GET /a → 200', 'GET /b?q=1 → 200', 'HEAD /c → 200', 'GET /d → 200'],
  },
  {
    name: 'POST with 100-continue, 204, 304, chunked request body, LF-only head',
    events: [
      { dir: C, data: 'POST /up HTTP/1.1\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 100 Continue\r\n\r\n' },
      { dir: C, data: 'hello world' },
      { dir: S, data: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n' },
      { dir: C, data: 'PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /y HTTP/1.1\nHost: lf\n\n' },
      { dir: S, data: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['POST /up → 204', 'PUT /x → 304', 'GET /y → 200'],
  },
  {
    name: 'WebSocket upgrade: 101, then tunnel bytes both ways',
    events: [
      { dir: C, data: 'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello' },
      { dir: S, data: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi' },
      { dir: C, data: 'GET /not-http HTTP/1.1\r\n\r\n' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['GET /chat → 101'],
  },
  {
    name: 'Upgrade refused: the held bytes are HTTP after all',
    events: [
      { dir: C, data: 'GET /a HTTP/1.1\r\nUpgrade: h2c\r\n\r\nGET /b HTTP/1.1\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['GET /a → 200', 'GET /b → 200'],
  },
  {
    name: 'CONNECT 200, then TLS bytes',
    events: [
      { dir: C, data: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\x05hello' },
      { dir: S, data: 'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03\x00\x02hi' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['CONNECT example.com:443 → 200'],
  },
  {
    name: 'bad chunk size, then the next response is found',
    events: [
      { dir: C, data: 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbody\r\n0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'fin' },
    ],
    exchanges: ['GET /a → 200', 'GET /b → 404'],
  },
  {
    name: 'gaps: inside a body (framing holds), across a message boundary (resync)',
    events: [
      { dir: C, data: 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01' },
      { dir: S, gap: 5 },
      { dir: S, data: '789HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nabc' },
      { dir: S, gap: 40 },
      { dir: S, data: 'tail of something\r\nnot a status HTTP/1.1 200\r\nHTTP/1.1 304 Not Modified\r\n\r\n' },
      { dir: C, end: 'fin' },
      { dir: S, end: 'close' },
    ],
    exchanges: ['GET /a → 200', 'GET /b → 200', 'GET /c → 304'],
  },
];

/** The whole outcome of a parse, for equality. */
function outcome(events: StreamEvent[], cuts?: (i: number, len: number) => readonly number[]): string {
  const r = parse(events, cuts);
  return JSON.stringify({ result: r.result, findings: r.findings, counts: r.counts });
}

describe('HTTP parser: streams', () => {
  test.each(STREAMS)('$name', ({ events, exchanges: want }) => {
    const r = parse(events);
    expect(exchanges(r.result)).toEqual(want);
  });

  test.each(STREAMS)('same result for every cut: $name', ({ events }) => {
    const whole = outcome(events);
    events.forEach((e, i) => {
      if (!('data' in e)) return;
      const n = typeof e.data === 'string' ? e.data.length : e.data.length;
      for (let p = 1; p < n; p++) expect(outcome(events, (j) => (j === i ? [p] : [])), `event ${i} cut at ${p}`).toBe(whole);
    });
    expect(outcome(events, (_i, n) => Array.from({ length: n }, (_, k) => k)), 'one byte at a time').toBe(whole);
  });
});

describe('HTTP parser: framing facts', () => {
  test('bodies: lengths, SHA-256 of the transfer-decoded body, chunks, extensions, trailers', () => {
    const ms = messages(parse(STREAMS[0]!.events).result);
    const resp = ms.filter((m) => m['kind'] === 'response');
    expect(resp.map((m) => [m['framing'], m['bodyLength'], m['bodySha256'], m['complete']])).toEqual([
      ['length', 3, sha('abc'), true],
      ['chunked', 19, sha('xyz0123456789abcdef'), true],
      ['none', 0, null, true],
      ['close', 20, sha('body until the close'), true],
    ]);
    expect(resp[1]).toMatchObject({ chunks: 2, chunkExtensions: 1, trailers: [['X-Check', '1'], ['X-More', '2']], transferEncoding: 'gzip, chunked' });
  });

  test('read until close: complete only at a FIN', () => {
    const events: StreamEvent[] = [
      { dir: C, data: 'GET / HTTP/1.1\r\n\r\n' },
      { dir: S, data: 'HTTP/1.1 200 OK\r\n\r\npartial' },
      { dir: S, end: 'rst' },
    ];
    const m = messages(parse(events).result)[1]!;
    expect(m).toMatchObject({ framing: 'close', bodyLength: 7, complete: false, cut: 'stream-end' });
  });

  test('interim 100 is paired for display but does not take the final response', () => {
    const ms = messages(parse(STREAMS[1]!.events).result);
    expect(ms.filter((m) => m['kind'] === 'response').map((m) => [m['status'], m['request'], m['interim'] ?? false])).toEqual([
      [100, 0, true],
      [204, 0, false],
      [304, 3, false],
      [200, 4, false],
    ]);
  });

  test('upgrade: parsing stops at the 101 and the report says so, with the tunnel bytes', () => {
    const r = parse(STREAMS[2]!.events).result;
    expect(r['tunnel']).toMatchObject({ reason: 'upgrade', protocol: 'websocket', frame: 2, bytes: { c2s: 7 + 26, s2c: 4 } });
    expect(r['requests']).toBe(1);
  });

  test('HTTP/2 prior knowledge: the preface stops parsing', () => {
    const r = parse([{ dir: C, data: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04' }]).result;
    expect(r['tunnel']).toMatchObject({ reason: 'http2-preface', protocol: 'h2c' });
  });

  test('gaps: a body gap keeps the framing (no hash), a boundary gap resyncs and counts what was lost', () => {
    const r = parse(STREAMS[6]!.events);
    const resp = messages(r.result).filter((m) => m['kind'] === 'response');
    expect(resp[0]).toMatchObject({ bodyLength: 5, bodyMissingBytes: 5, bodySha256: null, complete: true });
    expect(resp[1]).toMatchObject({ bodyLength: 3, bodyMissingBytes: 17, complete: true });
    expect(r.result['lostBytes']).toEqual({ c2s: 0, s2c: 45 });
    expect(r.result['skippedBytes']).toEqual({ c2s: 0, s2c: 19 + 27 });
    expect(r.findings).toEqual([{ code: 'http_resync', frame: 5, dir: S, detail: { cause: 'gap', skipped: 46, resumedFrame: 6 } }]);
    expect(r.result['cutBytes']).toBeUndefined();
  });

  test.each(['acked', 'hole', 'close', 'limit', undefined] as const)('a gap of cause %s loses the framing with an http_resync finding', (cause) => {
    const events = STREAMS[6]!.events.map((e) => ('gap' in e && cause !== undefined ? { ...e, cause } : e));
    expect(parse(events).findings.map((f) => f.code)).toEqual(['http_resync']);
  });

  test('bytes the snap length cut: the same parse, counted as cutBytes, but no finding (the capture\'s doing)', () => {
    const gap = parse(STREAMS[6]!.events);
    const cut = parse(STREAMS[6]!.events.map((e) => ('gap' in e ? { ...e, cause: 'snaplen' as const } : e)));
    expect(cut.findings).toEqual([]);
    expect(cut.result['cutBytes']).toEqual(gap.result['lostBytes']);
    const { cutBytes, ...rest } = cut.result;
    void cutBytes;
    expect(rest).toEqual(gap.result);
    expect(rest['resyncs']).toEqual({ c2s: 0, s2c: 1 });
  });
});

/** Findings' reasons of a parse. */
function reasons(events: StreamEvent[]): string[] {
  return parse(events).findings.flatMap((f) => (f.code === 'http_malformed' ? ((f.detail?.['reasons'] as string[]) ?? []) : [f.code]));
}

describe('HTTP parser: malformed and hostile input', () => {
  const req = (head: string): StreamEvent[] => [{ dir: C, data: head }, { dir: C, end: 'fin' }];

  test.each([
    ['bare CR in a header value (injection)', 'GET / HTTP/1.1\r\nX-A: 1\rX-B: 2\r\n\r\n', ['bare-cr']],
    ['bare LF in a CRLF head (injection)', 'GET / HTTP/1.1\r\nX-A: 1\nX-B: 2\r\n\r\n', ['bare-lf']],
    ['space before the colon', 'GET / HTTP/1.1\r\nContent-Length : 0\r\n\r\n', ['space-before-colon']],
    ['obsolete line folding', 'GET / HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n', ['obs-fold']],
    ['a line without a colon', 'GET / HTTP/1.1\r\nnonsense\r\n\r\n', ['header-without-colon']],
    ['NUL in the head', 'GET / HTTP/1.1\r\nX: a\0b\r\n\r\n', ['nul-in-head']],
    ['Transfer-Encoding and Content-Length', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n', ['te-and-cl']],
    ['conflicting Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', ['conflicting-content-length', 'http_resync']],
    ['huge Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n', ['content-length-too-large', 'http_resync']],
    ['request TE not ending in chunked', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', ['bad-transfer-encoding', 'http_resync']],
    ['huge chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n', ['chunk-size-too-large', 'http_resync']],
    ['chunk data without its CRLF', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY', ['missing-chunk-crlf', 'http_resync']],
    ['HTTP/0.9-style request line', 'GET /\r\n\r\n', ['bad-start-line', 'http_resync']],
    ['unsupported version', 'GET / HTTP/3.0\r\n\r\n', ['unsupported-version', 'http_resync']],
  ])('%s', (_name, head, want) => {
    expect(reasons(req(head))).toEqual(want);
  });

  test('a head larger than maxHeadBytes: finding, resync, buffer never past the cap', () => {
    const big = `GET / HTTP/1.1\r\nX: ${'a'.repeat(200_000)}\r\n\r\nGET /next HTTP/1.1\r\n\r\n`;
    const r = parse([{ dir: C, data: big }, { dir: C, end: 'fin' }], (_i, n) => Array.from({ length: Math.ceil(n / 1000) }, (_, k) => k * 1000));
    expect(r.findings.map((f) => f.code)).toEqual(['http_malformed', 'http_resync']);
    expect(r.findings[0]!.detail).toMatchObject({ reasons: ['head-too-large'], limit: 65536 });
    expect(exchanges(r.result)).toEqual(['GET /next → -']);
    const dirs = (r.parser as unknown as { dirs: { sec: { bytes: Uint8Array } }[] }).dirs;
    expect(dirs[0]!.sec.bytes.length).toBeLessThanOrEqual(65536);
  });

  test('a chunk-size line longer than maxChunkLineBytes (endless extension)', () => {
    const r = parse([{ dir: C, data: `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;${'x'.repeat(100_000)}` }, { dir: C, end: 'fin' }]);
    expect(r.findings[0]!.detail).toMatchObject({ reasons: ['chunk-line-too-long'], limit: 4096 });
  });

  test('messages past maxMessages are counted, not listed; findings past maxFindings are counted', () => {
    const many = 'GET / HTTP/1.1\r\n\r\n'.repeat(30) + 'garbage\r\n'.repeat(1);
    const r = parse([{ dir: C, data: many }, { dir: C, data: 'x\r\n\r\n' }, { dir: C, end: 'fin' }], undefined, { limits: { maxMessages: 10, maxFindings: 2 } });
    expect(messages(r.result)).toHaveLength(10);
    expect(r.result['messagesNotListed']).toBe(20);
    expect(r.result['requests']).toBe(30);
    expect(r.findings).toHaveLength(2);
    expect(r.counts['limit_reached']).toBe(1);
  });

  test('a response stream that starts mid-body finds the next status line', () => {
    const r = parse([{ dir: S, data: 'rest of a body\r\nmore\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 500 Oops\r\n\r\n' }, { dir: S, end: 'fin' }]);
    expect(exchanges(r.result)).toEqual(['→ 200', '→ 500']);
  });
});
