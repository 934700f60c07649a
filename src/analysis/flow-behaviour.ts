/**
 * The per-flow behaviour analysis (issue 5): runs, for every packet of one flow in capture
 * order, the Wireshark-compatible segment classifier (segment-classifier.ts) and turns its bits
 * into catalog events with their evidence (frame, time, direction, dup-ACK number, the frame a
 * segment repeats, ...). Pure: no clocks, no I/O; one instance per flow, created by the pipeline
 * through the flow table's analyzer factory.
 */
import { DIR, type Direction } from '../core/direction.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import type { BehaviourObserver, ObservedBehaviour, RttJson, ZeroWindowJson } from '../flow/analyzers.js';
import { ANOMALY_INDEX } from './anomalies.js';
import { EventLog } from './event-log.js';
import { SegmentClassifier } from './segment-classifier.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';

/** Options of the behaviour analysis. */
export interface BehaviourOptions {
  /** Events listed per code and flow (all are counted). */
  eventsPerCode?: number;
  /** Which estimator fills `rtt.srttMs/rtoMs` (both are reported): RFC 6298 (default) or the classic RFC 793 one. */
  rttEstimator?: 'rfc6298' | 'classic';
  /** RTO floor in ms (RFC 6298: 1000, default; Linux: 200). */
  minRtoMs?: number;
  /** zero_window_stall is reported for zero-window periods at least this long (default 200 ms). */
  stallThresholdMs?: number;
  /** Revise labels with later evidence (D-SACK, TSecr echoes) and say so in the events. */
  twoPass?: boolean;
  /** Called with every classified packet (conformance, tests): flow id, frame, direction, SEG bits. */
  onSegment?: (flowId: number, frame: number, dir: Direction, seg: number) => void;
}

const I = ANOMALY_INDEX;

export class FlowBehaviour implements BehaviourObserver {
  private readonly log: EventLog;
  private readonly cls = new SegmentClassifier();
  private readonly retx = new Float64Array(2);
  private readonly onSegment: BehaviourOptions['onSegment'];

  constructor(
    private readonly flowId: number,
    opts: BehaviourOptions = {},
  ) {
    this.log = new EventLog(opts.eventsPerCode ?? 25);
    this.onSegment = opts.onSegment;
  }

  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, tsSec: number, tsNsec: number): void {
    const t = tsSec + tsNsec * 1e-9;
    const seg = this.cls.classify(pkt, dir, frame, t);
    if (seg !== 0) this.report(seg, dir, frame, t);
    if (this.onSegment !== undefined) this.onSegment(this.flowId, frame, dir, seg);
  }

  /** The classifier's bits as catalog events with their evidence. */
  private report(seg: number, dir: Direction, frame: number, t: number): void {
    const log = this.log;
    const c = this.cls;
    if ((seg & SEG_ANY_RETRANSMISSION) !== 0) this.retx[dir]!++;
    if ((seg & SEG.ZERO_WINDOW_PROBE) !== 0 && log.count(I.zero_window_probe)) {
      log.push('zero_window_probe', dir, frame, t, (seg & SEG.PROBE_KEEPALIVE_SHAPE) !== 0 ? { shape: 'keep-alive (Linux persist probe: 0 bytes at nextSeq-1)' } : undefined);
    }
    if ((seg & SEG.ZERO_WINDOW) !== 0) log.emit(I.zero_window, 'zero_window', dir, frame, t);
    if ((seg & SEG.LOST_SEGMENT) !== 0 && log.count(I.lost_segment)) log.push('lost_segment', dir, frame, t, { bytes: c.lostBytes });
    if ((seg & SEG.KEEP_ALIVE) !== 0) log.emit(I.keep_alive, 'keep_alive', dir, frame, t);
    if ((seg & SEG.WINDOW_UPDATE) !== 0) log.emit(I.window_update, 'window_update', dir, frame, t);
    if ((seg & SEG.WINDOW_FULL) !== 0) log.emit(I.window_full, 'window_full', dir, frame, t);
    if ((seg & SEG.KEEP_ALIVE_ACK) !== 0) log.emit(I.keep_alive_ack, 'keep_alive_ack', dir, frame, t);
    if ((seg & SEG.ZERO_WINDOW_PROBE_ACK) !== 0) log.emit(I.zero_window_probe_ack, 'zero_window_probe_ack', dir, frame, t);
    if ((seg & SEG.DUPLICATE_ACK) !== 0 && log.count(I.duplicate_ack)) log.push('duplicate_ack', dir, frame, t, { n: c.dupAckNum, of: c.dupAckFrame });
    if ((seg & SEG.ACKED_UNSEEN) !== 0 && log.count(I.acked_unseen_segment)) log.push('acked_unseen_segment', dir, frame, t, { bytes: c.ackedUnseenBytes });
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0) log.emit(I.spurious_retransmission, 'spurious_retransmission', dir, frame, t);
    if ((seg & SEG.FAST_RETRANSMISSION) !== 0) log.emit(I.fast_retransmission, 'fast_retransmission', dir, frame, t);
    if ((seg & SEG.OUT_OF_ORDER) !== 0 && log.count(I.out_of_order)) log.push('out_of_order', dir, frame, t, { after: c.nextSeqFrame });
    if ((seg & SEG.RETRANSMISSION) !== 0) log.emit(I.retransmission, 'retransmission', dir, frame, t);
  }

  finish(): ObservedBehaviour {
    return {
      anomalies: this.log.events,
      anomalyCounts: this.log.countsByCode(),
      rtt: { c2s: emptyRtt(), s2c: emptyRtt() },
      retransmissions: { c2s: this.retx[DIR.C2S]!, s2c: this.retx[DIR.S2C]! },
      zeroWindow: { client: emptyZw(), server: emptyZw() },
      sections: {},
    };
  }
}

function emptyRtt(): RttJson {
  return { samples: 0, minMs: null, meanMs: null, maxMs: null, srttMs: null, rttvarMs: null, rtoMs: null, observedRtoMs: [] };
}

function emptyZw(): ZeroWindowJson {
  return { count: 0, stalls: 0, stallMs: 0, probes: 0 };
}
