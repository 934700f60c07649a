/**
 * What the flow table drives per flow, as the flow table sees it: one connection observer (the
 * state tracker) and one stream reassembler per direction. The flow table depends only on
 * these shapes; the pipeline injects the concrete classes (`analysis/connection-tracker.ts`,
 * `reassembly/tcp-reassembler.ts`) through a `FlowAnalyzerFactory`, so the flow table stays
 * testable with fakes and free of the analysis layer's internals.
 */
import type { Direction } from '../core/direction.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import type { StreamSink } from '../reassembly/stream-sink.js';

/** One anomaly event as the tracker reports it (`dir` as a Direction or its name). */
export interface ObservedAnomaly {
  code: string;
  frame: number;
  ts: number;
  dir: Direction | 'c2s' | 's2c';
  detail?: unknown;
}

/** The tracker's verdict on a finished connection (the report's `state`, `close`, `handshake`). */
export interface ObservedConnection {
  state: { client: string; server: string; connState: string; history: string; transitions?: readonly unknown[] };
  close: { kind: 'fin' | 'rst' | 'fin+rst' | 'none'; by: 'client' | 'server' | 'both' | null };
  handshake: {
    complete: boolean;
    rttMs: number | null;
    synRetransmissions: number;
    synIntervalsMs?: readonly number[];
    options?: unknown;
  };
  anomalies: readonly ObservedAnomaly[];
  /** All events counted by code, when the observer lists only some of them. */
  anomalyCounts?: Readonly<Record<string, number>>;
}

/** Connection-state observer of one flow: fed every packet, asked once for its summary. */
export interface ConnectionObserver {
  /** `pkt` is valid only during the call; `frame` is the capture's 1-based frame number. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, tsSec: number, tsNsec: number): void;
  finish(): ObservedConnection;
  /** After `onPacket`: the packet's RST was judged implausible (ignore it for close and streams), when supported. */
  readonly lastRstImplausible?: boolean;
  /** The flow has closed (and on each later packet): give back spare memory, when supported. */
  condense?(): void;
  /** The reassembler reported a content gap in `dir` (`capture_gap`, not a snap-length cut: Zeek history letter G), when supported. */
  noteGap?(dir: Direction): void;
}

/** Counters a direction's reassembler keeps (the ones the flow report reads). */
export interface ReassemblyCounters {
  delivered: number;
  missed: number;
  retransmittedSegments: number;
  limitHits: number;
}

/** One direction's byte-stream reassembler. */
export interface DirectionReassembler {
  /**
   * A segment of this direction: payload `buf[off .. off+capLen)`, `wireLen` bytes on the wire.
   * `seq` (and `ack` below) may come as the unsigned number or its int32 alias (`seq | 0`, what
   * the flow passes: no heap number per call); only its value modulo 2^32 counts.
   */
  segment(seq: number, flags: number, buf: Uint8Array, off: number, capLen: number, wireLen: number, frame: number): void;
  /** The peer acknowledged up to `ack` (a packet of the other direction). */
  acked(ack: number, frame: number): void;
  /** End of the flow: flush holes as gaps, emit the end event. */
  close(frame: number): void;
  readonly stats: ReassemblyCounters;
}

/** RTT of one direction's data (report schema `$defs/rtt`; more fields may be added). */
export interface RttJson {
  samples: number;
  minMs: number | null;
  meanMs: number | null;
  maxMs: number | null;
  srttMs: number | null;
  rttvarMs: number | null;
  rtoMs: number | null;
  observedRtoMs: number[];
  [more: string]: unknown;
}

/** Zero windows one endpoint advertised (report schema `$defs/zeroWindowStats`). */
export interface ZeroWindowJson {
  count: number;
  stalls: number;
  stallMs: number;
  probes: number;
  [more: string]: unknown;
}

/** The behaviour analysis of a finished flow (report `rtt`, `retransmissions`, `zeroWindow`, `diagnosis`, ...). */
export interface ObservedBehaviour {
  anomalies: readonly ObservedAnomaly[];
  /** All events counted by code (the list may be capped). */
  anomalyCounts: Readonly<Record<string, number>>;
  rtt: { c2s: RttJson; s2c: RttJson };
  /** retransmission + fast_retransmission + spurious_retransmission per sending direction. */
  retransmissions: { c2s: number; s2c: number };
  zeroWindow: { client: ZeroWindowJson; server: ZeroWindowJson };
  /** Further JSON-safe report sections (`windows`, `congestion`, `diagnosis`, `keepAlive`, ...), in report order. */
  sections: Readonly<Record<string, unknown>>;
}

/** Per-segment behaviour analysis of one flow: fed every packet, asked once for its summary. */
export interface BehaviourObserver {
  /** `pkt` is valid only during the call; `frame` is the capture's 1-based frame number. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, tsSec: number, tsNsec: number): void;
  finish(): ObservedBehaviour;
  /** The flow has closed (and on each later packet): give back memory only more packets would need, when supported. */
  condense?(): void;
}

/** What a behaviour observer is told about its flow when it starts. */
export interface BehaviourFlowInfo {
  id: number;
}

/** Builds the per-flow analyzers. Called once per flow when it starts. */
export interface FlowAnalyzerFactory {
  tracker(): ConnectionObserver;
  reassembler(dir: Direction, sink: StreamSink): DirectionReassembler;
  /** The behaviour analysis (absent: the flow reports no RTT, retransmissions or windows). */
  behaviour?(flow: BehaviourFlowInfo): BehaviourObserver;
}
