/**
 * Connection states on captures from the synthetic builder (src/synth/tcp-script.ts), decoded
 * by the real decoder and grouped by test/helpers/conn-driver.ts; plus the handshake RTT
 * against tshark's `tcp.analysis.initial_rtt` when tshark is installed.
 */
import { describe, expect, test } from 'vitest';
import { CLIENT, SERVER, SynthCapture, fin, handshake, keepAlive, midstream, rst, simultaneousClose, transfer } from '../../src/synth/tcp-script.js';
import { trackBytes } from '../helpers/conn-driver.js';
import type { DrivenResult } from '../helpers/conn-driver.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tsharkFields, writeTmp } from '../synth/tshark.js';

async function build(script: (cap: SynthCapture) => void, vantage: 'client' | 'server' = 'client'): Promise<{ bytes: Uint8Array; conns: DrivenResult[] }> {
  const cap = new SynthCapture({ seed: 3, vantage });
  script(cap);
  const { bytes } = await cap.write('pcap-nsec');
  return { bytes: bytes!, conns: trackBytes(bytes!) };
}

const path = (c: DrivenResult, who: 'client' | 'server'): string =>
  c.summary.state.transitions.filter((t) => t.endpoint === who).map((t) => t.to).join(' ');

interface Case {
  name: string;
  script: (cap: SynthCapture) => void;
  client: string;
  server: string;
  connState: string;
  close: string;
}

const CASES: Case[] = [
  {
    name: 'handshake, transfer, client closes, server closes after', client: 'SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT',
    server: 'SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED', connState: 'SF', close: 'fin/client',
    script: (cap) => { const c = cap.connection(); handshake(c); transfer(c, SERVER, 20_000); fin(c, CLIENT, { peerFin: true }); },
  },
  {
    // Zeek's model: both endpoints end in SYN_ACK_SENT (no later ACK or data) → OTH, not S1
    name: 'simultaneous open', client: 'SYN_SENT SYN_RECEIVED ESTABLISHED', server: 'SYN_SENT SYN_RECEIVED ESTABLISHED', connState: 'OTH', close: 'none/null',
    script: (cap) => { handshake(cap.connection(), { simultaneous: true }); },
  },
  {
    name: 'two SYN retransmissions', client: 'SYN_SENT ESTABLISHED', server: 'SYN_RECEIVED ESTABLISHED', connState: 'S1', close: 'none/null',
    script: (cap) => { handshake(cap.connection(), { synRetransmissions: 2 }); },
  },
  {
    name: 'simultaneous close', client: 'SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT',
    server: 'SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT', connState: 'SF', close: 'fin/both',
    script: (cap) => { const c = cap.connection(); handshake(c); transfer(c, CLIENT, 3000); simultaneousClose(c); },
  },
  {
    name: 'server aborts with RST', client: 'SYN_SENT ESTABLISHED CLOSED', server: 'SYN_RECEIVED ESTABLISHED CLOSED', connState: 'RSTR', close: 'rst/server',
    script: (cap) => { const c = cap.connection(); handshake(c); transfer(c, CLIENT, 3000); rst(c, SERVER); },
  },
  {
    name: 'keep-alives keep it ESTABLISHED', client: 'SYN_SENT ESTABLISHED', server: 'SYN_RECEIVED ESTABLISHED', connState: 'S1', close: 'none/null',
    script: (cap) => { const c = cap.connection(); handshake(c); keepAlive(c, CLIENT, { count: 3 }); },
  },
  {
    name: 'mid-stream pickup, then the server closes', client: 'ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED', server: 'ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT',
    connState: 'SF', close: 'fin/server',
    script: (cap) => { const c = cap.connection(); midstream(c); transfer(c, CLIENT, 5000); fin(c, SERVER, { peerFin: true }); },
  },
];

describe('synthetic captures: state paths at both vantage points', () => {
  for (const vantage of ['client', 'server'] as const) {
    test.each(CASES.map((k) => [k.name, k] as const))(`%s (${vantage} vantage)`, async (_n, k) => {
      const { conns } = await build(k.script, vantage);
      expect(conns.length).toBe(1);
      const c = conns[0]!;
      expect(path(c, 'client')).toBe(k.client);
      expect(path(c, 'server')).toBe(k.server);
      expect(c.summary.state.connState).toBe(k.connState);
      expect(`${c.summary.close.kind}/${c.summary.close.by}`).toBe(k.close);
    });
  }

  test('SYN retransmissions: intervals 1 s and 2 s (Linux backoff in the builder)', async () => {
    const { conns } = await build((cap) => { handshake(cap.connection(), { synRetransmissions: 2 }); });
    expect(conns[0]!.summary.handshake.synIntervalsMs).toEqual([1000, 2000]);
    expect(conns[0]!.summary.anomalies.map((a) => a.code)).toEqual(['syn_retransmission', 'syn_retransmission']);
  });
});

describe.skipIf(!HAS_TSHARK)(`handshake RTT vs tshark tcp.analysis.initial_rtt (${NO_TSHARK_MSG})`, () => {
  test('same value, with and without SYN retransmissions, at either vantage point', async () => {
    for (const [n, vantage] of [[0, 'client'], [2, 'client'], [0, 'server']] as const) {
      const { bytes, conns } = await build((cap) => { const c = cap.connection(); handshake(c, { synRetransmissions: n }); transfer(c, CLIENT, 2000); }, vantage);
      const file = writeTmp(`irtt-${n}-${vantage}.pcap`, bytes);
      const irtt = tsharkFields(file, ['tcp.analysis.initial_rtt']).map((r) => r[0]).find((v) => v !== undefined && v !== '');
      expect(irtt).toBeDefined();
      expect(conns[0]!.summary.handshake.rttMs).toBeCloseTo(Number(irtt) * 1000, 3);
    }
  });
});
