import { describe, expect, test } from 'vitest';
import { consecutivePieces, fragmentDatagram } from '../../src/synth/ip-fragment.js';
import { linkTypeOf } from '../../src/synth/link-layer.js';
import type { LinkSpec } from '../../src/synth/link-layer.js';
import { buildFrame, buildUdp, frameFromIp, IP_PROTO, TCP_FLAG } from '../../src/synth/packet.js';
import type { FrameSpec, IpSpec, TcpSpec } from '../../src/synth/packet.js';
import { PcapWriter } from '../../src/synth/pcap-writer.js';
import { Rng } from '../../src/synth/rng.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tsharkColumns, writeTmp } from './tshark.js';

async function capture(name: string, linkType: number, frames: readonly Uint8Array[]): Promise<string> {
  const w = new PcapWriter({ linkType, nanosecond: true });
  frames.forEach((data, i) => w.writePacket({ tsSec: 1_700_000_000, tsNsec: i * 1000, data }));
  const b = await w.finish();
  return writeTmp(name, b!);
}

const v4: IpSpec = { version: 4, src: '10.0.0.1', dst: '10.0.0.2', id: 0x1234, df: true, ttl: 61 };
const v6: IpSpec = { version: 6, src: '2001:db8::1', dst: '2001:db8::2', hopLimit: 50 };
const tcpAll: TcpSpec = {
  srcPort: 40000, dstPort: 443, seq: 0xfffffff0, ack: 7, flags: TCP_FLAG.SYN | TCP_FLAG.ACK, window: 29200,
  options: [
    { kind: 'mss', value: 1460 }, { kind: 'sack-permitted' }, { kind: 'ts', val: 1000, ecr: 2000 }, { kind: 'nop' },
    { kind: 'ws', shift: 7 }, { kind: 'sack', blocks: [[100, 200]] }, { kind: 'tfo', cookie: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
  ],
};

describe.skipIf(!HAS_TSHARK)(`packet builder vs tshark (${NO_TSHARK_MSG})`, () => {
  test('every link layer decodes to the same IP/TCP fields with good checksums', async () => {
    const links: LinkSpec[] = [
      { kind: 'ethernet' }, { kind: 'ethernet', vlans: [{ id: 100 }] }, { kind: 'ethernet', vlans: [{ id: 10 }, { id: 20, pcp: 5 }] },
      { kind: 'sll', packetType: 4 }, { kind: 'sll2', ifIndex: 3 }, { kind: 'null' }, { kind: 'raw' },
    ];
    for (const link of links) {
      for (const ip of [v4, v6]) {
        const path = await capture(`link-${link.kind}-${ip.version}.pcap`, linkTypeOf(link), [buildFrame({ link, ip, tcp: tcpAll })]);
        const c = tsharkColumns(path, [
          ip.version === 4 ? 'ip.src' : 'ipv6.src', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags',
          'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.sack_perm',
          'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr', 'tcp.options.sack_le', 'tcp.options.tfo.cookie',
          'tcp.checksum.status', 'ip.checksum.status', 'vlan.id',
        ], ['-o', 'tcp.relative_sequence_numbers:FALSE']);
        const row = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v[0]]));
        expect(row[ip.version === 4 ? 'ip.src' : 'ipv6.src']).toBe(ip.src);
        expect(row).toMatchObject({
          'tcp.srcport': '40000', 'tcp.dstport': '443', 'tcp.seq_raw': String(0xfffffff0), 'tcp.ack_raw': '7',
          'tcp.flags': '0x0012', 'tcp.window_size_value': '29200', 'tcp.options.mss_val': '1460',
          'tcp.options.wscale.shift': '7', 'tcp.options.timestamp.tsval': '1000', 'tcp.options.timestamp.tsecr': '2000',
          'tcp.options.sack_le': '100', 'tcp.options.tfo.cookie': '0102030405060708', 'tcp.checksum.status': '1',
          'ip.checksum.status': ip.version === 4 ? '1' : '',
        });
        expect(row['tcp.options.sack_perm']).not.toBe('');
        // tshark names the outer QinQ tag ieee8021ad.id and the inner one vlan.id.
        if (link.kind === 'ethernet') expect(row['vlan.id']).toBe(String(link.vlans?.at(-1)?.id ?? ''));
      }
    }
  });

  test('checksum overrides, IPv4 fields, options, TSO length 0 and malformed options', async () => {
    const base: FrameSpec = { ip: { ...v4, options: Uint8Array.of(1, 1, 1, 0) }, tcp: { srcPort: 1, dstPort: 2, seq: 5, flags: TCP_FLAG.ACK, payload: new Uint8Array(10) } };
    const frames = [
      buildFrame(base),
      buildFrame({ ...base, tcp: { ...base.tcp!, checksum: 'bad' } }),
      buildFrame({ ...base, ip: { ...base.ip, checksum: 'bad' } as IpSpec }),
      buildFrame({ ...base, tcp: { ...base.tcp!, checksum: 'partial' } }),
      buildFrame({ ...base, ip: { ...v4, totalLength: 0 } }),
      buildFrame({ ...base, tcp: { ...base.tcp!, options: [{ kind: 'raw', bytes: Uint8Array.of(2, 1) }, { kind: 'mss', value: 9 }] } }),
      buildFrame({ ip: v4, udp: { srcPort: 53, dstPort: 5353, payload: Uint8Array.of(1, 2, 3) } }),
      buildFrame({ ip: v4, udp: { srcPort: 53, dstPort: 5353, payload: Uint8Array.of(1, 2, 3), checksum: 'bad' } }),
    ];
    const path = await capture('overrides.pcap', 1, frames);
    const c = tsharkColumns(path, ['tcp.checksum.status', 'ip.checksum.status', 'ip.ttl', 'ip.id', 'ip.flags.df', 'ip.hdr_len', 'ip.len', 'udp.checksum.status', '_ws.expert.message']);
    expect(c['tcp.checksum.status']).toEqual(['1', '0', '1', '0', '1', '1', '', '']);
    expect(c['ip.checksum.status']).toEqual(['1', '1', '0', '1', '1', '1', '1', '1']);
    expect(c['ip.hdr_len']!.slice(0, 4)).toEqual(['24', '24', '24', '24']);
    expect(c['ip.id']![0]).toBe('0x1234');
    expect(c['ip.flags.df']![0]).toBe('1');
    // Total length 0 (TSO): tshark substitutes the captured length and still decodes TCP.
    expect((frames[4]![16]! << 8) | frames[4]![17]!).toBe(0);
    expect(c['ip.len']![4]).toBe('50');
    expect(c['_ws.expert.message']![5]).toMatch(/length/i);
    expect(c['udp.checksum.status']!.slice(6)).toEqual(['1', '0']);
  });

  test('IPv6 extension headers', async () => {
    const ip: IpSpec = { ...v6, ext: [{ type: 'hop-by-hop' }, { type: 'routing' }, { type: 'destination', data: Uint8Array.of(0x1e, 1, 0) }] };
    const path = await capture('ext6.pcap', 1, [buildFrame({ ip, tcp: { srcPort: 1, dstPort: 2, seq: 1, flags: TCP_FLAG.SYN } })]);
    const c = tsharkColumns(path, ['ipv6.nxt', 'ipv6.hopopts.nxt', 'ipv6.routing.nxt', 'ipv6.dstopts.nxt', 'tcp.checksum.status', 'tcp.flags.syn']);
    expect(c['tcp.checksum.status']).toEqual(['1']);
    expect(['ipv6.nxt', 'ipv6.hopopts.nxt', 'ipv6.routing.nxt', 'ipv6.dstopts.nxt'].map((k) => c[k]![0])).toEqual(['0', '43', '60', '6']);
    expect(c['tcp.flags.syn']).toEqual(['1']);
  });

  test('IPv4/IPv6 fragments reassemble, out of order and overlapping', async () => {
    const rng = new Rng(7);
    const payload = rng.bytes(3000);
    for (const ip of [v4, v6]) {
      const udp = buildUdp(ip, { srcPort: 9999, dstPort: 7, payload });
      const pieces = consecutivePieces(udp.length, [1232, 1232]);
      const overlap = { offset: 1224, length: 16, data: new Uint8Array(16).fill(0xee) };
      const ipf = { ...ip, ...(ip.version === 4 ? { df: false } : {}) } as IpSpec;
      const key = ip.version === 4 ? 'ip.reassembled_in' : 'ipv6.reassembled.in';
      const conflict = ip.version === 4 ? 'ip.fragment.overlap.conflict' : 'ipv6.fragment.overlap.conflict';
      const fields = [key, 'udp.checksum.status', 'udp.length', conflict];
      // Out of order (last piece first), no overlap: reassembles with a good UDP checksum.
      const clean = fragmentDatagram(ipf, IP_PROTO.UDP, udp, [pieces[2]!, pieces[0]!, pieces[1]!], 0xabc);
      let c = tsharkColumns(await capture(`frag${ip.version}.pcap`, 1, clean.map((p) => frameFromIp({ kind: 'ethernet' }, p))), fields, ['-2']);
      expect(c[key]!.slice(0, 2)).toEqual(['3', '3']);
      expect(c['udp.length']![2]).toBe('3008');
      expect(c['udp.checksum.status']![2]).toBe('1');
      expect(c[conflict]![2]).toBe('');
      // An overlapping piece with different bytes sent before the originals: tshark flags the
      // conflict and keeps the first-received bytes, so the reassembled checksum is bad.
      const dirty = fragmentDatagram(ipf, IP_PROTO.UDP, udp, [pieces[2]!, overlap, pieces[0]!, pieces[1]!], 0xabd);
      c = tsharkColumns(await capture(`frag${ip.version}-overlap.pcap`, 1, dirty.map((p) => frameFromIp({ kind: 'ethernet' }, p))), fields, ['-2']);
      expect(c[key]!.slice(0, 3)).toEqual(['4', '4', '4']);
      expect(c[conflict]![3]).not.toBe('');
      expect(c['udp.checksum.status']![3]).toBe('0');
    }
  });
});

test('fragment pieces cover the datagram', () => {
  expect(consecutivePieces(3008, [1232, 1232])).toEqual([
    { offset: 0, length: 1232 }, { offset: 1232, length: 1232 }, { offset: 2464, length: 544 },
  ]);
});
