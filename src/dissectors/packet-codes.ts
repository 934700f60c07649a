/**
 * The decoder's vocabulary: the codes and bit sets a `DecodedPacket` (decoded-packet.ts) carries:
 * layer bits, where and why decoding stopped and which length bounded it (with their report
 * names), TCP flag and option bits, checksum verdict bits. Constants only; decoded-packet.ts
 * re-exports them, so importing them from there keeps working. Split out of decoded-packet.ts.
 */

/** Layer bits in `DecodedPacket.layers`. */
export const LAYER = {
  LINK: 1 << 0,
  VLAN: 1 << 1,
  IPV4: 1 << 2,
  IPV6: 1 << 3,
  /** This packet is an IP fragment (IPv4 MF/offset, or IPv6 fragment header). */
  FRAGMENT: 1 << 4,
  TCP: 1 << 5,
  UDP: 1 << 6,
  ICMP: 1 << 7,
  ICMPV6: 1 << 8,
  /** ICMP error carrying an embedded IP header (see `inner*` fields). */
  ICMP_INNER: 1 << 9,
  /** PPPoE session header. */
  PPPOE: 1 << 10,
  /** The IP datagram was rebuilt from fragments (set by the defragmenter). */
  REASSEMBLED: 1 << 11,
} as const;

/** Layer ids used in `stop.layer` (where decoding stopped). */
export const STOP_LAYER = {
  NONE: 0,
  LINK: 1,
  VLAN: 2,
  PPPOE: 3,
  IPV4: 4,
  IPV6: 5,
  IPV6_EXT: 6,
  TCP: 7,
  TCP_OPTIONS: 8,
  UDP: 9,
  ICMP: 10,
  ICMPV6: 11,
} as const;

export const STOP_LAYER_NAME: readonly string[] = [
  'none', 'link', 'vlan', 'pppoe', 'ipv4', 'ipv6', 'ipv6-ext', 'tcp', 'tcp-options', 'udp', 'icmp', 'icmpv6',
];

/** Why decoding stopped. 0 = it did not. */
export const STOP_REASON = {
  NONE: 0,
  /** Fewer bytes captured than the header needs (snap length or a short frame). */
  TRUNCATED: 1,
  /** A header length field is below its minimum (IHL < 5, data offset < 5, UDP length < 8, ...). */
  BAD_HEADER_LENGTH: 2,
  /** A length field claims more than the enclosing layer holds (IPv4 total length < IHL, ...). */
  BAD_TOTAL_LENGTH: 3,
  /** Version field is not 4/6 where IP is expected. */
  BAD_VERSION: 4,
  /** Link type has no dissector. */
  UNKNOWN_LINK_TYPE: 5,
  /** EtherType / SLL protocol / null family not IP (not an error: the packet is "other"). */
  NOT_IP: 6,
  /** IP protocol / IPv6 next header that tcpscope does not decode (not an error). */
  UNKNOWN_PROTOCOL: 7,
  /** A non-first fragment: transport header lives in another fragment (not an error). */
  FRAGMENT: 8,
  /** IPv6 extension-header chain malformed (length runs past the packet). */
  BAD_EXTENSION: 9,
  /** Too many stacked headers (VLAN tags, extension headers). */
  TOO_DEEP: 10,
} as const;

export const STOP_REASON_NAME: readonly string[] = [
  'none', 'truncated', 'bad-header-length', 'bad-total-length', 'bad-version', 'unknown-link-type',
  'not-ip', 'unknown-protocol', 'fragment', 'bad-extension', 'too-deep',
];

/** Which length bounded the layer where decoding stopped (etherparse's LenSource). */
export const LEN_SOURCE = {
  SLICE: 0,
  IPV4_TOTAL: 1,
  IPV6_PAYLOAD: 2,
  UDP_LENGTH: 3,
  TCP_DATA_OFFSET: 4,
  IPV4_IHL: 5,
  IPV6_EXT_LENGTH: 6,
  /** The PPPoE session header's LENGTH field (RFC 2516 section 4): it ends the network layer. */
  PPPOE: 7,
} as const;

export const LEN_SOURCE_NAME: readonly string[] = [
  'slice', 'ipv4-total-length', 'ipv6-payload-length', 'udp-length', 'tcp-data-offset', 'ipv4-ihl', 'ipv6-ext-length',
  'pppoe-length',
];

/** TCP flag bits as on the wire (byte 13, plus the AE/NS bit 8 from byte 12). */
export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  /** AE (Accurate ECN, formerly NS), bit 8 of the 12-bit flags field. */
  AE: 0x100,
} as const;

/** Bits in `tcpOptFlags`. */
export const TCP_OPT = {
  MSS: 1 << 0,
  WSCALE: 1 << 1,
  SACK_PERM: 1 << 2,
  SACK: 1 << 3,
  TIMESTAMP: 1 << 4,
  TFO: 1 << 5,
  MPTCP: 1 << 6,
  /** An option kind tcpscope does not interpret (kept, counted in `tcpOptUnknown`). */
  UNKNOWN: 1 << 7,
  /** An option length was malformed (< 2, runs past the header, or wrong for its kind); walking stopped there. */
  MALFORMED: 1 << 8,
  EOL: 1 << 9,
  /** User Timeout (28). */
  USER_TIMEOUT: 1 << 10,
  /** AccECN (172/174). */
  ACCECN: 1 << 11,
  /** MD5 signature (19) or TCP-AO (29). */
  AUTH: 1 << 12,
} as const;

/** Bits of `DecodedPacket.checksumFlags` (set by the decode stage when it verifies checksums). */
export const CHECKSUM_FLAG = {
  /** IPv4 header checksum does not verify. */
  IP_BAD: 1,
  /** TCP/UDP/ICMP checksum does not verify. */
  L4_BAD: 2,
  /** A checksum left to the NIC (offload on the capturing host): not verifiable, not bad. */
  UNVERIFIED: 4,
} as const;
