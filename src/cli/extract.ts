/**
 * `tcpscope extract FILE --out DIR`: every flow's two directions as files (names: see
 * `extractFileName`), gaps filled with 0x00 and listed in `<file>.gaps.json`; one summary line
 * per file on stderr.
 */
import { mkdirSync } from 'node:fs';
import { analyzeCapture } from '../pipeline/analyze.js';
import { EXIT, type CliIo } from './io.js';
import { ExtractSink, type ExtractedFile } from './extract-sink.js';

export interface ExtractArgs {
  file: string;
  out: string;
}

function line(f: ExtractedFile): string {
  const missing = f.gaps.reduce((n, g) => n + g.length, 0);
  const gaps = f.gaps.length > 0 ? `, ${f.gaps.length} gap(s) ${missing} bytes filled with 0x00 (see ${f.name}.gaps.json)` : '';
  return `${f.name}: ${f.bytes} bytes${gaps}, end ${f.end}`;
}

export async function runExtract(args: ExtractArgs, io: CliIo): Promise<number> {
  mkdirSync(args.out, { recursive: true });
  let files = 0;
  const r = await analyzeCapture(args.file, {
    streamSink: (flow) =>
      new ExtractSink(flow, args.out, (f) => {
        files++;
        io.err(line(f));
      }),
    ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
  });
  for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
  if (r.info.format === null) return EXIT.USAGE;
  io.err(`tcpscope: ${r.flows.length} flow(s), ${files} file(s) written to ${args.out}`);
  return EXIT.OK;
}
