/**
 * An append-only list of small plain records — a flow's anomaly events and state transitions —
 * kept compactly until it is read once at the end of the flow. As objects, an event
 * `{code, frame, ts, dir, detail: {n, of}}` costs ~120 bytes (two objects, a boxed double);
 * here its numbers take 8 bytes each in one array of doubles (stored unboxed), its other values
 * (strings, booleans, null, arrays, frozen objects) one pointer each in another, and its layout
 * (keys in order, which are numbers, which are nested plain objects) one shared shape id: ~60
 * bytes. Flows
 * live for seconds and a capture holds thousands, so this is a large part of their memory.
 *
 * `toArray()` rebuilds the records: new objects equal to those pushed (same keys in the same
 * order, same values: every double exactly, -0 and NaN included; non-numbers and frozen objects
 * by reference). Nothing may keep or mutate a pushed record expecting to see it in the list:
 * records are copied in, not kept (every caller builds them for the list only).
 *
 * Shapes are shared by all lists (a few dozen layouts in practice); past `MAX_SHAPES` distinct
 * layouts a record is kept as it is, so the table cannot grow with the data.
 */

/** How a value is stored: a double, a reference, or a nested plain object (its own shape follows). */
const NUM = 0;
const REF = 1;
const OBJ = 2;

interface Shape {
  readonly id: number;
  readonly keys: readonly string[];
  readonly kinds: Uint8Array;
  /** Shape of each OBJ value, by key index (null for the others). */
  readonly nested: readonly (Shape | null)[];
}

/** Distinct layouts kept; records of further layouts are stored as they are. */
const MAX_SHAPES = 4096;
/** Shape id of a record stored as it is (in `refs`). */
const WHOLE = -1;

const shapes: Shape[] = [];
const shapeBySignature = new Map<string, Shape>();

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.isFrozen(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** The signature of a plain object's layout: keys (length-prefixed) with their kinds, nested layouts in braces. */
function signature(o: Record<string, unknown>): string {
  let s = '';
  for (const k in o) {
    const v = o[k];
    s += typeof v === 'number' ? `${k.length}:${k}#` : isPlain(v) ? `${k.length}:${k}{${signature(v)}}` : `${k.length}:${k}@`;
  }
  return s;
}

/** The shape of `o`'s layout, registered on first sight; null past MAX_SHAPES. */
function shapeOf(o: Record<string, unknown>, sig: string): Shape | null {
  const known = shapeBySignature.get(sig);
  if (known !== undefined) return known;
  if (shapes.length >= MAX_SHAPES) return null;
  const keys: string[] = [];
  const kinds: number[] = [];
  const nested: (Shape | null)[] = [];
  for (const k in o) {
    const v = o[k];
    keys.push(k);
    if (typeof v === 'number') {
      kinds.push(NUM);
      nested.push(null);
    } else if (isPlain(v)) {
      const inner = shapeOf(v, signature(v));
      if (inner === null) return null;
      kinds.push(OBJ);
      nested.push(inner);
    } else {
      kinds.push(REF);
      nested.push(null);
    }
  }
  const shape: Shape = { id: shapes.length, keys, kinds: Uint8Array.from(kinds), nested };
  shapes.push(shape);
  shapeBySignature.set(sig, shape);
  return shape;
}

export class RecordList<T extends object> {
  /** Per record: its shape id, then its numbers in key order (nested objects inline); only numbers, so V8 keeps them unboxed. */
  private nums: number[] = [];
  /** Its other values in key order (or the whole record, for shape WHOLE). */
  private refs: unknown[] = [];
  private count = 0;
  /** `count` at the last `trim` (nothing to give back while it is unchanged). */
  private trimmedAt = 0;

  /** Records held. */
  get length(): number {
    return this.count;
  }

  /** Append a copy of `rec` (a plain object). */
  push(rec: T): void {
    const o = rec as Record<string, unknown>;
    const shape = isPlain(o) ? shapeOf(o, signature(o)) : null;
    this.count++;
    if (shape === null) {
      this.nums.push(WHOLE);
      this.refs.push(rec);
      return;
    }
    this.nums.push(shape.id);
    this.encode(o, shape);
  }

  /** The records, rebuilt (new objects, in push order). */
  toArray(): T[] {
    const out: T[] = [];
    const at = { n: 0, r: 0 };
    for (let i = 0; i < this.count; i++) {
      const id = this.nums[at.n++]!;
      out.push((id === WHOLE ? this.refs[at.r++] : decode(shapes[id]!, this.nums, this.refs, at)) as T);
    }
    return out;
  }

  /** Give back unused capacity (the list is complete, or nearly: a flow that has closed). */
  trim(): void {
    if (this.trimmedAt === this.count) return;
    this.trimmedAt = this.count;
    this.nums = this.nums.slice();
    this.refs = this.refs.slice();
  }

  private encode(o: Record<string, unknown>, shape: Shape): void {
    const keys = shape.keys;
    for (let i = 0; i < keys.length; i++) {
      const v = o[keys[i]!];
      const kind = shape.kinds[i];
      if (kind === NUM) this.nums.push(v as number);
      else if (kind === OBJ) this.encode(v as Record<string, unknown>, shape.nested[i]!);
      else this.refs.push(v);
    }
  }
}

function decode(shape: Shape, nums: readonly number[], refs: unknown[], at: { n: number; r: number }): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const keys = shape.keys;
  for (let i = 0; i < keys.length; i++) {
    const kind = shape.kinds[i];
    o[keys[i]!] = kind === NUM ? nums[at.n++]! : kind === OBJ ? decode(shape.nested[i]!, nums, refs, at) : refs[at.r++];
  }
  return o;
}
