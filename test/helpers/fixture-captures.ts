/**
 * The committed real-traffic fixture captures (fixtures/*.pcap, *.pcapng, optionally .gz)
 * and external-tool detection, for the cross-check, golden and CLI tests.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(REPO, 'fixtures');
export const SPEC = join(REPO, 'spec');

/** File names (not paths) of every fixture capture, sorted. */
export const FIXTURE_CAPTURES: readonly string[] = readdirSync(FIXTURES)
  .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
  .sort();

/** Absolute path of a fixture capture. */
export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

/** The capture's name without its extension(s): `bulk-loss.client.pcap` → `bulk-loss.client`. */
export function captureStem(name: string): string {
  return name.replace(/\.(pcap|pcapng)(\.gz)?$/, '');
}

/** True when `tool --version` runs (tcpdump, tshark, capinfos). */
export function hasTool(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}
