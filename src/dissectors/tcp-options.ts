/**
 * Allocation-free TCP option walker (RFC 9293 section 3.1 "Options"). Each option is
 * kind(1) [length(1) data(length - 2)], except EOL (0) and NOP (1) which are one byte.
 * The walk never reads at or past the end of the TCP header: a length < 2, one that runs past
 * the header, or one wrong for its kind sets `TCP_OPT.MALFORMED` and `tcpOptBadOff` and stops
 * (the TCP layer itself stays valid; `pkt.stop` is not called).
 */
import { u8, u16, u32 } from './bytes.js';
import { MAX_SACK_BLOCKS, TCP_OPT } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';

/** Option kinds (IANA "TCP Option Kind Numbers"). */
export const TCP_OPT_KIND = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WSCALE: 3,
  SACK_PERM: 4,
  SACK: 5,
  TIMESTAMP: 8,
  MD5: 19,
  USER_TIMEOUT: 28,
  TCP_AO: 29,
  MPTCP: 30,
  TFO: 34,
  ACCECN0: 172,
  ACCECN1: 174,
  EXPERIMENTAL: 254,
} as const;

/** RFC 6994 experiment id of pre-RFC TCP Fast Open under kind 254. */
export const TFO_EXP_MAGIC = 0xf989;

/**
 * Walk options in `buf[off .. end)` (the bytes between the fixed 20-byte header and the data
 * offset) into `pkt`'s option fields. The caller has reset those fields.
 */
export function walkTcpOptions(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): void {
  let p = off;
  while (p < end) {
    const kind = u8(buf, p);
    if (kind === 0) { // EOL
      pkt.tcpOptFlags |= TCP_OPT.EOL;
      return;
    }
    if (kind === 1) { // NOP
      p++;
      continue;
    }
    const len = p + 1 < end ? u8(buf, p + 1) : 0;
    if (len < 2 || p + len > end || !readOption(pkt, buf, p, kind, len)) {
      pkt.tcpOptFlags |= TCP_OPT.MALFORMED;
      pkt.tcpOptBadOff = p;
      return;
    }
    p += len;
  }
}

/**
 * Interpret one option whose `len` fits the header. Returns false when `len` is wrong for `kind`.
 * Case labels are literals (named in comments) so the switch compiles to a jump table.
 */
function readOption(pkt: DecodedPacket, buf: Uint8Array, p: number, kind: number, len: number): boolean {
  switch (kind) {
    case 2: // MSS // RFC 9293 section 3.7.1: length 4
      if (len !== 4) return false;
      pkt.mss = u16(buf, p + 2);
      pkt.tcpOptFlags |= TCP_OPT.MSS;
      return true;
    case 3: // WSCALE // RFC 7323 section 2.2: length 3
      if (len !== 3) return false;
      pkt.wscale = u8(buf, p + 2);
      pkt.tcpOptFlags |= TCP_OPT.WSCALE;
      return true;
    case 4: // SACK_PERM // RFC 2018 section 2: length 2
      if (len !== 2) return false;
      pkt.tcpOptFlags |= TCP_OPT.SACK_PERM;
      return true;
    case 5: // SACK // RFC 2018 section 3: 8n + 2, n >= 1
      return readSack(pkt, buf, p, len);
    case 8: // TIMESTAMP // RFC 7323 section 3.2: length 10
      if (len !== 10) return false;
      pkt.tsval = u32(buf, p + 2);
      pkt.tsecr = u32(buf, p + 6);
      pkt.tcpOptFlags |= TCP_OPT.TIMESTAMP;
      return true;
    case 19: // MD5 // RFC 2385 section 3.0: length 18
      if (len !== 18) return false;
      pkt.tcpOptFlags |= TCP_OPT.AUTH;
      return true;
    case 29: // TCP_AO // RFC 5925 section 2.2: KeyID, RNextKeyID, MAC
      if (len < 4) return false;
      pkt.tcpOptFlags |= TCP_OPT.AUTH;
      return true;
    case 28: // USER_TIMEOUT // RFC 5482 section 2: length 4
      if (len !== 4) return false;
      pkt.userTimeout = u16(buf, p + 2);
      pkt.tcpOptFlags |= TCP_OPT.USER_TIMEOUT;
      return true;
    case 30: // MPTCP // RFC 8684 section 3: subtype in the high nibble of byte 2
      if (len < 3) return false;
      if (pkt.mptcpSubtype < 0) pkt.mptcpSubtype = u8(buf, p + 2) >> 4;
      pkt.tcpOptFlags |= TCP_OPT.MPTCP;
      return true;
    case 34: // TFO // RFC 7413 section 4.1.1: cookie request (2) or a 4..16-byte even cookie
      return readTfo(pkt, len - 2);
    case 172: // ACCECN0 // draft-ietf-tcpm-accurate-ecn: 2 + 3n bytes, n <= 3
    case 174: // ACCECN1
      if ((len - 2) % 3 !== 0 || len > 11) return false;
      pkt.tcpOptFlags |= TCP_OPT.ACCECN;
      return true;
    case 254: // EXPERIMENTAL // RFC 6994: 16-bit ExID; 0xF989 is experimental TFO
      if (len >= 4 && u16(buf, p + 2) === TFO_EXP_MAGIC) return readTfo(pkt, len - 4);
      pkt.tcpOptUnknown++;
      pkt.tcpOptFlags |= TCP_OPT.UNKNOWN;
      return true;
    default: // kept and counted; the walk continues by its length
      pkt.tcpOptUnknown++;
      pkt.tcpOptFlags |= TCP_OPT.UNKNOWN;
      return true;
  }
}

function readSack(pkt: DecodedPacket, buf: Uint8Array, p: number, len: number): boolean {
  if (len < 10 || (len - 2) % 8 !== 0) return false;
  const n = Math.min((len - 2) >> 3, MAX_SACK_BLOCKS);
  const blocks = pkt.sackBlocks;
  for (let i = 0; i < n; i++) {
    blocks[2 * i] = u32(buf, p + 2 + 8 * i);
    blocks[2 * i + 1] = u32(buf, p + 6 + 8 * i);
  }
  pkt.sackCount = n;
  pkt.tcpOptFlags |= TCP_OPT.SACK;
  return true;
}

function readTfo(pkt: DecodedPacket, cookieLen: number): boolean {
  if (cookieLen !== 0 && (cookieLen < 4 || cookieLen > 16 || (cookieLen & 1) !== 0)) return false;
  pkt.tfoCookieLen = cookieLen;
  pkt.tcpOptFlags |= TCP_OPT.TFO;
  return true;
}
