/**
 * CI mode of `tcpscope analyze`: per finished flow, write its per-flow files, match the
 * `--fail-on` rules, compare with the baseline (or rewrite it); at the end, list what failed,
 * baseline flows that are gone, and the JUnit report. Fed by the analyze command's flow stream,
 * so it holds one line of verdicts per failing flow, never the flows themselves.
 */
import type { FlowSummary } from '../flow/flow-summary.js';
import { flowDrift, type Tolerances } from './baseline.js';
import { matchFlow, type FailRule } from './fail-rules.js';
import { flowIdsIn, readFlowFile, removeStaleFlowFiles, uniqueStems, writeFlowFiles } from './flow-files.js';
import { flowMarkdown } from './flow-markdown.js';
import type { JunitCase, JunitSuite } from './junit.js';
import { endpointText } from '../report/flows-text.js';

export interface CiOptions {
  rules: readonly FailRule[];
  /** Write per-flow JSON files here (null: none). */
  perFlowDir: string | null;
  /** Also write a Markdown page per flow next to its JSON. */
  markdown: boolean;
  /** Compare with (or, with `updateBaseline`, rewrite) this directory of per-flow files. */
  baselineDir: string | null;
  updateBaseline: boolean;
  tolerances: Tolerances;
}

export class CiGate {
  private readonly stems: string[];
  private readonly suites: JunitSuite[] = [];
  private readonly lines: string[] = [];
  private source = '';
  private stem = '';
  private suite: JunitSuite | null = null;
  private seen = new Set<number>();
  private failedFlows = 0;
  private driftedFlows = 0;
  private flows = 0;
  private withinTolerance = 0;

  constructor(private readonly opts: CiOptions, sources: readonly string[]) {
    this.stems = uniqueStems(sources);
  }

  /** True when any rule matched or the baseline drifted. */
  get failed(): boolean {
    return this.failedFlows + this.driftedFlows > 0;
  }

  /** Input `index` (its position on the command line) starts. */
  beginCapture(index: number, source: string): void {
    this.source = source;
    this.stem = this.stems[index]!;
    this.suite = { name: source, cases: [] };
    this.suites.push(this.suite);
    this.seen = new Set();
  }

  onFlow(f: FlowSummary): void {
    this.flows++;
    this.seen.add(f.id);
    const o = this.opts;
    const md = o.markdown ? flowMarkdown(this.source, f) : null;
    if (o.perFlowDir !== null) writeFlowFiles(o.perFlowDir, this.stem, this.source, f, md);
    const name = `flow ${f.id} ${endpointText(f.client)} -> ${endpointText(f.server)}`;
    const c: JunitCase = { name, classname: `tcpscope.${this.stem}`, time: Math.max(0, f.lastTs - f.firstTs), failures: [] };
    const matched = matchFlow(o.rules, f);
    if (matched.length > 0) {
      this.failedFlows++;
      this.lines.push(`FAIL ${this.source} ${name}: ${matched.join('; ')}`);
      for (const m of matched) c.failures.push({ type: 'fail-on', message: m, detail: `${name}: ${m}` });
    }
    if (o.baselineDir !== null) {
      if (o.updateBaseline) writeFlowFiles(o.baselineDir, this.stem, this.source, f, md);
      else this.compare(f, name, c);
    }
    this.suite?.cases.push(c);
  }

  private compare(f: FlowSummary, name: string, c: JunitCase): void {
    const base = readFlowFile(this.opts.baselineDir!, this.stem, f.id);
    const drift = base === null ? [`new flow: no ${this.stem}/flow-${f.id}.json in the baseline`] : flowDrift(base.flow, f, this.opts.tolerances);
    // Within tolerance is not a failure, but the total says the baseline is no longer identical.
    if (base !== null && drift.length === 0 && JSON.stringify(base.flow) !== JSON.stringify(f)) this.withinTolerance++;
    if (drift.length === 0) return;
    this.driftedFlows++;
    this.lines.push(`DRIFT ${this.source} ${name}:`, ...drift.map((d) => `    ${d}`));
    c.failures.push({ type: 'baseline', message: `baseline drift: ${drift.length} field(s)`, detail: drift.join('\n') });
  }

  /** The capture begun last is done: baseline flows it no longer has fail (or are removed on update). */
  endCapture(): void {
    const o = this.opts;
    if (o.baselineDir === null) return;
    if (o.updateBaseline) {
      const removed = removeStaleFlowFiles(o.baselineDir, this.stem, this.seen);
      if (removed > 0) this.lines.push(`baseline ${this.stem}: removed ${removed} flow file(s) of flows no longer present`);
      return;
    }
    for (const id of flowIdsIn(o.baselineDir, this.stem)) {
      if (this.seen.has(id)) continue;
      this.driftedFlows++;
      const msg = `flow ${id} is in the baseline (${this.stem}/flow-${id}.json) but not in this run`;
      this.lines.push(`DRIFT ${this.source}: ${msg}`);
      this.suite?.cases.push({ name: `flow ${id} (missing)`, classname: `tcpscope.${this.stem}`, time: 0, failures: [{ type: 'baseline', message: 'flow missing', detail: msg }] });
    }
  }

  /** What to print on stderr at the end (verdict lines, then a one-line total). */
  report(): string[] {
    const o = this.opts;
    const parts = [`${this.flows} flow(s)`];
    if (o.rules.length > 0) parts.push(`${this.failedFlows} matched --fail-on`);
    if (o.baselineDir !== null) {
      if (o.updateBaseline) parts.push(`baseline ${o.baselineDir} rewritten`);
      else parts.push(`${this.driftedFlows} drifted from baseline ${o.baselineDir}${this.withinTolerance > 0 ? ` (${this.withinTolerance} more differ within tolerances: --update-baseline to refresh)` : ''}`);
    }
    if (o.perFlowDir !== null) parts.push(`per-flow reports in ${o.perFlowDir}`);
    return [...this.lines, `ci: ${parts.join(', ')}${this.failed ? ': FAILED' : ''}`];
  }

  junitSuites(): readonly JunitSuite[] {
    return this.suites;
  }
}
