/** EtherType values tcpscope dispatches on (IEEE 802 numbers, IANA "ieee-802-numbers"). */
export const ETHERTYPE = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  /** IEEE 802.1Q customer VLAN tag. */
  VLAN: 0x8100,
  /** IEEE 802.1ad service tag (QinQ outer tag). */
  QINQ: 0x88a8,
  /** Pre-standard QinQ outer tag used by some switches. */
  QINQ_9100: 0x9100,
  /** PPPoE discovery stage (never IP). */
  PPPOE_DISCOVERY: 0x8863,
  /** PPPoE session stage (RFC 2516 section 4). */
  PPPOE_SESSION: 0x8864,
} as const;

/** IP protocol numbers (IANA "protocol-numbers"). */
export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
  MOBILITY: 135,
  HIP: 139,
  SHIM6: 140,
} as const;
