/**
 * The TCP flow table: packets → flows (connections), numbered 0, 1, 2 … in order of first
 * packet like Wireshark's `tcp.stream`.
 *
 * - Key: the four-tuple through `TupleTable` (no string per packet); a tuple id maps to its
 *   current flow's slot in a typed array.
 * - A new flow starts on a SYN without ACK when the tuple's current flow has closed (FIN both
 *   ways, or RST), or when its sender already sent a SYN with another ISN, or already sent
 *   packets without any SYN — not on a retransmitted SYN (same ISN). The new flow gets
 *   `reused_ports`; the same holds against the tuple's last finalised flow (ended-tuples.ts).
 * - Roles: see `startFlow` (SYN sender = client; SYN/ACK sender = server; else ports; else the
 *   first packet's sender).
 * - Memory: idle expiry in packet time (two LRU lists, open and closed flows, each with its own
 *   timeout; the lists are links between slots in typed arrays, slot-lists.ts, so moving a flow to the head
 *   touches no flow object), at most `maxFlows` live flows (the least recently active is evicted, closed ones
 *   first). A finalised flow's summary goes to `onFlowEnd` (a collector, or a streaming writer).
 *
 * Pure: no I/O, no clocks.
 */
import { DEFAULT_LIMITS, type FlowLimits } from '../core/limits.js';
import { DIR, type Direction } from '../core/direction.js';
import { TCP_FLAG, type DecodedPacket } from '../dissectors/decoded-packet.js';
import type { FlowAnalyzerFactory, FlowAppFactory } from './analyzers.js';
import { Flow, type FlowEnd, type FlowEndpoints, type FlowStreamSinkFactory } from './flow.js';
import { summarizeFlow, type FlowSummary } from './flow-summary.js';
import { senderIsClientByPort, type RoleInference } from './roles.js';
import { TupleTable } from './tuple-table.js';
import { EndedTuples } from './ended-tuples.js';
import { PacketClock } from './packet-clock.js';
import { PendingPackets } from './pending-packets.js';
import { SlotLists } from './slot-lists.js';

/**
 * Gives a deferred packet back (the flow table's deferred mode, `defer`): decodes packet `ref`
 * again, into a DecodedPacket of its own (not the one being routed), valid until the next call.
 */
export interface PacketSource {
  load(ref: number): DecodedPacket;
}

export interface FlowTableOptions {
  limits?: Readonly<Partial<FlowLimits>>;
  /** Receives each finished flow's summary, in the order flows finish. */
  onFlowEnd: (summary: FlowSummary) => void;
  /**
   * Deferred mode: a packet whose analysis failed (an internal error, thrown) when it ran, later
   * than its routing. Without it the error is thrown to whoever caused the analysis to run.
   */
  onAnalysisError?: (frame: number, e: unknown) => void;
  /** Consumers of the flows' byte streams (follow, extract). */
  streamSink?: FlowStreamSinkFactory;
  /** The application layer of each flow (protocol detection and parsers: `app/app-layer.ts`); none when absent. */
  app?: FlowAppFactory;
}

/** Counters for `summary.limits.flow`. */
export interface FlowTableCounters {
  /** Flows started. */
  flows: number;
  /** Largest number of live flows at once. */
  peakLive: number;
  /** Flows finalised by idle expiry (open / closed timeout). */
  expiredIdle: number;
  expiredClosed: number;
  /** Flows finalised early because `maxFlows` were live. */
  evicted: number;
  /** New connections on a four-tuple still holding a flow (`reused_ports`). */
  reused: number;
}

const OPEN = 0;
const CLOSED = 1;
/** Packets that can change what the routing reads of a flow (`closed`, its SYN ISNs): never deferred. */
const CONTROL = TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST;

export class FlowTable {
  readonly counters: FlowTableCounters = { flows: 0, peakLive: 0, expiredIdle: 0, expiredClosed: 0, evicted: 0, reused: 0 };
  readonly limits: Readonly<FlowLimits>;
  private readonly tuples = new TupleTable(4096);
  /** Tuple id → slot of its live flow, or -1. */
  private tupleSlot = new Int32Array(4096).fill(-1);
  /** Per tuple id: how its last finalised flow ended and its SYN ISNs (ended-tuples.ts). */
  private readonly ended = new EndedTuples(4096);
  private readonly slots: (Flow | null)[] = [];
  private readonly freeSlots: number[] = [];
  private live = 0;
  /** The LRU lists (OPEN, CLOSED) and each slot's latest packet time and frame (slot-lists.ts). */
  private readonly lru = new SlotLists();
  /** The current packet's clock time, seconds (see `routeAt`). */
  private readonly pktTime = new Float64Array(1);
  /** Packet-time clock for expiry (packet-clock.ts). */
  private readonly clock = new PacketClock();

  /** Deferred mode: where deferred packets come back from, and the packets waiting per slot (see `defer`). */
  private source: PacketSource | null = null;
  private readonly pending = new PendingPackets();

  constructor(private readonly factory: FlowAnalyzerFactory, private readonly opts: FlowTableOptions) {
    this.limits = { ...DEFAULT_LIMITS.flow, ...opts.limits };
  }

  /**
   * Deferred mode (faster: docs/performance.md, "Flow by flow"): from now on a packet routed with
   * a handle (`ref` ≥ 0) and without SYN, FIN or RST is queued on its flow, and its analysis runs
   * when `drain` is called, when its flow is finalised, or before the flow's next packet that is
   * not queued — each flow's packets in capture order, flows one after the other. The result is
   * the same as analysing every packet as it comes: flows are analysed independently, and what
   * the routing itself reads of a flow (whether it has closed, its SYNs) only changes with
   * SYN, FIN and RST, which never wait (their flow's queue runs first). The caller keeps every
   * queued packet's bytes until `drain` (or `flush`) returns; `source` decodes them again.
   */
  defer(source: PacketSource): void {
    this.source = source;
  }

  /** Deferred mode: run every queued packet (flows in order of their first queued packet). */
  drain(): void {
    if (this.pending.size === 0) return;
    this.pending.takeAll((slot) => this.drainSlot(slot));
  }

  /** Packets queued since the last `drain` (deferred mode; a flow's queue may have run early since, see `defer`). */
  get pendingPackets(): number {
    return this.pending.size;
  }

  /** Distinct four-tuples seen (tshark's `conv,tcp` rows before splitting by connection). */
  get tupleCount(): number {
    return this.tuples.size;
  }

  /** Flows live now. */
  get liveFlows(): number {
    return this.live;
  }

  /**
   * Every live flow, in slot order, for read-only use between packets (a live view asks about
   * once a second; never on the per-packet path). `fn` must not feed packets to the table.
   */
  forEachLive(fn: (flow: Flow) => void): void {
    this.drain();
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const f = slots[i];
      if (f !== null && f !== undefined) fn(f);
    }
  }

  /**
   * Feed one decoded TCP packet (`pkt` valid only during the call). `ref` (deferred mode, see
   * `defer`): the packet's handle for the PacketSource, or -1 to analyse it now.
   */
  onPacket(pkt: DecodedPacket, frameNo: number, tsSec: number, tsNsec: number, hasTs = true, ref = -1): void {
    const clock = this.clock;
    this.pktTime[0] = clock.advance(hasTs, tsSec, tsNsec);
    if (clock.sweepDue()) this.sweep(clock.now);
    this.routeAt(pkt, frameNo, tsSec, tsNsec, ref);
  }

  /**
   * A packet whose clock the caller keeps (a shard of a sharded analysis: the main thread runs
   * the PacketClock over every packet and calls `sweep` where it says). `time` is what the clock
   * returned for the packet.
   */
  route(pkt: DecodedPacket, frameNo: number, tsSec: number, tsNsec: number, time: number, ref = -1): void {
    this.pktTime[0] = time;
    this.routeAt(pkt, frameNo, tsSec, tsNsec, ref);
  }

  /** `route` with the packet's clock time in `pktTime[0]` (a double passed as an argument would be boxed per packet). */
  private routeAt(pkt: DecodedPacket, frameNo: number, tsSec: number, tsNsec: number, ref: number): void {
    const tid = this.tuples.lookup(pkt.buf, pkt.ipVersion, pkt.srcOff, pkt.dstOff, pkt.sport, pkt.dport);
    const tdir = this.tuples.lastDirection;
    if (tid >= this.tupleSlot.length) this.growTupleSlots(tid + 1);
    let slot = this.tupleSlot[tid]!;
    let flow = slot >= 0 ? this.slots[slot]! : null;
    const flags = pkt.tcpFlags;
    const defer = ref >= 0 && (flags & CONTROL) === 0;
    // A packet analysed now comes after its flow's queued ones (and the SYN checks below read the flow).
    if (!defer && slot >= 0 && this.pending.has(slot)) this.drainSlot(slot);
    let reused = false;
    if (flow !== null && (flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN && this.startsNewConnection(flow, pkt, tdir)) {
      this.finalize(flow, 'reused');
      flow = null;
      reused = true;
    }
    if (flow === null) {
      // A SYN on a four-tuple whose earlier connection has already been finalised (closed and
      // past the closed timeout, or idle) is a reused port as much as one on a live flow.
      if (!reused && (flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN) reused = this.ended.reuses(tid, tdir, pkt.seq);
      flow = this.startFlow(pkt, tid, tdir);
      slot = flow.slot;
      this.tupleSlot[tid] = slot;
    }
    const dir: Direction = tdir === flow.clientTupleDir ? DIR.C2S : DIR.S2C;
    const wasClosed = flow.closed;
    const lru = this.lru;
    lru.frame[slot] = frameNo;
    if (defer) this.pending.add(slot, ref, dir, frameNo, tsSec, tsNsec);
    else this.analyse(flow, pkt, dir, frameNo, tsSec, tsNsec);
    const time = this.pktTime[0]!;
    if (time > lru.time[slot]!) lru.time[slot] = time;
    if (reused) {
      // Raised after the flow saw its first packet, so the event carries that packet's time.
      this.counters.reused++;
      flow.raise('reused_ports', frameNo, dir);
    }
    const list = lru.listOf(slot);
    if (list !== -1) lru.touch(slot, !wasClosed && flow.closed ? CLOSED : list);
  }

  /** One packet through its flow's analysis. */
  private analyse(flow: Flow, pkt: DecodedPacket, dir: Direction, frameNo: number, tsSec: number, tsNsec: number): void {
    flow.onPacket(pkt, dir, frameNo, tsSec, tsNsec);
    // A closed flow waits for late packets with only what they need (and gives back the rest
    // again after each of them).
    if (flow.closed) flow.condense();
  }

  /** Deferred mode: the queued packets of the flow in `slot`, in order. */
  private drainSlot(slot: number): void {
    const q = this.pending;
    const flow = this.slots[slot]!;
    const source = this.source!;
    const onError = this.opts.onAnalysisError;
    for (let i = q.detach(slot); i >= 0; i = q.nextOf(i)) {
      const pkt = source.load(q.refOf(i));
      if (onError === undefined) {
        this.analyse(flow, pkt, q.dirOf(i), q.frameOf(i), q.secOf(i), q.nsecOf(i));
        continue;
      }
      try {
        this.analyse(flow, pkt, q.dirOf(i), q.frameOf(i), q.secOf(i), q.nsecOf(i));
      } catch (e) {
        onError(q.frameOf(i), e);
      }
    }
  }

  /**
   * End of input: finalise every live flow, in id order. Each flow is dropped from the list as
   * it is finalised, so its state can be collected while the later summaries are built (the
   * peak is not every flow plus every summary).
   */
  flush(): void {
    this.drain();
    const live: (Flow | null)[] = this.slots.filter((f): f is Flow => f !== null).sort((a, b) => a.id - b.id);
    for (let i = 0; i < live.length; i++) {
      const f = live[i]!;
      live[i] = null;
      this.finalize(f, 'capture-end');
    }
  }

  /** A SYN (no ACK) from tuple direction `tdir` on a tuple whose current flow is `flow`. */
  private startsNewConnection(flow: Flow, pkt: DecodedPacket, tdir: number): boolean {
    if (flow.closed) return true;
    const dir = tdir === flow.clientTupleDir ? DIR.C2S : DIR.S2C;
    const isn = flow.synIsn(dir);
    if (isn !== -1) return isn !== pkt.seq;
    return flow.packetCount(dir) > 0;
  }

  private startFlow(pkt: DecodedPacket, tid: number, tdir: number): Flow {
    if (this.live >= this.limits.maxFlows) this.evictOne();
    const flags = pkt.tcpFlags;
    let senderIsClient: boolean;
    let how: RoleInference;
    if ((flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN) {
      senderIsClient = true;
      how = 'syn';
    } else if ((flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === (TCP_FLAG.SYN | TCP_FLAG.ACK)) {
      senderIsClient = false;
      how = 'syn-ack';
    } else {
      const r = senderIsClientByPort(pkt.sport, pkt.dport);
      senderIsClient = r.client;
      how = r.how;
    }
    const n = pkt.ipVersion === 6 ? 16 : 4;
    // Both addresses in one copy (one buffer per flow, not two).
    const addrs = new Uint8Array(2 * n);
    addrs.set(pkt.buf.subarray(pkt.srcOff, pkt.srcOff + n), 0);
    addrs.set(pkt.buf.subarray(pkt.dstOff, pkt.dstOff + n), n);
    const src = addrs.subarray(0, n);
    const dst = addrs.subarray(n, 2 * n);
    const endpoints: FlowEndpoints = {
      id: this.counters.flows++,
      ipVersion: pkt.ipVersion === 6 ? 6 : 4,
      clientAddr: senderIsClient ? src : dst,
      serverAddr: senderIsClient ? dst : src,
      clientPort: senderIsClient ? pkt.sport : pkt.dport,
      serverPort: senderIsClient ? pkt.dport : pkt.sport,
      roleInferred: how,
    };
    const sink = this.opts.streamSink?.(endpoints) ?? null;
    const flow = new Flow(endpoints, tid, senderIsClient ? tdir : 1 - tdir, this.factory, sink);
    const app = this.opts.app?.(endpoints, flow) ?? null;
    if (app !== null) {
      flow.app = app;
      flow.appDirs = 3;
    }
    flow.maxAnomalies = this.limits.maxAnomaliesPerFlow;
    flow.slot = this.freeSlots.pop() ?? this.slots.length;
    this.lru.ensure(flow.slot);
    this.slots[flow.slot] = flow;
    this.lru.time[flow.slot] = 0;
    this.lru.frame[flow.slot] = 0;
    this.live++;
    if (this.live > this.counters.peakLive) this.counters.peakLive = this.live;
    this.lru.link(flow.slot, OPEN);
    return flow;
  }

  /** Remember how a four-tuple's flow ended, for a later SYN on the tuple (`EndedTuples.reuses`). */
  private noteEnded(flow: Flow): void {
    const c0 = flow.clientTupleDir === 0;
    this.ended.note(flow.tupleId, flow.closed, flow.synIsn(c0 ? DIR.C2S : DIR.S2C), flow.synIsn(c0 ? DIR.S2C : DIR.C2S));
  }

  private finalize(flow: Flow, end: FlowEnd): void {
    if (this.pending.has(flow.slot)) this.drainSlot(flow.slot);
    this.noteEnded(flow);
    this.lru.unlink(flow.slot);
    this.slots[flow.slot] = null;
    this.freeSlots.push(flow.slot);
    if (this.tupleSlot[flow.tupleId] === flow.slot) this.tupleSlot[flow.tupleId] = -1;
    this.live--;
    flow.end = end;
    flow.closeStreams();
    const observed = flow.tracker.finish();
    const [r0, r1] = flow.reassemblers;
    const hits = (r0.stats.limitHits ?? 0) + (r1.stats.limitHits ?? 0);
    if (hits > 0) flow.raise('limit_reached', flow.lastFrame, DIR.C2S, { limit: 'reassembly', hits });
    const behaviour = flow.behaviour?.finish() ?? null;
    const app = flow.app?.finish() ?? null;
    this.opts.onFlowEnd(summarizeFlow(flow, observed, behaviour, this.limits.maxAnomaliesPerFlow, app));
  }

  /**
   * Expire the idle tails of both lists at clock time `now`: open flows first, then closed
   * ones, each list from its least recently active flow, until the first flow active within
   * its timeout. `stops` (sharded analysis, see `sweepStops`): also stop at the first flow whose
   * last packet is at or after frame `stops[list]`.
   */
  sweep(now: number, stops?: readonly [number, number]): void {
    const timeouts = [this.limits.idleTimeoutSec, this.limits.closedTimeoutSec];
    for (const list of [OPEN, CLOSED]) {
      const limit = now - (timeouts[list] ?? 0);
      const stop = stops?.[list] ?? Infinity;
      for (let f = this.flowAt(this.lru.tail(list)); f !== null && this.lru.time[f.slot]! < limit && this.lru.frame[f.slot]! < stop; f = this.flowAt(this.lru.tail(list))) {
        if (list === OPEN) this.counters.expiredIdle++;
        else this.counters.expiredClosed++;
        this.finalize(f, list === OPEN ? 'idle' : 'closed-idle');
      }
    }
  }

  /**
   * Where `sweep(now)` would stop in each list (open, closed): the last frame of the first flow
   * from the tail still active within its timeout, or Infinity when the sweep would empty the
   * list. Flows are in each list in order of their last packet (every packet moves its flow to
   * the head), so in a sharded analysis the smallest stop over all shards is where one table
   * holding every flow would stop.
   */
  sweepStops(now: number): [number, number] {
    const timeouts = [this.limits.idleTimeoutSec, this.limits.closedTimeoutSec];
    const out: [number, number] = [Infinity, Infinity];
    for (const list of [OPEN, CLOSED]) {
      const limit = now - (timeouts[list] ?? 0);
      let slot = this.lru.tail(list);
      while (slot !== -1 && this.lru.time[slot]! < limit) slot = this.lru.newerThan(slot);
      if (slot !== -1) out[list] = this.lru.frame[slot]!;
    }
    return out;
  }

  /** Make room for one flow: the least recently active closed flow, else open flow. */
  private evictOne(): void {
    const f = this.flowAt(this.lru.tail(CLOSED) !== -1 ? this.lru.tail(CLOSED) : this.lru.tail(OPEN));
    if (f === null) return;
    if (this.pending.has(f.slot)) this.drainSlot(f.slot);
    this.counters.evicted++;
    f.raise('limit_reached', f.lastFrame, DIR.C2S, { limit: 'flow.maxFlows', max: this.limits.maxFlows });
    this.finalize(f, 'evicted');
  }

  private flowAt(slot: number): Flow | null {
    return slot < 0 ? null : this.slots[slot]!;
  }

  private growTupleSlots(n: number): void {
    const next = new Int32Array(Math.max(n, this.tupleSlot.length * 2)).fill(-1);
    next.set(this.tupleSlot);
    this.tupleSlot = next;
  }
}
