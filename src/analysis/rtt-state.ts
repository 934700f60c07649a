/**
 * The RTT tracker's state layout (rtt.ts owns the state and its per-packet rules; this module
 * only names it): the flow's own fields, then one block per direction of data. Read by rtt.ts
 * (per packet) and rtt-report.ts (the summaries). Split out of rtt.ts.
 */
import { EST_SLOTS, ST_SLOTS } from './rtt-estimator.js';
import { VANTAGE_SLOTS } from './rtt-vantage.js';

/**
 * Flat state (data-oriented: no boxed doubles, a few cache lines per flow): one Float64Array per
 * tracker, the last packet's evidence and the vantage state first, then one block of D_SLOTS
 * numbers per direction of data (its sender's segments, the peer's ACKs of them).
 */
export const G_RETX_FIRST_FRAME = 0;
export const G_RETX_FIRST_T = 1;
export const G_RETX_PREV_T = 2;
export const G_RETX_COPY = 3;
export const G_LAST_ACK_SAMPLE = 4;
export const G_LAST_SAMPLE = 5;
export const G_LAST_SOURCE = 6;
export const G_VANTAGE = 7;
export const G_SLOTS = G_VANTAGE + VANTAGE_SLOTS;

/** Per direction, at `dirBase(dir)`. */
export const D_UNA = 0;
/** 1 once `una` is set. */
export const D_HAS_UNA = 1;
export const D_LAST_ADVANCE_T = 2;
export const D_AMBIGUOUS = 3;
export const D_UNKNOWN = 4;
export const D_FED_ACK = 5;
export const D_FED_SACK = 6;
export const D_FED_TS = 7;
export const D_SPURIOUS = 8;
export const D_DSACKS = 9;
/** End of this direction's SYN (-1 none); the sample of the ACK covering it is the handshake sample. */
export const D_SYN_END = 10;
export const D_HANDSHAKE = 11;
/** Timeout retransmissions (all; the lazily made TimeoutLog lists them). */
export const D_TIMEOUTS = 12;
/** The estimator (EST_SLOTS: srtt, rttvar, classic, stats) and three sample statistics (ST_SLOTS each). */
export const D_EST = 13;
export const D_ACK_STATS = D_EST + EST_SLOTS;
export const D_SACK_STATS = D_ACK_STATS + ST_SLOTS;
export const D_TS_STATS = D_SACK_STATS + ST_SLOTS;
export const D_SLOTS = D_TS_STATS + ST_SLOTS;

/** Doubles of the tracker's state (FlowBehaviour carves them out of the flow's block, flow-state.ts). */
export const RTT_STATE_SLOTS = G_SLOTS + 2 * D_SLOTS;
