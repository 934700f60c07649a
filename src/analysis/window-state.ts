/**
 * The window tracker's state layout (window-tracker.ts owns the state and its per-packet rules;
 * this module only names it): per endpoint what it advertised, per direction the data in flight,
 * then the previous packet's time; the initial values, and the units of the window samples. Read
 * by window-tracker.ts (per packet) and window-report.ts (the report). Split out of
 * window-tracker.ts.
 */
import { SHRINK_FIELDS, shrinkInit } from './window-shrink.js';

/** `unit` of an endpoint's window samples. */
export const UNIT_NONE = 0;
export const UNIT_BYTES = 1;
export const UNIT_RAW = 2;
export const UNIT_NAME: readonly (string | null)[] = [null, 'bytes', 'raw'];

/*
 * All scalar state of one flow lives in one Float64Array (`st`): in V8 every double-valued object
 * field is a separate boxed number, so per-endpoint objects would scatter each packet's reads over
 * many cache lines. Sequence numbers are raw u32 (exact in a double); booleans 0/1.
 */

/** What one endpoint advertised (its receive window), at `EP0 + e * EP_FIELDS`. */
export const A_SHIFT = 0; // window-scale shift of its windows (SCALE_UNKNOWN, 0 .. 14), the last the caller gave
export const A_WS = 1; // WS option of its SYN, -1 none
export const A_SYN_SEEN = 2;
export const A_SYN_WIN = 3; // the SYN's (unscaled) window, -1 none
export const A_UNIT = 4; // UNIT_* of the samples (fixed by the first one)
export const A_RWND = 5; // current window in bytes (a SYN's raw window is bytes), -1 unknown
export const A_CUR = 6; // current sample in `unit`, -1 none
export const A_MIN = 7;
export const A_MAX = 8;
export const A_INTEGRAL = 9;
export const A_TIME = 10;
export const A_SAMPLES = 11;
export const A_MIXED = 12; // samples in the other unit
export const A_LAST_SENT = 13; // time of the endpoint's last packet, NaN none (keep-alive idle times)
export const A_SHRINK = 14; // window-shrink state (window-shrink.ts), SHRINK_FIELDS doubles
export const EP_FIELDS = A_SHRINK + SHRINK_FIELDS;
export const EP0 = 0;

/** One direction's data in flight, at `FL0 + d * FL_FIELDS`; sequence numbers raw u32. */
export const F_NXT = 0; // highest sequence number sent + 1
export const F_NXT_OK = 1;
export const F_FIN_END = 2; // sequence number past its FIN
export const F_FIN_OK = 3;
export const F_UNA = 4; // highest cumulative ACK from the peer
export const F_UNA_OK = 5;
export const F_CUR = 6; // bytes in flight now, -1 unknown
export const F_MAX = 7;
export const F_INTEGRAL = 8;
export const F_TIME = 9;
export const F_FULL = 10; // the window is full now
export const F_FULL_TIME = 11;
export const F_FULL_KNOWN = 12; // time during which full-or-not was known (in flight and rwnd known)
export const FL_FIELDS = 13;
export const FL0 = EP0 + 2 * EP_FIELDS;
/** Time of the previous packet (NaN none). */
export const LAST_T = FL0 + 2 * FL_FIELDS;
export const ST_SIZE = LAST_T + 1;
/** Doubles of the tracker's state (FlowBehaviour carves them out of the flow's block, flow-state.ts). */
export const WINDOW_STATE_SLOTS = ST_SIZE;

/** Initial state (copied into each flow's array: one memcpy instead of field-by-field construction). */
export const INIT = (() => {
  const a = new Float64Array(ST_SIZE);
  for (let e = 0; e < 2; e++) {
    const o = EP0 + e * EP_FIELDS;
    a[o + A_SHIFT] = -2;
    a[o + A_WS] = -1;
    a[o + A_SYN_WIN] = -1;
    a[o + A_RWND] = -1;
    a[o + A_CUR] = -1;
    a[o + A_MIN] = Infinity;
    a[o + A_MAX] = -1;
    a[o + A_LAST_SENT] = NaN;
    shrinkInit(a, o + A_SHRINK);
    a[FL0 + e * FL_FIELDS + F_CUR] = -1;
  }
  a[LAST_T] = NaN;
  return a;
})();
