/**
 * Child process of the out-of-memory test (shard-failure.test.ts): a sharded analysis whose
 * worker fills its heap at the first sweep agreed between the shards, while the main thread
 * waits for it there. Prints the analysis's rejection (name and message) or "resolved". Run in
 * a child so that a regression (the main thread blocked for good) fails the test by a timeout
 * instead of blocking the test runner.
 */
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { ShardWorkers } from '../../src/pipeline/shard-pool.js';
import { scenarioCapture } from '../helpers/shard-captures.js';

const file = await scenarioCapture({ seed: 2, connections: 200, spanSec: 30, jitter: 0.05, jitterSec: 6 });
const w = new ShardWorkers(1, {
  workerUrl: new URL('./faulty-shard-worker.ts?mode=oom', import.meta.url),
  resourceLimits: { maxOldGenerationSizeMb: 48 },
});
try {
  await analyzeCapture(file, { threads: 2, workers: () => w, flowLimits: { idleTimeoutSec: 3 } });
  process.stdout.write('resolved\n');
} catch (e) {
  const err = e as Error;
  process.stdout.write(`${err.name}: ${err.message}\nusable: ${w.usable}\n`);
} finally {
  await w.close();
}
