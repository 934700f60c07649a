/**
 * Growable struct-of-arrays storage for one flow's plot points (one row per TCP packet, plus a
 * side table of SACK blocks). No object per packet: each column is a typed array that grows by
 * doubling, within a byte budget the recorder hands out (`PlotRecorder`'s point cap), so memory
 * stays proportional to what was recorded.
 *
 * Units: `t` seconds since the flow's first packet; `seq`/`ack`/SACK edges relative to the
 * direction's origin (its ISN when the SYN was seen, else its first sequence number), unwrapped
 * past 2^32; `win` bytes (scaled by the window scale when known, raw otherwise); `ack` NaN when
 * the packet had no ACK flag.
 */
import { grownArray } from '../core/typed-arrays.js';

/** Read-only view of the columns (what the derivations and the exporter read). */
export interface PlotColumnsView {
  /** Rows recorded. */
  readonly n: number;
  readonly t: Float64Array;
  readonly frame: Uint32Array;
  readonly dir: Uint8Array;
  readonly seq: Float64Array;
  /** Payload length on the wire (bytes). */
  readonly len: Uint32Array;
  readonly ack: Float64Array;
  readonly win: Float64Array;
  /** TCP_FLAG bits. */
  readonly flags: Uint16Array;
  /** SEG bits (analysis/seg-flags.ts). */
  readonly seg: Uint16Array;
  /** SACK blocks recorded. */
  readonly sn: number;
  /** Row each SACK block belongs to, and its left/right edges (relative, in the data sender's space). */
  readonly sackRow: Uint32Array;
  readonly sackL: Float64Array;
  readonly sackR: Float64Array;
}

/** Bytes one packet row takes across all columns. */
export const ROW_BYTES = 8 + 4 + 1 + 8 + 4 + 8 + 8 + 2 + 2;
/** Bytes one SACK block takes. */
export const SACK_BYTES = 4 + 8 + 8;

const FIRST_CAP = 64;

export class PlotColumns implements PlotColumnsView {
  n = 0;
  t = new Float64Array(0);
  frame = new Uint32Array(0);
  dir = new Uint8Array(0);
  seq = new Float64Array(0);
  len = new Uint32Array(0);
  ack = new Float64Array(0);
  win = new Float64Array(0);
  flags = new Uint16Array(0);
  seg = new Uint16Array(0);
  sn = 0;
  sackRow = new Uint32Array(0);
  sackL = new Float64Array(0);
  sackR = new Float64Array(0);

  /** Rows that fit without growing. */
  get rowCapacity(): number {
    return this.t.length;
  }

  get sackCapacity(): number {
    return this.sackRow.length;
  }

  /** Room for `cap` rows (cap ≥ n). The caller accounts for the budget. */
  growRows(cap: number): void {
    this.t = grownArray(this.t, cap);
    this.frame = grownArray(this.frame, cap);
    this.dir = grownArray(this.dir, cap);
    this.seq = grownArray(this.seq, cap);
    this.len = grownArray(this.len, cap);
    this.ack = grownArray(this.ack, cap);
    this.win = grownArray(this.win, cap);
    this.flags = grownArray(this.flags, cap);
    this.seg = grownArray(this.seg, cap);
  }

  growSacks(cap: number): void {
    this.sackRow = grownArray(this.sackRow, cap);
    this.sackL = grownArray(this.sackL, cap);
    this.sackR = grownArray(this.sackR, cap);
  }

  /** Next capacity to ask for: double (at least FIRST_CAP), never more than `limit`. */
  static nextCap(cur: number, limit: number): number {
    return Math.min(Math.max(FIRST_CAP, cur * 2), limit);
  }

  /** Drop the spare capacity (after the capture: the exporter reads exactly `n` rows). */
  trim(): void {
    if (this.t.length !== this.n) this.growRows(this.n);
    if (this.sackRow.length !== this.sn) this.growSacks(this.sn);
  }
}
