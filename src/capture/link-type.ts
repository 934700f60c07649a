/**
 * LINKTYPE_* numbers (tcpdump.org link-layer header types) that tcpscope decodes, and their
 * names as libpcap/tcpdump print them (`pcap_datalink_val_to_name`).
 */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  /** OpenBSD/BSD DLT_RAW (12) and DLT_RAW on some systems (14): raw IP, no link header. */
  RAW_12: 12,
  RAW_14: 14,
  LOOP: 108,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'],
  [1, 'EN10MB'],
  [12, 'RAW'],
  [14, 'RAW'],
  [101, 'RAW'],
  [108, 'LOOP'],
  [113, 'LINUX_SLL'],
  [228, 'IPV4'],
  [229, 'IPV6'],
  [276, 'LINUX_SLL2'],
]);

/** Name of a link type, e.g. 'EN10MB'; unknown ones as 'LINKTYPE_<n>'. */
export function linkTypeName(linkType: number): string {
  return NAMES.get(linkType) ?? `LINKTYPE_${linkType}`;
}

/** True when a dissector exists for this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return NAMES.has(linkType);
}
