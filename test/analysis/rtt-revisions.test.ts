/**
 * The spurious-retransmission evidence alone (rtt-revisions.ts): the D-SACK test of RFC 2883 §4,
 * Eifel's TSecr test of RFC 3522 §3.2 (both across the 32-bit wrap), and the revision list with
 * its cap. rtt.test.ts covers them inside the tracker (which ring entry they revise).
 */
import { describe, expect, test } from 'vitest';
import {
  EVIDENCE_DSACK, EVIDENCE_TSECR, EVIDENCE_TSVAL, RevisionLog, eifelSpurious, isDsack,
} from '../../src/analysis/rtt-revisions.js';
import { DIR } from '../../src/core/direction.js';

const W = 0xffffff00; // 256 below the wrap

describe('isDsack (RFC 2883 §4)', () => {
  test.each([
    { name: 'first block below the cumulative ACK', blocks: [1000, 1100], count: 1, ack: 2000, want: true },
    { name: 'first block ending at the ACK (still below it)', blocks: [1900, 2000], count: 1, ack: 2000, want: true },
    { name: 'ordinary SACK block above the ACK', blocks: [3000, 3100], count: 1, ack: 2000, want: false },
    { name: 'first block inside the second (duplicate of SACKed data)', blocks: [3000, 3100, 2900, 4000], count: 2, ack: 2000, want: true },
    { name: 'first block equal to the second', blocks: [3000, 3100, 3000, 3100], count: 2, ack: 2000, want: true },
    { name: 'first block sticking out of the second', blocks: [3000, 4100, 2900, 4000], count: 2, ack: 2000, want: false },
    { name: 'two ordinary blocks', blocks: [5000, 5100, 3000, 3100], count: 2, ack: 2000, want: false },
    { name: 'second block ignored when only one is counted', blocks: [3000, 3100, 2900, 4000], count: 1, ack: 2000, want: false },
    { name: 'below the ACK across the wrap', blocks: [W + 16, W + 116], count: 1, ack: 200, want: true },
    { name: 'above the ACK across the wrap', blocks: [100, 200], count: 1, ack: W + 16, want: false },
    { name: 'inside the second block across the wrap', blocks: [W + 200, 40, W + 100, 100], count: 2, ack: W, want: true },
  ])('$name', ({ blocks, count, ack, want }) => {
    expect(isDsack(new Float64Array(blocks.concat([0, 0, 0, 0]).slice(0, 8)), count, ack)).toBe(want);
  });
});

describe('eifelSpurious (RFC 3522 §3.2)', () => {
  test.each([
    { name: 'echo older than the re-send\'s TSval: spurious', tsecr: 150, retxTsval: 200, revised: false, want: true },
    { name: 'echo of the re-send itself: not spurious', tsecr: 200, retxTsval: 200, revised: false, want: false },
    { name: 'echo newer than the re-send: not spurious', tsecr: 250, retxTsval: 200, revised: false, want: false },
    { name: 'already revised (by a D-SACK)', tsecr: 150, retxTsval: 200, revised: true, want: false },
    { name: 'no TSecr on the ACK', tsecr: -1, retxTsval: 200, revised: false, want: false },
    { name: 'the re-send carried no TSval', tsecr: 150, retxTsval: -1, revised: false, want: false },
    { name: 'older across the wrap', tsecr: 0xfffffff0, retxTsval: 16, revised: false, want: true },
    { name: 'newer across the wrap', tsecr: 16, retxTsval: 0xfffffff0, revised: false, want: false },
  ])('$name', ({ tsecr, retxTsval, revised, want }) => {
    expect(eifelSpurious(tsecr, retxTsval, revised)).toBe(want);
  });
});

describe('RevisionLog', () => {
  test('lists in order with direction and evidence names, up to its cap', () => {
    const log = new RevisionLog(3);
    log.add(10, 7, DIR.C2S, EVIDENCE_DSACK);
    log.add(12, 9, DIR.S2C, EVIDENCE_TSECR);
    log.add(15, 14, DIR.C2S, EVIDENCE_TSVAL);
    log.add(20, 18, DIR.S2C, EVIDENCE_DSACK); // past the cap: dropped
    expect(log.list()).toEqual([
      { frame: 10, retransmittedFrame: 7, dir: 'c2s', evidence: 'dsack' },
      { frame: 12, retransmittedFrame: 9, dir: 's2c', evidence: 'tsecr' },
      { frame: 15, retransmittedFrame: 14, dir: 'c2s', evidence: 'tsval' },
    ]);
  });

  test('a cap of 0 lists nothing', () => {
    const log = new RevisionLog(0);
    log.add(10, 7, DIR.C2S, EVIDENCE_DSACK);
    expect(log.list()).toEqual([]);
  });
});
