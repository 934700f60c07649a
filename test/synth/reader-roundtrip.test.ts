import { expect, test } from 'vitest';
import { parseCaptureBytes } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/frame.js';
import { PcapWriter } from '../../src/synth/pcap-writer.js';
import { PcapngWriter } from '../../src/synth/pcapng-writer.js';
import { CLIENT, SERVER, SynthCapture, handshake, transfer } from '../../src/synth/tcp-script.js';

interface Rec { tsSec: number; tsNsec: number; caplen: number; origLen: number; linkType: number; ifIndex: number; epbFlags: number; hex: string }

function readBack(bytes: Uint8Array): { recs: Rec[]; info: ReturnType<typeof parseCaptureBytes> } {
  const recs: Rec[] = [];
  const info = parseCaptureBytes(bytes, 'mem', (f: Frame) => {
    recs.push({ tsSec: f.tsSec, tsNsec: f.tsNsec, caplen: f.caplen, origLen: f.origLen, linkType: f.linkType, ifIndex: f.ifIndex, epbFlags: f.epbFlags,
      hex: Buffer.from(f.buf.subarray(f.off, f.off + f.caplen)).toString('hex') });
  });
  return { recs, info };
}

test("tcpscope's reader reads the writers' pcap (us/ns, both orders) and pcapng back identically", async () => {
  const data = Uint8Array.from({ length: 90 }, (_, i) => i);
  for (const nanosecond of [false, true]) {
    for (const byteOrder of ['le', 'be'] as const) {
      const w = new PcapWriter({ linkType: 113, snaplen: 64, nanosecond, byteOrder });
      w.writePacket({ tsSec: 1_700_000_000, tsNsec: 123_456_789, data });
      w.writePacket({ tsSec: 1_700_000_001, tsNsec: 5_000, data: data.subarray(0, 20) });
      const { recs, info } = readBack((await w.finish())!);
      expect(info.errors).toEqual([]);
      expect(info.format).toBe(nanosecond ? 'pcap-nsec' : 'pcap');
      expect(recs.map((r) => [r.tsSec, r.tsNsec, r.caplen, r.origLen, r.linkType])).toEqual([
        [1_700_000_000, nanosecond ? 123_456_789 : 123_456_000, 64, 90, 113], [1_700_000_001, 5_000, 20, 20, 113],
      ]);
      expect(recs[0]!.hex).toBe(Buffer.from(data.subarray(0, 64)).toString('hex'));
    }
  }
  const ng = new PcapngWriter({ byteOrder: 'be' });
  ng.addInterface({ linkType: 1, name: 'a', tsresol: 9 });
  ng.addInterface({ linkType: 101, snaplen: 10, tsresol: 0x80 | 20, tsoffset: 100 });
  ng.writePacket({ tsSec: 1_700_000_000, tsNsec: 7, data, flags: 2 });
  ng.writePacket({ tsSec: 1_700_000_000, tsNsec: 500_000_000, data, ifIndex: 1 });
  ng.writeInterfaceStats(0, 1_700_000_001, 0, { ifRecv: 5, ifDrop: 1 });
  ng.startSection('le');
  ng.addInterface({ linkType: 276 });
  ng.writePacket({ tsSec: 1_700_000_002, tsNsec: 1000, data });
  const { recs, info } = readBack((await ng.finish())!);
  expect(info.errors).toEqual([]);
  expect(info.sections).toBe(2);
  expect(info.dropped).toBe(1);
  expect(recs.map((r) => [r.tsSec, r.tsNsec, r.caplen, r.origLen, r.linkType, r.ifIndex, r.epbFlags])).toEqual([
    [1_700_000_000, 7, 90, 90, 1, 0, 2], [1_700_000_000, 500_000_000, 10, 90, 101, 1, 0], [1_700_000_002, 1000, 90, 90, 276, 2, 0],
  ]);
});

test("tcpscope's reader sees exactly the scripted capture's frames", async () => {
  const cap = new SynthCapture({ seed: 3, link: { kind: 'sll' } });
  const c = cap.connection();
  handshake(c);
  transfer(c, CLIENT, 5000);
  transfer(c, SERVER, 9000, { lose: [{ offset: 0 }] });
  const { frames } = cap.finalize();
  for (const format of ['pcap', 'pcap-nsec', 'pcapng'] as const) {
    const cap2 = new SynthCapture({ seed: 3, link: { kind: 'sll' } });
    const c2 = cap2.connection();
    handshake(c2);
    transfer(c2, CLIENT, 5000);
    transfer(c2, SERVER, 9000, { lose: [{ offset: 0 }] });
    const { bytes } = await cap2.write(format);
    const { recs } = readBack(bytes!);
    expect(recs.map((r) => r.hex)).toEqual(frames.map((f) => Buffer.from(f.data).toString('hex')));
    expect(recs.every((r) => r.linkType === 113)).toBe(true);
  }
});
