/**
 * Typed errors used at the boundaries of tcpscope (file I/O, CLI, limits).
 * Per-packet decoding never throws: it records a `stop` on the decoded packet instead.
 *
 * Every error has a stable `code` (`ERR_*`) that scripts and tests can match on; messages
 * name the position (file, byte offset, record number) so a user can find the fault.
 */

/** Stable error codes. Part of the JSON contract (`captures[].errors[].code`). */
export const ERROR_CODE = {
  /** The file does not start with a pcap, pcapng or gzip magic number. */
  BAD_MAGIC: 'ERR_BAD_MAGIC',
  /** A known capture format we deliberately do not read (e.g. snoop, Kuznetzov pcap). */
  UNSUPPORTED_FORMAT: 'ERR_UNSUPPORTED_FORMAT',
  /** A pcap/pcapng version this reader does not support. */
  UNSUPPORTED_VERSION: 'ERR_UNSUPPORTED_VERSION',
  /** The file ended inside a header, record or block. */
  TRUNCATED_FILE: 'ERR_TRUNCATED_FILE',
  /** A record or block length that is impossible (too big, too small, misaligned, disagreeing). */
  BAD_LENGTH: 'ERR_BAD_LENGTH',
  /** A pcapng block refers to an interface that was never described. */
  BAD_INTERFACE: 'ERR_BAD_INTERFACE',
  /** A malformed pcapng option (length runs past the block, ...). */
  BAD_OPTION: 'ERR_BAD_OPTION',
  /** gzip stream is corrupt. */
  BAD_GZIP: 'ERR_BAD_GZIP',
  /** The file could not be opened or read. */
  IO: 'ERR_IO',
  /** A link type no dissector handles (packets are counted as undecodable). */
  UNKNOWN_LINK_TYPE: 'ERR_UNKNOWN_LINK_TYPE',
  /** Command-line usage error. */
  USAGE: 'ERR_USAGE',
  /** A configured memory/count limit was exceeded. */
  LIMIT: 'ERR_LIMIT',
  /** Live capture is unavailable (cap not installed, no permission, ...). */
  LIVE_UNAVAILABLE: 'ERR_LIVE_UNAVAILABLE',
  /** An unexpected internal failure, caught by the pipeline guard. */
  INTERNAL: 'ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODE)[keyof typeof ERROR_CODE];

/** Base class of every error tcpscope throws on purpose. */
export class TcpscopeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'TcpscopeError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * A fault in a capture file's framing. `fileOffset` is the byte offset (in the
 * decompressed stream) where the faulty header/record/block starts; `recordIndex` is the
 * 1-based number of the record (packet or block) that could not be read.
 */
export class CaptureFormatError extends TcpscopeError {
  readonly source: string;
  readonly fileOffset: number;
  readonly recordIndex: number;
  constructor(code: ErrorCode, source: string, fileOffset: number, recordIndex: number, what: string) {
    super(code, `${source}: at byte offset ${fileOffset}${recordIndex > 0 ? ` (record ${recordIndex})` : ''}: ${what}`);
    this.name = 'CaptureFormatError';
    this.source = source;
    this.fileOffset = fileOffset;
    this.recordIndex = recordIndex;
  }
}

/** A configured limit was exceeded; what was dropped is counted elsewhere. */
export class LimitExceededError extends TcpscopeError {
  readonly limit: string;
  constructor(limit: string, message: string) {
    super(ERROR_CODE.LIMIT, message);
    this.name = 'LimitExceededError';
    this.limit = limit;
  }
}

/** Usage errors (bad flags, missing file). The CLI maps them to exit status 2. */
export class UsageError extends TcpscopeError {
  constructor(message: string) {
    super(ERROR_CODE.USAGE, message);
    this.name = 'UsageError';
  }
}
