/** Shared helpers for the capture-reader tests: run a parser and copy out every frame. */
import { DetectingParser } from '../../src/capture/detect.js';
import { newCaptureInfo, type CaptureInfo, type Frame } from '../../src/capture/frame.js';

/** An owned copy of one frame. */
export interface FrameRec {
  frameNo: number;
  tsSec: number;
  tsNsec: number;
  caplen: number;
  origLen: number;
  linkType: number;
  ifIndex: number;
  fileOffset: number;
  epbFlags: number;
  hasTs: boolean;
  data: Uint8Array;
}

export function copyFrame(f: Frame): FrameRec {
  return {
    frameNo: f.frameNo,
    tsSec: f.tsSec,
    tsNsec: f.tsNsec,
    caplen: f.caplen,
    origLen: f.origLen,
    linkType: f.linkType,
    ifIndex: f.ifIndex,
    fileOffset: f.fileOffset,
    epbFlags: f.epbFlags,
    hasTs: f.hasTs !== false,
    // A real copy: on a Buffer, .slice() would be a view into the reader's reused chunk.
    data: Uint8Array.prototype.slice.call(f.buf, f.off, f.off + f.caplen),
  };
}

/** Parse `bytes` pushed in chunks of `chunk` bytes (default: one push). */
export function parseChunked(bytes: Uint8Array, chunk = bytes.length || 1, source = 'test.pcap'): { info: CaptureInfo; frames: FrameRec[] } {
  const info = newCaptureInfo(source);
  const frames: FrameRec[] = [];
  const p = new DetectingParser(info, (f) => frames.push(copyFrame(f)));
  for (let o = 0; o < bytes.length && !p.stopped; o += chunk) p.push(bytes.subarray(o, o + chunk));
  p.end();
  return { info, frames };
}

/** Error summary for `toEqual`: code, offset, record index. */
export function errs(info: CaptureInfo): { code: string; fileOffset: number; recordIndex: number }[] {
  return info.errors.map((e) => ({ code: e.code, fileOffset: e.fileOffset, recordIndex: e.recordIndex }));
}

/** A compact string of every field and a hash of the bytes (fast to compare across thousands of runs). */
export function fingerprint(frames: FrameRec[]): string {
  return frames
    .map((f) => {
      let h = 2166136261;
      for (let i = 0; i < f.data.length; i++) h = Math.imul(h ^ (f.data[i] as number), 16777619);
      return `${f.frameNo},${f.tsSec},${f.tsNsec},${f.caplen},${f.origLen},${f.linkType},${f.ifIndex},${f.fileOffset},${f.epbFlags},${f.hasTs},${h >>> 0}`;
    })
    .join('\n');
}
