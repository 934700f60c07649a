/**
 * The progress bar of `tcpscope analyze` on stderr (cli-progress): only when stderr is a
 * terminal, not with `--quiet`, and only once reading has taken more than a second (small
 * captures print nothing). Plain files show a percentage of their size; gzip and standard
 * input, whose decompressed size is unknown, show the bytes read.
 */
import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { CaptureInfo } from '../capture/frame.js';

/** Reading shorter than this shows no bar. */
const DELAY_MS = 1000;

export class ProgressBar {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private total = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new input starts (its size, when it is a plain file). */
  begin(source: string): void {
    this.stop();
    this.started = this.now();
    let size = 0;
    try {
      if (source !== '-') size = statSync(source).size;
    } catch {
      size = 0;
    }
    this.total = size;
  }

  /** After each chunk read. */
  update(info: CaptureInfo): void {
    const done = info.streamBytes;
    if (this.bar === null) {
      if (this.now() - this.started < DELAY_MS) return;
      const exact = info.compression === null && this.total > 0;
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: exact ? `${info.source} [{bar}] {percentage}% | {value}/{total} MB | {packets} packets | {eta_formatted}` : `${info.source} {value} MB read | {packets} packets`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(exact ? mb(this.total) : 0, 0, { packets: 0 });
    }
    this.bar.update(mb(done), { packets: info.packets });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

function mb(n: number): number {
  return Math.round(n / 1e5) / 10;
}
