/**
 * Is this the start of a TLS stream? Looks at the first bytes of a direction only (no ports):
 * a plausible TLS record header (RFC 8446 §5.1, RFC 5246 §6.2.1), or an SSL 2.0-format
 * ClientHello (the backwards-compatible hello of RFC 5246 E.2 / RFC 6101 E.1). Pure; reads
 * `buf[off .. off+len)` only.
 */
import { MAX_RECORD_LENGTH } from './constants.js';

/** What the first bytes are: a TLS record, an SSLv2-format ClientHello, neither, or too few bytes to say. */
export type TlsSniff = 'tls' | 'sslv2' | 'no' | 'need-more';

/** Bytes `sniffTls` needs at most to decide. */
export const TLS_SNIFF_BYTES = 11;

/**
 * A TLS record header: content type 20–24, version major 3 with minor 0–4, length 1 ..
 * 2^14+2048 (0 only for application data). An SSLv2 ClientHello: 2-byte header with the high
 * bit set, message type 1, version 0x0002 or 3.x, cipher-spec length a non-zero multiple of 3,
 * session-id length 0 or 16, challenge length 16–32, and these adding up to the record length.
 */
export function sniffTls(buf: Uint8Array, off: number, len: number): TlsSniff {
  if (len <= 0) return 'need-more';
  const b0 = buf[off]!;
  if (b0 >= 20 && b0 <= 24) return sniffRecord(buf, off, len, b0);
  if (b0 & 0x80) return sniffSslv2(buf, off, len);
  return 'no';
}

/** `'yes'` for a TLS record or an SSLv2-format ClientHello (ask `sniffTls` which). */
export function detectTls(buf: Uint8Array, off: number, len: number): 'yes' | 'no' | 'need-more' {
  const s = sniffTls(buf, off, len);
  return s === 'tls' || s === 'sslv2' ? 'yes' : s;
}

function sniffRecord(buf: Uint8Array, off: number, len: number, type: number): TlsSniff {
  if (len < 2) return 'need-more';
  if (buf[off + 1] !== 3) return 'no';
  if (len < 3) return 'need-more';
  if (buf[off + 2]! > 4) return 'no';
  if (len < 5) return 'need-more';
  const rlen = (buf[off + 3]! << 8) | buf[off + 4]!;
  if (rlen > MAX_RECORD_LENGTH) return 'no';
  if (rlen === 0 && type !== 23) return 'no';
  return 'tls';
}

function sniffSslv2(buf: Uint8Array, off: number, len: number): TlsSniff {
  if (len < 3) return 'need-more';
  if (buf[off + 2] !== 1) return 'no';
  if (len < 5) return 'need-more';
  const ver = (buf[off + 3]! << 8) | buf[off + 4]!;
  if (ver !== 0x0002 && (ver >> 8 !== 3 || (ver & 0xff) > 4)) return 'no';
  if (len < TLS_SNIFF_BYTES) return 'need-more';
  const rlen = ((buf[off]! & 0x7f) << 8) | buf[off + 1]!;
  const cs = (buf[off + 5]! << 8) | buf[off + 6]!;
  const sid = (buf[off + 7]! << 8) | buf[off + 8]!;
  const ch = (buf[off + 9]! << 8) | buf[off + 10]!;
  if (cs === 0 || cs % 3 !== 0) return 'no';
  if (sid !== 0 && sid !== 16) return 'no';
  if (ch < 16 || ch > 32) return 'no';
  return 9 + cs + sid + ch === rlen ? 'sslv2' : 'no';
}
