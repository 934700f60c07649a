/**
 * The diagnosis state layout (diagnosis.ts owns the state and its per-packet rules; this module
 * only names it): the interval classes as numbers, each direction's and the flow's fields in the
 * one Float64Array, and the initial values. Read by diagnosis.ts (per packet) and
 * diagnosis-result.ts (the verdict). Split out of diagnosis.ts.
 */

/** Segment size assumed before the sender's first full segment is seen, bytes. */
export const DEFAULT_MSS = 1460;

export const RWND = 0;
export const APP = 1;
export const LOSS = 2;
export const CWND = 3;
/** Pending states (resolved later). */
export const APP_PENDING = 4;
export const RWND_PENDING = 5;

/*
 * All scalar state of one flow's diagnosis lives in one Float64Array (in V8 every double-valued
 * object field is a separate boxed number): per direction at `dir * DF`, then the flow's own.
 * Sequence numbers raw u32; booleans 0/1.
 */
export const X_STARTED = 0;
export const X_FIRST_DATA_T = 1;
/** End of the last committed (non-pending) interval. */
export const X_LAST_COMMIT_T = 2;
export const X_DATA_SEGMENTS = 3;
export const X_NEW_BYTES = 4;
export const X_SND_MAX = 5;
export const X_UNA = 6;
export const X_UNA_KNOWN = 7;
export const X_MSS = 8;
export const X_CLS = 9;
/** Time per class: 4 doubles (RWND, APP, LOSS, CWND). */
export const X_TIME = 10;
export const X_PENDING_APP = 14;
export const X_PENDING_RWND = 15;
export const X_STALL = 16;
export const X_EPISODES_SEEN = 17;
// evidence
export const X_IDLE_GAPS = 18;
export const X_LONGEST_IDLE = 19;
export const X_ZW_OPEN = 20;
export const X_ZW_START_T = 21;
export const X_ZW_STALLS = 22;
export const X_ZW_LONGEST = 23;
export const X_ZW_TOTAL = 24;
export const X_KEEP_ALIVES = 25;
export const X_SRTT_MIN = 26;
export const X_SRTT_MAX = 27;
export const X_SRTT_LAST = 28;
export const X_RWND_MAX = 29;
/** Largest window advertised while the sender was at it (receiver_window class), -1 never. */
export const X_RWND_AT_LIMIT = 30;
export const DF = 31;
/** The flow's own fields. */
export const G_PREV_T = 2 * DF;
export const G_SYN_T = G_PREV_T + 1;
export const G_SYN_ACK_SEEN = G_PREV_T + 2;
export const G_HS_RTT = G_PREV_T + 3;
export const G_LIFE_START = G_PREV_T + 4;
export const G_LIFE_END = G_PREV_T + 5;
export const G_LAST_T = G_PREV_T + 6;
/** Idle tail per direction (2 doubles). */
export const G_TAIL = G_PREV_T + 7;
export const ST_SIZE = G_TAIL + 2;
/** Doubles of the diagnosis state (FlowBehaviour carves them out of the flow's block, flow-state.ts). */
export const DIAGNOSIS_STATE_SLOTS = ST_SIZE;

/** Initial state (unknowns -1), copied into the flow's block by the constructor. */
export const INIT = (() => {
  const a = new Float64Array(ST_SIZE);
  for (let d = 0; d < 2; d++) {
    const o = d * DF;
    a[o + X_CLS] = -1;
    a[o + X_SRTT_MIN] = -1;
    a[o + X_SRTT_MAX] = -1;
    a[o + X_SRTT_LAST] = -1;
    a[o + X_RWND_MAX] = -1;
    a[o + X_RWND_AT_LIMIT] = -1;
  }
  for (const g of [G_PREV_T, G_SYN_T, G_HS_RTT, G_LIFE_START, G_LIFE_END, G_LAST_T]) a[g] = -1;
  return a;
})();

