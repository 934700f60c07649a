/**
 * The client's bytes held after an Upgrade/CONNECT request (`HttpDirection`'s HOLD state), until
 * the response decides whether the connection switched. Owns the held pieces (copies, or gaps),
 * their byte count against `maxUpgradeHoldBytes`, and the direction's end if it came meanwhile.
 * Created on the first held piece: a direction that never holds pays nothing. Rarely used: only
 * connections that ask to switch protocols reach it.
 */

/** A held piece of stream: bytes (a copy) or a gap. */
export interface Held {
  offset: number;
  /** The bytes (a copy), or null for a gap (`notShown`: bytes the parser was never shown). */
  bytes: Uint8Array | null;
  notShown?: boolean;
  /** A gap of bytes cut by the snap length. */
  cut?: boolean;
  len: number;
  frame: number;
  ts: number;
}

/** The direction's end, when it came while holding. */
export interface HeldEnd {
  reason: 'fin' | 'rst' | 'close';
  frame: number;
  ts: number;
}

/** Where released pieces are replayed (the owning direction). */
export interface HeldTarget {
  lostBytes: number;
  cutBytes: number;
  notShownBytes: number;
  onData(offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): void;
  onGap(offset: number, len: number, frame: number, ts: number, notShown?: boolean, cut?: boolean): void;
  onEnd(reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void;
}

export class HeldStream {
  pieces: Held[] = [];
  bytes = 0;
  end: HeldEnd | null = null;

  /** Holds a piece; true when the held bytes now exceed `max`. */
  push(h: Held, max: number): boolean {
    this.pieces.push(h);
    this.bytes += h.len;
    return this.bytes > max;
  }

  /** Drops the held pieces (the connection switched: they are tunnel bytes). */
  clear(): void {
    this.pieces = [];
    this.bytes = 0;
  }
}

/** Not switched: replays the held pieces, then the held end, into `to` (already out of HOLD). */
export function replayHeld(pieces: readonly Held[], end: HeldEnd | null, to: HeldTarget): void {
  for (const h of pieces) {
    if (h.bytes !== null) to.onData(h.offset, h.bytes, 0, h.len, h.frame, h.ts);
    else {
      // Counted when it came; counted again by onGap.
      if (h.notShown === true) to.notShownBytes -= h.len;
      else to.lostBytes -= h.len;
      if (h.cut === true) to.cutBytes -= h.len;
      to.onGap(h.offset, h.len, h.frame, h.ts, h.notShown === true, h.cut === true);
    }
  }
  if (end !== null) to.onEnd(end.reason, end.frame, end.ts);
}
