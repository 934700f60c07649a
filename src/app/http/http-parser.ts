/**
 * HTTP/1.x over one TCP connection (the `AppParser` for `http`): two direction parsers
 * (`http-direction.ts`) and what needs both — pairing responses with requests (first in, first
 * out: RFC 9112 §9.3.2 pipelining), the body rules that depend on the request (HEAD, CONNECT),
 * protocol switches (101 Switching Protocols, CONNECT 2xx, the HTTP/2 preface: parsing stops and
 * the report says so), the findings, and the `app.http` section.
 *
 * Roles come from content: the direction that sends request lines is the client side, whatever
 * the TCP roles say. Memory: the listed messages (at most `maxMessages`), the requests awaiting
 * an answer (at most `maxPendingRequests`), the findings listed (at most `maxFindings`).
 */
import { DIR, type Direction } from '../../core/direction.js';
import { DEFAULT_LIMITS, type HttpLimits } from '../../core/limits.js';
import type { AppFinding, AppFlowEvent, AppParser } from '../app-parser.js';
import { HttpDirection } from './http-direction.js';
import type { HeadDecision, HttpDirectionHost } from './http-host.js';
import { bodyFraming, fieldValues, type ParsedHead } from './http-head.js';
import { HttpMessage, messageJson } from './http-message.js';
import type { GapCause } from '../../reassembly/stream-sink.js';

/**
 * Receives transfer-decoded bodies as they pass (for `extract --http`): `begin` when a message
 * with a body starts, its bytes (valid only during the call) and gaps, `end` when it ends.
 */
export interface HttpBodySink {
  begin(m: HttpMessage): void;
  data(m: HttpMessage, buf: Uint8Array, off: number, len: number): void;
  gap(m: HttpMessage, len: number): void;
  end(m: HttpMessage): void;
}

export interface HttpParserOptions {
  limits?: Readonly<Partial<HttpLimits>>;
  bodySink?: HttpBodySink | null;
}

/** Why parsing stopped for good on a connection. */
interface Tunnel {
  reason: 'upgrade' | 'connect' | 'http2-preface';
  protocol: string | null;
  frame: number;
  ts: number;
}

const LABEL_ITEMS = 3;
const LABEL_URI = 48;

export class HttpParser implements AppParser, HttpDirectionHost {
  readonly name = 'http';
  readonly limits: Readonly<HttpLimits>;
  private readonly dirs: readonly [HttpDirection, HttpDirection];
  private readonly messages: HttpMessage[] = [];
  private notListed = 0;
  private requests = 0;
  private responses = 0;
  /** Requests awaiting their final response, oldest first from `pendingHead` (a queue without shifting). */
  private pending: HttpMessage[] = [];
  private pendingHead = 0;
  private pendingDropped = 0;
  private readonly listed: AppFinding[] = [];
  private readonly counts: Record<string, number> = {};
  private tunnel: Tunnel | null = null;
  private readonly sink: HttpBodySink | null;
  private readonly sinking = new Set<HttpMessage>();

  constructor(opts: HttpParserOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS.http, ...opts.limits };
    this.sink = opts.bodySink ?? null;
    this.dirs = [new HttpDirection(DIR.C2S, this), new HttpDirection(DIR.S2C, this)];
  }

  // ---- AppParser ----

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, _frame: number, ts: number): void {
    this.dirs[dir].onData(offset, buf, off, len, _frame, ts);
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, ts: number, cause?: GapCause): void {
    this.dirs[dir].onGap(offset, len, frame, ts, false, cause === 'snaplen');
  }

  onSkip(dir: Direction, offset: number, len: number, frame: number, ts: number): void {
    this.dirs[dir].onGap(offset, len, frame, ts, true);
  }

  onEnd(dir: Direction, reason: 'fin' | 'rst' | 'close', frame: number, ts: number): void {
    this.dirs[dir].onEnd(reason, frame, ts);
  }

  findings(): readonly AppFinding[] {
    return this.listed;
  }

  findingCounts(): Readonly<Record<string, number>> {
    return this.counts;
  }

  attributeEvents(events: readonly AppFlowEvent[]): void {
    for (const m of this.messages) {
      let found: Record<string, number> | null = null;
      for (const e of events) {
        if (e.frame < m.firstFrame) continue;
        if (e.frame > m.lastFrame) break;
        if (e.code.startsWith('http_')) continue;
        (found ??= {})[e.code] = (found[e.code] ?? 0) + 1;
      }
      m.tcpFindings = found;
    }
  }

  result(): Record<string, unknown> {
    const [c, s] = this.dirs;
    const pair = (d: (x: HttpDirection) => number): { c2s: number; s2c: number } => ({ c2s: d(c), s2c: d(s) });
    const out: Record<string, unknown> = {
      requests: this.requests,
      responses: this.responses,
      unanswered: this.pendingCount + this.pendingDropped,
    };
    if (this.notListed > 0) out['messagesNotListed'] = this.notListed;
    out['tunnel'] = this.tunnel === null ? null : { ...this.tunnel, bytes: pair((d) => d.tunnelBytes) };
    out['lostBytes'] = pair((d) => d.lostBytes);
    const cut = pair((d) => d.cutBytes);
    if (cut.c2s + cut.s2c > 0) out['cutBytes'] = cut;
    out['skippedBytes'] = pair((d) => d.skippedBytes);
    out['notShownBytes'] = pair((d) => d.notShownBytes);
    const unparsed = pair((d) => d.trailingBytes + d.heldLeft());
    if (unparsed.c2s + unparsed.s2c > 0) out['unparsedBytes'] = unparsed;
    out['resyncs'] = pair((d) => d.resyncs);
    out['messages'] = this.messages.map((m) => messageJson(m, m.pair >= 0 ? (this.messages[m.pair] ?? null) : null));
    return out;
  }

  label(): string | null {
    const items: string[] = [];
    let total = 0;
    for (const m of this.messages) {
      if (m.kind === 'request') {
        total++;
        if (items.length < LABEL_ITEMS) {
          const r = m.pair >= 0 ? this.messages[m.pair] : undefined;
          const uri = m.uri.length > LABEL_URI ? `${m.uri.slice(0, LABEL_URI - 1)}…` : m.uri;
          items.push(`${m.method} ${uri} → ${r === undefined ? '-' : r.status}`);
        }
      } else if (m.pair < 0 && !m.interim) {
        total++;
        if (items.length < LABEL_ITEMS) items.push(`→ ${m.status}`);
      }
    }
    total += this.notListed;
    let text = items.join(', ');
    if (total > items.length) text += ` (+${total - items.length} more)`;
    const t = this.tunnel;
    if (t !== null) text += `${text === '' ? '' : '; '}${t.reason === 'http2-preface' ? 'HTTP/2' : (t.protocol ?? t.reason)} after frame ${t.frame}`;
    return text === '' ? null : text;
  }

  // ---- HttpDirectionHost ----

  onHead(d: HttpDirection, head: ParsedHead, headBytes: number, frame: number, ts: number, endFrame: number, endTs: number): HeadDecision {
    const index = this.messages.length < this.limits.maxMessages ? this.messages.length : -1;
    const m = new HttpMessage(index, d.dir, head, headBytes, frame, ts, this.limits);
    m.lastFrame = endFrame;
    m.lastTs = endTs;
    if (index >= 0) this.messages.push(m);
    else if (this.notListed++ === 0) this.limitHit(d, 'http.maxMessages', frame, ts, { max: this.limits.maxMessages });
    if (head.issues.length > 0) {
      m.issues.push(...head.issues);
      this.malformed(d, m, head.issues, frame, ts);
    }
    return head.kind === 'request' ? this.onRequest(d, m, head, frame, ts) : this.onResponse(d, m, head, frame, ts);
  }

  private onRequest(d: HttpDirection, m: HttpMessage, head: ParsedHead, frame: number, ts: number): HeadDecision {
    this.requests++;
    if (head.method === 'PRI' && head.target === '*' && head.version === 'HTTP/2.0') {
      // RFC 9113 §3.4: HTTP/2 with prior knowledge; what follows is not HTTP/1.
      this.startTunnel(d, 'http2-preface', 'h2c', frame, ts);
      return { msg: m, body: 'tunnel', length: 0 };
    }
    if (head.version !== 'HTTP/1.1' && head.version !== 'HTTP/1.0') return this.fatal(d, m, 'unsupported-version', frame, ts);
    this.pending.push(m);
    if (this.pendingCount > this.limits.maxPendingRequests) {
      this.takePending();
      if (this.pendingDropped++ === 0) this.limitHit(d, 'http.maxPendingRequests', frame, ts, { max: this.limits.maxPendingRequests });
    }
    return this.framed(d, m, head, frame, ts);
  }

  private onResponse(d: HttpDirection, m: HttpMessage, head: ParsedHead, frame: number, ts: number): HeadDecision {
    this.responses++;
    if (head.version !== 'HTTP/1.1' && head.version !== 'HTTP/1.0') return this.fatal(d, m, 'unsupported-version', frame, ts);
    const req = m.interim ? (this.pendingCount > 0 ? this.pending[this.pendingHead]! : null) : this.takePending();
    if (req !== null) {
      m.requestMethod = req.method;
      m.requestUri = req.uri;
      m.pair = req.index;
      if (!m.interim) req.pair = m.index;
    }
    const status = head.status;
    if (status === 101) {
      const proto = fieldValues(head.fields, 'upgrade')[0] ?? (req !== null ? fieldValues(req.headers, 'upgrade')[0] : undefined) ?? null;
      this.startTunnel(d, 'upgrade', proto, frame, ts);
      return { msg: m, body: 'tunnel', length: 0 };
    }
    if (m.interim) return { msg: m, body: 'none', length: 0 };
    if (req !== null && req.method === 'CONNECT' && status >= 200 && status < 300) {
      this.startTunnel(d, 'connect', req.uri, frame, ts);
      return { msg: m, body: 'tunnel', length: 0 };
    }
    let decision: HeadDecision;
    // RFC 9112 §6.3 rules 1-2: no body after HEAD, for 1xx (above), 204 and 304, whatever the fields say.
    if ((req !== null && req.method === 'HEAD') || status === 204 || status === 304) decision = { msg: m, body: 'none', length: 0 };
    else decision = this.framed(d, m, head, frame, ts);
    // A request that asked to switch and was not switched: its connection goes on as HTTP.
    if (req?.wantsSwitch === true) this.dirs[d.dir === DIR.C2S ? DIR.S2C : DIR.C2S].release();
    return decision;
  }

  private get pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  /** The oldest request awaiting its response (removed), or null. */
  private takePending(): HttpMessage | null {
    if (this.pendingHead >= this.pending.length) return null;
    const m = this.pending[this.pendingHead++]!;
    if (this.pendingHead >= 64 && this.pendingHead * 2 >= this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    return m;
  }

  /** The body as the fields frame it. */
  private framed(d: HttpDirection, m: HttpMessage, head: ParsedHead, frame: number, ts: number): HeadDecision {
    const f = bodyFraming(head);
    m.transferEncoding = f.transferEncoding === null ? null : f.transferEncoding.join(', ');
    if (f.issues.length > 0) {
      m.issues.push(...f.issues);
      this.malformed(d, m, f.issues, frame, ts);
    }
    if (f.fatal !== null) return this.fatal(d, m, f.fatal, frame, ts);
    m.framing = f.kind;
    if (f.kind !== 'none' && this.sink !== null) {
      this.sinking.add(m);
      this.sink.begin(m);
    }
    return { msg: m, body: f.kind, length: f.contentLength ?? 0 };
  }

  private fatal(d: HttpDirection, m: HttpMessage, reason: string, frame: number, ts: number): HeadDecision {
    m.issues.push(reason);
    this.malformed(d, m, [reason], frame, ts);
    return { msg: m, body: 'fatal', length: 0 };
  }

  private startTunnel(d: HttpDirection, reason: Tunnel['reason'], protocol: string | null, frame: number, ts: number): void {
    this.tunnel = { reason, protocol, frame, ts };
    for (const x of this.dirs) if (x !== d) x.enterTunnel();
  }

  onBadHead(d: HttpDirection, issues: readonly string[], frame: number, ts: number): void {
    this.malformed(d, null, issues, frame, ts);
  }

  onMessageEnd(_d: HttpDirection, m: HttpMessage): void {
    if (this.sinking.delete(m)) this.sink!.end(m);
  }

  bodyBytes(m: HttpMessage, buf: Uint8Array | null, off: number, len: number): void {
    if (!this.sinking.has(m)) return;
    if (buf === null) this.sink!.gap(m, len);
    else this.sink!.data(m, buf, off, len);
  }

  malformed(d: HttpDirection, m: HttpMessage | null, reasons: readonly string[], frame: number, ts: number, detail?: Record<string, unknown>): void {
    const det: Record<string, unknown> = { reasons: [...reasons] };
    if (m !== null && m.index >= 0) det['message'] = m.index;
    if (detail !== undefined) Object.assign(det, detail);
    this.finding('http_malformed', d.dir, frame, ts, det);
  }

  resync(d: HttpDirection, cause: string, frame: number, ts: number): Record<string, unknown> {
    const detail: Record<string, unknown> = { cause, skipped: 0, resumedFrame: null };
    // Framing lost where the snap length cut the bytes is the capture's doing, not the
    // connection's: counted (`resyncs`, `cutBytes`; the capture's `capture_truncated`), no finding.
    if (cause !== 'snaplen') this.finding('http_resync', d.dir, frame, ts, detail);
    return detail;
  }

  limitHit(d: HttpDirection, limit: string, frame: number, ts: number, detail: Record<string, unknown>): void {
    this.finding('limit_reached', d.dir, frame, ts, { limit, ...detail });
  }

  private finding(code: string, dir: Direction, frame: number, ts: number, detail: Record<string, unknown>): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (this.listed.length < this.limits.maxFindings) this.listed.push({ code, frame, ts, dir, detail });
  }
}
