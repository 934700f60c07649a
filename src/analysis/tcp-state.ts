/**
 * The vocabulary of the endpoint state machines (endpoint-state.ts owns the machines,
 * connection-tracker.ts drives them): the RFC 9293 state names, the endpoint roles, the
 * `Transition` record the report lists, and the `SegFacts` a segment is reduced to. Plain data.
 * Split out of endpoint-state.ts, which re-exports these names.
 */

/** RFC 9293 §3.3.2 state names (report labels), plus UNKNOWN for mid-stream pickups. */
export const TCP_STATE = {
  UNKNOWN: 'UNKNOWN',
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECEIVED',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT_1',
  FIN_WAIT_2: 'FIN_WAIT_2',
  CLOSING: 'CLOSING',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
} as const;

export type TcpState = (typeof TCP_STATE)[keyof typeof TCP_STATE];

/** Which endpoint. */
export type Role = 'client' | 'server';

/** One state change of one endpoint (plain JSON-safe data). `ts` is epoch seconds. */
export interface Transition {
  endpoint: Role;
  from: TcpState;
  to: TcpState;
  /** 1-based frame number of the packet that caused it (as captured). */
  frame: number;
  ts: number;
  cause: string;
}

/** The facts of one TCP segment the state machines need (a reused scratch object). */
export interface SegFacts {
  flags: number;
  seq: number;
  ack: number;
  /** Payload length on the wire. */
  len: number;
  /** Raw (unscaled) window field. */
  window: number;
  frame: number;
  ts: number;
}
