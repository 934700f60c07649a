/**
 * Reassembly against the synthetic builder's exact truth: sequence wrap, losses before and after
 * the capture point at both vantages, reordering and duplicates, TSO super-segments, an
 * overlapping retransmission with different bytes, a capture that missed an acknowledged
 * segment, snap-length-cut payloads and a mid-stream start.
 */
import { describe, expect, test } from 'vitest';
import { CLIENT, SERVER, SynthCapture, ack, fin, handshake, midstream, segment, transfer } from '../../src/synth/tcp-script.js';
import type { CaptureTruth, SynthCaptureOptions } from '../../src/synth/tcp-script.js';
import type { TcpConnection } from '../../src/synth/tcp-conn.js';
import { reassembleBytes, type ConnResult } from './tcp-driver.js';

type Script = (c: TcpConnection) => void;

async function run(script: Script, o: SynthCaptureOptions = {}, conn: Parameters<SynthCapture['connection']>[0] = {}): Promise<{ res: ConnResult[]; truth: CaptureTruth }> {
  const cap = new SynthCapture({ seed: 3, ...o });
  script(cap.connection(conn));
  const { bytes, truth } = await cap.write('pcap-nsec');
  return { res: reassembleBytes(bytes!), truth };
}

/** Both directions equal the truth exactly (no gaps). */
function expectExact(res: ConnResult[], truth: CaptureTruth): void {
  expect(res.length).toBe(truth.connections.length);
  truth.connections.forEach((t, i) => {
    const r = res[i]!;
    // The driver takes the first sender as the client when no SYN was seen.
    const swap = r.client !== `${t.client.ip}|${t.client.port}`;
    const [c2s, s2c] = swap ? [t.streams.server, t.streams.client] : [t.streams.client, t.streams.server];
    for (const [d, s] of [[0, c2s], [1, s2c]] as const) {
      expect(r.dirs[d].missed, `dir ${d}`).toBe(0);
      expect(r.dirs[d].length, `dir ${d}`).toBe(s.length);
      expect(r.dirs[d].sha256, `dir ${d}`).toBe(s.sha256);
    }
  });
}

const lossy: Script = (c) => {
  handshake(c);
  transfer(c, CLIENT, 120_000, {
    lose: [{ offset: 2 * 1460 }, { offset: 10 * 1460, where: 'after' }, { offset: 20 * 1460, times: 2 }, { offset: 30 * 1460, where: 'ack' }],
    reorder: [{ offset: 40 * 1460, delayNs: 3e6 }],
    duplicate: [50 * 1460],
  });
  transfer(c, SERVER, 30_000, { lose: [{ offset: 5 * 1460, where: 'after' }] });
  fin(c, CLIENT, { peerFin: true });
};

describe('reassembly vs synthetic truth', () => {
  test.each(['client', 'server'] as const)('losses before/after capture, reorder, duplicates, ISNs near 2^32 (vantage %s)', async (vantage) => {
    const { res, truth } = await run(lossy, { vantage }, { client: { isn: 0xffff0000 }, server: { isn: 0xfffffff0 } });
    expectExact(res, truth);
    expect(res[0]!.dirs[0].reassembler.stats.inconsistentOverlaps).toBe(0);
  });

  test('TSO super-segments (IPv4 total length 0)', async () => {
    const { res, truth } = await run(
      (c) => {
        handshake(c);
        transfer(c, SERVER, 100_000, { segmentSize: 4 * 1460, lose: [{ offset: 8 * 1460 }] });
        fin(c, SERVER, { peerFin: true });
      },
      { vantage: 'server' },
      { tsoZeroLength: true },
    );
    expectExact(res, truth);
  });

  test('overlapping retransmission with different bytes: reported, first copy kept', async () => {
    const { res, truth } = await run((c) => {
      handshake(c);
      transfer(c, CLIENT, 5000);
      const other = new Uint8Array(1000).fill(0xee);
      segment(c, CLIENT, { relSeq: 1 + 2000, payload: other, kind: 'retransmission', note: 'different-bytes' });
      fin(c, CLIENT, { peerFin: true });
    });
    expectExact(res, truth);
    expect(res[0]!.dirs[0].inconsistent).toBe(1);
  });

  test('an acknowledged segment the capture missed is an exact gap', async () => {
    const { res, truth } = await run(
      (c) => {
        handshake(c);
        segment(c, CLIENT, { payload: 700 });
        const at = c.sides[CLIENT].nxt;
        segment(c, CLIENT, { payload: 1300, lost: 'before' });
        c.receive(SERVER, at, at + 1300); // delivered, but not in the capture
        const arr = segment(c, CLIENT, { payload: 500 })!;
        c.now = arr + 1e6; // the server ACKs after the data arrived
        ack(c, SERVER);
        fin(c, CLIENT, { peerFin: true });
      },
      { vantage: 'server' },
    );
    const d = res[0]!.dirs[0];
    expect(d.gaps).toEqual([[700, 1300]]);
    expect(d.delivered + d.missed).toBe(truth.connections[0]!.streams.client.length);
    expect(d.end).toBe('fin');
  });

  test('snap length cuts payloads: gaps make up exactly the missing bytes', async () => {
    const { res, truth } = await run(
      (c) => {
        handshake(c);
        transfer(c, CLIENT, 20_000, { lose: [{ offset: 3 * 1460 }] });
        fin(c, CLIENT, { peerFin: true });
      },
      { snaplen: 120 },
    );
    const d = res[0]!.dirs[0];
    expect(d.missed).toBeGreaterThan(0);
    expect(d.delivered + d.missed).toBe(truth.connections[0]!.streams.client.length);
    expect(d.end).toBe('fin');
  });

  test('mid-stream start across the wrap', async () => {
    const { res, truth } = await run(
      (c) => {
        midstream(c);
        transfer(c, SERVER, 50_000);
        transfer(c, CLIENT, 3000);
        fin(c, SERVER, { peerFin: true });
      },
      {},
      { client: { isn: 0xfffffe00 }, server: { isn: 0xffff8000 } },
    );
    expectExact(res, truth);
  });
});
