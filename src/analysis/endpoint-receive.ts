/**
 * What a segment received from the peer does to an endpoint's state (RFC 9293 §3.10.7, "segment
 * arrives"), one function per kind of receipt: SYN, SYN/ACK, FIN, the ACK of the endpoint's own
 * SYN or FIN, RST. endpoint-state.ts owns the machines and decides *when* a receipt applies (the
 * vantage-point rule: its queue of receipts waiting for evidence); these rules say only *what*
 * it changes, through the machine's `set` (which logs the transition). Plain functions: no
 * state of their own. Split out of endpoint-state.ts.
 */
import type { EndpointMachine } from './endpoint-state.js';
import type { Receipt } from './endpoint-receipts.js';
import { TCP_STATE as S } from './tcp-state.js';

/** Simultaneous open (RFC 9293 §3.5, figure 8): SYN_SENT + SYN → SYN_RECEIVED. */
export function receiveSyn(m: EndpointMachine, r: Receipt): void {
  if (m.state === S.SYN_SENT) m.set(S.SYN_RECEIVED, r, 'simultaneous open: peer SYN received');
}

/** SYN_SENT + acceptable SYN/ACK → ESTABLISHED (§3.10.7.3); simultaneous open completes too. */
export function receiveSynAck(m: EndpointMachine, r: Receipt): void {
  if ((m.state === S.SYN_SENT || m.state === S.SYN_RECEIVED) && m.synAckedBy(r.ack)) {
    m.set(S.ESTABLISHED, r, m.state === S.SYN_SENT ? 'SYN/ACK received' : 'simultaneous open: peer SYN/ACK received');
  }
}

/** FIN received (§3.10.7.4, eighth step). */
export function receiveFin(m: EndpointMachine, r: Receipt): void {
  switch (m.state) {
    case S.UNKNOWN: // only an endpoint seen sending exists for sure: a silent one stays UNKNOWN
      if (m.sentAny) m.set(S.CLOSE_WAIT, r, 'midstream: peer FIN received');
      return;
    case S.SYN_RECEIVED:
    case S.ESTABLISHED:
      m.set(S.CLOSE_WAIT, r, 'peer FIN received');
      return;
    case S.FIN_WAIT_1: // our FIN acknowledged (maybe by this segment) → TIME_WAIT, else simultaneous close
      if (m.finAckedBy(r.ack) || m.finAckedBy(m.peerAck)) m.set(S.TIME_WAIT, r, 'peer FIN acknowledging our FIN received');
      else m.set(S.CLOSING, r, 'simultaneous close: peer FIN received before the ACK of ours');
      return;
    case S.FIN_WAIT_2:
      m.set(S.TIME_WAIT, r, 'peer FIN received');
      return;
    default:
      return;
  }
}

/** ACK of our SYN or FIN received (§3.10.7.4, fifth step). */
export function receiveAck(m: EndpointMachine, r: Receipt): void {
  switch (m.state) {
    case S.SYN_RECEIVED:
      if (m.synAckedBy(r.ack)) m.set(S.ESTABLISHED, r, 'ACK of our SYN received');
      return;
    case S.FIN_WAIT_1:
      if (m.finAckedBy(r.ack)) m.set(S.FIN_WAIT_2, r, 'ACK of our FIN received');
      return;
    case S.CLOSING:
      if (m.finAckedBy(r.ack)) m.set(S.TIME_WAIT, r, 'ACK of our FIN received');
      return;
    case S.LAST_ACK:
      if (m.finAckedBy(r.ack)) m.set(S.CLOSED, r, 'ACK of our FIN received');
      return;
    default:
      return;
  }
}

/** RST received (§3.10.7.4 first step; RFC 5961 checked by the caller). */
export function receiveRst(m: EndpointMachine, at: { frame: number; ts: number }): void {
  switch (m.state) {
    case S.CLOSED:
    case S.LISTEN:
      return;
    case S.UNKNOWN: // never seen sending: nothing known to close
      if (m.sentAny) m.set(S.CLOSED, at, 'RST received');
      return;
    case S.SYN_RECEIVED: // passive open returns to LISTEN
      m.set(m.passiveOpen ? S.LISTEN : S.CLOSED, at, 'RST received');
      return;
    default:
      m.set(S.CLOSED, at, m.state === S.SYN_SENT ? 'RST received: connection refused' : 'RST received');
  }
}
