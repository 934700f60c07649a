// A worker entry that only waits (heap-worker-child.ts).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => undefined);
