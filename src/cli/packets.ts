/**
 * `tcpscope packets FILE|-`: one line per frame in the spirit of `tcpdump -n -S` (absolute
 * sequence numbers), or NDJSON per ../shared/spec/packet.schema.json. Fragments are printed as
 * they were captured; after the frame that completes a datagram comes one more line (text:
 * prefixed `reassembled:`; NDJSON: `fragment.reassembled: true`) for the rebuilt datagram.
 */
import type { Frame } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { CHECKSUM_NAME, verifyL4Checksum } from '../dissectors/checksum.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { formatTcpdumpLine, toPacketRecord } from '../dissectors/format.js';
import { DecodeStage, PACKET_KIND, StopPipeline, type PacketKind } from '../pipeline/decode-stage.js';
import type { Reassembled } from '../reassembly/ip-defrag.js';
import { EXIT, LineWriter, type CliIo } from './io.js';

export interface PacketsArgs {
  file: string;
  count: number | null;
  format: 'text' | 'ndjson';
  nano: boolean;
  verifyChecksums: boolean;
}

/** Thrown from the sink to stop reading once `-c` packets were printed or stdout closed. */
class StopReading extends StopPipeline {}

export async function runPackets(args: PacketsArgs, io: CliIo): Promise<number> {
  const out = new LineWriter(io.stdout);
  const limit = args.count ?? Infinity;
  let printed = 0;
  const sink = (pkt: DecodedPacket, frame: Frame, kind: PacketKind, r: Reassembled | null): void => {
    if (out.isClosed) throw new StopReading();
    if (kind !== PACKET_KIND.REBUILT) {
      if (printed >= limit) throw new StopReading();
      printed++;
    }
    out.line(args.format === 'ndjson' ? ndjsonLine(pkt, frame, kind, r) : textLine(pkt, frame, kind, args));
  };
  const stage = new DecodeStage(sink, { deliverFragments: true });
  let info = null;
  try {
    info = await readCapture(args.file, stage.onFrame, { afterChunk: () => out.flush(), ...(io.stdin !== undefined ? { stdin: io.stdin } : {}) });
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  await out.flush();
  await out.flush();
  if (info === null) return EXIT.OK;
  for (const e of info.errors) io.err(`tcpscope: ${e.message}`);
  if (info.format === null || (info.packets === 0 && info.errors.length > 0)) return EXIT.USAGE;
  return EXIT.OK;
}

function textLine(pkt: DecodedPacket, frame: Frame, kind: PacketKind, args: PacketsArgs): string {
  const line = formatTcpdumpLine(pkt, frame.tsSec, frame.tsNsec, { nano: args.nano, origLen: kind === PACKET_KIND.REBUILT ? -1 : frame.origLen });
  const ck = args.verifyChecksums ? ` [checksum ${CHECKSUM_NAME[verifyL4Checksum(pkt, (frame.epbFlags & 3) === 2, kind !== PACKET_KIND.REBUILT && frame.caplen < frame.origLen)]}]` : '';
  return kind === PACKET_KIND.REBUILT ? `  reassembled: ${line}${ck}` : `${line}${kind === PACKET_KIND.FRAME ? ck : ''}`;
}

function ndjsonLine(pkt: DecodedPacket, frame: Frame, kind: PacketKind, r: Reassembled | null): string {
  const rec = toPacketRecord(pkt, frame, kind === PACKET_KIND.FRAGMENT && r !== null ? r.lastFrame : -1) as unknown as Record<string, unknown>;
  if (kind === PACKET_KIND.REBUILT && r !== null) {
    rec['caplen'] = r.bytes.length;
    rec['len'] = r.bytes.length;
    rec['fragment'] = { reassembled: true, fragments: r.fragments, firstFrame: r.firstFrame, frames: r.frames };
  }
  return JSON.stringify(rec);
}
