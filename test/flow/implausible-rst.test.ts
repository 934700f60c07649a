import { describe, expect, test } from 'vitest';
import { FLOW_ANALYZERS } from '../../src/pipeline/flow-analyzers.js';
import { table, TCP_FLAG, type Seg } from './flow-helpers.js';

const { SYN, ACK, RST, PSH } = TCP_FLAG;
const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };

/** Handshake, 100 bytes from the client, an RST from the client, then 100 more bytes from it. */
function conversation(rstSeq: number): Seg[] {
  return [
    { ...C, flags: SYN, seq: 1000 },
    { ...S, flags: SYN | ACK, seq: 5000, ack: 1001 },
    { ...C, flags: ACK, seq: 1001, ack: 5001 },
    { ...C, flags: PSH | ACK, seq: 1001, ack: 5001, payload: 100 },
    { ...S, flags: ACK, seq: 5001, ack: 1101 },
    { ...C, flags: RST, seq: rstSeq },
    { ...C, flags: PSH | ACK, seq: 1101, ack: 5001, payload: 100 },
    { ...S, flags: ACK, seq: 5001, ack: 1201 },
  ];
}

describe('RST plausibility (RFC 5961) is judged once, by the tracker, for the whole flow', () => {
  test('an out-of-window RST ends neither the connection nor the stream', () => {
    const { t, done, feed } = table({}, FLOW_ANALYZERS);
    feed(conversation(1101 + 1_500_000_000));
    t.flush();
    expect(done).toHaveLength(1);
    const f = done[0]!;
    expect(f.payloadBytes.c2s).toBe(200);
    expect(f.close.kind).toBe('none');
  });

  test('an exact RST ends both; later client bytes are not stream data', () => {
    const { t, done, feed } = table({}, FLOW_ANALYZERS);
    feed(conversation(1101));
    t.flush();
    const f = done[0]!;
    expect(f.payloadBytes.c2s).toBe(100);
    expect(f.close).toEqual({ kind: 'rst', by: 'client' });
  });
});

describe('a pathological flow does not grow the tracker per packet', () => {
  test('50 000 retransmitted SYNs: counted in full, listed up to the caps', () => {
    const { t, done, feed } = table({}, FLOW_ANALYZERS);
    const segs: Seg[] = [];
    for (let i = 0; i < 50_000; i++) segs.push({ ...C, flags: SYN, seq: 1000, t: i * 0.001 });
    feed(segs);
    t.flush();
    const f = done[0]!;
    expect(f.handshake.synRetransmissions).toBe(49_999);
    expect((f.handshake.synIntervalsMs ?? []).length).toBe(64);
    expect(f.anomalyCounts['syn_retransmission']).toBe(49_999);
    expect(f.anomalies.length).toBeLessThanOrEqual(100);
  });
});
