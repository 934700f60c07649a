/**
 * The one reusable decode target. `decodePacket()` (decode.ts) overwrites it for every frame;
 * it is valid until the next decode, so callers copy what they keep. Every field is a number
 * initialised in the constructor (-1 = absent) so V8 keeps a single hidden class.
 *
 * Offsets are absolute indexes into the frame's buffer (`buf`), never slices. Addresses are
 * read from `buf` at `srcOff`/`dstOff` (4 bytes for IPv4, 16 for IPv6); for IPv4 they are also
 * available as unsigned 32-bit numbers from the getters `src4`/`dst4` for allocation-free keys.
 * The codes and bit sets its fields hold (LAYER, STOP_*, TCP_FLAG, ...) live in packet-codes.ts
 * and are re-exported here; this module owns the packet record and its field groups.
 */
import { u32 } from './bytes.js';
import { STOP_REASON } from './packet-codes.js';

export {
  CHECKSUM_FLAG, LAYER, LEN_SOURCE, LEN_SOURCE_NAME, STOP_LAYER, STOP_LAYER_NAME, STOP_REASON, STOP_REASON_NAME, TCP_FLAG, TCP_OPT,
} from './packet-codes.js';

/**
 * Groups of per-packet fields that are reset together (`DecodedPacket.dirtyGroups`). The frame
 * fields (`buf`, `frameOff`, `frameEnd`, `layers`, `linkType`, `etherType`, `netOff`) are
 * written by every decode and belong to no group.
 */
export const FIELD_GROUP = {
  /** `pktType`, `vlanCount`, `pppoeSession`. */
  LINK: 1 << 0,
  /** IPv4/IPv6 fields, `ipVersion` .. `l4CapLen`. */
  IP: 1 << 1,
  /** Ports, TCP fixed header fields and the payload bounds, `sport` .. `payloadCapLen`. */
  L4: 1 << 2,
  /** TCP option fields, `tcpOptFlags` .. `tcpOptBadOff`. */
  TCP_OPTIONS: 1 << 3,
  /** UDP and ICMP fields, `udpLength` .. `innerSeq`. */
  UDP_ICMP: 1 << 4,
  /** `stopLayer` .. `stopLenSource`. */
  STOP: 1 << 5,
  ALL: (1 << 6) - 1,
} as const;

/** Maximum SACK blocks kept (a 40-byte option space holds at most 4). */
export const MAX_SACK_BLOCKS = 4;
/** Maximum VLAN tags kept. */
export const MAX_VLAN_TAGS = 4;

export class DecodedPacket {
  /** The buffer all offsets refer to (the frame's, or the defragmenter's rebuilt datagram). */
  buf: Uint8Array = EMPTY;
  /** Frame start and captured end in `buf`. */
  frameOff = 0;
  frameEnd = 0;
  /** Bitmask of LAYER.* that decoded completely. */
  layers = 0;

  // ---- link ----
  linkType = -1;
  /** EtherType (or SLL protocol / null family mapped to an EtherType) of the network layer. */
  etherType = -1;
  /** SLL/SLL2 packet type (0 to us, 4 outgoing, ...), or -1. */
  pktType = -1;
  /** Number of VLAN tags and their 12-bit ids (outermost first). */
  vlanCount = 0;
  readonly vlanIds = new Uint16Array(MAX_VLAN_TAGS);
  /** Offset where the network layer starts. */
  netOff = -1;
  /** PPPoE session id (RFC 2516), or -1. */
  pppoeSession = -1;

  // ---- IP (v4 or v6) ----
  ipVersion = 0;
  /** IPv4 header length / IPv6 fixed header + extension headers, bytes. */
  ipHdrLen = 0;
  /** Length of the IP datagram per its header (IPv4 total length / 40 + IPv6 payload length); TSO/jumbo 0 resolved to the captured length. */
  ipTotalLen = 0;
  /** 1 when IPv4 total length was 0 (TSO on the capturing host) or IPv6 jumbo payload. */
  ipLenFromCapture = 0;
  srcOff = -1;
  dstOff = -1;
  /**
   * IPv4 source/destination as unsigned 32-bit numbers (0 unless IPv4 decoded). Read from `buf`
   * on access rather than stored per packet: few consumers need them.
   */
  get src4(): number {
    return this.ipVersion === 4 ? u32(this.buf, this.srcOff) : 0;
  }

  get dst4(): number {
    return this.ipVersion === 4 ? u32(this.buf, this.dstOff) : 0;
  }

  ttl = -1;
  /** IPv4 identification, or IPv6 fragment-header identification. */
  ipId = -1;
  /** IPv4 DF bit. */
  df = 0;
  /** More-fragments flag. */
  mf = 0;
  /** Fragment offset in bytes. */
  fragOff = 0;
  /** IPv4 header checksum field. */
  ipChecksum = -1;
  /** IPv4 TOS / IPv6 traffic class (DSCP+ECN). */
  tos = 0;
  /** Final upper-layer protocol number (after IPv6 extension headers). */
  proto = -1;
  /** Offset of the IPv6 fragment header (for the defragmenter), or -1. */
  ip6FragHdrOff = -1;
  /**
   * Offset of the 16-byte destination address for the upper-layer pseudo-header: `dstOff`, or for
   * IPv6 with a Routing header that still has segments left, the final destination inside it
   * (RFC 8200 section 8.1). IPv4: equals `dstOff`.
   */
  pseudoDstOff = -1;
  /** Offset where the upper-layer header starts. */
  l4Off = -1;
  /** Bytes of upper layer per the IP header (may exceed what was captured). */
  l4WireLen = 0;
  /** Bytes of upper layer actually captured (min of wire length and capture). */
  l4CapLen = 0;

  // ---- TCP ----
  sport = -1;
  dport = -1;
  /** Sequence and acknowledgement numbers as unsigned 32-bit numbers. */
  seq = 0;
  ack = 0;
  /** Header length in bytes (data offset * 4). */
  tcpHdrLen = 0;
  /** TCP_FLAG bitmask (12 bits). */
  tcpFlags = 0;
  /** Raw 16-bit window. */
  window = 0;
  tcpChecksum = -1;
  urgent = 0;
  /** Payload offset and lengths: wire = per IP length; cap = bytes present in the capture. */
  payloadOff = -1;
  payloadWireLen = 0;
  payloadCapLen = 0;

  // ---- TCP options (valid when TCP decoded; -1 = absent) ----
  tcpOptFlags = 0;
  mss = -1;
  wscale = -1;
  tsval = -1;
  tsecr = -1;
  sackCount = 0;
  /** SACK blocks as (left, right) pairs of unsigned 32-bit numbers. */
  readonly sackBlocks = new Float64Array(MAX_SACK_BLOCKS * 2);
  /** TFO cookie length (0 = cookie request), or -1. */
  tfoCookieLen = -1;
  /** MPTCP subtype of the first MPTCP option, or -1. */
  mptcpSubtype = -1;
  /** User Timeout option value (RFC 5482: granularity bit 15 + 15-bit timeout), or -1. */
  userTimeout = -1;
  /** Number of option kinds tcpscope does not interpret. */
  tcpOptUnknown = 0;
  /** Offset of the option whose length was malformed, or -1. */
  tcpOptBadOff = -1;

  // ---- UDP ----
  udpLength = -1;
  udpChecksum = -1;

  // ---- ICMP / ICMPv6 ----
  icmpType = -1;
  icmpCode = -1;
  /** Embedded (quoted) IP header of an ICMP error: version, protocol, address offsets, ports. */
  innerIpVersion = 0;
  innerProto = -1;
  innerSrcOff = -1;
  innerDstOff = -1;
  innerSport = -1;
  innerDport = -1;
  /** Embedded TCP sequence number, or -1. */
  innerSeq = -1;

  /**
   * CHECKSUM_FLAG bits of this packet's checksum verdicts. Not reset by the decoders: written by
   * the decode stage (pipeline/decode-stage.ts) for every packet it delivers when it verifies
   * checksums, and 0 otherwise.
   */
  checksumFlags = 0;

  // ---- where decoding stopped (STOP_*) ----
  stopLayer = 0;
  stopReason = 0;
  /** Absolute offset of the layer that stopped decoding. */
  stopOffset = -1;
  /** Bytes that layer needed vs had. */
  stopNeed = 0;
  stopHave = 0;
  /** LEN_SOURCE of the limiting length. */
  stopLenSource = 0;

  /**
   * FIELD_GROUP bits of the groups that may hold values other than their reset defaults.
   * Internal bookkeeping of the decoders (only they write the fields): it lets the fast path
   * (fast-path.ts) skip resetting groups that no earlier packet touched.
   */
  dirtyGroups: number = FIELD_GROUP.ALL;

  /**
   * Reset every per-packet field. Called by decodePacket() before the general path, which may
   * write any group: afterwards every group counts as dirty.
   */
  reset(buf: Uint8Array, off: number, end: number, linkType: number): void {
    this.resetFrame(buf, off, end, linkType);
    this.clearGroups(this.dirtyGroups);
    this.dirtyGroups = FIELD_GROUP.ALL;
  }

  /** The fields every decode writes: frame bounds, layers, link type, EtherType, network offset. */
  resetFrame(buf: Uint8Array, off: number, end: number, linkType: number): void {
    // Store only on change: `buf` is usually the same chunk as for the previous frame, and a
    // pointer store to a young array from this old object costs a write-barrier call.
    if (this.buf !== buf) this.buf = buf;
    this.frameOff = off;
    this.frameEnd = end;
    this.layers = 0;
    this.linkType = linkType;
    this.etherType = -1;
    this.netOff = -1;
  }

  /** Reset the FIELD_GROUP groups in `groups` to their defaults (does not touch `dirtyGroups`). */
  clearGroups(groups: number): void {
    if ((groups & FIELD_GROUP.LINK) !== 0) this.clearLink();
    if ((groups & FIELD_GROUP.IP) !== 0) this.clearIp();
    if ((groups & FIELD_GROUP.L4) !== 0) this.clearL4();
    if ((groups & FIELD_GROUP.TCP_OPTIONS) !== 0) this.clearTcpOptions();
    if ((groups & FIELD_GROUP.UDP_ICMP) !== 0) this.clearUdpIcmp();
    if ((groups & FIELD_GROUP.STOP) !== 0) this.clearStop();
  }

  private clearLink(): void {
    this.pktType = -1;
    this.vlanCount = 0;
    this.pppoeSession = -1;
  }

  private clearIp(): void {
    this.ipVersion = 0;
    this.ipHdrLen = 0;
    this.ipTotalLen = 0;
    this.ipLenFromCapture = 0;
    this.srcOff = -1;
    this.dstOff = -1;
    this.ttl = -1;
    this.ipId = -1;
    this.df = 0;
    this.mf = 0;
    this.fragOff = 0;
    this.ipChecksum = -1;
    this.tos = 0;
    this.proto = -1;
    this.ip6FragHdrOff = -1;
    this.pseudoDstOff = -1;
    this.l4Off = -1;
    this.l4WireLen = 0;
    this.l4CapLen = 0;
  }

  private clearL4(): void {
    this.sport = -1;
    this.dport = -1;
    this.seq = 0;
    this.ack = 0;
    this.tcpHdrLen = 0;
    this.tcpFlags = 0;
    this.window = 0;
    this.tcpChecksum = -1;
    this.urgent = 0;
    this.payloadOff = -1;
    this.payloadWireLen = 0;
    this.payloadCapLen = 0;
  }

  private clearTcpOptions(): void {
    this.tcpOptFlags = 0;
    this.mss = -1;
    this.wscale = -1;
    this.tsval = -1;
    this.tsecr = -1;
    this.sackCount = 0;
    this.tfoCookieLen = -1;
    this.mptcpSubtype = -1;
    this.userTimeout = -1;
    this.tcpOptUnknown = 0;
    this.tcpOptBadOff = -1;
  }

  private clearUdpIcmp(): void {
    this.udpLength = -1;
    this.udpChecksum = -1;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.innerIpVersion = 0;
    this.innerProto = -1;
    this.innerSrcOff = -1;
    this.innerDstOff = -1;
    this.innerSport = -1;
    this.innerDport = -1;
    this.innerSeq = -1;
  }

  private clearStop(): void {
    this.stopLayer = 0;
    this.stopReason = 0;
    this.stopOffset = -1;
    this.stopNeed = 0;
    this.stopHave = 0;
    this.stopLenSource = 0;
  }

  /** Record where and why decoding stopped. Returns false so decoders can `return pkt.stop(...)`. */
  stop(layer: number, reason: number, offset: number, need: number, have: number, lenSource: number): false {
    this.stopLayer = layer;
    this.stopReason = reason;
    this.stopOffset = offset;
    this.stopNeed = need;
    this.stopHave = have;
    this.stopLenSource = lenSource;
    return false;
  }

  /** True when decoding stopped on a fault (truncation or malformed header), not on an undecoded protocol. */
  get isMalformedOrTruncated(): boolean {
    const r = this.stopReason;
    return r !== STOP_REASON.NONE && r !== STOP_REASON.NOT_IP && r !== STOP_REASON.UNKNOWN_PROTOCOL && r !== STOP_REASON.FRAGMENT;
  }
}

const EMPTY = new Uint8Array(0);
