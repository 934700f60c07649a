/**
 * One TCP flow (one connection, like a Wireshark `tcp.stream`): its endpoints and roles, packet
 * and time counters, the connection observer and the two direction reassemblers, and the
 * anomalies the flow layer itself raises. Owned by the flow table; `onPacket` is the per-packet
 * path and allocates nothing: anomalies are counted in a typed array indexed by catalog position
 * and an event object is built only while the flow lists fewer than `maxAnomalies`.
 *
 * Gaps: a range the reassembler reports with cause `'snaplen'` (captured, but the snap length cut
 * the bytes) is counted in `truncated` (report `truncatedBytes`) and raises nothing (the capture
 * counts `capture_truncated` per frame); every other gap is bytes missing from the capture:
 * `missed` (report `missedBytes`), `capture_gap`, history letter G.
 */
import { DIR, type Direction } from '../core/direction.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { ANOMALY_CODES, ANOMALY_INDEX, type AnomalyCode } from '../analysis/anomalies.js';
import type { GapCause, StreamEndReason, StreamSink } from '../reassembly/stream-sink.js';
import type { BehaviourObserver, ConnectionObserver, DirectionReassembler, FlowAnalyzerFactory } from './analyzers.js';
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

/** Bits of `Flow.finBits`: a FIN seen from the client / the server. */
const FIN_C2S = 1;
const FIN_S2C = 2;

const CAPTURE_GAP = ANOMALY_INDEX.capture_gap;
const OVERLAP_INCONSISTENT = ANOMALY_INDEX.overlap_inconsistent;

export class Flow implements StreamSink {
  /** Tuple id (TupleTable) and which tuple direction (0/1) is client→server. */
  readonly tupleId: number;
  readonly clientTupleDir: number;
  /** Packets and delivered payload bytes per direction: plain fields, hot per packet (see `packetCount`, `deliveredBytes`). */
  private pkts0 = 0;
  private pkts1 = 0;
  private bytes0 = 0;
  private bytes1 = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  firstFrame = 0;
  lastFrame = 0;
  /** Packet time (seconds) of the last packet, for expiry: in a typed array, so the per-packet store writes no boxed double. */
  private readonly times = new Float64Array(1);
  /** ISN of each direction's first SYN, or -1. */
  readonly synIsn = new Float64Array([-1, -1]);
  finBits = 0;
  rstSeen = false;
  /** Bytes missed (capture gaps) / cut by the snap length per direction, as the stream events said. */
  readonly missed = new Float64Array(2);
  readonly truncated = new Float64Array(2);
  /** The flow layer's own events, the first `maxAnomalies` only; `anomalyCounts` counts all. */
  readonly anomalies: FlowAnomaly[] = [];
  /** Events per code, indexed like `ANOMALY_CODES` (see `anomalyCountsByCode`). */
  readonly anomalyCounts = new Uint32Array(ANOMALY_CODES.length);
  /** Events kept in `anomalies` (FlowLimits.maxAnomaliesPerFlow). */
  maxAnomalies = 100;
  readonly tracker: ConnectionObserver;
  /** Per-segment behaviour analysis (RTT, retransmissions, windows), or null when the factory has none. */
  readonly behaviour: BehaviourObserver | null;
  readonly reassemblers: readonly [DirectionReassembler, DirectionReassembler];
  /** The same two reassemblers as fields (the per-packet path reads no array). */
  private readonly r0: DirectionReassembler;
  private readonly r1: DirectionReassembler;
  /** Slot in the flow table's live array (also its index in the table's LRU link arrays). */
  slot = -1;
  /** Why the flow ended (set when finalised). */
  end: FlowEnd = 'capture-end';

  constructor(
    readonly endpoints: FlowEndpoints,
    tupleId: number,
    clientTupleDir: number,
    factory: FlowAnalyzerFactory,
    private readonly consumer: StreamSink | null,
  ) {
    this.tupleId = tupleId;
    this.clientTupleDir = clientTupleDir;
    this.tracker = factory.tracker();
    this.behaviour = factory.behaviour?.({ id: endpoints.id }) ?? null;
    this.r0 = factory.reassembler(DIR.C2S, this);
    this.r1 = factory.reassembler(DIR.S2C, this);
    this.reassemblers = [this.r0, this.r1];
  }

  /** Packet time (seconds) of the last packet, for expiry. */
  get lastTime(): number {
    return this.times[0]!;
  }

  get id(): number {
    return this.endpoints.id;
  }

  /** Packets seen in `dir`. */
  packetCount(dir: Direction): number {
    return dir === DIR.C2S ? this.pkts0 : this.pkts1;
  }

  /** Payload bytes delivered in order in `dir`. */
  deliveredBytes(dir: Direction): number {
    return dir === DIR.C2S ? this.bytes0 : this.bytes1;
  }

  /** True once FIN was seen both ways, or an RST. */
  get closed(): boolean {
    return this.rstSeen || this.finBits === (FIN_C2S | FIN_S2C);
  }

  /** Feed one packet of this flow. `pkt` valid only during the call. */
  onPacket(pkt: DecodedPacket, dir: Direction, frameNo: number, tsSec: number, tsNsec: number, time: number): void {
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
    const times = this.times;
    if (time > times[0]!) times[0] = time;
    let flags = pkt.tcpFlags;
    if ((flags & TCP_FLAG.SYN) !== 0 && this.synIsn[dir] === -1) this.synIsn[dir] = pkt.seq;
    if ((flags & TCP_FLAG.FIN) !== 0) this.finBits |= dir === DIR.C2S ? FIN_C2S : FIN_S2C;
    this.tracker.onPacket(pkt, dir, frameNo, tsSec, tsNsec);
    if (this.behaviour !== null) this.behaviour.onPacket(pkt, dir, frameNo, tsSec, tsNsec);
    if ((flags & TCP_FLAG.RST) !== 0) {
      // An RST the tracker judged implausible (RFC 5961: out of window) ends nothing.
      if (this.tracker.lastRstImplausible === true) flags &= ~TCP_FLAG.RST;
      else this.rstSeen = true;
    }
    const payOff = pkt.payloadOff < 0 ? 0 : pkt.payloadOff;
    const own = dir === DIR.C2S ? this.r0 : this.r1;
    own.segment(pkt.seq, flags, pkt.buf, payOff, pkt.payloadCapLen, pkt.payloadWireLen, frameNo);
    if ((flags & TCP_FLAG.ACK) !== 0) (dir === DIR.C2S ? this.r1 : this.r0).acked(pkt.ack, frameNo);
  }

  /** Record a flow-layer anomaly at the current packet's time. */
  raise(code: AnomalyCode, frame: number, dir: Direction, detail?: unknown): void {
    if (this.count(ANOMALY_INDEX[code])) this.push(code, frame, dir, detail);
  }

  /** Count one event of code index `i`; true when it is to be listed too. */
  private count(i: number): boolean {
    this.anomalyCounts[i]!++;
    return this.anomalies.length < this.maxAnomalies;
  }

  private push(code: string, frame: number, dir: Direction, detail: unknown): void {
    const a: FlowAnomaly = { code, frame, ts: this.lastSec + this.lastNsec / 1e9, dir };
    if (detail !== undefined) a.detail = detail;
    this.anomalies.push(a);
  }

  /** Counts by code name, codes in catalog order, zero counts left out. */
  anomalyCountsByCode(): Map<string, number> {
    const m = new Map<string, number>();
    this.anomalyCounts.forEach((n, i) => {
      if (n > 0) m.set(ANOMALY_CODES[i]!, n);
    });
    return m;
  }

  /** End of the flow: close both reassemblers (flushing holes as gaps). */
  closeStreams(): void {
    this.reassemblers[0].close(this.lastFrame);
    this.reassemblers[1].close(this.lastFrame);
  }

  // ---- StreamSink: count, raise, forward to the consumer ----

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    if (dir === DIR.C2S) this.bytes0 += len;
    else this.bytes1 += len;
    if (this.consumer !== null) this.consumer.onData(dir, offset, buf, off, len, frame);
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, cause?: GapCause): void {
    if (cause === 'snaplen') this.truncated[dir]! += len;
    else {
      this.missed[dir]! += len;
      if (this.count(CAPTURE_GAP)) this.push('capture_gap', frame, dir, { offset, len });
      this.tracker.noteGap?.(dir);
    }
    if (this.consumer !== null) this.consumer.onGap(dir, offset, len, frame, cause);
  }

  onOverlap(dir: Direction, offset: number, len: number, inconsistent: boolean, frame: number): void {
    if (inconsistent && this.count(OVERLAP_INCONSISTENT)) this.push('overlap_inconsistent', frame, dir, { offset, len });
    if (this.consumer !== null) this.consumer.onOverlap(dir, offset, len, inconsistent, frame);
  }

  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    if (this.consumer !== null) this.consumer.onEnd(dir, reason, frame);
  }
}
