/**
 * Writes the JSON report exactly as `JSON.stringify(report, null, 2) + '\n'` would, but one flow
 * at a time with back-pressure, so a capture with 10,000 flows never holds its ~170 MB report
 * text in one string on top of the records.
 */
import type { Writable } from 'node:stream';
import type { ReportJson } from './report-json.js';
import { reportFlowText } from './flow-json-text.js';

/** Chunk size handed to the stream (bytes of text, roughly). */
const CHUNK = 1 << 20;

/** The report text, in pieces, in order (joined, byte-identical to the pretty-printed report). */
export function* reportJsonPieces(report: ReportJson): Generator<string> {
  const head = JSON.stringify({ ...report, flows: [] }, null, 2);
  // `flows` is the last key: the head ends in `"flows": []\n}`.
  const tail = '[]\n}';
  if (report.flows.length === 0 || !head.endsWith(tail)) {
    yield JSON.stringify(report, null, 2) + '\n';
    return;
  }
  yield head.slice(0, head.length - tail.length) + '[\n';
  for (let i = 0; i < report.flows.length; i++) {
    // A flow sits two levels deep: each of its lines gains 4 spaces.
    const text = '    ' + reportFlowText(report.flows[i]!);
    yield i + 1 < report.flows.length ? text + ',\n' : text + '\n';
  }
  yield '  ]\n}\n';
}

/** Writes the report to `out`, waiting for 'drain' when it pushes back; resolves when all is handed over. */
export async function writeReportJson(report: ReportJson, out: Writable): Promise<void> {
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
  for (const piece of reportJsonPieces(report)) {
    parts.push(piece);
    size += piece.length;
    if (size >= CHUNK) await flush();
  }
  await new Promise<void>((resolve) => out.write(parts.join(''), () => resolve()));
}
