/**
 * `TlsParser`: the TLS handshake facts of one flow from its two reassembled byte streams
 * (an `AppParser`, name `tls`). No decryption: what is read is the record layer, the plaintext
 * handshake (ClientHello, ServerHello/HelloRetryRequest, TLS ≤ 1.2 Certificate), plaintext
 * alerts, and where each direction's records become encrypted. One per flow, owned by the
 * application-layer framework; memory is bounded by the caps in `TlsParserOptions` (a
 * handshake-message buffer per direction, listed findings/alerts/messages).
 * Hostile bytes never throw: they become `tls_malformed` findings.
 */
import { DIR, type Direction } from '../../core/direction.js';
import type { AppFinding, AppParser } from '../app-parser.js';
import type { CertificateFacts } from './certificate.js';
import { alertName, HS, isTls13 } from './constants.js';
import { TlsDirection, type DirectionHooks, type HandshakeMessage } from './direction.js';
import { MAX_TLS_FINDINGS, type TlsFindingCode } from './findings.js';
import { parseClientHello, parseServerHello, parseSslv2ClientHello, type ClientHelloFacts, type ServerHelloFacts } from './hello.js';
import { tlsLabel, tlsResult } from './tls-result.js';
import type { GapCause } from '../../reassembly/stream-sink.js';

export interface TlsParserOptions {
  /** Largest ClientHello/ServerHello reassembled per direction (default 64 KiB); larger ones are skipped and said so. */
  maxHandshakeMessage: number;
  /** Findings listed (default 32); all are counted. */
  maxFindings: number;
  /** Alerts and handshake message types listed per flow / direction (default 32). */
  maxListed: number;
}

export const DEFAULT_TLS_OPTIONS: Readonly<TlsParserOptions> = {
  maxHandshakeMessage: 65536,
  maxFindings: MAX_TLS_FINDINGS,
  maxListed: 32,
};

/** A plaintext alert as seen. */
export interface TlsAlert {
  dir: Direction;
  frame: number;
  ts: number;
  offset: number;
  level: number;
  description: number;
}

/** Everything the result is built from (read by `tls-result.ts`). */
export interface TlsState {
  readonly dirs: readonly [TlsDirection, TlsDirection];
  clientHello: (ClientHelloFacts & { frame: number; dir: Direction }) | null;
  clientHellos: number;
  /** The ClientHello was cut by a gap or too large to read. */
  clientHelloUnread: string | null;
  serverHello: (ServerHelloFacts & { frame: number }) | null;
  serverHelloUnread: string | null;
  hrr: (ServerHelloFacts & { frame: number }) | null;
  /** TLS 1.3 was selected (ServerHello or HRR). */
  tls13: boolean;
  /** Certificate messages by sender (TLS ≤ 1.2), or why one was not read. */
  certificates: [CertificateEntry | null, CertificateEntry | null];
  alerts: TlsAlert[];
  alertsNotListed: number;
  /** SSL 2.0 was answered in SSL 2.0 by the server. */
  sslv2Server: boolean;
  codeCounts: Map<string, number>;
  findingsNotListed: number;
  /** Per direction, stream bytes the snap length cut (gaps that raise no `tls_gap`: the capture's doing). */
  readonly cutBytes: [number, number];
}

export interface CertificateEntry {
  frame: number;
  length: number;
  facts: CertificateFacts | null;
  /** Why the facts are missing (bytes lost to a gap). */
  unread: string | null;
}

export class TlsParser implements AppParser, DirectionHooks, TlsState {
  readonly name = 'tls';
  readonly dirs: readonly [TlsDirection, TlsDirection];
  clientHello: TlsState['clientHello'] = null;
  clientHellos = 0;
  clientHelloUnread: string | null = null;
  serverHello: TlsState['serverHello'] = null;
  serverHelloUnread: string | null = null;
  hrr: TlsState['hrr'] = null;
  tls13 = false;
  certificates: TlsState['certificates'] = [null, null];
  alerts: TlsAlert[] = [];
  alertsNotListed = 0;
  sslv2Server = false;
  readonly codeCounts = new Map<string, number>();
  findingsNotListed = 0;
  readonly cutBytes: [number, number] = [0, 0];
  /** Inside a gap of bytes the snap length cut. */
  private cutting = false;
  private readonly list: AppFinding[] = [];
  private readonly opts: TlsParserOptions;

  constructor(opts: Readonly<Partial<TlsParserOptions>> = {}) {
    this.opts = { ...DEFAULT_TLS_OPTIONS, ...opts };
    const { maxHandshakeMessage: m, maxListed: l } = this.opts;
    this.dirs = [new TlsDirection(DIR.C2S, this, m, l), new TlsDirection(DIR.S2C, this, m, l)];
  }

  // ---- AppParser ---------------------------------------------------------------------------

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): void {
    if (len > 0) this.dirs[dir].data(offset, buf, off, len, frame, ts);
  }

  /**
   * Bytes the capture does not have. Where the snap length cut them (`cause` 'snaplen') the
   * parser loses the same facts, but that is the capture's doing, not the connection's: no
   * `tls_gap` finding, the bytes are counted in `cutBytes` (and the direction's `stopped` says
   * what was lost).
   */
  onGap(dir: Direction, offset: number, len: number, frame: number, ts: number, cause?: GapCause): void {
    if (len <= 0) return;
    if (cause !== 'snaplen') {
      this.dirs[dir].gap(offset, len, frame, ts);
      return;
    }
    this.cutBytes[dir] += len;
    this.cutting = true;
    try {
      this.dirs[dir].gap(offset, len, frame, ts);
    } finally {
      this.cutting = false;
    }
  }

  /**
   * Bytes the capture has but the framework did not pass (it judged this direction not TLS
   * before the other one was recognised): record boundaries there are unknown, so the direction
   * is not parsed (said in `stopped`; no finding, the capture lost nothing). Inside a record
   * whose header was read, treated like a gap.
   */
  onSkip(dir: Direction, offset: number, len: number, frame: number, ts: number): void {
    if (len > 0) this.dirs[dir].skip(offset, len, frame, ts);
  }

  /** Every finding counted by code (`findings()` lists the first `maxFindings`). */
  findingCounts(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.codeCounts);
  }

  /** Nothing to finish: a direction cut inside a record is reported by `cut` in the result. */
  onEnd(_dir: Direction, _reason: 'fin' | 'rst' | 'close', _frame?: number, _ts?: number): void {}

  findings(): readonly AppFinding[] {
    return this.list;
  }

  result(): Record<string, unknown> {
    return tlsResult(this);
  }

  /** Bytes the parser holds now (both directions' reassembly buffers; bounded by `maxHandshakeMessage` each). */
  bufferedBytes(): number {
    return this.dirs[0].bufferedBytes() + this.dirs[1].bufferedBytes();
  }

  /** One line for the flows table: `TLS1.3 example.com h2`. */
  label(): string {
    return tlsLabel(this);
  }

  // ---- DirectionHooks ----------------------------------------------------------------------

  handshake(dir: Direction, m: HandshakeMessage): void {
    switch (m.type) {
      case HS.CLIENT_HELLO:
        this.onClientHello(dir, m);
        return;
      case HS.SERVER_HELLO:
        this.onServerHello(dir, m);
        return;
      case HS.CERTIFICATE:
        if (this.tls13 || this.certificates[dir] !== null) return;
        this.certificates[dir] = {
          frame: m.frame, length: m.length, facts: m.certificate,
          unread: m.lostBytes > 0 ? `${m.lostBytes} bytes missing from the capture` : null,
        };
        if (m.certificate?.error) this.malformedMessage(dir, m, 0, `Certificate: ${m.certificate.error}`);
        return;
      default: // counted by type in the direction's message list only
        return;
    }
  }

  private onClientHello(dir: Direction, m: HandshakeMessage): void {
    this.clientHellos++;
    if (this.clientHello !== null) return; // the second ClientHello (after a HelloRetryRequest) repeats the first's names
    if (m.body === null) {
      this.clientHelloUnread ??= unreadWhy(m);
      return;
    }
    const p = parseClientHello(m.body, m.length);
    this.clientHello = { ...p.facts, frame: m.frame, dir };
    if (p.error) this.malformedMessage(dir, m, p.error.at, `ClientHello: ${p.error.what}`);
    if (p.facts.sniOdd) this.malformedMessage(dir, m, 0, `ClientHello: server_name ${JSON.stringify(p.facts.sni)} is not a printable host name`);
  }

  private onServerHello(dir: Direction, m: HandshakeMessage): void {
    if (m.body === null) {
      this.serverHelloUnread ??= unreadWhy(m);
      return;
    }
    const p = parseServerHello(m.body, m.length);
    const f = { ...p.facts, frame: m.frame };
    if (p.error) this.malformedMessage(dir, m, p.error.at, `ServerHello: ${p.error.what}`);
    if (f.hrr) {
      this.hrr ??= f;
      if (f.selectedVersion !== null && isTls13(f.selectedVersion)) this.tls13 = true;
      return;
    }
    if (this.serverHello !== null) return;
    this.serverHello = f;
    this.tls13 = isTls13(f.selectedVersion ?? f.legacyVersion);
  }

  alert(dir: Direction, level: number, description: number, frame: number, ts: number, offset: number): void {
    if (this.alerts.length < this.opts.maxListed) this.alerts.push({ dir, frame, ts, offset, level, description });
    else this.alertsNotListed++;
    if (level === 2) this.finding('tls_alert', dir, frame, ts, { offset, level: 'fatal', description: alertName(description), code: description });
    else if (level !== 1) this.finding('tls_malformed', dir, frame, ts, { offset, what: `alert level ${level} (neither warning 1 nor fatal 2)` });
  }

  sslv2(dir: Direction, body: Uint8Array, frame: number, ts: number): string | null {
    const type = body.length > 0 ? body[0]! : -1;
    if (type === 1) {
      this.clientHellos++;
      const p = parseSslv2ClientHello(body, body.length);
      if (p.error) this.finding('tls_malformed', dir, frame, ts, { offset: 2 + p.error.at, what: `SSL 2.0 ClientHello: ${p.error.what}` });
      this.clientHello ??= { ...p.facts, frame, dir };
      return null;
    }
    if (type === 4) {
      this.sslv2Server = true;
      return 'SSL 2.0 ServerHello: the server answered in SSL 2.0, whose records are not parsed';
    }
    this.finding('tls_malformed', dir, frame, ts, { offset: 0, what: `SSL 2.0-format record of message type ${type} at the start of the stream` });
    return `SSL 2.0-format record of message type ${type}`;
  }

  finding(code: TlsFindingCode, dir: Direction, frame: number, ts: number, detail: Record<string, unknown>): void {
    if (this.cutting && code === 'tls_gap') return;
    this.codeCounts.set(code, (this.codeCounts.get(code) ?? 0) + 1);
    if (this.list.length < this.opts.maxFindings) this.list.push({ code, frame, ts, dir, detail });
    else this.findingsNotListed++;
  }

  private malformedMessage(dir: Direction, m: HandshakeMessage, at: number, what: string): void {
    this.finding('tls_malformed', dir, m.frame, m.ts, { offset: m.offset + 4 + at, what });
  }
}

function unreadWhy(m: HandshakeMessage): string {
  if (m.tooLarge) return `${m.length} bytes, larger than the handshake buffer: not read`;
  return `${m.lostBytes} of its ${m.length} bytes missing from the capture: not read`;
}
