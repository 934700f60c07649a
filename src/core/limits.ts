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

/**
 * TCP flow table (`flow/flow-table.ts`). Expiry runs on packet time (the capture's timestamps),
 * never the wall clock, so a replay gives the same flows.
 */
export interface FlowLimits {
  /**
   * Flows tracked at once; a new flow past it evicts the least recently active one (closed
   * flows first), which is finalised early and counted (`summary.limits.flow.evicted`).
   */
  maxFlows: number;
  /** Idle timeout of an open flow, packet-time seconds (Zeek `tcp_inactivity_timeout` = 5 min). */
  idleTimeoutSec: number;
  /**
   * Idle timeout once the connection has closed (FIN both ways, or RST), packet-time seconds:
   * default 5 s, Zeek's `tcp_close_delay` — long enough for the final ACK and retransmitted FINs
   * (Linux RTO backoff 0.2, 0.4, 0.8, 1.6 s ...), short enough that memory follows the number of
   * connections open at once, not the connection rate (a closed flow's state is ~10-20 KB).
   * Linux holds TIME_WAIT 60 s; a packet of the old connection later than this starts a new flow
   * record (roles from ports), and a new SYN on the four-tuple is still `reused_ports` (the flow
   * table remembers how each four-tuple's last flow ended).
   */
  closedTimeoutSec: number;
  /** Anomaly events listed per flow (`anomalies`); `anomalyCounts` still counts every one. */
  maxAnomaliesPerFlow: number;
}

/** TCP stream reassembly, per direction of a flow (`reassembly/tcp-reassembler.ts`). */
export interface ReassemblyLimits {
  /**
   * Out-of-order payload bytes held (copied) per direction. Past it the reassembler skips forward:
   * it delivers what it holds and reports the holes before it as gaps (`limit_reached`).
   */
  maxBufferedBytes: number;
  /** Held out-of-order segments (data or known-uncaptured ranges) per direction; past it, skip forward as above. */
  maxSegments: number;
  /**
   * Most delivered bytes kept per direction (a ring) so a retransmission of delivered data can
   * be compared with what was first seen; overlaps with bytes no longer kept count as
   * unverifiable. The ring starts small and doubles only while the bytes the peer has not
   * acknowledged outgrow it, so memory follows the data in flight; it is freed when the
   * direction ends. 0 disables it (then no copy at all on the in-order path).
   */
  historyBytes: number;
  /**
   * Largest plausible distance of a segment or ACK from the next expected byte. RFC 7323 §2.3
   * caps a window at 2^30 bytes, so anything farther is not this stream's data (a wild or forged
   * sequence number): ignored and counted, never buffered or turned into a gap.
   */
  maxJump: number;
}

/**
 * HTTP/1.x parsing, per flow (`app/http/`). Bodies are never buffered (they are hashed as they
 * pass); what is held is one message head at a time, one chunk-size line, and the listed
 * messages. Every cap that bites is reported (`limit_reached`, or in the message record).
 */
export interface HttpLimits {
  /** Largest message head (start line + header fields + the empty line), bytes; past it `http_malformed` (head-too-large) and resync. */
  maxHeadBytes: number;
  /** Header fields listed per message (all are parsed; `headerCount` counts them). */
  maxHeadersListed: number;
  /** Characters kept of a header value or the request target in the report (longer: cut, `truncated` noted). */
  maxValueChars: number;
  /** Messages listed per flow (requests and responses are still counted, and paired). */
  maxMessages: number;
  /** Largest chunk-size line (size, extensions and line end), bytes; past it `http_malformed` (bad-chunk-size). */
  maxChunkLineBytes: number;
  /** Requests awaiting their response (pipelining) remembered for pairing; past it the oldest is dropped and counted. */
  maxPendingRequests: number;
  /**
   * Bytes the client sends after an Upgrade / CONNECT request, held until the response says
   * whether the connection switched protocols (they are then parsed as HTTP or left as tunnel
   * bytes); past it the connection is taken as switched.
   */
  maxUpgradeHoldBytes: number;
  /** Findings listed per flow (all are counted). */
  maxFindings: number;
}

/** All limits, one section per component. */
export interface Limits {
  fragment: FragmentLimits;
  flow: FlowLimits;
  reassembly: ReassemblyLimits;
  http: HttpLimits;
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
  flow: Object.freeze({
    maxFlows: 250_000,
    idleTimeoutSec: 300,
    closedTimeoutSec: 5,
    maxAnomaliesPerFlow: 100,
  }),
  reassembly: Object.freeze({
    maxBufferedBytes: 4 * 1024 * 1024,
    maxSegments: 4096,
    historyBytes: 64 * 1024,
    maxJump: 2 ** 30,
  }),
  http: Object.freeze({
    maxHeadBytes: 64 * 1024,
    maxHeadersListed: 64,
    maxValueChars: 1024,
    maxMessages: 1000,
    maxChunkLineBytes: 4096,
    maxPendingRequests: 1024,
    maxUpgradeHoldBytes: 64 * 1024,
    maxFindings: 50,
  }),
});
