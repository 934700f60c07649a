/**
 * One direction of an HTTP/1.x connection: an incremental push parser over the reassembled byte
 * stream (RFC 9112). Bytes come in any cut; the result does not depend on where the cuts fall.
 *
 * States: HEAD (collecting a message head, at most `maxHeadBytes`, copied), a body framed by
 * length / chunks (chunk-size line at most `maxChunkLineBytes`; data, its CRLF, trailers) /
 * the end of the stream, TUNNEL (after a protocol switch: counted, not parsed), HOLD (a client
 * after Upgrade/CONNECT, until the response decides), RESYNC (framing lost: scanning for the
 * next start line at a line start), DONE. Bodies pass straight to the message's hash.
 *
 * Gaps: inside a body of known length they only cost body bytes (the framing holds); anywhere
 * else the framing is lost and the parser resynchronises at the next line that starts like a
 * message of this direction's kind (`http-detect.ts`), counting the bytes it lost and passed
 * over. Never throws; memory is the head buffer, the resync probe and the held bytes, all capped.
 */
import type { Direction } from '../../core/direction.js';
import type { HttpLimits } from '../../core/limits.js';
import type { AppDetectVerdict } from '../app-parser.js';
import { DETECT_MAX, DetectWindow } from '../detect-window.js';
import { startLineShape } from './http-detect.js';
import { latin1, parseFields, parseHead, type ParsedHead } from './http-head.js';
import type { HttpMessage } from './http-message.js';

const CR = 0x0d;
const LF = 0x0a;

const S_HEAD = 0;
const S_BODY = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_DATA = 3;
const S_CHUNK_CRLF = 4;
const S_TRAILERS = 5;
const S_BODY_CLOSE = 6;
const S_TUNNEL = 7;
const S_HOLD = 8;
const S_RESYNC = 9;
const S_DONE = 10;

/** What the parser decided for a complete head (see `HttpDirectionHost.onHead`). */
export interface HeadDecision {
  /** The message record (listed or not). */
  msg: HttpMessage;
  body: 'none' | 'length' | 'chunked' | 'close' | 'tunnel' | 'fatal';
  length: number;
}

/** What a direction needs from its connection's parser. */
export interface HttpDirectionHost {
  readonly limits: Readonly<HttpLimits>;
  /** A complete head: record the message, pair it, decide the body. */
  onHead(d: HttpDirection, head: ParsedHead, headBytes: number, frame: number, ts: number, endFrame: number, endTs: number): HeadDecision;
  /** A head that could not be parsed (issues say why). */
  onBadHead(d: HttpDirection, issues: readonly string[], frame: number, ts: number): void;
  /** Message `m` ended (complete or not). */
  onMessageEnd(d: HttpDirection, m: HttpMessage): void;
  /** `http_malformed` about message `m` (or none). */
  malformed(d: HttpDirection, m: HttpMessage | null, reasons: readonly string[], frame: number, ts: number, detail?: Record<string, unknown>): void;
  /** Resync started: the returned detail object is updated until it ends. */
  resync(d: HttpDirection, cause: string, frame: number, ts: number): Record<string, unknown>;
  /** A cap was hit (`limit_reached`). */
  limitHit(d: HttpDirection, limit: string, frame: number, ts: number, detail: Record<string, unknown>): void;
  /** Body bytes of `m` for the optional body sink (`null` buf: a gap of `len`). */
  bodyBytes(m: HttpMessage, buf: Uint8Array | null, off: number, len: number): void;
}

/** A held piece of stream (HOLD): bytes (a copy) or a gap. */
interface Held {
  offset: number;
  /** The bytes (a copy), or null for a gap (`notShown`: bytes the parser was never shown). */
  bytes: Uint8Array | null;
  notShown?: boolean;
  len: number;
  frame: number;
  ts: number;
}

/** Bytes queued for the state machine (a resync probe's replay, then the rest of the chunk). */
interface Work {
  bytes: Uint8Array;
  at: number;
  end: number;
  frame: number;
  ts: number;
}

export class HttpDirection {
  /** What this direction carries, from its first start line (null: not known yet). */
  role: 'request' | 'response' | null = null;
  private state = S_HEAD;
  private head = new Uint8Array(0);
  private headLen = 0;
  /** Bytes of the current line seen so far, CR not counted (head / trailer scanning). */
  private lineLen = 0;
  private headFrame = 0;
  private headTs = 0;
  private msg: HttpMessage | null = null;
  private remaining = 0;
  private crSeen = false;
  private probe: DetectWindow<{ detect: (b: Uint8Array) => AppDetectVerdict }> | null = null;
  private resyncDetail: Record<string, unknown> | null = null;
  private held: Held[] = [];
  private heldBytes = 0;
  /** Bytes to scan again before the rest of the current piece (a head that did not parse). */
  private requeue: Work | null = null;
  /** The direction's end, when it came while holding. */
  private heldEnd: { reason: 'fin' | 'rst' | 'close'; frame: number; ts: number } | null = null;
  /** Stream offset of the next byte expected. */
  private next = 0;
  /** Bytes the capture lacked (gaps), bytes passed over while resynchronising, bytes never shown (before detection), tunnel bytes. */
  lostBytes = 0;
  skippedBytes = 0;
  notShownBytes = 0;
  tunnelBytes = 0;
  resyncs = 0;
  /** Bytes of a message head cut by the stream end (no complete start line: not a message). */
  trailingBytes = 0;
  ended = false;

  constructor(
    readonly dir: Direction,
    private readonly host: HttpDirectionHost,
  ) {}

  /** True while holding the client's bytes after an Upgrade/CONNECT request. */
  get holding(): boolean {
    return this.state === S_HOLD;
  }

  // ---- events ----

  onData(offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): void {
    this.next = offset + len;
    if (this.state === S_HOLD) {
      this.hold({ offset, bytes: buf.slice(off, off + len), len, frame, ts });
      return;
    }
    this.run({ bytes: buf, at: off, end: off + len, frame, ts });
  }

  onGap(offset: number, len: number, frame: number, ts: number, notShown = false): void {
    this.next = offset + len;
    if (notShown) this.notShownBytes += len;
    else this.lostBytes += len;
    switch (this.state) {
      case S_HOLD:
        this.hold({ offset, bytes: null, notShown, len, frame, ts });
        return;
      case S_TUNNEL:
      case S_DONE:
        return;
      case S_BODY:
      case S_CHUNK_DATA: {
        // The framing holds across a gap inside a body of known length.
        const m = this.msg!;
        const inBody = Math.min(len, this.remaining);
        m.bodyGap(inBody);
        this.host.bodyBytes(m, null, 0, inBody);
        this.remaining -= inBody;
        if (inBody === len) {
          // A gap has no bytes: the message's last byte stays the last one captured.
          if (this.remaining === 0) this.afterBodyPart(m.lastFrame, m.lastTs);
          return;
        }
        // The gap runs past the body (a length-framed message ends inside it: whole, bytes
        // missing) or past the chunk (the next chunk-size line is lost: cut).
        if (this.state === S_BODY) this.finishMessage(m.lastFrame, m.lastTs);
        else this.cutMessage('gap');
        break;
      }
      case S_BODY_CLOSE: {
        const m = this.msg!;
        m.bodyGap(len);
        this.host.bodyBytes(m, null, 0, len);
        return;
      }
      case S_HEAD:
        if (this.headLen > 0) this.partialHead(frame, ts);
        break;
      case S_RESYNC:
        this.probe!.gap();
        return;
      default:
        // Chunk-size line, chunk CRLF, trailers: the chunk framing is lost.
        this.cutMessage('gap');
    }
    if (this.state === S_HOLD) {
      // A request that ended inside the gap asked to switch: the rest of the gap waits with it.
      this.hold({ offset, bytes: null, notShown, len, frame, ts });
      return;
    }
    this.startResync(notShown ? 'not-shown' : 'gap', frame, ts, true);
  }

  onEnd(reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void {
    if (this.ended) return;
    this.ended = true;
    switch (this.state) {
      case S_HOLD:
        this.heldEnd = { reason, frame, ts };
        return; // the response decides (or never comes: see heldLeft)
      case S_HEAD:
        if (this.headLen > 0) this.partialHead(frame, ts);
        break;
      case S_BODY_CLOSE: {
        // A body delimited by the close is complete only at a FIN (an RST or the capture's end may have cut it).
        const m = this.msg!;
        this.msg = null;
        m.end(reason === 'fin', m.lastFrame, m.lastTs, 'stream-end');
        this.host.onMessageEnd(this, m);
        break;
      }
      case S_RESYNC:
        this.endResync(false, frame);
        break;
      case S_TUNNEL:
      case S_DONE:
        break;
      default:
        this.cutMessage('stream-end');
    }
    this.state = S_DONE;
  }

  /** Bytes still held (HOLD) when nothing decided: counted as never parsed. */
  heldLeft(): number {
    return this.state === S_HOLD ? this.heldBytes : 0;
  }

  // ---- decisions from the other direction (via the parser) ----

  /** Protocol switched (101, CONNECT 2xx, HTTP/2 preface): bytes from here on are counted, not parsed. */
  enterTunnel(): void {
    if (this.state === S_DONE && this.ended) return;
    if (this.state === S_HOLD) this.tunnelBytes += this.heldBytes;
    this.held = [];
    this.heldBytes = 0;
    this.msg = null;
    this.state = this.ended ? S_DONE : S_TUNNEL;
  }

  /** Not switched: parse the held bytes as HTTP after all. */
  release(): void {
    if (this.state !== S_HOLD) return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.state = S_HEAD;
    const end = this.heldEnd;
    this.heldEnd = null;
    this.ended = false;
    for (const h of held) {
      if (h.bytes !== null) this.onData(h.offset, h.bytes, 0, h.len, h.frame, h.ts);
      else {
        // Counted when it came; counted again by onGap.
        if (h.notShown === true) this.notShownBytes -= h.len;
        else this.lostBytes -= h.len;
        this.onGap(h.offset, h.len, h.frame, h.ts, h.notShown === true);
      }
    }
    if (end !== null) this.onEnd(end.reason, end.frame, end.ts);
  }

  // ---- the state machine ----

  private run(first: Work): void {
    const queue: Work[] = [first];
    for (let w = queue.shift(); w !== undefined; w = queue.shift()) {
      let i = w.at;
      while (i < w.end) {
        if (this.state === S_RESYNC) {
          const stop = Math.min(w.end, i + DETECT_MAX);
          const more = this.resyncBytes(w, i, stop);
          i = stop;
          if (more !== null) {
            // Resynchronised: the probe's bytes first, then the rest of this piece, then the queue.
            queue.unshift(...more, { ...w, at: i });
            break;
          }
          continue;
        }
        if (this.state === S_HOLD) {
          this.hold({ offset: this.next - (w.end - i), bytes: w.bytes.slice(i, w.end), len: w.end - i, frame: w.frame, ts: w.ts });
          i = w.end;
          continue;
        }
        i = this.step(w.bytes, i, w.end, w.frame, w.ts);
        const again = this.requeue;
        if (again !== null) {
          this.requeue = null;
          queue.unshift(again, { ...w, at: i });
          break;
        }
      }
    }
  }

  /** One state's worth of bytes from b[i, end); returns where it stopped. */
  private step(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    switch (this.state) {
      case S_HEAD:
        return this.headBytes(b, i, end, frame, ts);
      case S_BODY:
      case S_CHUNK_DATA: {
        const n = Math.min(this.remaining, end - i);
        this.bodyPart(b, i, n, frame, ts);
        this.remaining -= n;
        if (this.remaining === 0) this.afterBodyPart(frame, ts);
        return i + n;
      }
      case S_BODY_CLOSE:
        this.bodyPart(b, i, end - i, frame, ts);
        return end;
      case S_CHUNK_SIZE:
        return this.chunkSizeBytes(b, i, end, frame, ts);
      case S_CHUNK_CRLF:
        return this.chunkCrlf(b, i, frame, ts);
      case S_TRAILERS:
        return this.trailerBytes(b, i, end, frame, ts);
      case S_TUNNEL:
        this.tunnelBytes += end - i;
        return end;
      default:
        // S_DONE: bytes after the end (cannot happen: the reassembler ends a direction last).
        this.skippedBytes += end - i;
        return end;
    }
  }

  private bodyPart(b: Uint8Array, i: number, n: number, frame: number, ts: number): void {
    const m = this.msg!;
    m.body(b, i, n);
    this.host.bodyBytes(m, b, i, n);
    m.lastFrame = frame;
    m.lastTs = ts;
  }

  /** A body (BODY) or chunk (CHUNK_DATA) ran out of bytes. */
  private afterBodyPart(frame: number, ts: number): void {
    if (this.state === S_CHUNK_DATA) {
      this.state = S_CHUNK_CRLF;
      this.crSeen = false;
      return;
    }
    this.finishMessage(frame, ts);
  }

  /** Appends b[i, i+n) to the head buffer (grown by doubling); false past `cap`. */
  private append(b: Uint8Array, i: number, n: number, cap: number): boolean {
    const need = this.headLen + n;
    if (need > cap) return false;
    if (need > this.head.length) {
      const grown = new Uint8Array(Math.min(cap, Math.max(need, 2 * this.head.length, 512)));
      grown.set(this.head.subarray(0, this.headLen));
      this.head = grown;
    }
    this.head.set(b.subarray(i, i + n), this.headLen);
    this.headLen = need;
    return true;
  }

  /**
   * Scans b[i, end) for the empty line ending a head / trailer section (lineLen carries across
   * calls); returns the index after it, or -1.
   */
  private scanSection(b: Uint8Array, i: number, end: number): number {
    let lineLen = this.lineLen;
    for (let j = i; j < end; j++) {
      const c = b[j]!;
      if (c === LF) {
        if (lineLen === 0) {
          this.lineLen = 0;
          return j + 1;
        }
        lineLen = 0;
      } else if (c !== CR) lineLen++;
    }
    this.lineLen = lineLen;
    return -1;
  }

  private headBytes(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    if (this.headLen === 0) {
      // Empty lines before a start line are ignored (RFC 9112 §2.2).
      while (i < end && (b[i] === CR || b[i] === LF)) i++;
      if (i === end) return end;
      this.headFrame = frame;
      this.headTs = ts;
      this.lineLen = 0;
    }
    const done = this.scanSection(b, i, end);
    const stop = done < 0 ? end : done;
    if (!this.append(b, i, stop - i, this.host.limits.maxHeadBytes)) {
      this.host.malformed(this, null, ['head-too-large'], this.headFrame, this.headTs, { limit: this.host.limits.maxHeadBytes });
      this.skippedBytes += this.headLen + (stop - i);
      this.headLen = 0;
      this.startResync('malformed', frame, ts, done >= 0 || b[stop - 1] === LF);
      return stop;
    }
    if (done >= 0) this.completeHead(frame, ts);
    return stop;
  }

  private completeHead(frame: number, ts: number): void {
    const issues: string[] = [];
    const len = this.headLen;
    const parsed = parseHead(this.head, 0, len, issues);
    this.headLen = 0;
    if (parsed !== null && this.role !== null && parsed.kind !== this.role) {
      issues.push(parsed.kind === 'request' ? 'request-in-response-stream' : 'response-in-request-stream');
    }
    if (parsed === null || issues.includes('request-in-response-stream') || issues.includes('response-in-request-stream')) {
      this.host.onBadHead(this, issues, this.headFrame, this.headTs);
      // A start line may hide inside what did not parse (a stream picked up mid-message):
      // the resync scans it again from its second byte.
      this.skippedBytes += 1;
      this.startResync('malformed', frame, ts, false);
      if (len > 1) this.requeue = { bytes: this.head.slice(1, len), at: 0, end: len - 1, frame: this.headFrame, ts: this.headTs };
      this.shrinkHead();
      return;
    }
    this.shrinkHead();
    this.role ??= parsed.kind;
    const d = this.host.onHead(this, parsed, len, this.headFrame, this.headTs, frame, ts);
    const m = d.msg;
    this.msg = m;
    switch (d.body) {
      case 'length':
        this.state = S_BODY;
        this.remaining = d.length;
        return;
      case 'chunked':
        this.state = S_CHUNK_SIZE;
        this.headLen = 0;
        return;
      case 'close':
        this.state = S_BODY_CLOSE;
        return;
      case 'tunnel':
        this.msg = null;
        m.end(true, frame, ts);
        this.host.onMessageEnd(this, m);
        if (this.state !== S_TUNNEL && this.state !== S_DONE) this.enterTunnel();
        return;
      case 'fatal':
        this.msg = null;
        m.end(false, frame, ts, 'malformed');
        this.host.onMessageEnd(this, m);
        this.startResync('malformed', frame, ts, true);
        return;
      default:
        this.finishMessage(frame, ts);
    }
  }

  /** A head buffer grown for a big head goes back to a small one. */
  private shrinkHead(): void {
    if (this.head.length > 16 * 1024) this.head = new Uint8Array(0);
  }

  private chunkSizeBytes(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    let j = i;
    while (j < end && b[j] !== LF) j++;
    const found = j < end;
    const stop = found ? j + 1 : end;
    if (!this.append(b, i, stop - i, this.host.limits.maxChunkLineBytes)) {
      this.skippedBytes += stop - i;
      this.chunkFailure('chunk-line-too-long', frame, ts, stop, b);
      return stop;
    }
    if (!found) return end;
    const line = latin1(this.head, 0, this.headLen).replace(/\r?\n$/, '');
    const m = /^([0-9A-Fa-f]+)[ \t]*(;.*)?$/.exec(line);
    const hex = m?.[1]?.replace(/^0+(?=.)/, '');
    if (m === null || hex === undefined || line.includes('\r')) {
      this.chunkFailure('bad-chunk-size', frame, ts, stop, b, line);
      return stop;
    }
    if (hex.length > 13) {
      this.chunkFailure('chunk-size-too-large', frame, ts, stop, b, line);
      return stop;
    }
    this.headLen = 0;
    const msg = this.msg!;
    if (m[2] !== undefined) msg.chunkExtensions++;
    const size = parseInt(hex, 16);
    msg.lastFrame = frame;
    msg.lastTs = ts;
    if (size === 0) {
      this.state = S_TRAILERS;
      this.lineLen = 0;
      return stop;
    }
    msg.chunks++;
    this.state = S_CHUNK_DATA;
    this.remaining = size;
    return stop;
  }

  /** Chunk framing broken: the message is cut, findings, resync after the offending line. */
  private chunkFailure(reason: string, frame: number, ts: number, stop: number, b: Uint8Array, line?: string): void {
    const m = this.msg!;
    m.issues.push(reason);
    const detail: Record<string, unknown> = {};
    if (line !== undefined) detail['line'] = line.slice(0, 64);
    if (reason === 'chunk-line-too-long') detail['limit'] = this.host.limits.maxChunkLineBytes;
    this.host.malformed(this, m, [reason], frame, ts, detail);
    this.skippedBytes += this.headLen;
    this.headLen = 0;
    this.cutMessage('malformed');
    this.startResync('malformed', frame, ts, b[stop - 1] === LF);
  }

  private chunkCrlf(b: Uint8Array, i: number, frame: number, ts: number): number {
    const c = b[i]!;
    if (c === CR && !this.crSeen) {
      this.crSeen = true;
      return i + 1;
    }
    if (c === LF) {
      this.state = S_CHUNK_SIZE;
      this.headLen = 0;
      return i + 1;
    }
    const m = this.msg!;
    m.issues.push('missing-chunk-crlf');
    this.host.malformed(this, m, ['missing-chunk-crlf'], frame, ts);
    this.cutMessage('malformed');
    this.startResync('malformed', frame, ts, false);
    return i;
  }

  private trailerBytes(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    const done = this.scanSection(b, i, end);
    const stop = done < 0 ? end : done;
    const m = this.msg!;
    if (!this.append(b, i, stop - i, this.host.limits.maxHeadBytes)) {
      m.issues.push('trailers-too-large');
      this.host.malformed(this, m, ['trailers-too-large'], frame, ts, { limit: this.host.limits.maxHeadBytes });
      this.skippedBytes += this.headLen + (stop - i);
      this.headLen = 0;
      this.cutMessage('malformed');
      this.startResync('malformed', frame, ts, done >= 0);
      return stop;
    }
    m.lastFrame = frame;
    m.lastTs = ts;
    if (done < 0) return end;
    const issues: string[] = [];
    const text = latin1(this.head, 0, this.headLen);
    this.headLen = 0;
    this.shrinkHead();
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    if (lines.some((l) => l.includes('\r'))) issues.push('bare-cr');
    const fields = parseFields(lines.map((l) => l.replace(/\r/g, ' ')), issues);
    const max = this.host.limits.maxHeadersListed;
    const cut = this.host.limits.maxValueChars;
    m.trailers = fields.slice(0, max).map(([n, v]) => [n.slice(0, cut), v.slice(0, cut)]);
    if (issues.length > 0) {
      m.issues.push(...issues);
      this.host.malformed(this, m, issues, frame, ts);
    }
    this.finishMessage(frame, ts);
    return stop;
  }

  private finishMessage(frame: number, ts: number): void {
    const m = this.msg!;
    this.msg = null;
    m.end(true, frame, ts);
    this.state = S_HEAD;
    this.headLen = 0;
    this.host.onMessageEnd(this, m);
    if (m.wantsSwitch && this.state === S_HEAD) this.state = S_HOLD;
  }

  /** The current message stops without its end (`why`); its last byte stays the last one seen. */
  private cutMessage(why: string): void {
    const m = this.msg;
    if (m === null) return;
    this.msg = null;
    m.end(false, m.lastFrame, m.lastTs, why);
    this.host.onMessageEnd(this, m);
  }

  /** A head cut by a gap or the stream end: a message if its start line is whole, else just bytes. */
  private partialHead(frame: number, ts: number): void {
    const len = this.headLen;
    this.headLen = 0;
    const lf = this.head.subarray(0, len).indexOf(LF);
    const issues: string[] = [];
    const parsed = lf < 0 ? null : parseHead(this.head, 0, lf + 1, issues);
    this.shrinkHead();
    if (parsed === null || (this.role !== null && parsed.kind !== this.role)) {
      this.trailingBytes += len;
      return;
    }
    this.role ??= parsed.kind;
    const d = this.host.onHead(this, parsed, len, this.headFrame, this.headTs, frame, ts);
    d.msg.end(false, frame, ts, 'head-cut');
    this.host.onMessageEnd(this, d.msg);
  }

  // ---- resynchronisation ----

  /** Framing lost (`cause`): scan for the next start line; `lineStart`: the next byte begins a line. */
  private startResync(cause: string, frame: number, ts: number, lineStart: boolean): void {
    if (this.state === S_TUNNEL || this.state === S_DONE) return;
    this.state = S_RESYNC;
    this.resyncs++;
    const want = this.role ?? 'any';
    const probe = new DetectWindow(this.dir, [{ detect: (bytes: Uint8Array) => shapeVerdict(bytes, want) }], true, Infinity);
    if (!lineStart) probe.notAtLineStart();
    this.probe = probe;
    this.resyncDetail = this.host.resync(this, cause, frame, ts);
  }

  /** Resync bytes b[i, stop); the work to replay when a start line was found, else null. */
  private resyncBytes(w: Work, i: number, stop: number): Work[] | null {
    const probe = this.probe!;
    const o = probe.push(0, w.bytes, i, stop - i, w.frame, w.ts);
    if (o.kind !== 'yes') return null;
    const { bytes, pieces } = probe.replay();
    this.endResync(true, pieces[0]?.frame ?? w.frame);
    this.state = S_HEAD;
    this.headLen = 0;
    return pieces.map((p) => ({ bytes, at: p.at, end: p.at + p.len, frame: p.frame, ts: p.ts }));
  }

  private endResync(resumed: boolean, frame: number): void {
    const probe = this.probe;
    if (probe === null) return;
    const skipped = probe.bytesPushed - (resumed ? probe.bytesHeld : 0);
    this.skippedBytes += skipped;
    const d = this.resyncDetail;
    if (d !== null) {
      d['skipped'] = (d['skipped'] as number) + skipped;
      d['resumedFrame'] = resumed ? frame : null;
    }
    this.probe = null;
    this.resyncDetail = null;
  }

  // ---- holding (after Upgrade / CONNECT) ----

  private hold(h: Held): void {
    this.held.push(h);
    this.heldBytes += h.len;
    if (this.heldBytes > this.host.limits.maxUpgradeHoldBytes) {
      // No answer within the cap: take the connection as switched.
      this.host.limitHit(this, 'http.maxUpgradeHoldBytes', h.frame, h.ts, { max: this.host.limits.maxUpgradeHoldBytes, taken: 'as switched' });
      this.enterTunnel();
    }
  }
}

function shapeVerdict(b: Uint8Array, want: 'request' | 'response' | 'any'): AppDetectVerdict {
  const s = startLineShape(b, want);
  return s === 'need-more' ? 'need-more' : s === 'no' ? 'no' : 'yes';
}
