/**
 * A shard worker for the failure tests: the real one (shard-worker.ts), except that shard 1
 * fails as its URL's `mode` says — `throw`: throws on its first batch with records; `exit`:
 * ends its thread (code 3) there; `barrier`: throws on the batch holding its first sweep that
 * must be agreed with the other shards, which is then waiting at that barrier; `oom`: on that
 * same batch, fills its heap until V8 stops the thread (no JavaScript runs after that: no `exit`
 * handler, so the main thread waiting at the barrier is not told by the worker).
 */
import { parentPort } from 'node:worker_threads';
import { ShardRunner, answerOn, type MainMessage } from '../../src/pipeline/shard-runner.js';
import { SweepBarrier, abortBarrierOnExit } from '../../src/pipeline/shard-barrier.js';
import { BatchView, PKT, REC, SWP, packetRecordSize } from '../../src/pipeline/shard-batch.js';

const mode = new URL(import.meta.url).searchParams.get('mode');
const port = parentPort!;
let runner: ShardRunner | null = null;
let shard = -1;
let barrier: { mem: SharedArrayBuffer; shards: number } | null = null;
abortBarrierOnExit(() => barrier);

function hasBarrierSweep(buf: ArrayBuffer, used: number): boolean {
  const v = new BatchView(buf);
  for (let o = 0; o < used; ) {
    const head = v.u32[o >>> 2]!;
    if ((head & 0xff) === REC.SWEEP) {
      if (head >>> 8 !== 0) return true;
      o += SWP.SIZE;
    } else {
      o += packetRecordSize(v.u32[(o >>> 2) + PKT.U32_LEN]!);
    }
  }
  return false;
}

function exhaustHeap(): never {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1024).fill(hoard.length));
}

port.on('message', (m: MainMessage) => {
  if (m.t === 'start') {
    shard = m.cfg.shard;
    barrier = { mem: m.barrier, shards: m.cfg.shards };
    runner = new ShardRunner(m.cfg, new SweepBarrier(m.barrier, m.cfg.shards, m.cfg.shard), answerOn(m));
    return;
  }
  if (m.t === 'batch' && shard === 1) {
    if (mode === 'throw' && m.used > 0) throw new Error('injected fault');
    if (mode === 'exit' && m.used > 0) process.exit(3);
    if (mode === 'barrier' && hasBarrierSweep(m.buf, m.used)) throw new Error('injected fault before a barrier');
    if (mode === 'oom' && hasBarrierSweep(m.buf, m.used)) exhaustHeap();
  }
  if (m.t === 'batch') runner!.batch(m.buf, m.used, m.frontier);
  else runner!.end();
});
