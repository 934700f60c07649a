/**
 * Where the JSON report keeps its finished flows until the end of the run. The report's header
 * (summary counts, flow-table limits, predictable ISNs) comes before the flows and is known only
 * once every flow has finished, so each flow must wait somewhere. As objects they cost about
 * 10 KB each (100 MB for the 10,000 flows of the bench capture); here each waits as its finished
 * report text (json-writer.ts `flowJsonText`) in an unlinked temporary file, so the page cache
 * holds it, not the process. When no temporary file can be written (no writable temporary
 * directory, disk full) the texts stay in memory from then on and `fallback` says why.
 *
 * Texts are appended in the order flows finish and read back in (capture, flow id) order, the
 * report's order. The file is unlinked as soon as it is open (POSIX), so it disappears with the
 * process however it ends; where unlinking an open file fails (Windows), `close` removes it.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Text gathered before one write to the file (bytes, roughly): small enough that the joined
 * string is an ordinary young object (a larger one lands in V8's large-object space, which only
 * a full collection frees), large enough to keep the writes few.
 */
const WRITE_CHUNK = 64 * 1024;
/** Index entries at first (the index doubles as needed). */
const INITIAL_ENTRIES = 256;

export interface FlowSpoolOptions {
  /** Directory for the temporary file (default `os.tmpdir()`); null: keep the texts in memory. */
  dir?: string | null;
}

export class FlowTextSpool {
  /** Why the texts (from some point on) are kept in memory, or null while the file takes them all. */
  fallback: string | null = null;
  private fd = -1;
  /** False after a failed write: later texts stay in memory (those written stay readable). */
  private writable = false;
  /** Paths to remove at `close` (when they could not be unlinked while open). */
  private leftovers: { file: string; dir: string } | null = null;
  /** Bytes written to the file, and the text gathered for the next write (its byte length, its entries). */
  private fileBytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private pendingEntries: number[] = [];
  // ---- the index, one entry per flow: where its text is (file offset and length, or `mem`) ----
  private n = 0;
  private capture = new Uint32Array(INITIAL_ENTRIES);
  private id = new Float64Array(INITIAL_ENTRIES);
  private offset = new Float64Array(INITIAL_ENTRIES);
  private length = new Float64Array(INITIAL_ENTRIES);
  /** Texts kept in memory, by entry (sparse: only entries the file could not take). */
  private readonly mem = new Map<number, string>();

  constructor(opts: FlowSpoolOptions = {}) {
    const dir = opts.dir === undefined ? tmpdir() : opts.dir;
    if (dir === null) {
      this.fallback = 'no temporary directory';
      return;
    }
    let made: string | null = null;
    try {
      made = mkdtempSync(join(dir, 'tcpscope-'));
      const file = join(made, 'flows.json');
      this.fd = openSync(file, 'w+', 0o600);
      this.writable = true;
      try {
        unlinkSync(file);
        rmdirSync(made);
      } catch {
        this.leftovers = { file, dir: made };
      }
    } catch (e) {
      if (made !== null) removeQuietly(null, made);
      this.fallback = `cannot create a temporary file in ${dir}: ${(e as Error).message}`;
    }
  }

  /** Flows held. */
  get size(): number {
    return this.n;
  }

  /** Keep flow `id` of capture `capture` (index among the readable captures) as `text`. */
  add(capture: number, id: number, text: string): void {
    const i = this.n++;
    if (i === this.id.length) this.grow();
    this.capture[i] = capture;
    this.id[i] = id;
    if (!this.writable) {
      this.mem.set(i, text);
      return;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    this.offset[i] = this.fileBytes + this.pendingBytes;
    this.length[i] = bytes;
    this.pending.push(text);
    this.pendingEntries.push(i);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= WRITE_CHUNK) this.flush();
  }

  /** The texts in report order: by capture, then by flow id. Call once, after the last `add`. */
  *texts(): Generator<string> {
    this.flush();
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.capture[a]! - this.capture[b]! || this.id[a]! - this.id[b]!);
    let buf = Buffer.alloc(0);
    for (const i of order) {
      const kept = this.mem.get(i);
      if (kept !== undefined) {
        yield kept;
        continue;
      }
      const len = this.length[i]!;
      if (buf.length < len) buf = Buffer.alloc(Math.max(len, 2 * buf.length));
      let got = 0;
      while (got < len) {
        const r = readSync(this.fd, buf, got, len - got, this.offset[i]! + got);
        if (r === 0) throw new Error(`flow spool: the temporary file ends early (flow ${this.id[i]!})`);
        got += r;
      }
      yield buf.toString('utf8', 0, len);
    }
  }

  /** Release the temporary file (idempotent). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.writable = false;
    }
    if (this.leftovers !== null) {
      removeQuietly(this.leftovers.file, this.leftovers.dir);
      this.leftovers = null;
    }
    this.mem.clear();
  }

  /** Write the gathered text; on failure its entries, and all later ones, stay in memory (those written before stay in the file). */
  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    try {
      const at = this.fileBytes;
      const bytes = this.pendingBytes;
      let done = writeSync(this.fd, text, at, 'utf8');
      if (done < bytes) {
        // A short write (rare on a file): the rest from the encoded bytes.
        const data = Buffer.from(text, 'utf8');
        while (done < bytes) done += writeSync(this.fd, data, done, bytes - done, at + done);
      }
      this.fileBytes += bytes;
    } catch (e) {
      for (let k = 0; k < this.pendingEntries.length; k++) this.mem.set(this.pendingEntries[k]!, this.pending[k]!);
      this.fallback = `cannot write the temporary file: ${(e as Error).message}`;
      this.writable = false;
    }
    this.pending = [];
    this.pendingEntries = [];
    this.pendingBytes = 0;
  }

  private grow(): void {
    const n = this.id.length * 2;
    const capture = new Uint32Array(n);
    capture.set(this.capture);
    this.capture = capture;
    for (const k of ['id', 'offset', 'length'] as const) {
      const a = new Float64Array(n);
      a.set(this[k]);
      this[k] = a;
    }
  }
}

function removeQuietly(file: string | null, dir: string): void {
  try {
    if (file !== null) unlinkSync(file);
    rmdirSync(dir);
  } catch {
    // a leftover in the temporary directory is the worst case
  }
}
