/**
 * One direction of a TLS stream: the record layer (RFC 8446 §5.1, RFC 5246 §6.2.1) and the
 * handshake-message layer above it (messages span records and records carry several messages,
 * RFC 8446 §5.1), fed in stream order by `TlsParser`. Owned by the parser; per call it allocates
 * nothing except the buffer of a ClientHello/ServerHello being reassembled (≤ `maxMessage`).
 *
 * Which records are encrypted: every application_data record, and in TLS ≤ 1.2 every record
 * after this direction's ChangeCipherSpec (RFC 5246 §7.1); in TLS 1.3 a ChangeCipherSpec is only
 * the compatibility no-op (RFC 8446 D.4), and everything protected is an application_data record.
 *
 * Gaps (bytes the capture lacks): inside a record whose header was read, the record boundaries
 * stay known, so parsing goes on (the handshake message or alerts hit are lost and said so);
 * anywhere else the next record header cannot be found for sure, and the direction stops.
 */
import type { Direction } from '../../core/direction.js';
import { CONTENT, MAX_RECORD_LENGTH } from './constants.js';
import type { TlsFindingCode } from './findings.js';
import { HandshakeReader, type HandshakeMessage } from './handshake-reader.js';

export type { HandshakeMessage } from './handshake-reader.js';

/** What a direction tells its parser. */
export interface DirectionHooks {
  /** TLS 1.3 was selected (ServerHello or HelloRetryRequest `supported_versions`). */
  readonly tls13: boolean;
  handshake(dir: Direction, m: HandshakeMessage): void;
  alert(dir: Direction, level: number, description: number, frame: number, ts: number, offset: number): void;
  /**
   * An SSL 2.0-format record at the start of the direction (body without the 2-byte header);
   * returns why this direction cannot go on (null: TLS records follow).
   */
  sslv2(dir: Direction, body: Uint8Array, frame: number, ts: number): string | null;
  finding(code: TlsFindingCode, dir: Direction, frame: number, ts: number, detail: Record<string, unknown>): void;
}

/** Per-direction record counts (report `records.c2s` / `records.s2c`). */
export interface RecordCounts {
  handshake: number;
  changeCipherSpec: number;
  alert: number;
  applicationData: number;
  heartbeat: number;
  /** Handshake / alert records after this direction's ChangeCipherSpec (TLS ≤ 1.2): encrypted. */
  encryptedHandshake: number;
  encryptedAlert: number;
  /** Bytes of application_data records (record lengths; in TLS 1.3 this includes the encrypted handshake). */
  applicationDataBytes: number;
}

const HDR = 0;
const BODY = 1;
const STOPPED = 2;

const BODY_OPAQUE = 0;
const BODY_HANDSHAKE = 1;
const BODY_ALERT = 2;
const BODY_CCS = 3;
const BODY_SSLV2 = 4;

export class TlsDirection {
  readonly counts: RecordCounts = {
    handshake: 0, changeCipherSpec: 0, alert: 0, applicationData: 0, heartbeat: 0,
    encryptedHandshake: 0, encryptedAlert: 0, applicationDataBytes: 0,
  };
  /** The handshake-message layer of this direction. */
  readonly hs: HandshakeReader;
  /** First encrypted record: frame, ts, stream offset (frame -1: none yet). */
  encFrame = -1;
  encTs = 0;
  encOffset = 0;
  /** Why parsing stopped (null: it did not) and the bytes not parsed after that. */
  stopped: { offset: number; reason: string } | null = null;
  unparsedBytes = 0;
  /** Bytes of gaps that fell inside records whose boundaries stayed known. */
  gapBytesInRecords = 0;

  private phase = HDR;
  private afterCcs = false;
  private readonly hdr = new Uint8Array(5);
  private hdrFill = 0;
  private hdrSize = 5;
  private recType = 0;
  private recLeft = 0;
  private recLen = 0;
  private recFrame = 0;
  private recTs = 0;
  private recOffset = 0;
  private bodyMode = BODY_OPAQUE;
  /** Alert/CCS byte pending inside a record (-1: none); the alert record lost bytes to a gap. */
  private pending = -1;
  private recordDamaged = false;
  /** The SSL 2.0 record being buffered. */
  private v2Buf: Uint8Array | null = null;

  constructor(
    readonly dir: Direction,
    private readonly hooks: DirectionHooks,
    maxMessage: number,
    maxListed: number,
  ) {
    this.hs = new HandshakeReader(dir, hooks, maxMessage, maxListed);
  }

  /** In-order bytes at stream `offset`. */
  data(offset: number, buf: Uint8Array, off: number, len: number, frame: number, ts: number): void {
    let i = off;
    const end = off + len;
    while (i < end) {
      if (this.phase === STOPPED) {
        this.unparsedBytes += end - i;
        return;
      }
      const at = offset + (i - off);
      if (this.phase === HDR) {
        if (this.hdrFill === 0) {
          this.recFrame = frame;
          this.recTs = ts;
          this.recOffset = at;
          // RFC 5246 E.2: an SSL 2.0-format record (high bit set) can only start a stream.
          this.hdrSize = at === 0 && (buf[i]! & 0x80) !== 0 ? 2 : 5;
        }
        this.hdr[this.hdrFill++] = buf[i++]!;
        if (this.hdrFill === this.hdrSize) this.startRecord();
        continue;
      }
      const n = Math.min(this.recLeft, end - i);
      this.body(buf, i, n, frame, ts, at);
      i += n;
      this.recLeft -= n;
      if (this.recLeft === 0) this.endRecord();
    }
  }

  private startRecord(): void {
    const h = this.hdr;
    this.hdrFill = 0;
    this.recordDamaged = false;
    this.pending = -1;
    if (this.hdrSize === 2) {
      this.recType = -2;
      this.recLeft = ((h[0]! & 0x7f) << 8) | h[1]!;
      this.recLen = this.recLeft;
      this.bodyMode = BODY_SSLV2;
      this.v2Buf = new Uint8Array(this.recLeft);
      this.phase = BODY;
      if (this.recLeft === 0) this.endRecord();
      return;
    }
    const type = h[0]!;
    const len = (h[3]! << 8) | h[4]!;
    if (type < 20 || type > 24 || h[1] !== 3 || h[2]! > 4) {
      this.stop(this.recOffset, 'not a TLS record header', this.recFrame, this.recTs, {
        bytes: Array.from(h, (b) => b.toString(16).padStart(2, '0')).join(' '),
      });
      return;
    }
    if (len > MAX_RECORD_LENGTH) {
      this.hooks.finding('tls_record_oversize', this.dir, this.recFrame, this.recTs, { offset: this.recOffset, type, length: len, max: MAX_RECORD_LENGTH });
    }
    this.recType = type;
    this.recLeft = len;
    this.recLen = len;
    this.phase = BODY;
    this.classify(type, len);
    if (len === 0) this.endRecord();
  }

  private classify(type: number, len: number): void {
    const c = this.counts;
    // A plaintext alert is exactly 2 bytes (RFC 8446 §5.1 forbids fragmenting or coalescing
    // alerts; no TLS 1.2 stack does either): a longer one carries a MAC or tag, as when a capture
    // starts after the ChangeCipherSpec.
    const encrypted =
      type === CONTENT.APPLICATION_DATA ||
      (this.afterCcs && type !== CONTENT.HEARTBEAT) ||
      (type === CONTENT.ALERT && len !== 2);
    if (encrypted && this.encFrame < 0) {
      this.encFrame = this.recFrame;
      this.encTs = this.recTs;
      this.encOffset = this.recOffset;
    }
    this.bodyMode = BODY_OPAQUE;
    switch (type) {
      case CONTENT.APPLICATION_DATA:
        c.applicationData++;
        c.applicationDataBytes += len;
        return;
      case CONTENT.HEARTBEAT: // RFC 6520: counted, not read
        c.heartbeat++;
        return;
      case CONTENT.HANDSHAKE:
        if (encrypted) c.encryptedHandshake++;
        else c.handshake++;
        if (!encrypted && !this.hs.lost) this.bodyMode = BODY_HANDSHAKE;
        break;
      case CONTENT.ALERT:
        if (encrypted) c.encryptedAlert++;
        else c.alert++;
        if (!encrypted) this.bodyMode = BODY_ALERT;
        break;
      default: // CHANGE_CIPHER_SPEC (startRecord admits 20-24 only)
        c.changeCipherSpec++;
        if (!encrypted) this.bodyMode = BODY_CCS;
        break;
    }
    if (len === 0 && this.bodyMode !== BODY_OPAQUE) {
      this.malformed(this.recOffset, `empty ${type === 22 ? 'handshake' : type === 21 ? 'alert' : 'change_cipher_spec'} record`, this.recFrame, this.recTs);
    }
  }

  private body(buf: Uint8Array, i: number, n: number, frame: number, ts: number, at: number): void {
    switch (this.bodyMode) {
      case BODY_HANDSHAKE:
        this.hs.data(buf, i, n, frame, ts, at);
        return;
      case BODY_ALERT:
        for (let k = 0; k < n; k++) {
          if (this.pending < 0) this.pending = buf[i + k]!;
          else {
            this.hooks.alert(this.dir, this.pending, buf[i + k]!, frame, ts, at + k - 1);
            this.pending = -1;
          }
        }
        return;
      case BODY_CCS: // RFC 5246 §7.1: one byte, value 1
        if (n > 0 && this.pending < 0) this.pending = buf[i]!;
        return;
      case BODY_SSLV2: {
        const into = this.v2Buf!;
        into.set(buf.subarray(i, i + n), into.length - this.recLeft);
        return;
      }
      default: // encrypted or not read
        return;
    }
  }

  private endRecord(): void {
    this.phase = HDR;
    if (this.bodyMode === BODY_CCS) {
      const len = this.recLen;
      if (!this.recordDamaged && (len !== 1 || this.pending !== 1)) {
        this.malformed(this.recOffset, `change_cipher_spec record of ${len} bytes starting ${this.pending}, not the single byte 1`, this.recFrame, this.recTs);
      }
      if (!this.hooks.tls13) this.afterCcs = true;
    } else if (this.bodyMode === BODY_SSLV2) {
      const body = this.v2Buf!;
      this.v2Buf = null;
      const why = this.recordDamaged ? null : this.hooks.sslv2(this.dir, body, this.recFrame, this.recTs);
      if (why !== null) this.stopHere(why);
    }
    this.pending = -1;
  }

  // ---- gaps, end, stop ------------------------------------------------------------------------

  /** `len` bytes at `offset` the capture does not have. */
  gap(offset: number, len: number, frame: number, ts: number): void {
    if (this.phase === STOPPED) {
      this.unparsedBytes += len;
      return;
    }
    if (this.phase === HDR) {
      const where = this.hdrFill === 0 ? 'where a record header was due' : 'inside a record header';
      this.stop(offset, `${len} bytes missing ${where}: record boundaries lost`, frame, ts, { bytes: len }, 'tls_gap');
      this.unparsedBytes += len;
      return;
    }
    if (len > this.recLeft || this.bodyMode === BODY_SSLV2) {
      this.stop(offset, `${len} bytes missing, past the end of the record at offset ${this.recOffset}: record boundaries lost`, frame, ts, { bytes: len }, 'tls_gap');
      this.unparsedBytes += len;
      return;
    }
    this.gapInRecord(offset, len, frame, ts);
    this.recLeft -= len;
    if (this.recLeft === 0) this.endRecord();
  }

  /** `len` bytes at `offset` not given to the parser (see `TlsParser.onSkip`). */
  skip(offset: number, len: number, frame: number, ts: number): void {
    if (this.phase === BODY && len <= this.recLeft && this.bodyMode !== BODY_SSLV2) {
      this.gap(offset, len, frame, ts);
      return;
    }
    this.unparsedBytes += len;
    this.stopHere(`${len} bytes at offset ${offset} were not given to the TLS parser: record boundaries unknown`, offset);
  }

  private gapInRecord(offset: number, len: number, frame: number, ts: number): void {
    this.gapBytesInRecords += len;
    switch (this.bodyMode) {
      case BODY_HANDSHAKE:
        this.hs.gap(offset, len, frame, ts);
        return;
      case BODY_ALERT:
      case BODY_CCS:
        this.recordDamaged = true;
        this.pending = -1;
        this.bodyMode = BODY_OPAQUE;
        this.hooks.finding('tls_gap', this.dir, frame, ts, {
          offset, bytes: len, lost: `the rest of the ${this.recType === CONTENT.ALERT ? 'alert' : 'change_cipher_spec'} record at offset ${this.recOffset}`,
        });
        return;
      default: // encrypted or unread body: nothing lost for the parser
        return;
    }
  }

  /** Bytes held now: a handshake message or an SSL 2.0 record being reassembled. */
  bufferedBytes(): number {
    return this.hs.bufferedBytes() + (this.v2Buf?.length ?? 0);
  }

  /** Where the direction ended mid-record (null: on a record boundary). */
  cutAt(): { offset: number; inside: string } | null {
    if (this.phase === STOPPED) return null;
    if (this.phase === HDR && this.hdrFill === 0) return null;
    const what = this.recType === -2 ? 'SSL 2.0 record' : `record of type ${this.recType}`;
    const inside = this.phase === HDR ? 'record header' : `${what}, ${this.recLeft} of ${this.recLen} bytes missing`;
    return { offset: this.recOffset, inside };
  }

  private stop(offset: number, reason: string, frame: number, ts: number, detail: Record<string, unknown>, code: TlsFindingCode = 'tls_malformed'): void {
    this.phase = STOPPED;
    this.stopped = { offset, reason };
    this.v2Buf = null;
    this.hs.drop();
    this.hooks.finding(code, this.dir, frame, ts, { offset, what: reason, ...detail, stopped: 'the rest of this direction is not parsed' });
  }

  /** Stop parsing this direction on the parser's word (e.g. an SSL 2.0 server). */
  stopHere(reason: string, offset = this.recOffset): void {
    if (this.phase === STOPPED) return;
    this.phase = STOPPED;
    this.stopped = { offset, reason };
    this.v2Buf = null;
    this.hs.drop();
  }

  private malformed(offset: number, what: string, frame: number, ts: number): void {
    this.hooks.finding('tls_malformed', this.dir, frame, ts, { offset, what });
  }
}
