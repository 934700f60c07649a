/**
 * `tcpscope extract FILE [--out DIR] [--http DIR]`:
 * - `--out`: every flow's two directions as files (names: see `extractFileName`), gaps filled
 *   with 0x00 and listed in `<file>.gaps.json`; one summary line per file on stderr;
 * - `--http`: every HTTP message body, transfer- and content-decoded (`extract-http.ts`), with
 *   `index.json`; one line per body on stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../pipeline/analyze.js';
import { EXIT, type CliIo } from './io.js';
import { ExtractSink, type ExtractedFile } from './extract-sink.js';
import { HttpBodyWriter, finishBody, prepareHttpDir, type ExtractedBody, type PendingBody } from './extract-http.js';

export interface ExtractArgs {
  file: string;
  out?: string;
  http?: string;
  /** Largest content-decoded body written (default 1 GiB): a compression bomb stops there. */
  maxDecodedBytes?: number;
}

function line(f: ExtractedFile): string {
  const missing = f.gaps.reduce((n, g) => n + g.length, 0);
  const gaps = f.gaps.length > 0 ? `, ${f.gaps.length} gap(s) ${missing} bytes filled with 0x00 (see ${f.name}.gaps.json)` : '';
  return `${f.name}: ${f.bytes} bytes${gaps}, end ${f.end}`;
}

function bodyLine(b: ExtractedBody): string {
  const what = b.kind === 'request' ? `${b.method} ${b.uri}` : `${b.status} for ${b.uri ?? '(unknown request)'}`;
  const coding = b.contentEncoding !== null ? `, ${b.contentEncoding}${b.decoded ? ' decoded' : ''}` : '';
  return JSON.stringify(`${b.file}: ${b.fileBytes} bytes (${what}${coding})${b.note !== null ? `; ${b.note}` : ''}`).slice(1, -1);
}

export async function runExtract(args: ExtractArgs, io: CliIo): Promise<number> {
  const out = args.out;
  const httpDir = args.http;
  if (out !== undefined) mkdirSync(out, { recursive: true });
  if (httpDir !== undefined) prepareHttpDir(httpDir);
  let files = 0;
  const pending: PendingBody[] = [];
  const r = await analyzeCapture(args.file, {
    ...(out !== undefined
      ? {
          streamSink: (flow) =>
            new ExtractSink(flow, out, (f) => {
              files++;
              io.err(line(f));
            }),
        }
      : {}),
    ...(httpDir !== undefined ? { app: { http: { bodySink: (flowId: number) => new HttpBodyWriter(flowId, httpDir, (p) => pending.push(p)) } } } : {}),
    ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
  });
  for (const e of r.info.errors) io.err(`tcpscope: ${e.message}`);
  if (r.info.format === null) return EXIT.USAGE;
  if (out !== undefined) io.err(`tcpscope: ${r.flows.length} flow(s), ${files} file(s) written to ${out}`);
  if (httpDir !== undefined) {
    const bodies: ExtractedBody[] = [];
    // One body at a time: decoding memory stays that of one zlib stream.
    for (const p of pending) {
      const b = await finishBody(p, httpDir, args.maxDecodedBytes ?? 2 ** 30);
      bodies.push(b);
      io.err(bodyLine(b));
    }
    writeFileSync(join(httpDir, 'index.json'), JSON.stringify({ capture: args.file, bodies }, null, 2) + '\n');
    io.err(`tcpscope: ${bodies.length} HTTP bod${bodies.length === 1 ? 'y' : 'ies'} written to ${httpDir} (see index.json)`);
  }
  return EXIT.OK;
}
