/**
 * Both endpoints' state transitions of one flow (endpoint-state.ts records them, the connection
 * tracker reports them), kept compact while the flow runs: (frame, time) per transition in an
 * array of doubles (stored unboxed), (endpoint, from, to, cause) in an array of strings —
 * ~56 bytes a transition instead of an 88-byte object with a boxed time. A capture holds
 * thousands of flows for seconds each; `toArray` builds the report's objects at the end.
 */
import type { Role, TcpState, Transition } from './tcp-state.js';

export class TransitionLog {
  private nums: number[] = [];
  private refs: string[] = [];
  /** `nums.length` at the last `trim`. */
  private trimmedAt = 0;

  /** Transitions recorded. */
  get length(): number {
    return this.nums.length / 2;
  }

  add(endpoint: Role, from: TcpState, to: TcpState, frame: number, ts: number, cause: string): void {
    this.nums.push(frame, ts);
    this.refs.push(endpoint, from, to, cause);
  }

  /** The transitions in order, as the report lists them (new objects on each call). */
  toArray(): Transition[] {
    const out: Transition[] = [];
    const n = this.nums;
    const r = this.refs;
    for (let i = 0, j = 0; i < n.length; i += 2, j += 4) {
      out.push({ endpoint: r[j] as Role, from: r[j + 1] as TcpState, to: r[j + 2] as TcpState, frame: n[i]!, ts: n[i + 1]!, cause: r[j + 3]! });
    }
    return out;
  }

  /** Give back spare capacity (a flow that has closed records few transitions more, if any). */
  trim(): void {
    if (this.trimmedAt === this.nums.length) return;
    this.trimmedAt = this.nums.length;
    this.nums = this.nums.slice();
    this.refs = this.refs.slice();
  }
}
