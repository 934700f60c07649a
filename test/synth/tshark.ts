/** Test helper: run tshark on a capture and read fields back (tests skip when it is missing). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when a working tshark is on PATH. */
export const HAS_TSHARK = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
export const NO_TSHARK_MSG = 'needs tshark: skipped when tshark is not installed';

let dir: string | null = null;

/** A fresh path in a per-run temp directory. */
export function tmpPath(name: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'tcpscope-synth-'));
  return join(dir, name);
}

/** Write bytes to a temp file and return its path. */
export function writeTmp(name: string, bytes: Uint8Array): string {
  const p = tmpPath(name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * One row per frame, one string per requested field ('' when absent; several occurrences joined
 * by ','). Checksum validation for IPv4/TCP/UDP is on.
 */
export function tsharkFields(file: string, fields: readonly string[], extra: readonly string[] = []): string[][] {
  const args = [
    '-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,',
    '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
    ...extra, ...fields.flatMap((f) => ['-e', f]),
  ];
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

/** Map field name → column of values, for convenience. */
export function tsharkColumns(file: string, fields: readonly string[], extra: readonly string[] = []): Record<string, string[]> {
  const rows = tsharkFields(file, fields, extra);
  const out: Record<string, string[]> = {};
  fields.forEach((f, i) => {
    out[f] = rows.map((r) => r[i] ?? '');
  });
  return out;
}

/** 1-based frame numbers where `field` is present (non-empty). */
export function framesWith(file: string, field: string, extra: readonly string[] = []): number[] {
  const rows = tsharkFields(file, ['frame.number', field], extra);
  return rows.filter((r) => (r[1] ?? '') !== '').map((r) => Number(r[0]));
}
