/**
 * Benchmark worker: runs one measured job in its own process and prints one JSON line
 * {mode, packets, seconds, cpuSeconds, maxRssKiB} (cpuSeconds: user + system CPU time of the job,
 * steadier than wall time on a busy machine). Modes:
 *   read    — capture reader only (frames counted)
 *   decode  — reader + dissectors + defragmentation (what `tcpscope packets` does without printing)
 *   analyze — the full `tcpscope analyze` pipeline (report built, not printed)
 * Used by bench/bench.ts; not a test.
 */
import { readCapture } from '../src/capture/open.js';
import type { Frame } from '../src/capture/frame.js';
import { DecodeStage } from '../src/pipeline/decode-stage.js';
import { analyzeCapture } from '../src/pipeline/analyze.js';
import { buildReport } from '../src/report/report-json.js';

async function run(mode: string, file: string): Promise<{ packets: number }> {
  switch (mode) {
    case 'read': {
      let n = 0;
      let bytes = 0;
      const info = await readCapture(file, (f: Frame) => {
        n++;
        bytes += f.caplen;
      });
      if (bytes < 0) throw new Error('unreachable');
      return { packets: info.packets === n ? n : -1 };
    }
    case 'decode': {
      const stage = new DecodeStage(null);
      await readCapture(file, stage.onFrame);
      stage.finish();
      return { packets: stage.counters.packets };
    }
    case 'analyze': {
      const r = await analyzeCapture(file);
      const report = buildReport([r], false);
      return { packets: report.summary.packets };
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

const [mode = 'decode', file = ''] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const { packets } = await run(mode, file);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ mode, packets, seconds, cpuSeconds, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
