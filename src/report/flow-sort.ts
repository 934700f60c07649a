/**
 * Orders of the terminal flows table (`--sort`). `interest` (default) puts the flows a user
 * should look at first on top: worst finding severity, then how many warning-or-worse events,
 * then retransmissions, then bytes; ties by id. The others sort by one quantity, largest first
 * (`id` ascending).
 */
import { wireBytes, type FlowRow } from './flow-row.js';

export const SORT_ORDERS = ['interest', 'id', 'bytes', 'packets', 'duration', 'retx', 'rtt'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

function bytes(r: FlowRow): number {
  return wireBytes(r, 'c2s') + wireBytes(r, 's2c');
}

function rtt(r: FlowRow): number {
  return Math.max(r.srttMs.c2s ?? -1, r.srttMs.s2c ?? -1, r.handshakeRttMs ?? -1);
}

const KEY: Record<Exclude<SortOrder, 'interest' | 'id'>, (r: FlowRow) => number> = {
  bytes,
  packets: (r) => r.packets.c2s + r.packets.s2c,
  duration: (r) => r.lastTs - r.firstTs,
  retx: (r) => r.retransmissions.c2s + r.retransmissions.s2c,
  rtt,
};

/** The comparator of `order`: a total order (ties by capture, then id), so any stream of rows has one first `k`. */
export function rowOrder(order: SortOrder): (a: FlowRow, b: FlowRow) => number {
  const byId = (a: FlowRow, b: FlowRow): number => a.capture - b.capture || a.id - b.id;
  if (order === 'id') return byId;
  if (order === 'interest') {
    return (a, b) =>
      b.worst - a.worst ||
      b.serious - a.serious ||
      KEY.retx(b) - KEY.retx(a) ||
      bytes(b) - bytes(a) ||
      byId(a, b);
  }
  const k = KEY[order];
  return (a, b) => k(b) - k(a) || byId(a, b);
}

/** `rows` sorted in place by `order`. */
export function sortRows(rows: FlowRow[], order: SortOrder): FlowRow[] {
  return rows.sort(rowOrder(order));
}
