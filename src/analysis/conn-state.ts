/**
 * Zeek's `conn_state` (conn.log) from a model of Zeek's own per-endpoint observer states
 * (inactive, SYN sent, SYN/ACK sent, partial, established, closed, reset: style guide item 10),
 * written from Zeek's published definitions:
 *
 * | code | meaning |
 * |---|---|
 * | S0 | SYN seen, no reply |
 * | S1 | established, not terminated |
 * | SF | normal establishment and termination (both FIN) |
 * | REJ | attempt rejected (RST answering the SYN) |
 * | S2 / S3 | established, FIN from the client / server only, no reply seen |
 * | RSTO / RSTR | established, the client / server sent RST |
 * | RSTOS0 | client SYN then client RST, no SYN/ACK |
 * | RSTRH | server SYN/ACK then server RST, no client SYN seen |
 * | SH / SHR | client SYN then FIN without SYN/ACK / server SYN/ACK then FIN without client SYN |
 * | OTH | none of these (e.g. mid-stream traffic) |
 *
 * These states follow only what each endpoint SENT (as Zeek does); they are independent of the
 * RFC 9293 inference in endpoint-state.ts. Owned by one tracker.
 */
import type { Direction } from '../core/direction.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';

const { SYN, ACK, FIN, RST } = TCP_FLAG;

/** Zeek's endpoint states (TCP_ENDPOINT_*). */
export type ZeekEndpointState = 'INACTIVE' | 'SYN_SENT' | 'SYN_ACK_SENT' | 'PARTIAL' | 'ESTABLISHED' | 'CLOSED' | 'RESET';

/** Zeek conn_state codes. */
export type ConnStateCode = 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/** Bits of `ZeekStates.onSegment`'s result: which packets of the direction change nothing now. */
export const ZEEK_QUIET = {
  /** Packets without SYN/FIN/RST and without payload (pure ACKs). */
  EMPTY: 1,
  /** Packets without SYN/FIN/RST, with or without payload. */
  ALL: 2,
} as const;

/**
 * Tracks both endpoints' Zeek states and whether each sent payload (plain fields). Once a
 * direction's state is one that data and ACKs no longer change (established, closed, reset,
 * partial), its empty packets without SYN/FIN/RST change nothing here; once it has also sent
 * payload, neither do its data packets. `onSegment` says which (ZEEK_QUIET bits), and the caller
 * may skip such packets (a direction that only ACKs, the client of a download, is then skipped
 * too: one cold object less per ACK).
 */
export class ZeekStates {
  /** Zeek state of the client / the server. */
  st0: ZeekEndpointState = 'INACTIVE';
  st1: ZeekEndpointState = 'INACTIVE';
  /** The client / the server sent payload. */
  payload0 = false;
  payload1 = false;

  /** One segment sent by `dir` (0 = client); ZEEK_QUIET bits of `dir` afterwards (see the class doc). */
  onSegment(dir: Direction, flags: number, len: number): number {
    this.step(dir, flags, len);
    const st = dir === 0 ? this.st0 : this.st1;
    if (st !== 'ESTABLISHED' && st !== 'CLOSED' && st !== 'RESET' && st !== 'PARTIAL') return 0;
    return (dir === 0 ? this.payload0 : this.payload1) ? ZEEK_QUIET.EMPTY | ZEEK_QUIET.ALL : ZEEK_QUIET.EMPTY;
  }

  private step(dir: Direction, flags: number, len: number): void {
    if (len > 0) {
      if (dir === 0) this.payload0 = true;
      else this.payload1 = true;
    }
    const cur = dir === 0 ? this.st0 : this.st1;
    if ((flags & (SYN | FIN | RST)) === 0 && cur === 'ESTABLISHED') return; // the common case
    if ((flags & RST) !== 0) {
      this.set(dir, 'RESET');
      return;
    }
    if (cur === 'RESET') return;
    if ((flags & FIN) !== 0) {
      this.set(dir, 'CLOSED');
      return;
    }
    if (cur === 'CLOSED') return;
    if ((flags & SYN) !== 0) {
      if (cur === 'INACTIVE' || cur === 'SYN_SENT') this.set(dir, (flags & ACK) !== 0 ? 'SYN_ACK_SENT' : 'SYN_SENT');
      return;
    }
    if ((flags & ACK) === 0 && len === 0) return;
    this.ackOrData(dir, (1 - dir) as Direction, cur);
  }

  private set(dir: Direction, st: ZeekEndpointState): void {
    if (dir === 0) this.st0 = st;
    else this.st1 = st;
  }

  /** ACK or data: the handshake completes once both sides have sent a SYN. */
  private ackOrData(me: Direction, peer: Direction, cur: ZeekEndpointState): void {
    const ps = peer === 0 ? this.st0 : this.st1;
    const peerSynced = ps === 'SYN_SENT' || ps === 'SYN_ACK_SENT' || ps === 'ESTABLISHED';
    if (cur === 'SYN_SENT' || cur === 'SYN_ACK_SENT') {
      if (!peerSynced) return; // no reply yet: stays (S0)
      this.set(me, 'ESTABLISHED');
      if (ps === 'SYN_SENT' || ps === 'SYN_ACK_SENT') this.set(peer, 'ESTABLISHED');
    } else if (cur === 'INACTIVE') this.set(me, 'PARTIAL');
  }

  /** Zeek's conn_state classification of the two endpoint states (orig = client). */
  connState(history: string): ConnStateCode {
    const os = this.st0;
    const rs = this.st1;
    const oInactive = os === 'INACTIVE' || os === 'PARTIAL';
    const rInactive = rs === 'INACTIVE' || rs === 'PARTIAL';
    if (rs === 'RESET') {
      if (os === 'SYN_SENT' || os === 'SYN_ACK_SENT' || (os === 'RESET' && !this.payload0 && !this.payload1)) return 'REJ';
      return oInactive ? 'RSTRH' : 'RSTR';
    }
    if (os === 'RESET') {
      if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
      return 'RSTO';
    }
    if (os === 'CLOSED' && rs === 'CLOSED') return 'SF';
    if (os === 'CLOSED') return rInactive ? 'SH' : 'S2';
    if (rs === 'CLOSED') return oInactive ? 'SHR' : 'S3';
    if (os === 'SYN_SENT' && rs === 'INACTIVE') return 'S0';
    if (os === 'ESTABLISHED' && rs === 'ESTABLISHED') return 'S1';
    return 'OTH';
  }
}
