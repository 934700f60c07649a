/**
 * The congestion tracker's state layout (congestion.ts owns the state; this module only names
 * it): both senders' scalars in one Float64Array per flow, and `SenderCongestion`, the read-only
 * view of one sender that `CongestionTracker.sender` returns (tests, the diagnosis). Split out
 * of congestion.ts to keep that file to the per-packet rules.
 */
import type { Direction } from '../core/direction.js';

/** Placeholder for lists allocated on first use. */
const EMPTY = new Float64Array(0);

/** Dup-ACK run histogram buckets: 1, 2, 3, 4-7, 8+. */
export const HIST_LABELS = ['1', '2', '3', '4-7', '8+'] as const;

/*
 * All scalar state of both senders lives in one Float64Array per flow (in V8 every double-valued
 * object field is a separate boxed number): sender `d` at `d * SF`, fields `S_*`; sequence
 * numbers raw u32, booleans 0/1.
 */
export const S_STARTED = 0;
export const S_SND_MAX = 1;
export const S_SND_UNA = 2;
export const S_UNA_KNOWN = 3;
export const S_MSS = 4;
export const S_DATA_SEGMENTS = 5;
export const S_LAST_ADVANCE_T = 6;
export const S_LAST_REV_T = 7;
export const S_IN_EPISODE = 8;
export const S_EP_START_T = 9;
export const S_EP_RECOVER = 10;
export const S_EP_KIND = 11;
export const S_EP_BYTES = 12;
export const S_EP_STALL = 13;
export const S_EP_FLIGHT = 14;
export const S_EPISODES = 15;
export const S_FAST_EPISODES = 16;
export const S_TIMEOUT_EPISODES = 17;
export const S_MIXED_EPISODES = 18;
export const S_LOSS_S = 19;
export const S_MAX_LOSS_S = 20;
export const S_RETX_BYTES = 21;
export const S_RETX_SEGMENTS = 22;
export const S_SPURIOUS_SEGMENTS = 23;
export const S_EP_LISTED = 24;
export const S_SSTHRESH_PENDING = 25;
export const S_DUP_RUN = 26;
export const S_DUP_RUN_ACK = 27;
export const S_DUP_RUNS = 28;
export const S_MAX_DUP_RUN = 29;
export const S_DUP_RUNS_GE3 = 30;
export const S_ROUND_OPEN = 31;
export const S_ROUND_MARK = 32;
export const S_ROUND_START_T = 33;
export const S_ROUND_BYTES = 34;
export const S_ROUND_FLIGHT = 35;
export const S_ROUND_FLAGS = 36;
export const S_ROUNDS = 37;
export const S_CWND = 38;
export const S_PREV_VALID = 39;
export const S_MAX_CWND = 40;
export const S_SUM_CWND = 41;
export const S_PHASE = 42;
export const S_SS_PHASES = 43;
export const S_CA_PHASES = 44;
export const S_SS_S = 45;
export const S_CA_S = 46;
export const S_POINTS = 47;
export const S_STRIDE = 48;
export const S_STRIDE_COUNT = 49;
/** Dup-ACK run histogram (HIST_LABELS.length doubles). */
export const S_DUP_HIST = 50;
/** Doubles per sender. */
export const SF = S_DUP_HIST + HIST_LABELS.length;
/** First packet's time, after both senders. */
export const T0 = 2 * SF;
export const ST_SIZE = T0 + 1;
/** Doubles of the tracker's state (FlowBehaviour carves them out of the flow's block, flow-state.ts). */
export const CONGESTION_STATE_SLOTS = ST_SIZE;

/** Recovery kind bits of an episode (S_EP_KIND, a listed episode's kind): both set = mixed. */
export const KIND_FAST = 1;
export const KIND_TIMEOUT = 2;

/**
 * Numbers per listed episode in `SenderCongestion.epList`: start t (s), duration (s), kind bits,
 * bytes re-sent, stall before it (s), flight at loss (bytes), ssthresh (bytes, -1 unknown), open (0/1).
 */
export const EP_FIELDS = 8;

export const INIT = (() => {
  const a = new Float64Array(ST_SIZE);
  for (let d = 0; d < 2; d++) {
    const o = d * SF;
    a[o + S_LAST_ADVANCE_T] = -1;
    a[o + S_LAST_REV_T] = -1;
    a[o + S_SSTHRESH_PENDING] = -1;
    a[o + S_STRIDE] = 1;
  }
  a[T0] = -1;
  return a;
})();

/** A read-only view of one sender's congestion state (what `CongestionTracker.sender` returns). */
export class SenderCongestion {
  constructor(
    private readonly st: Float64Array,
    private readonly o: number,
    private readonly lists: { readonly epList: (Float64Array | null)[]; readonly timeline: (Float64Array | null)[] },
    private readonly d: Direction,
  ) {}

  get started(): boolean {
    return this.st[this.o + S_STARTED] === 1;
  }
  /** Highest sequence number sent + 1 (raw u32) and highest cumulative ACK from the receiver. */
  get sndMax(): number {
    return this.st[this.o + S_SND_MAX]!;
  }
  get sndUna(): number {
    return this.st[this.o + S_SND_UNA]!;
  }
  get unaKnown(): boolean {
    return this.st[this.o + S_UNA_KNOWN] === 1;
  }
  /** Largest payload seen from this sender (its MSS estimate), bytes; 0 before any data. */
  get mss(): number {
    return this.st[this.o + S_MSS]!;
  }
  get dataSegments(): number {
    return this.st[this.o + S_DATA_SEGMENTS]!;
  }
  get lastAdvanceT(): number {
    return this.st[this.o + S_LAST_ADVANCE_T]!;
  }
  /** Time of the receiver's last packet, -1 none yet. */
  get lastRevT(): number {
    return this.st[this.o + S_LAST_REV_T]!;
  }
  get inEpisode(): boolean {
    return this.st[this.o + S_IN_EPISODE] === 1;
  }
  get epStartT(): number {
    return this.st[this.o + S_EP_START_T]!;
  }
  get epRecover(): number {
    return this.st[this.o + S_EP_RECOVER]!;
  }
  get epKind(): number {
    return this.st[this.o + S_EP_KIND]!;
  }
  get epBytes(): number {
    return this.st[this.o + S_EP_BYTES]!;
  }
  get epStall(): number {
    return this.st[this.o + S_EP_STALL]!;
  }
  get epFlight(): number {
    return this.st[this.o + S_EP_FLIGHT]!;
  }
  get episodes(): number {
    return this.st[this.o + S_EPISODES]!;
  }
  get fastEpisodes(): number {
    return this.st[this.o + S_FAST_EPISODES]!;
  }
  get timeoutEpisodes(): number {
    return this.st[this.o + S_TIMEOUT_EPISODES]!;
  }
  get mixedEpisodes(): number {
    return this.st[this.o + S_MIXED_EPISODES]!;
  }
  get lossS(): number {
    return this.st[this.o + S_LOSS_S]!;
  }
  get maxLossS(): number {
    return this.st[this.o + S_MAX_LOSS_S]!;
  }
  get retxBytes(): number {
    return this.st[this.o + S_RETX_BYTES]!;
  }
  get retxSegments(): number {
    return this.st[this.o + S_RETX_SEGMENTS]!;
  }
  get spuriousSegments(): number {
    return this.st[this.o + S_SPURIOUS_SEGMENTS]!;
  }
  get epListed(): number {
    return this.st[this.o + S_EP_LISTED]!;
  }
  /** Listed episode waiting for its post-recovery flight (ssthresh), -1 none. */
  get ssthreshPending(): number {
    return this.st[this.o + S_SSTHRESH_PENDING]!;
  }
  get dupRun(): number {
    return this.st[this.o + S_DUP_RUN]!;
  }
  get dupRunAck(): number {
    return this.st[this.o + S_DUP_RUN_ACK]!;
  }
  get dupRuns(): number {
    return this.st[this.o + S_DUP_RUNS]!;
  }
  get maxDupRun(): number {
    return this.st[this.o + S_MAX_DUP_RUN]!;
  }
  get dupRunsGe3(): number {
    return this.st[this.o + S_DUP_RUNS_GE3]!;
  }
  get roundOpen(): boolean {
    return this.st[this.o + S_ROUND_OPEN] === 1;
  }
  get roundMark(): number {
    return this.st[this.o + S_ROUND_MARK]!;
  }
  get roundStartT(): number {
    return this.st[this.o + S_ROUND_START_T]!;
  }
  get roundBytes(): number {
    return this.st[this.o + S_ROUND_BYTES]!;
  }
  get roundFlight(): number {
    return this.st[this.o + S_ROUND_FLIGHT]!;
  }
  get roundFlags(): number {
    return this.st[this.o + S_ROUND_FLAGS]!;
  }
  get rounds(): number {
    return this.st[this.o + S_ROUNDS]!;
  }
  /** Flight of the last closed round (the current cwnd estimate), bytes; 0 none. */
  get cwnd(): number {
    return this.st[this.o + S_CWND]!;
  }
  get prevValid(): number {
    return this.st[this.o + S_PREV_VALID]!;
  }
  get maxCwnd(): number {
    return this.st[this.o + S_MAX_CWND]!;
  }
  get sumCwnd(): number {
    return this.st[this.o + S_SUM_CWND]!;
  }
  get phase(): number {
    return this.st[this.o + S_PHASE]!;
  }
  get ssPhases(): number {
    return this.st[this.o + S_SS_PHASES]!;
  }
  get caPhases(): number {
    return this.st[this.o + S_CA_PHASES]!;
  }
  get ssS(): number {
    return this.st[this.o + S_SS_S]!;
  }
  get caS(): number {
    return this.st[this.o + S_CA_S]!;
  }
  get points(): number {
    return this.st[this.o + S_POINTS]!;
  }
  get stride(): number {
    return this.st[this.o + S_STRIDE]!;
  }
  get strideCount(): number {
    return this.st[this.o + S_STRIDE_COUNT]!;
  }
  /** Listed episodes, EP_FIELDS numbers each (empty before the first episode). */
  get epList(): Float64Array {
    return this.lists.epList[this.d] ?? EMPTY;
  }
  /** (t, flight) pairs (empty unless timelines are kept). */
  get timeline(): Float64Array {
    return this.lists.timeline[this.d] ?? EMPTY;
  }
  get dupHist(): Float64Array {
    return this.st.subarray(this.o + S_DUP_HIST, this.o + S_DUP_HIST + HIST_LABELS.length);
  }
}
