/**
 * The findings under the flows table, grouped by severity (worst first): per code, how many
 * events in how many flows, and where to look — the first flows with their first frames.
 * Built incrementally from flow rows (`add`), so it never needs all flows at once: "first" is
 * the order rows are added in, or, given the flows table's order, the first in that order
 * whatever order the rows come in (the few kept per code are compared as they come).
 */
import { ANOMALIES, type AnomalyCode } from '../analysis/anomalies.js';
import { SEVERITY_RANK, type FlowRow } from './flow-row.js';
import type { Palette } from './colors.js';

/** Flows named per code. */
const FLOWS_NAMED = 3;

interface CodeTotal {
  code: string;
  rank: number;
  events: number;
  flows: number;
  where: { row: FlowRow; frames: number[] }[];
}

export class FindingsSummary {
  private readonly codes = new Map<string, CodeTotal>();
  private flowsWithSerious = 0;
  private flows = 0;

  /** `order`: the flows table's order (rows may then come in any order); absent: the order of `add`. */
  constructor(private readonly order?: (a: FlowRow, b: FlowRow) => number) {}

  add(r: FlowRow): void {
    this.flows++;
    if (r.worst >= SEVERITY_RANK.warning) this.flowsWithSerious++;
    for (const x of r.findings) {
      let t = this.codes.get(x.code);
      if (t === undefined) {
        t = { code: x.code, rank: SEVERITY_RANK[x.severity], events: 0, flows: 0, where: [] };
        this.codes.set(x.code, t);
      }
      t.events += x.count;
      t.flows++;
      this.name(t, r, x.frames);
    }
  }

  /** Keep `r` among the code's first FLOWS_NAMED flows when it is one of them. */
  private name(t: CodeTotal, r: FlowRow, frames: number[]): void {
    const w = t.where;
    const order = this.order;
    if (order === undefined) {
      if (w.length < FLOWS_NAMED) w.push({ row: r, frames });
      return;
    }
    if (w.length === FLOWS_NAMED && order(r, w[FLOWS_NAMED - 1]!.row) >= 0) return;
    let at = w.length;
    while (at > 0 && order(r, w[at - 1]!.row) < 0) at--;
    w.splice(at, 0, { row: r, frames });
    if (w.length > FLOWS_NAMED) w.pop();
  }

  /** The section's lines (empty when no flow had a finding). */
  render(p: Palette): string[] {
    if (this.codes.size === 0) return [];
    const list = [...this.codes.values()].sort((a, b) => b.rank - a.rank || b.events - a.events || (a.code < b.code ? -1 : 1));
    const width = Math.max(...list.map((t) => t.code.length));
    const out = [`findings (${this.flowsWithSerious} of ${this.flows} flows with warnings or errors):`];
    const names = ['chat', 'note', 'warning', 'error'];
    for (const t of list) {
      const where = t.where.map((w) => `${w.row.id} (#${w.frames.join(' #')})`).join(', ');
      const more = t.flows > t.where.length ? `, +${t.flows - t.where.length} more` : '';
      const sev = p.severity(t.rank, names[t.rank]!.padEnd(7));
      out.push(`  ${sev}  ${t.code.padEnd(width)}  ${String(t.events).padStart(6)} in ${t.flows} flow${t.flows === 1 ? '' : 's'}: ${t.where.length === 1 ? 'flow' : 'flows'} ${where}${more}`);
    }
    const described = list.filter((t) => t.rank >= SEVERITY_RANK.warning).map((t) => `  ${t.code}: ${ANOMALIES[t.code as AnomalyCode]?.description ?? ''}`);
    if (described.length > 0) out.push('what the warnings and errors mean:', ...described);
    return out;
  }
}
