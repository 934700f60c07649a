/**
 * Human-readable output of a decoded packet: a tcpdump 4.99 `-n -S` style one-line summary
 * (TCP matches tcpdump's text; UDP/ICMP are a short form) and, re-exported from
 * packet-record.ts, the NDJSON record. Output-only: allocates strings, never on the hot path.
 */
import { formatTimeOfDay, formatTsNs, formatTsUs } from '../core/time.js';
import { u8, u16 } from './bytes.js';
import { IPPROTO } from './ethertype.js';
import { LAYER, TCP_FLAG } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { formatIp } from './address.js';
import { formatTcpOptions, formatTruncatedTcpOptions } from './tcpdump-options.js';
import { describeIcmp } from './icmp-text.js';
import { tcpAppSuffix } from './tcpdump-app.js';
import { tcpFlagsText } from './packet-record.js';

export { formatIp, formatIpv4, formatIpv6 } from './address.js';
export { toPacketRecord, tcpFlagsText } from './packet-record.js';
export type { PacketRecord, FrameMeta } from './packet-record.js';

/** How the line starts: wall-clock time of day in UTC (tcpdump's default under TZ=UTC), epoch seconds (`-tt`), or nothing (`-t`). */
export interface FormatOptions {
  readonly time?: 'utc' | 'epoch' | 'none';
  /** Print nanoseconds (tcpdump `--nano`) instead of microseconds. */
  readonly nano?: boolean;
  /** Interface name for SLL2 frames (tcpdump prints `?` when it cannot name the ifindex). */
  readonly ifName?: string;
  /** Frame length on the wire; with it an IP datagram longer than the frame reads `truncated-ip - N bytes missing!` as in tcpdump. */
  readonly origLen?: number;
}

/** Timestamp text per `opts` (seconds since the epoch plus nanoseconds). */
export function formatTime(tsSec: number, tsNsec: number, opts: FormatOptions = {}): string {
  const mode = opts.time ?? 'utc';
  if (mode === 'none') return '';
  if (mode === 'epoch') return opts.nano === true ? formatTsNs(tsSec, tsNsec) : formatTsUs(tsSec, tsNsec);
  return formatTimeOfDay(tsSec, tsNsec, opts.nano === true);
}

/** One tcpdump-style line (no trailing newline) for the packet decoded into `pkt`. */
export function formatTcpdumpLine(pkt: DecodedPacket, tsSec: number, tsNsec: number, opts: FormatOptions = {}): string {
  const t = formatTime(tsSec, tsNsec, opts);
  return (t === '' ? '' : `${t} `) + linkPrefix(pkt, opts) + networkText(pkt, opts.origLen ?? -1);
}

const SLL_DIR = ['In', 'B', 'M', 'P', 'Out'];

function linkPrefix(pkt: DecodedPacket, opts: FormatOptions): string {
  let s = '';
  if (pkt.linkType === 276 && pkt.pktType >= 0) {
    s += `${(opts.ifName ?? '?').padEnd(5)} ${(SLL_DIR[pkt.pktType] ?? '?').padEnd(3)} `;
  }
  if ((pkt.layers & LAYER.PPPOE) !== 0) s += `PPPoE  [ses 0x${pkt.pppoeSession.toString(16)}] `;
  return s;
}

function networkText(pkt: DecodedPacket, origLen: number): string {
  const l = pkt.layers;
  if ((l & (LAYER.IPV4 | LAYER.IPV6)) === 0) {
    if (pkt.etherType === 0x0800) return 'IP [|ip]';
    if (pkt.etherType === 0x86dd) return 'IP6 [|ip6]';
    return pkt.etherType >= 0 ? `ethertype 0x${pkt.etherType.toString(16).padStart(4, '0')}` : 'unknown link';
  }
  const v6 = pkt.ipVersion === 6;
  const b = pkt.buf;
  const src = formatIp(b, pkt.srcOff, pkt.ipVersion);
  const dst = formatIp(b, pkt.dstOff, pkt.ipVersion);
  if (!v6 && pkt.ipLenFromCapture !== 0) return 'IP bad-len 0';
  let head = v6 ? 'IP6 ' : 'IP ';
  let wire = origLen - (pkt.netOff - pkt.frameOff);
  // PPPoE bounds the datagram by its own length field (RFC 2516 section 4), 4 bytes before the IP header.
  if ((pkt.layers & LAYER.PPPOE) !== 0) wire = Math.min(wire, u16(pkt.buf, pkt.netOff - 4) - 2);
  if (origLen >= 0 && wire < pkt.ipTotalLen && pkt.ipLenFromCapture === 0) {
    head += `truncated-ip${v6 ? '6' : ''} - ${pkt.ipTotalLen - wire} bytes missing! `;
  }
  const ext = v6 ? ipv6ExtText(pkt) : '';
  if (!v6 && pkt.fragOff !== 0) return `${head}${src} > ${dst}: ip-proto-${pkt.proto}`;
  if (v6 && pkt.fragOff !== 0) return `${head}${src} > ${dst}: ${ext.trimEnd()}`;
  // With IPv6 extension headers tcpdump prints the addresses first, then the ports alone.
  const ends = (port: boolean): string => (ext !== ''
    ? `${src} > ${dst}: ${ext}${port ? `${pkt.sport} > ${pkt.dport}` : ''}`
    : port ? `${src}.${pkt.sport} > ${dst}.${pkt.dport}` : `${src} > ${dst}`);
  if ((l & LAYER.TCP) !== 0) return `${head}${ends(true)}: ${tcpText(pkt)}`;
  if ((l & LAYER.UDP) !== 0) return `${head}${ends(true)}: UDP, length ${pkt.payloadWireLen}`;
  if ((l & (LAYER.ICMP | LAYER.ICMPV6)) !== 0) {
    return ext === '' ? `${head}${src} > ${dst}: ${describeIcmp(pkt)}` : `${head}${src} > ${dst}: ${ext}${describeIcmp(pkt)}`;
  }
  // A first fragment carries the UDP header, whose length covers the whole datagram: tcpdump
  // (print-udp.c) prints the ports and uh_ulen - 8 even though the fragment holds less.
  if (pkt.proto === IPPROTO.UDP && (l & LAYER.FRAGMENT) !== 0 && pkt.udpLength >= 8) {
    return `${head}${ends(true)}: UDP, length ${pkt.udpLength - 8}`;
  }
  const e = ends(false);
  if (pkt.proto === IPPROTO.TCP) return `${head}${e}${ext === '' ? ':' : ''} [|tcp]`;
  if (pkt.proto === IPPROTO.UDP) return `${head}${e}${ext === '' ? ':' : ''} [|udp]`;
  return `${head}${e}${ext === '' ? ': ' : ''}ip-proto-${pkt.proto} ${pkt.l4WireLen}`;
}

/** tcpdump's prefixes for IPv6 extension headers (print-ip6.c): `HBH `, `DSTOPT `, `RT6 (...) `, `frag (o|n) `. */
function ipv6ExtText(pkt: DecodedPacket): string {
  const b = pkt.buf;
  let nh = u8(b, pkt.netOff + 6);
  let p = pkt.netOff + 40;
  let s = '';
  const stopAt = pkt.l4Off >= 0 ? pkt.l4Off : pkt.frameEnd;
  while (p < stopAt && p + 8 <= pkt.frameEnd) {
    const next = u8(b, p);
    let len = (u8(b, p + 1) + 1) << 3;
    if (nh === IPPROTO.HOPOPTS) s += 'HBH ';
    else if (nh === IPPROTO.DSTOPTS) s += 'DSTOPT ';
    else if (nh === IPPROTO.ROUTING) s += routingText(b, p, len);
    else if (nh === IPPROTO.FRAGMENT) {
      len = 8;
      const fo = u16(b, p + 2) & 0xfff8;
      s += `frag (${fo}|${pkt.ipTotalLen - (p + 8 - pkt.netOff)}) `;
    } else if (nh === IPPROTO.AH) {
      len = (u8(b, p + 1) + 2) << 2;
      s += 'AH ';
    } else break;
    nh = next;
    p += len;
  }
  return s;
}

function routingText(b: Uint8Array, p: number, len: number): string {
  const type = u8(b, p + 2);
  const left = u8(b, p + 3);
  let s = `RT6 (len=${u8(b, p + 1)}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${left}`;
  if (type === 0) {
    for (let i = 0, a = p + 8; a + 16 <= p + len; i++, a += 16) s += `, [${i}]${formatIp(b, a, 6)}`;
  }
  return `${s}) `;
}

/** `Flags [..], seq a:b, ack n, win w, urg u, options [...], length n` (print-tcp.c order). */
function tcpText(pkt: DecodedPacket): string {
  const f = pkt.tcpFlags;
  // tcpdump (print-tcp.c) takes the length from the IP header even where a link-layer length
  // (PPPoE) ended the datagram sooner and tcpscope counts only the bytes carried (see ipv4.ts).
  const len = pkt.payloadWireLen + (pkt.ipTotalLen - pkt.ipHdrLen - pkt.l4WireLen);
  let s = `Flags [${tcpFlagsText(f)}]`;
  if (len > 0 || (f & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) !== 0) {
    s += `, seq ${pkt.seq}`;
    if (len > 0) s += `:${(pkt.seq + len) >>> 0}`;
  }
  if ((f & TCP_FLAG.ACK) !== 0) s += `, ack ${pkt.ack}`;
  s += `, win ${pkt.window}`;
  if ((f & TCP_FLAG.URG) !== 0) s += `, urg ${pkt.urgent}`;
  if (pkt.tcpHdrLen > 20) {
    const o = pkt.l4Off + 20;
    const hdrEnd = pkt.l4Off + pkt.tcpHdrLen;
    if (hdrEnd > pkt.frameEnd) return `${s}, options [${formatTruncatedTcpOptions(pkt.buf, o, hdrEnd, pkt.frameEnd)}`;
    s += `, options [${formatTcpOptions(pkt.buf, o, hdrEnd)}]`;
  }
  return `${s}, length ${len}${tcpAppSuffix(pkt)}`;
}

