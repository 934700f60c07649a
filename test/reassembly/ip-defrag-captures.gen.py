# Turns the pcaps named below into test/reassembly/ip-defrag-captures.ts (hex literals plus the
# frame tshark -2 says each fragment was reassembled in). See ip-defrag-record.sh.
import struct, subprocess, sys
def read_pcap(path):
    d = open(path,'rb').read()
    magic = struct.unpack('<I', d[:4])[0]
    e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    magic = struct.unpack(e+'I', d[:4])[0]
    ns = magic == 0xa1b23c4d
    lt = struct.unpack(e+'I', d[20:24])[0]
    off = 24; out = []
    while off + 16 <= len(d):
        s, u, cl, ol = struct.unpack(e+'IIII', d[off:off+16]); off += 16
        out.append((s, u if ns else u*1000, d[off:off+cl])); off += cl
    return lt, out
def tshark(path):
    r = subprocess.run(['tshark','-2','-r',path,'-T','fields','-e','frame.number','-e','ip.reassembled_in','-e','ipv6.reassembled.in'], capture_output=True, text=True).stdout
    m = {}
    for line in r.rstrip('\n').split('\n'):
        f = line.split('\t'); v = (f[1] or f[2]).split(',')[0]
        m[int(f[0])] = int(v) if v else 0
    return m
def summ(path):
    r = subprocess.run(['tcpdump','-nr',path,'-tt'], capture_output=True, text=True).stdout.strip().split('\n')
    return r
specs = [
  ('ownV4', '/tmp/defrag-v4.pcap', [1,2,3,4,5,6,10,11,12], 'Recorded here: ping -s 1200 and a 1400-byte TCP write from 10.99.1.1 through a router namespace whose egress MTU is 576 (sender DF off: net.ipv4.ip_no_pmtu_disc=1); captured at the receiver (veth, Ethernet).'),
  ('ownV6', '/tmp/defrag-v6.pcap', [5,6,7,8,9,10,11,12], 'Recorded here: ping -6 -s 3000 and a 2000-byte UDP datagram over a veth pair with MTU 1280 (source fragmentation, RFC 8200 4.5); Ethernet.'),
  ('zeekFragmentedSyn', '/work/shared/captures/zeek__fragmented-syn.pcap', None, 'zeek/zeek testing/btest/Traces/ipv4/fragmented-syn.pcap (BSD-3-Clause): TCP SYN split across two IPv4 fragments.'),
  ('zeekFragmented4', '/work/shared/captures/zeek__fragmented-4.pcap', None, 'zeek/zeek testing/btest/Traces/ipv4/fragmented-4.pcap (BSD-3-Clause): IPv4 fragments with IP ID 0, out of order.'),
  ('ppFragHttpReq', '/work/shared/captures/pcapplusplus__frag_http_req.pcap', None, 'seladb/PcapPlusPlus Tests/Pcap++Test/PcapExamples/frag_http_req.pcap (Unlicense): one HTTP request in 11 IPv4 fragments.'),
  ('suricataFragIpTcp', '/work/shared/captures/suricata-verify__frag-ip-tcp.pcap', None, 'OISF/suricata-verify tests/defrag/bug-6887-defrag-ipv6-tcp/frag-ip-tcp.pcap (MIT): raw IPv6 (linktype 229) fragments of one TCP segment.'),
]
print('/**\n * Real fragmented traffic as hex literals (generated from pcaps by a one-off script; frame\n * numbers are those of the original file). `tsharkReassembledIn` is what `tshark -2 -T fields\n * -e frame.number -e ip.reassembled_in -e ipv6.reassembled.in` printed: the frame each fragment\n * was reassembled in (0 = not a fragment / the completing frame itself).\n */\n')
print('export interface CapturedFrame { no: number; sec: number; nsec: number; hex: string }')
print('export interface Capture { source: string; linkType: number; frames: CapturedFrame[]; tsharkReassembledIn: Record<number, number> }\n')
for name, path, sel, src in specs:
    lt, recs = read_pcap(path); ts = tshark(path); lines = summ(path)
    sel = sel or list(range(1, len(recs)+1))
    print('/** %s */' % src)
    print('export const %s: Capture = {' % name)
    print('  source: %r,' % path.split('/')[-1])
    print('  linkType: %d,' % lt)
    print('  frames: [')
    for n in sel:
        s, ns_, b = recs[n-1]
        print('    // %s' % lines[n-1][:150].replace('*/','* /'))
        h = b.hex()
        chunks = [h[i:i+120] for i in range(0, len(h), 120)]
        print('    { no: %d, sec: %d, nsec: %d, hex:\n      %s },' % (n, s, ns_, ' +\n      '.join("'%s'" % c for c in chunks)))
    print('  ],')
    print('  tsharkReassembledIn: { %s },' % ', '.join('%d: %d' % (n, ts[n]) for n in sel))
    print('};\n')
