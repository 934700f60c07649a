/**
 * Counters of one direction's TCP reassembly (`TcpStreamReassembler.stats`). Bytes are payload
 * bytes; the object is owned and updated by the reassembler, read by the flow/report.
 */
export interface TcpReassemblyStats {
  /** Bytes delivered through `onData`. */
  delivered: number;
  /** Bytes delivered as gaps (`onGap`) of every cause: acknowledged, cut by the snap length, skipped on a cap. A flow's `missedBytes` is this minus `truncated`. */
  missed: number;
  /** Of `missed`, bytes cut by the snap length (gaps with cause `'snaplen'`). */
  truncated: number;
  /** Overlap events (ranges already held or delivered that arrived again). */
  overlaps: number;
  /** Overlap events whose bytes differed from the first copy (`overlap_inconsistent`). */
  inconsistentOverlaps: number;
  /** Bytes of overlaps with delivered data older than the history ring: not compared. */
  unverifiedOverlapBytes: number;
  /** Segments carrying at least one byte (or SYN/FIN) already held or delivered. */
  retransmittedSegments: number;
  /** Largest number of out-of-order bytes held at once. */
  bufferedPeak: number;
  /** Times a cap (bytes or segments held) forced a skip forward (`limit_reached`). */
  limitHits: number;
  /** Segments or ACKs ignored for lying more than `maxJump` ahead of the next expected byte. */
  outOfWindow: number;
  /** Payload bytes before the origin of a stream picked up mid-connection: not part of the stream. */
  preOriginBytes: number;
  /** Segments seen after the stream ended (after FIN reached, RST or close). */
  afterEnd: number;
  /** Payload bytes sent beyond the FIN's sequence number (ignored). */
  afterFinBytes: number;
}

export function newTcpReassemblyStats(): TcpReassemblyStats {
  return {
    delivered: 0,
    missed: 0,
    truncated: 0,
    overlaps: 0,
    inconsistentOverlaps: 0,
    unverifiedOverlapBytes: 0,
    retransmittedSegments: 0,
    bufferedPeak: 0,
    limitHits: 0,
    outOfWindow: 0,
    preOriginBytes: 0,
    afterEnd: 0,
    afterFinBytes: 0,
  };
}
