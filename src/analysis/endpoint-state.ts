/**
 * One endpoint of a TCP connection as an observer sees it: its RFC 9293 §3.3.2 state, inferred
 * from the packets on the wire, and each state change as a `Transition` (frame, time, cause).
 *
 * States: the RFC 9293 names plus UNKNOWN (a connection picked up mid-stream before this
 * endpoint has shown which state it is in). Two kinds of evidence move an endpoint:
 *
 * - **Sending** (`onSend`): a segment the endpoint sent proves its own state when the capture
 *   sees it: a SYN means SYN_SENT, a SYN/ACK SYN_RECEIVED (passive open, so the endpoint was
 *   LISTEN before: "LISTEN (inferred)"), a FIN FIN_WAIT_1 or LAST_ACK, an ACK-bearing non-SYN
 *   segment ESTABLISHED when the endpoint was still in a handshake state or UNKNOWN.
 * - **Receiving** (`deliver`): a segment from the peer changes this endpoint's state only when it
 *   arrives, and the capture point may lie before the arrival (or the segment may be lost
 *   behind it). The vantage-point rule implemented here:
 *     * SYN, SYN/ACK and FIN ("consuming" segments, they occupy a sequence number) wait in a
 *       per-endpoint queue until the endpoint itself shows it received them: one of its own
 *       segments acknowledges them (its ACK number covers the SYN/FIN). A retransmitted copy
 *       replaces a waiting earlier copy (the earlier one was evidently not acknowledged, so it
 *       most likely never arrived: that is what a retransmission says).
 *     * Pure ACKs and data (they prove nothing back: ACKs are not acknowledged) are applied as
 *       soon as nothing older from the same peer is waiting, i.e. when the capture sees them,
 *       otherwise right after the older items, in the order the peer sent them.
 *     * RST (once judged plausible by the tracker) is applied at once, flushing older items.
 *     * At the end of the capture (`flushAll`) everything still waiting is assumed delivered.
 *   A transition caused by receiving carries the frame and time of the received segment as the
 *   capture saw it, which may be earlier than the moment the endpoint really processed it.
 *
 * Owned by one `ConnectionTracker`; not shared. No clocks, no I/O: times come from packets.
 * The state names and records are in tcp-state.ts, the receipt queue's items and their pool in
 * endpoint-receipts.ts (re-exported here), what an applied receipt does to each state in
 * endpoint-receive.ts.
 */
import type { TransitionLog } from './transition-log.js';
import { seqAdd, seqGt, seqLe, seqLt } from '../core/seq.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import { TCP_STATE, type Role, type SegFacts, type TcpState } from './tcp-state.js';
import { MAX_WAITING, releaseReceipt, takeReceipt, type Receipt, type ReceiptKind } from './endpoint-receipts.js';
import { receiveAck, receiveFin, receiveRst, receiveSyn, receiveSynAck } from './endpoint-receive.js';

export { TCP_STATE, type Role, type SegFacts, type TcpState, type Transition } from './tcp-state.js';
export type { ReceiptKind } from './endpoint-receipts.js';

const S = TCP_STATE;

/** The receipt of an ACK applied at once (filled and applied in one call, by any endpoint; kept here, on the per-packet path). */
const ACK_SCRATCH: Receipt = { kind: 'ack', end: 0, ack: -1, frame: 0, ts: 0 };

/**
 * Which sequence-space fields hold a value (bits of `EndpointMachine.known`). The values are
 * kept as signed 32-bit integers (`x | 0`, the same number modulo 2^32, which is all sequence
 * arithmetic looks at): a field holding an unsigned number of 2^31 or more would be a boxed
 * heap number, one more object (and cache miss) per endpoint on every packet.
 */
const HAS_ISN = 1;
const HAS_NEXT = 2;
const HAS_FIN = 4;
const HAS_LAST_ACK = 8;
const HAS_PEER_ACK = 16;

const { SYN, ACK, FIN } = TCP_FLAG;

/** State machine of one endpoint. */
export class EndpointMachine {
  // Fields in the order V8 lays them out: what every packet reads first, together.
  state: TcpState = S.UNKNOWN;
  /** HAS_* bits: which of the int32 sequence fields below hold a value. */
  private known = 0;
  /** `waiting.length`, kept in a field so the common empty case touches no array. */
  private nWaiting = 0;
  private next32 = 0;
  private lastAck32 = 0;
  private peerAck32 = 0;
  /** Last raw window it advertised, or -1. */
  window = -1;
  private fin32 = 0;
  private isn32 = 0;
  /** Came to SYN_RECEIVED from LISTEN (a RST then returns it to LISTEN, RFC 9293 §3.10.7.4). */
  passiveOpen = false;
  /** It has been ESTABLISHED (or later) at some point. */
  synchronized = false;
  private readonly waiting: Receipt[] = [];
  /** Declared here, not as constructor parameter properties (those would be laid out first, ahead of the per-packet fields). */
  readonly role: Role;
  private readonly log: TransitionLog;

  constructor(role: Role, log: TransitionLog) {
    this.role = role;
    this.log = log;
  }

  /** ISN from its SYN, or -1. */
  get isn(): number {
    return (this.known & HAS_ISN) !== 0 ? this.isn32 >>> 0 : -1;
  }

  /** Highest sequence number it has sent + 1 (SYN/FIN counted), or -1 before any segment. */
  get nextSeq(): number {
    return (this.known & HAS_NEXT) !== 0 ? this.next32 >>> 0 : -1;
  }

  /** Sequence number its FIN occupies, or -1. */
  get finSeq(): number {
    return (this.known & HAS_FIN) !== 0 ? this.fin32 >>> 0 : -1;
  }

  /** Highest ACK number it sent, or -1. */
  get lastAck(): number {
    return (this.known & HAS_LAST_ACK) !== 0 ? this.lastAck32 >>> 0 : -1;
  }

  /** Highest ACK number from the peer applied to this endpoint so far, or -1. */
  get peerAck(): number {
    return (this.known & HAS_PEER_ACK) !== 0 ? this.peerAck32 >>> 0 : -1;
  }

  /** True once it was seen sending (`nextSeq >= 0`, without building the number). */
  get sentAny(): boolean {
    return (this.known & HAS_NEXT) !== 0;
  }

  /** True once it sent a FIN (`finSeq >= 0`, without building the number). */
  get finSent(): boolean {
    return (this.known & HAS_FIN) !== 0;
  }

  /** True when payload starting at raw `seq` begins below its next sequence number (a resend, as far as the history letter T is concerned). */
  sendsBelowNext(seq: number): boolean {
    return (this.known & HAS_NEXT) !== 0 && seqLt(seq, this.next32);
  }

  /** Change state and record why. `impliedFrom` names the state UNKNOWN must have been. */
  set(to: TcpState, at: { frame: number; ts: number }, cause: string, impliedFrom?: TcpState): void {
    const from = this.state === S.UNKNOWN && impliedFrom !== undefined ? impliedFrom : this.state;
    if (from === to && this.state !== S.UNKNOWN) return;
    this.state = to;
    if (to !== S.UNKNOWN && to !== S.CLOSED && to !== S.LISTEN && to !== S.SYN_SENT && to !== S.SYN_RECEIVED) this.synchronized = true;
    this.log.add(this.role, from, to, at.frame, at.ts, cause);
  }

  /** True when `ack` acknowledges this endpoint's FIN. */
  finAckedBy(ack: number): boolean {
    return (this.known & HAS_FIN) !== 0 && ack >= 0 && seqLe(seqAdd(this.fin32, 1), ack);
  }

  /** True when `ack` acknowledges this endpoint's SYN. */
  synAckedBy(ack: number): boolean {
    return (this.known & HAS_ISN) !== 0 && ack >= 0 && seqLe(seqAdd(this.isn32, 1), ack);
  }

  // ---------------------------------------------------------------- sending (own evidence)

  /**
   * This endpoint sent `seg` (not a RST: see `sendRst`). First its ACK number proves which
   * waiting receipts it has processed, then the segment moves its own state.
   */
  onSend(seg: SegFacts, peer: EndpointMachine): void {
    const f = seg.flags;
    if ((f & ACK) !== 0) this.resolve(seg.ack, peer);
    if ((f & SYN) !== 0) {
      if ((f & ACK) !== 0) this.sendSynAck(seg);
      else this.sendSyn(seg);
    } else if ((f & FIN) !== 0) this.sendFin(seg, peer);
    else if ((f & ACK) !== 0) this.sendAck(seg, peer);
    this.noteSent(seg);
  }

  /** Active open (RFC 9293 §3.10.1): CLOSED → SYN_SENT. A copy with the same ISN changes nothing. */
  private sendSyn(seg: SegFacts): void {
    if (this.isn === seg.seq && this.state !== S.UNKNOWN) return; // SYN retransmission
    const st = this.state;
    if (st === S.UNKNOWN || st === S.CLOSED || st === S.LISTEN || st === S.TIME_WAIT) {
      this.set(S.SYN_SENT, seg, (this.known & HAS_ISN) === 0 ? 'active open: SYN sent' : 'new SYN (new ISN)', S.CLOSED);
    }
    this.setIsn(seg.seq);
  }

  /** Passive open (LISTEN → SYN_RECEIVED) or simultaneous open (SYN_SENT → SYN_RECEIVED). */
  private sendSynAck(seg: SegFacts): void {
    const st = this.state;
    if (st === S.UNKNOWN || st === S.LISTEN || st === S.CLOSED) {
      this.passiveOpen = true;
      this.set(S.SYN_RECEIVED, seg, 'passive open: SYN/ACK answers the SYN', S.LISTEN);
    } else if (st === S.SYN_SENT) {
      this.set(S.SYN_RECEIVED, seg, 'simultaneous open: SYN/ACK after own SYN');
    }
    this.setIsn(seg.seq);
  }

  private setIsn(seq: number): void {
    this.isn32 = seq | 0;
    this.known |= HAS_ISN;
  }

  /** Close (RFC 9293 §3.10.4): ESTABLISHED → FIN_WAIT_1, CLOSE_WAIT → LAST_ACK. */
  private sendFin(seg: SegFacts, peer: EndpointMachine): void {
    switch (this.state) {
      case S.UNKNOWN: // mid-stream: a FIN that acknowledges the peer's FIN is a passive close
        if (peer.finAckedBy((seg.flags & ACK) !== 0 ? seg.ack : -1)) this.set(S.LAST_ACK, seg, 'midstream: FIN after the peer FIN', S.CLOSE_WAIT);
        else this.set(S.FIN_WAIT_1, seg, 'midstream: FIN sent', S.ESTABLISHED);
        return;
      case S.SYN_SENT: // Zeek SH: FIN before any SYN/ACK
      case S.SYN_RECEIVED: // RFC 9293: close in SYN-RECEIVED sends FIN
      case S.ESTABLISHED:
        this.set(S.FIN_WAIT_1, seg, 'active close: FIN sent');
        return;
      case S.CLOSE_WAIT:
        this.set(S.LAST_ACK, seg, 'passive close: FIN sent after the peer FIN');
        return;
      default: // FIN retransmission, or a FIN from a closed endpoint: no change
        return;
    }
  }

  /** An ACK-bearing segment without SYN/FIN/RST: proves synchronization. */
  private sendAck(seg: SegFacts, peer: EndpointMachine): void {
    switch (this.state) {
      case S.UNKNOWN:
        if (peer.finAckedBy(seg.ack)) this.set(S.CLOSE_WAIT, seg, 'midstream: acknowledges the peer FIN');
        else this.set(S.ESTABLISHED, seg, 'midstream: ACK-bearing segment');
        return;
      case S.SYN_SENT: // the SYN/ACK was not captured, but its ACK was
        if ((peer.known & HAS_ISN) === 0 || peer.synAckedBy(seg.ack)) this.set(S.ESTABLISHED, seg, 'handshake ACK sent (SYN/ACK not seen)');
        return;
      case S.SYN_RECEIVED: // only an ESTABLISHED endpoint sends non-SYN segments
        this.set(S.ESTABLISHED, seg, 'sends a non-SYN segment: handshake completed');
        return;
      default:
        return;
    }
  }

  /** Abort (RFC 9293 §3.10.5, ABORT call): any state → CLOSED. */
  sendRst(seg: SegFacts): void {
    if (this.state !== S.CLOSED) this.set(S.CLOSED, seg, 'RST sent (abort)');
    this.noteSent(seg);
  }

  /** Update what it has sent. */
  private noteSent(seg: SegFacts): void {
    const f = seg.flags;
    const end = (seg.seq + seg.len + ((f & SYN) !== 0 ? 1 : 0) + ((f & FIN) !== 0 ? 1 : 0)) | 0;
    let known = this.known;
    if ((known & HAS_NEXT) === 0 || seqGt(end, this.next32)) this.next32 = end;
    if ((f & FIN) !== 0) {
      const fs = (seg.seq + seg.len) | 0;
      if ((known & HAS_FIN) === 0 || seqGt(fs, this.fin32)) this.fin32 = fs;
      known |= HAS_FIN;
    }
    if ((f & ACK) !== 0) {
      if ((known & HAS_LAST_ACK) === 0 || seqGt(seg.ack, this.lastAck32)) this.lastAck32 = seg.ack | 0;
      known |= HAS_LAST_ACK;
    }
    this.known = known | HAS_NEXT;
    if ((f & SYN) === 0) this.window = seg.window;
  }

  // ---------------------------------------------------------------- receiving (vantage rule)

  /** `seg` from the peer was seen on its way here: queue or apply it (see the module doc). */
  deliver(seg: SegFacts, peer: EndpointMachine): void {
    const f = seg.flags;
    const kind: ReceiptKind = (f & SYN) !== 0 ? ((f & ACK) !== 0 ? 'synack' : 'syn') : (f & FIN) !== 0 ? 'fin' : 'ack';
    if (kind === 'ack' && (f & ACK) === 0) return; // no control, no ACK: nothing to apply
    if (kind === 'ack' && this.nWaiting === 0) { // the common case: apply now, no allocation
      const st = this.state; // only these states move on an ACK (see receiveAck)
      if (st !== S.SYN_RECEIVED && st !== S.FIN_WAIT_1 && st !== S.CLOSING && st !== S.LAST_ACK) {
        this.notePeerAck(seg.ack);
        return;
      }
      const s = ACK_SCRATCH;
      s.ack = seg.ack;
      s.frame = seg.frame;
      s.ts = seg.ts;
      this.apply(s, peer);
      return;
    }
    const r = takeReceipt(kind, seqAdd(seg.seq, seg.len + (kind === 'ack' ? 0 : 1)), (f & ACK) !== 0 ? seg.ack : -1, seg.frame, seg.ts);
    if (kind !== 'ack') {
      // a retransmitted copy replaces the waiting one (see module doc)
      for (let i = 0; i < this.nWaiting; i++) {
        const w = this.waiting[i]!;
        if (w.kind === kind && w.end === r.end) {
          this.waiting.splice(i, 1); // nWaiting is reset by the push below
          releaseReceipt(w);
          break;
        }
      }
    }
    this.nWaiting = this.waiting.push(r);
    if (this.nWaiting > MAX_WAITING) this.applyUpTo(0, peer);
    this.applyHeadAcks(peer);
  }

  /** A plausible RST from the peer: everything older is applied, then the RST. */
  deliverRst(seg: SegFacts, peer: EndpointMachine): void {
    this.flushAll(peer);
    receiveRst(this, seg);
  }

  /** End of capture or flow: everything still waiting is assumed delivered, in order. */
  flushAll(peer: EndpointMachine): void {
    while (this.nWaiting > 0) this.applyUpTo(0, peer);
  }

  /** Own ACK number `ack` proves receipt of every waiting SYN/FIN it covers (and all before). */
  private resolve(ack: number, peer: EndpointMachine): void {
    if (this.nWaiting === 0) return;
    let last = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const w = this.waiting[i]!;
      if (w.kind !== 'ack' && seqLe(w.end, ack)) last = i;
    }
    if (last >= 0) this.applyUpTo(last, peer);
    this.applyHeadAcks(peer);
  }

  /** Apply waiting items [0 .. i] in order (applying never touches the queue). */
  private applyUpTo(i: number, peer: EndpointMachine): void {
    const w = this.waiting;
    for (let k = 0; k <= i; k++) {
      const r = w[k]!;
      this.apply(r, peer);
      releaseReceipt(r);
    }
    this.dropHead(i + 1);
  }

  /** Apply the leading run of non-consuming items (ACKs, data). */
  private applyHeadAcks(peer: EndpointMachine): void {
    const w = this.waiting;
    let k = 0;
    while (k < this.nWaiting && w[k]!.kind === 'ack') {
      const r = w[k++]!;
      this.apply(r, peer);
      releaseReceipt(r);
    }
    if (k > 0) this.dropHead(k);
  }

  /** Remove the first `n` waiting items (already applied and released). */
  private dropHead(n: number): void {
    const w = this.waiting;
    const len = this.nWaiting;
    for (let k = n; k < len; k++) w[k - n] = w[k]!;
    w.length = len - n;
    this.nWaiting = len - n;
  }

  private apply(r: Receipt, peer: EndpointMachine): void {
    switch (r.kind) {
      case 'syn': receiveSyn(this, r); break;
      case 'synack': receiveSynAck(this, r); break;
      case 'fin': receiveFin(this, r); break;
      case 'ack': receiveAck(this, r); break;
      case 'rst': receiveRst(this, r); break;
      default: { const never: never = r.kind; throw new Error(`receipt ${String(never)}`); }
    }
    if (r.ack >= 0) this.notePeerAck(r.ack);
  }

  /** The highest ACK number (raw, unsigned) from the peer applied so far. */
  private notePeerAck(ack: number): void {
    if ((this.known & HAS_PEER_ACK) === 0 || seqGt(ack, this.peerAck32)) this.peerAck32 = ack | 0;
    this.known |= HAS_PEER_ACK;
  }
}
