/**
 * TlsParser against tshark on the public captures in ../shared/captures (skipped when that
 * directory is absent): for every connection where tshark dissects a ClientHello or ServerHello,
 * the parser's SNI, ALPN offered and selected, chosen cipher suite, negotiated version,
 * HelloRetryRequest and TLS 1.2 certificate sizes are tshark's, and a TLS 1.2 session counts as
 * resumed exactly when tshark shows no Certificate. Flows the parser takes for TLS
 * that tshark shows no handshake for must be midstream ones (no hello, only records). The one
 * TLS handshake tshark shows that the parser does not see is listed below with its reason.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, hasTool } from '../helpers/fixture-captures.js';
import { tsharkTls, type TsharkTls } from '../helpers/tshark-tls.js';
import { tlsFlowsOf } from './tls-adapter.js';

const CAPTURES = join(REPO, '..', 'shared', 'captures');
const HAVE = existsSync(CAPTURES) && hasTool('tshark');

/** Every capture in which `tshark -Y tls` finds records (checked over the whole corpus when this list was made). */
const TLS_CAPTURES = [
  'pcapplusplus__example.pcap', 'pcapplusplus__example2.pcap', 'pcapplusplus__raw_ip.pcap', 'pcapplusplus__sll2.pcap',
  'pcapplusplus__many_interfaces-1.pcapng', 'pcapplusplus__pcapng-example.pcapng', 'suricata-verify__tcp-opt.pcap',
  'suricata-verify__tlpw-tcp-tfo-data-on-syn-nack.pcap', 'suricata-verify__tls_DER-incomplete-header.pcap', 'zeek__hrr.pcap',
  'zeek__openjdk-25.0.2-zeek.org.pcap', 'zeek__pppoe-over-qinq.pcap', 'zeek__smtp.pcap', 'zeek__tls1.2.pcap',
];

/** Handshakes tshark dissects that the parser is not given, `capture:clientPort` → why. */
const NOT_DETECTED: Record<string, string> = {
  // MySQL: the server greets in plaintext and the client asks for SSL in the MySQL protocol before
  // the ClientHello; the flow does not start with a TLS record, so it is not taken for TLS
  // (like SMTP STARTTLS: app.tls is for flows that start with TLS).
  'pcapplusplus__pcapng-example.pcapng:40304': 'TLS inside MySQL after its plaintext greeting',
};

const VERSION: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
const hasHello = (t: TsharkTls): boolean => t.sni !== null || t.alpnOffered.length > 0 || t.cipherSuite !== null || t.hrr;

describe.skipIf(!HAVE)('TLS facts = tshark on ../shared/captures', () => {
  test.each(TLS_CAPTURES)('%s', async (file) => {
    const path = join(CAPTURES, file);
    const [ours, theirs] = await Promise.all([tlsFlowsOf(path), tsharkTls(path)]);
    const same = (o: { clientPort: number; serverPort: number }, t: TsharkTls): boolean =>
      (o.clientPort === t.clientPort && o.serverPort === t.serverPort) || (o.clientPort === t.serverPort && o.serverPort === t.clientPort);
    let compared = 0;
    for (const t of [...theirs.values()].filter(hasHello)) {
      const why = NOT_DETECTED[`${file}:${t.clientPort}`];
      const o = ours.find((x) => same(x, t));
      if (why !== undefined) {
        expect(o?.adapter.parser ?? null, why).toBeNull();
        continue;
      }
      const label = `${file} tcp.stream ${t.stream} (${t.clientPort} -> ${t.serverPort})`;
      expect(o?.adapter.parser, `${label}: taken for TLS`).toBeTruthy();
      const r = o!.adapter.parser!.result() as Record<string, any>;
      expect({
        sni: r.sni, alpnOffered: r.alpn.offered, alpnSelected: r.alpn.selected, cipherSuite: r.cipherSuiteId,
        version: r.version, hrr: r.hrr,
        certSizes: t.certSizes === null ? null : (r.certificate?.sizes ?? null),
      }, label).toEqual({
        sni: t.sni, alpnOffered: t.alpnOffered, alpnSelected: t.alpnSelected, cipherSuite: t.cipherSuite,
        version: t.version === null ? null : VERSION[t.version], hrr: t.hrr, certSizes: t.certSizes,
      });
      // TLS ≤ 1.2: an abbreviated (resumed) handshake is one without a Certificate
      if (t.version !== null && t.version < 0x0304 && r.resumed !== null) expect(r.resumed, `${label}: resumed`).toBe(t.certSizes === null);
      compared++;
    }
    // flows taken for TLS without a handshake in tshark: midstream, only records counted
    for (const o of ours.filter((x) => x.adapter.parser)) {
      if ([...theirs.values()].some((t) => hasHello(t) && same(o, t))) continue;
      const r = o.adapter.parser!.result() as Record<string, any>;
      expect({ ch: r.clientHello, sh: r.serverHello, findings: r.findings }, `${file} flow ${o.id}: midstream TLS`).toEqual({ ch: null, sh: null, findings: {} });
    }
    if (!Object.keys(NOT_DETECTED).some((k) => k.startsWith(`${file}:`))) {
      expect(compared, 'handshakes compared').toBe([...theirs.values()].filter(hasHello).length);
    }
  });
});
