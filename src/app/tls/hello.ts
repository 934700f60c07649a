/**
 * ClientHello and ServerHello bodies (RFC 8446 §4.1.2–4.1.4, RFC 5246 §7.4.1.2–7.4.1.3) and the
 * SSL 2.0-format ClientHello (RFC 5246 E.2), parsed from one buffered handshake message into
 * plain facts. Facts are filled as parsing goes, so a malformed or cut message still yields what
 * came before the fault; `error` then says what was wrong and where (offset in the message body).
 * Never throws. Lists are capped (`MAX_LIST`) and the cap is reported.
 */
import { ByteReader, isPrintable, printable, ShortRead } from './byte-reader.js';
import { EXT, HRR_RANDOM, isGrease } from './constants.js';

/** Longest list (ALPN ids, versions, groups) kept from one hello; more are counted, not kept. */
export const MAX_LIST = 16;

export interface ClientHelloFacts {
  format: 'tls' | 'sslv2';
  legacyVersion: number;
  sessionId: Uint8Array;
  cipherSuites: number;
  /** GREASE (RFC 8701) in the cipher suites, extensions, versions or groups offered. */
  grease: boolean;
  compressionMethods: number;
  extensions: number;
  sni: string | null;
  /** The host name had bytes outside printable ASCII (kept escaped in `sni`). */
  sniOdd: boolean;
  alpn: string[];
  supportedVersions: number[];
  keyShareGroups: number[];
  psk: boolean;
  earlyData: boolean;
  /** Entries past `MAX_LIST` not kept (all lists together). */
  listCapped: number;
}

export interface ServerHelloFacts {
  legacyVersion: number;
  sessionId: Uint8Array;
  cipherSuite: number;
  compression: number;
  extensions: number;
  selectedVersion: number | null;
  alpn: string | null;
  keyShareGroup: number | null;
  psk: boolean;
  /** ServerHello.random is the HelloRetryRequest value (RFC 8446 §4.1.3). */
  hrr: boolean;
}

export interface Parsed<T> {
  facts: T;
  /** What was wrong, with the offset in the message body; null when the message parsed. */
  error: { what: string; at: number } | null;
}

function catchShort<T>(facts: T, run: () => void): Parsed<T> {
  try {
    run();
    return { facts, error: null };
  } catch (e) {
    if (e instanceof ShortRead) return { facts, error: { what: e.message, at: e.at } };
    if (e instanceof HelloError) return { facts, error: { what: e.message, at: e.at } };
    throw e;
  }
}

class HelloError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function emptyClientHello(format: 'tls' | 'sslv2'): ClientHelloFacts {
  return {
    format, legacyVersion: 0, sessionId: new Uint8Array(0), cipherSuites: 0, grease: false, compressionMethods: 0,
    extensions: 0, sni: null, sniOdd: false, alpn: [], supportedVersions: [], keyShareGroups: [], psk: false,
    earlyData: false, listCapped: 0,
  };
}

/** ClientHello body `buf[0 .. len)` (after the 4-byte handshake header). */
export function parseClientHello(buf: Uint8Array, len: number): Parsed<ClientHelloFacts> {
  const f = emptyClientHello('tls');
  return catchShort(f, () => {
    const r = new ByteReader(buf, 0, len);
    f.legacyVersion = r.u16('legacy_version');
    r.skip(32, 'random');
    const sidLen = r.u8('session_id length');
    if (sidLen > 32) throw new HelloError(`session_id length ${sidLen} > 32`, r.pos - 1);
    f.sessionId = buf.slice(r.pos, r.pos + Math.min(sidLen, r.left));
    r.skip(sidLen, 'session_id');
    const csLen = r.u16('cipher_suites length');
    if (csLen % 2 !== 0) throw new HelloError(`cipher_suites length ${csLen} is odd`, r.pos - 2);
    const cs = r.sub(csLen, 'cipher_suites');
    f.cipherSuites = csLen / 2;
    while (cs.left > 0) if (isGrease(cs.u16('cipher suite'))) f.grease = true;
    f.compressionMethods = r.u8('compression_methods length');
    r.skip(f.compressionMethods, 'compression_methods');
    if (r.left === 0) return; // no extensions (SSL 3.0 / old clients)
    const ext = r.sub(r.u16('extensions length'), 'extensions');
    walkExtensions(ext, (type, body) => {
      f.extensions++;
      if (isGrease(type)) f.grease = true;
      clientExtension(f, type, body);
    });
    if (r.left > 0) throw new HelloError(`${r.left} bytes after the extensions`, r.pos);
  });
}

function walkExtensions(r: ByteReader, each: (type: number, body: ByteReader) => void): void {
  while (r.left > 0) {
    const type = r.u16('extension type');
    const elen = r.u16('extension length');
    if (elen > r.left) throw new HelloError(`extension ${type} length ${elen} exceeds the ${r.left} bytes left`, r.pos - 2);
    each(type, r.sub(elen, `extension ${type}`));
  }
}

function keep<T>(f: { listCapped: number }, list: T[], v: T): void {
  if (list.length < MAX_LIST) list.push(v);
  else f.listCapped++;
}

function clientExtension(f: ClientHelloFacts, type: number, b: ByteReader): void {
  switch (type) {
    case EXT.SERVER_NAME: // RFC 6066 §3: ServerNameList, first host_name(0) kept
      readServerName(f, b);
      break;
    case EXT.ALPN: // RFC 7301 §3.1: ProtocolNameList
      readAlpnList(b, (p) => keep(f, f.alpn, p));
      break;
    case EXT.SUPPORTED_VERSIONS: {
      // RFC 8446 §4.2.1: versions<2..254>, 1-byte length
      const v = b.sub(b.u8('supported_versions length'), 'supported_versions');
      while (v.left > 0) {
        const ver = v.u16('supported version');
        if (isGrease(ver)) f.grease = true;
        else keep(f, f.supportedVersions, ver);
      }
      break;
    }
    case EXT.KEY_SHARE: {
      // RFC 8446 §4.2.8: client_shares<0..2^16-1> of {group, key_exchange<1..2^16-1>}
      const ks = b.sub(b.u16('key_share length'), 'client_shares');
      while (ks.left > 0) {
        const g = ks.u16('key share group');
        ks.skip(ks.u16('key_exchange length'), 'key_exchange');
        if (isGrease(g)) f.grease = true;
        else keep(f, f.keyShareGroups, g);
      }
      break;
    }
    case EXT.PRE_SHARED_KEY:
      f.psk = true;
      break;
    case EXT.EARLY_DATA:
      f.earlyData = true;
      break;
    default: // not read: the report keeps only the facts above
      break;
  }
}

function readServerName(f: ClientHelloFacts, b: ByteReader): void {
  if (b.left === 0) return; // empty in a ServerHello/EncryptedExtensions echo; tolerated
  const list = b.sub(b.u16('server_name_list length'), 'server_name_list');
  while (list.left > 0) {
    const nameType = list.u8('name_type');
    const n = list.u16('host_name length');
    const at = list.pos;
    list.skip(n, 'host_name');
    if (nameType === 0 && f.sni === null) {
      f.sni = printable(list.buf, at, n);
      f.sniOdd = n === 0 || !isPrintable(list.buf, at, n);
    }
  }
}

function readAlpnList(b: ByteReader, each: (name: string) => void): void {
  const list = b.sub(b.u16('protocol_name_list length'), 'protocol_name_list');
  while (list.left > 0) {
    const n = list.u8('protocol name length');
    const at = list.pos;
    list.skip(n, 'protocol name');
    each(printable(list.buf, at, n));
  }
}

/** ServerHello body `buf[0 .. len)`; also a HelloRetryRequest (same message, fixed random). */
export function parseServerHello(buf: Uint8Array, len: number): Parsed<ServerHelloFacts> {
  const f: ServerHelloFacts = {
    legacyVersion: 0, sessionId: new Uint8Array(0), cipherSuite: -1, compression: 0, extensions: 0,
    selectedVersion: null, alpn: null, keyShareGroup: null, psk: false, hrr: false,
  };
  return catchShort(f, () => {
    const r = new ByteReader(buf, 0, len);
    f.legacyVersion = r.u16('legacy_version');
    r.need(32, 'random');
    f.hrr = HRR_RANDOM.every((x, i) => buf[r.pos + i] === x);
    r.skip(32, 'random');
    const sidLen = r.u8('session_id length');
    if (sidLen > 32) throw new HelloError(`session_id length ${sidLen} > 32`, r.pos - 1);
    f.sessionId = buf.slice(r.pos, r.pos + Math.min(sidLen, r.left));
    r.skip(sidLen, 'session_id');
    f.cipherSuite = r.u16('cipher_suite');
    f.compression = r.u8('compression_method');
    if (r.left === 0) return;
    const ext = r.sub(r.u16('extensions length'), 'extensions');
    walkExtensions(ext, (type, body) => {
      f.extensions++;
      serverExtension(f, type, body);
    });
    if (r.left > 0) throw new HelloError(`${r.left} bytes after the extensions`, r.pos);
  });
}

function serverExtension(f: ServerHelloFacts, type: number, b: ByteReader): void {
  switch (type) {
    case EXT.SUPPORTED_VERSIONS: // RFC 8446 §4.2.1: selected_version
      f.selectedVersion = b.u16('selected_version');
      break;
    case EXT.ALPN: {
      // RFC 7301 §3.1: exactly one name in the server's list
      readAlpnList(b, (p) => {
        f.alpn ??= p;
      });
      break;
    }
    case EXT.KEY_SHARE: // RFC 8446 §4.2.8: KeyShareEntry, or only the group in a HelloRetryRequest
      f.keyShareGroup = b.u16('key share group');
      break;
    case EXT.PRE_SHARED_KEY:
      f.psk = true;
      break;
    default:
      break;
  }
}

/**
 * SSL 2.0-format ClientHello record body `buf[0 .. len)` (after the 2-byte record header):
 * msg_type 1, version, cipher_spec_length, session_id_length, challenge_length, then the lists.
 */
export function parseSslv2ClientHello(buf: Uint8Array, len: number): Parsed<ClientHelloFacts> {
  const f = emptyClientHello('sslv2');
  return catchShort(f, () => {
    const r = new ByteReader(buf, 0, len);
    const t = r.u8('msg_type');
    if (t !== 1) throw new HelloError(`SSLv2 msg_type ${t}, not CLIENT-HELLO (1)`, 0);
    f.legacyVersion = r.u16('version');
    const cs = r.u16('cipher_spec_length');
    const sid = r.u16('session_id_length');
    const ch = r.u16('challenge_length');
    if (cs % 3 !== 0) throw new HelloError(`cipher_spec_length ${cs} is not a multiple of 3`, 3);
    f.cipherSuites = cs / 3;
    r.skip(cs, 'cipher_specs');
    f.sessionId = buf.slice(r.pos, r.pos + Math.min(sid, 32, r.left));
    r.skip(sid, 'session_id');
    r.skip(ch, 'challenge');
  });
}
