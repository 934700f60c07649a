/**
 * TCP options as tcpdump 4.99 prints them inside `options [...]` (print-tcp.c): names from its
 * option table, `unknown-N 0x<hex>` for others, `[len N]` on a length mismatch and `[bad opt]`
 * where the walk fails. Output-only (allocates strings).
 */
import { u8, u16, u32 } from './bytes.js';
import { TCP_OPT_KIND, TFO_EXP_MAGIC } from './tcp-options.js';

const MPTCP_SUBTYPE = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst'];

function hexBytes(buf: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (buf[off + i] ?? 0).toString(16).padStart(2, '0');
  return s;
}

/** Text of the options in `buf[off .. end)`, without the surrounding `options [` `]`. */
export function formatTcpOptions(buf: Uint8Array, off: number, end: number): string {
  const parts: string[] = [];
  let p = off;
  while (p < end) {
    const kind = u8(buf, p);
    if (kind === TCP_OPT_KIND.EOL || kind === TCP_OPT_KIND.NOP) {
      parts.push(kind === 0 ? 'eol' : 'nop');
      p++;
      if (kind === 0) break;
      continue;
    }
    const len = p + 1 < end ? u8(buf, p + 1) : 0;
    if (len < 2 || p + len > end) {
      parts.push('[bad opt]');
      break;
    }
    parts.push(optionText(buf, p, kind, len));
    p += len;
  }
  return parts.join(',');
}

const SHORT_NAME: Readonly<Record<number, string>> = { 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'TS', 28: 'utm', 30: 'mptcp', 34: 'tfo' };

/**
 * Options whose header the capture cut at `capEnd` (< `end`): the complete ones as usual, then
 * the name of the first cut one and tcpdump's `[|tcp]>` truncation mark (print-tcp.c prints no
 * closing bracket and no length after it).
 */
export function formatTruncatedTcpOptions(buf: Uint8Array, off: number, end: number, capEnd: number): string {
  let p = off;
  while (p < capEnd) {
    const kind = u8(buf, p);
    const len = kind <= 1 ? 1 : p + 1 < capEnd ? u8(buf, p + 1) : 0;
    if (len === 0 || p + Math.max(len, 2) > capEnd) break;
    p += Math.max(len, 1);
    if (kind === 0) break;
  }
  const done = p > off ? formatTcpOptions(buf, off, p) : '';
  const kind = p < capEnd ? u8(buf, p) : -1;
  const name = kind < 0 ? '' : (SHORT_NAME[kind] ?? `unknown-${kind}`);
  return [done, name].filter((x) => x !== '').join(',') + ' [|tcp]>';
}

/** One option of known-good `len`; appends `[len N]` when the length is wrong for the kind. */
function optionText(buf: Uint8Array, p: number, kind: number, len: number): string {
  const d = p + 2;
  const n = len - 2;
  const want = (w: number, text: string): string => (n === w ? text : `${text}[len ${len}]`);
  switch (kind) {
    case TCP_OPT_KIND.MSS:
      return want(2, `mss ${n >= 2 ? u16(buf, d) : 0}`);
    case TCP_OPT_KIND.WSCALE:
      return want(1, `wscale ${u8(buf, d)}`);
    case TCP_OPT_KIND.SACK_PERM:
      return want(0, 'sackOK');
    case TCP_OPT_KIND.SACK: {
      if (n % 8 !== 0) return `sack [bad opt]`;
      let s = `sack ${n / 8} `;
      for (let i = 0; i < n; i += 8) s += `{${u32(buf, d + i)}:${u32(buf, d + i + 4)}}`;
      return s;
    }
    case TCP_OPT_KIND.TIMESTAMP:
      return want(8, `TS val ${u32(buf, d)} ecr ${n >= 8 ? u32(buf, d + 4) : 0}`);
    case TCP_OPT_KIND.MD5:
      return `md5 shared secret not supplied with -M, can't check - ${hexBytes(buf, d, n)}`;
    case TCP_OPT_KIND.USER_TIMEOUT: {
      const v = u16(buf, d);
      return want(2, `uto 0x${v.toString(16)} ${(v & 1) !== 0 ? (v >> 1) * 60 : v >> 1}`);
    }
    case TCP_OPT_KIND.MPTCP:
      return mptcpText(buf, p, len);
    case TCP_OPT_KIND.TFO:
      return `tfo  ${tfoText(buf, d, n)}`; // tcpdump 4.99 prints two spaces here
    case TCP_OPT_KIND.EXPERIMENTAL: {
      if (n < 2) return 'exp[bad opt]';
      const magic = u16(buf, d);
      return magic === TFO_EXP_MAGIC ? `exp-tfo ${tfoText(buf, d + 2, n - 2)}` : `exp-${magic.toString(16).padStart(4, '0')}`;
    }
    default:
      return n > 0 ? `unknown-${kind} 0x${hexBytes(buf, d, n)}` : `unknown-${kind}`;
  }
}

function tfoText(buf: Uint8Array, d: number, n: number): string {
  if (n === 0) return 'cookiereq';
  if (n % 2 !== 0 || n < 4 || n > 16) return 'malformed';
  return `cookie ${hexBytes(buf, d, n)}`;
}

/** RFC 8684 section 3.1 MP_CAPABLE in print-mptcp.c's words; other subtypes by name only. */
function mptcpText(buf: Uint8Array, p: number, len: number): string {
  const st = u8(buf, p + 2) >> 4;
  let s = `mptcp ${len} ${MPTCP_SUBTYPE[st] ?? `subtype-${st}`}`;
  if (st !== 0 || len < 4) return s;
  s += ` v${u8(buf, p + 2) & 0x0f}`;
  if ((u8(buf, p + 3) & 0x80) !== 0) s += ' csum';
  if (len >= 12) {
    s += ` {0x${hexBytes(buf, p + 4, 8)}`;
    if (len >= 20) s += `,0x${hexBytes(buf, p + 12, 8)}`;
    s += '}';
  }
  return s;
}
