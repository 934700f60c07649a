/**
 * `tcpscope live --via tcpdump`: the precise path. tcpdump captures (`-U -w -`: a packet-buffered
 * pcap stream on its stdout) and tcpscope reads that stream with its own pcap reader, so packets
 * carry the kernel's timestamps instead of the time `cap` delivered them. tcpdump's own counters
 * ("N packets captured / received by filter / dropped by kernel") give the drop count the `cap`
 * binding cannot: at the end, and whenever `requestStats()` sends it SIGUSR1 (Linux tcpdump then
 * prints them on one line and goes on). Only the last of each counter and the first lines of
 * stderr (the errors) are kept, so a long capture does not grow memory.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readCaptureFrom } from './open.js';
import { newCaptureInfo, type CaptureInfo, type FrameSink } from './frame.js';
import { LiveCaptureError, defaultBufferMb } from './live.js';

export interface TcpdumpOptions {
  device: string;
  filter: string;
  count?: number;
  snaplen?: number;
  bufferMb?: number;
  /** Program to run (default `tcpdump` on the PATH). */
  program?: string;
}

/** What tcpdump said about the capture when it ended. */
export interface TcpdumpStats {
  captured: number | null;
  receivedByFilter: number | null;
  droppedByKernel: number | null;
}

/** stderr kept for error messages (the first lines); later text is only scanned for counters. */
const STDERR_KEEP = 16_384;

export class TcpdumpSource {
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  /** Unscanned end of stderr (a counter line may arrive in pieces). */
  private partial = '';
  /** tcpdump said "listening on": its signal handlers are in place (SIGUSR1 before that would kill it). */
  private listening = false;
  private readonly counters: TcpdumpStats = { captured: null, receivedByFilter: null, droppedByKernel: null };
  private readonly exited: Promise<number | null>;

  constructor(private readonly o: TcpdumpOptions) {
    // --immediate-mode: packets reach us as they come (TPACKET_V3 would otherwise hold them up to a
    // second in a block, and a stop would lose the unfinished block).
    const args = ['-i', o.device, '--immediate-mode', '-U', '-w', '-', '-n'];
    if (o.count !== undefined) args.push('-c', String(o.count));
    if (o.snaplen !== undefined) args.push('-s', String(o.snaplen));
    // The kernel buffer as for cap (capture/live.ts defaultBufferMb): tcpdump's own default, 2 MiB,
    // holds only ~30 packets on loopback, where immediate mode's ring slots are 64 KiB each.
    args.push('-B', String((o.bufferMb ?? defaultBufferMb(o.device)) * 1024));
    if (o.filter !== '') args.push(o.filter);
    this.child = spawn(o.program ?? 'tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (t: string) => {
      if (this.stderr.length < STDERR_KEEP) this.stderr += t.slice(0, STDERR_KEEP - this.stderr.length);
      this.scan(t);
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', (e: NodeJS.ErrnoException) => {
        reject(e.code === 'ENOENT' ? new LiveCaptureError(`--via tcpdump: '${o.program ?? 'tcpdump'}' is not installed (apt-get install tcpdump)`) : e);
      });
      this.child.once('exit', (code) => resolve(code));
    });
  }

  /** Reads tcpdump's stream into `sink` until it ends; rejects with tcpdump's own message when it could not capture. */
  async run(sink: FrameSink): Promise<CaptureInfo> {
    const info = newCaptureInfo(`live:${this.o.device}`);
    const [, code] = await Promise.all([readCaptureFrom(this.child.stdout, info, sink), this.exited]);
    if (info.format === null && code !== 0) {
      const why = this.stderr.split('\n').filter((l) => /tcpdump:|error|permission|syntax|No such/i.test(l)).join('; ') || `tcpdump exited with status ${code}`;
      throw new LiveCaptureError(`--via tcpdump: ${why.replace(/^tcpdump: /, '')}`);
    }
    return info;
  }

  /** Ask tcpdump for its counters now (SIGUSR1; they arrive on stderr a moment later: see `stats()`). */
  requestStats(): void {
    if (this.listening && this.child.exitCode === null && this.child.pid !== undefined) this.child.kill('SIGUSR1');
  }

  /** Counter lines, complete ones only: the latest value of each counter wins. */
  private scan(text: string): void {
    const all = this.partial + text;
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      this.partial = all.slice(-4096);
      return;
    }
    this.partial = all.slice(cut + 1).slice(-4096);
    if (!this.listening && /listening on/.test(all)) this.listening = true;
    const c = this.counters;
    const last = (re: RegExp): number | null => {
      let v: number | null = null;
      for (const m of all.slice(0, cut).matchAll(re)) v = Number(m[1]);
      return v;
    };
    c.captured = last(/(\d+) packets? captured/g) ?? c.captured;
    c.receivedByFilter = last(/(\d+) packets? received by filter/g) ?? c.receivedByFilter;
    c.droppedByKernel = last(/(\d+) packets? dropped by kernel/g) ?? c.droppedByKernel;
  }

  /** Ask tcpdump to stop (it flushes and prints its counters). */
  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
  }

  /** tcpdump's latest counters (the final ones once it has exited; null before it said any). */
  stats(): TcpdumpStats {
    if (this.partial !== '') this.scan('\n');
    return { ...this.counters };
  }
}
