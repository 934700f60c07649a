/**
 * Writes the JSON report exactly as `JSON.stringify(report, null, 2) + '\n'` would, but one flow
 * at a time with back-pressure, so a capture with 10,000 flows never holds its ~170 MB report
 * text in one string on top of the records. The flows come from the report itself or, already
 * as text, from a spool (flow-spool.ts) that kept them out of memory until the header was known.
 */
import type { Writable } from 'node:stream';
import type { FlowJson, ReportJson } from './report-json.js';
import { reportFlowText } from './flow-json-text.js';

/** Finished flow texts in report order (flow-spool.ts), standing in for `report.flows`. */
export interface FlowTexts {
  readonly size: number;
  texts(): Iterable<string>;
}

/**
 * A flow's text in the report: pretty-printed, two levels deep (each of its lines gains 4
 * spaces; no JSON string holds a raw newline) — from the text a shard worker made when there is
 * one (flow-json-text.ts).
 */
export function flowJsonText(flow: FlowJson): string {
  return '    ' + reportFlowText(flow);
}

/**
 * Chunk size handed to the stream (bytes of text, roughly): a joined string this small is an
 * ordinary young object; a megabyte one would land in V8's large-object space, freed only by a
 * full collection (170 of them for the bench capture's report).
 */
const CHUNK = 64 * 1024;

/**
 * The report text, in pieces, in order (joined, byte-identical to the pretty-printed report with
 * its flows). With `spooled`, the flows are those texts and `report.flows` must be empty.
 */
export function* reportJsonPieces(report: ReportJson, spooled?: FlowTexts): Generator<string> {
  const count = spooled !== undefined ? spooled.size : report.flows.length;
  if (spooled !== undefined && report.flows.length > 0) throw new Error('reportJsonPieces: flows both in the report and spooled');
  const head = JSON.stringify({ ...report, flows: [] }, null, 2);
  // `flows` is the last key: the head ends in `"flows": []\n}`.
  const tail = '[]\n}';
  if (count === 0 || !head.endsWith(tail)) {
    if (count > 0 && spooled !== undefined) throw new Error('reportJsonPieces: `flows` is not the last key of the report');
    yield JSON.stringify(report, null, 2) + '\n';
    return;
  }
  yield head.slice(0, head.length - tail.length) + '[\n';
  let i = 0;
  for (const text of spooled !== undefined ? spooled.texts() : lazyTexts(report.flows)) {
    yield ++i < count ? text + ',\n' : text + '\n';
  }
  if (i !== count) throw new Error(`reportJsonPieces: ${i} flow texts for ${count} flows`);
  yield '  ]\n}\n';
}

/** The flows' texts one at a time (never all at once). */
function* lazyTexts(flows: readonly FlowJson[]): Generator<string> {
  for (const f of flows) yield flowJsonText(f);
}

/** Writes the report (its flows from `spooled` when given) to `out`, waiting for 'drain' when it pushes back; resolves when all is handed over. */
export async function writeReportJson(report: ReportJson, out: Writable, spooled?: FlowTexts): Promise<void> {
  let parts: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const text = parts.join('');
    parts = [];
    size = 0;
    if (!out.write(text)) await new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('error', done);
        resolve();
      };
      out.once('drain', done);
      out.once('error', done);
    });
  };
  for (const piece of reportJsonPieces(report, spooled)) {
    parts.push(piece);
    size += piece.length;
    if (size >= CHUNK) await flush();
  }
  await new Promise<void>((resolve) => out.write(parts.join(''), () => resolve()));
}
