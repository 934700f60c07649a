/**
 * One body in the chunked transfer coding (RFC 9112 §7.1), decoded as its bytes pass: chunk-size
 * line (hex size, optional extensions, at most `maxChunkLineBytes`), chunk data (handed on, never
 * kept), the CRLF after it, then after the last (size 0) chunk the trailer section (at most
 * `maxHeadBytes`). Any cut of the input gives the same result. The owning `HttpDirection` turns a
 * failure into a finding and a resync, and the end into the message's end.
 */
import type { HttpLimits } from '../../core/limits.js';
import { latin1, parseFields } from './http-head.js';
import type { HttpMessage } from './http-message.js';
import type { SectionBuffer } from './http-section.js';

const CR = 0x0d;
const LF = 0x0a;

const SIZE = 0;
const DATA = 1;
const DATA_CRLF = 2;
const TRAILERS = 3;

/** What the last `step` ended with. */
export const CHUNK_MORE = 0;
export const CHUNK_DONE = 1;
export const CHUNK_FAILED = 2;

/** Why the chunk framing broke. */
export interface ChunkFailure {
  reason: string;
  detail: Record<string, unknown>;
  /** The byte after the failure begins a line (where the resync may start). */
  lineStart: boolean;
  /** Captured bytes of the broken line or section (not part of any message). */
  skipped: number;
}

/** Hex digits past which a chunk size could exceed 2^52. */
const MAX_SIZE_DIGITS = 13;
const CHUNK_LINE = /^([0-9A-Fa-f]+)[ \t]*(;.*)?$/;

export class ChunkedBody {
  private state = SIZE;
  private remaining = 0;
  private crSeen = false;
  outcome = CHUNK_MORE;
  failure: ChunkFailure | null = null;
  /** RFC violations in the trailer section (the message still ends well). */
  trailerIssues: string[] = [];

  constructor(
    private readonly m: HttpMessage,
    private readonly sec: SectionBuffer,
    private readonly limits: Readonly<HttpLimits>,
    /** Chunk data `b[i, i+n)` of frame `frame`. */
    private readonly data: (b: Uint8Array, i: number, n: number, frame: number, ts: number) => void,
  ) {
    sec.reset();
  }

  /** Bytes `b[i, end)`; returns where it stopped (`outcome` says why when not at `end`). */
  step(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    switch (this.state) {
      case SIZE:
        return this.sizeLine(b, i, end, frame, ts);
      case DATA: {
        const n = Math.min(this.remaining, end - i);
        this.data(b, i, n, frame, ts);
        this.remaining -= n;
        if (this.remaining === 0) {
          this.state = DATA_CRLF;
          this.crSeen = false;
        }
        return i + n;
      }
      case DATA_CRLF:
        return this.dataCrlf(b, i);
      default:
        return this.trailers(b, i, end, frame, ts);
    }
  }

  /** A gap of `len` bytes: how many fell inside chunk data (all of them: the framing holds). */
  gap(len: number): number {
    if (this.state !== DATA) return 0;
    const n = Math.min(len, this.remaining);
    this.remaining -= n;
    if (this.remaining === 0) {
      this.state = DATA_CRLF;
      this.crSeen = false;
    }
    return n;
  }

  private fail(reason: string, lineStart: boolean, detail: Record<string, unknown> = {}, skipped = 0): void {
    this.outcome = CHUNK_FAILED;
    this.failure = { reason, detail, lineStart, skipped };
  }

  private sizeLine(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    const sec = this.sec;
    let j = i;
    while (j < end && b[j] !== LF) j++;
    const found = j < end;
    const stop = found ? j + 1 : end;
    if (!sec.append(b, i, stop - i, this.limits.maxChunkLineBytes)) {
      this.fail('chunk-line-too-long', found, { limit: this.limits.maxChunkLineBytes }, sec.len + (stop - i));
      return stop;
    }
    if (!found) return end;
    const line = latin1(sec.bytes, 0, sec.len).replace(/\r?\n$/, '');
    const m = CHUNK_LINE.exec(line);
    const hex = m?.[1]?.replace(/^0+(?=.)/, '');
    if (m === null || hex === undefined || line.includes('\r') || hex.length > MAX_SIZE_DIGITS) {
      const reason = m !== null && hex !== undefined && hex.length > MAX_SIZE_DIGITS ? 'chunk-size-too-large' : 'bad-chunk-size';
      this.fail(reason, true, { line: line.slice(0, 64) }, sec.len);
      return stop;
    }
    sec.reset();
    const msg = this.m;
    if (m[2] !== undefined) msg.chunkExtensions++;
    msg.lastFrame = frame;
    msg.lastTs = ts;
    const size = parseInt(hex, 16);
    if (size === 0) {
      this.state = TRAILERS;
      return stop;
    }
    msg.chunks++;
    this.state = DATA;
    this.remaining = size;
    return stop;
  }

  private dataCrlf(b: Uint8Array, i: number): number {
    const c = b[i]!;
    if (c === CR && !this.crSeen) {
      this.crSeen = true;
      return i + 1;
    }
    if (c === LF) {
      this.state = SIZE;
      this.sec.reset();
      return i + 1;
    }
    this.fail('missing-chunk-crlf', false);
    return i;
  }

  private trailers(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    const sec = this.sec;
    const done = sec.scan(b, i, end);
    const stop = done < 0 ? end : done;
    if (!sec.append(b, i, stop - i, this.limits.maxHeadBytes)) {
      this.fail('trailers-too-large', done >= 0, { limit: this.limits.maxHeadBytes }, sec.len + (stop - i));
      return stop;
    }
    const m = this.m;
    m.lastFrame = frame;
    m.lastTs = ts;
    if (done < 0) return end;
    const text = latin1(sec.bytes, 0, sec.len);
    sec.reset();
    sec.shrink();
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    if (lines.some((l) => l.includes('\r'))) this.trailerIssues.push('bare-cr');
    const fields = parseFields(lines.map((l) => l.replace(/\r/g, ' ')), this.trailerIssues);
    const cut = this.limits.maxValueChars;
    m.trailers = fields.slice(0, this.limits.maxHeadersListed).map(([n, v]) => [n.slice(0, cut), v.slice(0, cut)]);
    this.outcome = CHUNK_DONE;
    return stop;
  }
}
