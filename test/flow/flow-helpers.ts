/**
 * Helpers for flow-table tests: decode synthetic TCP packets and fake per-flow analyzers.
 */
import type { Direction } from '../../src/core/direction.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import type { ConnectionObserver, DirectionReassembler, FlowAnalyzerFactory, ObservedConnection } from '../../src/flow/analyzers.js';
import { FlowTable } from '../../src/flow/flow-table.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import type { FlowLimits } from '../../src/core/limits.js';
import { buildFrame, TCP_FLAG } from '../../src/synth/packet.js';

export { TCP_FLAG };

export interface Seg {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags: number;
  payload?: number;
  /** Seconds (packet time). */
  t?: number;
}

const LINKTYPE_ETHERNET = 1;

class FakeTracker implements ConnectionObserver {
  readonly dirs: Direction[] = [];
  onPacket(_pkt: DecodedPacket, dir: Direction): void {
    this.dirs.push(dir);
  }
  finish(): ObservedConnection {
    return {
      state: { client: 'UNKNOWN', server: 'UNKNOWN', connState: 'OTH', history: this.dirs.map((d) => (d === 0 ? 'C' : 's')).join('') },
      close: { kind: 'none', by: null },
      handshake: { complete: false, rttMs: null, synRetransmissions: 0 },
      anomalies: [],
    };
  }
}

class FakeReassembler implements DirectionReassembler {
  readonly stats = { delivered: 0, missed: 0, retransmittedSegments: 0, limitHits: 0 };
  segment(): void {}
  acked(): void {}
  close(): void {}
}

export const FAKE_ANALYZERS: FlowAnalyzerFactory = {
  tracker: () => new FakeTracker(),
  reassembler: () => new FakeReassembler(),
};

/** A flow table over fake analyzers that collects summaries. */
export function table(limits: Partial<FlowLimits> = {}, factory: FlowAnalyzerFactory = FAKE_ANALYZERS): { t: FlowTable; done: FlowSummary[]; feed: (segs: readonly Seg[]) => void } {
  const done: FlowSummary[] = [];
  const t = new FlowTable(factory, { limits, onFlowEnd: (s) => done.push(s) });
  const pkt = new DecodedPacket();
  let frame = 0;
  const feed = (segs: readonly Seg[]): void => {
    for (const s of segs) {
      const v6 = s.src.includes(':');
      const bytes = buildFrame({
        ip: v6 ? { version: 6, src: s.src, dst: s.dst } : { version: 4, src: s.src, dst: s.dst },
        tcp: { srcPort: s.sport, dstPort: s.dport, seq: s.seq ?? 1000, ack: s.ack ?? 0, flags: s.flags, payload: new Uint8Array(s.payload ?? 0) },
      });
      decodePacket(pkt, bytes, 0, bytes.length, LINKTYPE_ETHERNET);
      const time = s.t ?? frame * 0.001;
      t.onPacket(pkt, ++frame, Math.floor(time), Math.round((time % 1) * 1e9));
    }
  };
  return { t, done, feed };
}
