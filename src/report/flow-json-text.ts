/**
 * A flow's JSON text made where the flow was analyzed. A sharded analysis (pipeline/shard-*.ts)
 * has its workers stringify each flow for the JSON report or NDJSON (in parallel, on the
 * original record) and send the text with a small record (report/flow-row.ts `rowView`) for
 * everything else the main thread does with the flow; the writers here use the text instead of
 * stringifying the record. The text carries the worker's own flow id; the writers put in the
 * flow's final id and its capture index, so the output is byte for byte what stringifying the
 * whole record gives.
 *
 * The text is attached to the record as a non-enumerable symbol property (invisible to
 * JSON.stringify, object spread and deep equality).
 */
import type { FlowSummary } from '../flow/flow-summary.js';

/**
 * 'report': the flow as the JSON report holds it — JSON.stringify(flow, null, 2) indented two
 * levels deeper (4 spaces after every newline); 'compact': JSON.stringify(flow) (NDJSON).
 */
export type FlowTextForm = 'report' | 'compact';

const FLOW_TEXT = Symbol('tcpscope.flowText');

interface Attached {
  form: FlowTextForm;
  text: string;
}

/**
 * JSON.stringify(v, null, 2) placed two levels deep (a flow in the report's `flows` array),
 * without the first line's indent: `v` (an object) stringified two arrays deep, where the
 * pretty-printer indents it so itself, and cut out (one pass over the text instead of a second
 * one re-indenting every line: ~15 % less time per flow).
 */
export function reportIndented(v: unknown): string {
  const s = JSON.stringify([[v]], null, 2);
  return s.slice(NESTED_OPEN.length, s.length - NESTED_CLOSE.length);
}

/** What JSON.stringify([[v]], null, 2) puts around `v`'s text. */
const NESTED_OPEN = '[\n  [\n    ';
const NESTED_CLOSE = '\n  ]\n]';

/** The flow's text in `form`, made from the whole record (by a shard worker). */
export function flowText(f: FlowSummary, form: FlowTextForm): string {
  return form === 'report' ? reportIndented(f) : JSON.stringify(f);
}

/** Attaches `text` (flowText of the whole record) to `f` (the record the consumers get). */
export function attachFlowText(f: FlowSummary, form: FlowTextForm, text: string): void {
  Object.defineProperty(f, FLOW_TEXT, { value: { form, text } satisfies Attached, enumerable: false });
}

function attached(f: object, form: FlowTextForm): string | null {
  const a = (f as { [FLOW_TEXT]?: Attached })[FLOW_TEXT];
  return a !== undefined && a.form === form ? a.text : null;
}

/** The attached text with `id` in place of the worker's id (`id` is the first key, see summarizeFlow); null when it is not in that shape. */
function withId(text: string, id: number, open: string): string | null {
  if (!text.startsWith(open)) return null;
  const comma = text.indexOf(',', open.length);
  if (comma < 0 || !/^\d+$/.test(text.slice(open.length, comma))) return null;
  return open + id + text.slice(comma);
}

const REPORT_OPEN = '{\n      "id": ';
const REPORT_CLOSE = '\n    }';
const COMPACT_OPEN = '{"id":';

/** The whole record back from an attached text in an unexpected shape (not expected to happen). */
function reparse(text: string, f: FlowSummary): FlowSummary {
  const whole = JSON.parse(text) as FlowSummary;
  whole.id = f.id;
  return whole;
}

/** `reportIndented(flow)` of a report flow (its `capture` key last), from the attached text when there is one. */
export function reportFlowText(f: FlowSummary & { capture: number }): string {
  const t = attached(f, 'report');
  if (t === null) return reportIndented(f);
  const body = withId(t, f.id, REPORT_OPEN);
  // The record ends in its closing brace: the capture index goes in as its last key.
  if (body === null || !body.endsWith(REPORT_CLOSE)) return reportIndented({ ...reparse(t, f), capture: f.capture });
  return `${body.slice(0, -REPORT_CLOSE.length)},\n      "capture": ${JSON.stringify(f.capture)}${REPORT_CLOSE}`;
}

/** The NDJSON line of a flow: JSON.stringify({ type: 'flow', ...f, capture }), from the attached text when there is one. */
export function ndjsonFlowLine(f: FlowSummary, capture: number): string {
  const t = attached(f, 'compact');
  if (t === null) return JSON.stringify({ type: 'flow', ...f, capture });
  const body = withId(t, f.id, COMPACT_OPEN);
  if (body === null || !body.endsWith('}') || body.includes('"capture":')) return JSON.stringify({ type: 'flow', ...reparse(t, f), capture });
  return `{"type":"flow",${body.slice(1, -1)},"capture":${JSON.stringify(capture)}}`;
}
