/**
 * Test adapter: feeds `TlsParser` from a capture before the application-layer framework exists.
 * A `StreamSink` per flow that sniffs the first bytes (either direction) with `sniffTls`,
 * holds them until it can decide, and then forwards every event to a `TlsParser` (ts 0: the
 * stream sink does not carry times). Flows that are not TLS keep no parser.
 */
import type { Direction } from '../../src/core/direction.js';
import type { FlowEndpoints } from '../../src/flow/flow.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import type { GapCause, StreamEndReason, StreamSink } from '../../src/reassembly/stream-sink.js';
import { sniffTls, TLS_SNIFF_BYTES } from '../../src/app/tls/detect.js';
import { TlsParser, type TlsParserOptions } from '../../src/app/tls/tls-parser.js';

type Held =
  | { kind: 'data'; dir: Direction; offset: number; bytes: Uint8Array; frame: number }
  | { kind: 'gap'; dir: Direction; offset: number; len: number; frame: number }
  | { kind: 'end'; dir: Direction; reason: StreamEndReason; frame: number };

export class TlsSinkAdapter implements StreamSink {
  parser: TlsParser | null = null;
  /** 'tls' / 'sslv2' once detected, 'no' when the flow is not TLS. */
  verdict: 'tls' | 'sslv2' | 'no' | 'undecided' = 'undecided';
  private held: Held[] = [];
  private first = new Uint8Array(0);
  private firstDir: Direction | -1 = -1;

  constructor(private readonly opts: Readonly<Partial<TlsParserOptions>> = {}) {}

  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    if (this.parser) return this.parser.onData(dir, offset, buf, off, len, frame, 0);
    if (this.verdict === 'no') return;
    this.held.push({ kind: 'data', dir, offset, bytes: buf.slice(off, off + len), frame });
    if (this.firstDir === -1 && offset === 0) this.firstDir = dir;
    if (dir !== this.firstDir) return this.decideIfLong();
    const joined = new Uint8Array(this.first.length + len);
    joined.set(this.first);
    joined.set(buf.subarray(off, off + len), this.first.length);
    this.first = joined.subarray(0, Math.min(joined.length, TLS_SNIFF_BYTES));
    const s = sniffTls(this.first, 0, this.first.length);
    if (s !== 'need-more') this.decide(s);
    else this.decideIfLong();
  }

  private decideIfLong(): void {
    if (this.held.length > 64) this.decide('no');
  }

  private decide(s: 'tls' | 'sslv2' | 'no'): void {
    this.verdict = s;
    const held = this.held;
    this.held = [];
    if (s === 'no') return;
    const p = (this.parser = new TlsParser(this.opts));
    for (const h of held) {
      if (h.kind === 'data') p.onData(h.dir, h.offset, h.bytes, 0, h.bytes.length, h.frame, 0);
      else if (h.kind === 'gap') p.onGap(h.dir, h.offset, h.len, h.frame, 0);
      else p.onEnd(h.dir, h.reason, h.frame, 0);
    }
  }

  onGap(dir: Direction, offset: number, len: number, frame: number, _cause?: GapCause): void {
    if (this.parser) return this.parser.onGap(dir, offset, len, frame, 0);
    if (this.verdict === 'undecided') {
      // A gap before the first bytes were judged: nothing can be told from what follows.
      if (this.firstDir === -1 || dir === this.firstDir) return this.decide('no');
      this.held.push({ kind: 'gap', dir, offset, len, frame });
    }
  }

  onOverlap(): void {}

  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    if (this.parser) return this.parser.onEnd(dir, reason, frame, 0);
    if (this.verdict === 'undecided') {
      this.held.push({ kind: 'end', dir, reason, frame });
      if (this.firstDir === -1 || dir === this.firstDir) {
        const s = sniffTls(this.first, 0, this.first.length);
        this.decide(s === 'tls' || s === 'sslv2' ? s : 'no');
      }
    }
  }
}

export interface TlsFlow {
  id: number;
  clientPort: number;
  serverPort: number;
  adapter: TlsSinkAdapter;
}

/** Every flow of a capture with its adapter (TLS or not), in flow-id order. */
export async function tlsFlowsOf(file: string, opts: Readonly<Partial<TlsParserOptions>> = {}): Promise<TlsFlow[]> {
  const flows: TlsFlow[] = [];
  await analyzeCapture(file, {
    streamSink: (f: FlowEndpoints) => {
      const adapter = new TlsSinkAdapter(opts);
      flows.push({ id: f.id, clientPort: f.clientPort, serverPort: f.serverPort, adapter });
      return adapter;
    },
  });
  return flows.sort((a, b) => a.id - b.id);
}

/** One recorded stream event of a flow (bytes copied), for replaying into a parser. */
export type StreamEvent =
  | { kind: 'data'; dir: Direction; offset: number; bytes: Uint8Array; frame: number }
  | { kind: 'gap'; dir: Direction; offset: number; len: number; frame: number; cause?: GapCause }
  | { kind: 'end'; dir: Direction; reason: StreamEndReason; frame: number };

/** Records every event of a flow. */
class Recorder implements StreamSink {
  readonly events: StreamEvent[] = [];
  onData(dir: Direction, offset: number, buf: Uint8Array, off: number, len: number, frame: number): void {
    this.events.push({ kind: 'data', dir, offset, bytes: buf.slice(off, off + len), frame });
  }
  onGap(dir: Direction, offset: number, len: number, frame: number): void {
    this.events.push({ kind: 'gap', dir, offset, len, frame });
  }
  onOverlap(): void {}
  onEnd(dir: Direction, reason: StreamEndReason, frame: number): void {
    this.events.push({ kind: 'end', dir, reason, frame });
  }
}

/** The stream events of every flow of a capture, in flow-id order. */
export async function streamEventsOf(file: string): Promise<{ id: number; clientPort: number; serverPort: number; events: StreamEvent[] }[]> {
  const flows: { id: number; clientPort: number; serverPort: number; events: StreamEvent[] }[] = [];
  await analyzeCapture(file, {
    streamSink: (f: FlowEndpoints) => {
      const r = new Recorder();
      flows.push({ id: f.id, clientPort: f.clientPort, serverPort: f.serverPort, events: r.events });
      return r;
    },
  });
  return flows.sort((a, b) => a.id - b.id);
}

/** Feeds recorded events to a new parser (ts 0) and returns it. */
export function replay(events: readonly StreamEvent[], opts: Readonly<Partial<TlsParserOptions>> = {}): TlsParser {
  const p = new TlsParser(opts);
  for (const e of events) {
    if (e.kind === 'data') p.onData(e.dir, e.offset, e.bytes, 0, e.bytes.length, e.frame, 0);
    else if (e.kind === 'gap') p.onGap(e.dir, e.offset, e.len, e.frame, 0, e.cause);
    else p.onEnd(e.dir, e.reason, e.frame, 0);
  }
  return p;
}
