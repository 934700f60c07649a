/**
 * An allocation-free hash table from a TCP/UDP four-tuple to a dense id (0, 1, 2 … in order of
 * first insertion), independent of direction: A→B and B→A map to the same id, and `lookup`
 * says which direction the packet went (0 = same as the first packet of the tuple, 1 = reverse).
 *
 * Keys are never strings: each key is stored as KEY_WORDS 32-bit words in one typed array:
 * version, ports, the first word of each address, then the other three words of each (zero
 * for IPv4), so what an IPv4 lookup reads is the first 16 bytes of its key (one cache line); hashed with a 32-bit multiply-xorshift mix, in an open-addressing table with
 * linear probing that doubles when 1/2 full. An IPv4 key hashes and compares only its four
 * meaningful words (version, the two addresses, the ports: the rest are zero), and is looked up
 * from locals without filling the probe scratch. Ids are never removed (eviction is the flow
 * table's business: it maps a tuple id to its current flow; the tuple count is the report's
 * `tcpConversations`, distinct tuples ever seen, which needs every key).
 *
 * Word 0 of a stored key also keeps, in bit 8 (`FIRST_SWAPPED`), whether the tuple's first
 * packet went from the canonical B side to A: the direction of a lookup then needs no second
 * array.
 */

/**
 * Big-endian 32-bit word at `off` as a SIGNED int32. Words are held, hashed and compared as
 * int32 on purpose: an unsigned word of 2^31 or more (any address from 128.0.0.0 up) is not a
 * small integer in V8, so passing it to a call or keeping it in an untyped slot allocates a
 * heap number: that was two allocations per packet on the lookup path. Equality and the murmur
 * mix (Math.imul) do not care which of the two aliases a word is in.
 */
function i32(b: Uint8Array, off: number): number {
  return (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
}

/** Unsigned order of two int32 words (flipping the sign bit maps unsigned order onto signed order). */
function u32Greater(a: number, b: number): boolean {
  return (a ^ 0x80000000) > (b ^ 0x80000000);
}

/** Words per key: version(1) + ports(1) + addrA[0] + addrB[0] + addrA[1..3] + addrB[1..3]. */
const KEY_WORDS = 10;
const W_VER = 0;
const W_PORTS = 1;
const W_A = 2;
const W_B = 3;
/** Address words 1..3 of A at W_A_REST + 0..2, of B at W_B_REST + 0..2 (IPv6 only). */
const W_A_REST = 4;
const W_B_REST = 7;
/** Bit of a stored key's word 0: the first packet's source was the canonical B side. */
const FIRST_SWAPPED = 0x100;

export class TupleTable {
  private slots: Int32Array; // -1 empty, else tuple id
  private mask: number;
  private keys: Int32Array; // KEY_WORDS per id, words as int32 (see i32)
  private count = 0;
  /** Scratch for the key being looked up, in canonical order. */
  private readonly probe = new Int32Array(KEY_WORDS);

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Int32Array(initialCapacity * KEY_WORDS);
  }

  /** Number of distinct tuples seen. */
  get size(): number {
    return this.count;
  }

  /** Direction of the last lookup: 0 = as first seen (src→dst of the tuple's first packet), 1 = reverse. */
  lastDirection = 0;

  /**
   * Id of the tuple (src, sport) ↔ (dst, dport), inserting it when new. Addresses are read from
   * `buf` at `srcOff`/`dstOff`: 4 bytes when `ipVersion` is 4, 16 when 6. Sets `lastDirection`.
   * `inserted` tells whether the tuple was new (read right after the call).
   */
  lookup(buf: Uint8Array, ipVersion: number, srcOff: number, dstOff: number, sport: number, dport: number): number {
    if (ipVersion === 4) return this.lookup4(i32(buf, srcOff), i32(buf, dstOff), sport, dport);
    const p = this.probe;
    const words = ipVersion === 6 ? 4 : 1;
    // Canonical order: the (address, port) pair that compares lower goes first.
    let cmp = 0;
    for (let i = 0; i < words * 4 && cmp === 0; i++) cmp = (buf[srcOff + i] ?? 0) - (buf[dstOff + i] ?? 0);
    if (cmp === 0) cmp = sport - dport;
    const swap = cmp > 0;
    const aOff = swap ? dstOff : srcOff;
    const bOff = swap ? srcOff : dstOff;
    p[W_VER] = ipVersion;
    p[W_PORTS] = swap ? (dport << 16) | sport : (sport << 16) | dport;
    p[W_A] = i32(buf, aOff);
    p[W_B] = i32(buf, bOff);
    for (let w = 1; w < 4; w++) {
      p[W_A_REST + w - 1] = w < words ? i32(buf, aOff + w * 4) : 0;
      p[W_B_REST + w - 1] = w < words ? i32(buf, bOff + w * 4) : 0;
    }
    const id = this.findOrInsert(p, swap);
    // Direction relative to the first packet: stored key order tells which side was "first".
    this.lastDirection = swap === this.firstSwapped(id) ? 0 : 1;
    return id;
  }

  /**
   * `lookup` for a 4-byte-address key (IPv4): the same canonical order (big-endian words compare
   * unsigned like their bytes), hash and stored words, computed in locals. `src`/`dst` are int32
   * words (see i32).
   */
  private lookup4(src: number, dst: number, sport: number, dport: number): number {
    const swap = u32Greater(src, dst) || (src === dst && sport > dport);
    const a = swap ? dst : src;
    const b = swap ? src : dst;
    const ports = swap ? (dport << 16) | sport : (sport << 16) | dport;
    const k = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash4(a, b, ports) & mask;
    for (;;) {
      const id = slots[h]!;
      if (id === -1) break;
      const base = id * KEY_WORDS;
      if (k[base + W_PORTS] === ports && k[base + W_A] === a && k[base + W_B] === b && (k[base + W_VER]! & 0xff) === 4) {
        this.inserted = false;
        this.lastDirection = swap === ((k[base + W_VER]! & FIRST_SWAPPED) !== 0) ? 0 : 1;
        return id;
      }
      h = (h + 1) & mask;
    }
    const p = this.probe;
    p.fill(0);
    p[W_VER] = 4;
    p[W_PORTS] = ports;
    p[W_A] = a;
    p[W_B] = b;
    this.insertAt(h, p, swap);
    this.lastDirection = 0;
    return this.count - 1;
  }

  /** True when the previous `lookup` inserted a new tuple. */
  inserted = false;

  private firstSwapped(id: number): boolean {
    return (this.keys[id * KEY_WORDS + W_VER]! & FIRST_SWAPPED) !== 0;
  }

  private findOrInsert(p: Int32Array, swap: boolean): number {
    let h = hashKey(p) & this.mask;
    const slots = this.slots;
    for (;;) {
      const id = slots[h] ?? -1;
      if (id === -1) break;
      if (this.keyEquals(id, p)) {
        this.inserted = false;
        return id;
      }
      h = (h + 1) & this.mask;
    }
    return this.insertAt(h, p, swap);
  }

  /** Store key `p` as a new id in free slot `h`. */
  private insertAt(h: number, p: Int32Array, swap: boolean): number {
    const id = this.count++;
    this.ensureKeyCapacity(id + 1);
    this.keys.set(p, id * KEY_WORDS);
    // Remember whether the first packet's source was the canonical "B" side.
    if (swap) this.keys[id * KEY_WORDS + W_VER] = p[W_VER]! | FIRST_SWAPPED;
    this.slots[h] = id;
    this.inserted = true;
    if (this.count * 2 > this.slots.length) this.grow();
    return id;
  }

  private keyEquals(id: number, p: Int32Array): boolean {
    const k = this.keys;
    const base = id * KEY_WORDS;
    if (k[base + W_PORTS] !== p[W_PORTS] || k[base + W_A] !== p[W_A] || k[base + W_B] !== p[W_B] || (k[base + W_VER]! & 0xff) !== p[W_VER]) return false;
    if (p[W_VER] === 4) return true; // the other words are zero in both
    for (let i = W_A_REST; i < KEY_WORDS; i++) if (k[base + i] !== p[i]) return false;
    return true;
  }

  private ensureKeyCapacity(n: number): void {
    if (n * KEY_WORDS > this.keys.length) {
      const next = new Int32Array(Math.max(n * KEY_WORDS, this.keys.length * 2));
      next.set(this.keys);
      this.keys = next;
    }
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const tmp = new Int32Array(KEY_WORDS);
    for (let id = 0; id < this.count; id++) {
      tmp.set(this.keys.subarray(id * KEY_WORDS, (id + 1) * KEY_WORDS));
      tmp[W_VER] = tmp[W_VER]! & 0xff;
      let h = hashKey(tmp) & mask;
      while ((slots[h] ?? -1) !== -1) h = (h + 1) & mask;
      slots[h] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}


/** One murmur3 round: word `k` into hash `h`. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** 32-bit murmur3-style hash of the key's meaningful words (IPv4: version, addresses, ports). */
function hashKey(p: Int32Array): number {
  if (p[W_VER] === 4) return hash4(p[W_A]!, p[W_B]!, p[W_PORTS]!);
  let h = 0x9747b28c;
  for (let i = 0; i < KEY_WORDS; i++) h = mix(h, p[i]!);
  return fmix(h);
}

/**
 * `hashKey` of an IPv4 key (addresses a and b, ports word), on every packet: the three words
 * multiplied by different odd constants side by side (independent multiplies, not murmur's
 * chain of four dependent rounds, which cost more than the rest of the lookup), then a
 * xorshift-multiply avalanche so every input bit reaches the low bits the table mask keeps.
 * Only slot placement depends on the hash (ids are insertion order).
 */
function hash4(a: number, b: number, ports: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(ports, 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** murmur3's final avalanche. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
