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

export class AppLayer implements FlowApp {
  private parser: AppParser | null = null;
  private readonly state = [PENDING, PENDING];
  private readonly windows: [DetectWindow<AppProtocol> | null, DetectWindow<AppProtocol> | null] = [null, null];
  /** Next stream offset per direction the parser has been told about (0 until it exists). */
  private readonly next = [0, 0];
  /** Frame of the last bytes delivered during their own packet, per direction (see segmentDone). */
  private readonly delivered = [0, 0];
  /** A direction's end seen while it was not the parser's (replayed if a parser comes later). */
  private readonly ended: ({ reason: StreamEndReason; frame: number; ts: number } | null)[] = [null, null];
  private readonly times = new FrameTimes();

  constructor(
    private readonly flowId: number,
    private readonly host: FlowAppHost,
    private readonly protocols: readonly AppProtocol[],
  ) {}

  /** Capture time (epoch seconds) of `frame`: the current packet's, or a held segment's. */
  private timeOf(frame: number): number {
    const h = this.host;
    if (frame === h.lastFrame) return h.lastSec + h.lastNsec / 1e9;
    const t = this.times.find(frame);
    if (t >= 0) return t;
    this.times.approximated++;
    return h.lastSec + h.lastNsec / 1e9;
  }

  segmentDone(dir: Direction, frame: number): void {
    // Payload of this packet not delivered during it: held (or a retransmission of delivered bytes).
    if (this.delivered[dir] !== frame) this.times.add(frame, this.host.lastSec, this.host.lastNsec);
  }

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    if (frame === this.host.lastFrame) this.delivered[dir] = frame;
    const ts = this.timeOf(frame);
    const p = this.parser;
    if (p !== null) {
      this.catchUp(p, dir, offset, frame, ts);
      p.onData(dir, offset, buf, off, len, frame, ts);
      this.next[dir] = offset + len;
      return;
    }
    if (this.state[dir] !== PENDING) return;
    this.verdict(dir, this.window(dir, false).push(offset, buf, off, len, frame, ts));
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, _cause?: GapCause): void {
    const ts = this.timeOf(frame);
    const p = this.parser;
    if (p !== null) {
      this.catchUp(p, dir, offset, frame, ts);
      p.onGap(dir, offset, len, frame, ts);
      this.next[dir] = offset + len;
      return;
    }
    if (this.state[dir] !== PENDING) return;
    this.verdict(dir, this.window(dir, true).gap());
  }

  onOverlap(): void {}

  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    const ts = this.timeOf(frame);
    if (this.parser !== null && this.state[dir] === YES) {
      this.parser.onEnd(dir, reason, frame, ts);
      return;
    }
    this.ended[dir] = { reason, frame, ts };
    if (this.state[dir] === PENDING) this.verdict(dir, { kind: 'no' });
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
    const approximated = this.times.approximated;
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
    let w = this.windows[dir];
    if (w === null) {
      // A stream without its SYN, or that begins with a gap, may start inside a message.
      const midway = gapFirst || this.host.synIsn(dir) === -1;
      w = this.windows[dir] = new DetectWindow(dir, this.protocols, midway, SCAN_MAX, true);
    }
    return w;
  }

  private verdict(dir: Direction, v: DetectOutcome<AppProtocol>): void {
    if (v.kind === 'wait') return;
    if (v.kind === 'yes') {
      this.commit(dir, v.protocol);
      return;
    }
    this.state[dir] = NO;
    this.windows[dir] = null;
    this.host.appDirs &= ~(1 << dir);
  }

  /** `protocol` recognised on `dir`: its parser gets both directions from now on. */
  private commit(dir: Direction, protocol: AppProtocol): void {
    const p = protocol.create(this.flowId);
    this.parser = p;
    // The recognising direction first (its window starts at the message), then the other.
    for (const d of dir === DIR.C2S ? [DIR.C2S, DIR.S2C] : [DIR.S2C, DIR.C2S]) {
      const w = this.windows[d];
      this.windows[d] = null;
      this.state[d] = YES;
      this.host.appDirs |= 1 << d;
      if (w !== null) {
        const { bytes, pieces } = w.replay();
        for (const piece of pieces) {
          this.catchUp(p, d, piece.offset, piece.frame, piece.ts);
          p.onData(d, piece.offset, bytes, piece.at, piece.len, piece.frame, piece.ts);
          this.next[d] = piece.offset + piece.len;
        }
      }
      const e = this.ended[d];
      if (e !== null && e !== undefined) {
        this.ended[d] = null;
        p.onEnd(d, e.reason, e.frame, e.ts);
      }
    }
  }

  /**
   * Bytes before `offset` the parser was never shown (looked at and passed over by detection):
   * announced as skipped, so the parser knows it starts mid-stream.
   */
  private catchUp(p: AppParser, dir: Direction, offset: number, frame: number, ts: number): void {
    const from = this.next[dir]!;
    if (offset <= from) return;
    if (p.onSkip !== undefined) p.onSkip(dir, from, offset - from, frame, ts);
    else p.onGap(dir, from, offset - from, frame, ts);
    this.next[dir] = offset;
  }
}
