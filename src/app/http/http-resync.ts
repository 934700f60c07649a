/**
 * Resynchronisation of an HTTP direction whose framing was lost (a gap, a malformed message):
 * the bytes are scanned for the next line start that begins a message of the direction's kind
 * (`http-detect.ts`), through a `DetectWindow` (which copies at most one candidate's bytes).
 * Line starts only, never the cut points of the stream, so the result does not depend on them.
 * Counts the bytes passed over into the `http_resync` finding's detail.
 */
import type { Direction } from '../../core/direction.js';
import type { AppDetectVerdict } from '../app-parser.js';
import { DetectWindow } from '../detect-window.js';
import { startLineShape } from './http-detect.js';

/** Bytes queued for a direction's state machine: `bytes[at, end)` of frame `frame` at `ts`. */
export interface Work {
  bytes: Uint8Array;
  at: number;
  end: number;
  frame: number;
  ts: number;
}

function shapeVerdict(b: Uint8Array, want: 'request' | 'response' | 'any'): AppDetectVerdict {
  const s = startLineShape(b, want);
  return s === 'need-more' ? 'need-more' : s === 'no' ? 'no' : 'yes';
}

export class Resync {
  private readonly probe: DetectWindow<{ detect: (b: Uint8Array) => AppDetectVerdict; midStream: true }>;

  constructor(
    dir: Direction,
    want: 'request' | 'response' | 'any',
    /** The next byte begins a line. */
    lineStart: boolean,
    /** The finding's detail: `skipped` and `resumedFrame` are kept up to date. */
    private readonly detail: Record<string, unknown>,
  ) {
    this.probe = new DetectWindow(dir, [{ detect: (bytes: Uint8Array) => shapeVerdict(bytes, want), midStream: true }], true, Infinity);
    if (!lineStart) this.probe.notAtLineStart();
  }

  /** Bytes held for the replay when a start line was found (not passed over). */
  private resumeBytes = 0;

  /** Bytes `w.bytes[i, stop)`; when a start line was found, the work to replay from it (else null). */
  push(w: Work, i: number, stop: number): Work[] | null {
    const o = this.probe.push(0, w.bytes, i, stop - i, w.frame, w.ts);
    if (o.kind !== 'yes') return null;
    if (o.direct === true) {
      // Found in the bytes just pushed: replay from the start line (the probe kept no copy).
      const at = o.at ?? i;
      this.resumeBytes = stop - at;
      return [{ bytes: w.bytes, at, end: stop, frame: w.frame, ts: w.ts }];
    }
    const { bytes, pieces } = this.probe.replay();
    this.resumeBytes = this.probe.bytesHeld;
    return pieces.map((p) => ({ bytes, at: p.at, end: p.at + p.len, frame: p.frame, ts: p.ts }));
  }

  /** A gap while scanning: whatever candidate was held is lost; the byte after the gap is a candidate. */
  gap(): void {
    this.probe.gap();
  }

  /** Ends the resync (`resumed` at frame `frame`, or the stream ended); returns the bytes passed over. */
  end(resumed: boolean, frame: number): number {
    const skipped = this.probe.bytesPushed - (resumed ? this.resumeBytes : 0);
    this.detail['skipped'] = (this.detail['skipped'] as number) + skipped;
    this.detail['resumedFrame'] = resumed ? frame : null;
    return skipped;
  }
}
