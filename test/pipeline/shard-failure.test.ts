/**
 * A sharded analysis whose worker fails ends with a clear error (ShardWorkerError naming the
 * worker and the cause), never a hang — also when the other worker is waiting for it at a sweep
 * barrier — and the workers are not reused. A consumer that throws fails the analysis with its
 * error. (A hang would fail these tests by vitest's timeout; nothing here is timed.)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { ShardWorkerError, ShardWorkers } from '../../src/pipeline/shard-pool.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { scenarioCapture } from '../helpers/shard-captures.js';

function faulty(mode: string): ShardWorkers {
  return new ShardWorkers(1, { workerUrl: new URL(`./faulty-shard-worker.ts?mode=${mode}`, import.meta.url) });
}

describe('a failing worker', () => {
  test.each([
    ['throw', /^analysis worker 1 of 1 failed: injected fault$/],
    ['exit', /^analysis worker 1 of 1 failed: exited \(code 3\)$/],
  ])('%s: the analysis rejects with ShardWorkerError', async (mode, message) => {
    const w = faulty(mode);
    try {
      const run = analyzeCapture(fixturePath('short-conns.client.pcap'), { threads: 2, workers: () => w });
      await expect(run).rejects.toThrow(message);
      await expect(run).rejects.toBeInstanceOf(ShardWorkerError);
      expect(w.usable).toBe(false);
    } finally {
      await w.close();
    }
  });

  test('while the other worker waits for it at a sweep barrier', async () => {
    const file = await scenarioCapture({ seed: 2, connections: 200, spanSec: 30, jitter: 0.05, jitterSec: 6 });
    const w = faulty('barrier');
    try {
      await expect(analyzeCapture(file, { threads: 2, workers: () => w, flowLimits: { idleTimeoutSec: 3 } })).rejects.toThrow(/^analysis worker 1 of 1 failed: injected fault before a barrier$/);
    } finally {
      await w.close();
    }
  });

  test('that runs out of memory (no exit handler runs) while the main thread waits for it at a sweep barrier', () => {
    // In a child process with a time limit: the failure this guards against blocks the thread.
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./oom-child.ts', import.meta.url))], { encoding: 'utf8', timeout: 120_000 });
    expect(r.signal, 'the analysis hung while its worker was out of memory').toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ShardWorkerError: analysis worker 1 of 1 failed: .*memory.*\nusable: false\n$/);
  });

  test('the same workers serve the next capture when nothing failed', async () => {
    const w = new ShardWorkers(1);
    try {
      const a = await analyzeCapture(fixturePath('short-conns.client.pcap'), { threads: 2, workers: () => w });
      const b = await analyzeCapture(fixturePath('bulk-loss.client.pcap'), { threads: 2, workers: () => w });
      expect(a.shards?.threads).toBe(2);
      expect(b.flows).toHaveLength(1);
      expect(w.usable).toBe(true);
    } finally {
      await w.close();
    }
  });
});

test('a consumer that throws fails the sharded analysis with its error, and the workers stop', async () => {
  const w = new ShardWorkers(1);
  try {
    const run = analyzeCapture(fixturePath('short-conns.client.pcap'), {
      threads: 2,
      workers: () => w,
      onFlowEnd: () => {
        throw new Error('consumer failed');
      },
    });
    await expect(run).rejects.toThrow('consumer failed');
    expect(w.usable).toBe(false);
  } finally {
    await w.close();
  }
});
