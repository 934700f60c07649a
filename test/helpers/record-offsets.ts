/**
 * Where the packet records of a capture held in memory start, written independently of
 * src/capture for tests that cut a capture at a known record. `record` is the 1-based
 * number tcpscope's errors use: the packet number for classic pcap, the block number (all
 * blocks, SHB and IDB included) for pcapng.
 */
export interface RecordPos {
  offset: number;
  record: number;
}

export function packetRecordOffsets(b: Uint8Array): RecordPos[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, false);
  const out: RecordPos[] = [];
  if (magic === 0x0a0d0d0a) {
    const le = dv.getUint32(8, true) === 0x1a2b3c4d;
    let block = 0;
    for (let off = 0; off + 12 <= b.length; ) {
      const type = dv.getUint32(off, le);
      const len = dv.getUint32(off + 4, le);
      block++;
      if (type === 6 || type === 3 || type === 2) out.push({ offset: off, record: block });
      if (len < 12) throw new Error(`bad block length at ${off}`);
      off += len;
    }
    return out;
  }
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  for (let off = 24; off + 16 <= b.length; ) {
    out.push({ offset: off, record: out.length + 1 });
    off += 16 + dv.getUint32(off + 8, le);
  }
  return out;
}
