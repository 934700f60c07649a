/**
 * TLS detection and hostile-input cases, table-driven. Bytes come from the real fixture
 * (fixtures/tls.client.pcap: OpenSSL's TLS 1.3 and 1.2 handshakes and its protocol_version alert),
 * split into records and altered one way per case; only the SSL 2.0-format hellos are built by
 * hand from RFC 5246 E.2 / RFC 6101 (no stack that sends them is installed here).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { DIR, type Direction } from '../../src/core/direction.js';
import { detectTls, sniffTls } from '../../src/app/tls/detect.js';
import { TlsParser, type TlsParserOptions } from '../../src/app/tls/tls-parser.js';
import { hex } from '../helpers/hex.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { streamEventsOf } from './tls-adapter.js';

/** Per fixture connection (0: TLS 1.3, 1: TLS 1.2, 2: refused): each direction's TLS records. */
let conns: { c2s: Uint8Array[]; s2c: Uint8Array[] }[] = [];

function recordsOf(stream: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 5 <= stream.length; ) {
    const n = 5 + ((stream[i + 3]! << 8) | stream[i + 4]!);
    out.push(new Uint8Array(stream.subarray(i, i + n))); // a copy (Buffer#slice would be a view)
    i += n;
  }
  return out;
}

beforeAll(async () => {
  const flows = await streamEventsOf(fixturePath('tls.client.pcap'));
  conns = flows.map((f) => {
    const dir = (d: Direction): Uint8Array[] => {
      const parts = f.events.flatMap((e) => (e.kind === 'data' && e.dir === d ? [e.bytes] : []));
      return recordsOf(Buffer.concat(parts));
    };
    return { c2s: dir(DIR.C2S), s2c: dir(DIR.S2C) };
  });
});

type Piece = [Direction, Uint8Array];
/** Feed pieces in order, each direction's offsets counted; frame = piece index + 1. */
function run(pieces: Piece[], opts: Partial<TlsParserOptions> = {}): { p: TlsParser; r: Record<string, any> } {
  const p = new TlsParser(opts);
  const off = [0, 0];
  pieces.forEach(([d, b], i) => {
    p.onData(d, off[d]!, b, 0, b.length, i + 1, 0);
    off[d]! += b.length;
  });
  p.onEnd(DIR.C2S, 'fin', pieces.length, 0);
  p.onEnd(DIR.S2C, 'fin', pieces.length, 0);
  return { p, r: p.result() as Record<string, any> };
}
/** The whole connection, client's first record, then the server's records, then the client's rest. */
function handshake(k: number, edit: (c: Uint8Array[], s: Uint8Array[]) => void = () => {}): Piece[] {
  const c = conns[k]!.c2s.map((x) => new Uint8Array(x));
  const s = conns[k]!.s2c.map((x) => new Uint8Array(x));
  edit(c, s);
  return [[DIR.C2S, c[0]!], ...s.map((x): Piece => [DIR.S2C, x]), ...c.slice(1).map((x): Piece => [DIR.C2S, x])];
}
const codes = (p: TlsParser): string[] => p.findings().map((f) => f.code);
const cat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** Offsets inside a ClientHello record: each extension's type offset, walking the real layout. */
function extensionOffsets(rec: Uint8Array): { type: number; at: number }[] {
  let i = 5 + 4 + 2 + 32;
  i += 1 + rec[i]!; // session id
  i += 2 + ((rec[i]! << 8) | rec[i + 1]!); // cipher suites
  i += 1 + rec[i]!; // compression
  const end = i + 2 + ((rec[i]! << 8) | rec[i + 1]!);
  const out: { type: number; at: number }[] = [];
  for (i += 2; i < end; i += 4 + ((rec[i + 2]! << 8) | rec[i + 3]!)) out.push({ type: (rec[i]! << 8) | rec[i + 1]!, at: i });
  return out;
}

// SSL 2.0-format ClientHello (RFC 5246 E.2): header 0x8000|len, CLIENT-HELLO(1), version 3.1,
// cipher_spec_length 6, session_id_length 0, challenge_length 16, two cipher specs, challenge.
const SSLV2_HELLO = hex`80 1f  01  03 01  00 06  00 00  00 10
  00 00 2f  00 00 35
  00112233445566778899aabbccddeeff`;
// SSL 2.0 SERVER-HELLO(4): only its first bytes matter to the parser
const SSLV2_SERVER_HELLO = hex`80 0b  04 00 01 00 02 00 00 00 00 00 00`;

describe('sniffTls / detectTls', () => {
  const cases: [string, () => Uint8Array, string][] = [
    ['real ClientHello record', () => conns[0]!.c2s[0]!, 'tls'],
    ['real TLS 1.2 ServerHello record', () => conns[1]!.s2c[0]!, 'tls'],
    ['real plaintext alert record', () => conns[2]!.s2c[0]!, 'tls'],
    ['application data, zero length (allowed)', () => hex`17 03 03 00 00`, 'tls'],
    ['handshake of zero length', () => hex`16 03 01 00 00`, 'no'],
    ['content type 25', () => hex`19 03 03 00 10`, 'no'],
    ['version major 2', () => hex`16 02 00 00 10`, 'no'],
    ['version 3.5', () => hex`16 03 05 00 10`, 'no'],
    ['length over 2^14+2048', () => hex`17 03 03 48 01`, 'no'],
    ['HTTP request', () => new TextEncoder().encode('GET / HTTP/1.1\r\n'), 'no'],
    ['SSH banner', () => new TextEncoder().encode('SSH-2.0-OpenSSH_9.6\r\n'), 'no'],
    ['SMTP greeting', () => new TextEncoder().encode('220 mail ESMTP\r\n'), 'no'],
    ['SSLv2-format ClientHello', () => SSLV2_HELLO, 'sslv2'],
    ['SSLv2-format, lengths do not add up', () => cat(hex`80 20`, SSLV2_HELLO.subarray(2)), 'no'],
    ['SSLv2-format, odd cipher spec length', () => hex`80 1e 01 03 01 00 05 00 00 00 10 00`, 'no'],
    ['high bit set, not a hello', () => hex`80 1f 02 03 01 00 06 00 00 00 10`, 'no'],
  ];
  test.each(cases)('%s', (_n, bytes, want) => {
    const b = bytes();
    expect(sniffTls(b, 0, b.length)).toBe(want);
    expect(detectTls(b, 0, b.length)).toBe(want === 'no' ? 'no' : 'yes');
  });

  test('short prefixes of TLS and SSLv2 hellos need more bytes, never a wrong answer', () => {
    for (const b of [conns[0]!.c2s[0]!, SSLV2_HELLO]) {
      const full = sniffTls(b, 0, b.length);
      for (let n = 0; n < 11; n++) expect(['need-more', full]).toContain(sniffTls(b, 0, n));
      expect(sniffTls(b, 0, 4)).toBe('need-more');
    }
    // a non-TLS first byte is answered at once
    expect(sniffTls(hex`47`, 0, 1)).toBe('no');
    // offset is honoured
    const shifted = cat(hex`00 00 00`, conns[0]!.c2s[0]!);
    expect(sniffTls(shifted, 3, shifted.length - 3)).toBe('tls');
  });
});

describe('hostile and unusual input (real handshakes altered one way each)', () => {
  test('a non-TLS header after the ClientHello stops the direction; the ClientHello facts stay', () => {
    const { p, r } = run(handshake(0, (c) => c.splice(1, 0, new TextEncoder().encode('GET / HTTP/1.1\r\n'))));
    expect(r.sni).toBe('www.tcpscope.test');
    expect(r.stopped.c2s).toMatchObject({ offset: 517, reason: 'not a TLS record header' });
    expect(p.findings()[0]).toMatchObject({ code: 'tls_malformed', dir: DIR.C2S, detail: { offset: 517, bytes: '47 45 54 20 2f' } });
    expect(r.version).toBe('TLS 1.3');
  });

  test('an oversize record is a finding, and parsing goes on after it', () => {
    const big = new Uint8Array(5 + 20000);
    big.set(hex`17 03 03 4e 20`);
    const { p, r } = run([...handshake(1), [DIR.S2C, big], [DIR.S2C, conns[1]!.s2c.at(-1)!]]);
    expect(codes(p)).toEqual(['tls_record_oversize']);
    expect(p.findings()[0]!.detail).toMatchObject({ length: 20000, max: 18432 });
    expect(r.records.s2c.applicationData).toBe(conns[1]!.s2c.filter((x) => x[0] === 23).length + 1);
    expect(r.stopped.s2c).toBeNull();
  });

  test('an unknown handshake type loses the handshake boundaries of that direction only', () => {
    const { p, r } = run(handshake(1, (_c, s) => (s[0]![5] = 99)));
    expect(codes(p)).toEqual(['tls_malformed']);
    expect(p.findings()[0]!.detail).toMatchObject({ offset: 5 });
    expect(String(p.findings()[0]!.detail!.what)).toMatch(/^unknown handshake message type 99/);
    expect(r.serverHello).toBeNull();
    expect(r.messages.s2c).toEqual([]);
    expect(r.sni).toBe('legacy.tcpscope.test');
    expect(r.records.s2c.handshake).toBe(conns[1]!.s2c.filter((x) => x[0] === 22).length - 1); // still counted (the last, after CCS, is encrypted)
  });

  test('a ChangeCipherSpec that is not the single byte 1', () => {
    const { p } = run(handshake(1, (c) => (c.find((x) => x[0] === 20)![5] = 2)));
    expect(codes(p)).toEqual(['tls_malformed']);
    expect(String(p.findings()[0]!.detail!.what)).toMatch(/change_cipher_spec record of 1 bytes starting 2/);
  });

  test('an alert level that is neither warning nor fatal', () => {
    const { p, r } = run(handshake(2, (_c, s) => (s[0]![5] = 3)));
    expect(r.alerts).toEqual([{ dir: 's2c', frame: 2, level: 'unknown(3)', description: 'protocol_version' }]);
    expect(codes(p)).toEqual(['tls_malformed']);
  });

  test('an extension length past the ClientHello: malformed at its offset, earlier extensions kept', () => {
    let at = 0;
    const { p, r } = run(handshake(0, (c) => {
      const last = extensionOffsets(c[0]!).at(-1)!;
      at = last.at;
      c[0]![last.at + 2] = 0xff;
      c[0]![last.at + 3] = 0xff;
    }));
    expect(r.sni).toBe('www.tcpscope.test');
    expect(codes(p)).toEqual(['tls_malformed']);
    expect(p.findings()[0]!.detail).toMatchObject({ offset: at + 2 });
    expect(String(p.findings()[0]!.detail!.what)).toMatch(/^ClientHello: extension \d+ length 65535 exceeds the \d+ bytes left$/);
  });

  test('a server name with a control byte is escaped and reported', () => {
    const { p, r, label } = (() => {
      const x = run(handshake(0, (c) => {
        const sni = extensionOffsets(c[0]!).find((e) => e.type === 0)!;
        c[0]![sni.at + 4 + 5] = 0x07; // first byte of the host name
      }));
      return { ...x, label: x.p.label() };
    })();
    expect(r.sni).toBe('\\x07ww.tcpscope.test');
    expect(label).toContain('\\x07ww.tcpscope.test');
    expect(codes(p)).toEqual(['tls_malformed']);
  });

  test('a ClientHello larger than the buffer: header facts kept, body skipped, said so', () => {
    const { p, r } = run(handshake(0), { maxHandshakeMessage: 200 }); // the ServerHello (122 bytes) fits
    expect(r.sni).toBeNull();
    expect(r.clientHello).toEqual({ unread: '508 bytes, larger than the handshake buffer: not read' });
    expect(r.version).toBe('TLS 1.3');
    expect(p.findings()[0]).toMatchObject({ code: 'tls_limit', detail: { message: 'client_hello', length: 508, limit: 200 } });
  });

  test('a HelloRetryRequest is recognised by its random', () => {
    const HRR = hex`cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c`;
    const { r, p } = run(handshake(0, (_c, s) => s[0]!.set(HRR, 5 + 4 + 2)));
    expect(r.hrr).toBe(true);
    expect(r.helloRetryRequest).toEqual({ frame: 2, keyShareGroup: 'x25519' });
    expect(r.serverHello).toBeNull();
    expect(r.version).toBe('TLS 1.3');
    expect(r.cipherSuite).toBe('TLS_AES_256_GCM_SHA384');
    expect(p.findings()).toEqual([]);
  });

  test('an SSL 2.0-format ClientHello, answered in TLS 1.2', () => {
    const { r, p } = run([[DIR.C2S, SSLV2_HELLO], ...conns[1]!.s2c.map((x): Piece => [DIR.S2C, x])]);
    expect(r.clientHello).toMatchObject({ format: 'sslv2', legacyVersion: 'TLS 1.0', cipherSuites: 2, sessionIdLength: 0 });
    expect(r.version).toBe('TLS 1.2');
    expect(p.label()).toBe('TLS1.2 http/1.1');
    expect(p.findings()).toEqual([]);
  });

  test('an SSL 2.0 server: version SSL 2.0, the server direction is not parsed further', () => {
    const { r, p } = run([[DIR.C2S, SSLV2_HELLO], [DIR.S2C, SSLV2_SERVER_HELLO], [DIR.S2C, hex`80 05 05 00 00 00 00`]]);
    expect(r.version).toBe('SSL 2.0');
    expect(r.stopped.s2c).toMatchObject({ unparsedBytes: 7 });
    expect(p.label()).toBe('SSLv2-hello');
  });

  test('an empty handshake record is malformed, and the next record still parses', () => {
    const { p, r } = run(handshake(1, (c) => c.splice(1, 0, hex`16 03 03 00 00`)));
    expect(codes(p)).toEqual(['tls_malformed']);
    expect(p.findings()[0]!.detail).toMatchObject({ what: 'empty handshake record' });
    expect(r.messages.c2s).toEqual(['client_hello', 'client_key_exchange']);
  });

  test('a certificate_list length that does not add up', () => {
    const { p, r } = run(handshake(1, (_c, s) => {
      const rec = s.find((x) => x[0] === 22 && x[5] === 11)!; // OpenSSL sends each handshake message in its own record
      rec[5 + 4 + 2]! ^= 0x01; // low byte of the 3-byte certificate_list length
    }));
    expect(codes(p)).toEqual(['tls_malformed']);
    expect(String(p.findings()[0]!.detail!.what)).toMatch(/^Certificate: /);
    expect(r.certificate).toMatchObject({ visible: true, present: true });
  });

  test('a capture starting after the handshake: a long alert record is an encrypted one, not a finding', () => {
    const alert = new Uint8Array(5 + 26);
    alert.set(hex`15 03 03 00 1a`);
    alert.fill(0xa5, 5);
    const { p, r } = run([[DIR.S2C, alert]]);
    expect(p.findings()).toEqual([]);
    expect(r.records.s2c).toMatchObject({ alert: 0, encryptedAlert: 1 });
    expect(r.encryptedFrom.s2c).toEqual({ frame: 1, ts: 0, offset: 0 });
    expect(p.label()).toBe('TLS');
  });

  test('records after a TLS 1.2 ChangeCipherSpec are encrypted: an alert there is counted, not read', () => {
    const { p, r } = run([...handshake(1), [DIR.C2S, hex`15 03 03 00 02 02 28`]]);
    expect(r.alerts).toEqual([]);
    expect(r.records.c2s.encryptedAlert).toBe(conns[1]!.c2s.filter((x, i) => x[0] === 21 && i > 0).length + 1);
    expect(p.findings()).toEqual([]);
  });
});

describe('caps', () => {
  test('findings, alerts and message lists are capped and counted', () => {
    const many: Piece[] = [[DIR.S2C, cat(...Array.from({ length: 100 }, () => hex`15 03 03 00 02 02 28`))]];
    const { p, r } = run(many, { maxFindings: 5, maxListed: 4 });
    expect(p.findings()).toHaveLength(5);
    expect(r.findings).toEqual({ tls_alert: 100 });
    expect(r.findingsNotListed).toBe(95);
    expect(r.alerts).toHaveLength(4);
    expect(r.alertsNotListed).toBe(96);
    const hs = cat(...Array.from({ length: 10 }, () => hex`16 03 03 00 04 0e 00 00 00`)); // ServerHelloDone x10
    const m = run([[DIR.S2C, hs]], { maxListed: 4 }).r;
    expect(m.messages.s2c).toEqual(['server_hello_done', 'server_hello_done', 'server_hello_done', 'server_hello_done', '… 6 more']);
  });
});

describe('framework hooks', () => {
  test('tlsProtocol: detection on first bytes, a fresh parser per flow', async () => {
    const { tlsProtocol } = await import('../../src/app/tls/tls-protocol.js');
    const proto = tlsProtocol({ maxFindings: 3 });
    expect(proto.name).toBe('tls');
    expect(proto.detect(conns[0]!.c2s[0]!.subarray(0, 3), DIR.C2S)).toBe('need-more');
    expect(proto.detect(conns[0]!.c2s[0]!, DIR.C2S)).toBe('yes');
    expect(proto.detect(new TextEncoder().encode('GET / HTTP/1.1'), DIR.C2S)).toBe('no');
    expect(proto.create(1)).not.toBe(proto.create(2));
  });

  test('onSkip at a record boundary stops the direction without a finding; findingCounts counts all', () => {
    const p = new TlsParser({ maxFindings: 1 });
    p.onSkip(DIR.S2C, 0, 40, 1, 0);
    const alerts = cat(...Array.from({ length: 3 }, () => hex`15 03 03 00 02 02 28`));
    p.onData(DIR.S2C, 40, alerts, 0, alerts.length, 2, 0);
    p.onData(DIR.C2S, 0, alerts, 0, alerts.length, 2, 0);
    const r = p.result() as Record<string, any>;
    expect(r.stopped.s2c).toEqual({ offset: 0, reason: '40 bytes at offset 0 were not given to the TLS parser: record boundaries unknown', unparsedBytes: 40 + alerts.length });
    expect(p.findings()).toHaveLength(1);
    expect(p.findingCounts()).toEqual({ tls_alert: 3 });
  });
});
