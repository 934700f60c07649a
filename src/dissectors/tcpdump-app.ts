/**
 * The application hint tcpdump appends after `length N` for TCP without -v: for HTTP ports
 * (80, 8080) `: HTTP` and, when the payload starts with a request or status line, `: <line>`
 * (print-http.c via txtproto_print), ` [|http]` when that line is cut off. Output-only.
 */
import type { DecodedPacket } from './decoded-packet.js';

const HTTP_PORTS = new Set([80, 8080]);
const METHODS = new Set([
  'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'COPY', 'MOVE',
  'LOCK', 'UNLOCK', 'POLL', 'BPROPFIND', 'BPROPATCH', 'BCOPY', 'BDELETE', 'BMOVE', 'MKCOL', 'NOTIFY', 'SUBSCRIBE',
  'UNSUBSCRIBE', 'SEARCH',
]);

/** Suffix for the tcpdump line, '' when tcpdump would print nothing. */
export function tcpAppSuffix(pkt: DecodedPacket): string {
  if (pkt.payloadWireLen <= 0 || !(HTTP_PORTS.has(pkt.sport) || HTTP_PORTS.has(pkt.dport))) return '';
  const b = pkt.buf;
  const start = pkt.payloadOff;
  const end = start + Math.min(pkt.payloadCapLen, pkt.payloadWireLen);
  let sp = start;
  while (sp < end && b[sp] !== 0x20 && b[sp] !== 0x0d && b[sp] !== 0x0a) sp++;
  if (sp >= end || b[sp] !== 0x20) return ': HTTP';
  const tok = String.fromCharCode(...b.subarray(start, sp));
  if (!METHODS.has(tok) && !tok.startsWith('HTTP/')) return ': HTTP';
  let e = start;
  while (e < end && !(b[e] === 0x0d && b[e + 1] === 0x0a) && b[e] !== 0x0a) e++;
  let line = '';
  for (let i = start; i < e; i++) {
    const c = b[i]!;
    line += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return e >= end ? `: HTTP: ${line} [|http]` : `: HTTP: ${line}`;
}
