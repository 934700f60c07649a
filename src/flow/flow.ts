/**
 * One TCP flow (one connection, like a Wireshark `tcp.stream`): its endpoints and roles, packet
 * and time counters, the connection observer and the two direction reassemblers, and the
 * anomalies the flow layer itself raises. Owned by the flow table; `onPacket` is the per-packet
 * path and allocates nothing: anomalies are counted in a typed array indexed by catalog position
 * and an event object is built only while the flow lists fewer than `maxAnomalies`.
 *
 * Gaps: a range the reassembler reports with cause `'snaplen'` (captured, but the snap length cut
 * the bytes) is counted in `truncatedBytes` (report `truncatedBytes`) and raises nothing (the capture
 * counts `capture_truncated` per frame); every other gap is bytes missing from the capture:
 * `missedBytes` (report `missedBytes`), `capture_gap`, history letter G.
 */
import { DIR, type Direction } from '../core/direction.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { ANOMALY_CODES, ANOMALY_INDEX, type AnomalyCode } from '../analysis/anomalies.js';
import type { GapCause, StreamEndReason, StreamSink } from '../reassembly/stream-sink.js';
import type { BehaviourObserver, ConnectionObserver, DirectionReassembler, FlowAnalyzerFactory, FlowApp, FlowAppHost } from './analyzers.js';
import type { RoleInference } from './roles.js';

/** Why a flow was finalised. */
export type FlowEnd = 'capture-end' | 'idle' | 'closed-idle' | 'evicted' | 'reused';

/** An anomaly the flow layer raises (reused_ports, capture_gap, overlap_inconsistent, limit_reached). */
export interface FlowAnomaly {
  code: string;
  frame: number;
  ts: number;
  dir: Direction;
  detail?: unknown;
}

/** The endpoints and roles of a flow, fixed when it starts. */
export interface FlowEndpoints {
  id: number;
  ipVersion: 4 | 6;
  /** Address bytes (4 or 16), copied from the first packet. */
  clientAddr: Uint8Array;
  serverAddr: Uint8Array;
  clientPort: number;
  serverPort: number;
  roleInferred: RoleInference;
}

/** What a consumer of the flow's byte streams gets: a sink per flow (or null for none). */
export type FlowStreamSinkFactory = (flow: FlowEndpoints) => StreamSink | null;

/** Bits of `Flow.closeBits`: a FIN seen from the client / the server, an accepted RST. */
const FIN_C2S = 1;
const FIN_S2C = 2;
const RST_SEEN = 4;
/** Bits of `Flow.synBits`: `synIsn0` / `synIsn1` hold an ISN. */
const SYN_C2S = 1;

const CAPTURE_GAP = ANOMALY_INDEX.capture_gap;
const OVERLAP_INCONSISTENT = ANOMALY_INDEX.overlap_inconsistent;
const NO_ANOMALIES: readonly FlowAnomaly[] = Object.freeze([]);

/**
 * Layout (a flow's objects are cold when its next packet comes, ~1000 flows interleave): no
 * typed arrays or arrays on the per-packet path, only this object's own fields, in the order
 * V8 lays them out with what every packet reads first (the analyzers it calls, the counters it
 * bumps). Every number kept here is a small integer (the ISNs as int32 with a known bit: an
 * unsigned one of 2^31 or more would be a boxed heap number); the packet time used for expiry
 * lives in the flow table's per-slot array. What few flows need (anomaly list and counts) is
 * allocated with their first event.
 */
export class Flow implements StreamSink, FlowAppHost {
  readonly tracker: ConnectionObserver;
  /** Per-segment behaviour analysis (RTT, retransmissions, windows), or null when the factory has none. */
  readonly behaviour: BehaviourObserver | null;
  /** The two direction reassemblers (client→server, server→client). */
  private readonly r0: DirectionReassembler;
  private readonly r1: DirectionReassembler;
  private readonly consumer: StreamSink | null;
  /** The application layer (protocol detection and parsers), or null; see `appDirs`. */
  app: FlowApp | null = null;
  /** Directions whose stream events go to `app` (bit `1 << dir`; FlowAppHost.appDirs). */
  appDirs = 0;
  /** Which tuple direction (0/1) is client→server (read by the flow table per packet). */
  readonly clientTupleDir: number;
  /** FIN_C2S | FIN_S2C | RST_SEEN bits (see `closed`). */
  private closeBits = 0;
  /** Packets and delivered payload bytes per direction (see `packetCount`, `deliveredBytes`). */
  private pkts0 = 0;
  private pkts1 = 0;
  lastSec = 0;
  lastNsec = 0;
  lastFrame = 0;
  private bytes0 = 0;
  private bytes1 = 0;
  /** Bytes cut by the snap length / missed (capture gaps) per direction, as the stream events said. */
  private trunc0 = 0;
  private trunc1 = 0;
  private missed0 = 0;
  private missed1 = 0;
  // ---- read off the per-packet path ----
  /** ISN of each direction's first SYN as int32, valid when its SYN_C2S << dir bit is set. */
  private synBits = 0;
  private synIsn0 = 0;
  private synIsn1 = 0;
  firstSec = 0;
  firstNsec = 0;
  firstFrame = 0;
  /** Slot in the flow table's live array (also its index in the table's per-slot arrays). */
  slot = -1;
  /** Why the flow ended (set when finalised). */
  end: FlowEnd = 'capture-end';
  /** Events kept in `anomalies` (FlowLimits.maxAnomaliesPerFlow). */
  maxAnomalies = 100;
  /** The flow layer's own events, the first `maxAnomalies` only; allocated with the first. */
  private list: FlowAnomaly[] | null = null;
  /** Events per code, indexed like `ANOMALY_CODES`; allocated with the first. */
  private counts: Uint32Array | null = null;
  readonly endpoints: FlowEndpoints;
  /** Tuple id (TupleTable). */
  readonly tupleId: number;

  constructor(endpoints: FlowEndpoints, tupleId: number, clientTupleDir: number, factory: FlowAnalyzerFactory, consumer: StreamSink | null) {
    this.tracker = factory.tracker(endpoints);
    this.behaviour = factory.behaviour?.(endpoints) ?? null;
    this.r0 = factory.reassembler(DIR.C2S, this);
    this.r1 = factory.reassembler(DIR.S2C, this);
    this.consumer = consumer;
    this.clientTupleDir = clientTupleDir;
    this.endpoints = endpoints;
    this.tupleId = tupleId;
  }

  get id(): number {
    return this.endpoints.id;
  }

  /** The two reassemblers, client→server first (a new array: for the end of the flow, not per packet). */
  get reassemblers(): readonly [DirectionReassembler, DirectionReassembler] {
    return [this.r0, this.r1];
  }

  /** Packets seen in `dir`. */
  packetCount(dir: Direction): number {
    return dir === DIR.C2S ? this.pkts0 : this.pkts1;
  }

  /** Payload bytes delivered in order in `dir`. */
  deliveredBytes(dir: Direction): number {
    return dir === DIR.C2S ? this.bytes0 : this.bytes1;
  }

  /** Bytes missing from the capture in `dir` (gaps other than snap-length cuts). */
  missedBytes(dir: Direction): number {
    return dir === DIR.C2S ? this.missed0 : this.missed1;
  }

  /** Bytes on the wire in `dir` but cut by the snap length. */
  truncatedBytes(dir: Direction): number {
    return dir === DIR.C2S ? this.trunc0 : this.trunc1;
  }

  /** ISN (unsigned) of `dir`'s first SYN, or -1. */
  synIsn(dir: Direction): number {
    if ((this.synBits & (SYN_C2S << dir)) === 0) return -1;
    return (dir === DIR.C2S ? this.synIsn0 : this.synIsn1) >>> 0;
  }

  /** The flow layer's own events (the first `maxAnomalies`). */
  get anomalies(): readonly FlowAnomaly[] {
    return this.list ?? NO_ANOMALIES;
  }

  /** True once FIN was seen both ways, or an RST. */
  get closed(): boolean {
    return this.closeBits >= (FIN_C2S | FIN_S2C); // both FINs (3) or RST_SEEN (4..7)
  }

  /**
   * Feed one packet of this flow. `pkt` valid only during the call. Sequence and ACK numbers go
   * to the reassemblers as int32 (`| 0`: they only use them modulo 2^32), so the calls box no
   * heap number for the half of them at 2^31 or above.
   */
  onPacket(pkt: DecodedPacket, dir: Direction, frameNo: number, tsSec: number, tsNsec: number): void {
    if (this.pkts0 === 0 && this.pkts1 === 0) {
      this.firstSec = tsSec;
      this.firstNsec = tsNsec;
      this.firstFrame = frameNo;
    }
    if (dir === DIR.C2S) this.pkts0++;
    else this.pkts1++;
    this.lastSec = tsSec;
    this.lastNsec = tsNsec;
    this.lastFrame = frameNo;
    let flags = pkt.tcpFlags;
    if ((flags & (TCP_FLAG.SYN | TCP_FLAG.FIN)) !== 0) this.control(flags, pkt.seq, dir);
    this.tracker.onPacket(pkt, dir, frameNo, tsSec, tsNsec);
    if (this.behaviour !== null) this.behaviour.onPacket(pkt, dir, frameNo, tsSec, tsNsec);
    if ((flags & TCP_FLAG.RST) !== 0) {
      // An RST the tracker judged implausible (RFC 5961: out of window) ends nothing.
      if (this.tracker.lastRstImplausible === true) flags &= ~TCP_FLAG.RST;
      else this.closeBits |= RST_SEEN;
    }
    const payOff = pkt.payloadOff < 0 ? 0 : pkt.payloadOff;
    const own = dir === DIR.C2S ? this.r0 : this.r1;
    own.segment(pkt.seq | 0, flags, pkt.buf, payOff, pkt.payloadCapLen, pkt.payloadWireLen, frameNo);
    if ((this.appDirs & (1 << dir)) !== 0 && pkt.payloadCapLen > 0) this.app!.segmentDone(dir, frameNo);
    if ((flags & TCP_FLAG.ACK) !== 0) (dir === DIR.C2S ? this.r1 : this.r0).acked(pkt.ack | 0, frameNo);
  }

  /** A SYN (its ISN, the first per direction) or FIN (close bit) from `dir`. */
  private control(flags: number, seq: number, dir: Direction): void {
    const bit = SYN_C2S << dir;
    if ((flags & TCP_FLAG.SYN) !== 0 && (this.synBits & bit) === 0) {
      this.synBits |= bit;
      if (dir === DIR.C2S) this.synIsn0 = seq | 0;
      else this.synIsn1 = seq | 0;
    }
    if ((flags & TCP_FLAG.FIN) !== 0) this.closeBits |= dir === DIR.C2S ? FIN_C2S : FIN_S2C;
  }

  /** Record a flow-layer anomaly at the current packet's time. */
  raise(code: AnomalyCode, frame: number, dir: Direction, detail?: unknown): void {
    if (this.count(ANOMALY_INDEX[code])) this.push(code, frame, dir, detail);
  }

  /** Count one event of code index `i`; true when it is to be listed too. */
  private count(i: number): boolean {
    (this.counts ??= new Uint32Array(ANOMALY_CODES.length))[i]!++;
    return (this.list === null ? 0 : this.list.length) < this.maxAnomalies;
  }

  private push(code: string, frame: number, dir: Direction, detail: unknown): void {
    const a: FlowAnomaly = { code, frame, ts: this.lastSec + this.lastNsec / 1e9, dir };
    if (detail !== undefined) a.detail = detail;
    (this.list ??= []).push(a);
  }

  /** Counts by code name, codes in catalog order, zero counts left out. */
  anomalyCountsByCode(): Map<string, number> {
    const m = new Map<string, number>();
    this.counts?.forEach((n, i) => {
      if (n > 0) m.set(ANOMALY_CODES[i]!, n);
    });
    return m;
  }

  /**
   * The flow has closed (FIN both ways, or RST) and keeps waiting for late packets: its
   * analyzers give back memory nothing needs unless more packets come (empty rings, spare list
   * capacity). The flow table calls it after each packet of a closed flow; cheap when nothing changed.
   */
  condense(): void {
    this.tracker.condense?.();
    this.behaviour?.condense?.();
  }

  /** End of the flow: close both reassemblers (flushing holes as gaps). */
  closeStreams(): void {
    this.r0.close(this.lastFrame);
    this.r1.close(this.lastFrame);
  }

  // ---- StreamSink: count, raise, forward to the consumer ----

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    if (dir === DIR.C2S) this.bytes0 += len;
    else this.bytes1 += len;
    if ((this.appDirs & (1 << dir)) !== 0) this.app!.onData(dir, offset, buf, off, len, frame);
    if (this.consumer !== null) this.consumer.onData(dir, offset, buf, off, len, frame);
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, cause?: GapCause): void {
    if (cause === 'snaplen') {
      if (dir === DIR.C2S) this.trunc0 += len;
      else this.trunc1 += len;
    } else {
      if (dir === DIR.C2S) this.missed0 += len;
      else this.missed1 += len;
      if (this.count(CAPTURE_GAP)) this.push('capture_gap', frame, dir, { offset, len });
      this.tracker.noteGap?.(dir);
    }
    if ((this.appDirs & (1 << dir)) !== 0) this.app!.onGap(dir, offset, len, frame, cause);
    if (this.consumer !== null) this.consumer.onGap(dir, offset, len, frame, cause);
  }

  onOverlap(dir: Direction, offset: number, len: number, inconsistent: boolean, frame: number): void {
    if (inconsistent && this.count(OVERLAP_INCONSISTENT)) this.push('overlap_inconsistent', frame, dir, { offset, len });
    if ((this.appDirs & (1 << dir)) !== 0) this.app!.onOverlap(dir, offset, len, inconsistent, frame);
    if (this.consumer !== null) this.consumer.onOverlap(dir, offset, len, inconsistent, frame);
  }

  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    if (this.app !== null) this.app.onEnd(dir, reason, frame);
    if (this.consumer !== null) this.consumer.onEnd(dir, reason, frame);
  }
}
