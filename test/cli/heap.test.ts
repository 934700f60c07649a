/**
 * The CLI's heap settings (src/cli/heap.ts) hold when it starts a worker thread: creating the
 * worker's isolate raises V8's process-wide `--semi-space-growth-factor` back to 2, after which
 * the main thread's young generation grew from 8 to 32 MiB (+25 MiB peak RSS with
 * `--threads 2`). A real child process (flags are the process's), which allocates without
 * returning to its event loop while the worker starts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const CHILD = fileURLToPath(new URL('./heap-worker-child.ts', import.meta.url));
const MIB = 1024 * 1024;

function youngGenerationAfterWorkerStart(mode: 'flags' | 'none'): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return Number(r.stdout.trim());
}

describe('the main thread young generation with a worker thread', () => {
  test('stays at 8 MiB when the worker sets workerV8Flags first', () => {
    expect(youngGenerationAfterWorkerStart('flags')).toBe(8 * MIB);
  });

  test('grows without them (what the test above guards against)', () => {
    expect(youngGenerationAfterWorkerStart('none')).toBeGreaterThan(8 * MIB);
  });
});
