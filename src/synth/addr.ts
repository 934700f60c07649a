/** Address parsing for the synthetic builder: IPv4 dotted quads, IPv6 text (with `::`), MACs. */

/** Parse an IPv4 address `a.b.c.d` into 4 bytes. Throws on bad text. */
export function parseIpv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`bad IPv4 address: ${text}`);
  return Uint8Array.from(parts, (p) => {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`bad IPv4 address: ${text}`);
    return v;
  });
}

/** Parse an IPv6 address (RFC 4291 §2.2 text forms, incl. `::` and a trailing dotted quad). */
export function parseIpv6(text: string): Uint8Array {
  let t = text;
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    const w = (i: number): string => ((v4[i]! << 8) | v4[i + 1]!).toString(16);
    t = `${t.slice(0, lastColon + 1)}${w(0)}:${w(2)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) throw new Error(`bad IPv6 address: ${text}`);
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((x) => parseInt(x, 16)));
  const head = words(halves[0] ?? '');
  const rest = halves.length === 2 ? words(halves[1] ?? '') : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) throw new Error(`bad IPv6 address: ${text}`);
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new Error(`bad IPv6 address: ${text}`);
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** Parse either address family by the presence of ':'. */
export function parseIp(text: string): Uint8Array {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Parse a MAC `aa:bb:cc:dd:ee:ff` into 6 bytes. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) throw new Error(`bad MAC address: ${text}`);
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}
