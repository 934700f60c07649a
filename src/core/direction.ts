/**
 * Direction of a packet within a flow, relative to the flow's roles: the client is the sender
 * of the first SYN (or inferred, see the flow table); `C2S` is data the client sent.
 */
export const DIR = {
  C2S: 0,
  S2C: 1,
} as const;

export type Direction = (typeof DIR)[keyof typeof DIR];

export const DIR_NAME: readonly ['c2s', 's2c'] = ['c2s', 's2c'];

/** The other direction. */
export function reverse(d: Direction): Direction {
  return d === DIR.C2S ? DIR.S2C : DIR.C2S;
}
