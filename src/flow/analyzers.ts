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
  /** Both endpoints' states now (live displays; `finish()` has the final word), when supported. */
  currentStates?(): { client: string; server: string };
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
  // Read-only view of an open flow, for live displays (asked about once a second, never per packet):
  /** Current smoothed RTT of `dir`'s data in seconds, -1 when unknown. */
  srtt?(dir: Direction): number;
  /** Retransmissions `dir` sent so far. */
  retransmissionCount?(dir: Direction): number;
}

/** What a behaviour observer is told about its flow when it starts. */
export interface BehaviourFlowInfo {
  id: number;
}

/** Builds the per-flow analyzers. Called once per flow when it starts. */
export interface FlowAnalyzerFactory {
  tracker(flow: BehaviourFlowInfo): ConnectionObserver;
  reassembler(dir: Direction, sink: StreamSink): DirectionReassembler;
  /** The behaviour analysis (absent: the flow reports no RTT, retransmissions or windows). */
  behaviour?(flow: BehaviourFlowInfo): BehaviourObserver;
}

/**
 * What the flow asks of its application layer (`app/app-layer.ts`) at the end: the `app` section
 * of the flow record and the application-layer findings.
 */
export interface ObservedApp {
  /** Findings (the first few per flow; `anomalyCounts` counts all), in stream order. */
  anomalies: readonly ObservedAnomaly[];
  anomalyCounts: Readonly<Record<string, number>>;
  /**
   * The report's `app` object (`app.<protocol>`), given the flow's listed events (all codes,
   * capture order) so a parser can say which TCP findings fell inside each message.
   */
  section(events: readonly { code: string; frame: number; ts: number; dir: 'c2s' | 's2c' }[]): Record<string, unknown>;
}

/**
 * What the application layer sees of its flow: the current packet's time and frame (read when a
 * stream event comes, so the flow does no work per packet for it), whether a direction began
 * with its SYN, and which directions it wants stream events for.
 */
export interface FlowAppHost {
  readonly lastSec: number;
  readonly lastNsec: number;
  readonly lastFrame: number;
  /** ISN of `dir`'s SYN, or -1 when none was captured (the stream may have started earlier). */
  synIsn(dir: Direction): number;
  /**
   * Bit `1 << dir` set: data, gap and overlap events of `dir` go to the app layer, and so does
   * `segmentDone`. The app layer clears a bit when the direction is of no interest (no protocol
   * recognised), so such a direction costs one integer test per packet; end events always go.
   */
  appDirs: number;
  /** The flow's app layer; set to null by the app layer itself once nothing can be recognised. */
  app: FlowApp | null;
}

/**
 * The per-flow application layer as the flow drives it: a stream sink for the reassembled
 * bytes, told after each payload segment of an attached direction so it can remember the time
 * of segments held out of order (delivered later under their own frame number).
 */
export interface FlowApp extends StreamSink {
  /** A segment of `dir` with payload (frame `frame`, the current packet) went through the reassembler. */
  segmentDone(dir: Direction, frame: number): void;
  /** End of the flow (after the streams ended): the report section and findings, or null when no protocol was found. */
  finish(): ObservedApp | null;
}

/** Builds a flow's application layer when the flow starts (null: none for this flow). */
export type FlowAppFactory = (flow: { id: number }, host: FlowAppHost) => FlowApp | null;
