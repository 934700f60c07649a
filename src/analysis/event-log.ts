/**
 * One flow's anomaly events: every event counted by code (typed array indexed like
 * `ANOMALY_CODES`), the first `perCode` of each code listed with their evidence. Listing per code
 * (not the first N overall) keeps the rare, telling events visible on a flow with 100,000
 * duplicate ACKs. Usage on hot paths — build the detail object only when it will be listed:
 *
 *     if (log.count(I_DUP_ACK)) log.push('duplicate_ack', dir, frame, t, { n, of: frame0 });
 */
import { DIR_NAME, type Direction } from '../core/direction.js';
import { ANOMALY_CODES, type AnomalyCode, type AnomalyDetail, type AnomalyEvent } from './anomalies.js';

/** 32-bit words of the log's state (counts, then listed counts; FlowBehaviour carves them out of the flow's block). */
export const EVENT_LOG_WORDS = 2 * ANOMALY_CODES.length;

const N = ANOMALY_CODES.length;

export class EventLog {
  /**
   * Listed events while the flow runs, compact: (direction, frame, time) per event in an array of
   * doubles (stored unboxed), (code, detail) in another — ~40 bytes an event plus its detail,
   * instead of an 80-byte event object with a boxed time. A capture holds thousands of flows
   * for seconds each; `events` builds the objects once, at the end of the flow.
   */
  private nums: number[] = [];
  private refs: unknown[] = [];
  /** `nums.length` at the last `trim`. */
  private trimmedAt = 0;
  private built: AnomalyEvent[] | null = null;
  /** Events per code at [0, N), events listed per code at [N, 2N): one typed array, not two (fewer objects per flow). */
  private readonly s: Uint32Array;

  /** `perCode`: events listed per code (all are counted). `state`: EVENT_LOG_WORDS zeroed words (default: its own). */
  constructor(
    private readonly perCode = 25,
    state?: Uint32Array,
  ) {
    this.s = state ?? new Uint32Array(EVENT_LOG_WORDS);
  }

  /**
   * Listed events in emission order (capture order within one module): built from the compact
   * list on first access (the end of the flow), the same array from then on (events listed
   * later are appended to it).
   */
  get events(): AnomalyEvent[] {
    if (this.built !== null) return this.built;
    const out: AnomalyEvent[] = [];
    const nums = this.nums;
    const refs = this.refs;
    for (let i = 0, j = 0; i < nums.length; i += 3, j += 2) out.push(event(refs[j] as AnomalyCode, nums[i] as Direction, nums[i + 1]!, nums[i + 2]!, refs[j + 1] as AnomalyDetail | undefined));
    this.nums = [];
    this.refs = [];
    return (this.built = out);
  }

  /** Give back spare list capacity (a flow that has closed lists few events more, if any). */
  trim(): void {
    if (this.built !== null || this.trimmedAt === this.nums.length) return;
    this.trimmedAt = this.nums.length;
    this.nums = this.nums.slice();
    this.refs = this.refs.slice();
  }

  /** Events per code, indexed like `ANOMALY_CODES` (a live view). */
  get counts(): Uint32Array {
    return this.s.subarray(0, N);
  }

  /** Move one counted event from code index `from` to `to` (a relabelled event). */
  recount(from: number, to: number): void {
    this.s[from]!--;
    this.s[to]!++;
  }

  /** Count one event of code index `i` (ANOMALY_INDEX); true when it is also to be listed (then call `push`). */
  count(i: number): boolean {
    const s = this.s;
    s[i]!++;
    if (s[N + i]! >= this.perCode) return false;
    s[N + i]!++;
    return true;
  }

  /** List an event that `count` said to list. `t`: packet time, epoch seconds. */
  push(code: AnomalyCode, dir: Direction, frame: number, t: number, detail?: AnomalyDetail): void {
    if (this.built !== null) this.built.push(event(code, dir, frame, t, detail));
    else {
      this.nums.push(dir, frame, t);
      this.refs.push(code, detail);
    }
  }

  /** Count and, when due, list (for rare events where building `detail` up front costs nothing). */
  emit(i: number, code: AnomalyCode, dir: Direction, frame: number, t: number, detail?: AnomalyDetail): void {
    if (this.count(i)) this.push(code, dir, frame, t, detail);
  }

  /** Counts by code name, zero counts left out. */
  countsByCode(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < N; i++) {
      const n = this.s[i]!;
      if (n > 0) out[ANOMALY_CODES[i]!] = n;
    }
    return out;
  }
}

/** One listed event as the report has it. */
function event(code: AnomalyCode, dir: Direction, frame: number, t: number, detail: AnomalyDetail | undefined): AnomalyEvent {
  const e: AnomalyEvent = { code, frame, ts: t, dir: DIR_NAME[dir] };
  if (detail !== undefined) e.detail = detail;
  return e;
}
