/**
 * SlotLists (flow/slot-lists.ts): the flow table's two LRU lists of slots. Table-driven: a
 * sequence of operations, then each list from its tail (least recently active) to its head, as
 * the sweep walks it.
 */
import { expect, test } from 'vitest';
import { SlotLists } from '../../src/flow/slot-lists.js';

type Op = ['link' | 'touch', number, number] | ['unlink', number];

/** Each list from the tail towards the head. */
function walk(l: SlotLists): [number[], number[]] {
  const out: [number[], number[]] = [[], []];
  for (const list of [0, 1] as const) for (let s = l.tail(list); s !== -1; s = l.newerThan(s)) out[list].push(s);
  return out;
}

test.each([
  ['links in order: the first linked is the tail', [['link', 1, 0], ['link', 2, 0], ['link', 3, 0]], [[1, 2, 3], []]],
  ['touch moves to the head', [['link', 1, 0], ['link', 2, 0], ['link', 3, 0], ['touch', 1, 0]], [[2, 3, 1], []]],
  ['touch of the head changes nothing', [['link', 1, 0], ['link', 2, 0], ['touch', 2, 0]], [[1, 2], []]],
  ['touch into the other list', [['link', 1, 0], ['link', 2, 0], ['touch', 1, 1]], [[2], [1]]],
  ['unlink head, middle, tail', [['link', 1, 0], ['link', 2, 0], ['link', 3, 0], ['link', 4, 0], ['unlink', 2], ['unlink', 4], ['unlink', 1]], [[3], []]],
  ['unlink of a slot in no list changes nothing', [['link', 1, 1], ['unlink', 5]], [[], [1]]],
  ['touch of a slot in no list links it', [['touch', 7, 1]], [[], [7]]],
] as [string, Op[], [number[], number[]]][])('%s', (_name, ops, want) => {
  const l = new SlotLists();
  for (const op of ops) {
    if (op[0] === 'unlink') l.unlink(op[1]);
    else l[op[0]](op[1], op[2]);
  }
  expect(walk(l)).toEqual(want);
});

test('growing keeps the links, times and frames; new slots are in no list', () => {
  const l = new SlotLists();
  for (let s = 0; s < 3000; s += 3) {
    l.ensure(s);
    l.link(s, s % 2);
    l.time[s] = s / 10;
    l.frame[s] = s + 1;
  }
  const [open, closed] = walk(l);
  expect(open).toEqual(Array.from({ length: 500 }, (_, i) => 6 * i));
  expect(closed).toEqual(Array.from({ length: 500 }, (_, i) => 6 * i + 3));
  expect(l.time[2997]).toBe(299.7);
  expect(l.frame[1500]).toBe(1501);
  expect(l.listOf(1)).toBe(-1);
  expect(l.listOf(2997)).toBe(1);
  expect(l.listOf(2999)).toBe(-1);
});
