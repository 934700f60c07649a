/**
 * `tcpscope analyze FILE...|-`: capture summary and flows (text table or JSON report). Exit
 * status 2 only when no input could be read at all.
 */
import { analyzeCapture, type CaptureResult } from '../pipeline/analyze.js';
import { buildReport } from '../report/report-json.js';
import { renderSummaryText } from '../report/summary-text.js';
import { EXIT, type CliIo } from './io.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';

export interface AnalyzeArgs {
  files: readonly string[];
  format: 'text' | 'json';
  verifyChecksums: boolean;
  quiet: boolean;
  /** Flows listed per capture in the text report (default 20). */
  top?: number;
  /** Behaviour analysis options (estimator, RTO floor, stall threshold, two-pass). */
  behaviour?: BehaviourOptions;
}

export async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  if (args.files.filter((f) => f === '-').length > 1) {
    io.err("tcpscope: standard input ('-') can be named only once");
    return EXIT.USAGE;
  }
  const results: CaptureResult[] = [];
  for (const file of args.files) {
    const r = await analyzeCapture(file, {
      verifyChecksums: args.verifyChecksums,
      ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
      ...(args.behaviour !== undefined ? { behaviour: args.behaviour } : {}),
    });
    results.push(r);
    for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
    if (r.info.cutShort && r.info.packets > 0) io.err(`tcpscope: ${file}: read cut short after ${r.info.packets} packets; the analysis covers those`);
  }
  const report = buildReport(results, args.verifyChecksums);
  const text = args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderSummaryText(report, io.columns, { top: args.top ?? 20 });
  await new Promise<void>((resolve) => io.stdout.write(text, () => resolve()));
  const anyRead = results.some((r) => r.info.format !== null && (r.info.packets > 0 || r.info.errors.length === 0));
  return anyRead ? EXIT.OK : EXIT.USAGE;
}
