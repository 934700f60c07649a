/**
 * Public entry point of the scripted TCP capture builder. A script is plain code:
 *
 * ```ts
 * const cap = new SynthCapture({ seed: 7, vantage: 'client' });
 * const c = cap.connection({ client: { isn: 0xffffff00 } });
 * handshake(c);
 * transfer(c, CLIENT, 20_000, { lose: [{ offset: 2920 }] });   // fast retransmission
 * transfer(c, SERVER, 5_000, { readStallNs: 1e9, reorder: [{ offset: 0, delayNs: 3e6 }] });
 * fin(c, CLIENT, { peerFin: true });
 * const { bytes, truth } = await cap.write('pcapng');
 * ```
 * Every operation appends frames and their truth (`truth.ts`); randomness (ISNs, payload,
 * IP ids, TSval bases) comes from the capture's seeded `Rng`.
 */
export { SynthCapture } from './synth-capture.js';
export type { ConnectionOptions, SynthCaptureOptions, SynthFormat } from './synth-capture.js';
export { TcpConnection } from './tcp-conn.js';
export type { EndpointOptions, SegOut, Side } from './tcp-conn.js';
export { ack, fin, handshake, keepAlive, midstream, rst, segment, simultaneousClose } from './tcp-ops.js';
export type { HandshakeOptions, RawSegment } from './tcp-ops.js';
export { transfer } from './tcp-transfer.js';
export type { TransferOptions } from './tcp-transfer.js';
export type { CaptureTruth, ConnectionTruth, FrameKind, RetransmitReason, StreamTruth, TruthFrame } from './truth.js';

/** Side index of the client (connection initiator). */
export const CLIENT = 0 as const;
/** Side index of the server. */
export const SERVER = 1 as const;
