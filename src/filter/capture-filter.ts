/**
 * Capture-style filter expressions for offline files (`tcpscope analyze --filter EXPR`): the
 * subset of pcap-filter(7) syntax people use to narrow a capture to some connections, compiled
 * to a predicate over decoded packets. Frames keep their numbers in the original file (unlike
 * `tcpdump -r in -w out EXPR`, which renumbers them), so findings still point at the file.
 *
 * Supported (pcap-filter meaning; checked against tcpdump in the tests):
 *   primitives  host A | src host A | dst host A            (IPv4 or IPv6 address)
 *               net A/len | src net A/len | dst net A/len     (also `net A mask M` is NOT supported)
 *               port N | src port N | dst port N              (TCP or UDP)
 *               portrange N-M | src portrange N-M | dst portrange N-M
 *               tcp | udp | icmp | icmp6 | ip | ip6
 *   operators   not / !, and / &&, or / ||, parentheses; juxtaposed primitives do not imply `and`
 *               (write it), `and` binds tighter than `or` as in pcap-filter.
 *   shorthand   `host A and port N` etc.; a bare address/number after `and`/`or` repeating the
 *               previous qualifier (`port 80 or 443`) is supported like pcap-filter.
 * Anything else (byte offsets like tcp[13], `len`, `ether`, `vlan`, `gateway`, names to resolve)
 * is refused with a message naming the token; use tcpdump/tshark to pre-filter for those.
 */
import { isIP } from 'node:net';
import { LAYER, type DecodedPacket } from '../dissectors/decoded-packet.js';

export type PacketPredicate = (p: DecodedPacket) => boolean;

/** A filter expression that cannot be read: the CLI prints it and exits 2. */
export class FilterSyntaxError extends Error {}

type Dir = 'src' | 'dst' | 'any';
type Kind = 'host' | 'net' | 'port' | 'portrange';

const PROTO_PRIMITIVES = new Set(['tcp', 'udp', 'icmp', 'icmp6', 'ip', 'ip6']);

function tokenize(expr: string): string[] {
  const out: string[] = [];
  const re = /\s*(\(|\)|&&|\|\||!=|!|[&|]|[^\s()!&|]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(expr)) !== null) {
    out.push(m[1]!);
    at = re.lastIndex;
  }
  if (expr.slice(at).trim() !== '') throw new FilterSyntaxError(`cannot read the filter at '${expr.slice(at).trim()}'`);
  return out;
}

/** Address bytes and prefix length of `text` (`A` or `A/len`). */
function parseNet(text: string, needPrefix: boolean): { v: 4 | 6; bytes: Uint8Array; bits: number } {
  const [addr = '', len] = text.split('/');
  const family = isIP(addr);
  if (family === 0) throw new FilterSyntaxError(`'${text}' is not an IPv4/IPv6 address${needPrefix ? ' or prefix' : ''} (host names are not resolved)`);
  const v = family === 6 ? 6 : 4;
  const bytes = v === 4 ? Uint8Array.from(addr.split('.').map(Number)) : ipv6Bytes(addr);
  const max = v === 4 ? 32 : 128;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new FilterSyntaxError(`bad prefix length in '${text}'`);
  return { v, bytes, bits };
}

function ipv6Bytes(addr: string): Uint8Array {
  let a = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4 !== null) {
    const [b0, b1, b2, b3] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    a = a.slice(0, v4.index) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new FilterSyntaxError(`'${text}' is not a port number (service names are not resolved)`);
  return n;
}

function addrMatch(p: DecodedPacket, off: number, v: 4 | 6, bytes: Uint8Array, bits: number): boolean {
  if (p.ipVersion !== v || off < 0) return false;
  const buf = p.buf;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (buf[off + i] !== bytes[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((buf[off + whole]! ^ bytes[whole]!) & mask) === 0;
}

function hasPorts(p: DecodedPacket): boolean {
  return (p.layers & (LAYER.TCP | LAYER.UDP)) !== 0 && p.sport >= 0;
}

/** A TCP/UDP port test on the source, destination or either port. */
function portTest(dir: Dir, ok: (port: number) => boolean): PacketPredicate {
  if (dir === 'src') return (p) => hasPorts(p) && ok(p.sport);
  if (dir === 'dst') return (p) => hasPorts(p) && ok(p.dport);
  return (p) => hasPorts(p) && (ok(p.sport) || ok(p.dport));
}

function primitive(kind: Kind, dir: Dir, arg: string): PacketPredicate {
  switch (kind) {
    case 'host':
    case 'net': {
      const { v, bytes, bits } = parseNet(arg, kind === 'net');
      if (kind === 'host' && arg.includes('/')) throw new FilterSyntaxError(`'host ${arg}': use 'net' for a prefix`);
      if (dir === 'src') return (p) => addrMatch(p, p.srcOff, v, bytes, bits);
      if (dir === 'dst') return (p) => addrMatch(p, p.dstOff, v, bytes, bits);
      return (p) => addrMatch(p, p.srcOff, v, bytes, bits) || addrMatch(p, p.dstOff, v, bytes, bits);
    }
    case 'port': {
      const n = parsePort(arg);
      return portTest(dir, (x) => x === n);
    }
    case 'portrange': {
      const m = /^(\d+)-(\d+)$/.exec(arg);
      if (m === null) throw new FilterSyntaxError(`'portrange ${arg}': expected N-M`);
      const lo = Math.min(parsePort(m[1]!), parsePort(m[2]!));
      const hi = Math.max(parsePort(m[1]!), parsePort(m[2]!));
      return portTest(dir, (x) => x >= lo && x <= hi);
    }
  }
}

function protoPrimitive(name: string): PacketPredicate {
  switch (name) {
    case 'ip':
      return (p) => p.ipVersion === 4;
    case 'ip6':
      return (p) => p.ipVersion === 6;
    case 'tcp':
      return (p) => (p.layers & LAYER.TCP) !== 0;
    case 'udp':
      return (p) => (p.layers & LAYER.UDP) !== 0;
    case 'icmp':
      return (p) => (p.layers & LAYER.ICMP) !== 0 && p.ipVersion === 4;
    default:
      return (p) => (p.layers & LAYER.ICMP) !== 0 && p.ipVersion === 6;
  }
}

/** Recursive-descent parser: or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | '(' or ')' | primitive. */
class Parser {
  private i = 0;
  /** The last qualifier, for `port 80 or 443`. */
  private last: { kind: Kind; dir: Dir } | null = null;
  constructor(private readonly t: string[]) {}

  parse(): PacketPredicate {
    if (this.t.length === 0) return () => true;
    const e = this.or();
    if (this.i < this.t.length) throw new FilterSyntaxError(`unexpected '${this.t[this.i]}' (combine primitives with 'and' / 'or')`);
    return e;
  }

  private peek(): string | undefined {
    return this.t[this.i];
  }

  private or(): PacketPredicate {
    let l = this.and();
    while (this.peek() === 'or' || this.peek() === '||') {
      this.i++;
      const a = l;
      const b = this.and();
      l = (p) => a(p) || b(p);
    }
    return l;
  }

  private and(): PacketPredicate {
    let l = this.unary();
    while (this.peek() === 'and' || this.peek() === '&&') {
      this.i++;
      const a = l;
      const b = this.unary();
      l = (p) => a(p) && b(p);
    }
    return l;
  }

  private unary(): PacketPredicate {
    const tok = this.t[this.i++];
    if (tok === undefined) throw new FilterSyntaxError('the filter ends too early');
    if (tok === 'not' || tok === '!') {
      const e = this.unary();
      return (p) => !e(p);
    }
    if (tok === '(') {
      const e = this.or();
      if (this.t[this.i++] !== ')') throw new FilterSyntaxError("missing ')'");
      return e;
    }
    if (PROTO_PRIMITIVES.has(tok)) {
      // `tcp port 80` = `tcp and port 80`.
      const proto = protoPrimitive(tok);
      const next = this.peek();
      if (next !== undefined && ['host', 'net', 'port', 'portrange', 'src', 'dst'].includes(next)) {
        const rest = this.unary();
        return (p) => proto(p) && rest(p);
      }
      return proto;
    }
    let dir: Dir = 'any';
    let t = tok;
    if (t === 'src' || t === 'dst') {
      dir = t;
      t = this.t[this.i++] ?? '';
      if (t === 'or' || t === 'and') throw new FilterSyntaxError(`'${dir} ${t}' is not supported: write '${dir} host A'`);
    }
    if (t === 'host' || t === 'net' || t === 'port' || t === 'portrange') {
      const arg = this.t[this.i++];
      if (arg === undefined) throw new FilterSyntaxError(`'${t}' needs a value`);
      this.last = { kind: t, dir };
      return primitive(t, dir, arg);
    }
    // A bare value repeats the previous qualifier (`port 80 or 443`).
    if (dir === 'any' && this.last !== null && /^[\d.:a-fA-F/-]+$/.test(t) && (isIP(t.split('/')[0] ?? '') !== 0 || /^[\d-]+$/.test(t))) {
      return primitive(this.last.kind, this.last.dir, t);
    }
    throw new FilterSyntaxError(`'${t}' is not supported here; supported: host, net, port, portrange (with src/dst), tcp, udp, icmp, icmp6, ip, ip6, not/and/or, parentheses`);
  }
}

/** Compiles `expr` (throws FilterSyntaxError naming the problem). */
export function compileFilter(expr: string): PacketPredicate {
  return new Parser(tokenize(expr)).parse();
}
