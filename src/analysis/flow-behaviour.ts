/**
 * The per-flow behaviour analysis (issue 5): for every packet of one flow in capture order, runs
 * the Wireshark-compatible segment classifier (segment-classifier.ts), then with the
 * classifier's bits the RTT tracker (rtt.ts: samples, estimators, observed timeouts), the window
 * tracker (window-tracker.ts: scaled windows, in flight, zero-window stalls, keep-alives), the
 * congestion tracker (congestion.ts: loss episodes, dup-ACK runs, cwnd estimate, phases) and the
 * per-flow verdict (diagnosis.ts: `diagnosis.limitedBy`, docs/diagnosis.md), and turns the bits into catalog events with their evidence (frame, time, direction, dup-ACK
 * number, the frame a segment repeats, the time since its first transmission, ...).
 *
 * Two-pass revision (`twoPass`): the RTT tracker finds later evidence that a retransmission was
 * unnecessary (a D-SACK, or a TSecr echoing the original transmission); at the end of the flow
 * the listed events of those frames are relabelled `spurious_retransmission` with
 * `detail.revised` saying from what and why, and the counts follow. Without it the evidence is
 * reported in `revisions` and the Wireshark labels stand.
 *
 * Pure: no clocks, no I/O; one instance per flow, created by the pipeline through the flow
 * table's analyzer factory.
 */
import { secondsToMs3 as ms3 } from '../core/time.js';
import { DIR, reverse, type Direction } from '../core/direction.js';
import { CHECKSUM_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { BehaviourObserver, ObservedBehaviour } from '../flow/analyzers.js';
import { ANOMALY_INDEX } from './anomalies.js';
import { EVENT_LOG_WORDS, EventLog } from './event-log.js';
import { FlowStateBlock } from './flow-state.js';
import { SegmentClassifier } from './segment-classifier.js';
import { SEG, SEG_ANY_RETRANSMISSION } from './seg-flags.js';
import { seqGt } from '../core/seq.js';
import { RTT_STATE_SLOTS, RttTracker, type RttRevision } from './rtt.js';
import { WINDOW_STATE_SLOTS, WindowTracker } from './window-tracker.js';
import { CONGESTION_PATH, CONGESTION_STATE_SLOTS, CongestionTracker } from './congestion.js';
import { DIAGNOSIS_STATE_SLOTS, Diagnosis, type PathView } from './diagnosis.js';
import type { AnomalyDetail } from './anomalies.js';
import { ZERO_WINDOW_END, ZERO_WINDOW_START, type FindingHook } from './finding-hook.js';

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
  /** Keep the decimated time series (windows, in flight) in the report, for plots (default false: summaries only). */
  timelines?: boolean;
  /**
   * Called with every classified packet (conformance, plots, tests): flow id, frame, direction,
   * SEG bits, the packet (valid only during the call) and its time in seconds.
   */
  onSegment?: (flowId: number, frame: number, dir: Direction, seg: number, pkt: DecodedPacket, t: number) => void;
  /**
   * Told of findings at the packet that shows them (live capture; finding-hook.ts): this
   * analysis's retransmissions, lost segments and zero-window period edges, and the connection
   * tracker's events (the pipeline's analyzer factory hands it to the tracker too).
   */
  onFinding?: FindingHook;
}

const I = ANOMALY_INDEX;
/** Labels a D-SACK / TSecr revision turns into `spurious_retransmission`. */
const REVISABLE: ReadonlySet<string> = new Set(['retransmission', 'fast_retransmission', 'out_of_order']);
/** Doubles of the flow's state block (flow-state.ts): the trackers' fixed-size state, then `retx`. */
const BLOCK_DOUBLES = RTT_STATE_SLOTS + WINDOW_STATE_SLOTS + CONGESTION_STATE_SLOTS + DIAGNOSIS_STATE_SLOTS + 4;

/** `misc` slots of the flow's block: retransmissions per direction, the last packet's and the last event's time. */
const M_RETX = 0;
const M_LAST_T = 2;
const M_LAST_SEG_T = 3;
const MISC_SLOTS = 4;

/**
 * The behaviour analysis of one flow. It is also the diagnosis's `PathView` over its window and
 * RTT trackers (methods V8 inlines into Diagnosis.update; no separate view object per flow).
 */
export class FlowBehaviour implements BehaviourObserver, PathView {
  private readonly log: EventLog;
  private readonly cls = new SegmentClassifier();
  private readonly rtt: RttTracker;
  private readonly win: WindowTracker;
  private readonly cong: CongestionTracker;
  private readonly diag: Diagnosis;
  /** Numbers of the flow itself (M_* at `m`): in the block, since a double-valued field would be a boxed HeapNumber. */
  private readonly misc: Float64Array;
  private readonly m: number;
  private readonly onSegment: BehaviourOptions['onSegment'];
  private readonly onFinding: FindingHook | undefined;
  /** With `onFinding`: zero-window periods open after the last packet (bit `dir`: the receiver of dir's data advertises 0). */
  private zwOpen = 0;
  private readonly twoPass: boolean;
  private readonly timelines: boolean;
  private lastFrame = 0;
  /** Packets whose checksum did not verify / was left to offload (only when the decode stage verifies). */
  private checksumBad = 0;
  private checksumUnverified = 0;

  constructor(
    private readonly flowId: number,
    opts: BehaviourOptions = {},
  ) {
    // All fixed-size numeric state of the flow in one allocation, in per-packet order (flow-state.ts).
    const block = new FlowStateBlock(BLOCK_DOUBLES, EVENT_LOG_WORDS);
    const f = block.f;
    this.misc = f;
    this.m = block.take(MISC_SLOTS);
    const rttBase = block.take(RTT_STATE_SLOTS);
    const winBase = block.take(WINDOW_STATE_SLOTS);
    const congBase = block.take(CONGESTION_STATE_SLOTS);
    const diagBase = block.take(DIAGNOSIS_STATE_SLOTS);
    this.log = new EventLog(opts.eventsPerCode ?? 10, block.u32(EVENT_LOG_WORDS));
    this.onSegment = opts.onSegment;
    this.onFinding = opts.onFinding;
    this.twoPass = opts.twoPass ?? false;
    this.timelines = opts.timelines ?? false;
    this.rtt = new RttTracker({
      ...(opts.rttEstimator !== undefined ? { estimator: opts.rttEstimator } : {}),
      ...(opts.minRtoMs !== undefined ? { minRtoMs: opts.minRtoMs } : {}),
    }, f, rttBase);
    this.win = new WindowTracker(this.log, { timelines: this.timelines, ...(opts.stallThresholdMs !== undefined ? { stallThresholdMs: opts.stallThresholdMs } : {}) }, f, winBase);
    this.cong = new CongestionTracker({ timelines: this.timelines }, f, congBase);
    this.diag = new Diagnosis(this.cong, f, diagBase);
  }

  // ---- PathView (for the diagnosis) ----

  inFlight(d: Direction): number {
    return this.win.inFlight(d);
  }

  rwnd(d: Direction): number {
    return this.win.rwnd(d);
  }

  srtt(d: Direction): number {
    return this.rtt.srtt(d);
  }

  zeroWindowOpen(d: Direction): boolean {
    return this.win.zeroWindowOpen(d);
  }

  // ---- read-only view of an open flow (live displays; not called per packet) ----

  /** Retransmissions (all three kinds) `d` sent so far. */
  retransmissionCount(d: Direction): number {
    return this.misc[this.m + M_RETX + d]!;
  }

  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, tsSec: number, tsNsec: number): void {
    const t = tsSec + tsNsec * 1e-9;
    const seg = this.cls.classify(pkt, dir, frame, t, tsSec, tsNsec);
    this.rtt.onPacket(pkt, dir, frame, t, seg);
    const win = this.win;
    win.onPacket(pkt, dir, frame, t, seg, this.cls.scaleShift(dir));
    const path = CONGESTION_PATH;
    path[0] = win.inFlight(dir);
    path[1] = win.rwnd(dir);
    path[2] = this.misc[this.rtt.srttSlot(dir)]!;
    this.cong.onPacketPath(pkt, dir, frame, t, seg);
    this.diag.onPacket(pkt, dir, frame, t, seg, this);
    if (seg !== 0) this.report(seg, dir, frame, t);
    if ((seg & SEG.OUT_OF_ORDER) !== 0) this.sentLater(pkt, dir, frame);
    if (pkt.checksumFlags !== 0) this.checksum(pkt.checksumFlags, dir, frame, t);
    if (this.onSegment !== undefined) this.onSegment(this.flowId, frame, dir, seg, pkt, t);
    if (this.onFinding !== undefined) this.tellFindings(this.onFinding, seg, dir, frame, t);
    this.lastFrame = frame;
    this.misc[this.m + M_LAST_T] = t;
  }

  /**
   * Evidence of a retransmission (catalog: `rtoMs`, the time since the first transmission of the
   * oldest unacknowledged byte it covers): that transmission's frame (`of`), the time since the
   * previous copy, and which copy this is (2 = first re-send).
   */
  private retxDetail(): AnomalyDetail | undefined {
    const r = this.rtt;
    if (r.retxFirstFrame < 0) return undefined;
    const t = this.misc[this.m + M_LAST_SEG_T]!;
    return { of: r.retxFirstFrame, rtoMs: ms3(t - r.retxFirstT), ...(r.retxPrevT >= 0 ? { sincePrevMs: ms3(t - r.retxPrevT) } : {}), copy: r.retxCopy };
  }

  /**
   * An out_of_order segment whose TSval is newer than that of the higher-sequence segment sent
   * before it was sent after that segment: a re-send, not reordered original data (two-pass
   * evidence 'tsval'; equal TSvals prove nothing: one clock tick).
   */
  private sentLater(pkt: DecodedPacket, dir: Direction, frame: number): void {
    const before = this.cls.nextSeqTsval;
    if (pkt.tsval < 0 || before < 0 || !seqGt(pkt.tsval | 0, before | 0)) return;
    this.rtt.noteSentLater(this.cls.nextSeqFrame, frame, dir);
  }

  /** The classifier's bits as catalog events with their evidence. */
  private report(seg: number, dir: Direction, frame: number, t: number): void {
    const log = this.log;
    const c = this.cls;
    this.misc[this.m + M_LAST_SEG_T] = t;
    if ((seg & SEG_ANY_RETRANSMISSION) !== 0) this.misc[this.m + M_RETX + dir]!++;
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
    if ((seg & SEG.SPURIOUS_RETRANSMISSION) !== 0 && log.count(I.spurious_retransmission)) log.push('spurious_retransmission', dir, frame, t, this.retxDetail());
    if ((seg & SEG.FAST_RETRANSMISSION) !== 0 && log.count(I.fast_retransmission)) log.push('fast_retransmission', dir, frame, t, this.retxDetail());
    if ((seg & SEG.OUT_OF_ORDER) !== 0 && log.count(I.out_of_order)) log.push('out_of_order', dir, frame, t, { after: c.nextSeqFrame });
    if ((seg & SEG.RETRANSMISSION) !== 0 && log.count(I.retransmission)) log.push('retransmission', dir, frame, t, this.retxDetail());
  }

  /** `onFinding`: this packet's retransmission or lost segment, and zero-window periods that opened or closed. */
  private tellFindings(hook: FindingHook, seg: number, dir: Direction, frame: number, t: number): void {
    const id = this.flowId;
    if ((seg & SEG_ANY_RETRANSMISSION) !== 0) {
      const code = (seg & SEG.SPURIOUS_RETRANSMISSION) !== 0 ? 'spurious_retransmission' : (seg & SEG.FAST_RETRANSMISSION) !== 0 ? 'fast_retransmission' : 'retransmission';
      hook(id, code, dir, frame, t);
    }
    if ((seg & SEG.LOST_SEGMENT) !== 0) hook(id, 'lost_segment', dir, frame, t, { bytes: this.cls.lostBytes });
    const open = (this.win.zeroWindowOpen(DIR.C2S) ? 1 : 0) | (this.win.zeroWindowOpen(DIR.S2C) ? 2 : 0);
    if (open !== this.zwOpen) this.tellZeroWindow(hook, open, frame, t);
  }

  /** Zero-window edges: bit d of `open` = the receiver of d's data (direction 1 - d) advertises 0. */
  private tellZeroWindow(hook: FindingHook, open: number, frame: number, t: number): void {
    const changed = open ^ this.zwOpen;
    this.zwOpen = open;
    for (const d of [DIR.C2S, DIR.S2C] as const) {
      if ((changed & (1 << d)) === 0) continue;
      hook(this.flowId, (open & (1 << d)) !== 0 ? ZERO_WINDOW_START : ZERO_WINDOW_END, reverse(d), frame, t);
    }
  }

  /** Checksum verdicts (offload-aware: a checksum left to the NIC is unverified, not bad). */
  private checksum(flags: number, dir: Direction, frame: number, t: number): void {
    const bad = flags & (CHECKSUM_FLAG.IP_BAD | CHECKSUM_FLAG.L4_BAD);
    if (bad !== 0) {
      this.checksumBad++;
      if (this.log.count(I.bad_checksum)) this.log.push('bad_checksum', dir, frame, t, { layer: (bad & CHECKSUM_FLAG.IP_BAD) !== 0 ? ((bad & CHECKSUM_FLAG.L4_BAD) !== 0 ? 'ip+tcp' : 'ip') : 'tcp' });
    } else if ((flags & CHECKSUM_FLAG.UNVERIFIED) !== 0) this.checksumUnverified++;
  }

  /**
   * The flow has closed (FIN both ways or RST; called again on each later packet): give back
   * memory it no longer needs unless more packets come — empty rings, spare list capacity.
   * Changes nothing the analysis sees (a closed flow waits `closedTimeoutSec` for late packets).
   */
  condense(): void {
    this.rtt.condense();
    this.log.trim();
  }

  finish(): ObservedBehaviour {
    const lastT = this.misc[this.m + M_LAST_T]!;
    this.win.finish(this.lastFrame, lastT);
    if (this.onFinding !== undefined && this.zwOpen !== 0) this.tellZeroWindow(this.onFinding, 0, this.lastFrame, lastT);
    this.cong.finish(lastT);
    this.diag.finish(lastT);
    const revisions = this.rtt.revisions();
    const vantage = this.rtt.vantage();
    if (this.twoPass) this.revise(revisions);
    return {
      anomalies: this.log.events,
      anomalyCounts: this.log.countsByCode(),
      rtt: { c2s: this.rtt.summary(DIR.C2S, vantage), s2c: this.rtt.summary(DIR.S2C, vantage) },
      retransmissions: { c2s: this.misc[this.m + M_RETX + DIR.C2S]!, s2c: this.misc[this.m + M_RETX + DIR.S2C]! },
      zeroWindow: this.win.zeroWindow(),
      sections: {
        vantage,
        diagnosis: this.diag.result(),
        windows: this.win.section(),
        congestion: this.cong.section(),
        revisions: { count: this.rtt.revisionCount, applied: this.twoPass, list: revisions },
        ...(this.checksumBad + this.checksumUnverified > 0 ? { checksums: { bad: this.checksumBad, unverified: this.checksumUnverified } } : {}),
      },
    };
  }

  /**
   * Two-pass relabelling: a listed `retransmission` / `fast_retransmission` (or `out_of_order`)
   * event whose frame later evidence proved unnecessary becomes `spurious_retransmission`; an
   * `out_of_order` segment proven sent after higher-sequence data (evidence 'tsval') becomes
   * `retransmission` and counts as one. The detail says so; counts move with the label. Only
   * listed revisions are applied (the list holds 64 per flow; `revisions.count` counts all).
   */
  private revise(revisions: readonly RttRevision[]): void {
    for (const r of revisions) {
      // 'tsval' proves a re-send (out_of_order → retransmission, counted even when not listed);
      // the others prove a retransmission unnecessary (→ spurious_retransmission, listed events).
      const resend = r.evidence === 'tsval';
      if (resend) {
        this.log.recount(I.out_of_order, I.retransmission);
        this.misc[this.m + M_RETX + (r.dir === 'c2s' ? DIR.C2S : DIR.S2C)]!++;
      }
      const e = this.log.events.find((x) => x.frame === r.retransmittedFrame && (resend ? x.code === 'out_of_order' : REVISABLE.has(x.code)));
      if (e === undefined) continue;
      const to = resend ? 'retransmission' : 'spurious_retransmission';
      if (!resend) this.log.recount(I[e.code], I[to]);
      e.detail = { ...(e.detail ?? {}), revised: true, revisedFrom: e.code, evidence: r.evidence, evidenceFrame: r.frame };
      e.code = to;
    }
  }
}
