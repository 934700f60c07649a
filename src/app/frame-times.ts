/**
 * Capture times of the frames whose payload the reassembler held back (out of order, or behind
 * a hole): such bytes reach the application layer later, under their own frame number, while
 * the flow's clock shows the packet that released them. Why this and not a time per event from
 * the reassembler: the reassembler knows frames only (its hot path carries no timestamp), and
 * in-order bytes — nearly all of them — are delivered during their own packet, whose time the
 * flow already holds. So only the segments that were *not* delivered at once need remembering,
 * and they are few; a segment that was a retransmission of delivered bytes is remembered too
 * (harmless: it is never asked for, and ages out).
 *
 * A ring of the last `capacity` such frames (typed arrays, allocated with the first); a frame
 * that aged out is answered with the clock's current time and counted (`approximated`).
 */
export class FrameTimes {
  private frames: Int32Array | null = null;
  private secs: Float64Array | null = null;
  private nsecs: Int32Array | null = null;
  private next = 0;
  private size = 0;
  /** Lookups answered with the current packet's time because the frame was no longer remembered. */
  approximated = 0;

  constructor(private readonly capacity = 256) {}

  /** Remember `frame`'s time (frames arrive in increasing order). */
  add(frame: number, sec: number, nsec: number): void {
    if (this.frames === null) {
      this.frames = new Int32Array(this.capacity);
      this.secs = new Float64Array(this.capacity);
      this.nsecs = new Int32Array(this.capacity);
    }
    const i = this.next;
    this.frames[i] = frame;
    this.secs![i] = sec;
    this.nsecs![i] = nsec;
    this.next = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Epoch seconds of `frame`, or -1 when it is not remembered. Newest first (released bytes are usually recent). */
  find(frame: number): number {
    const frames = this.frames;
    if (frames === null) return -1;
    for (let k = 1; k <= this.size; k++) {
      const i = (this.next - k + this.capacity) % this.capacity;
      if (frames[i] === frame) return this.secs![i]! + this.nsecs![i]! / 1e9;
      if (frames[i]! < frame) return -1; // older entries are older frames
    }
    return -1;
  }
}
