/**
 * Text renderings of a followed flow (`tcpscope follow`): ASCII like Wireshark's Follow TCP
 * Stream (non-printable bytes as '.', newlines kept) or a hexdump per chunk, each chunk headed by
 * its direction, stream offset and first frame; gaps as `[N bytes missing]`.
 */
import { DIR_NAME, type Direction } from '../core/direction.js';
import type { StreamChunk } from '../flow/stream-collector.js';

export type FollowMode = 'ascii' | 'hex';

function asciiText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c === 0x0a || c === 0x09 || (c >= 0x20 && c < 0x7f) ? String.fromCharCode(c) : c === 0x0d ? '' : '.';
  return s;
}

/** `hexdump -C`-like lines, offsets in the direction's stream. */
export function hexLines(b: Uint8Array, base: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const row = b.subarray(i, i + 16);
    const hex = [...row].map((x) => x.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const asc = [...row].map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');
    out.push(`${(base + i).toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${asc}|`);
  }
  return out;
}

/** One chunk as text lines (header line first). */
export function chunkLines(c: StreamChunk, mode: FollowMode): string[] {
  const dir = DIR_NAME[c.dir as Direction];
  if (c.bytes === null) return [`[${c.len} bytes missing] (${dir}, offset ${c.offset}, frame ${c.frame})`];
  const head = `--- ${dir} offset ${c.offset}, ${c.len} bytes, frame ${c.frame}`;
  if (mode === 'hex') return [head, ...hexLines(c.bytes, c.offset)];
  const text = asciiText(c.bytes);
  return [head, text.endsWith('\n') ? text.slice(0, -1) : text];
}
