/**
 * TCP option encoding (RFC 9293 §3.2, RFC 7323 WS/TS, RFC 2018 SACK, RFC 7413 TFO).
 * Options are written in the order given; the block is padded to a multiple of 4 bytes.
 * `raw` writes any bytes verbatim, which is how malformed options (bad lengths, truncated
 * options, unknown kinds) are produced on purpose.
 */

/** One TCP option. */
export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  /** Maximum segment size in bytes. */
  | { kind: 'mss'; value: number }
  /** Window scale shift count (0..14; larger values are written as given). */
  | { kind: 'ws'; shift: number }
  | { kind: 'sack-permitted' }
  /** SACK blocks as [left edge, right edge) wire sequence numbers (32-bit). */
  | { kind: 'sack'; blocks: ReadonlyArray<readonly [number, number]> }
  /** Timestamps: TSval and TSecr (32-bit). */
  | { kind: 'ts'; val: number; ecr: number }
  /** TCP Fast Open cookie (empty = cookie request). */
  | { kind: 'tfo'; cookie?: Uint8Array }
  /** Any bytes, verbatim. */
  | { kind: 'raw'; bytes: Uint8Array };

export const TCP_OPT_KIND = { EOL: 0, NOP: 1, MSS: 2, WS: 3, SACK_PERMITTED: 4, SACK: 5, TS: 8, TFO: 34 } as const;

function u32(v: number): number[] {
  const x = v >>> 0;
  return [x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff];
}

/** Bytes of one option. */
export function encodeTcpOption(o: TcpOption): number[] {
  switch (o.kind) {
    case 'eol': return [0];
    case 'nop': return [1];
    case 'mss': return [2, 4, (o.value >> 8) & 0xff, o.value & 0xff];
    case 'ws': return [3, 3, o.shift & 0xff];
    case 'sack-permitted': return [4, 2];
    case 'sack': return [5, 2 + 8 * o.blocks.length, ...o.blocks.flatMap(([l, r]) => [...u32(l), ...u32(r)])];
    case 'ts': return [8, 10, ...u32(o.val), ...u32(o.ecr)];
    case 'tfo': return [34, 2 + (o.cookie?.length ?? 0), ...(o.cookie ?? [])];
    case 'raw': return [...o.bytes];
    default: {
      const never: never = o;
      return never;
    }
  }
}

/**
 * The whole option block, padded to a multiple of 4 with `pad` bytes (0 = EOL, the default, or
 * 1 = NOP).
 */
export function encodeTcpOptions(opts: readonly TcpOption[], pad: 0 | 1 = 0): Uint8Array {
  const bytes = opts.flatMap(encodeTcpOption);
  while (bytes.length % 4 !== 0) bytes.push(pad);
  return Uint8Array.from(bytes);
}
