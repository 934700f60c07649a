/**
 * Resource limits of tcpscope (style guide item 13: bound everything and count the drops).
 * Each component takes a `Readonly<Partial<...>>` of its section and fills the rest from
 * `DEFAULT_LIMITS`; what a limit drops is counted by that component and reported as `limit_reached`.
 *
 * Add a section per component. Imports nothing from the project (core is the bottom layer).
 */

/** IP fragment reassembly (`reassembly/ip-defrag.ts`). */
export interface FragmentLimits {
  /** Datagrams in progress at once (IPv4 and IPv6 together); past it the oldest is evicted. */
  maxDatagrams: number;
  /** Bytes buffered in total (fragment payload copies + kept headers); past it the oldest datagrams are evicted. */
  maxBytes: number;
  /**
   * Largest datagram that may be rebuilt, header included: 65535, the IPv4 total-length maximum
   * (RFC 791) and the IPv6 payload-length maximum (RFC 8200 §4.5; jumbograms, RFC 2675, are never fragmented).
   */
  maxDatagramSize: number;
  /** IPv4 reassembly timeout, packet-time seconds from the first fragment seen (Linux `ipfrag_time` = 30). */
  timeoutV4Sec: number;
  /** IPv6 reassembly timeout, packet-time seconds (RFC 8200 §4.5: 60; Linux `ip6frag_time` = 60). */
  timeoutV6Sec: number;
  /** At most this many frame numbers are listed per rebuilt or dropped datagram. */
  maxFramesListed: number;
}

/** All limits, one section per component. */
export interface Limits {
  fragment: FragmentLimits;
}

/** Defaults. Frozen: copy and override, never mutate. */
export const DEFAULT_LIMITS: Readonly<{ [K in keyof Limits]: Readonly<Limits[K]> }> = Object.freeze({
  fragment: Object.freeze({
    maxDatagrams: 4096,
    maxBytes: 64 * 1024 * 1024,
    maxDatagramSize: 65535,
    timeoutV4Sec: 30,
    timeoutV6Sec: 60,
    maxFramesListed: 64,
  }),
});
