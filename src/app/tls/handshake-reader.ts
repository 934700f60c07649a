/**
 * The handshake-message layer of one TLS direction (RFC 8446 §4, §5.1; RFC 5246 §7.4):
 * messages are reassembled across records and segments, several may share a record. Owned by a
 * `TlsDirection`, fed only plaintext handshake-record bodies. ClientHello/ServerHello bodies are
 * buffered (up to `maxMessage`, else skipped and said so), a TLS ≤ 1.2 Certificate is counted
 * as it streams past, every other message is counted by type and length only.
 */
import type { Direction } from '../../core/direction.js';
import { CertificateCounter, type CertificateFacts } from './certificate.js';
import { handshakeName, HS } from './constants.js';
import type { DirectionHooks } from './direction.js';

/** A complete handshake message. `body` is only valid during the call. */
export interface HandshakeMessage {
  type: number;
  length: number;
  /** The body, when this type is buffered (hellos) and fitted the buffer. */
  body: Uint8Array | null;
  /** TLS ≤ 1.2 Certificate facts. */
  certificate: CertificateFacts | null;
  /** Bytes of the message missing from the capture (the body is then null). */
  lostBytes: number;
  /** The body was larger than the buffer and skipped. */
  tooLarge: boolean;
  frame: number;
  ts: number;
  /** Stream offset of the message header. */
  offset: number;
}

const MSG_SKIP = 0;
const MSG_BUFFER = 1;
const MSG_CERT = 2;

/** Types whose body `TlsParser` reads (the others are counted by type and length only). */
function bufferedType(t: number): boolean {
  return t === HS.CLIENT_HELLO || t === HS.SERVER_HELLO;
}

export class HandshakeReader {
  /** Handshake message types in order (first `maxListed`), and how many more. */
  readonly messages: number[] = [];
  messagesNotListed = 0;
  /** Message boundaries were lost (a gap, an unknown type): later handshake bytes are not read. */
  lost = false;
  private hsAcc = 0;
  private hsFill = 0;
  private msgType = 0;
  private msgLen = 0;
  private msgLeft = 0;
  private msgMode = MSG_SKIP;
  private msgBuf: Uint8Array | null = null;
  private msgCert: CertificateCounter | null = null;
  private msgLost = 0;
  private msgTooLarge = false;
  private msgFrame = 0;
  private msgTs = 0;
  private msgOffset = 0;
  private msgActive = false;

  constructor(
    readonly dir: Direction,
    private readonly hooks: DirectionHooks,
    private readonly maxMessage: number,
    private readonly maxListed: number,
  ) {}

  /** Plaintext handshake-record body bytes `buf[i .. i+n)` at stream offset `at`. */
  data(buf: Uint8Array, i: number, n: number, frame: number, ts: number, at: number): void {
    const end = i + n;
    while (i < end && !this.lost) {
      if (!this.msgActive) {
        if (this.hsFill === 0) {
          this.msgFrame = frame;
          this.msgTs = ts;
          this.msgOffset = at + (n - (end - i));
        }
        this.hsAcc = this.hsFill === 0 ? buf[i]! : this.hsAcc * 256 + buf[i]!;
        i++;
        if (++this.hsFill === 4) this.startMessage();
        continue;
      }
      const k = Math.min(this.msgLeft, end - i);
      if (this.msgMode === MSG_BUFFER) this.msgBuf!.set(buf.subarray(i, i + k), this.msgLen - this.msgLeft);
      else if (this.msgMode === MSG_CERT) this.msgCert!.push(buf, i, k);
      i += k;
      this.msgLeft -= k;
      if (this.msgLeft === 0) this.endMessage();
    }
  }

  private startMessage(): void {
    this.hsFill = 0;
    this.msgType = Math.floor(this.hsAcc / 0x1000000);
    this.msgLen = this.hsAcc % 0x1000000;
    this.msgLeft = this.msgLen;
    this.msgLost = 0;
    this.msgTooLarge = false;
    this.msgActive = true;
    this.msgMode = MSG_SKIP;
    if (handshakeName(this.msgType).startsWith('unknown')) {
      // Not a handshake type: the bytes are not what they claim (or encrypted after an unseen
      // ChangeCipherSpec); its length cannot be trusted, so message boundaries are lost.
      this.hooks.finding('tls_malformed', this.dir, this.msgFrame, this.msgTs, {
        offset: this.msgOffset,
        what: `unknown handshake message type ${this.msgType} (length ${this.msgLen}): later handshake messages in this direction are not parsed`,
      });
      this.lost = true;
      this.msgActive = false;
      return;
    }
    if (bufferedType(this.msgType)) {
      if (this.msgLen <= this.maxMessage) {
        this.msgMode = MSG_BUFFER;
        this.msgBuf = new Uint8Array(this.msgLen);
      } else {
        this.msgTooLarge = true;
        this.hooks.finding('tls_limit', this.dir, this.msgFrame, this.msgTs, {
          offset: this.msgOffset, message: handshakeName(this.msgType), length: this.msgLen, limit: this.maxMessage,
          skipped: 'the message body (its type and length are kept)',
        });
      }
    } else if (this.msgType === HS.CERTIFICATE && !this.hooks.tls13) {
      this.msgMode = MSG_CERT;
      this.msgCert = new CertificateCounter();
    }
    if (this.msgLen === 0) this.endMessage();
  }

  private endMessage(): void {
    this.msgActive = false;
    if (this.messages.length < this.maxListed) this.messages.push(this.msgType);
    else this.messagesNotListed++;
    const lost = this.msgLost > 0;
    this.hooks.handshake(this.dir, {
      type: this.msgType,
      length: this.msgLen,
      body: this.msgMode === MSG_BUFFER && !lost ? this.msgBuf : null,
      certificate: this.msgMode === MSG_CERT && !lost ? this.msgCert!.finish(this.msgLen) : null,
      lostBytes: this.msgLost,
      tooLarge: this.msgTooLarge,
      frame: this.msgFrame,
      ts: this.msgTs,
      offset: this.msgOffset,
    });
    this.msgBuf = null;
    this.msgCert = null;
  }

  /** `len` bytes at `offset` missing inside the current handshake record. */
  gap(offset: number, len: number, frame: number, ts: number): void {
    if (this.msgActive && this.hsFill === 0 && len <= this.msgLeft) {
      if (this.msgLost === 0) {
        this.hooks.finding('tls_gap', this.dir, frame, ts, {
          offset, bytes: len, lost: `part of the ${handshakeName(this.msgType)} message at offset ${this.msgOffset} (not parsed; message boundaries kept)`,
        });
      }
      this.msgLost += len;
      this.msgLeft -= len;
      if (this.msgLeft === 0) this.endMessage();
    } else if (!this.lost) {
      this.lost = true;
      this.msgActive = false;
      this.hsFill = 0;
      this.hooks.finding('tls_gap', this.dir, frame, ts, {
        offset, bytes: len, lost: 'handshake message boundaries: later handshake messages in this direction are not parsed (records still counted)',
      });
    }
  }

  /** Bytes held for the message being reassembled (≤ `maxMessage`). */
  bufferedBytes(): number {
    return this.msgBuf?.length ?? 0;
  }

  /** Forget a message in progress (the direction stopped). */
  drop(): void {
    this.msgBuf = null;
    this.msgCert = null;
    this.msgActive = false;
  }
}
