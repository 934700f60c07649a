/**
 * `tcpscope extract FILE --http DIR`: the real chunked fixture's bodies equal its truth file's
 * SHA-256; content codings (gzip, deflate zlib-wrapped and raw, br, two chained) are undone;
 * an unknown coding, a corrupt stream and a compression bomb past the cap are written as sent
 * and said so; a body cut short is kept as `.partial`; hostile URIs name files inside DIR only.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { runExtract } from '../../src/cli/extract.js';
import { slug } from '../../src/cli/extract-http.js';
import { CLIENT, SERVER, SynthCapture, fin, handshake, transfer } from '../../src/synth/tcp-script.js';
import { fakeIo, runCli } from '../helpers/fake-cli-io.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { writeTmp } from '../synth/tshark.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

interface Index {
  bodies: { file: string; kind: string; uri: string | null; status: number | null; decoded: boolean; note: string | null; bodySha256: string | null; fileBytes: number }[];
}

function index(dir: string): Index {
  return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Index;
}

/** One connection: `GET <uri>`, answered with `head` + `body`; the server closes after `sent` body bytes (default all). */
async function exchangeCapture(items: { uri: string; head: string; body: Uint8Array; sent?: number }[]): Promise<string> {
  const cap = new SynthCapture({ seed: 3 });
  for (const [i, it] of items.entries()) {
    const c = cap.connection({ client: { port: 41000 + i } });
    handshake(c);
    transfer(c, CLIENT, 0, { data: text(`GET ${it.uri} HTTP/1.1\r\nHost: x\r\n\r\n`) });
    const head = text(it.head);
    const body = it.body.subarray(0, it.sent ?? it.body.length);
    const all = new Uint8Array(head.length + body.length);
    all.set(head);
    all.set(body, head.length);
    transfer(c, SERVER, 0, { data: all });
    fin(c, SERVER, { peerFin: true });
  }
  const { bytes } = await cap.write('pcap');
  return writeTmp(`extract-http-${items.length}.pcap`, bytes!);
}

describe('extract --http', () => {
  test('the chunked fixture: bodies as the truth file says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-http-'));
    const r = await runCli(['extract', fixturePath('http-chunked.server.pcap'), '--http', dir]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const truth = JSON.parse(readFileSync(fixturePath('http-chunked.server.truth.json'), 'utf8')) as { connections: { clientApp: { http: { bodySha256: string; bodyBytes: number }[] } }[] };
    const bodies = index(dir).bodies.filter((b) => b.kind === 'response');
    expect(bodies.map((b) => sha(readFileSync(join(dir, b.file))))).toEqual(truth.connections[0]!.clientApp.http.map((h) => h.bodySha256));
    expect(bodies.map((b) => b.file)).toEqual(['0-001-resp-200-chunked.bin', '0-003-resp-200-second.txt']);
    expect(r.stderr.at(-1)).toContain('2 HTTP bodies written');
  });

  test('content codings undone; unknown, corrupt, bomb and cut bodies written as they came, and said so', async () => {
    const plain = text('hello, decoded world\n'.repeat(200));
    const bomb = gzipSync(new Uint8Array(5_000_000));
    const file = await exchangeCapture([
      { uri: '/gz', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/plain\r\n', body: gzipSync(plain) },
      { uri: '/deflate', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n', body: deflateSync(plain) },
      { uri: '/raw-deflate', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n', body: deflateRawSync(plain) },
      { uri: '/br', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n', body: brotliCompressSync(plain) },
      { uri: '/chain', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br\r\n', body: brotliCompressSync(gzipSync(plain)) },
      { uri: '/compress', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n', body: text('LZW?') },
      { uri: '/corrupt', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n', body: text('not gzip at all') },
      { uri: '/bomb', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n', body: bomb },
      { uri: '/cut', head: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n', body: gzipSync(plain), sent: 30 },
    ].map((x) => ({ ...x, head: `${x.head}Content-Length: ${x.body.length}\r\n\r\n` })));
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-http-'));
    const io = fakeIo();
    expect(await runExtract({ file, http: dir, maxDecodedBytes: 1_000_000 }, io)).toBe(0);
    const by = new Map(index(dir).bodies.map((b) => [b.uri, b]));
    for (const uri of ['/gz', '/deflate', '/raw-deflate', '/br', '/chain']) {
      const b = by.get(uri)!;
      expect([uri, b.decoded, b.note]).toEqual([uri, true, null]);
      expect(sha(readFileSync(join(dir, b.file)))).toBe(sha(plain));
    }
    expect(by.get('/gz')!.file).toBe('0-001-resp-200-gz.txt');
    expect(by.get('/compress')).toMatchObject({ decoded: false, note: "content coding 'compress' not supported: written as sent" });
    expect(by.get('/corrupt')!.note).toMatch(/^content decoding \(gzip\) failed: .*; written as sent$/);
    expect(by.get('/corrupt')!.file).toMatch(/\.raw$/);
    expect(by.get('/bomb')!.note).toContain('decoded size cap (1000000 bytes) reached');
    expect(sha(readFileSync(join(dir, by.get('/bomb')!.file)))).toBe(sha(bomb));
    expect(by.get('/cut')).toMatchObject({ decoded: false, note: 'body cut (stream-end); not decoded' });
    expect(by.get('/cut')!.file).toMatch(/\.partial$/);
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  test('hostile URIs name files inside DIR only', async () => {
    const file = await exchangeCapture([
      { uri: '/../../../../tmp/escape', head: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', body: text('ok') },
      { uri: '/..%2f..%2fetc/passwd?x=/../', head: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', body: text('ok') },
      { uri: 'http://evil/<script>/\u0001\u007f', head: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', body: text('ok') },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-http-'));
    expect(await runExtract({ file, http: dir }, fakeIo())).toBe(0);
    const names = readdirSync(dir).sort();
    // (The third request line carries control characters: not HTTP, so its response is unpaired.)
    expect(names).toEqual(['0-001-resp-200-tmp_escape.bin', '1-001-resp-200-2f.._2fetc_passwd.bin', '2-000-resp-200-root.bin', 'index.json']);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  test('slug', () => {
    expect(slug('/')).toBe('root');
    expect(slug('/..')).toBe('root');
    expect(slug('/a/b.c?q=1')).toBe('a_b.c');
    expect(slug('x'.repeat(100))).toHaveLength(60);
  });

  test('extract without --out or --http is a usage error', async () => {
    const r = await runCli(['extract', fixturePath('http-chunked.server.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr.join('\n')).toContain('extract needs --out DIR, --http DIR or both');
  });
});
