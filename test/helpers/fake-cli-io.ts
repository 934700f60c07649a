/**
 * An in-memory `CliIo` for running `main(argv, io)` in-process: stdout collected as text,
 * stderr as lines, optional stdin stream.
 */
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface FakeIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Every stderr line so far. */
  readonly errLines: string[];
}

export function fakeIo(opts: { stdin?: AsyncIterable<Uint8Array>; columns?: number } = {}): FakeIo {
  const chunks: Buffer[] = [];
  const errLines: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer | string, _enc, cb): void {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      cb();
    },
  });
  const io: FakeIo = {
    stdout,
    err: (line: string) => {
      errLines.push(line);
    },
    columns: opts.columns ?? 80,
    stderrIsTty: false,
    out: () => Buffer.concat(chunks).toString('utf8'),
    errLines,
  };
  if (opts.stdin !== undefined) io.stdin = opts.stdin;
  return io;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string[];
}

/** Run the CLI in-process and collect its exit status and output. */
export async function runCli(argv: readonly string[], opts: { stdin?: AsyncIterable<Uint8Array>; columns?: number } = {}): Promise<CliRun> {
  const io = fakeIo(opts);
  const code = await main(argv, io);
  return { code, stdout: io.out(), stderr: io.errLines };
}
