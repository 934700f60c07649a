/**
 * What an HTTP direction parser (`http-direction.ts`) needs from its connection's parser
 * (`http-parser.ts`): decisions that depend on both directions (pairing, body rules after HEAD or
 * CONNECT, protocol switches), findings, and the optional body sink.
 */
import type { HttpLimits } from '../../core/limits.js';
import type { HttpDirection } from './http-direction.js';
import type { ParsedHead } from './http-head.js';
import type { HttpMessage } from './http-message.js';

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
