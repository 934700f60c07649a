/**
 * Protocol detection on one direction of a flow, before any parser exists: the first bytes are
 * copied into a small window and shown to every protocol's detector (`AppProtocol.detect`).
 *
 * - A direction whose stream began with its SYN is judged on its first bytes only: `yes` from a
 *   detector commits; `no` from all of them ends detection for the direction; `need-more` waits
 *   for more bytes, up to `DETECT_MAX`.
 * - A direction picked up mid-way (no SYN captured, or its stream began with a gap) may start
 *   inside a message: for the protocols that allow it (`midStream`: HTTP, not TLS, whose records
 *   are binary), every line start in its first `SCAN_MAX` bytes is tried as a candidate (a
 *   capture of responses only, starting in a body, still finds the next status line), and, with
 *   `segmentStarts`, the first byte of every segment (a message usually begins a write: this
 *   finds a request after a keep-alive probe's garbage byte that began the capture).
 *
 * The window keeps the chunks' frame numbers and times, so the bytes can be replayed to a
 * parser exactly as they came. Owned by `AppLayer`; nothing is kept after the verdict.
 */
import type { Direction } from '../core/direction.js';
import type { AppDetectVerdict } from './app-parser.js';

/** Anything with a detector (a protocol of the registry, or the HTTP parser's start-line test). */
export interface Detector {
  detect(bytes: Uint8Array, dir: Direction): AppDetectVerdict;
  /** May also be recognised at a later line or segment start (a stream picked up mid-way); else at the first byte only. */
  readonly midStream?: boolean;
}

/** Most bytes held for one candidate while detectors answer `need-more`. */
export const DETECT_MAX = 1024;
/** Bytes of a mid-way direction searched for a line that starts a known protocol. */
export const SCAN_MAX = 128 * 1024;

const LF = 0x0a;

/** A contiguous piece of the window: stream offset, its place in `bytes`, frame and time. */
export interface Piece {
  offset: number;
  at: number;
  len: number;
  frame: number;
  ts: number;
}

/** What a `push` decided. */
export type DetectOutcome<T extends Detector = Detector> =
  | { kind: 'wait' }
  | { kind: 'no' }
  /**
   * `direct`: decided on the pushed chunk alone, without copying it: the window is empty and the
   * caller hands the parser that chunk itself from `at` (its index in the pushed buffer: after
   * a line end the chunk began with, when not at a line start).
   */
  | { kind: 'yes'; protocol: T; direct?: boolean; at?: number };

const WAIT = { kind: 'wait' } as const;
const NO = { kind: 'no' } as const;

export class DetectWindow<T extends Detector = Detector> {
  private bytes = new Uint8Array(0);
  private pieces: Piece[] = [];
  /** Bytes pushed so far (for the scan budget). */
  private pushed = 0;
  /** The next byte pushed starts a line (a candidate position). */
  private lineStart: boolean;
  /** The window still starts at the direction's first byte (every protocol is asked there). */
  private atFirst = true;
  /** The protocols asked at later candidates (`midStream`). */
  private readonly later: readonly T[];

  constructor(
    private readonly dir: Direction,
    private readonly protocols: readonly T[],
    /** Try every line start (mid-way pick-up), not only the first byte. */
    private scanLines: boolean,
    /** Bytes a line-scanning window looks through before it answers `no`. */
    private readonly scanMax = SCAN_MAX,
    /** Also try the first byte of each push (a segment start) as a candidate, when scanning lines. */
    private readonly segmentStarts = false,
  ) {
    this.lineStart = true;
    this.later = protocols.filter((p) => p.midStream === true);
  }

  /** The next byte pushed does not start a line (candidates begin after the next LF). */
  notAtLineStart(): void {
    if (this.bytes.length === 0) this.lineStart = false;
  }

  /** Bytes pushed so far, and of them those still in the window (the rest were passed over). */
  get bytesPushed(): number {
    return this.pushed;
  }

  get bytesHeld(): number {
    return this.bytes.length;
  }

  /** The window's pieces (stream order) for replay to a parser, and the window's bytes. */
  replay(): { bytes: Uint8Array; pieces: readonly Piece[] } {
    return { bytes: this.bytes, pieces: this.pieces };
  }

  /** Stream offset of the window's first byte, or -1 when it is empty. */
  get startOffset(): number {
    return this.pieces.length > 0 ? this.pieces[0]!.offset : -1;
  }

  /** A gap: the bytes held cannot be completed; after it any byte may start a message (mid-way). */
  gap(): DetectOutcome<T> {
    const held = this.bytes.length > 0;
    this.clear();
    if (!this.scanLines && held) return NO;
    this.scanLines = true;
    this.lineStart = true;
    return WAIT;
  }

  /**
   * New in-order bytes; the verdict so far. `buf` is copied when the verdict needs later bytes
   * (a candidate cut short, or a mid-way scan), not when the chunk decides alone.
   */
  push(offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): DetectOutcome<T> {
    this.pushed += len;
    if (len <= 0) return WAIT;
    if (this.segmentStarts && this.scanLines && this.bytes.length === 0) this.lineStart = true;
    const add = buf.subarray(off, off + len);
    if (this.bytes.length === 0 && this.lineStart) {
      // A candidate at the chunk's first byte: ask on the caller's bytes first (the common case
      // decides here, with no copy).
      const v = this.ask(len >= DETECT_MAX ? add.subarray(0, DETECT_MAX) : add);
      if (v !== null && v !== 'need-more') return { kind: 'yes', protocol: v, direct: true, at: off };
      if (v === null && !this.scanLines) {
        this.clear();
        return NO;
      }
    }
    if (this.bytes.length === 0 && !this.lineStart) {
      // Not at a line start: only what follows the next line end can start a message.
      const lf = add.indexOf(LF);
      if (lf < 0) return this.budget();
      this.lineStart = true;
      return this.pushRest(offset + lf + 1, buf, off + lf + 1, len - lf - 1, frame, ts);
    }
    const joined = new Uint8Array(this.bytes.length + add.length);
    joined.set(this.bytes, 0);
    joined.set(add, this.bytes.length);
    this.pieces.push({ offset, at: this.bytes.length, len: add.length, frame, ts });
    this.bytes = joined;
    return this.decide();
  }

  /** `push` for the rest of a chunk (its bytes already counted in `scanned`). */
  private pushRest(offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): DetectOutcome<T> {
    this.pushed -= len;
    return this.push(offset, buf, off, len, frame, ts);
  }

  /** Detectors on the window from its start; on `no` (mid-way) move to the next line start and retry. */
  private decide(): DetectOutcome<T> {
    for (;;) {
      if (this.bytes.length === 0) return this.budget();
      const v = this.ask(this.bytes.subarray(0, Math.min(this.bytes.length, DETECT_MAX)));
      if (v !== null && v !== 'need-more') return { kind: 'yes', protocol: v };
      if (v === 'need-more') return WAIT;
      if (!this.scanLines) {
        this.clear();
        return NO;
      }
      // Mid-way: drop up to the next line start and try there.
      const lf = this.bytes.indexOf(LF);
      if (lf < 0) {
        this.clear();
        this.lineStart = false;
        return this.budget();
      }
      this.drop(lf + 1);
    }
  }

  /**
   * The protocols' verdict on a candidate's bytes: the first saying yes, `need-more` when one
   * needs more and there can be more (fewer than DETECT_MAX bytes), else null (no).
   */
  private ask(b: Uint8Array): T | 'need-more' | null {
    let more = false;
    for (const p of this.atFirst ? this.protocols : this.later) {
      const v = p.detect(b, this.dir);
      if (v === 'yes') return p;
      if (v === 'need-more') more = true;
    }
    return more && b.length < DETECT_MAX ? 'need-more' : null;
  }

  /** Past SCAN_MAX (or not scanning): no. */
  private budget(): DetectOutcome<T> {
    if (!this.scanLines || this.pushed >= this.scanMax) {
      this.clear();
      return NO;
    }
    return WAIT;
  }

  /** Drop the window's first `n` bytes. */
  private drop(n: number): void {
    this.atFirst = false;
    this.bytes = this.bytes.subarray(n);
    const kept: Piece[] = [];
    for (const p of this.pieces) {
      const end = p.at + p.len;
      if (end <= n) continue;
      const cut = Math.max(0, n - p.at);
      kept.push({ offset: p.offset + cut, at: p.at + cut - n, len: p.len - cut, frame: p.frame, ts: p.ts });
    }
    this.pieces = kept;
  }

  private clear(): void {
    this.atFirst = false;
    this.bytes = new Uint8Array(0);
    this.pieces = [];
  }
}
