/**
 * The CLI's view of the outside world, injectable for tests: output streams and terminal facts.
 */
import type { Writable } from 'node:stream';

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2 } as const;

export interface CliIo {
  /** Standard output as a stream (large outputs are written in chunks with back-pressure). */
  stdout: Writable;
  /** One line to standard error. */
  err(line: string): void;
  /** Terminal width (80 when not a TTY). */
  columns: number;
  /** True when stderr is a terminal (progress bar). */
  stderrIsTty: boolean;
  /** True when stdout is a terminal (colours in the text report; default false). */
  stdoutIsTty?: boolean;
  /** Standard error as a stream, for the progress bar (absent: no bar). */
  errStream?: NodeJS.WritableStream;
  /** What '-' reads (default `process.stdin`); tests inject a stream. */
  stdin?: AsyncIterable<Uint8Array>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    err: (line) => process.stderr.write(`${line}\n`),
    columns: process.stdout.columns ?? 80,
    stderrIsTty: Boolean(process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    errStream: process.stderr,
  };
}

/**
 * Buffered line writer over a stream: collects output into large chunks and waits for
 * 'drain' when the stream pushes back, so `packets` on a huge file neither floods memory nor
 * slows to one write per line. EPIPE (e.g. `| head`) ends output quietly.
 */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;
  /**
   * Characters queued at most while the stream pushes back (default: no bound — readers of files
   * wait for 'drain' instead). A live capture cannot wait: past the bound lines are dropped and
   * counted in `dropped`.
   */
  maxQueued = Infinity;
  dropped = 0;
  private closed = false;
  private waiting: Promise<void> | null = null;
  constructor(private readonly out: Writable, private readonly chunk = 1 << 16) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
    });
  }
  get isClosed(): boolean {
    return this.closed;
  }
  /** Queue one line (without its newline). Returns a promise only when the caller should wait. */
  line(s: string): Promise<void> | null {
    if (this.waiting !== null && this.size >= this.maxQueued) {
      this.dropped++;
      return this.waiting;
    }
    this.parts.push(s);
    this.size += s.length + 1;
    if (this.size >= this.chunk) return this.flush();
    return null;
  }
  flush(): Promise<void> | null {
    if (this.waiting !== null) return this.waiting;
    if (this.parts.length === 0 || this.closed) {
      this.parts = [];
      this.size = 0;
      return null;
    }
    const text = this.parts.join('\n') + '\n';
    this.parts = [];
    this.size = 0;
    if (this.out.write(text)) return null;
    // Back-pressure: one wait at a time; lines queued meanwhile go out with the next flush.
    this.waiting = new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.waiting = null;
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
    });
    return this.waiting;
  }
}
