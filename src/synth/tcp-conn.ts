/**
 * One scripted TCP connection inside a `SynthCapture`: per-side state (ISN, next sequence,
 * what it received, unread bytes, options) and `emit()`, which turns a segment into frame bytes
 * with the right options, window, checksums, IP id, fragmentation and capture/arrival times,
 * and records its truth. High-level operations live in `tcp-ops.ts` and `tcp-transfer.ts`.
 *
 * Time model: times are integer ns since capture start. The capture point sits at the
 * `vantage` side: a frame that side sends is captured when sent; a frame the other side sends is
 * captured on arrival, one one-way delay (`owdNs`) later. Arrival at the peer is send + owd.
 */
import { fragmentDatagram } from './ip-fragment.js';
import type { FragmentPiece } from './ip-fragment.js';
import { buildIpPacket, buildTcp, frameFromIp, IP_PROTO, TCP_FLAG } from './packet.js';
import type { IpSpec, LinkSpec, TcpOption } from './packet.js';
import type { Rng } from './rng.js';
import type { FrameKind, RetransmitReason, TruthFrame } from './truth.js';

/** Options of one endpoint. */
export interface EndpointOptions {
  ip: string;
  port: number;
  /** Initial sequence number (default random; pick near 2^32 to test wrapping). */
  isn: number;
  /** MSS announced in the SYN (bytes, default 1460). */
  mss: number;
  /** Window scale shift announced, or null to not offer the option (default 7). */
  wscale: number | null;
  /** Offer SACK-permitted (default true). */
  sack: boolean;
  /** Use RFC 7323 timestamps (default true). */
  timestamps: boolean;
  /** TFO cookie in the SYN (omit for none). */
  tfoCookie?: Uint8Array;
  /** Receive buffer in bytes: the window it advertises when nothing is unread (default 262144). */
  rcvBuf: number;
}

/** What the host capture gives a connection. */
export interface ScriptHost {
  readonly rng: Rng;
  readonly link: LinkSpec;
  readonly vantage: 'client' | 'server';
  readonly owdNs: number;
  addFrame(tNs: number, frames: Uint8Array[], truth: TruthFrame): void;
}

/** One side's state. Relative sequence numbers are offsets from the ISN, never wrapped. */
export interface Side {
  opts: EndpointOptions;
  /** Next relative sequence number to send (SYN = 0, first data byte = 1). */
  nxt: number;
  /** Next relative sequence number expected from the peer. */
  rcvNxt: number;
  /** Out-of-order data held, as [start, end) relative to the peer's ISN, sorted. */
  holdings: [number, number][];
  /** Received in-order bytes the application has not read (they shrink the window). */
  unread: number;
  /** TSval clock offset. */
  tsBase: number;
  /** Last TSval received from the peer (echoed as TSecr). */
  lastTsSeen: number;
  /** Application bytes sent, in stream order (`bytes[0 .. len)`). */
  stream: Uint8Array;
  streamLen: number;
  ipId: number;
  finSent: boolean;
}

/** A segment to emit. */
export interface SegOut {
  from: 0 | 1;
  /** Send time, ns. */
  tSend: number;
  relSeq: number;
  flags: number;
  payload?: Uint8Array;
  kind: FrameKind;
  reason?: RetransmitReason;
  trigger?: 'rto' | 'fast' | 'probe';
  /** Dropped before / after the capture point (never arrives either way). */
  lost?: 'before' | 'after';
  /** Extra network delay (reordering), ns. */
  extraDelayNs?: number;
  /** Advertised window in bytes (default: rcvBuf - unread). */
  windowBytes?: number;
  /** Relative ack to send (default the side's rcvNxt). */
  relAck?: number;
  /** Replace the computed options. */
  options?: TcpOption[];
  note?: string;
}

export class TcpConnection {
  readonly sides: [Side, Side];
  ipVersion: 4 | 6 = 4;
  /** Current script time, ns since capture start. */
  now = 0;
  midstream = false;
  ended: 'open' | 'fin' | 'rst' = 'open';
  firstClose: 'client' | 'server' | 'both' | null = null;
  /** Fragment IP datagrams larger than this many bytes (0 = never). */
  fragmentSize = 0;
  /** Write IPv4 total length 0 on segments larger than the MSS (TSO / BIG TCP capture). */
  tsoZeroLength = false;

  constructor(readonly id: number, readonly host: ScriptHost, client: EndpointOptions, server: EndpointOptions) {
    this.sides = [newSide(client, host.rng), newSide(server, host.rng)];
  }

  get client(): Side { return this.sides[0]; }
  get server(): Side { return this.sides[1]; }

  /** True when both sides offered window scaling (so it is in effect). */
  get wsOn(): boolean { return this.sides[0].opts.wscale !== null && this.sides[1].opts.wscale !== null; }
  get sackOn(): boolean { return this.sides[0].opts.sack && this.sides[1].opts.sack; }
  get tsOn(): boolean { return this.sides[0].opts.timestamps && this.sides[1].opts.timestamps; }
  /** Effective MSS for data `from` a side: the peer's announced MSS. */
  mssFrom(from: 0 | 1): number { return this.sides[1 - from]!.opts.mss; }

  /** Capture-time offset for frames sent by `from`. */
  captureDelay(from: 0 | 1): number {
    return (from === 0) === (this.host.vantage === 'client') ? 0 : this.host.owdNs;
  }

  /** Window `from` would advertise now, in bytes. */
  windowOf(from: 0 | 1): number {
    const s = this.sides[from];
    return Math.max(0, s.opts.rcvBuf - s.unread);
  }

  /** The window `from` advertises in a non-SYN segment, in bytes, after scaling/rounding. */
  advertisedWindow(from: 0 | 1): number {
    const shift = this.wsOn ? this.sides[from].opts.wscale ?? 0 : 0;
    return Math.min(65535, Math.floor(this.windowOf(from) / 2 ** shift)) * 2 ** shift;
  }

  /** Append application bytes to `from`'s stream (random when a length is given); returns them. */
  appendStream(from: 0 | 1, data: number | Uint8Array): Uint8Array {
    const bytes = typeof data === 'number' ? this.host.rng.bytes(data) : data;
    const s = this.sides[from];
    if (s.streamLen + bytes.length > s.stream.length) {
      const grown = new Uint8Array(Math.max(s.stream.length * 2, s.streamLen + bytes.length));
      grown.set(s.stream.subarray(0, s.streamLen));
      s.stream = grown;
    }
    s.stream.set(bytes, s.streamLen);
    s.streamLen += bytes.length;
    return bytes;
  }

  /** Stream bytes at relative sequence `relSeq` (first data byte = 1). */
  streamAt(from: 0 | 1, relSeq: number, len: number): Uint8Array {
    const off = relSeq - 1;
    return this.sides[from].stream.slice(off, off + len);
  }

  /** Options for a segment. */
  private optionsFor(seg: SegOut, tsval: number): TcpOption[] {
    const me = this.sides[seg.from];
    const out: TcpOption[] = [];
    if (seg.flags & TCP_FLAG.SYN) {
      out.push({ kind: 'mss', value: me.opts.mss });
      if (me.opts.sack) out.push({ kind: 'sack-permitted' });
      if (me.opts.timestamps) out.push({ kind: 'ts', val: tsval, ecr: seg.flags & TCP_FLAG.ACK ? me.lastTsSeen : 0 });
      if (me.opts.wscale !== null) out.push({ kind: 'nop' }, { kind: 'ws', shift: me.opts.wscale });
      if (me.opts.tfoCookie !== undefined) out.push({ kind: 'tfo', cookie: me.opts.tfoCookie });
      return out;
    }
    if (this.tsOn && !(seg.flags & TCP_FLAG.RST)) out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: tsval, ecr: me.lastTsSeen });
    if (this.sackOn && seg.flags & TCP_FLAG.ACK && me.holdings.length > 0) {
      const peerIsn = this.sides[1 - seg.from]!.opts.isn;
      const blocks = [...me.holdings].reverse().slice(0, this.tsOn ? 3 : 4);
      out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: blocks.map(([a, b]) => [(peerIsn + a) >>> 0, (peerIsn + b) >>> 0] as const) });
    }
    return out;
  }

  /**
   * Emit one segment: build its frame(s), record truth, and return its arrival time at the peer
   * (null when lost).
   */
  emit(seg: SegOut): number | null {
    const me = this.sides[seg.from];
    const peer = this.sides[1 - seg.from]!;
    const tsval = (me.tsBase + Math.floor(seg.tSend / 1e6)) >>> 0;
    const relAck = seg.flags & TCP_FLAG.ACK ? seg.relAck ?? me.rcvNxt : 0;
    const winBytes = seg.windowBytes ?? this.windowOf(seg.from);
    const shift = seg.flags & TCP_FLAG.SYN || !this.wsOn ? 0 : me.opts.wscale ?? 0;
    const winField = Math.min(65535, Math.floor(winBytes / 2 ** shift));
    const payload = seg.payload ?? new Uint8Array(0);
    const tcpSpec = {
      srcPort: me.opts.port, dstPort: peer.opts.port, seq: (me.opts.isn + seg.relSeq) >>> 0,
      ack: seg.flags & TCP_FLAG.ACK ? (peer.opts.isn + relAck) >>> 0 : 0, flags: seg.flags, window: winField,
      options: seg.options ?? this.optionsFor(seg, tsval), payload,
    };
    const frames = this.frameBytes(seg.from, tcpSpec, payload.length);
    const extra = seg.extraDelayNs ?? 0;
    const capDelay = this.captureDelay(seg.from);
    const tCap = seg.tSend + capDelay + (capDelay > 0 ? extra : 0);
    const truth: TruthFrame = {
      frame: null, frames: [], conn: this.id, dir: seg.from === 0 ? 'c2s' : 's2c', tNs: tCap,
      seq: tcpSpec.seq, ack: tcpSpec.ack, relSeq: seg.relSeq, relAck, len: payload.length, flags: seg.flags,
      window: winField * 2 ** shift, kind: seg.kind,
    };
    if (seg.reason !== undefined) truth.reason = seg.reason;
    if (seg.trigger !== undefined) truth.trigger = seg.trigger;
    if (seg.lost !== undefined) truth.lost = seg.lost === 'before' ? 'before-capture' : 'after-capture';
    if (extra > 0) truth.reordered = true;
    if (seg.note !== undefined) truth.note = seg.note;
    this.host.addFrame(tCap, seg.lost === 'before' ? [] : frames, truth);
    if (seg.lost !== undefined) return null;
    if (me.opts.timestamps) peer.lastTsSeen = tsval;
    return seg.tSend + this.host.owdNs + extra;
  }

  /** IP packet(s) with link header for a TCP segment from `from`. */
  private frameBytes(from: 0 | 1, tcp: Parameters<typeof buildTcp>[1], payloadLen: number): Uint8Array[] {
    const me = this.sides[from];
    const peer = this.sides[1 - from]!;
    const frag = this.fragmentSize > 0;
    const ip: IpSpec = this.ipVersion === 4
      ? { version: 4, src: me.opts.ip, dst: peer.opts.ip, id: me.ipId, df: !frag, ttl: 64 }
      : { version: 6, src: me.opts.ip, dst: peer.opts.ip, hopLimit: 64 };
    me.ipId = (me.ipId + 1) & 0xffff;
    const l4 = buildTcp(ip, tcp);
    const hdr = this.ipVersion === 4 ? 20 : 40;
    if (frag && hdr + l4.length > this.fragmentSize) {
      const step = (this.fragmentSize - hdr - (this.ipVersion === 6 ? 8 : 0)) & ~7;
      const pieces: FragmentPiece[] = [];
      for (let o = 0; o < l4.length; o += step) pieces.push({ offset: o, length: Math.min(step, l4.length - o) });
      return fragmentDatagram(ip, IP_PROTO.TCP, l4, pieces, me.ipId).map((p) => frameFromIp(this.host.link, p));
    }
    const big = this.tsoZeroLength && this.ipVersion === 4 && payloadLen > this.mssFrom(from);
    const ipPkt = buildIpPacket(big ? { ...(ip as IpSpec & { version: 4 }), totalLength: 0 } : ip, IP_PROTO.TCP, l4);
    return [frameFromIp(this.host.link, ipPkt)];
  }

  /** Record that `to` received in-order or out-of-order data [start, end) (relative). */
  receive(to: 0 | 1, start: number, end: number): void {
    const s = this.sides[to];
    if (end <= s.rcvNxt) return;
    s.holdings.push([Math.max(start, s.rcvNxt), end]);
    s.holdings.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const h of s.holdings) {
      const last = merged[merged.length - 1];
      if (last !== undefined && h[0] <= last[1]) last[1] = Math.max(last[1], h[1]);
      else merged.push([h[0], h[1]]);
    }
    const first = merged[0];
    if (first !== undefined && first[0] <= s.rcvNxt) {
      s.unread += first[1] - s.rcvNxt;
      s.rcvNxt = first[1];
      merged.shift();
    }
    s.holdings = merged;
  }
}

function newSide(opts: EndpointOptions, rng: Rng): Side {
  return {
    opts, nxt: 0, rcvNxt: 0, holdings: [], unread: 0, tsBase: rng.u32(), lastTsSeen: 0,
    stream: new Uint8Array(1024), streamLen: 0, ipId: rng.int(65536), finSent: false,
  };
}
