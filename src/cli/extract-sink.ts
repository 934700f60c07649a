/**
 * The `extract` stream consumer: writes each flow direction to its own file as the bytes are
 * delivered, gaps filled with GAP_FILL (0x00) and listed in a `<file>.gaps.json` side file
 * (written only when the direction has gaps). Bytes are buffered per direction and appended in
 * blocks, so no file descriptor stays open between writes (any number of live flows).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIR_NAME, type Direction } from '../core/direction.js';
import { formatIp } from '../dissectors/address.js';
import type { FlowEndpoints } from '../flow/flow.js';
import type { StreamEndReason, StreamSink } from '../reassembly/stream-sink.js';

/** The byte written where the capture lacks stream bytes. */
export const GAP_FILL = 0x00;
const BLOCK = 1 << 18;
const ZEROS = new Uint8Array(1 << 16).fill(GAP_FILL);

/** `<id>-<client ip>.<port>-<server ip>.<port>-<c2s|s2c>.bin`; IPv6 colons become '_'. */
export function extractFileName(f: FlowEndpoints, dir: Direction): string {
  const ip = (a: Uint8Array): string => formatIp(a, 0, f.ipVersion).replaceAll(':', '_');
  return `${f.id}-${ip(f.clientAddr)}.${f.clientPort}-${ip(f.serverAddr)}.${f.serverPort}-${DIR_NAME[dir]}.bin`;
}

/** What was written for one direction. */
export interface ExtractedFile {
  name: string;
  bytes: number;
  gaps: { offset: number; length: number }[];
  end: StreamEndReason;
}

class DirectionFile {
  private parts: Uint8Array[] = [];
  private size = 0;
  private created = false;
  written = 0;
  readonly gaps: { offset: number; length: number }[] = [];
  constructor(readonly path: string) {}

  add(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= BLOCK) this.flush();
  }

  gap(offset: number, len: number): void {
    this.gaps.push({ offset, length: len });
    for (let left = len; left > 0; left -= ZEROS.length) this.add(ZEROS.subarray(0, Math.min(left, ZEROS.length)));
  }

  flush(): void {
    const data = Buffer.concat(this.parts);
    if (this.created) appendFileSync(this.path, data);
    else writeFileSync(this.path, data);
    this.created = true;
    this.written += data.length;
    this.parts = [];
    this.size = 0;
  }
}

/** One flow's sink: two files. `done` is called once per direction when it ends. */
export class ExtractSink implements StreamSink {
  private readonly files: [DirectionFile, DirectionFile];
  constructor(private readonly flow: FlowEndpoints, outDir: string, private readonly done: (f: ExtractedFile) => void) {
    this.files = [new DirectionFile(join(outDir, extractFileName(flow, 0))), new DirectionFile(join(outDir, extractFileName(flow, 1)))];
  }

  onData(dir: Direction, _offset: number, buf: Uint8Array, off: number, len: number): void {
    this.files[dir].add(buf.slice(off, off + len));
  }

  onGap(dir: Direction, offset: number, len: number): void {
    this.files[dir].gap(offset, len);
  }

  onOverlap(): void {}

  onEnd(dir: Direction, reason: StreamEndReason): void {
    const f = this.files[dir];
    f.flush();
    if (f.gaps.length > 0) writeFileSync(`${f.path}.gaps.json`, JSON.stringify({ fill: GAP_FILL, gaps: f.gaps }, null, 2) + '\n');
    this.done({ name: extractFileName(this.flow, dir), bytes: f.written, gaps: f.gaps, end: reason });
  }
}
