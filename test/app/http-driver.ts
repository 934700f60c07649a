/**
 * Drives an `HttpParser` (or any AppParser) with scripted stream events, without packets:
 * per direction, data (text or bytes), gaps and ends, in the order given. Each event is one
 * "frame" (frame = event index + 1, ts = frame / 1000), so cutting an event's bytes into pieces
 * changes nothing but the cuts — what the chunk-split tests rely on.
 */
import { HttpParser, type HttpParserOptions } from '../../src/app/http/http-parser.js';
import type { AppParser } from '../../src/app/app-parser.js';
import type { Direction } from '../../src/core/direction.js';
import type { GapCause } from '../../src/reassembly/stream-sink.js';

export type StreamEvent =
  | { dir: Direction; data: string | Uint8Array }
  | { dir: Direction; gap: number; cause?: GapCause }
  | { dir: Direction; end: 'fin' | 'rst' | 'close' };

export const C = 0 as const;
export const S = 1 as const;

export function bytesOf(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? Uint8Array.from(Buffer.from(s, 'latin1')) : s;
}

/** Feeds `events` to `p`; `cuts(eventIndex, length)` gives the cut positions inside each data event. */
export function feed(p: AppParser, events: readonly StreamEvent[], cuts: (i: number, len: number) => readonly number[] = () => []): void {
  const next = [0, 0];
  events.forEach((e, i) => {
    const frame = i + 1;
    const ts = frame / 1000;
    if ('data' in e) {
      const b = bytesOf(e.data);
      const at = [0, ...[...new Set(cuts(i, b.length))].filter((x) => x > 0 && x < b.length).sort((x, y) => x - y), b.length];
      for (let k = 0; k + 1 < at.length; k++) {
        // Each piece in its own buffer, surrounded by junk: a parser must respect off/len.
        const len = at[k + 1]! - at[k]!;
        const host = new Uint8Array(len + 6).fill(0x7e);
        host.set(b.subarray(at[k]!, at[k + 1]!), 3);
        p.onData(e.dir, next[e.dir]!, host, 3, len, frame, ts);
        next[e.dir]! += len;
      }
    } else if ('gap' in e) {
      p.onGap(e.dir, next[e.dir]!, e.gap, frame, ts, e.cause);
      next[e.dir]! += e.gap;
    } else p.onEnd(e.dir, e.end, frame, ts);
  });
}

/** Result and findings of a fresh parser fed `events` (cut as `cuts` says). */
export function parse(events: readonly StreamEvent[], cuts?: (i: number, len: number) => readonly number[], opts: HttpParserOptions = {}): {
  result: Record<string, unknown>;
  findings: { code: string; frame: number; dir: number; detail?: Record<string, unknown> }[];
  counts: Readonly<Record<string, number>>;
  parser: HttpParser;
} {
  const p = new HttpParser(opts);
  feed(p, events, cuts);
  const findings = p.findings().map((f) => ({ code: f.code, frame: f.frame, dir: f.dir, ...(f.detail !== undefined ? { detail: f.detail } : {}) }));
  return { result: p.result(), findings, counts: p.findingCounts(), parser: p };
}

/** The messages of a result (typed loosely for assertions). */
export function messages(r: Record<string, unknown>): Record<string, unknown>[] {
  return r['messages'] as Record<string, unknown>[];
}

/** `method uri → status` lines, one per request (and `→ status` for unpaired responses). */
export function exchanges(r: Record<string, unknown>): string[] {
  const ms = messages(r);
  const out: string[] = [];
  for (const m of ms) {
    if (m['kind'] === 'request') {
      const resp = m['response'] === null ? undefined : ms[m['response'] as number];
      out.push(`${String(m['method'])} ${String(m['uri'])} → ${resp === undefined ? '-' : String(resp['status'])}`);
    } else if (m['request'] === null && m['interim'] !== true) out.push(`→ ${String(m['status'])}`);
  }
  return out;
}
