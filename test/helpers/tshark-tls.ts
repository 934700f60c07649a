/**
 * tshark's view of the TLS handshakes in a capture, per TCP connection (for comparing with
 * `TlsParser`): SNI and ALPN offered from the first ClientHello, HelloRetryRequest, the chosen
 * cipher suite / version / ALPN from the first real ServerHello, and the plaintext alerts.
 * Out-of-order segments are reassembled (tshark's default leaves a ServerHello behind a hole
 * undissected). Needs tshark on PATH (callers skip otherwise).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** SHA-256("HelloRetryRequest"), the HRR's ServerHello.random (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export interface TsharkTls {
  stream: number;
  clientPort: number;
  serverPort: number;
  sni: string | null;
  alpnOffered: string[];
  hrr: boolean;
  /** Chosen cipher suite code of the first real ServerHello (null: none seen). */
  cipherSuite: number | null;
  /** ServerHello supported_versions, else its legacy version. */
  version: number | null;
  alpnSelected: string | null;
  /** DER sizes in the first Certificate message (TLS ≤ 1.2), or null when none was seen. */
  certSizes: number[] | null;
  /** Plaintext alerts: sender port, level, description code. */
  alerts: { fromPort: number; level: number; description: number }[];
}

const FIELDS = [
  'tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tls.handshake.type', 'tls.handshake.extensions_server_name',
  'tls.handshake.extensions_alpn_str', 'tls.handshake.ciphersuite', 'tls.handshake.extensions.supported_version',
  'tls.handshake.version', 'tls.handshake.random', 'tls.alert_message.level', 'tls.alert_message.desc',
  'tls.handshake.certificate_length',
] as const;

/** Per tcp.stream; `decodeAs` like `tcp.port==4431-4433,tls` for non-standard ports. */
export async function tsharkTls(file: string, decodeAs: string[] = []): Promise<Map<number, TsharkTls>> {
  const args = ['-n', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', file, '-Y', 'tls', '-T', 'fields',
    '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const d of decodeAs) args.push('-d', d);
  for (const f of FIELDS) args.push('-e', f);
  // tshark exits 2 on a file it cannot finish (a corrupt record); what it printed is still used.
  let stdout: string;
  try {
    stdout = (await run('tshark', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  const out = new Map<number, TsharkTls>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const col = (f: (typeof FIELDS)[number]): string[] => {
      const v = c[FIELDS.indexOf(f)] ?? '';
      return v === '' ? [] : v.split(',');
    };
    const stream = Number(c[0]);
    const sport = Number(c[1]);
    const dport = Number(c[2]);
    const types = col('tls.handshake.type');
    let s = out.get(stream);
    if (!s) {
      s = { stream, clientPort: sport, serverPort: dport, sni: null, alpnOffered: [], hrr: false, cipherSuite: null, version: null, alpnSelected: null, certSizes: null, alerts: [] };
      out.set(stream, s);
    }
    if (types[0] === '1' && s.sni === null && s.alpnOffered.length === 0) {
      s.clientPort = sport;
      s.serverPort = dport;
      s.sni = col('tls.handshake.extensions_server_name')[0] ?? null;
      s.alpnOffered = col('tls.handshake.extensions_alpn_str');
    } else if (types[0] === '2' && s.cipherSuite === null) {
      if (col('tls.handshake.random')[0] === HRR_RANDOM) s.hrr = true;
      else {
        s.cipherSuite = Number(col('tls.handshake.ciphersuite')[0]);
        const sv = col('tls.handshake.extensions.supported_version')[0];
        s.version = Number(sv ?? col('tls.handshake.version')[0]);
        s.alpnSelected = col('tls.handshake.extensions_alpn_str')[0] ?? null;
      }
    }
    if (types.includes('11') && s.certSizes === null) s.certSizes = col('tls.handshake.certificate_length').map(Number);
    const levels = col('tls.alert_message.level');
    const descs = col('tls.alert_message.desc');
    for (let i = 0; i < levels.length; i++) s.alerts.push({ fromPort: sport, level: Number(levels[i]), description: Number(descs[i]) });
  }
  return out;
}
