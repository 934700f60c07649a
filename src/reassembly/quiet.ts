/**
 * Values of `DirectionReassembler.quietState` (flow/analyzers.ts): where a direction's
 * reassembler would do nothing, so the flow may skip the call (and the cold object) for a pure ACK.
 */
/** Calls may change something. */
export const QUIET_NONE = 0;
/** An empty segment without SYN/FIN/RST at `quietSeq()`, and `acked(quietSeq())`, change nothing. */
export const QUIET_AT = 1;
/** Such a segment or any ACK changes nothing (the stream ended). */
export const QUIET_ANY = 2;
