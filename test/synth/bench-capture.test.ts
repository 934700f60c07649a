import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tmpPath, tsharkColumns } from './tshark.js';

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('writeBenchCapture', () => {
  test('same seed gives identical bytes, another seed differs; counts as asked', async () => {
    const a = tmpPath('bench-a.pcap');
    const b = tmpPath('bench-b.pcap');
    const c = tmpPath('bench-c.pcap');
    const r = await writeBenchCapture(a, { packets: 30_000, flows: 300, seed: 5 });
    await writeBenchCapture(b, { packets: 30_000, flows: 300, seed: 5 });
    await writeBenchCapture(c, { packets: 30_000, flows: 300, seed: 6 });
    expect(r).toEqual({ packets: 30_000, flows: 300, bytes: statSync(a).size });
    expect(sha(a)).toBe(sha(b));
    expect(sha(a)).not.toBe(sha(c));
  });

  test.skipIf(!HAS_TSHARK)(`tshark sees good checksums, every flow, loss, retransmission, reordering, zero windows (${NO_TSHARK_MSG})`, async () => {
    for (const format of ['pcap', 'pcapng'] as const) {
      const p = tmpPath(`bench-x.${format}`);
      await writeBenchCapture(p, { packets: 20_000, flows: 100, seed: 9, format, snaplen: 0 });
      const c = tsharkColumns(p, ['tcp.stream', 'tcp.checksum.status', 'ip.checksum.status', 'tcp.analysis.retransmission',
        'tcp.analysis.fast_retransmission', 'tcp.analysis.out_of_order', 'tcp.analysis.zero_window', 'tcp.analysis.duplicate_ack',
        'tcp.analysis.lost_segment', 'tcp.analysis.window_update']);
      expect(c['tcp.stream']).toHaveLength(20_000);
      expect(new Set(c['tcp.stream']).size).toBe(100);
      expect(new Set(c['tcp.checksum.status'])).toEqual(new Set(['1']));
      expect(new Set(c['ip.checksum.status'])).toEqual(new Set(['1']));
      for (const k of ['tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.out_of_order',
        'tcp.analysis.zero_window', 'tcp.analysis.duplicate_ack', 'tcp.analysis.lost_segment', 'tcp.analysis.window_update']) {
        expect(c[k]!.filter((v) => v !== '').length, k).toBeGreaterThan(5);
      }
    }
  });

  test.skipIf(process.env['SYNTH_BENCH'] === undefined)('2 M packets over 10 k flows in a few seconds (SYNTH_BENCH=1)', async () => {
    const p = tmpPath('bench-2m.pcap');
    const t0 = performance.now();
    const r = await writeBenchCapture(p, { packets: 2_000_000, flows: 10_000 });
    const secs = (performance.now() - t0) / 1000;
    console.log(`bench capture: ${r.packets} packets, ${r.flows} flows, ${r.bytes} bytes in ${secs.toFixed(2)} s`);
    expect(r.packets).toBe(2_000_000);
    expect(secs).toBeLessThan(10);
  });
});
