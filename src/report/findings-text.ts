/**
 * The findings under the flows table, grouped by severity (worst first): per code, how many
 * events in how many flows, and where to look — the first flows with their first frames.
 * Built incrementally from flow rows (`add`), so it never needs all flows at once.
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
  where: { id: number; frames: number[] }[];
}

export class FindingsSummary {
  private readonly codes = new Map<string, CodeTotal>();
  private flowsWithSerious = 0;
  private flows = 0;

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
      if (t.where.length < FLOWS_NAMED) t.where.push({ id: r.id, frames: x.frames });
    }
  }

  /** The section's lines (empty when no flow had a finding). */
  render(p: Palette): string[] {
    if (this.codes.size === 0) return [];
    const list = [...this.codes.values()].sort((a, b) => b.rank - a.rank || b.events - a.events || (a.code < b.code ? -1 : 1));
    const width = Math.max(...list.map((t) => t.code.length));
    const out = [`findings (${this.flowsWithSerious} of ${this.flows} flows with warnings or errors):`];
    const names = ['chat', 'note', 'warning', 'error'];
    for (const t of list) {
      const where = t.where.map((w) => `${w.id} (#${w.frames.join(' #')})`).join(', ');
      const more = t.flows > t.where.length ? `, +${t.flows - t.where.length} more` : '';
      const sev = p.severity(t.rank, names[t.rank]!.padEnd(7));
      out.push(`  ${sev}  ${t.code.padEnd(width)}  ${String(t.events).padStart(6)} in ${t.flows} flow${t.flows === 1 ? '' : 's'}: ${t.where.length === 1 ? 'flow' : 'flows'} ${where}${more}`);
    }
    const described = list.filter((t) => t.rank >= SEVERITY_RANK.warning).map((t) => `  ${t.code}: ${ANOMALIES[t.code as AnomalyCode]?.description ?? ''}`);
    if (described.length > 0) out.push('what the warnings and errors mean:', ...described);
    return out;
  }
}
