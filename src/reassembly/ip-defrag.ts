/**
 * IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 815, RFC 8200 §4.5, RFC 5722).
 *
 * Pure: no I/O, no clocks. Time is the capture time of the packet being added, so replays are
 * deterministic. Datagrams are keyed by (src, dst, protocol, id) for IPv4 and (src, dst, id) for
 * IPv6 (the upper-layer protocol is the first fragment's next header, RFC 8200 §4.5).
 *
 * Policy (mechanism in `ip-defrag-buffer.ts`):
 * - IPv4 overlaps: an `OverlapPolicy`, default `bsd` — held bytes are kept unless the new fragment
 *   starts at a lower offset than the one that supplied them (4.4BSD; Linux before 4.19 is close;
 *   and exactly what Wireshark's reassembly shows, so tshark and tcpscope see the same bytes).
 *   `first` keeps the first copy (Windows), `last` the newest. Linux since 4.19 discards
 *   IPv4 datagrams with overlaps; an analyzer keeps them visible and flags differing bytes
 *   (`fragment_overlap`).
 * - IPv6 overlaps: RFC 5722 §4 (with erratum 3089) — the whole datagram is discarded, including
 *   fragments not yet received (a tombstone absorbs them until the timeout). Exact duplicates
 *   (all bytes already held, identical) are ignored in both versions.
 * - Timeout: from the first fragment seen, like Linux `ipfrag_time` (not refreshed by later ones).
 *   Expiry scans from the oldest datagram per IP version; if capture time runs backwards a datagram
 *   may live past its timeout until those before it expire.
 * - Limits: past `maxDatagrams` or `maxBytes` the oldest datagram is evicted (`limit_reached`).
 * - Refused fragments (`InvalidReason`) are dropped alone; the datagram they aimed at stays.
 * - A completed datagram is forgotten at once, so its id may be reused; a late duplicate of it
 *   starts a new datagram that will time out.
 */
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { FragmentRuns } from './ip-defrag-buffer.js';
import type { OverlapPolicy } from './ip-defrag-buffer.js';
import { ipv6FragmentNhOffset, writeIpv4Header, writeIpv6Header } from './ip-defrag-build.js';
import { newFragInfo, readFragment } from './ip-defrag-parse.js';
import type { FragInfo } from './ip-defrag-parse.js';
import { DEFAULT_DEFRAG_LIMITS, newDefragCounters } from './ip-defrag-types.js';
import type {
  DefragCounters, DefragDrop, DefragEvent, DefragLimits, DefragOptions, InvalidReason, Reassembled,
} from './ip-defrag-types.js';

export { DEFAULT_DEFRAG_LIMITS } from './ip-defrag-types.js';
export type { OverlapPolicy } from './ip-defrag-buffer.js';
export type {
  DefragCounters, DefragDrop, DefragEvent, DefragLimits, DefragOptions, InvalidReason, Reassembled,
} from './ip-defrag-types.js';

/** One datagram in progress. Owned by the defragmenter. */
interface Pending {
  key: string;
  version: 4 | 6;
  /** Creation order, to find the oldest across both maps. */
  seq: number;
  startSec: number;
  startNsec: number;
  runs: FragmentRuns;
  /** Length of the fragmentable part once the last fragment (MF = 0) was seen, else -1. */
  totalLen: number;
  /** First fragment's header (IPv4) / fixed + unfragmentable headers (IPv6), once offset 0 was seen. */
  header: Uint8Array | null;
  /** IPv4 protocol / IPv6 next header of the first fragment; IPv6 offset of the byte to patch. */
  nextHeader: number;
  nhOff: number;
  fragments: number;
  frames: number[];
  firstFrame: number;
  lastFrame: number;
  duplicates: number;
  overlap: boolean;
  inconsistent: boolean;
  /** IPv6 datagram discarded for overlap (RFC 5722): absorbs later fragments, holds no bytes. */
  dead: boolean;
  /** Bytes accounted to this datagram. */
  bytes: number;
}

/** Reassembles IP fragments. One instance per capture; not shared across threads. */
export class IpDefragmenter {
  readonly limits: Readonly<DefragLimits>;
  private readonly c: DefragCounters = newDefragCounters();
  private readonly v4 = new Map<string, Pending>();
  private readonly v6 = new Map<string, Pending>();
  private readonly info: FragInfo = newFragInfo();
  private readonly onEvent: ((event: DefragEvent) => void) | undefined;
  private readonly policyV4: OverlapPolicy;
  private nextSeq = 0;

  constructor(options: Readonly<DefragOptions> = {}) {
    this.limits = Object.freeze({ ...DEFAULT_DEFRAG_LIMITS, ...(options.limits ?? {}) });
    this.onEvent = options.onEvent;
    this.policyV4 = options.overlapPolicyV4 ?? 'bsd';
  }

  /** Running totals (live object; read-only to callers). */
  get counters(): Readonly<DefragCounters> {
    return this.c;
  }

  /**
   * Add one fragment (a packet with `LAYER.FRAGMENT`). Its payload is copied, so `pkt` may be
   * reused afterwards. Returns the rebuilt datagram when this fragment completes one, else null.
   * Expires old datagrams first (packet time `tsSec`/`tsNsec`). Never throws (except from `onEvent`).
   */
  add(pkt: DecodedPacket, frameNo: number, tsSec: number, tsNsec: number): Reassembled | null {
    this.expire(tsSec, tsNsec);
    const f = this.info;
    const outcome = readFragment(pkt, f);
    if (outcome === 'not-fragment') {
      this.c.ignored++;
      return null;
    }
    this.c.fragments++;
    if (outcome !== 'fragment') return this.refuse(outcome, pkt.ipVersion === 6 ? 6 : 4, frameNo);
    const map = f.version === 4 ? this.v4 : this.v6;
    let p = map.get(f.key);
    const bad = this.validate(f, p);
    if (bad !== null) return this.refuse(bad, f.version, frameNo);
    if (p === undefined) {
      p = this.create(f, tsSec, tsNsec, frameNo);
      map.set(f.key, p);
      this.c.inProgress = this.v4.size + this.v6.size;
    }
    this.noteFrame(p, frameNo);
    if (p.dead) {
      this.c.overlapDiscardedFragments++;
      return null;
    }
    if (!this.place(p, f, pkt.buf, frameNo)) return null;
    if (p.totalLen < 0 || p.header === null || p.runs.covered !== p.totalLen) return null;
    return this.complete(p, frameNo);
  }

  /** Drop datagrams whose timeout (from their first fragment) has passed at packet time `now`. Returns how many. */
  expire(nowSec: number, nowNsec: number): number {
    return this.expireMap(this.v4, this.limits.timeoutV4Sec, nowSec, nowNsec)
      + this.expireMap(this.v6, this.limits.timeoutV6Sec, nowSec, nowNsec);
  }

  /** End of capture: drop every datagram still in progress, count it `incomplete`, and return them (oldest first). */
  flush(): DefragDrop[] {
    const out: DefragDrop[] = [];
    for (const map of [this.v4, this.v6]) {
      for (const p of map.values()) {
        this.remove(p);
        if (p.dead) continue;
        const drop = toDrop(p);
        this.c.incomplete++;
        this.c.incompleteFragments += p.fragments;
        this.c.incompleteBytes += p.bytes;
        out.push(drop);
        this.emit({ kind: 'incomplete', drop });
      }
    }
    return out;
  }

  /** Datagrams in progress (tombstones of discarded IPv6 datagrams included). */
  get inProgress(): number {
    return this.v4.size + this.v6.size;
  }

  /** Refusals that depend on the datagram so far: size, alignment, and the known end (RFC 8200 §4.5). */
  private validate(f: FragInfo, p: Pending | undefined): InvalidReason | null {
    const end = f.off + f.payLen;
    if (end + f.hdrLen > this.limits.maxDatagramSize) return 'oversize';
    if (f.mf === 1 && (f.payLen & 7) !== 0) return 'unaligned';
    if (f.mf === 1 && f.payLen === 0) return 'malformed';
    if (p === undefined || p.dead) return null;
    if (f.mf === 0) {
      if (p.totalLen >= 0 && end !== p.totalLen) return 'conflicting-end';
      if (p.runs.maxEnd > end) return 'conflicting-end';
    } else if (p.totalLen >= 0 && end > p.totalLen) {
      return 'conflicting-end';
    }
    return null;
  }

  /** Store the fragment's bytes; apply the overlap policy. False when the datagram went away. */
  private place(p: Pending, f: FragInfo, buf: Uint8Array, frameNo: number): boolean {
    const res = p.runs.insert(f.off, buf, f.payOff, f.payLen);
    if (res.overlapped > 0) {
      const duplicate = res.overlapped === f.payLen && !res.differing;
      if (duplicate) {
        p.duplicates++;
        this.c.duplicates++;
      } else if (res.differing) {
        this.c.inconsistentOverlaps++;
      } else {
        this.c.overlaps++;
      }
      p.inconsistent ||= res.differing;
      p.overlap ||= !duplicate;
      if (!duplicate && p.version === 6) {
        this.killV6(p, frameNo);
        return false;
      }
    }
    let added = res.added;
    if (f.off === 0 && p.header === null) added += this.keepHeader(p, f, buf);
    if (f.mf === 0) p.totalLen = f.off + f.payLen;
    this.account(p, added);
    return this.enforceBytes(p, frameNo);
  }

  /** Copy the first fragment's header; IPv6 also finds the next-header byte to patch. Returns bytes kept. */
  private keepHeader(p: Pending, f: FragInfo, buf: Uint8Array): number {
    const hdr = buf.slice(f.hdrOff, f.hdrOff + f.hdrLen);
    if (p.version === 6) {
      const nhOff = ipv6FragmentNhOffset(hdr);
      if (nhOff < 0) return 0; // chain the decoder walked but we cannot: wait for another first fragment
      p.nhOff = nhOff;
    }
    p.header = hdr;
    p.nextHeader = f.nextHeader;
    return hdr.length;
  }

  /** All bytes present: build the datagram, forget the key (ids may be reused). */
  private complete(p: Pending, frameNo: number): Reassembled | null {
    this.remove(p);
    const hdr = p.header;
    if (hdr === null) return null;
    const size = hdr.length + p.totalLen;
    if (size > this.limits.maxDatagramSize) return this.refuse('oversize', p.version, frameNo);
    const bytes = new Uint8Array(size);
    if (p.version === 4) writeIpv4Header(bytes, hdr, size);
    else writeIpv6Header(bytes, hdr, p.nhOff, p.nextHeader, size - 40);
    p.runs.copyTo(bytes, hdr.length);
    this.c.reassembled++;
    this.c.reassembledFragments += p.fragments;
    return {
      ipVersion: p.version, bytes, firstFrame: p.firstFrame, lastFrame: frameNo,
      fragments: p.fragments, frames: p.frames, duplicates: p.duplicates,
      overlap: p.overlap, inconsistentOverlap: p.inconsistent,
    };
  }

  private create(f: FragInfo, tsSec: number, tsNsec: number, frameNo: number): Pending {
    while (this.v4.size + this.v6.size >= this.limits.maxDatagrams) {
      const victim = this.oldest();
      if (victim === undefined) break;
      this.evict(victim, 'maxDatagrams', frameNo);
    }
    return {
      key: f.key, version: f.version, seq: this.nextSeq++, startSec: tsSec, startNsec: tsNsec,
      runs: new FragmentRuns(f.version === 4 ? this.policyV4 : 'first'), totalLen: -1, header: null, nextHeader: -1, nhOff: -1,
      fragments: 0, frames: [], firstFrame: frameNo, lastFrame: frameNo,
      duplicates: 0, overlap: false, inconsistent: false, dead: false, bytes: 0,
    };
  }

  private noteFrame(p: Pending, frameNo: number): void {
    p.fragments++;
    if (p.frames.length < this.limits.maxFramesListed) p.frames.push(frameNo);
    if (frameNo < p.firstFrame) p.firstFrame = frameNo;
    p.lastFrame = frameNo;
  }

  private account(p: Pending, added: number): void {
    p.bytes += added;
    this.c.bytesBuffered += added;
    if (this.c.bytesBuffered > this.c.peakBytesBuffered) this.c.peakBytesBuffered = this.c.bytesBuffered;
  }

  /** Evict oldest datagrams until under `maxBytes`; `p` itself goes last. False if `p` was evicted. */
  private enforceBytes(p: Pending, frameNo: number): boolean {
    while (this.c.bytesBuffered > this.limits.maxBytes) {
      const victim = this.oldest(p);
      if (victim === undefined) {
        this.evict(p, 'maxBytes', frameNo);
        return false;
      }
      this.evict(victim, 'maxBytes', frameNo);
    }
    return true;
  }

  /** Oldest datagram holding bytes (or any, for the count limit), other than `except`. */
  private oldest(except?: Pending): Pending | undefined {
    let best: Pending | undefined;
    for (const map of [this.v4, this.v6]) {
      for (const p of map.values()) {
        if (p === except || (except !== undefined && p.bytes === 0)) continue;
        if (best === undefined || p.seq < best.seq) best = p;
        break;
      }
    }
    return best;
  }

  private evict(p: Pending, limit: 'maxDatagrams' | 'maxBytes', frameNo: number): void {
    this.remove(p);
    if (p.dead) return;
    this.c.evicted++;
    this.c.evictedFragments += p.fragments;
    this.c.evictedBytes += p.bytes;
    this.emit({ kind: 'evicted', limit, drop: toDrop(p), frameNo });
  }

  /** RFC 5722: discard the datagram; keep a byte-free tombstone so later fragments are discarded too. */
  private killV6(p: Pending, frameNo: number): void {
    const drop = toDrop(p);
    this.c.bytesBuffered -= p.bytes;
    p.bytes = 0;
    p.runs = new FragmentRuns();
    p.header = null;
    p.dead = true;
    this.c.overlapDiscarded++;
    this.c.overlapDiscardedFragments += p.fragments;
    this.emit({ kind: 'overlap-discarded', drop, inconsistent: p.inconsistent, frameNo });
  }

  private expireMap(map: Map<string, Pending>, timeoutSec: number, nowSec: number, nowNsec: number): number {
    let n = 0;
    for (const p of map.values()) {
      const elapsed = (nowSec - p.startSec) + (nowNsec - p.startNsec) / 1e9;
      if (!(elapsed > timeoutSec)) break;
      this.remove(p);
      if (p.dead) continue;
      n++;
      this.c.timedOut++;
      this.c.timedOutFragments += p.fragments;
      this.c.timedOutBytes += p.bytes;
      this.emit({ kind: 'timeout', drop: toDrop(p) });
    }
    return n;
  }

  private remove(p: Pending): void {
    (p.version === 4 ? this.v4 : this.v6).delete(p.key);
    this.c.bytesBuffered -= p.bytes;
    this.c.inProgress = this.v4.size + this.v6.size;
  }

  private refuse(reason: InvalidReason, ipVersion: 4 | 6, frameNo: number): null {
    this.c.invalid++;
    this.c.invalidByReason[reason]++;
    this.emit({ kind: 'invalid', reason, ipVersion, frameNo });
    return null;
  }

  private emit(event: DefragEvent): void {
    if (this.onEvent !== undefined) this.onEvent(event);
  }
}

function toDrop(p: Pending): DefragDrop {
  return {
    ipVersion: p.version, firstFrame: p.firstFrame, lastFrame: p.lastFrame,
    fragments: p.fragments, bytes: p.bytes, frames: p.frames,
  };
}
