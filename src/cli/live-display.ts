/**
 * Where `tcpscope live` shows what happens while it captures (the final report is the report
 * sink's business):
 * - `TtyView`: on a terminal (stderr), the view (report/live-view.ts) redrawn in place — cursor
 *   up over the lines drawn last time, erase to the end of the screen, draw — with each finding
 *   line written above it, where it stays and scrolls. Every line fits the terminal (no wrap),
 *   so the cursor arithmetic is exact; the view is cut to the terminal's height.
 * - `NdjsonLiveOutput`: `{"type":"event"}` lines as findings happen and `{"type":"stats"}` lines
 *   while packets come, among the sink's `{"type":"flow"}` lines, flushed at every update.
 */
import { renderEventLine, renderLiveView, type LiveStatus } from '../report/live-view.js';
import type { LiveEvent, LiveRow } from '../report/live-types.js';
import type { Palette } from '../report/colors.js';
import type { ReportSink } from './report-sink.js';

/** What a live session shows as it goes. */
export interface LiveOutput {
  /** Needs the open flows' rows (the view): without, the session does not sample them. */
  readonly wantsRows: boolean;
  /** New finding lines (oldest first). */
  events(list: readonly LiveEvent[]): void;
  /** The status and the open flows now (`now`: epoch seconds); `final`: the capture has ended. */
  update(status: LiveStatus, rows: readonly LiveRow[], now: number, final: boolean): void;
  /** The capture ended: leave the terminal clean for the final report. */
  stop(): void;
}

/** A terminal stream (stderr): only what the view uses. */
export interface TtyStream {
  write(text: string): unknown;
  columns?: number;
  rows?: number;
}

const ESC = '\u001b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

export class TtyView implements LiveOutput {
  readonly wantsRows = true;
  /** Lines of the view on screen now (0: none drawn). */
  private drawn = 0;
  private last: string[] = [];
  private stopped = false;

  constructor(
    private readonly out: TtyStream,
    private readonly p: Palette,
  ) {
    // The cursor is hidden while drawing: shown again however the process ends.
    process.once('exit', this.showCursor);
  }

  private readonly showCursor = (): void => {
    if (!this.stopped) this.out.write(SHOW_CURSOR);
  };

  private get columns(): number {
    return this.out.columns ?? 80;
  }

  /** Cursor to the first line of the view, and erase from there down. */
  private erase(): string {
    if (this.drawn === 0) return '';
    const s = `${ESC}${this.drawn}A\r${ESC}J`;
    this.drawn = 0;
    return s;
  }

  private draw(lines: readonly string[]): string {
    this.drawn = lines.length;
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  events(list: readonly LiveEvent[]): void {
    if (this.stopped || list.length === 0) return;
    const cols = this.columns;
    const text = list.map((e) => renderEventLine(e, cols, this.p)).join('\n');
    this.out.write(`${HIDE_CURSOR}${this.erase()}${text}\n${this.draw(this.last)}`);
  }

  update(status: LiveStatus, rows: readonly LiveRow[], now: number, final: boolean): void {
    if (this.stopped || final) return;
    // Header (2) + column heads (1) + "more" line (1), and one line spare at the bottom.
    const height = this.out.rows ?? 24;
    const maxRows = Math.max(1, Math.min(40, height - 5));
    const lines = renderLiveView(status, rows, now, this.columns, maxRows, this.p);
    this.last = lines.slice(0, Math.max(1, height - 1));
    this.out.write(`${HIDE_CURSOR}${this.erase()}${this.draw(this.last)}`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.showCursor);
    this.out.write(`${this.erase()}${SHOW_CURSOR}`);
  }
}

/** Several outputs at once (a view on stderr and NDJSON on stdout). */
export class LiveOutputs implements LiveOutput {
  readonly wantsRows: boolean;

  constructor(private readonly all: readonly LiveOutput[]) {
    this.wantsRows = all.some((o) => o.wantsRows);
  }

  events(list: readonly LiveEvent[]): void {
    for (const o of this.all) o.events(list);
  }

  update(status: LiveStatus, rows: readonly LiveRow[], now: number, final: boolean): void {
    for (const o of this.all) o.update(status, rows, now, final);
  }

  stop(): void {
    for (const o of this.all) o.stop();
  }
}

export class NdjsonLiveOutput implements LiveOutput {
  readonly wantsRows = false;
  private lastPackets = -1;

  constructor(private readonly sink: ReportSink) {}

  events(list: readonly LiveEvent[]): void {
    for (const e of list) this.sink.extraLine({ type: 'event', ...e });
    if (list.length > 0) this.sink.flushLines();
  }

  /** A stats line when packets came since the last one (an idle capture writes none), and at the end. */
  update(status: LiveStatus, _rows: readonly LiveRow[], now: number, final: boolean): void {
    if (final || status.packets !== this.lastPackets) {
      this.lastPackets = status.packets;
      this.sink.extraLine({ type: 'stats', ts: Math.round(now * 1000) / 1000, ...(final ? { final: true } : {}), ...status });
    }
    this.sink.flushLines();
  }

  stop(): void {
    this.sink.flushLines();
  }
}
