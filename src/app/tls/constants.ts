/**
 * TLS wire constants and their report names (RFC 8446 §4, §5, §6 and B.3; RFC 5246 §6.2, §7;
 * IANA "TLS Parameters"). Immutable, module-lifetime; nothing here allocates per call except the
 * hex fallback of an unknown value.
 */

/** Record content types (RFC 8446 §5.1; heartbeat: RFC 6520). */
export const CONTENT = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
  HEARTBEAT: 24,
} as const;

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
export const HS = {
  HELLO_REQUEST: 0,
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  END_OF_EARLY_DATA: 5,
  ENCRYPTED_EXTENSIONS: 8,
  CERTIFICATE: 11,
  SERVER_KEY_EXCHANGE: 12,
  CERTIFICATE_REQUEST: 13,
  SERVER_HELLO_DONE: 14,
  CERTIFICATE_VERIFY: 15,
  CLIENT_KEY_EXCHANGE: 16,
  FINISHED: 20,
  CERTIFICATE_STATUS: 22,
  KEY_UPDATE: 24,
  MESSAGE_HASH: 254,
} as const;

const HS_NAMES: Readonly<Record<number, string>> = {
  0: 'hello_request',
  1: 'client_hello',
  2: 'server_hello',
  3: 'hello_verify_request',
  4: 'new_session_ticket',
  5: 'end_of_early_data',
  8: 'encrypted_extensions',
  11: 'certificate',
  12: 'server_key_exchange',
  13: 'certificate_request',
  14: 'server_hello_done',
  15: 'certificate_verify',
  16: 'client_key_exchange',
  20: 'finished',
  21: 'certificate_url',
  22: 'certificate_status',
  23: 'supplemental_data',
  24: 'key_update',
  25: 'compressed_certificate',
  254: 'message_hash',
};

/** Handshake message type name, or `unknown(N)`. */
export function handshakeName(t: number): string {
  return HS_NAMES[t] ?? `unknown(${t})`;
}

/** Extension types read by the hello parsers (IANA TLS ExtensionType Values). */
export const EXT = {
  SERVER_NAME: 0,
  ALPN: 16,
  PRE_SHARED_KEY: 41,
  EARLY_DATA: 42,
  SUPPORTED_VERSIONS: 43,
  KEY_SHARE: 51,
} as const;

/**
 * Largest record length accepted without a finding: 2^14 + 2048, the TLSCiphertext bound of
 * RFC 5246 §6.2.3 (RFC 8446 §5.2 allows only 2^14 + 256, so this is the lenient one).
 */
export const MAX_RECORD_LENGTH = 16384 + 2048;

/** Version code → name (`TLS 1.2`); drafts of 1.3 as `TLS 1.3 (draft N)`; else hex. */
export function versionName(v: number): string {
  switch (v) {
    case 0x0002:
      return 'SSL 2.0';
    case 0x0300:
      return 'SSL 3.0';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0304:
      return 'TLS 1.3';
    default:
      // RFC 8446 drafts were 0x7f00 | draft number (0x7e.. for Facebook's fizz drafts: not named).
      if ((v & 0xff00) === 0x7f00) return `TLS 1.3 (draft ${v & 0xff})`;
      return hex4(v);
  }
}

/** True for a TLS 1.3 version code (final or a draft). */
export function isTls13(v: number): boolean {
  return v === 0x0304 || (v & 0xff00) === 0x7f00;
}

/**
 * GREASE values (RFC 8701 §2): 0x0a0a, 0x1a1a, ... 0xfafa, used for cipher suites, versions,
 * extensions and groups so that servers tolerate unknown values.
 */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** `0x1301` style hex of a 16-bit code. */
export function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

const GROUP_NAMES: Readonly<Record<number, string>> = {
  21: 'secp224r1',
  22: 'secp256k1',
  23: 'secp256r1',
  24: 'secp384r1',
  25: 'secp521r1',
  29: 'x25519',
  30: 'x448',
  256: 'ffdhe2048',
  257: 'ffdhe3072',
  258: 'ffdhe4096',
  259: 'ffdhe6144',
  260: 'ffdhe8192',
  0x11eb: 'SecP256r1MLKEM768',
  0x11ec: 'X25519MLKEM768',
  0x11ed: 'SecP384r1MLKEM1024',
  0x6399: 'X25519Kyber768Draft00',
};

/** Named group (key share) name, `GREASE` or hex. */
export function groupName(g: number): string {
  return GROUP_NAMES[g] ?? (isGrease(g) ? 'GREASE' : hex4(g));
}

/** HelloRetryRequest's fixed ServerHello.random: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
export const HRR_RANDOM: readonly number[] = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Alert description name (RFC 8446 §6, RFC 5246 §7.2), or `unknown(N)`. */
export function alertName(d: number): string {
  return ALERT_NAMES[d] ?? `unknown(${d})`;
}

/** Alert level name (1 warning, 2 fatal), or `unknown(N)`. */
export function alertLevelName(l: number): string {
  return l === 1 ? 'warning' : l === 2 ? 'fatal' : `unknown(${l})`;
}
