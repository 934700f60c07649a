/**
 * `--fail-on` rules and threshold options of CI mode: which flows make `tcpscope analyze` exit 1.
 *
 * Grammar: comma-separated terms, each `CODE` (at least one event of that catalog code in a
 * flow), `CODE>N`, `CODE>=N`, `CODE<N`, `CODE<=N` or `CODE=N` (the flow's count of that code
 * compared with N), or a severity word `error` / `warning` / `note` (any event of that severity
 * or worse). Sugar: `--max-rtt-ms X` (a flow whose largest RTT sample in either direction
 * exceeds X ms) and `--max-retrans-rate R` (retransmitted segments / data segments above R in
 * either direction). Pure: parses strings, reads flow records.
 */
import { ANOMALIES, ANOMALY_CODES, type AnomalyCode, type Severity } from '../analysis/anomalies.js';
import type { FlowSummary } from '../flow/flow-summary.js';

type Op = '>' | '>=' | '<' | '<=' | '=';

export type FailRule =
  | { kind: 'code'; code: AnomalyCode; op: Op; n: number; text: string }
  | { kind: 'severity'; severity: Severity; text: string }
  | { kind: 'max-rtt-ms'; limit: number; text: string }
  | { kind: 'max-retrans-rate'; limit: number; text: string };

const RANK: Record<Severity, number> = { chat: 0, note: 1, warning: 2, error: 3 };

/** Thrown for a rule that cannot be read: the CLI prints the message and exits 2. */
export class FailRuleError extends Error {}

/** Parses `--fail-on` (may be given several times) into rules. */
export function parseFailOn(specs: readonly string[]): FailRule[] {
  const rules: FailRule[] = [];
  for (const spec of specs) {
    for (const raw of spec.split(',')) {
      const term = raw.trim();
      if (term === '') continue;
      if (term === 'error' || term === 'warning' || term === 'note') {
        rules.push({ kind: 'severity', severity: term, text: term });
        continue;
      }
      const m = /^([a-z_]+)\s*(>=|<=|>|<|=)?\s*(\d+)?$/.exec(term);
      if (m === null || (m[2] === undefined) !== (m[3] === undefined)) {
        throw new FailRuleError(`--fail-on: cannot read '${term}': expected CODE, CODE>N, CODE>=N, CODE<N, CODE<=N, CODE=N, or error/warning/note`);
      }
      const code = m[1]!;
      if (!(code in ANOMALIES)) throw new FailRuleError(`--fail-on: unknown code '${code}'; codes: ${ANOMALY_CODES.join(', ')}`);
      const op = (m[2] ?? '>=') as Op;
      const n = m[3] === undefined ? 1 : Number(m[3]);
      rules.push({ kind: 'code', code: code as AnomalyCode, op, n, text: term });
    }
  }
  return rules;
}

/** `--max-rtt-ms` / `--max-retrans-rate` as rules (undefined: not given). */
export function thresholdRules(maxRttMs: number | undefined, maxRetransRate: number | undefined): FailRule[] {
  const out: FailRule[] = [];
  if (maxRttMs !== undefined) {
    if (!(maxRttMs >= 0)) throw new FailRuleError(`--max-rtt-ms must be a number >= 0 (got ${maxRttMs})`);
    out.push({ kind: 'max-rtt-ms', limit: maxRttMs, text: `max-rtt-ms ${maxRttMs}` });
  }
  if (maxRetransRate !== undefined) {
    if (!(maxRetransRate >= 0)) throw new FailRuleError(`--max-retrans-rate must be a number >= 0 (got ${maxRetransRate})`);
    out.push({ kind: 'max-retrans-rate', limit: maxRetransRate, text: `max-retrans-rate ${maxRetransRate}` });
  }
  return out;
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

/** Retransmitted segments / data segments of one direction, or null without data. */
function retransRate(f: FlowSummary, dir: 'c2s' | 's2c'): number | null {
  const cong = f['congestion'] as Record<string, { dataSegments?: number } | null> | undefined;
  const data = cong?.[dir]?.dataSegments ?? 0;
  return data > 0 ? f.retransmissions[dir] / data : null;
}

/** What each matched rule says about flow `f` (empty: the flow passes). */
export function matchFlow(rules: readonly FailRule[], f: FlowSummary): string[] {
  const out: string[] = [];
  for (const r of rules) {
    switch (r.kind) {
      case 'code': {
        const n = f.anomalyCounts[r.code] ?? 0;
        if (compare(n, r.op, r.n)) out.push(`${r.text} (${r.code}: ${n})`);
        break;
      }
      case 'severity': {
        const hits = Object.entries(f.anomalyCounts).filter(([c, n]) => n > 0 && RANK[ANOMALIES[c as AnomalyCode]?.severity ?? 'chat'] >= RANK[r.severity]);
        if (hits.length > 0) out.push(`${r.text} (${hits.map(([c, n]) => `${c}: ${n}`).join(', ')})`);
        break;
      }
      case 'max-rtt-ms': {
        const worst = Math.max(f.rtt.c2s.maxMs ?? -Infinity, f.rtt.s2c.maxMs ?? -Infinity);
        if (worst > r.limit) out.push(`${r.text} (largest RTT sample ${worst} ms)`);
        break;
      }
      case 'max-retrans-rate': {
        for (const dir of ['c2s', 's2c'] as const) {
          const rate = retransRate(f, dir);
          if (rate !== null && rate > r.limit) out.push(`${r.text} (${dir}: ${f.retransmissions[dir]} retransmitted of ${Math.round(f.retransmissions[dir] / rate)} data segments = ${rate.toFixed(3)})`);
        }
        break;
      }
    }
  }
  return out;
}
