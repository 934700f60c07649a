import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { CLIENT, SERVER, SynthCapture, fin, handshake, keepAlive, midstream, rst, segment, simultaneousClose, transfer } from '../../src/synth/tcp-script.js';
import type { CaptureTruth, SynthCaptureOptions, SynthFormat, TruthFrame } from '../../src/synth/tcp-script.js';
import type { TcpConnection } from '../../src/synth/tcp-conn.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tsharkColumns, writeTmp } from './tshark.js';

type Script = (cap: SynthCapture) => void;

async function build(name: string, script: Script, o: SynthCaptureOptions = {}, format: SynthFormat = 'pcap-nsec'): Promise<{ path: string; truth: CaptureTruth; bytes: Uint8Array }> {
  const cap = new SynthCapture({ seed: 11, ...o });
  script(cap);
  const { bytes, truth } = await cap.write(format);
  JSON.parse(JSON.stringify(truth)); // must be JSON-serialisable
  return { path: writeTmp(`${name}.${format === 'pcapng' ? 'pcapng' : 'pcap'}`, bytes!), truth, bytes: bytes! };
}

const frameNos = (fs: readonly TruthFrame[], pred: (f: TruthFrame) => boolean): number[] =>
  fs.filter((f) => f.frame !== null && pred(f)).map((f) => f.frame!);

const ANALYSIS = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'duplicate_ack', 'out_of_order', 'lost_segment',
  'zero_window', 'zero_window_probe', 'zero_window_probe_ack', 'window_update', 'window_full', 'keep_alive', 'keep_alive_ack', 'reused_ports'] as const;

/** tshark's analysis flags as sets of frame numbers, plus checksum status per frame. */
function tsharkAnalysis(path: string): Record<string, number[]> & { checksum: string[] } {
  const fields = ['frame.number', 'tcp.checksum.status', ...ANALYSIS.map((a) => `tcp.analysis.${a}`)];
  const c = tsharkColumns(path, fields);
  const num = c['frame.number']!.map(Number);
  const out: Record<string, number[]> = {};
  for (const a of ANALYSIS) out[a] = num.filter((_, i) => c[`tcp.analysis.${a}`]![i] !== '');
  return Object.assign(out, { checksum: c['tcp.checksum.status']! });
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const bulkWithLoss: Script = (cap) => {
  const c = cap.connection();
  handshake(c);
  transfer(c, SERVER, 40 * 1460, { lose: [{ offset: 2 * 1460 }, { offset: 20 * 1460, times: 2 }, { offset: 30 * 1460, where: 'after' }] });
  fin(c, CLIENT, { peerFin: true });
};

test('same seed → identical bytes; another seed → different', async () => {
  const a = await build('det-a', bulkWithLoss, { seed: 5 });
  const b = await build('det-b', bulkWithLoss, { seed: 5 });
  const c = await build('det-c', bulkWithLoss, { seed: 6 });
  expect(sha(a.bytes)).toBe(sha(b.bytes));
  expect(sha(a.bytes)).not.toBe(sha(c.bytes));
  expect(a.truth).toEqual(b.truth);
});

describe.skipIf(!HAS_TSHARK)(`scripted TCP scenarios vs tshark analysis (${NO_TSHARK_MSG})`, () => {
  test('loss before/after capture: retransmissions (fast and RTO with backoff) exactly where the truth says', async () => {
    const { path, truth } = await build('loss', bulkWithLoss);
    const t = tsharkAnalysis(path);
    const rtx = frameNos(truth.frames, (f) => f.kind === 'retransmission');
    expect(rtx.length).toBeGreaterThanOrEqual(3);
    expect(t['retransmission']).toEqual(rtx);
    expect(t['fast_retransmission']).toEqual(frameNos(truth.frames, (f) => f.kind === 'retransmission' && f.trigger === 'fast' && t['fast_retransmission']!.includes(f.frame!)));
    expect(truth.frames.some((f) => f.reason === 'rto')).toBe(true);
    expect(truth.frames.filter((f) => f.lost === 'before-capture').every((f) => f.frame === null)).toBe(true);
    expect(t['lost_segment']!.length).toBeGreaterThan(0);
    expect(t['duplicate_ack']).toEqual(frameNos(truth.frames, (f) => f.kind === 'dup-ack'));
    expect(new Set(t.checksum)).toEqual(new Set(['1']));
    expect(truth.connections[0]!.streams.server.length).toBe(40 * 1460);
  });

  test('zero window, persist probes, window update, window full', async () => {
    const { path, truth } = await build('zwin', (cap) => {
      const c = cap.connection({ client: { rcvBuf: 16384, wscale: 2 } });
      handshake(c);
      transfer(c, SERVER, 60_000, { readStallNs: 1.5e9 });
      fin(c, SERVER, { peerFin: true });
    });
    const t = tsharkAnalysis(path);
    expect(t['zero_window']).toEqual(frameNos(truth.frames, (f) => f.window === 0 && f.dir === 'c2s'));
    expect(t['zero_window_probe']).toEqual(frameNos(truth.frames, (f) => f.kind === 'zero-window-probe'));
    expect(t['zero_window_probe_ack']).toEqual(frameNos(truth.frames, (f) => f.kind === 'zero-window-probe-ack'));
    expect(t['window_update']).toEqual(frameNos(truth.frames, (f) => f.kind === 'window-update'));
    expect(t['zero_window_probe']!.length).toBeGreaterThanOrEqual(2);
    expect(t['window_full']!.length).toBeGreaterThan(0);
    // The probe byte is re-sent when the window opens: truth calls it a 'probe' retransmission.
    expect(truth.frames.some((f) => f.reason === 'probe')).toBe(true);
  });

  test('reordering seen at the receiver, duplicates, keep-alives', async () => {
    const { path, truth } = await build('reorder', (cap) => {
      const c = cap.connection();
      handshake(c);
      transfer(c, SERVER, 20 * 1460, { reorder: [{ offset: 4 * 1460, delayNs: 20_000 }], duplicate: [10 * 1460], ackEvery: 1 });
      keepAlive(c, CLIENT, { count: 2, intervalNs: 5e9 });
      rst(c, SERVER);
    });
    const t = tsharkAnalysis(path);
    expect(t['out_of_order']).toEqual(frameNos(truth.frames, (f) => f.reordered === true));
    const dup = frameNos(truth.frames, (f) => f.kind === 'dup');
    expect(dup).toHaveLength(1);
    expect(t['retransmission']).toEqual(dup); // tshark calls a network duplicate a retransmission
    expect(t['keep_alive']).toEqual(frameNos(truth.frames, (f) => f.kind === 'keep-alive'));
    expect(t['keep_alive_ack']).toEqual(frameNos(truth.frames, (f) => f.kind === 'keep-alive-ack'));
    expect(truth.connections[0]!.ended).toBe('rst');
  });

  test('SYN retransmissions, sequence wrap, spurious retransmission, reused ports', async () => {
    const { path, truth } = await build('syn-wrap', (cap) => {
      const c = cap.connection({ client: { isn: 0xffffff00, port: 5555 }, server: { isn: 0xfffff000 } });
      handshake(c, { synRetransmissions: 2 });
      transfer(c, CLIENT, 10 * 1460, { lose: [{ offset: 9 * 1460, where: 'ack' }], ackEvery: 1 });
      transfer(c, SERVER, 5000);
      fin(c, SERVER, { peerFin: true });
      const d = cap.connection({ client: { port: 5555 }, startNs: cap.endNs + 1e9 });
      handshake(d);
      rst(d, CLIENT);
    });
    const c = tsharkColumns(path, ['tcp.seq_raw', 'tcp.stream']);
    expect(c['tcp.seq_raw']!.some((s) => Number(s) < 0x1000)).toBe(true); // wrapped past 2^32
    const t = tsharkAnalysis(path);
    const syns = frameNos(truth.frames, (f) => f.kind === 'retransmission' && f.relSeq === 0);
    expect(syns).toHaveLength(2);
    expect(t['retransmission']).toEqual(frameNos(truth.frames, (f) => f.kind === 'retransmission'));
    expect(truth.frames.some((f) => f.reason === 'spurious' && f.trigger === 'rto')).toBe(true);
    expect(t['reused_ports']).toEqual([truth.frames.find((f) => f.conn === 1 && f.kind === 'syn')!.frame]);
    expect(new Set(t.checksum)).toEqual(new Set(['1']));
  });

  test('simultaneous open, simultaneous close, half-close, midstream start without window scale', async () => {
    const { path, truth } = await build('simul', (cap) => {
      const a = cap.connection();
      handshake(a, { simultaneous: true });
      transfer(a, CLIENT, 3000);
      simultaneousClose(a);
      const b = cap.connection({ server: { port: 8080 } });
      handshake(b);
      transfer(b, CLIENT, 500);
      fin(b, CLIENT);
      transfer(b, SERVER, 8000); // half-close: the server keeps sending
      fin(b, SERVER);
      const m = cap.connection({ server: { port: 9090 } });
      midstream(m);
      transfer(m, SERVER, 30_000);
    });
    const c = tsharkColumns(path, ['tcp.stream', 'tcp.flags', 'tcp.window_size_scalefactor', 'tcp.analysis.flags']);
    expect(c['tcp.flags']!.slice(0, 4)).toEqual(['0x0002', '0x0002', '0x0012', '0x0012']);
    const mFrames = frameNos(truth.frames, (f) => f.conn === 2);
    expect(new Set(mFrames.map((n) => c['tcp.window_size_scalefactor']![n - 1]))).toEqual(new Set(['-1'])); // unknown
    expect(truth.connections.map((x) => x.firstClose)).toEqual(['both', 'client', null]);
    expect(truth.connections[1]!.streams.server.length).toBe(8000);
    expect(truth.connections[2]!.midstream).toBe(true);
    // tshark 4.0 takes the second SYN+ACK of a simultaneous open for a retransmission; nothing else is flagged.
    expect(c['tcp.analysis.flags']!.map((x, i) => (x === '' ? 0 : i + 1)).filter((n) => n > 0)).toEqual([3, 4]);
  });

  test('IPv6 + fragments + VLAN, SLL2 with snaplen, TSO super-segments, overlapping retransmission with other bytes', async () => {
    const frag = await build('v6frag', (cap) => {
      const c = cap.connection({ ipVersion: 6, fragmentSize: 600 });
      handshake(c);
      transfer(c, CLIENT, 4000);
    }, { link: { kind: 'ethernet', vlans: [{ id: 42 }] } });
    const f = tsharkColumns(frag.path, ['ipv6.reassembled.in', 'tcp.checksum.status', 'vlan.id'], ['-2']);
    const multi = frag.truth.frames.filter((x) => x.frames.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    expect(f['ipv6.reassembled.in']![multi[0]!.frames[0]! - 1]).toBe(String(multi[0]!.frames.at(-1)));
    expect(new Set(f['tcp.checksum.status']!.filter((s) => s !== ''))).toEqual(new Set(['1']));
    expect(new Set(f['vlan.id'])).toEqual(new Set(['42']));

    const tso = await build('tso', (cap) => {
      const c: TcpConnection = cap.connection({ tsoZeroLength: true });
      handshake(c);
      transfer(c, CLIENT, 20_000, { segmentSize: 8000 });
      segment(c, CLIENT, { relSeq: 1, payload: new Uint8Array(100).fill(0x41), kind: 'retransmission', note: 'different-bytes', afterNs: 1e6 });
    }, { link: { kind: 'sll2' }, snaplen: 96 });
    const t = tsharkColumns(tso.path, ['frame.len', 'frame.cap_len', 'ip.len', 'tcp.len', 'tcp.analysis.retransmission', 'sll.ifindex']);
    const big = tso.truth.frames.filter((x) => x.len === 8000).map((x) => x.frame!);
    expect(big.length).toBe(2);
    expect(big.map((n) => t['frame.cap_len']![n - 1])).toEqual(['96', '96']);
    expect(big.map((n) => t['frame.len']![n - 1])).toEqual([String(20 + 20 + 20 + 12 + 8000), String(20 + 20 + 20 + 12 + 8000)]);
    const last = tso.truth.frames.at(-1)!;
    expect(last.note).toBe('different-bytes');
    expect(t['tcp.analysis.retransmission']![last.frame! - 1]).not.toBe('');
  });
});
