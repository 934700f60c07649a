/**
 * The flow table's deferred mode (flow-table.ts `defer`) at the table itself, with fake
 * analyzers that record what they see: which packets wait, when a flow's queue runs (before its
 * next SYN / FIN / RST, at its finalisation, at `drain`), capture order within each flow, and a
 * failing packet reported with its own frame while the flow's later packets still run.
 * pipeline/deferred-identity.test.ts checks whole analyses against the immediate mode.
 */
import { describe, expect, test } from 'vitest';
import type { Direction } from '../../src/core/direction.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import type { ConnectionObserver, FlowAnalyzerFactory, ObservedConnection } from '../../src/flow/analyzers.js';
import { FlowTable, type PacketSource } from '../../src/flow/flow-table.js';
import { PendingPackets } from '../../src/flow/pending-packets.js';
import { buildFrame, TCP_FLAG } from '../../src/synth/packet.js';
import { FAKE_ANALYZERS } from './flow-helpers.js';

const { SYN, ACK, FIN } = TCP_FLAG;

/** Frames each flow's tracker saw, by flow id, in the order it saw them. */
type Seen = Map<number, number[]>;

function recordingAnalyzers(seen: Seen, failAt = -1): FlowAnalyzerFactory {
  return {
    ...FAKE_ANALYZERS,
    tracker: (flow): ConnectionObserver => ({
      onPacket(_pkt: DecodedPacket, _dir: Direction, frame: number): void {
        if (frame === failAt) throw new Error(`frame ${frame} fails`);
        let l = seen.get(flow.id);
        if (l === undefined) seen.set(flow.id, (l = []));
        l.push(frame);
      },
      finish: (): ObservedConnection => FAKE_ANALYZERS.tracker(flow).finish(),
    }),
  };
}

/** Segments of two connections (client ports 1 and 2), as [client port, flags, c2s?]. */
const SEGS: [number, number, boolean][] = [
  [1, SYN, true], //              1  SYN: never waits
  [2, ACK, true], //              2  flow 1 (mid-stream)
  [1, SYN | ACK, false], //       3
  [1, ACK, true], //              4  waits
  [2, ACK, false], //             5  waits
  [1, ACK, true], //              6  waits
  [1, FIN | ACK, true], //        7  FIN: 4 and 6 run first
  [2, ACK, true], //              8  waits
  [1, ACK, false], //             9  waits
];

function setup(failAt = -1): { t: FlowTable; seen: Seen; errors: [number, string][]; feed: (n: number) => void; loaded: number[] } {
  const seen: Seen = new Map();
  const errors: [number, string][] = [];
  const frames: Uint8Array[] = [];
  const loaded: number[] = [];
  const source: PacketSource = {
    load(ref: number): DecodedPacket {
      loaded.push(ref);
      const p = new DecodedPacket();
      decodePacket(p, frames[ref]!, 0, frames[ref]!.length, 1);
      return p;
    },
  };
  const t = new FlowTable(recordingAnalyzers(seen, failAt), { onFlowEnd: () => {}, onAnalysisError: (frame, e) => errors.push([frame, (e as Error).message]) });
  t.defer(source);
  const pkt = new DecodedPacket();
  let i = 0;
  const feed = (n: number): void => {
    for (const end = i + n; i < end; i++) {
      const [port, flags, c2s] = SEGS[i]!;
      const [src, dst, sport, dport] = c2s ? ['10.0.0.1', '10.0.0.2', port, 80] : ['10.0.0.2', '10.0.0.1', 80, port];
      const bytes = buildFrame({ ip: { version: 4, src, dst }, tcp: { srcPort: sport, dstPort: dport, seq: 1000, ack: 0, flags, payload: new Uint8Array(0) } });
      frames.push(bytes);
      decodePacket(pkt, bytes, 0, bytes.length, 1);
      t.onPacket(pkt, i + 1, 0, (i + 1) * 1000, true, i);
    }
  };
  return { t, seen, errors, feed, loaded };
}

describe('deferred mode of the flow table', () => {
  test('packets wait until their flow is needed; each flow sees its packets in capture order', () => {
    const { t, seen, feed } = setup();
    feed(3);
    // The SYN and SYN/ACK ran at once; the mid-stream ACK of flow 1 waits.
    expect(seen.get(0)).toEqual([1, 3]);
    expect(seen.get(1)).toBeUndefined();
    expect(t.pendingPackets).toBe(1);
    feed(3);
    expect(seen.get(0)).toEqual([1, 3]);
    expect(t.pendingPackets).toBe(4);
    feed(1); // the FIN: its flow's queue first
    expect(seen.get(0)).toEqual([1, 3, 4, 6, 7]);
    expect(seen.get(1)).toBeUndefined();
    feed(2);
    t.drain();
    expect(t.pendingPackets).toBe(0);
    expect(seen.get(0)).toEqual([1, 3, 4, 6, 7, 9]);
    expect(seen.get(1)).toEqual([2, 5, 8]);
  });

  test('a flow finalised at the end runs its queue first', () => {
    const { t, seen, feed } = setup();
    feed(SEGS.length);
    t.flush();
    expect(seen.get(0)).toEqual([1, 3, 4, 6, 7, 9]);
    expect(seen.get(1)).toEqual([2, 5, 8]);
  });

  test('a packet whose analysis fails is reported with its own frame; the flow goes on', () => {
    const { t, seen, errors, feed } = setup(5);
    feed(SEGS.length);
    expect(errors).toEqual([]);
    t.drain();
    expect(errors).toEqual([[5, 'frame 5 fails']]);
    expect(seen.get(1)).toEqual([2, 8]);
  });

  test('packets routed without a handle run at once', () => {
    const seen: Seen = new Map();
    const t = new FlowTable(recordingAnalyzers(seen), { onFlowEnd: () => {} });
    t.defer({ load: () => { throw new Error('nothing was deferred'); } });
    const pkt = new DecodedPacket();
    const bytes = buildFrame({ ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, tcp: { srcPort: 1, dstPort: 80, seq: 1, ack: 0, flags: ACK, payload: new Uint8Array(0) } });
    decodePacket(pkt, bytes, 0, bytes.length, 1);
    t.onPacket(pkt, 1, 0, 0, true, -1);
    expect(seen.get(0)).toEqual([1]);
    expect(t.pendingPackets).toBe(0);
  });
});

/** Refs by slot, slots in order of their first ref. */
function groupBySlot(adds: readonly [number, number][]): [number, number[]][] {
  const m = new Map<number, number[]>();
  for (const [slot, ref] of adds) m.set(slot, [...(m.get(slot) ?? []), ref]);
  return [...m];
}

describe('PendingPackets', () => {
  test.each([
    ['one slot', [[0, 10], [0, 11], [0, 12]], [[0, [10, 11, 12]]]],
    ['slots in order of their first packet', [[5, 1], [2, 2], [5, 3], [9, 4], [2, 5]], [[5, [1, 3]], [2, [2, 5]], [9, [4]]]],
    ['beyond the initial sizes (4096 entries, 1024 slots)', Array.from({ length: 9000 }, (_, i) => [(i * 7) % 3000, i]), null],
  ] as [string, [number, number][], [number, number[]][] | null][])('%s', (_name, adds, expected) => {
    const q = new PendingPackets();
    for (const [slot, ref] of adds) q.add(slot, ref, 0, ref + 0.5, ref, ref % 1000);
    expect(q.size).toBe(adds.length);
    const want = expected ?? groupBySlot(adds);
    const got: [number, number[]][] = [];
    q.takeAll((slot) => {
      const refs: number[] = [];
      for (let i = q.detach(slot); i >= 0; i = q.nextOf(i)) {
        expect(q.frameOf(i)).toBe(q.refOf(i) + 0.5);
        expect(q.nsecOf(i)).toBe(q.refOf(i) % 1000);
        refs.push(q.refOf(i));
      }
      got.push([slot, refs]);
    });
    expect(got).toEqual(want);
    expect(q.size).toBe(0);
    expect(q.has(adds[0]![0])).toBe(false);
  });

  test('a slot taken on its own and refilled is run once by takeAll', () => {
    const q = new PendingPackets();
    q.add(1, 10, 0, 0, 0, 0);
    q.add(2, 20, 1, 0, 0, 0);
    const i = q.detach(1);
    expect(q.refOf(i)).toBe(10);
    expect(q.nextOf(i)).toBe(-1);
    q.add(1, 11, 0, 0, 0, 0);
    const order: number[] = [];
    const refs: number[] = [];
    q.takeAll((slot) => {
      order.push(slot);
      for (let j = q.detach(slot); j >= 0; j = q.nextOf(j)) refs.push(q.refOf(j));
    });
    expect(order).toEqual([1, 2]);
    expect(refs).toEqual([11, 20]);
  });
});
