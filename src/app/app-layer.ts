/**
 * The application-layer framework: one `AppLayer` per flow, fed by the flow with the
 * reassembler's in-order events (it is the flow's `FlowApp`, next to the follow/extract sink).
 *
 * 1. Detection: each direction's first bytes go to every registered protocol's detector
 *    (`detect-window.ts`: by content, never by port). The first `yes`, in either direction,
 *    creates that protocol's parser; both directions' bytes from then on go to it (what the
 *    other direction had already shown is replayed, or announced as skipped).
 * 2. A direction no detector recognised is detached from the flow (`FlowAppHost.appDirs`): from
 *    then on its packets cost the flow one integer test. A flow where neither direction is
 *    recognised costs that only.
 * 3. Times: the reassembler's events carry a frame number only. In-order bytes come during
 *    their own packet, whose time the flow holds (`lastSec/lastNsec`); bytes held out of order
 *    come later, and `FrameTimes` remembers the time of exactly those segments (see there).
 * 4. At the end of the flow: the parser's findings and its `app.<name>` section.
 */
import { DIR, type Direction } from '../core/direction.js';
import type { FlowApp, FlowAppFactory, FlowAppHost, ObservedApp, ObservedAnomaly } from '../flow/analyzers.js';
import type { GapCause, StreamEndReason } from '../reassembly/stream-sink.js';
import type { AppParser, AppProtocol } from './app-parser.js';
import { DetectWindow, SCAN_MAX, type DetectOutcome } from './detect-window.js';
import { FrameTimes } from './frame-times.js';

/** Stream bytes `buf[off, off+len)` at `offset`, of frame `frame` at `ts`. */
interface Chunk {
  offset: number;
  buf: Uint8Array;
  off: number;
  len: number;
  frame: number;
  ts: number;
}

/** Per-direction detection state. */
const PENDING = 0;
const NO = 1;
const YES = 2;

export interface AppLayerOptions {
  /** Protocols to recognise, in the order their detectors are asked (see `app/registry.ts`). */
  protocols: readonly AppProtocol[];
}

/** The flow-table hook: an `AppLayer` per flow (none when the list of protocols is empty). */
export function appLayerFactory(opts: AppLayerOptions): FlowAppFactory {
  if (opts.protocols.length === 0) return () => null;
  return (flow, host) => new AppLayer(flow.id, host, opts.protocols);
}

/**
 * Per-flow state, kept small (one of these lives as long as a flow with a direction still
 * undecided, e.g. every one-way bulk flow): per-direction values in pairs of fields, the rest
 * allocated when first needed; dropped from the flow when both directions are decided `no`.
 */
export class AppLayer implements FlowApp {
  private parser: AppParser | null = null;
  private state0 = PENDING;
  private state1 = PENDING;
  private window0: DetectWindow<AppProtocol> | null = null;
  private window1: DetectWindow<AppProtocol> | null = null;
  /** Next stream offset per direction the parser has been told about (0 until it exists). */
  private next0 = 0;
  private next1 = 0;
  /** Frame of the last bytes delivered during their own packet, per direction (see segmentDone). */
  private delivered0 = 0;
  private delivered1 = 0;
  /** A direction's end seen while it was not the parser's (replayed if a parser comes later). */
  private ended: ({ reason: StreamEndReason; frame: number; ts: number } | null)[] | null = null;
  private times: FrameTimes | null = null;

  constructor(
    private readonly flowId: number,
    private readonly host: FlowAppHost,
    private readonly protocols: readonly AppProtocol[],
  ) {}

  private getState(dir: Direction): number {
    return dir === DIR.C2S ? this.state0 : this.state1;
  }

  private setState(dir: Direction, v: number): void {
    if (dir === DIR.C2S) this.state0 = v;
    else this.state1 = v;
  }

  private getNext(dir: Direction): number {
    return dir === DIR.C2S ? this.next0 : this.next1;
  }

  private setNext(dir: Direction, v: number): void {
    if (dir === DIR.C2S) this.next0 = v;
    else this.next1 = v;
  }

  /** Capture time (epoch seconds) of `frame`: the current packet's, or a held segment's. */
  private timeOf(frame: number): number {
    const h = this.host;
    if (frame === h.lastFrame) return h.lastSec + h.lastNsec / 1e9;
    const t = this.times === null ? -1 : this.times.find(frame);
    if (t >= 0) return t;
    (this.times ??= new FrameTimes()).approximated++;
    return h.lastSec + h.lastNsec / 1e9;
  }

  segmentDone(dir: Direction, frame: number): void {
    // Payload of this packet not delivered during it: held (or a retransmission of delivered bytes).
    if ((dir === DIR.C2S ? this.delivered0 : this.delivered1) !== frame) (this.times ??= new FrameTimes()).add(frame, this.host.lastSec, this.host.lastNsec);
  }

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    if (frame === this.host.lastFrame) {
      if (dir === DIR.C2S) this.delivered0 = frame;
      else this.delivered1 = frame;
    }
    const ts = this.timeOf(frame);
    const p = this.parser;
    if (p !== null) {
      this.catchUp(p, dir, offset, frame, ts);
      p.onData(dir, offset, buf, off, len, frame, ts);
      this.setNext(dir, offset + len);
      return;
    }
    if (this.getState(dir) !== PENDING) return;
    const v = this.window(dir, false).push(offset, buf, off, len, frame, ts);
    if (v.kind === 'yes' && v.direct === true) {
      // Recognised on this chunk alone (not copied): the parser gets it from the caller's buffer,
      // from the candidate on (what came before it is announced as not shown).
      const skip = (v.at ?? off) - off;
      this.commit(dir, v.protocol, { offset: offset + skip, buf, off: off + skip, len: len - skip, frame, ts });
      return;
    }
    this.verdict(dir, v);
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, cause?: GapCause): void {
    const ts = this.timeOf(frame);
    const p = this.parser;
    if (p !== null) {
      this.catchUp(p, dir, offset, frame, ts);
      p.onGap(dir, offset, len, frame, ts, cause);
      this.setNext(dir, offset + len);
      return;
    }
    if (this.getState(dir) !== PENDING) return;
    this.verdict(dir, this.window(dir, true).gap());
  }

  onOverlap(): void {}

  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    const ts = this.timeOf(frame);
    if (this.parser !== null && this.getState(dir) === YES) {
      this.parser.onEnd(dir, reason, frame, ts);
      return;
    }
    (this.ended ??= [null, null])[dir] = { reason, frame, ts };
    if (this.getState(dir) === PENDING) this.verdict(dir, { kind: 'no' });
  }

  finish(): ObservedApp | null {
    const p = this.parser;
    if (p === null) return null;
    const listed = p.findings();
    const anomalies: ObservedAnomaly[] = listed.map((f) => {
      const a: ObservedAnomaly = { code: f.code, frame: f.frame, ts: f.ts, dir: f.dir };
      if (f.detail !== undefined) a.detail = f.detail;
      return a;
    });
    const counts: Record<string, number> = {};
    for (const f of listed) counts[f.code] = (counts[f.code] ?? 0) + 1;
    const anomalyCounts = p.findingCounts?.() ?? counts;
    const approximated = this.times?.approximated ?? 0;
    return {
      anomalies,
      anomalyCounts,
      section: (events) => {
        p.attributeEvents?.(events);
        const result = p.result();
        const label = p.label?.() ?? null;
        const out: Record<string, unknown> = { ...result };
        if (label !== null) out['label'] = label;
        if (approximated > 0) out['timesApproximated'] = approximated;
        return { [p.name]: out };
      },
    };
  }

  // ---- detection ----

  private window(dir: Direction, gapFirst: boolean): DetectWindow<AppProtocol> {
    let w = dir === DIR.C2S ? this.window0 : this.window1;
    if (w === null) {
      // A stream without its SYN, or that begins with a gap, may start inside a message.
      const midway = gapFirst || this.host.synIsn(dir) === -1;
      w = new DetectWindow(dir, this.protocols, midway, SCAN_MAX, true);
      this.setWindow(dir, w);
    }
    return w;
  }

  private setWindow(dir: Direction, w: DetectWindow<AppProtocol> | null): void {
    if (dir === DIR.C2S) this.window0 = w;
    else this.window1 = w;
  }

  private verdict(dir: Direction, v: DetectOutcome<AppProtocol>): void {
    if (v.kind === 'wait') return;
    if (v.kind === 'yes') {
      this.commit(dir, v.protocol);
      return;
    }
    this.setState(dir, NO);
    this.setWindow(dir, null);
    this.host.appDirs &= ~(1 << dir);
    // Neither direction can be recognised any more: the flow drops the app layer altogether.
    if (this.state0 === NO && this.state1 === NO) this.host.app = null;
  }

  /** `protocol` recognised on `dir`: its parser gets both directions from now on. */
  private commit(dir: Direction, protocol: AppProtocol, current?: Chunk): void {
    const p = protocol.create(this.flowId);
    this.parser = p;
    // The recognising direction first (its window starts at the message; then the chunk that
    // decided, when it was not copied), then the other.
    for (const d of dir === DIR.C2S ? [DIR.C2S, DIR.S2C] : [DIR.S2C, DIR.C2S]) {
      const w = d === DIR.C2S ? this.window0 : this.window1;
      this.setWindow(d, null);
      this.setState(d, YES);
      this.host.appDirs |= 1 << d;
      if (w !== null) {
        const { bytes, pieces } = w.replay();
        for (const piece of pieces) this.forward(p, d, { offset: piece.offset, buf: bytes, off: piece.at, len: piece.len, frame: piece.frame, ts: piece.ts });
      }
      if (d === dir && current !== undefined) this.forward(p, d, current);
      const e = this.ended?.[d] ?? null;
      if (e !== null) {
        this.ended![d] = null;
        p.onEnd(d, e.reason, e.frame, e.ts);
      }
    }
  }

  private forward(p: AppParser, d: Direction, c: Chunk): void {
    this.catchUp(p, d, c.offset, c.frame, c.ts);
    p.onData(d, c.offset, c.buf, c.off, c.len, c.frame, c.ts);
    this.setNext(d, c.offset + c.len);
  }

  /**
   * Bytes before `offset` the parser was never shown (looked at and passed over by detection):
   * announced as skipped, so the parser knows it starts mid-stream.
   */
  private catchUp(p: AppParser, dir: Direction, offset: number, frame: number, ts: number): void {
    const from = this.getNext(dir);
    if (offset <= from) return;
    if (p.onSkip !== undefined) p.onSkip(dir, from, offset - from, frame, ts);
    else p.onGap(dir, from, offset - from, frame, ts);
    this.setNext(dir, offset);
  }
}
