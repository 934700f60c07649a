/**
 * Types, limits and counters of the IP defragmenter (`ip-defrag.ts`).
 *
 * Everything here is plain data: no I/O, no clocks. Times are capture (packet) times given as
 * whole seconds plus nanoseconds, exactly as the capture readers deliver them.
 */
import { DEFAULT_LIMITS } from '../core/limits.js';
import type { FragmentLimits } from '../core/limits.js';
import type { OverlapPolicy } from './ip-defrag-buffer.js';

/**
 * Bounds of the defragmenter (the `fragment` section of `core/limits.ts`). Pass a
 * `Readonly<Partial<DefragLimits>>`; missing keys take `DEFAULT_DEFRAG_LIMITS`.
 */
export type DefragLimits = FragmentLimits;

/** Defaults: Linux-like timeouts (30 s IPv4, 60 s IPv6), 4096 datagrams, 64 MiB, 65535-byte datagrams. */
export const DEFAULT_DEFRAG_LIMITS: Readonly<DefragLimits> = DEFAULT_LIMITS.fragment;

/**
 * A datagram rebuilt from its fragments. Owned by the caller (`bytes` is a fresh copy).
 * The caller decodes `bytes` with the dissectors' bare-IP entry and treats the result as frame `lastFrame`.
 */
export interface Reassembled {
  /** 4 or 6. */
  ipVersion: 4 | 6;
  /**
   * The whole datagram, starting at the IP header. IPv4: the first fragment's header (options
   * included) with total length, MF and offset rewritten and the header checksum adjusted
   * incrementally (RFC 1624), so it verifies exactly when the first fragment's did. IPv6: the first
   * fragment's fixed header and unfragmentable extension headers, payload length fixed, fragment
   * header removed and the preceding next-header field set to the fragment header's (RFC 8200 §4.5).
   */
  bytes: Uint8Array;
  /** Lowest frame number among the fragments (usually the first to arrive). */
  firstFrame: number;
  /** Frame of the fragment that completed the datagram: the frame the rebuilt packet is numbered by. */
  lastFrame: number;
  /** Fragment packets received for this datagram, duplicates included. */
  fragments: number;
  /** Their frame numbers in arrival order, at most `maxFramesListed` of them. */
  frames: number[];
  /** Fragments whose bytes were all already held, with the same data. */
  duplicates: number;
  /** Some fragment overlapped bytes already held (exact duplicates excluded). */
  overlap: boolean;
  /** Some overlapping bytes differed from the bytes held (`fragment_overlap`); the overlap policy chose which were kept. */
  inconsistentOverlap: boolean;
}

/** Why a fragment was refused (counted in `DefragCounters.invalid`). */
export type InvalidReason =
  /** Offset + length past `maxDatagramSize` (RFC 791 / RFC 8200 §4.5). */
  | 'oversize'
  /** A fragment with MF set whose payload is not a multiple of 8 bytes (RFC 8200 §4.5; RFC 791 units). */
  | 'unaligned'
  /** A last fragment disagreeing with an earlier last fragment, or data past the known end. */
  | 'conflicting-end'
  /** Fewer bytes captured than the IP length says (snap length): the payload cannot be copied. */
  | 'truncated'
  /** Header fields make no sense for a fragment (jumbogram, TSO length, offsets outside the packet). */
  | 'malformed';

/** A datagram dropped without being rebuilt. */
export interface DefragDrop {
  ipVersion: 4 | 6;
  firstFrame: number;
  lastFrame: number;
  /** Fragment packets that had been received for it. */
  fragments: number;
  /** Bytes that were buffered for it (payload copies + header). */
  bytes: number;
  frames: number[];
}

/** Events for the pipeline's anomaly log; delivered synchronously to `DefragOptions.onEvent`. */
export type DefragEvent =
  /** Not complete within the timeout (packet time). */
  | { kind: 'timeout'; drop: DefragDrop }
  /** Evicted to respect `maxDatagrams` or `maxBytes` (`limit_reached`). */
  | { kind: 'evicted'; limit: 'maxDatagrams' | 'maxBytes'; drop: DefragDrop; frameNo: number }
  /** IPv6 datagram discarded because fragments overlapped (RFC 5722 §4; `fragment_overlap` when `inconsistent`). */
  | { kind: 'overlap-discarded'; drop: DefragDrop; inconsistent: boolean; frameNo: number }
  /** A fragment refused (see `InvalidReason`). */
  | { kind: 'invalid'; reason: InvalidReason; ipVersion: 4 | 6; frameNo: number }
  /** Still incomplete at `flush()` (end of capture). */
  | { kind: 'incomplete'; drop: DefragDrop };

/** Constructor options. */
export interface DefragOptions {
  limits?: Readonly<Partial<DefragLimits>>;
  /**
   * Which bytes an IPv4 datagram keeps where fragments overlap (default `bsd`, what Wireshark
   * shows). IPv6 has no choice: overlapping fragments discard the datagram (RFC 5722 §4).
   */
  overlapPolicyV4?: OverlapPolicy;
  /** Called synchronously for every drop or refusal; must not throw. */
  onEvent?: (event: DefragEvent) => void;
}

/** Running totals. All counts are since construction; `inProgress`/`bytesBuffered` are gauges. */
export interface DefragCounters {
  /** Fragment packets given to `add()` (atomic IPv6 fragments and non-fragments excluded). */
  fragments: number;
  /** Datagrams rebuilt. */
  reassembled: number;
  /** Fragment packets that went into rebuilt datagrams. */
  reassembledFragments: number;
  /** Exact duplicates (all bytes already held, identical). */
  duplicates: number;
  /** Fragments overlapping held bytes with identical data (not exact duplicates). */
  overlaps: number;
  /** Fragments overlapping held bytes with different data (`fragment_overlap`). */
  inconsistentOverlaps: number;
  /** IPv6 datagrams discarded for overlapping fragments (RFC 5722), and fragments later absorbed by them. */
  overlapDiscarded: number;
  overlapDiscardedFragments: number;
  /** Refused fragments, by reason. */
  invalid: number;
  invalidByReason: Record<InvalidReason, number>;
  /** Timed out in packet time: datagrams, their fragment packets and buffered bytes. */
  timedOut: number;
  timedOutFragments: number;
  timedOutBytes: number;
  /** Evicted by `maxDatagrams`/`maxBytes` (`limit_reached`). */
  evicted: number;
  evictedFragments: number;
  evictedBytes: number;
  /** Left incomplete at `flush()`. */
  incomplete: number;
  incompleteFragments: number;
  incompleteBytes: number;
  /** `add()` calls for packets that are not fragments (IPv4 MF=0 offset 0, IPv6 atomic fragments) or not IP. */
  ignored: number;
  /** Gauges: datagrams in progress and bytes buffered now; high-water mark of bytes. */
  inProgress: number;
  bytesBuffered: number;
  peakBytesBuffered: number;
}

/** Fresh zeroed counters. */
export function newDefragCounters(): DefragCounters {
  return {
    fragments: 0, reassembled: 0, reassembledFragments: 0,
    duplicates: 0, overlaps: 0, inconsistentOverlaps: 0,
    overlapDiscarded: 0, overlapDiscardedFragments: 0,
    invalid: 0,
    invalidByReason: { oversize: 0, unaligned: 0, 'conflicting-end': 0, truncated: 0, malformed: 0 },
    timedOut: 0, timedOutFragments: 0, timedOutBytes: 0,
    evicted: 0, evictedFragments: 0, evictedBytes: 0,
    incomplete: 0, incompleteFragments: 0, incompleteBytes: 0,
    ignored: 0, inProgress: 0, bytesBuffered: 0, peakBytesBuffered: 0,
  };
}
