/**
 * One shard of a sharded analysis (shard-analysis.ts), as the worker thread runs it: a flow
 * table with the pipeline's per-flow analyzers (flow-analyzers.ts `newFlowTable`, as in the
 * single-threaded analysis) fed from batches (shard-batch.ts). It re-decodes each packet from
 * the bytes the main thread sent (the same decoder on the same bytes: the same fields), sweeps
 * where the main thread's packet clock says, and reports what the main thread needs to merge
 * the shards into the single-threaded result (shard-merge.ts): the frame of every flow start,
 * and every finished flow with the frame at which it was finalised.
 *
 * Thread-agnostic (messages go through `post`): shard-worker.ts is a worker thread's entry; the
 * main thread runs shard 0 with one too (shard-pool.ts), fed its packets already decoded
 * (`route`) and its sweeps directly (`sweep`), and takes its answers with `answer`.
 */
import { DecodedPacket } from '../dissectors/decoded-packet.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import type { FlowTable, FlowTableCounters } from '../flow/flow-table.js';
import { newFlowTable, type FlowTableSetup } from './flow-analyzers.js';
import { BatchView, PKT, PacketKeeper, REC, RecordSource, SWP, decodeRecord, packetRecordSize } from './shard-batch.js';
import type { SweepBarrier } from './shard-barrier.js';
import { MAX_INTERNAL_ERROR_SAMPLES } from './decode-stage.js';
import { rowView } from '../report/flow-row.js';
import { flowText, type FlowTextForm } from '../report/flow-json-text.js';
import type { FlowView } from './analyze.js';
import type { MessagePort } from 'node:worker_threads';

/** What a shard is started with (structured-clonable: no functions). */
export interface ShardConfig {
  shard: number;
  shards: number;
  setup: Omit<FlowTableSetup, 'streamSink'>;
  /** Send finished flows reduced to this view (AnalyzeOptions.flowView). */
  view?: FlowView;
}

/**
 * Flows finished, in the shard's order, with the frame each was finalised at (Infinity: end of
 * capture); with the 'json'/'ndjson' views, each whole record's text (report/flow-json-text.ts).
 */
export interface EndedFlows {
  flows: FlowSummary[];
  endFrames: number[];
  texts: string[] | null;
}

/** Worker → main messages. */
export type ShardMessage =
  | ({ t: 'batch'; buf: ArrayBuffer; frontier: number; starts: number[] } & EndedFlows)
  /** Flows that finished in the batch being worked on, sent early (their texts are large: see TEXT_PART). */
  | ({ t: 'flows'; starts: number[] } & EndedFlows)
  | ({ t: 'flush'; last: number } & EndedFlows)
  | { t: 'done'; counters: FlowTableCounters; tuples: number; internalErrors: number; samples: { frame: number; message: string }[]; barrierCuts: number };

/**
 * Main → worker messages: an analysis starts (its shard config, barrier memory, the port the
 * worker answers on and a counter it bumps after each answer: the main thread can then take the
 * answers synchronously, shard-pool.ts `catchUp`), its batches, its end.
 */
export type MainMessage =
  | { t: 'start'; cfg: ShardConfig; barrier: SharedArrayBuffer; out: MessagePort; posted: SharedArrayBuffer }
  | { t: 'batch'; buf: ArrayBuffer; used: number; frontier: number }
  | { t: 'end' };

/** A worker thread's `post` for the analysis `start` began: on its port, then the counter bumped and notified. */
export function answerOn(start: { out: MessagePort; posted: SharedArrayBuffer }): (m: ShardMessage, transfer?: ArrayBuffer[]) => void {
  const count = new Int32Array(start.posted);
  return (m, transfer) => {
    start.out.postMessage(m, transfer ?? []);
    Atomics.add(count, 0, 1);
    Atomics.notify(count, 0);
  };
}

/** Finished flows sent per message at the end of the capture. */
const FLUSH_PART = 256;
/**
 * Flow text (characters) held before it is sent. Sent soon, a flow's text (~17 KB for the JSON
 * report) dies young in this thread's heap; held to the end of the batch, it survives scavenges
 * that copy it (measured: the workers' CPU for the JSON report nearly doubled).
 */
const TEXT_PART = 256 * 1024;

export class ShardRunner {
  private readonly table: FlowTable;
  /** The packet being routed (a deferred one comes back through `records`, into a packet of its own). */
  private readonly pkt = new DecodedPacket();
  /** The batch being run, as the table's PacketSource (deferred mode: flow-table.ts `defer`). */
  private readonly records = new RecordSource(new BatchView(new ArrayBuffer(8)));
  /** The main thread's shard: its packets, copied for the deferred mode (null until its first packet). */
  private keeper: PacketKeeper | null = null;
  private starts: number[] = [];
  private ended: FlowSummary[] = [];
  private endFrames: number[] = [];
  private texts: string[] | null;
  private textChars = 0;
  /** Frame the flow table is working at (what a flow finalised now ends at). */
  private frame = 0;
  private flowsSeen = 0;
  private internalErrors = 0;
  private readonly samples: { frame: number; message: string }[] = [];
  private flushing = false;
  /** Barrier sweeps that stopped earlier than this shard alone would have (another shard's flow was active first). */
  private barrierCuts = 0;

  constructor(
    cfg: ShardConfig,
    private readonly barrier: SweepBarrier | null,
    private readonly post: (m: ShardMessage, transfer?: ArrayBuffer[]) => void,
  ) {
    const view = cfg.view;
    const form: FlowTextForm | null = view === 'json' ? 'report' : view === 'ndjson' ? 'compact' : null;
    this.texts = form === null ? null : [];
    this.table = newFlowTable(cfg.setup, (frame, e) => this.internalError(frame, e), (f) => {
      if (form !== null) {
        const text = flowText(f, form);
        this.texts!.push(text);
        this.textChars += text.length;
      }
      this.ended.push(view === undefined ? f : rowView(f));
      this.endFrames.push(this.flushing ? Infinity : this.frame);
      if (this.flushing) {
        if (this.ended.length >= FLUSH_PART || this.textChars >= TEXT_PART) this.postFlush();
      } else if (this.textChars >= TEXT_PART) {
        this.postFlows();
      }
    });
  }

  /** Runs the records of one batch and hands the buffer back with what happened. */
  batch(buf: ArrayBuffer, used: number, frontier: number): void {
    const v = new BatchView(buf);
    this.records.view = v;
    this.table.defer(this.records);
    for (let o = 0; o < used; ) {
      const head = v.u32[o >>> 2]!;
      const type = head & 0xff;
      if (type === REC.PACKET) {
        this.packet(v, o);
        o += packetRecordSize(v.u32[(o >>> 2) + PKT.U32_LEN]!);
      } else if (type === REC.SWEEP) {
        const d = o >>> 3;
        this.sweep(v.f64[d + SWP.F64_NOW]!, v.f64[d + SWP.F64_FRAME]!, (head >>> 8) !== 0);
        o += SWP.SIZE;
      } else {
        throw new Error(`batch record type ${type} at byte ${o}`);
      }
    }
    // Every packet of the batch analysed before its buffer goes back.
    this.table.drain();
    this.post({ t: 'batch', buf, frontier, ...this.answer() }, [buf]);
  }

  /** The flow starts and finished flows since the last answer (no longer held here). */
  answer(): { starts: number[] } & EndedFlows {
    const out = { starts: this.starts, flows: this.ended, endFrames: this.endFrames, texts: this.texts };
    this.takeEnded();
    return out;
  }

  private packet(v: BatchView, o: number): void {
    const w = o >>> 2;
    const d = o >>> 3;
    const pkt = this.pkt;
    decodeRecord(pkt, v, o);
    this.routeRef(pkt, v.f64[d + PKT.F64_FRAME]!, v.f64[d + PKT.F64_TS_SEC]!, v.u32[w + PKT.U32_TS_NSEC]!, v.f64[d + PKT.F64_TIME]!, o);
  }

  /**
   * One decoded TCP segment of this shard's flows (`time`: its time on the dispatcher's packet
   * clock): the main thread's shard, whose packets are kept (copied) for the deferred mode.
   */
  route(pkt: DecodedPacket, frame: number, tsSec: number, tsNsec: number, time: number): void {
    let keeper = this.keeper;
    if (keeper === null) {
      keeper = this.keeper = new PacketKeeper();
      this.table.defer(keeper);
    }
    let ref = keeper.keep(pkt, frame, tsSec, tsNsec);
    if (ref < 0) {
      this.table.drain();
      keeper.clear();
      ref = keeper.keep(pkt, frame, tsSec, tsNsec);
    }
    this.routeRef(pkt, frame, tsSec, tsNsec, time, ref);
  }

  private routeRef(pkt: DecodedPacket, frame: number, tsSec: number, tsNsec: number, time: number, ref: number): void {
    this.frame = frame;
    // The single-threaded pipeline guard (decode-stage.ts): a surprise is counted with its frame.
    try {
      this.table.route(pkt, frame, tsSec, tsNsec, time, ref);
    } catch (e) {
      this.internalError(frame, e);
    }
    if (this.table.counters.flows !== this.flowsSeen) {
      this.flowsSeen++;
      this.starts.push(frame);
    }
  }

  /**
   * Expires idle flows as one table would at clock time `now`, before frame `frame`'s packet;
   * `barrier`: agree first with the other shards where the sweep stops (throws BarrierAborted
   * when the analysis was aborted meanwhile).
   */
  sweep(now: number, frame: number, barrier: boolean): void {
    this.frame = frame;
    const table = this.table;
    let stops: [number, number] | undefined;
    if (barrier && this.barrier !== null) {
      const mine = table.sweepStops(now);
      stops = this.barrier.agree(mine);
      if (stops[0] < mine[0] || stops[1] < mine[1]) this.barrierCuts++;
    }
    try {
      table.sweep(now, stops);
    } catch (e) {
      this.internalError(frame, e);
    }
  }

  private internalError(frame: number, e: unknown): void {
    this.internalErrors++;
    if (this.samples.length < MAX_INTERNAL_ERROR_SAMPLES) this.samples.push({ frame, message: e instanceof Error ? e.message : String(e) });
  }

  /** End of input: every live flow finalised in id order (sent in parts), then the counters. */
  end(): void {
    this.flushing = true;
    this.table.flush();
    this.postFlush();
    const t = this.table;
    this.post({ t: 'done', counters: { ...t.counters }, tuples: t.tupleCount, internalErrors: this.internalErrors, samples: this.samples, barrierCuts: this.barrierCuts });
  }

  private postFlush(): void {
    const flows = this.ended;
    const last = flows.length > 0 ? flows[flows.length - 1]!.firstFrame : -1;
    this.post({ t: 'flush', last, flows, endFrames: this.endFrames, texts: this.texts });
    this.takeEnded();
  }

  /** The flows finished so far in this batch, and the starts before them, ahead of the batch's answer. */
  private postFlows(): void {
    this.post({ t: 'flows', starts: this.starts, flows: this.ended, endFrames: this.endFrames, texts: this.texts });
    this.takeEnded();
  }

  /** What was sent is no longer held. */
  private takeEnded(): void {
    this.starts = [];
    this.ended = [];
    this.endFrames = [];
    if (this.texts !== null) this.texts = [];
    this.textChars = 0;
  }
}
