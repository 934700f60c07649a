/**
 * Entry of a shard worker thread (started by shard-pool.ts): one ShardRunner per analysis
 * (a 'start' message begins one, 'end' finishes it; the thread serves the next capture of the
 * same run). An exception escapes to the thread's `error` event, which the pool turns into a
 * failure of the analysis; the thread's end first releases the main thread if it waits at a
 * sweep barrier (abortBarrierOnExit).
 */
import { parentPort } from 'node:worker_threads';
import { ShardRunner, answerOn, type MainMessage } from './shard-runner.js';
import { SweepBarrier, abortBarrierOnExit } from './shard-barrier.js';

const port = parentPort;
if (port === null) throw new Error('shard-worker.js runs only as a worker thread');
let runner: ShardRunner | null = null;
let barrier: { mem: SharedArrayBuffer; shards: number } | null = null;
abortBarrierOnExit(() => barrier);
port.on('message', (m: MainMessage) => {
  if (m.t === 'start') {
    barrier = { mem: m.barrier, shards: m.cfg.shards };
    runner = new ShardRunner(m.cfg, new SweepBarrier(m.barrier, m.cfg.shards, m.cfg.shard), answerOn(m));
  } else if (runner === null) throw new Error(`'${m.t}' message outside an analysis`);
  else if (m.t === 'batch') runner.batch(m.buf, m.used, m.frontier);
  else {
    runner.end();
    runner = null;
    barrier = null;
  }
});
