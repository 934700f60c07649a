/**
 * A quick estimate of how many packets a capture file holds, from its size and the records of
 * its first 256 KiB (classic pcap record headers, pcapng block lengths): what `--threads auto`
 * weighs against the cost of starting worker threads. Only an estimate (record sizes vary
 * along a capture); never throws.
 */
import { open } from 'node:fs/promises';

const HEAD_BYTES = 256 * 1024;
/** Bytes per packet assumed when the records cannot be read (gzip, unknown format): a snap-length-limited record. */
const FALLBACK_RECORD_BYTES = 128;

/** Estimated packets in the file at `path`; 0 when it cannot be read. */
export async function estimatePackets(path: string): Promise<number> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return 0;
  }
  try {
    const size = (await fh.stat()).size;
    const buf = new Uint8Array(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const perRecord = recordBytes(head) ?? FALLBACK_RECORD_BYTES;
    return Math.floor(size / perRecord);
  } catch {
    return 0;
  } finally {
    await fh.close();
  }
}

/** Average bytes per packet record in `b` (the start of a capture), or null when it is not pcap/pcapng. */
export function recordBytes(b: Uint8Array): number | null {
  if (b.length < 24) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) return pcapRecords(dv, false);
  if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) return pcapRecords(dv, true);
  if (magic === 0x0a0d0d0a) return pcapngRecords(dv);
  return null;
}

/** Classic pcap: a 16-byte header per record, its captured length at offset 8. */
function pcapRecords(dv: DataView, le: boolean): number | null {
  let o = 24;
  let n = 0;
  while (o + 16 <= dv.byteLength) {
    const len = 16 + dv.getUint32(o + 8, le);
    if (o + len > dv.byteLength) break;
    o += len;
    n++;
  }
  return n > 0 ? (o - 24) / n : null;
}

/** pcapng: every block's total length at offset 4 (in the section's byte order); packet blocks are EPB (6), SPB (3), PB (2). */
function pcapngRecords(dv: DataView): number | null {
  let o = 0;
  let n = 0;
  let le = true;
  while (o + 12 <= dv.byteLength) {
    const typeLe = dv.getUint32(o, true);
    if (typeLe === 0x0a0d0d0a) le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
    const type = dv.getUint32(o, le);
    const len = dv.getUint32(o + 4, le);
    if (len < 12 || o + len > dv.byteLength) break;
    if (type === 6 || type === 3 || type === 2) n++;
    o += len;
  }
  return n > 0 ? o / n : null;
}
