/**
 * `tcpscope follow FILE --flow N [--dir c2s|s2c|both] [--raw|--ascii|--hex]`: one flow's byte
 * streams like Wireshark's Follow TCP Stream — both directions interleaved in the order the
 * bytes were delivered in order, each chunk marked by direction; gaps as `[N bytes missing]`.
 * `--raw` writes only the bytes (gaps go to stderr, not into the output).
 */
import { DIR, DIR_NAME } from '../core/direction.js';
import { StreamCollector } from '../flow/stream-collector.js';
import { analyzeCapture } from '../pipeline/analyze.js';
import { endpointText } from '../report/flows-text.js';
import { chunkLines, type FollowMode } from '../report/follow-text.js';
import { EXIT, type CliIo } from './io.js';

export interface FollowArgs {
  file: string;
  flow: number;
  dir: 'c2s' | 's2c' | 'both';
  mode: FollowMode | 'raw';
}

function write(io: CliIo, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => io.stdout.write(data, () => resolve()));
}

export async function runFollow(args: FollowArgs, io: CliIo): Promise<number> {
  const collector = new StreamCollector();
  const r = await analyzeCapture(args.file, {
    streamSink: (f) => (f.id === args.flow ? collector : null),
    ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
  });
  for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
  if (r.info.format === null) return EXIT.USAGE;
  const flow = r.flows.find((f) => f.id === args.flow);
  if (flow === undefined) {
    io.err(`tcpscope: ${args.file} has no flow ${args.flow} (flows: ${r.flows.length === 0 ? 'none' : `0..${r.flows.length - 1}`})`);
    return EXIT.USAGE;
  }
  const want = (d: number): boolean => args.dir === 'both' || DIR_NAME[d as 0 | 1] === args.dir;
  const chunks = collector.chunks.filter((c) => want(c.dir));
  if (args.mode === 'raw') {
    for (const c of chunks) {
      if (c.bytes !== null) await write(io, c.bytes);
      else io.err(`tcpscope: [${c.len} bytes missing] (${DIR_NAME[c.dir]}, offset ${c.offset})`);
    }
    return EXIT.OK;
  }
  const lines = [
    `=== flow ${flow.id}: ${endpointText(flow.client)} → ${endpointText(flow.server)}` +
      ` (c2s ${collector.delivered[DIR.C2S]} bytes, s2c ${collector.delivered[DIR.S2C]} bytes; missing c2s ${collector.missed[DIR.C2S]}, s2c ${collector.missed[DIR.S2C]})`,
  ];
  for (const c of chunks) lines.push(...chunkLines(c, args.mode));
  lines.push('===');
  await write(io, lines.join('\n') + '\n');
  return EXIT.OK;
}
