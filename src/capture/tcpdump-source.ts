/**
 * `tcpscope live --via tcpdump`: the precise path. tcpdump captures (`-U -w -`: a packet-buffered
 * pcap stream on its stdout) and tcpscope reads that stream with its own pcap reader, so packets
 * carry the kernel's timestamps instead of the time `cap` delivered them. At the end tcpdump's
 * own counters ("N packets captured / received by filter / dropped by kernel") give the drop
 * count the `cap` binding cannot.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readCaptureFrom } from './open.js';
import { newCaptureInfo, type CaptureInfo, type FrameSink } from './frame.js';
import { LiveCaptureError } from './live.js';

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

export class TcpdumpSource {
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(private readonly o: TcpdumpOptions) {
    // --immediate-mode: packets reach us as they come (TPACKET_V3 would otherwise hold them up to a
    // second in a block, and a stop would lose the unfinished block).
    const args = ['-i', o.device, '--immediate-mode', '-U', '-w', '-', '-n'];
    if (o.count !== undefined) args.push('-c', String(o.count));
    if (o.snaplen !== undefined) args.push('-s', String(o.snaplen));
    if (o.bufferMb !== undefined) args.push('-B', String(o.bufferMb * 1024));
    if (o.filter !== '') args.push(o.filter);
    this.child = spawn(o.program ?? 'tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (t: string) => {
      this.stderr += t;
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

  /** Ask tcpdump to stop (it flushes and prints its counters). */
  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
  }

  stats(): TcpdumpStats {
    const num = (re: RegExp): number | null => {
      const m = re.exec(this.stderr);
      return m === null ? null : Number(m[1]);
    };
    return {
      captured: num(/(\d+) packets? captured/),
      receivedByFilter: num(/(\d+) packets? received by filter/),
      droppedByKernel: num(/(\d+) packets? dropped by kernel/),
    };
  }
}
