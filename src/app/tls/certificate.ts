/**
 * The TLS ≤ 1.2 Certificate message (RFC 5246 §7.4.2: `certificate_list<0..2^24-1>` of
 * `ASN.1Cert<1..2^24-1>`), counted as its bytes stream past: the number of certificates and
 * their sizes, without buffering them (a chain of any size costs a few numbers). Owned by one
 * direction's handshake reader; `push` is fed the message body in order, `finish` once at its end.
 */

/** Certificate sizes kept (the count covers all). */
export const MAX_CERT_SIZES = 10;

export interface CertificateFacts {
  count: number;
  /** DER sizes in bytes, first `MAX_CERT_SIZES`. */
  sizes: number[];
  /** Sum of the certificates' sizes. */
  bytes: number;
  /** What was wrong with the message's lengths, or null. */
  error: string | null;
}

const LIST_LEN = 0;
const CERT_LEN = 1;
const CERT_BODY = 2;
const DONE = 3;

export class CertificateCounter {
  private phase = LIST_LEN;
  private acc = 0;
  private accBytes = 0;
  private left = 0;
  /** Bytes of the certificate_list still to come. */
  private listLeft = 0;
  private listLen = -1;
  private readonly facts: CertificateFacts = { count: 0, sizes: [], bytes: 0, error: null };

  push(buf: Uint8Array, off: number, len: number): void {
    let i = off;
    const end = off + len;
    while (i < end && this.phase !== DONE) {
      if (this.phase === CERT_BODY) {
        const n = Math.min(this.left, end - i);
        i += n;
        this.left -= n;
        if (this.left === 0) this.phase = this.listLeft === 0 ? DONE : CERT_LEN;
        continue;
      }
      this.acc = (this.acc << 8) | buf[i++]!;
      if (++this.accBytes < 3) continue;
      const v = this.acc;
      this.acc = 0;
      this.accBytes = 0;
      if (this.phase === LIST_LEN) {
        this.listLeft = v;
        this.listLen = v;
        this.phase = v === 0 ? DONE : CERT_LEN;
      } else this.certificate(v);
    }
  }

  private certificate(size: number): void {
    const f = this.facts;
    if (size + 3 > this.listLeft) {
      f.error ??= `certificate ${f.count + 1} length ${size} exceeds the ${this.listLeft - 3} bytes left in certificate_list`;
      this.phase = DONE;
      return;
    }
    this.listLeft -= size + 3;
    f.count++;
    f.bytes += size;
    if (f.sizes.length < MAX_CERT_SIZES) f.sizes.push(size);
    this.left = size;
    this.phase = size === 0 ? (this.listLeft === 0 ? DONE : CERT_LEN) : CERT_BODY;
  }

  /** The facts after the whole message body (`bodyLength` bytes) was pushed; `error` says what did not add up. */
  finish(bodyLength: number): CertificateFacts {
    const f = this.facts;
    if (f.error !== null) return f;
    if (this.phase !== DONE) f.error = `message (${bodyLength} bytes) ends inside the certificate_list`;
    else if (this.listLen + 3 !== bodyLength) f.error = `certificate_list length ${this.listLen} + 3 differs from the message length ${bodyLength}`;
    return f;
  }
}
