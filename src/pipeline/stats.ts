/**
 * Per-capture packet counters, filled by the decode stage. Plain numbers only; the report layer
 * turns them into JSON. Definitions (also in README "Summary fields"):
 *
 * - `tcp`/`udp`/`icmp`: frames whose transport header decoded (ICMP counts ICMPv6 too). A TCP
 *   segment rebuilt from IP fragments counts once, at the frame of its last fragment.
 * - `otherIp`: IP packets carrying another protocol; `nonIp`: frames whose link layer carries
 *   something other than IP (ARP, LLDP, ...).
 * - `fragments`: frames that are IP fragments; `reassembled`: datagrams rebuilt from them.
 * - `undecodable`: frames whose headers could not be decoded (a header cut short, a malformed
 *   length, an unknown link type); they still count in `packets`.
 * - `truncated`: frames the snap length cut (caplen < original length).
 */
export interface PacketCounters {
  packets: number;
  capturedBytes: number;
  wireBytes: number;
  tcp: number;
  udp: number;
  icmp: number;
  otherIp: number;
  nonIp: number;
  ipv4: number;
  ipv6: number;
  fragments: number;
  reassembled: number;
  /** Fragmented datagrams never completed (timed out or left at the end). */
  fragmentsIncomplete: number;
  undecodable: number;
  truncated: number;
  /** Checksums: verified bad, verified good, not verifiable / left to offload. */
  checksumBad: number;
  checksumGood: number;
  checksumUnverified: number;
  /** Undecodable frames by "layer:reason" (bounded: a handful of distinct keys). */
  stopReasons: Record<string, number>;
  /** Frames per link type name. */
  linkTypes: Record<string, number>;
  /** Earliest and latest frame timestamps (capinfos' first/last packet time), -1 before any frame. */
  firstTsSec: number;
  firstTsNsec: number;
  lastTsSec: number;
  lastTsNsec: number;
  /** TCP segments that arrived in IP fragments (anomaly `ip_fragmented`). */
  tcpFromFragments: number;
  /** Frames without a timestamp (pcapng Simple Packet Blocks); not in first/last. */
  untimed: number;
  /** Frames whose handling threw (a tcpscope bug; the capture goes on): count and the first few. */
  internalErrors: number;
  internalErrorSamples: { frame: number; message: string }[];
  /** Frames whose timestamp is earlier than the previous frame's. */
  outOfOrderTimestamps: number;
}

export function newPacketCounters(): PacketCounters {
  return {
    packets: 0,
    capturedBytes: 0,
    wireBytes: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    otherIp: 0,
    nonIp: 0,
    ipv4: 0,
    ipv6: 0,
    fragments: 0,
    reassembled: 0,
    fragmentsIncomplete: 0,
    undecodable: 0,
    truncated: 0,
    checksumBad: 0,
    checksumGood: 0,
    checksumUnverified: 0,
    stopReasons: {},
    linkTypes: {},
    firstTsSec: -1,
    firstTsNsec: 0,
    lastTsSec: -1,
    lastTsNsec: 0,
    tcpFromFragments: 0,
    untimed: 0,
    internalErrors: 0,
    internalErrorSamples: [],
    outOfOrderTimestamps: 0,
  };
}
