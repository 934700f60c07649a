/**
 * Per-flow report files of CI mode (`--per-flow-dir DIR`, `--baseline DIR`): one JSON file per
 * flow at `DIR/<capture stem>/flow-<id>.json`, names stable across runs (the stem is the
 * capture's file name without its capture/compression extensions; flow ids are deterministic).
 * Two inputs with the same file name get `-2`, `-3` ... in the order they were named.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FlowSummary } from '../flow/flow-summary.js';

/** What a per-flow file holds. */
export interface FlowFile {
  /** Contract of this file (bumped on incompatible changes). */
  schema: 'tcpscope-flow-v1';
  /** The capture as named on the command line. */
  source: string;
  flow: FlowSummary;
}

/** Capture file name → directory stem (`-` → `stdin`). */
export function captureStem(source: string): string {
  if (source === '-') return 'stdin';
  let s = basename(source);
  for (let changed = true; changed; ) {
    const next = s.replace(/\.(gz|pcapng|pcap|cap|dmp)$/i, '');
    changed = next !== s && next !== '';
    if (changed) s = next;
  }
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Stems for the inputs, in order, made unique. */
export function uniqueStems(sources: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return sources.map((src) => {
    const s = captureStem(src);
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    return n === 1 ? s : `${s}-${n}`;
  });
}

export function flowFileName(id: number): string {
  return `flow-${id}.json`;
}

/** The file's text: 2-space JSON, keys in record order, newline at the end (diff-friendly). */
export function flowFileText(source: string, flow: FlowSummary): string {
  const { capture: _c, ...rest } = flow as FlowSummary & { capture?: number };
  const file: FlowFile = { schema: 'tcpscope-flow-v1', source, flow: rest as FlowSummary };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Writes one flow's JSON (and Markdown, when given) under `dir/stem/`. */
export function writeFlowFiles(dir: string, stem: string, source: string, flow: FlowSummary, markdown: string | null): void {
  const d = join(dir, stem);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, flowFileName(flow.id)), flowFileText(source, flow));
  if (markdown !== null) writeFileSync(join(d, `flow-${flow.id}.md`), markdown);
}

/** Flow ids with a file under `dir/stem` (empty when the directory does not exist). */
export function flowIdsIn(dir: string, stem: string): number[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, stem));
  } catch {
    return [];
  }
  const ids: number[] = [];
  for (const n of names) {
    const m = /^flow-(\d+)\.json$/.exec(n);
    if (m !== null) ids.push(Number(m[1]));
  }
  return ids.sort((a, b) => a - b);
}

/** A baseline flow file, or null when absent. Throws with the path on unreadable JSON. */
export function readFlowFile(dir: string, stem: string, id: number): FlowFile | null {
  const path = join(dir, stem, flowFileName(id));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as FlowFile;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Removes `dir/stem`'s flow files whose ids are not in `keep` (baseline update). */
export function removeStaleFlowFiles(dir: string, stem: string, keep: ReadonlySet<number>): number {
  let removed = 0;
  for (const id of flowIdsIn(dir, stem)) {
    if (keep.has(id)) continue;
    rmSync(join(dir, stem, flowFileName(id)), { force: true });
    rmSync(join(dir, stem, `flow-${id}.md`), { force: true });
    removed++;
  }
  return removed;
}
