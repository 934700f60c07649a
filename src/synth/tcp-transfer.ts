/**
 * Bulk transfer simulation for scripted connections: one side sends `n` bytes, the other ACKs.
 * A small discrete-event model (RFC 9293 / RFC 5681 / RFC 6298 flavoured, deliberately simple):
 * - the sender fills the peer's advertised window, `segmentSize` bytes per segment (may exceed
 *   the MSS: TSO super-segments), `gapNs` apart;
 * - the receiver ACKs every `ackEvery` in-order segments or after `delayedAckNs`, immediately on
 *   out-of-order data (duplicate ACK with SACK blocks of what it holds) and when a hole fills;
 * - 3 duplicate ACKs → fast retransmission, partial ACKs retransmit the next hole; otherwise the
 *   RTO (`rtoNs`, doubling) fires;
 * - a stalled receiver (`readStallNs`) fills up, advertises a zero window; the sender sends
 *   1-byte zero-window probes on the persist timer; when the application reads, the receiver
 *   sends a window update and the probe byte is re-sent (retransmission, reason 'probe').
 * Losses, reordering and duplicates are chosen per segment by its byte offset in this transfer.
 */
import { TCP_FLAG } from './packet.js';
import type { TcpConnection } from './tcp-conn.js';
import type { FrameKind } from './truth.js';

export interface TransferOptions {
  /** Bytes per segment (default the peer's MSS; larger = TSO super-segments). */
  segmentSize?: number;
  /** Spacing of back-to-back sends, ns (default 12_000). */
  gapNs?: number;
  /**
   * Segments to lose, by byte offset within this transfer (a segment starting there). where:
   * 'before' / 'after' the capture point, or 'ack' (data arrives, the receiver's ACKs for it are
   * lost → a spurious RTO retransmission). `times`: how many transmissions are lost (default 1).
   */
  lose?: ReadonlyArray<{ offset: number; where?: 'before' | 'after' | 'ack'; times?: number }>;
  /** Delay these segments' first transmission by `delayNs` in the network (reordering). */
  reorder?: ReadonlyArray<{ offset: number; delayNs: number }>;
  /** Offsets of segments the network duplicates. */
  duplicate?: readonly number[];
  /** ACK every n-th in-order segment (default 2). */
  ackEvery?: number;
  /** Delayed-ACK timer, ns (default 40 ms). */
  delayedAckNs?: number;
  /** The receiving application reads nothing until this long after the start (default 0). */
  readStallNs?: number;
  /** Initial retransmission timeout, ns (default 200 ms). */
  rtoNs?: number;
  /** Given payload bytes instead of `n` random ones. */
  data?: Uint8Array;
}

type Ev =
  | { t: number; n: number; k: 'data'; seq: number; len: number; noAck: boolean; probe: boolean }
  | { t: number; n: number; k: 'ack'; ack: number; win: number }
  | { t: number; n: number; k: 'rto' | 'persist' | 'delack' | 'read'; token: number };

/** Simulation of one transfer. */
class Transfer {
  readonly S: 0 | 1;
  readonly R: 0 | 1;
  readonly end: number;
  readonly seg: number;
  readonly base: number;
  una: number;
  snd: number;
  peerWnd: number;
  dup = 0;
  recover = -1;
  backoff = 0;
  pBackoff = 0;
  rtoToken = 0;
  persistArmed = false;
  delackToken = 0;
  pendingSegs = 0;
  lastSend: number;
  reading: boolean;
  probed = -1;
  lastAdvWin: number;
  tEnd: number;
  private readonly q: Ev[] = [];
  private nEv = 0;
  private readonly sent = new Map<number, number>();

  constructor(readonly c: TcpConnection, from: 0 | 1, n: number, readonly o: TransferOptions) {
    this.S = from;
    this.R = (1 - from) as 0 | 1;
    const base = c.sides[from].nxt;
    this.base = base;
    c.appendStream(from, o.data ?? n);
    this.end = base + (o.data?.length ?? n);
    this.seg = o.segmentSize ?? c.mssFrom(from);
    this.una = this.snd = base;
    this.peerWnd = c.advertisedWindow(this.R);
    this.lastAdvWin = this.peerWnd;
    this.lastSend = c.now - this.gap;
    this.tEnd = c.now;
    this.reading = (o.readStallNs ?? 0) <= 0;
    if (!this.reading) this.push({ t: c.now + o.readStallNs!, n: 0, k: 'read', token: 0 });
  }

  get gap(): number { return this.o.gapNs ?? 12_000; }
  get rto(): number { return this.o.rtoNs ?? 200e6; }

  push(e: Ev): void {
    e.n = this.nEv++;
    let i = this.q.length;
    while (i > 0 && (this.q[i - 1]!.t > e.t || (this.q[i - 1]!.t === e.t && this.q[i - 1]!.n > e.n))) i--;
    this.q.splice(i, 0, e);
  }

  run(): void {
    this.trySend(this.c.now);
    for (let guard = 0; guard < 1_000_000; guard++) {
      const e = this.q.shift();
      if (e === undefined) break;
      this.tEnd = Math.max(this.tEnd, e.t);
      this.handle(e);
    }
    const c = this.c;
    c.sides[this.S].nxt = this.end;
    c.now = this.tEnd;
  }

  handle(e: Ev): void {
    switch (e.k) {
      case 'data': return this.onData(e.t, e.seq, e.len, e.noAck, e.probe);
      case 'ack': return this.onAck(e.t, e.ack, e.win);
      case 'rto': return this.onRto(e.t, e.token);
      case 'persist': return this.onPersist(e.t);
      // Delayed ACK timer: ACK what is pending unless a later ACK already did.
      case 'delack': if (e.token === this.delackToken && this.pendingSegs > 0) this.sendAck(e.t, 'ack', false); return;
      case 'read': return this.onRead(e.t);
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  /** Send (or re-send) [seq, seq+len) at time t. */
  sendSeg(t: number, seq: number, len: number, kind: FrameKind, reason?: 'rto' | 'fast' | 'probe', probe = false): void {
    const c = this.c;
    const count = this.sent.get(seq) ?? 0;
    this.sent.set(seq, count + 1);
    const off = seq - this.base;
    const rule = this.o.lose?.find((l) => l.offset === off && count < (l.times ?? 1));
    const where = rule?.where ?? (rule ? 'before' : undefined);
    const reo = count === 0 ? this.o.reorder?.find((r) => r.offset === off) : undefined;
    const R = c.sides[this.R];
    const had = R.rcvNxt >= seq + len || R.holdings.some(([a, b]) => a <= seq && b >= seq + len);
    const payload = c.streamAt(this.S, seq, len);
    const flags = TCP_FLAG.ACK | (seq + len === this.end ? TCP_FLAG.PSH : 0);
    const seg = {
      from: this.S, tSend: t, relSeq: seq, flags, payload, kind,
      ...(reason ? { reason: kind === 'retransmission' && had && reason !== 'probe' ? 'spurious' as const : reason, trigger: reason } : {}),
      ...(where === 'before' || where === 'after' ? { lost: where } : {}),
      ...(reo ? { extraDelayNs: reo.delayNs } : {}),
    };
    const arr = c.emit(seg);
    if (arr !== null) this.push({ t: arr, n: 0, k: 'data', seq, len, noAck: where === 'ack', probe });
    if (count === 0 && this.o.duplicate?.includes(off) === true) {
      const arr2 = c.emit({ ...seg, tSend: t + 1000, kind: 'dup' });
      if (arr2 !== null) this.push({ t: arr2, n: 0, k: 'data', seq, len, noAck: false, probe });
    }
    this.lastSend = t;
    if (!probe && this.rtoToken <= 0) this.armRto(t);
  }

  armRto(t: number): void {
    this.rtoToken = Math.abs(this.rtoToken) + 1;
    this.push({ t: t + this.rto * 2 ** this.backoff, n: 0, k: 'rto', token: this.rtoToken });
  }

  trySend(t: number): void {
    while (this.snd < this.end && this.snd < this.una + this.peerWnd) {
      const len = Math.min(this.seg, this.end - this.snd, this.una + this.peerWnd - this.snd);
      const tt = Math.max(t, this.lastSend + this.gap);
      const reprobe = this.snd === this.probed;
      this.sendSeg(tt, this.snd, len, reprobe ? 'retransmission' : 'data', reprobe ? 'probe' : undefined);
      this.snd += len;
    }
    if (this.snd < this.end && this.una === this.snd && this.peerWnd === 0 && !this.persistArmed) {
      this.persistArmed = true;
      this.push({ t: t + this.rto * 2 ** this.pBackoff, n: 0, k: 'persist', token: 0 });
    }
  }

  onPersist(t: number): void {
    this.persistArmed = false;
    if (!(this.snd < this.end && this.una === this.snd && this.peerWnd === 0)) return;
    this.probed = this.snd;
    this.sendSeg(Math.max(t, this.lastSend + this.gap), this.snd, 1, 'zero-window-probe', undefined, true);
    this.pBackoff++;
    this.persistArmed = true;
    this.push({ t: t + this.rto * 2 ** this.pBackoff, n: 0, k: 'persist', token: 0 });
  }

  onRto(t: number, token: number): void {
    if (token !== this.rtoToken || this.una >= this.snd) return;
    this.rtoToken = -this.rtoToken;
    this.backoff++;
    this.recover = this.snd;
    this.dup = 0;
    this.sendSeg(t, this.una, Math.min(this.seg, this.snd - this.una), 'retransmission', 'rto');
  }

  onAck(t: number, ack: number, win: number): void {
    if (ack > this.una) {
      this.una = ack;
      this.dup = 0;
      this.backoff = 0;
      this.pBackoff = 0;
      this.rtoToken = -Math.abs(this.rtoToken);
      if (this.una < this.snd) this.armRto(t);
      if (this.recover >= 0 && this.una < this.recover) {
        this.sendSeg(t, this.una, Math.min(this.seg, this.snd - this.una), 'retransmission', 'fast');
      } else this.recover = -1;
    } else if (ack === this.una && this.snd > this.una && win === this.peerWnd) {
      this.dup++;
      if (this.dup === 3 && this.recover < 0) {
        this.recover = this.snd;
        this.sendSeg(t, this.una, Math.min(this.seg, this.snd - this.una), 'retransmission', 'fast');
      }
    }
    this.peerWnd = win;
    this.trySend(t);
  }

  onData(t: number, seq: number, len: number, noAck: boolean, probe: boolean): void {
    const c = this.c;
    const R = c.sides[this.R];
    if (seq + len > R.rcvNxt + c.windowOf(this.R)) {
      return this.sendAck(t, probe ? 'zero-window-probe-ack' : 'ack', noAck);
    }
    if (seq + len <= R.rcvNxt) return this.sendAck(t, 'dup-ack', noAck);
    const hadHoles = R.holdings.length > 0;
    const inOrder = seq <= R.rcvNxt;
    c.receive(this.R, seq, seq + len);
    if (this.reading) R.unread = 0;
    if (!inOrder) return this.sendAck(t, 'dup-ack', noAck);
    this.pendingSegs++;
    if (hadHoles || this.pendingSegs >= (this.o.ackEvery ?? 2) || c.windowOf(this.R) < this.seg) {
      return this.sendAck(t, 'ack', noAck);
    }
    this.delackToken++;
    this.push({ t: t + (this.o.delayedAckNs ?? 40e6), n: 0, k: 'delack', token: this.delackToken });
  }

  onRead(t: number): void {
    const R = this.c.sides[this.R];
    this.reading = true;
    R.unread = 0;
    if (this.lastAdvWin < this.seg) this.sendAck(t, 'window-update', false);
  }

  /** The receiver ACKs at t (lost in the network when `lost`). */
  sendAck(t: number, kind: FrameKind, lost: boolean): void {
    const c = this.c;
    this.pendingSegs = 0;
    this.delackToken++;
    const R = c.sides[this.R];
    const win = c.advertisedWindow(this.R);
    const lostWhere = (this.R === 0) === (c.host.vantage === 'client') ? 'after' : 'before';
    const arr = c.emit({ from: this.R, tSend: t, relSeq: R.nxt, flags: TCP_FLAG.ACK, kind, ...(lost ? { lost: lostWhere } : {}) });
    this.lastAdvWin = win;
    if (arr !== null) this.push({ t: arr, n: 0, k: 'ack', ack: R.rcvNxt, win });
  }
}

/** Run a bulk transfer of `n` bytes (or `o.data`) from side `from`; advances `conn.now`. */
export function transfer(c: TcpConnection, from: 0 | 1, n: number, o: TransferOptions = {}): void {
  new Transfer(c, from, n, o).run();
}
