/**
 * How a connection ended (report `close`): FIN, RST, both or neither, and who started the
 * teardown. Also decides which close-related anomaly a RST is (`connection_refused`,
 * `connection_reset`, `rst_on_close`, see ../shared/spec/anomalies.md). Owned by one tracker.
 */
import type { Direction } from '../core/direction.js';
import type { Role } from './tcp-state.js';

/** Report `close`. */
export interface CloseSummary {
  kind: 'fin' | 'rst' | 'fin+rst' | 'none';
  by: Role | 'both' | null;
}

const ROLE: readonly [Role, Role] = ['client', 'server'];

/** First FIN / accepted RST per side and the order they came in (plain fields: one object per flow). */
export class CloseFacts {
  /** Frame of the client's / the server's first FIN, or -1. */
  private fin0 = -1;
  private fin1 = -1;
  /** Frame of the client's / the server's first accepted RST, or -1. */
  private rst0 = -1;
  private rst1 = -1;
  /** Side of the first teardown packet (FIN or accepted RST), or -1. */
  private first: Direction | -1 = -1;
  /** Both sides' first FINs crossed: neither acknowledges the other (simultaneous close). */
  private crossed = false;

  /** A FIN from `dir`; `acksPeerFin`: its ACK number covers the peer's FIN. */
  onFin(dir: Direction, frame: number, acksPeerFin: boolean): void {
    if (this.finFrame(dir) >= 0) return;
    if (dir === 0) this.fin0 = frame;
    else this.fin1 = frame;
    const peer = (1 - dir) as Direction;
    if (this.first < 0) this.first = dir;
    else if (this.first === peer && this.finFrame(peer) >= 0 && this.rstFrame(peer) < 0 && !acksPeerFin) this.crossed = true;
  }

  /** Frame of `dir`'s first FIN, or -1. */
  finFrame(dir: Direction): number {
    return dir === 0 ? this.fin0 : this.fin1;
  }

  /** Frame of `dir`'s first accepted RST, or -1. */
  rstFrame(dir: Direction): number {
    return dir === 0 ? this.rst0 : this.rst1;
  }

  /** An accepted RST from `dir`. */
  onRst(dir: Direction, frame: number): void {
    if (this.rstFrame(dir) >= 0) return;
    if (dir === 0) this.rst0 = frame;
    else this.rst1 = frame;
    if (this.first < 0) this.first = dir;
  }

  /** True when either side has sent a FIN. */
  get anyFin(): boolean {
    return this.fin0 >= 0 || this.fin1 >= 0;
  }

  /** True when either side has sent an accepted RST. */
  get anyRst(): boolean {
    return this.rst0 >= 0 || this.rst1 >= 0;
  }

  summary(): CloseSummary {
    const kind = this.anyFin ? (this.anyRst ? 'fin+rst' : 'fin') : this.anyRst ? 'rst' : 'none';
    const first = this.first;
    const by = first === -1 ? null : this.crossed ? 'both' : ROLE[first];
    return { kind, by };
  }
}
