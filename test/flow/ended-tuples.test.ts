/**
 * EndedTuples alone (ended-tuples.ts): what a four-tuple's last finalised flow says about a new
 * SYN on the tuple. flow-table.test.ts checks `reused_ports` end to end through the table.
 */
import { describe, expect, test } from 'vitest';
import { EndedTuples } from '../../src/flow/ended-tuples.js';

interface Ended {
  tid: number;
  closed: boolean;
  isn0: number;
  isn1: number;
}

interface Case {
  name: string;
  ended: Ended[];
  syn: { tid: number; tdir: number; seq: number };
  reuses: boolean;
}

const CASES: Case[] = [
  { name: 'no flow of the tuple finalised', ended: [], syn: { tid: 3, tdir: 0, seq: 1000 }, reuses: false },
  { name: 'another tuple finalised', ended: [{ tid: 2, closed: true, isn0: 1000, isn1: -1 }], syn: { tid: 3, tdir: 0, seq: 1000 }, reuses: false },
  { name: 'the flow had closed: any SYN is new', ended: [{ tid: 3, closed: true, isn0: 1000, isn1: 5000 }], syn: { tid: 3, tdir: 0, seq: 1000 }, reuses: true },
  { name: 'open (idle), same ISN: a late copy of its SYN', ended: [{ tid: 3, closed: false, isn0: 1000, isn1: 5000 }], syn: { tid: 3, tdir: 0, seq: 1000 }, reuses: false },
  { name: 'open (idle), another ISN: new', ended: [{ tid: 3, closed: false, isn0: 1000, isn1: 5000 }], syn: { tid: 3, tdir: 0, seq: 1001 }, reuses: true },
  { name: 'open, the ISN of the other tuple direction compared', ended: [{ tid: 3, closed: false, isn0: 1000, isn1: 5000 }], syn: { tid: 3, tdir: 1, seq: 5000 }, reuses: false },
  { name: 'open, that direction sent no SYN (picked up mid-stream): new', ended: [{ tid: 3, closed: false, isn0: -1, isn1: 5000 }], syn: { tid: 3, tdir: 0, seq: 1000 }, reuses: true },
  { name: 'ISN of 2^31 or more (kept as int32) compares unsigned', ended: [{ tid: 3, closed: false, isn0: 0xfffffff0, isn1: -1 }], syn: { tid: 3, tdir: 0, seq: 0xfffffff0 }, reuses: false },
  { name: 'the later flow of the tuple replaces the earlier', ended: [{ tid: 3, closed: true, isn0: 1000, isn1: -1 }, { tid: 3, closed: false, isn0: 2000, isn1: -1 }], syn: { tid: 3, tdir: 0, seq: 2000 }, reuses: false },
  { name: 'a tuple id past the initial size grows the arrays', ended: [{ tid: 9, closed: false, isn0: 77, isn1: 88 }], syn: { tid: 9, tdir: 1, seq: 88 }, reuses: false },
  { name: 'grown: earlier tuples kept', ended: [{ tid: 1, closed: false, isn0: 77, isn1: -1 }, { tid: 40, closed: true, isn0: -1, isn1: -1 }], syn: { tid: 1, tdir: 0, seq: 78 }, reuses: true },
  { name: 'grown: a tuple id beyond every note', ended: [{ tid: 1, closed: true, isn0: 77, isn1: -1 }], syn: { tid: 100, tdir: 0, seq: 78 }, reuses: false },
];

describe('EndedTuples.reuses', () => {
  test.each(CASES)('$name', (c) => {
    const t = new EndedTuples(4); // small, so the cases above 3 grow it
    for (const e of c.ended) t.note(e.tid, e.closed, e.isn0, e.isn1);
    expect(t.reuses(c.syn.tid, c.syn.tdir, c.syn.seq)).toBe(c.reuses);
  });
});
