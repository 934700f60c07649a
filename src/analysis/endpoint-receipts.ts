/**
 * Receipts: segments from the peer waiting to be applied to an endpoint (the vantage-point rule
 * of endpoint-state.ts, which owns the queues), and the pool they are recycled through so a SYN
 * or FIN allocates nothing in the steady state. Split out of endpoint-state.ts.
 */

/** What a waiting receipt is. */
export type ReceiptKind = 'syn' | 'synack' | 'fin' | 'ack' | 'rst';

/** A segment from the peer waiting to be applied to this endpoint. */
export interface Receipt {
  kind: ReceiptKind;
  /** Sequence number right after the segment (its SYN/FIN included). */
  end: number;
  /** ACK number carried, or -1 without the ACK flag. */
  ack: number;
  frame: number;
  ts: number;
}

/** Waiting receipts beyond this are applied oldest first (bounded memory). */
export const MAX_WAITING = 64;

/**
 * Applied receipts, reused by every endpoint (a SYN or FIN allocates nothing in the steady
 * state). Nothing keeps a receipt after `apply`: `set` copies its frame and time.
 */
const RECEIPT_POOL: Receipt[] = [];
const MAX_POOLED = 1024;

/** A pooled receipt (or a new one when the pool is empty), filled. */
export function takeReceipt(kind: ReceiptKind, end: number, ack: number, frame: number, ts: number): Receipt {
  const r = RECEIPT_POOL.pop();
  if (r === undefined) return { kind, end, ack, frame, ts };
  r.kind = kind;
  r.end = end;
  r.ack = ack;
  r.frame = frame;
  r.ts = ts;
  return r;
}

/** Back to the pool once applied (the pool is capped). */
export function releaseReceipt(r: Receipt): void {
  if (RECEIPT_POOL.length < MAX_POOLED) RECEIPT_POOL.push(r);
}
