/**
 * `` hex`...` `` template tag for test packets: strips whitespace and `#` comments (to the end of
 * the line) and decodes the remaining hex digits. Throws on an odd digit count or a non-hex char.
 * Interpolations are not supported (a literal is a packet, nothing else).
 */
export function hex(strings: TemplateStringsArray): Uint8Array {
  const text = strings.raw.join('').replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (text.length % 2 !== 0) throw new Error(`hex literal has an odd number of digits (${text.length})`);
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new Error('hex literal has a non-hex character');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Hex string of bytes (lower case, no separators), for messages and generating literals. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
