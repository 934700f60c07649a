/**
 * Scripted TCP operations that are not bulk transfer: handshake (normal, SYN retransmissions,
 * simultaneous open), midstream start, FIN/RST closes in any order, keep-alives, pure ACKs and
 * raw segments (for overlapping retransmissions with different bytes and other oddities).
 * Each advances `conn.now` to the time the operation finished at its last sender.
 */
import { TCP_FLAG } from './packet.js';
import type { TcpConnection } from './tcp-conn.js';
import type { FrameKind, RetransmitReason } from './truth.js';

const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;

export interface HandshakeOptions {
  /** Client SYNs lost (after the capture point when the client is the vantage) before one gets through; RTO 1 s doubling. */
  synRetransmissions?: number;
  /** Both sides send a SYN at the same time (RFC 9293 §3.5 simultaneous open). */
  simultaneous?: boolean;
}

/** Three-way handshake (or simultaneous open). */
export function handshake(c: TcpConnection, o: HandshakeOptions = {}): void {
  const owd = c.host.owdNs;
  if (o.simultaneous === true) {
    const t = c.now;
    c.emit({ from: 0, tSend: t, relSeq: 0, flags: SYN, kind: 'syn' });
    c.emit({ from: 1, tSend: t, relSeq: 0, flags: SYN, kind: 'syn' });
    c.client.rcvNxt = 1;
    c.server.rcvNxt = 1;
    c.emit({ from: 0, tSend: t + owd, relSeq: 0, flags: SYN | ACK, kind: 'syn-ack' });
    c.emit({ from: 1, tSend: t + owd, relSeq: 0, flags: SYN | ACK, kind: 'syn-ack' });
    c.client.nxt = c.server.nxt = 1;
    c.now = t + 2 * owd;
    return;
  }
  let t = c.now;
  const lostWhere = c.host.vantage === 'client' ? 'after' : 'before';
  const n = o.synRetransmissions ?? 0;
  for (let i = 0; i < n; i++) {
    c.emit({ from: 0, tSend: t, relSeq: 0, flags: SYN, kind: i === 0 ? 'syn' : 'retransmission', ...(i > 0 ? { reason: 'rto' as const } : {}), lost: lostWhere });
    t += 1e9 * 2 ** i;
  }
  const arr = c.emit({ from: 0, tSend: t, relSeq: 0, flags: SYN, kind: n === 0 ? 'syn' : 'retransmission', ...(n > 0 ? { reason: 'rto' as const } : {}) })!;
  c.client.nxt = 1;
  c.server.rcvNxt = 1;
  const arr2 = c.emit({ from: 1, tSend: arr, relSeq: 0, flags: SYN | ACK, kind: 'syn-ack' })!;
  c.server.nxt = 1;
  c.client.rcvNxt = 1;
  c.emit({ from: 0, tSend: arr2, relSeq: 1, flags: ACK, kind: 'ack' });
  c.now = arr2;
}

/** Start mid-connection: both sides established at seq 1 without any SYN in the capture. */
export function midstream(c: TcpConnection): void {
  c.midstream = true;
  c.client.nxt = c.client.rcvNxt = c.server.nxt = c.server.rcvNxt = 1;
}

/** A pure ACK from `from` at `conn.now` (kind default 'ack'). Returns its arrival time. */
export function ack(c: TcpConnection, from: 0 | 1, kind: FrameKind = 'ack', windowBytes?: number): number | null {
  return c.emit({ from, tSend: c.now, relSeq: c.sides[from].nxt, flags: ACK, kind, ...(windowBytes === undefined ? {} : { windowBytes }) });
}

/**
 * `from` sends FIN (with ACK); the peer ACKs on arrival. With `peerFin` the peer then closes too
 * (its FIN after `peerDelayNs`, default 0 → FIN+ACK together is not merged: ACK then FIN).
 */
export function fin(c: TcpConnection, from: 0 | 1, o: { peerFin?: boolean; peerDelayNs?: number } = {}): void {
  const me = c.sides[from];
  const to = (1 - from) as 0 | 1;
  const peer = c.sides[to];
  c.firstClose ??= from === 0 ? 'client' : 'server';
  c.ended = 'fin';
  const arr = c.emit({ from, tSend: c.now, relSeq: me.nxt, flags: FIN | ACK, kind: 'fin' });
  me.nxt += 1;
  me.finSent = true;
  if (arr === null) return;
  peer.rcvNxt = me.nxt;
  const back = c.emit({ from: to, tSend: arr, relSeq: peer.nxt, flags: ACK, kind: 'ack' });
  c.now = back ?? arr;
  if (o.peerFin === true) {
    c.now = arr + (o.peerDelayNs ?? 0);
    fin(c, to);
  }
}

/** Both sides send FIN at the same time; each ACKs the other's on arrival. */
export function simultaneousClose(c: TcpConnection): void {
  const t = c.now;
  const [a, b] = c.sides;
  c.firstClose = 'both';
  c.ended = 'fin';
  const arrA = c.emit({ from: 0, tSend: t, relSeq: a.nxt, flags: FIN | ACK, kind: 'fin' });
  const arrB = c.emit({ from: 1, tSend: t, relSeq: b.nxt, flags: FIN | ACK, kind: 'fin' });
  a.nxt += 1;
  b.nxt += 1;
  a.rcvNxt = b.nxt;
  b.rcvNxt = a.nxt;
  if (arrA !== null) c.emit({ from: 1, tSend: arrA, relSeq: b.nxt, flags: ACK, kind: 'ack' });
  if (arrB !== null) c.emit({ from: 0, tSend: arrB, relSeq: a.nxt, flags: ACK, kind: 'ack' });
  c.now = Math.max(arrA ?? t, arrB ?? t);
}

/** `from` aborts with RST (with ACK unless `withAck` is false). */
export function rst(c: TcpConnection, from: 0 | 1, withAck = true): void {
  c.firstClose ??= from === 0 ? 'client' : 'server';
  c.ended = 'rst';
  c.emit({ from, tSend: c.now, relSeq: c.sides[from].nxt, flags: RST | (withAck ? ACK : 0), kind: 'rst' });
}

/**
 * Keep-alive probes from `from` (seq = nxt - 1, no data or one garbage byte), each answered by a
 * peer ACK; `intervalNs` apart (default 1 s).
 */
export function keepAlive(c: TcpConnection, from: 0 | 1, o: { count?: number; intervalNs?: number; withByte?: boolean } = {}): void {
  const to = (1 - from) as 0 | 1;
  for (let i = 0; i < (o.count ?? 1); i++) {
    c.now += o.intervalNs ?? 1e9;
    const me = c.sides[from];
    const payload = o.withByte === true ? Uint8Array.of(0) : undefined;
    const arr = c.emit({ from, tSend: c.now, relSeq: me.nxt - 1, flags: ACK, kind: 'keep-alive', ...(payload ? { payload } : {}) });
    if (arr !== null) {
      const back = c.emit({ from: to, tSend: arr, relSeq: c.sides[to].nxt, flags: ACK, kind: 'keep-alive-ack' });
      c.now = back ?? arr;
    }
  }
}

/** A raw segment carrying stream bytes or given bytes, for hand-made oddities. */
export interface RawSegment {
  /** Relative sequence number (default the side's next). */
  relSeq?: number;
  /** Payload: given bytes (not added to the stream), or a length of new stream bytes (default 0). */
  payload?: Uint8Array | number;
  flags?: number;
  kind?: FrameKind;
  reason?: RetransmitReason;
  lost?: 'before' | 'after';
  extraDelayNs?: number;
  note?: string;
  /** Advance `now` by this before sending (default 0). */
  afterNs?: number;
}

/** Emit one raw segment from `from`; new stream bytes advance `nxt`. Returns arrival time or null. */
export function segment(c: TcpConnection, from: 0 | 1, r: RawSegment): number | null {
  c.now += r.afterNs ?? 0;
  const me = c.sides[from];
  const relSeq = r.relSeq ?? me.nxt;
  let payload: Uint8Array | undefined;
  if (typeof r.payload === 'number') {
    payload = c.appendStream(from, r.payload);
    me.nxt = Math.max(me.nxt, relSeq + payload.length);
  } else payload = r.payload;
  const seg = {
    from, tSend: c.now, relSeq, flags: r.flags ?? (ACK | (payload !== undefined && payload.length > 0 ? PSH : 0)),
    kind: r.kind ?? 'raw', ...(payload ? { payload } : {}),
    ...(r.reason ? { reason: r.reason } : {}), ...(r.lost ? { lost: r.lost } : {}),
    ...(r.extraDelayNs !== undefined ? { extraDelayNs: r.extraDelayNs } : {}), ...(r.note !== undefined ? { note: r.note } : {}),
  };
  const arr = c.emit(seg);
  if (arr !== null && payload !== undefined) c.receive((1 - from) as 0 | 1, relSeq, relSeq + payload.length);
  return arr;
}
