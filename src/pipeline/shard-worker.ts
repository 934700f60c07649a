/**
 * Entry of a shard worker thread (started by shard-pool.ts): a ShardRunner fed by the main
 * thread's messages. An exception escapes to the thread's `error` event, which the pool turns
 * into a failure of the whole analysis.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ShardRunner, type MainMessage, type ShardConfig } from './shard-runner.js';
import { SweepBarrier } from './shard-barrier.js';

const port = parentPort;
if (port === null) throw new Error('shard-worker.js runs only as a worker thread');
const data = workerData as { cfg: ShardConfig; barrier: SharedArrayBuffer };
const runner = new ShardRunner(data.cfg, new SweepBarrier(data.barrier, data.cfg.shards, data.cfg.shard), (m, transfer) => port.postMessage(m, transfer ?? []));
port.on('message', (m: MainMessage) => runner.onMessage(m));
