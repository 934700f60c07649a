/**
 * One direction of an HTTP/1.x connection: an incremental push parser over the reassembled byte
 * stream (RFC 9112). Bytes come in any cut; the result does not depend on where the cuts fall.
 *
 * States: HEAD (collecting a message head, at most `maxHeadBytes`, copied: `http-section.ts`), a
 * body framed by length / chunks (`http-chunked.ts`) / the end of the stream, TUNNEL (after a protocol switch: counted, not parsed), HOLD (a client
 * after Upgrade/CONNECT, until the response decides: `http-hold.ts`), RESYNC (framing lost: scanning for the
 * next start line at a line start, `http-resync.ts`), DONE. Bodies pass straight to the message's hash.
 *
 * Gaps: inside a body of known length they only cost body bytes (the framing holds); anywhere
 * else the framing is lost and the parser resynchronises at the next line that starts like a
 * message of this direction's kind (`http-detect.ts`), counting the bytes it lost and passed
 * over. Never throws; memory is the head buffer, the resync probe and the held bytes, all capped.
 */
import type { Direction } from '../../core/direction.js';
import type { HttpLimits } from '../../core/limits.js';
import { DETECT_MAX } from '../detect-window.js';
import { CHUNK_DONE, CHUNK_MORE, ChunkedBody } from './http-chunked.js';
import { parseHead, type ParsedHead } from './http-head.js';
import { HeldStream, replayHeld, type Held } from './http-hold.js';
import { Resync, type Work } from './http-resync.js';
import { SectionBuffer } from './http-section.js';
import type { HttpMessage } from './http-message.js';
import type { HeadDecision, HttpDirectionHost } from './http-host.js';

const CR = 0x0d;
const LF = 0x0a;

const S_HEAD = 0;
const S_BODY = 1;
const S_CHUNKED = 2;
const S_BODY_CLOSE = 6;
const S_TUNNEL = 7;
const S_HOLD = 8;
const S_RESYNC = 9;
const S_DONE = 10;

export class HttpDirection {
  /** What this direction carries, from its first start line (null: not known yet). */
  role: 'request' | 'response' | null = null;
  private state = S_HEAD;
  /** The head, trailer section or chunk-size line being collected. */
  private readonly sec = new SectionBuffer();
  private headFrame = 0;
  private headTs = 0;
  private msg: HttpMessage | null = null;
  private remaining = 0;
  /** The chunked body being decoded (state S_CHUNKED). */
  private chunked: ChunkedBody | null = null;
  private resync: Resync | null = null;
  /** The bytes held in HOLD (`http-hold.ts`); created on the first one. */
  private held: HeldStream | null = null;
  /** Bytes to scan again before the rest of the current piece (a head that did not parse). */
  private requeue: Work | null = null;
  /** Stream offset of the next byte expected. */
  private next = 0;
  /** Bytes the capture lacked (gaps), bytes passed over while resynchronising, bytes never shown (before detection), tunnel bytes. */
  lostBytes = 0;
  /** Of `lostBytes`, those the snap length cut. */
  cutBytes = 0;
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

  /**
   * `len` bytes the parser does not have: never shown to it (`notShown`: passed over by
   * detection), or missing from the capture (`cut`: on the wire, cut by the snap length).
   */
  onGap(offset: number, len: number, frame: number, ts: number, notShown = false, cut = false): void {
    this.next = offset + len;
    if (notShown) this.notShownBytes += len;
    else this.lostBytes += len;
    if (cut) this.cutBytes += len;
    switch (this.state) {
      case S_HOLD:
        this.hold({ offset, bytes: null, notShown, cut, len, frame, ts });
        return;
      case S_TUNNEL:
      case S_DONE:
        return;
      case S_BODY: {
        // The framing holds across a gap inside a body of known length.
        const m = this.msg!;
        const inBody = Math.min(len, this.remaining);
        this.bodyGap(m, inBody);
        this.remaining -= inBody;
        // A gap has no bytes: the message's last byte stays the last one captured.
        if (this.remaining === 0) this.finishMessage(m.lastFrame, m.lastTs);
        if (inBody === len) return;
        // The gap runs past the body: the message ended inside it (whole, bytes missing).
        break;
      }
      case S_CHUNKED: {
        const m = this.msg!;
        const inData = this.chunked!.gap(len);
        this.bodyGap(m, inData);
        if (inData === len) return;
        // Past the chunk: the next chunk-size line is lost.
        this.chunked = null;
        this.cutMessage('gap');
        break;
      }
      case S_BODY_CLOSE:
        this.bodyGap(this.msg!, len);
        return;
      case S_HEAD:
        if (this.sec.len > 0) this.partialHead(frame, ts);
        break;
      case S_RESYNC:
        this.resync!.gap();
        return;
      default:
    }
    if (this.state === S_HOLD) {
      // A request that ended inside the gap asked to switch: the rest of the gap waits with it.
      this.hold({ offset, bytes: null, notShown, cut, len, frame, ts });
      return;
    }
    this.startResync(notShown ? 'not-shown' : cut ? 'snaplen' : 'gap', frame, ts, true);
  }

  onEnd(reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void {
    if (this.ended) return;
    this.ended = true;
    switch (this.state) {
      case S_HOLD:
        (this.held ??= new HeldStream()).end = { reason, frame, ts };
        return; // the response decides (or never comes: see heldLeft)
      case S_HEAD:
        if (this.sec.len > 0) this.partialHead(frame, ts);
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
    return this.state === S_HOLD && this.held !== null ? this.held.bytes : 0;
  }

  // ---- decisions from the other direction (via the parser) ----

  /** Protocol switched (101, CONNECT 2xx, HTTP/2 preface): bytes from here on are counted, not parsed. */
  enterTunnel(): void {
    if (this.state === S_DONE && this.ended) return;
    const held = this.held;
    if (held !== null) {
      if (this.state === S_HOLD) this.tunnelBytes += held.bytes;
      held.clear();
    }
    this.msg = null;
    this.state = this.ended ? S_DONE : S_TUNNEL;
  }

  /** Not switched: parse the held bytes as HTTP after all. */
  release(): void {
    if (this.state !== S_HOLD) return;
    const held = this.held;
    this.held = null;
    this.state = S_HEAD;
    this.ended = false;
    if (held !== null) replayHeld(held.pieces, held.end, this);
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
      case S_BODY: {
        const n = Math.min(this.remaining, end - i);
        this.bodyPart(b, i, n, frame, ts);
        this.remaining -= n;
        if (this.remaining === 0) this.finishMessage(frame, ts);
        return i + n;
      }
      case S_CHUNKED:
        return this.chunkedBytes(b, i, end, frame, ts);
      case S_BODY_CLOSE:
        this.bodyPart(b, i, end - i, frame, ts);
        return end;
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

  private bodyGap(m: HttpMessage, n: number): void {
    if (n === 0) return;
    m.bodyGap(n);
    this.host.bodyBytes(m, null, 0, n);
  }

  private chunkedBytes(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    const c = this.chunked!;
    const next = c.step(b, i, end, frame, ts);
    if (c.outcome === CHUNK_MORE) return next;
    const m = this.msg!;
    this.chunked = null;
    if (c.outcome === CHUNK_DONE) {
      if (c.trailerIssues.length > 0) {
        m.issues.push(...c.trailerIssues);
        this.host.malformed(this, m, c.trailerIssues, frame, ts);
      }
      this.finishMessage(frame, ts);
      return next;
    }
    // The chunk framing broke: finding, the message cut, resync after the offending bytes.
    const f = c.failure!;
    m.issues.push(f.reason);
    this.host.malformed(this, m, [f.reason], frame, ts, f.detail);
    this.skippedBytes += f.skipped;
    this.sec.reset();
    this.cutMessage('malformed');
    this.startResync('malformed', frame, ts, f.lineStart);
    return next;
  }

  private headBytes(b: Uint8Array, i: number, end: number, frame: number, ts: number): number {
    if (this.sec.len === 0) {
      // Empty lines before a start line are ignored (RFC 9112 §2.2).
      while (i < end && (b[i] === CR || b[i] === LF)) i++;
      if (i === end) return end;
      this.headFrame = frame;
      this.headTs = ts;
      this.sec.lineLen = 0;
    }
    const done = this.sec.scan(b, i, end);
    const stop = done < 0 ? end : done;
    if (!this.sec.append(b, i, stop - i, this.host.limits.maxHeadBytes)) {
      this.host.malformed(this, null, ['head-too-large'], this.headFrame, this.headTs, { limit: this.host.limits.maxHeadBytes });
      this.skippedBytes += this.sec.len + (stop - i);
      this.sec.len = 0;
      this.startResync('malformed', frame, ts, done >= 0 || b[stop - 1] === LF);
      return stop;
    }
    if (done >= 0) this.completeHead(frame, ts);
    return stop;
  }

  private completeHead(frame: number, ts: number): void {
    const issues: string[] = [];
    const len = this.sec.len;
    const parsed = parseHead(this.sec.bytes, 0, len, issues);
    this.sec.len = 0;
    if (parsed !== null && this.role !== null && parsed.kind !== this.role) {
      issues.push(parsed.kind === 'request' ? 'request-in-response-stream' : 'response-in-request-stream');
    }
    if (parsed === null || issues.includes('request-in-response-stream') || issues.includes('response-in-request-stream')) {
      this.host.onBadHead(this, issues, this.headFrame, this.headTs);
      // A start line may hide inside what did not parse (a stream picked up mid-message):
      // the resync scans it again from its second byte.
      this.skippedBytes += 1;
      this.startResync('malformed', frame, ts, false);
      if (len > 1) this.requeue = { bytes: this.sec.bytes.slice(1, len), at: 0, end: len - 1, frame: this.headFrame, ts: this.headTs };
      this.sec.shrink();
      return;
    }
    this.sec.shrink();
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
        this.state = S_CHUNKED;
        this.chunked = new ChunkedBody(m, this.sec, this.host.limits, (b, i, n, f, t) => this.bodyPart(b, i, n, f, t));
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

  private finishMessage(frame: number, ts: number): void {
    const m = this.msg!;
    this.msg = null;
    m.end(true, frame, ts);
    this.state = S_HEAD;
    this.sec.len = 0;
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
    const len = this.sec.len;
    this.sec.len = 0;
    const lf = this.sec.bytes.subarray(0, len).indexOf(LF);
    const issues: string[] = [];
    const parsed = lf < 0 ? null : parseHead(this.sec.bytes, 0, lf + 1, issues);
    this.sec.shrink();
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
    this.resync = new Resync(this.dir, this.role ?? 'any', lineStart, this.host.resync(this, cause, frame, ts));
  }

  /** Resync bytes w.bytes[i, stop); the work to replay when a start line was found, else null. */
  private resyncBytes(w: Work, i: number, stop: number): Work[] | null {
    const more = this.resync!.push(w, i, stop);
    if (more === null) return null;
    this.endResync(true, more[0]?.frame ?? w.frame);
    this.state = S_HEAD;
    this.sec.reset();
    return more;
  }

  private endResync(resumed: boolean, frame: number): void {
    if (this.resync === null) return;
    this.skippedBytes += this.resync.end(resumed, frame);
    this.resync = null;
  }

  // ---- holding (after Upgrade / CONNECT) ----

  private hold(h: Held): void {
    this.held ??= new HeldStream();
    if (this.held.push(h, this.host.limits.maxUpgradeHoldBytes)) {
      // No answer within the cap: take the connection as switched.
      this.host.limitHit(this, 'http.maxUpgradeHoldBytes', h.frame, h.ts, { max: this.host.limits.maxUpgradeHoldBytes, taken: 'as switched' });
      this.enterTunnel();
    }
  }
}
