/**
 * The receive rules alone (endpoint-receive.ts): an endpoint put in a state (after the segments
 * it sent, which fix its ISN and FIN), one receipt applied, the state and logged cause after it.
 * The endpoint's ISN and FIN sit just below 2^32 so the ACK comparisons cross the wrap.
 * endpoint-scenarios.test.ts covers when receipts apply (the vantage-point rule).
 */
import { describe, expect, test } from 'vitest';
import { receiveAck, receiveFin, receiveRst, receiveSyn, receiveSynAck } from '../../src/analysis/endpoint-receive.js';
import type { Receipt } from '../../src/analysis/endpoint-receipts.js';
import { EndpointMachine, TCP_STATE as S, type SegFacts, type TcpState } from '../../src/analysis/endpoint-state.js';
import { TransitionLog } from '../../src/analysis/transition-log.js';
import { TCP_FLAG } from '../../src/dissectors/decoded-packet.js';

const { SYN, ACK, FIN } = TCP_FLAG;
const ISN = 0xfffffffe; // SYN at 2^32 - 2: data from 2^32 - 1, wrapping after one byte
const FIN_SEQ = 9; // FIN after 10 data bytes (2^32 - 1 .. 8)

const seg = (flags: number, seq: number, ack = 0, len = 0): SegFacts => ({ flags, seq, ack, len, window: 100, frame: 1, ts: 0 });
/** What the endpoint sent before the receipt. */
const SENT = {
  nothing: [] as SegFacts[],
  syn: [seg(SYN, ISN)],
  synAck: [seg(SYN | ACK, ISN, 77)],
  data: [seg(ACK, 100, 77, 10)],
  fin: [seg(SYN, ISN), seg(ACK, (ISN + 1) >>> 0, 77, 10), seg(FIN | ACK, FIN_SEQ, 77)],
};

type Rule = 'syn' | 'synack' | 'fin' | 'ack' | 'rst';
const RULES: Record<Rule, (m: EndpointMachine, r: Receipt) => void> = {
  syn: receiveSyn, synack: receiveSynAck, fin: receiveFin, ack: receiveAck, rst: receiveRst,
};

interface Case {
  name: string;
  sent: SegFacts[];
  state: TcpState;
  passiveOpen?: boolean;
  rule: Rule;
  /** ACK number of the receipt (-1: no ACK flag). */
  ack: number;
  to: TcpState;
  /** Cause logged; absent: no transition. */
  cause?: string;
}

const SYN_ACKED = (ISN + 1) >>> 0; // 2^32 - 1
const FIN_ACKED = FIN_SEQ + 1;

const CASES: Case[] = [
  { name: 'SYN in SYN_SENT: simultaneous open', sent: SENT.syn, state: S.SYN_SENT, rule: 'syn', ack: -1, to: S.SYN_RECEIVED, cause: 'simultaneous open: peer SYN received' },
  { name: 'SYN in ESTABLISHED: no change', sent: SENT.data, state: S.ESTABLISHED, rule: 'syn', ack: -1, to: S.ESTABLISHED },
  { name: 'SYN/ACK acknowledging the SYN', sent: SENT.syn, state: S.SYN_SENT, rule: 'synack', ack: SYN_ACKED, to: S.ESTABLISHED, cause: 'SYN/ACK received' },
  { name: 'SYN/ACK not acknowledging the SYN', sent: SENT.syn, state: S.SYN_SENT, rule: 'synack', ack: ISN, to: S.SYN_SENT },
  { name: 'SYN/ACK in SYN_RECEIVED: simultaneous open completes', sent: SENT.syn, state: S.SYN_RECEIVED, rule: 'synack', ack: SYN_ACKED, to: S.ESTABLISHED, cause: 'simultaneous open: peer SYN/ACK received' },
  { name: 'FIN to a silent UNKNOWN endpoint: stays UNKNOWN', sent: SENT.nothing, state: S.UNKNOWN, rule: 'fin', ack: 77, to: S.UNKNOWN },
  { name: 'FIN to an UNKNOWN endpoint seen sending', sent: SENT.data, state: S.UNKNOWN, rule: 'fin', ack: 77, to: S.CLOSE_WAIT, cause: 'midstream: peer FIN received' },
  { name: 'FIN in ESTABLISHED', sent: SENT.data, state: S.ESTABLISHED, rule: 'fin', ack: 77, to: S.CLOSE_WAIT, cause: 'peer FIN received' },
  { name: 'FIN in FIN_WAIT_1 acknowledging our FIN', sent: SENT.fin, state: S.FIN_WAIT_1, rule: 'fin', ack: FIN_ACKED, to: S.TIME_WAIT, cause: 'peer FIN acknowledging our FIN received' },
  { name: 'FIN in FIN_WAIT_1 before the ACK of ours: simultaneous close', sent: SENT.fin, state: S.FIN_WAIT_1, rule: 'fin', ack: FIN_SEQ, to: S.CLOSING, cause: 'simultaneous close: peer FIN received before the ACK of ours' },
  { name: 'FIN in FIN_WAIT_2', sent: SENT.fin, state: S.FIN_WAIT_2, rule: 'fin', ack: FIN_ACKED, to: S.TIME_WAIT, cause: 'peer FIN received' },
  { name: 'FIN in TIME_WAIT (retransmission): no change', sent: SENT.fin, state: S.TIME_WAIT, rule: 'fin', ack: FIN_ACKED, to: S.TIME_WAIT },
  { name: 'ACK of our SYN in SYN_RECEIVED (across the wrap)', sent: SENT.synAck, state: S.SYN_RECEIVED, rule: 'ack', ack: SYN_ACKED, to: S.ESTABLISHED, cause: 'ACK of our SYN received' },
  { name: 'ACK below our SYN in SYN_RECEIVED', sent: SENT.synAck, state: S.SYN_RECEIVED, rule: 'ack', ack: ISN, to: S.SYN_RECEIVED },
  { name: 'ACK of our FIN in FIN_WAIT_1', sent: SENT.fin, state: S.FIN_WAIT_1, rule: 'ack', ack: FIN_ACKED, to: S.FIN_WAIT_2, cause: 'ACK of our FIN received' },
  { name: 'ACK of our FIN in CLOSING', sent: SENT.fin, state: S.CLOSING, rule: 'ack', ack: FIN_ACKED, to: S.TIME_WAIT, cause: 'ACK of our FIN received' },
  { name: 'ACK of our FIN in LAST_ACK', sent: SENT.fin, state: S.LAST_ACK, rule: 'ack', ack: FIN_ACKED, to: S.CLOSED, cause: 'ACK of our FIN received' },
  { name: 'ACK of data only in LAST_ACK', sent: SENT.fin, state: S.LAST_ACK, rule: 'ack', ack: FIN_SEQ, to: S.LAST_ACK },
  { name: 'ACK in ESTABLISHED: no change', sent: SENT.data, state: S.ESTABLISHED, rule: 'ack', ack: 110, to: S.ESTABLISHED },
  { name: 'RST in LISTEN: ignored', sent: SENT.nothing, state: S.LISTEN, rule: 'rst', ack: -1, to: S.LISTEN },
  { name: 'RST to a silent UNKNOWN endpoint: stays UNKNOWN', sent: SENT.nothing, state: S.UNKNOWN, rule: 'rst', ack: -1, to: S.UNKNOWN },
  { name: 'RST to an UNKNOWN endpoint seen sending', sent: SENT.data, state: S.UNKNOWN, rule: 'rst', ack: -1, to: S.CLOSED, cause: 'RST received' },
  { name: 'RST after a passive open: back to LISTEN', sent: SENT.synAck, state: S.SYN_RECEIVED, passiveOpen: true, rule: 'rst', ack: -1, to: S.LISTEN, cause: 'RST received' },
  { name: 'RST in SYN_RECEIVED after a simultaneous open: CLOSED', sent: SENT.syn, state: S.SYN_RECEIVED, passiveOpen: false, rule: 'rst', ack: -1, to: S.CLOSED, cause: 'RST received' },
  { name: 'RST in SYN_SENT: connection refused', sent: SENT.syn, state: S.SYN_SENT, rule: 'rst', ack: -1, to: S.CLOSED, cause: 'RST received: connection refused' },
  { name: 'RST in ESTABLISHED', sent: SENT.data, state: S.ESTABLISHED, rule: 'rst', ack: -1, to: S.CLOSED, cause: 'RST received' },
];

describe('receive rules', () => {
  test.each(CASES)('$name', (c) => {
    const log = new TransitionLog();
    const m = new EndpointMachine('server', log);
    const peer = new EndpointMachine('client', new TransitionLog());
    for (const s of c.sent) m.onSend(s, peer);
    m.state = c.state;
    if (c.passiveOpen !== undefined) m.passiveOpen = c.passiveOpen;
    const before = log.length;
    RULES[c.rule](m, { kind: c.rule, end: 0, ack: c.ack, frame: 42, ts: 1.5 });
    expect(m.state).toBe(c.to);
    const added = log.toArray().slice(before);
    if (c.cause === undefined) expect(added).toEqual([]);
    else expect(added).toEqual([{ endpoint: 'server', from: c.state, to: c.to, frame: 42, ts: 1.5, cause: c.cause }]);
  });
});
