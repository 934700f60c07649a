/**
 * What the terminal report keeps of the flows while a capture streams by: per capture, the first
 * `top` rows in the table's order (a bounded heap), the findings summary (which keeps the first
 * few flows per code in that order, findings-text.ts) and the number of flows — not a row per
 * flow. A row is ~2 KB (its findings and verdict), so 10,000 flows would hold 20 MB and a
 * million 2 GB; this holds `top` rows however many flows there are. The order is total (ties by
 * capture and id, flow-sort.ts), so the rows kept are exactly the first `top` of the full sort.
 */
import type { FlowRow } from './flow-row.js';
import { rowOrder, type SortOrder } from './flow-sort.js';
import { FindingsSummary } from './findings-text.js';

/** One capture's part of the terminal report. */
export interface CaptureFlows {
  /** The first `top` flows in the table's order. */
  shown: FlowRow[];
  /** Flows of the capture. */
  total: number;
  findings: FindingsSummary;
}

/**
 * The first `k` of a stream of rows in order `cmp`: a binary heap with the last of the kept
 * rows on top, so a row that comes later and sorts before it replaces it (O(log k) per row).
 */
export class TopRows {
  private readonly heap: FlowRow[] = [];
  constructor(
    private readonly k: number,
    private readonly cmp: (a: FlowRow, b: FlowRow) => number,
  ) {}

  add(r: FlowRow): void {
    const h = this.heap;
    if (h.length < this.k) {
      h.push(r);
      this.up(h.length - 1);
    } else if (h.length > 0 && this.cmp(r, h[0]!) < 0) {
      h[0] = r;
      this.down(0);
    }
  }

  /** The rows kept, in order. */
  sorted(): FlowRow[] {
    return [...this.heap].sort(this.cmp);
  }

  // The heap keeps the row that sorts LAST on top.
  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.cmp(h[i]!, h[parent]!) <= 0) return;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let last = i;
      if (l < h.length && this.cmp(h[l]!, h[last]!) > 0) last = l;
      if (r < h.length && this.cmp(h[r]!, h[last]!) > 0) last = r;
      if (last === i) return;
      [h[i], h[last]] = [h[last]!, h[i]!];
      i = last;
    }
  }
}

/** The terminal report's flows of every capture, fed one row per finished flow. */
export class TextFlows {
  private readonly cmp: (a: FlowRow, b: FlowRow) => number;
  private readonly captures: { top: TopRows; total: number; findings: FindingsSummary }[] = [];

  constructor(
    private readonly top: number,
    order: SortOrder,
  ) {
    this.cmp = rowOrder(order);
  }

  add(r: FlowRow): void {
    while (this.captures.length <= r.capture) this.captures.push({ top: new TopRows(Math.max(0, this.top), this.cmp), total: 0, findings: new FindingsSummary(this.cmp) });
    const c = this.captures[r.capture]!;
    c.top.add(r);
    c.total++;
    c.findings.add(r);
  }

  /** Capture `i`'s part (no flows: an empty one). */
  capture(i: number): CaptureFlows {
    const c = this.captures[i];
    if (c === undefined) return { shown: [], total: 0, findings: new FindingsSummary(this.cmp) };
    return { shown: c.top.sorted(), total: c.total, findings: c.findings };
  }
}
