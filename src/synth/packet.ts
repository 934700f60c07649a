/**
 * Frame construction for synthetic captures: link layer + IPv4/IPv6 (+ extension headers) +
 * TCP/UDP, with correct checksums unless told otherwise. Every builder returns a fresh
 * `Uint8Array` owned by the caller. Fragmentation lives in `ip-fragment.ts`.
 *
 * Checksum modes (`ChecksumMode`): 'correct' (default); 'bad' (correct value XOR 0x5555);
 * 'partial' (offload style: the field holds the folded pseudo-header sum, as a NIC doing
 * CHECKSUM_PARTIAL would leave it before completing it); 'zero'; or an explicit 16-bit value.
 */
import { parseIpv4, parseIpv6 } from './addr.js';
import { finishChecksum, foldSum, pseudoHeaderSum, sumBytes } from './checksum.js';
import { linkHeaderLength, writeLinkHeader } from './link-layer.js';
import type { LinkSpec } from './link-layer.js';
import { encodeTcpOptions } from './tcp-options.js';
import type { TcpOption } from './tcp-options.js';

export type { LinkSpec } from './link-layer.js';
export type { TcpOption } from './tcp-options.js';

/** TCP flag bits (RFC 9293 §3.1; NS = RFC 3540, in the reserved nibble). */
export const TCP_FLAG = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, NS: 256 } as const;

export const IP_PROTO = { HOPOPT: 0, TCP: 6, UDP: 17, IPV6_ROUTE: 43, IPV6_FRAG: 44, IPV6_OPTS: 60 } as const;

export type ChecksumMode = 'correct' | 'bad' | 'partial' | 'zero' | number;

export interface Ipv4Spec {
  version: 4;
  src: string;
  dst: string;
  /** Identification (default 0). */
  id?: number;
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  ttl?: number;
  tos?: number;
  /** Raw IPv4 options (zero-padded to 4 bytes). */
  options?: Uint8Array;
  /** Override the total length field (e.g. 0 for TSO / BIG TCP captures). */
  totalLength?: number;
  /** Header checksum mode (default 'correct'; 'partial' is treated as 'zero'). */
  checksum?: ChecksumMode;
  /** Override the protocol field. */
  protocol?: number;
}

/** An IPv6 extension header placed before the upper layer, in order. */
export type Ipv6Ext =
  /** Options headers padded with PadN/Pad1 to 8 bytes; routing gets `data` as is (default type 0, segments left 0). */
  | { type: 'hop-by-hop' | 'destination' | 'routing'; data?: Uint8Array }
  /** Fragment header (RFC 8200 §4.5): offset in bytes (multiple of 8). */
  | { type: 'fragment'; offset: number; more: boolean; id: number };

export interface Ipv6Spec {
  version: 6;
  src: string;
  dst: string;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  ext?: readonly Ipv6Ext[];
  /** Override the payload length field. */
  payloadLength?: number;
}

export type IpSpec = Ipv4Spec | Ipv6Spec;

export interface TcpSpec {
  srcPort: number;
  dstPort: number;
  /** Sequence number (taken mod 2^32). */
  seq: number;
  /** Acknowledgment number (mod 2^32, default 0). */
  ack?: number;
  /** `TCP_FLAG` bitmask. */
  flags: number;
  /** Raw 16-bit window field (already scaled down). Default 65535. */
  window?: number;
  urgent?: number;
  options?: readonly TcpOption[];
  /** Padding byte for the option block: 0 (EOL, default) or 1 (NOP). */
  optionPadding?: 0 | 1;
  payload?: Uint8Array;
  checksum?: ChecksumMode;
  /** Override the data offset (32-bit words), e.g. to produce a malformed header. */
  dataOffset?: number;
}

export interface UdpSpec {
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array;
  checksum?: ChecksumMode;
  /** Override the UDP length field. */
  length?: number;
}

/** A whole frame. Exactly one of tcp / udp / other. */
export interface FrameSpec {
  /** Default: plain Ethernet II. */
  link?: LinkSpec;
  ip: IpSpec;
  tcp?: TcpSpec;
  udp?: UdpSpec;
  /** Any other upper layer: protocol number and bytes. */
  other?: { protocol: number; bytes: Uint8Array };
}

/** Source and destination address bytes of an IP spec. */
export function ipAddrs(ip: IpSpec): { src: Uint8Array; dst: Uint8Array } {
  return ip.version === 4
    ? { src: parseIpv4(ip.src), dst: parseIpv4(ip.dst) }
    : { src: parseIpv6(ip.src), dst: parseIpv6(ip.dst) };
}

function applyChecksum(mode: ChecksumMode, correctSum: number, pseudo: number): number {
  if (typeof mode === 'number') return mode & 0xffff;
  switch (mode) {
    case 'correct': return finishChecksum(correctSum);
    case 'bad': return finishChecksum(correctSum) ^ 0x5555;
    case 'partial': return foldSum(pseudo);
    case 'zero': return 0;
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** TCP segment bytes (header + options + payload) with its checksum over `ip`'s pseudo-header. */
export function buildTcp(ip: IpSpec, t: TcpSpec): Uint8Array {
  const opts = encodeTcpOptions(t.options ?? [], t.optionPadding ?? 0);
  const payload = t.payload ?? new Uint8Array(0);
  const hl = 20 + opts.length;
  const out = new Uint8Array(hl + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, t.srcPort);
  dv.setUint16(2, t.dstPort);
  dv.setUint32(4, t.seq >>> 0);
  dv.setUint32(8, (t.ack ?? 0) >>> 0);
  const doff = t.dataOffset ?? hl / 4;
  dv.setUint16(12, ((doff & 0xf) << 12) | (t.flags & 0x1ff));
  dv.setUint16(14, t.window ?? 65535);
  dv.setUint16(18, t.urgent ?? 0);
  out.set(opts, 20);
  out.set(payload, hl);
  const { src, dst } = ipAddrs(ip);
  const pseudo = pseudoHeaderSum(src, dst, IP_PROTO.TCP, out.length);
  dv.setUint16(16, applyChecksum(t.checksum ?? 'correct', sumBytes(out, 0, out.length, pseudo), pseudo));
  return out;
}

/** UDP datagram bytes with its checksum (a computed 0 is sent as 0xffff, RFC 768). */
export function buildUdp(ip: IpSpec, u: UdpSpec): Uint8Array {
  const payload = u.payload ?? new Uint8Array(0);
  const out = new Uint8Array(8 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, u.srcPort);
  dv.setUint16(2, u.dstPort);
  dv.setUint16(4, u.length ?? out.length);
  out.set(payload, 8);
  const { src, dst } = ipAddrs(ip);
  const pseudo = pseudoHeaderSum(src, dst, IP_PROTO.UDP, out.length);
  let c = applyChecksum(u.checksum ?? 'correct', sumBytes(out, 0, out.length, pseudo), pseudo);
  if (c === 0 && (u.checksum ?? 'correct') === 'correct') c = 0xffff;
  dv.setUint16(6, c);
  return out;
}

const EXT_PROTO = { 'hop-by-hop': IP_PROTO.HOPOPT, routing: IP_PROTO.IPV6_ROUTE, destination: IP_PROTO.IPV6_OPTS, fragment: IP_PROTO.IPV6_FRAG } as const;

/** Body (after next-header and length bytes) of an options/routing header, padded to 8n+6 bytes. */
function extBody(e: Ipv6Ext & { type: 'hop-by-hop' | 'destination' | 'routing' }): number[] {
  const data = [...(e.data ?? (e.type === 'routing' ? new Uint8Array(6) : new Uint8Array(0)))];
  const pad = (8 - ((2 + data.length) % 8)) % 8;
  if (e.type === 'routing' || pad === 0) return [...data, ...new Array<number>(pad).fill(0)];
  return pad === 1 ? [...data, 0] : [...data, 1, pad - 2, ...new Array<number>(pad - 2).fill(0)];
}

/** Encode an IPv6 extension header chain ending in `upper`. */
function encodeExtChain(ext: readonly Ipv6Ext[], upper: number): { first: number; bytes: number[] } {
  const bytes: number[] = [];
  ext.forEach((e, i) => {
    const next = i + 1 < ext.length ? EXT_PROTO[ext[i + 1]!.type] : upper;
    if (e.type === 'fragment') {
      const off = (e.offset & 0xfff8) | (e.more ? 1 : 0);
      bytes.push(next, 0, off >> 8, off & 0xff, (e.id >>> 24) & 0xff, (e.id >>> 16) & 0xff, (e.id >>> 8) & 0xff, e.id & 0xff);
    } else {
      const body = extBody(e);
      bytes.push(next, (2 + body.length) / 8 - 1, ...body);
    }
  });
  const head = ext[0];
  return { first: head === undefined ? upper : EXT_PROTO[head.type], bytes };
}

/** An IP packet (header + `payload`, already the upper-layer bytes) for `protocol`. */
export function buildIpPacket(ip: IpSpec, protocol: number, payload: Uint8Array): Uint8Array {
  return ip.version === 4 ? buildIpv4(ip, protocol, payload) : buildIpv6(ip, protocol, payload);
}

function buildIpv4(ip: Ipv4Spec, protocol: number, payload: Uint8Array): Uint8Array {
  const optRaw = ip.options ?? new Uint8Array(0);
  const hl = 20 + ((optRaw.length + 3) & ~3);
  const out = new Uint8Array(hl + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x40 | (hl / 4);
  out[1] = ip.tos ?? 0;
  dv.setUint16(2, ip.totalLength ?? out.length);
  dv.setUint16(4, ip.id ?? 0);
  const frag = (ip.df === true ? 0x4000 : 0) | (ip.mf === true ? 0x2000 : 0) | (((ip.fragOffset ?? 0) >> 3) & 0x1fff);
  dv.setUint16(6, frag);
  out[8] = ip.ttl ?? 64;
  out[9] = ip.protocol ?? protocol;
  out.set(parseIpv4(ip.src), 12);
  out.set(parseIpv4(ip.dst), 16);
  out.set(optRaw, 20);
  const mode = ip.checksum ?? 'correct';
  dv.setUint16(10, applyChecksum(mode === 'partial' ? 'zero' : mode, sumBytes(out, 0, hl), 0));
  out.set(payload, hl);
  return out;
}

function buildIpv6(ip: Ipv6Spec, protocol: number, payload: Uint8Array): Uint8Array {
  const chain = encodeExtChain(ip.ext ?? [], protocol);
  const out = new Uint8Array(40 + chain.bytes.length + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, (6 << 28) | ((ip.trafficClass ?? 0) << 20) | ((ip.flowLabel ?? 0) & 0xfffff));
  dv.setUint16(4, ip.payloadLength ?? out.length - 40);
  out[6] = chain.first;
  out[7] = ip.hopLimit ?? 64;
  out.set(parseIpv6(ip.src), 8);
  out.set(parseIpv6(ip.dst), 24);
  out.set(chain.bytes, 40);
  out.set(payload, 40 + chain.bytes.length);
  return out;
}

/** The upper-layer bytes and protocol number of a frame spec. */
export function buildUpperLayer(spec: FrameSpec): { protocol: number; bytes: Uint8Array } {
  if (spec.tcp !== undefined) return { protocol: IP_PROTO.TCP, bytes: buildTcp(spec.ip, spec.tcp) };
  if (spec.udp !== undefined) return { protocol: IP_PROTO.UDP, bytes: buildUdp(spec.ip, spec.udp) };
  if (spec.other !== undefined) return spec.other;
  throw new Error('FrameSpec needs tcp, udp or other');
}

/** Put a link header in front of an IP packet. */
export function frameFromIp(link: LinkSpec, ipPacket: Uint8Array): Uint8Array {
  const hl = linkHeaderLength(link);
  const out = new Uint8Array(hl + ipPacket.length);
  writeLinkHeader(link, (ipPacket[0]! >> 4) === 6 ? 6 : 4, out);
  out.set(ipPacket, hl);
  return out;
}

/** Build the complete frame bytes for a spec (default link: Ethernet II). */
export function buildFrame(spec: FrameSpec): Uint8Array {
  const upper = buildUpperLayer(spec);
  return frameFromIp(spec.link ?? { kind: 'ethernet' }, buildIpPacket(spec.ip, upper.protocol, upper.bytes));
}
