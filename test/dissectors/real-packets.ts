// GENERATED from real captures (see each case's source); do not edit by hand.
// Each packet keeps tcpdump 4.99.3 `-n -S -vv -XX` text above its bytes; `line` is the exact
// `tcpdump -n -S -r` line (TZ=UTC); `tshark` is tshark 4.x's checksum verdict (ip, tcp/udp).
import { hex } from '../helpers/hex.js';

export interface RealPacket {
  readonly name: string;
  readonly source: string;
  readonly linkType: number;
  readonly origLen: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly line: string;
  readonly tshark: { readonly ip: string; readonly l4: string };
  readonly bytes: Uint8Array;
}

export const REAL_PACKETS: readonly RealPacket[] = [
  {
    name: "lo ipv4 SYN",
    source: "captured here: curl to python http.server on 127.0.0.1 (tcpdump -i lo)",
    linkType: 1,
    origLen: 74,
    tsSec: 1795345854,
    tsNsec: 393980000,
    line: "11:10:54.393980 IP 127.0.0.1.40586 > 127.0.0.1.8000: Flags [S], seq 1903829839, win 65495, options [mss 65495,sackOK,TS val 3039518013 ecr 0,nop,wscale 10], length 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.393980 IP (tos 0x0, ttl 64, id 57444, offset 0, flags [DF], proto TCP (6), length 60)
      # 127.0.0.1.40586 > 127.0.0.1.8000: Flags [S], cksum 0xfe30 (incorrect -> 0xeb01), seq 1903829839, win 65495, options [mss 65495,sackOK,TS val 3039518013 ecr 0,nop,wscale 10], length 0
      0000 0000 0000 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      003c e064 4000 4006 5c55 7f00 0001 7f00   # 0x0010  .<.d@.@..U......
      0001 9e8a 1f40 717a 234f 0000 0000 a002   # 0x0020  .....@qz#O......
      ffd7 fe30 0000 0204 ffd7 0402 080a b52b   # 0x0030  ...0...........+
      5d3d 0000 0000 0103 030a                  # 0x0040  ]=........
    `,
  },
  {
    name: "lo ipv4 data (checksum offload partial sum)",
    source: "captured here on lo",
    linkType: 1,
    origLen: 144,
    tsSec: 1795345854,
    tsNsec: 394057000,
    line: "11:10:54.394057 IP 127.0.0.1.40586 > 127.0.0.1.8000: Flags [P.], seq 1903829840:1903829918, ack 2642725921, win 64, options [nop,nop,TS val 3039518013 ecr 985919618], length 78",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.394057 IP (tos 0x0, ttl 64, id 57446, offset 0, flags [DF], proto TCP (6), length 130)
      # 127.0.0.1.40586 > 127.0.0.1.8000: Flags [P.], cksum 0xfe76 (incorrect -> 0x01d9), seq 1903829840:1903829918, ack 2642725921, win 64, options [nop,nop,TS val 3039518013 ecr 985919618], length 78
      0000 0000 0000 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      0082 e066 4000 4006 5c0d 7f00 0001 7f00   # 0x0010  ...f@.@.........
      0001 9e8a 1f40 717a 2350 9d84 cc21 8018   # 0x0020  .....@qz#P...!..
      0040 fe76 0000 0101 080a b52b 5d3d 3ac3   # 0x0030  .@.v.......+]=:.
      f082 4745 5420 2f20 4854 5450 2f31 2e31   # 0x0040  ..GET / HTTP/1.1
      0d0a 486f 7374 3a20 3132 372e 302e 302e   # 0x0050  ..Host: 127.0.0.
      313a 3830 3030 0d0a 5573 6572 2d41 6765   # 0x0060  1:8000..User-Age
      6e74 3a20 6375 726c 2f37 2e38 382e 310d   # 0x0070  nt: curl/7.88.1.
      0a41 6363 6570 743a 202a 2f2a 0d0a 0d0a   # 0x0080  .Accept: */*....
    `,
  },
  {
    name: "lo ipv6 SYN",
    source: "captured here on lo, [::1]",
    linkType: 1,
    origLen: 94,
    tsSec: 1795345854,
    tsNsec: 404091000,
    line: "11:10:54.404091 IP6 ::1.46890 > ::1.8000: Flags [S], seq 963023809, win 65476, options [mss 65476,sackOK,TS val 3930607191 ecr 0,nop,wscale 10], length 0",
    tshark: { ip: 'none', l4: 'bad' },
    bytes: hex`
      # 11:10:54.404091 IP6 (flowlabel 0xbe52a, hlim 64, next-header TCP (6) payload length: 40) ::1.46890 > ::1.8000: Flags [S], cksum 0x0030 (incorrect -> 0x71f3), seq 963023809, win 65476, options [mss 65476,sackOK,TS val 3930607191 ecr 0,nop,wscale 10], length 0
      0000 0000 0000 0000 0000 0000 86dd 600b   # 0x0000  ................
      e52a 0028 0640 0000 0000 0000 0000 0000   # 0x0010  .*.(.@..........
      0000 0000 0001 0000 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0001 b72a 1f40 3966 93c1 0000   # 0x0030  .......*.@9f....
      0000 a002 ffc4 0030 0000 0204 ffc4 0402   # 0x0040  .......0........
      080a ea48 4e57 0000 0000 0103 030a        # 0x0050  ...HNW........
    `,
  },
  {
    name: "lo ipv6 data",
    source: "captured here on lo, [::1]",
    linkType: 1,
    origLen: 160,
    tsSec: 1795345854,
    tsNsec: 404185000,
    line: "11:10:54.404185 IP6 ::1.46890 > ::1.8000: Flags [P.], seq 963023810:963023884, ack 1781410285, win 64, options [nop,nop,TS val 3930607191 ecr 2095383877], length 74",
    tshark: { ip: 'none', l4: 'bad' },
    bytes: hex`
      # 11:10:54.404185 IP6 (flowlabel 0xbe52a, hlim 64, next-header TCP (6) payload length: 106) ::1.46890 > ::1.8000: Flags [P.], cksum 0x0072 (incorrect -> 0x0ea0), seq 963023810:963023884, ack 1781410285, win 64, options [nop,nop,TS val 3930607191 ecr 2095383877], length 74
      0000 0000 0000 0000 0000 0000 86dd 600b   # 0x0000  ................
      e52a 006a 0640 0000 0000 0000 0000 0000   # 0x0010  .*.j.@..........
      0000 0000 0001 0000 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0001 b72a 1f40 3966 93c2 6a2e   # 0x0030  .......*.@9f..j.
      29ed 8018 0040 0072 0000 0101 080a ea48   # 0x0040  )....@.r.......H
      4e57 7ce5 0545 4745 5420 2f20 4854 5450   # 0x0050  NW|..EGET / HTTP
      2f31 2e31 0d0a 486f 7374 3a20 5b3a 3a31   # 0x0060  /1.1..Host: [::1
      5d3a 3830 3030 0d0a 5573 6572 2d41 6765   # 0x0070  ]:8000..User-Age
      6e74 3a20 6375 726c 2f37 2e38 382e 310d   # 0x0080  nt: curl/7.88.1.
      0a41 6363 6570 743a 202a 2f2a 0d0a 0d0a   # 0x0090  .Accept: */*....
    `,
  },
  {
    name: "lo icmp echo request",
    source: "captured here: ping 127.0.0.1",
    linkType: 1,
    origLen: 98,
    tsSec: 1795345854,
    tsNsec: 408157000,
    line: "11:10:54.408157 IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 17279, seq 1, length 64",
    tshark: { ip: 'good', l4: 'none' },
    bytes: hex`
      # 11:10:54.408157 IP (tos 0x0, ttl 64, id 2266, offset 0, flags [DF], proto ICMP (1), length 84)
      # 127.0.0.1 > 127.0.0.1: ICMP echo request, id 17279, seq 1, length 64
      0000 0000 0000 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      0054 08da 4000 4001 33cd 7f00 0001 7f00   # 0x0010  .T..@.@.3.......
      0001 0800 df39 437f 0001 becd 026b 0000   # 0x0020  .....9C......k..
      0000 4f3a 0600 0000 0000 1011 1213 1415   # 0x0030  ..O:............
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0040  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0050  &'()*+,-./012345
      3637                                      # 0x0060  67
    `,
  },
  {
    name: "lo icmpv6 echo request",
    source: "captured here: ping -6 ::1",
    linkType: 1,
    origLen: 118,
    tsSec: 1795345854,
    tsNsec: 409885000,
    line: "11:10:54.409885 IP6 ::1 > ::1: ICMP6, echo request, id 17280, seq 1, length 64",
    tshark: { ip: 'none', l4: 'none' },
    bytes: hex`
      # 11:10:54.409885 IP6 (flowlabel 0x2d2d7, hlim 64, next-header ICMPv6 (58) payload length: 64) ::1 > ::1: [icmp6 sum ok] ICMP6, echo request, id 17280, seq 1
      0000 0000 0000 0000 0000 0000 86dd 6002   # 0x0000  ................
      d2d7 0040 3a40 0000 0000 0000 0000 0000   # 0x0010  ...@:@..........
      0000 0000 0001 0000 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0001 8000 aeb5 4380 0001 becd   # 0x0030  ..........C.....
      026b 0000 0000 0741 0600 0000 0000 1011   # 0x0040  .k.....A........
      1213 1415 1617 1819 1a1b 1c1d 1e1f 2021   # 0x0050  .............. !
      2223 2425 2627 2829 2a2b 2c2d 2e2f 3031   # 0x0060  "#$%&'()*+,-./01
      3233 3435 3637                            # 0x0070  234567
    `,
  },
  {
    name: "lo udp",
    source: "captured here: python UDP sendto 127.0.0.1:9999",
    linkType: 1,
    origLen: 47,
    tsSec: 1795345854,
    tsNsec: 530588000,
    line: "11:10:54.530588 IP 127.0.0.1.45521 > 127.0.0.1.9999: UDP, length 5",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.530588 IP (tos 0x0, ttl 64, id 53058, offset 0, flags [DF], proto UDP (17), length 33)
      # 127.0.0.1.45521 > 127.0.0.1.9999: [bad udp cksum 0xfe20 -> 0xe51e!] UDP, length 5
      0000 0000 0000 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      0021 cf42 4000 4011 6d87 7f00 0001 7f00   # 0x0010  .!.B@.@.m.......
      0001 b1d1 270f 000d fe20 6865 6c6c 6f     # 0x0020  ....'.... hello
    `,
  },
  {
    name: "lo icmp port unreachable",
    source: "captured here: reply to the UDP datagram",
    linkType: 1,
    origLen: 75,
    tsSec: 1795345854,
    tsNsec: 530600000,
    line: "11:10:54.530600 IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9999 unreachable, length 41",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.530600 IP (tos 0xc0, ttl 64, id 2274, offset 0, flags [none], proto ICMP (1), length 61)
      # 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9999 unreachable, length 41
      # IP (tos 0x0, ttl 64, id 53058, offset 0, flags [DF], proto UDP (17), length 33)
      # 127.0.0.1.45521 > 127.0.0.1.9999: [bad udp cksum 0xfe20 -> 0xe51e!] UDP, length 5
      0000 0000 0000 0000 0000 0000 0800 45c0   # 0x0000  ..............E.
      003d 08e2 0000 4001 731c 7f00 0001 7f00   # 0x0010  .=....@.s.......
      0001 0303 e21b 0000 0000 4500 0021 cf42   # 0x0020  ..........E..!.B
      4000 4011 6d87 7f00 0001 7f00 0001 b1d1   # 0x0030  @.@.m...........
      270f 000d fe20 6865 6c6c 6f               # 0x0040  '.... hello
    `,
  },
  {
    name: "sll2 ipv4 SYN",
    source: "captured here: tcpdump -i any -y LINUX_SLL2",
    linkType: 276,
    origLen: 80,
    tsSec: 1795345854,
    tsNsec: 393980000,
    line: "11:10:54.393980 lo    In  IP 127.0.0.1.40586 > 127.0.0.1.8000: Flags [S], seq 1903829839, win 65495, options [mss 65495,sackOK,TS val 3039518013 ecr 0,nop,wscale 10], length 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.393980 lo    In  IP (tos 0x0, ttl 64, id 57444, offset 0, flags [DF], proto TCP (6), length 60)
      # 127.0.0.1.40586 > 127.0.0.1.8000: Flags [S], cksum 0xfe30 (incorrect -> 0xeb01), seq 1903829839, win 65495, options [mss 65495,sackOK,TS val 3039518013 ecr 0,nop,wscale 10], length 0
      0800 0000 0000 0001 0304 0006 0000 0000   # 0x0000  ................
      0000 0000 4500 003c e064 4000 4006 5c55   # 0x0010  ....E..<.d@.@..U
      7f00 0001 7f00 0001 9e8a 1f40 717a 234f   # 0x0020  ...........@qz#O
      0000 0000 a002 ffd7 fe30 0000 0204 ffd7   # 0x0030  .........0......
      0402 080a b52b 5d3d 0000 0000 0103 030a   # 0x0040  .....+]=........
    `,
  },
  {
    name: "sll2 ipv6 data",
    source: "captured here: tcpdump -i any -y LINUX_SLL2",
    linkType: 276,
    origLen: 166,
    tsSec: 1795345854,
    tsNsec: 404184000,
    line: "11:10:54.404184 lo    In  IP6 ::1.46890 > ::1.8000: Flags [P.], seq 963023810:963023884, ack 1781410285, win 64, options [nop,nop,TS val 3930607191 ecr 2095383877], length 74",
    tshark: { ip: 'none', l4: 'bad' },
    bytes: hex`
      # 11:10:54.404184 lo    In  IP6 (flowlabel 0xbe52a, hlim 64, next-header TCP (6) payload length: 106) ::1.46890 > ::1.8000: Flags [P.], cksum 0x0072 (incorrect -> 0x0ea0), seq 963023810:963023884, ack 1781410285, win 64, options [nop,nop,TS val 3930607191 ecr 2095383877], length 74
      86dd 0000 0000 0001 0304 0006 0000 0000   # 0x0000  ................
      0000 0000 600b e52a 006a 0640 0000 0000   # 0x0010  .......*.j.@....
      0000 0000 0000 0000 0000 0001 0000 0000   # 0x0020  ................
      0000 0000 0000 0000 0000 0001 b72a 1f40   # 0x0030  .............*.@
      3966 93c2 6a2e 29ed 8018 0040 0072 0000   # 0x0040  9f..j.)....@.r..
      0101 080a ea48 4e57 7ce5 0545 4745 5420   # 0x0050  .....HNW|..EGET 
      2f20 4854 5450 2f31 2e31 0d0a 486f 7374   # 0x0060  / HTTP/1.1..Host
      3a20 5b3a 3a31 5d3a 3830 3030 0d0a 5573   # 0x0070  : [::1]:8000..Us
      6572 2d41 6765 6e74 3a20 6375 726c 2f37   # 0x0080  er-Agent: curl/7
      2e38 382e 310d 0a41 6363 6570 743a 202a   # 0x0090  .88.1..Accept: *
      2f2a 0d0a 0d0a                            # 0x00a0  /*....
    `,
  },
  {
    name: "sll ipv4 SYN-ACK",
    source: "captured here: tcpdump -i any -y LINUX_SLL",
    linkType: 113,
    origLen: 76,
    tsSec: 1795345854,
    tsNsec: 393993000,
    line: "11:10:54.393993 IP 127.0.0.1.8000 > 127.0.0.1.40586: Flags [S.], seq 2642725920, ack 1903829840, win 65483, options [mss 65495,sackOK,TS val 985919618 ecr 3039518013,nop,wscale 10], length 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 11:10:54.393993 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
      # 127.0.0.1.8000 > 127.0.0.1.40586: Flags [S.], cksum 0xfe30 (incorrect -> 0x5611), seq 2642725920, ack 1903829840, win 65483, options [mss 65495,sackOK,TS val 985919618 ecr 3039518013,nop,wscale 10], length 0
      0000 0304 0006 0000 0000 0000 0000 0800   # 0x0000  ................
      4500 003c 0000 4000 4006 3cba 7f00 0001   # 0x0010  E..<..@.@.<.....
      7f00 0001 1f40 9e8a 9d84 cc20 717a 2350   # 0x0020  .....@..... qz#P
      a012 ffcb fe30 0000 0204 ffd7 0402 080a   # 0x0030  .....0..........
      3ac3 f082 b52b 5d3d 0103 030a             # 0x0040  :....+]=....
    `,
  },
  {
    name: "veth ipv4 SYN",
    source: "captured here: veth pair, tx checksum offload off",
    linkType: 1,
    origLen: 74,
    tsSec: 1795345859,
    tsNsec: 123158000,
    line: "11:10:59.123158 IP 10.99.0.1.39738 > 10.99.0.2.8000: Flags [S], seq 1438556321, win 64240, options [mss 1460,sackOK,TS val 3343110100 ecr 0,nop,wscale 10], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:10:59.123158 IP (tos 0x0, ttl 64, id 8148, offset 0, flags [DF], proto TCP (6), length 60)
      # 10.99.0.1.39738 > 10.99.0.2.8000: Flags [S], cksum 0xf050 (correct), seq 1438556321, win 64240, options [mss 1460,sackOK,TS val 3343110100 ecr 0,nop,wscale 10], length 0
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      003c 1fd4 4000 4006 0620 0a63 0001 0a63   # 0x0010  .<..@.@.. .c...c
      0002 9b3a 1f40 55be a0a1 0000 0000 a002   # 0x0020  ...:.@U.........
      faf0 f050 0000 0204 05b4 0402 080a c743   # 0x0030  ...P...........C
      cfd4 0000 0000 0103 030a                  # 0x0040  ..........
    `,
  },
  {
    name: "veth ipv4 ACK (Ethernet padding)",
    source: "captured here: veth",
    linkType: 1,
    origLen: 66,
    tsSec: 1795345859,
    tsNsec: 123201000,
    line: "11:10:59.123201 IP 10.99.0.1.39738 > 10.99.0.2.8000: Flags [.], ack 2157918762, win 63, options [nop,nop,TS val 3343110100 ecr 3638847359], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:10:59.123201 IP (tos 0x0, ttl 64, id 8149, offset 0, flags [DF], proto TCP (6), length 52)
      # 10.99.0.1.39738 > 10.99.0.2.8000: Flags [.], cksum 0x1e94 (correct), seq 1438556322, ack 2157918762, win 63, options [nop,nop,TS val 3343110100 ecr 3638847359], length 0
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      0034 1fd5 4000 4006 0627 0a63 0001 0a63   # 0x0010  .4..@.@..'.c...c
      0002 9b3a 1f40 55be a0a2 809f 3a2a 8010   # 0x0020  ...:.@U.....:*..
      003f 1e94 0000 0101 080a c743 cfd4 d8e4   # 0x0030  .?.........C....
      677f                                      # 0x0040  g.
    `,
  },
  {
    name: "veth ipv4 data",
    source: "captured here: veth",
    linkType: 1,
    origLen: 144,
    tsSec: 1795345859,
    tsNsec: 123582000,
    line: "11:10:59.123582 IP 10.99.0.1.39738 > 10.99.0.2.8000: Flags [P.], seq 1438556322:1438556400, ack 2157918762, win 63, options [nop,nop,TS val 3343110101 ecr 3638847359], length 78",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:10:59.123582 IP (tos 0x0, ttl 64, id 8150, offset 0, flags [DF], proto TCP (6), length 130)
      # 10.99.0.1.39738 > 10.99.0.2.8000: Flags [P.], cksum 0xa0d2 (correct), seq 1438556322:1438556400, ack 2157918762, win 63, options [nop,nop,TS val 3343110101 ecr 3638847359], length 78
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      0082 1fd6 4000 4006 05d8 0a63 0001 0a63   # 0x0010  ....@.@....c...c
      0002 9b3a 1f40 55be a0a2 809f 3a2a 8018   # 0x0020  ...:.@U.....:*..
      003f a0d2 0000 0101 080a c743 cfd5 d8e4   # 0x0030  .?.........C....
      677f 4745 5420 2f20 4854 5450 2f31 2e31   # 0x0040  g.GET / HTTP/1.1
      0d0a 486f 7374 3a20 3130 2e39 392e 302e   # 0x0050  ..Host: 10.99.0.
      323a 3830 3030 0d0a 5573 6572 2d41 6765   # 0x0060  2:8000..User-Age
      6e74 3a20 6375 726c 2f37 2e38 382e 310d   # 0x0070  nt: curl/7.88.1.
      0a41 6363 6570 743a 202a 2f2a 0d0a 0d0a   # 0x0080  .Accept: */*....
    `,
  },
  {
    name: "veth ipv6 SYN",
    source: "captured here: veth",
    linkType: 1,
    origLen: 94,
    tsSec: 1795345859,
    tsNsec: 132690000,
    line: "11:10:59.132690 IP6 fd99::1.55628 > fd99::2.8000: Flags [S], seq 4196100963, win 64800, options [mss 1440,sackOK,TS val 1384730326 ecr 0,nop,wscale 10], length 0",
    tshark: { ip: 'none', l4: 'good' },
    bytes: hex`
      # 11:10:59.132690 IP6 (flowlabel 0x3f398, hlim 64, next-header TCP (6) payload length: 40) fd99::1.55628 > fd99::2.8000: Flags [S], cksum 0x504e (correct), seq 4196100963, win 64800, options [mss 1440,sackOK,TS val 1384730326 ecr 0,nop,wscale 10], length 0
      eec4 363d 75b8 b63d 1766 33fa 86dd 6003   # 0x0000  ..6=u..=.f3.....
      f398 0028 0640 fd99 0000 0000 0000 0000   # 0x0010  ...(.@..........
      0000 0000 0001 fd99 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0002 d94c 1f40 fa1b 6b63 0000   # 0x0030  .......L.@..kc..
      0000 a002 fd20 504e 0000 0204 05a0 0402   # 0x0040  ..... PN........
      080a 5289 4ed6 0000 0000 0103 030a        # 0x0050  ..R.N.........
    `,
  },
  {
    name: "veth ipv6 hop-by-hop MLDv2",
    source: "captured here: veth",
    linkType: 1,
    origLen: 110,
    tsSec: 1795345857,
    tsNsec: 757535000,
    line: "11:10:57.757535 IP6 fe80::b43d:17ff:fe66:33fa > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
    tshark: { ip: 'none', l4: 'none' },
    bytes: hex`
      # 11:10:57.757535 IP6 (hlim 1, next-header Options (0) payload length: 56) fe80::b43d:17ff:fe66:33fa > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 2 group record(s) [gaddr ff02::1:ff66:33fa to_ex { }] [gaddr ff02::1:ff00:1 to_ex { }]
      3333 0000 0016 b63d 1766 33fa 86dd 6000   # 0x0000  33.....=.f3.....
      0000 0038 0001 fe80 0000 0000 0000 b43d   # 0x0010  ...8...........=
      17ff fe66 33fa ff02 0000 0000 0000 0000   # 0x0020  ...f3...........
      0000 0000 0016 3a00 0502 0000 0100 8f00   # 0x0030  ......:.........
      3bf0 0000 0002 0400 0000 ff02 0000 0000   # 0x0040  ;...............
      0000 0000 0001 ff66 33fa 0400 0000 ff02   # 0x0050  .......f3.......
      0000 0000 0000 0000 0001 ff00 0001        # 0x0060  ..............
    `,
  },
  {
    name: "veth ipv4 first fragment (icmp)",
    source: "captured here: ping -s 3000 over veth",
    linkType: 1,
    origLen: 1514,
    tsSec: 1795345859,
    tsNsec: 136930000,
    line: "11:10:59.136930 IP 10.99.0.1 > 10.99.0.2: ICMP echo request, id 17615, seq 1, length 1480",
    tshark: { ip: 'good', l4: 'none' },
    bytes: hex`
      # 11:10:59.136930 IP (tos 0x0, ttl 64, id 56365, offset 0, flags [+], proto ICMP (1), length 1500)
      # 10.99.0.1 > 10.99.0.2: ICMP echo request, id 17615, seq 1, length 1480
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      05dc dc2d 2000 4001 642b 0a63 0001 0a63   # 0x0010  ...- .@.d+.c...c
      0002 0800 9332 44cf 0001 c3cd 026b 0000   # 0x0020  .....2D......k..
      0000 7816 0200 0000 0000 1011 1213 1415   # 0x0030  ..x.............
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0040  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0050  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0060  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0070  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0080  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0090  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x00a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x00b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x00c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x00d0  ................
      b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5   # 0x00e0  ................
      c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5   # 0x00f0  ................
      d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5   # 0x0100  ................
      e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5   # 0x0110  ................
      f6f7 f8f9 fafb fcfd feff 0001 0203 0405   # 0x0120  ................
      0607 0809 0a0b 0c0d 0e0f 1011 1213 1415   # 0x0130  ................
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0140  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0150  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0160  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0170  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0180  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0190  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x01a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x01b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x01c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x01d0  ................
      b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5   # 0x01e0  ................
      c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5   # 0x01f0  ................
      d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5   # 0x0200  ................
      e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5   # 0x0210  ................
      f6f7 f8f9 fafb fcfd feff 0001 0203 0405   # 0x0220  ................
      0607 0809 0a0b 0c0d 0e0f 1011 1213 1415   # 0x0230  ................
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0240  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0250  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0260  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0270  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0280  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0290  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x02a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x02b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x02c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x02d0  ................
      b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5   # 0x02e0  ................
      c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5   # 0x02f0  ................
      d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5   # 0x0300  ................
      e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5   # 0x0310  ................
      f6f7 f8f9 fafb fcfd feff 0001 0203 0405   # 0x0320  ................
      0607 0809 0a0b 0c0d 0e0f 1011 1213 1415   # 0x0330  ................
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0340  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0350  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0360  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0370  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0380  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0390  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x03a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x03b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x03c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x03d0  ................
      b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5   # 0x03e0  ................
      c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5   # 0x03f0  ................
      d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5   # 0x0400  ................
      e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5   # 0x0410  ................
      f6f7 f8f9 fafb fcfd feff 0001 0203 0405   # 0x0420  ................
      0607 0809 0a0b 0c0d 0e0f 1011 1213 1415   # 0x0430  ................
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0440  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0450  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0460  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0470  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0480  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0490  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x04a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x04b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x04c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x04d0  ................
      b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5   # 0x04e0  ................
      c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5   # 0x04f0  ................
      d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5   # 0x0500  ................
      e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5   # 0x0510  ................
      f6f7 f8f9 fafb fcfd feff 0001 0203 0405   # 0x0520  ................
      0607 0809 0a0b 0c0d 0e0f 1011 1213 1415   # 0x0530  ................
      1617 1819 1a1b 1c1d 1e1f 2021 2223 2425   # 0x0540  .......... !"#$%
      2627 2829 2a2b 2c2d 2e2f 3031 3233 3435   # 0x0550  &'()*+,-./012345
      3637 3839 3a3b 3c3d 3e3f 4041 4243 4445   # 0x0560  6789:;<=>?@ABCDE
      4647 4849 4a4b 4c4d 4e4f 5051 5253 5455   # 0x0570  FGHIJKLMNOPQRSTU
      5657 5859 5a5b 5c5d 5e5f 6061 6263 6465   # 0x0580  VWXYZ[.]^_.abcde
      6667 6869 6a6b 6c6d 6e6f 7071 7273 7475   # 0x0590  fghijklmnopqrstu
      7677 7879 7a7b 7c7d 7e7f 8081 8283 8485   # 0x05a0  vwxyz{|}~.......
      8687 8889 8a8b 8c8d 8e8f 9091 9293 9495   # 0x05b0  ................
      9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5   # 0x05c0  ................
      a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5   # 0x05d0  ................
      b6b7 b8b9 babb bcbd bebf                  # 0x05e0  ..........
    `,
  },
  {
    name: "veth ipv4 non-first fragment",
    source: "captured here: ping -s 3000 over veth",
    linkType: 1,
    origLen: 1514,
    tsSec: 1795345859,
    tsNsec: 136948000,
    line: "11:10:59.136948 IP 10.99.0.1 > 10.99.0.2: ip-proto-1",
    tshark: { ip: 'good', l4: 'none' },
    bytes: hex`
      # 11:10:59.136948 IP (tos 0x0, ttl 64, id 56365, offset 1480, flags [+], proto ICMP (1), length 1500)
      # 10.99.0.1 > 10.99.0.2: ip-proto-1
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      05dc dc2d 20b9 4001 6372 0a63 0001 0a63   # 0x0010  ...- .@.cr.c...c
      0002 c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0020  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0030  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0040  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0050  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0060  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0070  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0080  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0090  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x00a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x00b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x00c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x00d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687 8889 8a8b 8c8d   # 0x00e0  ~...............
      8e8f 9091 9293 9495 9697 9899 9a9b 9c9d   # 0x00f0  ................
      9e9f a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad   # 0x0100  ................
      aeaf b0b1 b2b3 b4b5 b6b7 b8b9 babb bcbd   # 0x0110  ................
      bebf c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0120  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0130  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0140  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0150  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0160  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0170  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0180  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0190  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x01a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x01b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x01c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x01d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687 8889 8a8b 8c8d   # 0x01e0  ~...............
      8e8f 9091 9293 9495 9697 9899 9a9b 9c9d   # 0x01f0  ................
      9e9f a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad   # 0x0200  ................
      aeaf b0b1 b2b3 b4b5 b6b7 b8b9 babb bcbd   # 0x0210  ................
      bebf c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0220  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0230  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0240  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0250  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0260  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0270  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0280  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0290  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x02a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x02b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x02c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x02d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687 8889 8a8b 8c8d   # 0x02e0  ~...............
      8e8f 9091 9293 9495 9697 9899 9a9b 9c9d   # 0x02f0  ................
      9e9f a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad   # 0x0300  ................
      aeaf b0b1 b2b3 b4b5 b6b7 b8b9 babb bcbd   # 0x0310  ................
      bebf c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0320  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0330  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0340  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0350  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0360  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0370  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0380  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0390  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x03a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x03b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x03c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x03d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687 8889 8a8b 8c8d   # 0x03e0  ~...............
      8e8f 9091 9293 9495 9697 9899 9a9b 9c9d   # 0x03f0  ................
      9e9f a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad   # 0x0400  ................
      aeaf b0b1 b2b3 b4b5 b6b7 b8b9 babb bcbd   # 0x0410  ................
      bebf c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0420  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0430  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0440  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0450  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0460  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0470  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0480  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0490  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x04a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x04b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x04c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x04d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687 8889 8a8b 8c8d   # 0x04e0  ~...............
      8e8f 9091 9293 9495 9697 9899 9a9b 9c9d   # 0x04f0  ................
      9e9f a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad   # 0x0500  ................
      aeaf b0b1 b2b3 b4b5 b6b7 b8b9 babb bcbd   # 0x0510  ................
      bebf c0c1 c2c3 c4c5 c6c7 c8c9 cacb cccd   # 0x0520  ................
      cecf d0d1 d2d3 d4d5 d6d7 d8d9 dadb dcdd   # 0x0530  ................
      dedf e0e1 e2e3 e4e5 e6e7 e8e9 eaeb eced   # 0x0540  ................
      eeef f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd   # 0x0550  ................
      feff 0001 0203 0405 0607 0809 0a0b 0c0d   # 0x0560  ................
      0e0f 1011 1213 1415 1617 1819 1a1b 1c1d   # 0x0570  ................
      1e1f 2021 2223 2425 2627 2829 2a2b 2c2d   # 0x0580  .. !"#$%&'()*+,-
      2e2f 3031 3233 3435 3637 3839 3a3b 3c3d   # 0x0590  ./0123456789:;<=
      3e3f 4041 4243 4445 4647 4849 4a4b 4c4d   # 0x05a0  >?@ABCDEFGHIJKLM
      4e4f 5051 5253 5455 5657 5859 5a5b 5c5d   # 0x05b0  NOPQRSTUVWXYZ[.]
      5e5f 6061 6263 6465 6667 6869 6a6b 6c6d   # 0x05c0  ^_.abcdefghijklm
      6e6f 7071 7273 7475 7677 7879 7a7b 7c7d   # 0x05d0  nopqrstuvwxyz{|}
      7e7f 8081 8283 8485 8687                  # 0x05e0  ~.........
    `,
  },
  {
    name: "veth ipv6 first fragment (icmpv6)",
    source: "captured here: ping -6 -s 3000 over veth",
    linkType: 1,
    origLen: 1510,
    tsSec: 1795345859,
    tsNsec: 139006000,
    line: "11:10:59.139006 IP6 fd99::1 > fd99::2: frag (0|1448) ICMP6, echo request, id 17616, seq 1, length 1448",
    tshark: { ip: 'none', l4: 'none' },
    bytes: hex`
      # 11:10:59.139006 IP6 (flowlabel 0x0d910, hlim 64, next-header Fragment (44) payload length: 1456) fd99::1 > fd99::2: frag (0x94728c77:0|1448) ICMP6, echo request, id 17616, seq 1
      eec4 363d 75b8 b63d 1766 33fa 86dd 6000   # 0x0000  ..6=u..=.f3.....
      d910 05b0 2c40 fd99 0000 0000 0000 0000   # 0x0010  ....,@..........
      0000 0000 0001 fd99 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0002 3a00 0001 9472 8c77 8000   # 0x0030  ......:....r.w..
      a2f7 44d0 0001 c3cd 026b 0000 0000 e91e   # 0x0040  ..D......k......
      0200 0000 0000 1011 1213 1415 1617 1819   # 0x0050  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0060  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0070  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0080  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0090  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x00a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x00b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x00c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x00d0  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x00e0  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9   # 0x00f0  ................
      babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9   # 0x0100  ................
      cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9   # 0x0110  ................
      dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9   # 0x0120  ................
      eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9   # 0x0130  ................
      fafb fcfd feff 0001 0203 0405 0607 0809   # 0x0140  ................
      0a0b 0c0d 0e0f 1011 1213 1415 1617 1819   # 0x0150  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0160  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0170  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0180  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0190  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x01a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x01b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x01c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x01d0  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x01e0  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9   # 0x01f0  ................
      babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9   # 0x0200  ................
      cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9   # 0x0210  ................
      dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9   # 0x0220  ................
      eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9   # 0x0230  ................
      fafb fcfd feff 0001 0203 0405 0607 0809   # 0x0240  ................
      0a0b 0c0d 0e0f 1011 1213 1415 1617 1819   # 0x0250  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0260  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0270  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0280  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0290  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x02a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x02b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x02c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x02d0  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x02e0  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9   # 0x02f0  ................
      babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9   # 0x0300  ................
      cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9   # 0x0310  ................
      dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9   # 0x0320  ................
      eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9   # 0x0330  ................
      fafb fcfd feff 0001 0203 0405 0607 0809   # 0x0340  ................
      0a0b 0c0d 0e0f 1011 1213 1415 1617 1819   # 0x0350  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0360  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0370  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0380  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0390  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x03a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x03b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x03c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x03d0  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x03e0  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9   # 0x03f0  ................
      babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9   # 0x0400  ................
      cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9   # 0x0410  ................
      dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9   # 0x0420  ................
      eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9   # 0x0430  ................
      fafb fcfd feff 0001 0203 0405 0607 0809   # 0x0440  ................
      0a0b 0c0d 0e0f 1011 1213 1415 1617 1819   # 0x0450  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0460  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0470  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0480  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0490  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x04a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x04b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x04c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x04d0  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x04e0  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9   # 0x04f0  ................
      babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9   # 0x0500  ................
      cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9   # 0x0510  ................
      dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9   # 0x0520  ................
      eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9   # 0x0530  ................
      fafb fcfd feff 0001 0203 0405 0607 0809   # 0x0540  ................
      0a0b 0c0d 0e0f 1011 1213 1415 1617 1819   # 0x0550  ................
      1a1b 1c1d 1e1f 2021 2223 2425 2627 2829   # 0x0560  ...... !"#$%&'()
      2a2b 2c2d 2e2f 3031 3233 3435 3637 3839   # 0x0570  *+,-./0123456789
      3a3b 3c3d 3e3f 4041 4243 4445 4647 4849   # 0x0580  :;<=>?@ABCDEFGHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0590  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x05a0  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x05b0  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x05c0  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x05d0  ................
      9a9b 9c9d 9e9f                            # 0x05e0  ......
    `,
  },
  {
    name: "veth ipv6 last fragment",
    source: "captured here: ping -6 -s 3000 over veth",
    linkType: 1,
    origLen: 174,
    tsSec: 1795345859,
    tsNsec: 139030000,
    line: "11:10:59.139030 IP6 fd99::1 > fd99::2: frag (2896|112)",
    tshark: { ip: 'none', l4: 'none' },
    bytes: hex`
      # 11:10:59.139030 IP6 (flowlabel 0x0d910, hlim 64, next-header Fragment (44) payload length: 120) fd99::1 > fd99::2: frag (0x94728c77:2896|112)
      eec4 363d 75b8 b63d 1766 33fa 86dd 6000   # 0x0000  ..6=u..=.f3.....
      d910 0078 2c40 fd99 0000 0000 0000 0000   # 0x0010  ...x,@..........
      0000 0000 0001 fd99 0000 0000 0000 0000   # 0x0020  ................
      0000 0000 0002 3a00 0b50 9472 8c77 4849   # 0x0030  ......:..P.r.wHI
      4a4b 4c4d 4e4f 5051 5253 5455 5657 5859   # 0x0040  JKLMNOPQRSTUVWXY
      5a5b 5c5d 5e5f 6061 6263 6465 6667 6869   # 0x0050  Z[.]^_.abcdefghi
      6a6b 6c6d 6e6f 7071 7273 7475 7677 7879   # 0x0060  jklmnopqrstuvwxy
      7a7b 7c7d 7e7f 8081 8283 8485 8687 8889   # 0x0070  z{|}~...........
      8a8b 8c8d 8e8f 9091 9293 9495 9697 9899   # 0x0080  ................
      9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9   # 0x0090  ................
      aaab acad aeaf b0b1 b2b3 b4b5 b6b7        # 0x00a0  ..............
    `,
  },
  {
    name: "veth udp",
    source: "captured here: veth",
    linkType: 1,
    origLen: 43,
    tsSec: 1795345859,
    tsNsec: 285638000,
    line: "11:10:59.285638 IP 10.99.0.1.55166 > 10.99.0.2.33434: UDP, length 1",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:10:59.285638 IP (tos 0x0, ttl 64, id 34039, offset 0, flags [DF], proto UDP (17), length 29)
      # 10.99.0.1.55166 > 10.99.0.2.33434: [udp sum ok] UDP, length 1
      eec4 363d 75b8 b63d 1766 33fa 0800 4500   # 0x0000  ..6=u..=.f3...E.
      001d 84f7 4000 4011 a110 0a63 0001 0a63   # 0x0010  ....@.@....c...c
      0002 d77e 829a 0009 18fa 78               # 0x0020  ...~......x
    `,
  },
  {
    name: "veth icmp port unreachable",
    source: "captured here: veth",
    linkType: 1,
    origLen: 71,
    tsSec: 1795345859,
    tsNsec: 285681000,
    line: "11:10:59.285681 IP 10.99.0.2 > 10.99.0.1: ICMP 10.99.0.2 udp port 33434 unreachable, length 37",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:10:59.285681 IP (tos 0xc0, ttl 64, id 51340, offset 0, flags [none], proto ICMP (1), length 57)
      # 10.99.0.2 > 10.99.0.1: ICMP 10.99.0.2 udp port 33434 unreachable, length 37
      # IP (tos 0x0, ttl 64, id 34039, offset 0, flags [DF], proto UDP (17), length 29)
      # 10.99.0.1.55166 > 10.99.0.2.33434: [udp sum ok] UDP, length 1
      b63d 1766 33fa eec4 363d 75b8 0800 45c0   # 0x0000  .=.f3...6=u...E.
      0039 c88c 0000 4001 9caf 0a63 0002 0a63   # 0x0010  .9....@....c...c
      0001 0303 11e0 0000 0000 4500 001d 84f7   # 0x0020  ..........E.....
      4000 4011 a110 0a63 0001 0a63 0002 d77e   # 0x0030  @.@....c...c...~
      829a 0009 18fa 78                         # 0x0040  ......x
    `,
  },
  {
    name: "PPPoE over QinQ SYN",
    source: "zeek__pppoe-over-qinq.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 94,
    tsSec: 1523351398,
    tsNsec: 449222000,
    line: "09:09:58.449222 PPPoE  [ses 0xf07] IP 1.1.1.1.20394 > 2.2.2.2.443: Flags [S], seq 3618128213, win 65535, options [mss 1440,nop,wscale 6,nop,nop,TS val 19781772 ecr 0,sackOK,eol], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 09:09:58.449222 PPPoE  [ses 0xf07] IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 64)
      # 1.1.1.1.20394 > 2.2.2.2.443: Flags [S], cksum 0xeced (correct), seq 3618128213, win 65535, options [mss 1440,nop,wscale 6,nop,nop,TS val 19781772 ecr 0,sackOK,eol], length 0
      0000 0000 0001 0000 0000 0000 8100 0e78   # 0x0000  ...............x
      8100 09aa 8864 1100 0f07 0042 0021 4500   # 0x0010  .....d.....B.!E.
      0040 0000 4000 3f06 35b3 0101 0101 0202   # 0x0020  .@..@.?.5.......
      0202 4faa 01bb d7a8 4155 0000 0000 b002   # 0x0030  ..O.....AU......
      ffff eced 0000 0204 05a0 0103 0306 0101   # 0x0040  ................
      080a 012d d88c 0000 0000 0402 0000        # 0x0050  ...-..........
    `,
  },
  {
    name: "three VLAN tags",
    source: "zeek__vlan-qinqinq.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 90,
    tsSec: 1362692526,
    tsNsec: 869344000,
    line: "21:42:06.869344 IP 141.142.228.5.59856 > 192.150.187.43.80: Flags [S], seq 4263588410, win 65535, options [mss 1460,nop,wscale 4,nop,nop,TS val 374005024 ecr 0,sackOK,eol], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 21:42:06.869344 IP (tos 0x0, ttl 64, id 57230, offset 0, flags [DF], proto TCP (6), length 64)
      # 141.142.228.5.59856 > 192.150.187.43.80: Flags [S], cksum 0x3bc0 (correct), seq 4263588410, win 65535, options [mss 1460,nop,wscale 4,nop,nop,TS val 374005024 ecr 0,sackOK,eol], length 0
      0010 db88 d2ef c8bc c896 d2a0 8100 001e   # 0x0000  ................
      8100 0014 8100 000a 0800 4500 0040 df8e   # 0x0010  ..........E..@..
      4000 4006 6dd3 8d8e e405 c096 bb2b e9d0   # 0x0020  @.@.m........+..
      0050 fe21 323a 0000 0000 b002 ffff 3bc0   # 0x0030  .P.!2:........;.
      0000 0204 05b4 0103 0304 0101 080a 164a   # 0x0040  ...............J
      dd20 0000 0000 0402 0000                  # 0x0050  . ........
    `,
  },
  {
    name: "802.1Q SYN-ACK",
    source: "zeek__http-vlan-0.pcap frame 2 (BSD)",
    linkType: 1,
    origLen: 78,
    tsSec: 1362692526,
    tsNsec: 939084000,
    line: "21:42:06.939084 IP 192.150.187.43.80 > 141.142.228.5.59856: Flags [S.], seq 2779762238, ack 4263588411, win 14480, options [mss 1460,sackOK,TS val 797524569 ecr 374005024,nop,wscale 7], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 21:42:06.939084 IP (tos 0x0, ttl 47, id 0, offset 0, flags [DF], proto TCP (6), length 60)
      # 192.150.187.43.80 > 141.142.228.5.59856: Flags [S.], cksum 0x2e50 (correct), seq 2779762238, ack 4263588411, win 14480, options [mss 1460,sackOK,TS val 797524569 ecr 374005024,nop,wscale 7], length 0
      c8bc c896 d2a0 0010 db88 d2ef 8100 b000   # 0x0000  ................
      0800 4500 003c 0000 4000 2f06 5e66 c096   # 0x0010  ..E..<..@./.^f..
      bb2b 8d8e e405 0050 e9d0 a5af ce3e fe21   # 0x0020  .+.....P.....>.!
      323b a012 3890 2e50 0000 0204 05b4 0402   # 0x0030  2;..8..P........
      080a 2f89 4259 164a dd20 0103 0307        # 0x0040  ../.BY.J. ....
    `,
  },
  {
    name: "ipv6 routing type 0",
    source: "zeek__ip6-route0-tcp-good-chksum.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 114,
    tsSec: 1332785125,
    tsNsec: 596793000,
    line: "18:05:25.596793 IP6 2001:4f8:4:7:2e0:81ff:fe52:ffff > 2001:4f8:4:7:2e0:81ff:fe52:9a6b: RT6 (len=4, type=0 [Deprecated], segleft=2, [0]2001:78:1:32::1, [1]2001:78:1:32::2) 30000 > 80: Flags [S], seq 0, win 8192, length 0",
    tshark: { ip: 'none', l4: 'good' },
    bytes: hex`
      # 18:05:25.596793 IP6 (hlim 64, next-header Routing (43) payload length: 60) 2001:4f8:4:7:2e0:81ff:fe52:ffff > 2001:4f8:4:7:2e0:81ff:fe52:9a6b: RT6 (len=4, type=0 [Deprecated], segleft=2, rsv=0x0, [0]2001:78:1:32::1, [1]2001:78:1:32::2) 30000 > 80: Flags [S], cksum 0x517e (correct), seq 0, win 8192, length 0
      ffff ffff ffff 0000 0000 0000 86dd 6000   # 0x0000  ................
      0000 003c 2b40 2001 04f8 0004 0007 02e0   # 0x0010  ...<+@ .........
      81ff fe52 ffff 2001 04f8 0004 0007 02e0   # 0x0020  ...R.. .........
      81ff fe52 9a6b 0604 0002 0000 0000 2001   # 0x0030  ...R.k........ .
      0078 0001 0032 0000 0000 0000 0001 2001   # 0x0040  .x...2........ .
      0078 0001 0032 0000 0000 0000 0002 7530   # 0x0050  .x...2........u0
      0050 0000 0000 0000 0000 5002 2000 517e   # 0x0060  .P........P. .Q~
      0000                                      # 0x0070  ..
    `,
  },
  {
    name: "ipv4 bad tcp checksum",
    source: "zeek__ip4-tcp-bad-chksum.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 54,
    tsSec: 1332784885,
    tsNsec: 686428000,
    line: "18:01:25.686428 IP 127.0.0.1.30000 > 127.0.0.1.80: Flags [S], seq 0, win 8192, length 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 18:01:25.686428 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40)
      # 127.0.0.1.30000 > 127.0.0.1.80: Flags [S], cksum 0x0001 (incorrect -> 0x1c60), seq 0, win 8192, length 0
      ffff ffff ffff 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      0028 0001 0000 4006 7ccd 7f00 0001 7f00   # 0x0010  .(....@.|.......
      0001 7530 0050 0000 0000 0000 0000 5002   # 0x0020  ..u0.P........P.
      2000 0001 0000                            # 0x0030   .....
    `,
  },
  {
    name: "ipv6 atomic fragment",
    source: "zeek__ipv6-http-atomic-frag.pcap frame 13 (BSD)",
    linkType: 1,
    origLen: 82,
    tsSec: 1333039453,
    tsNsec: 354053000,
    line: "16:44:13.354053 IP6 2001:db8:1::2 > 2001:db8:1::1: frag (0|20) 59694 > 80: Flags [S], seq 1770092805, win 8192, length 0",
    tshark: { ip: 'none', l4: 'good' },
    bytes: hex`
      # 16:44:13.354053 IP6 (hlim 64, next-header Fragment (44) payload length: 28) 2001:db8:1::2 > 2001:db8:1::1: frag (0x00000000:0|20) 59694 > 80: Flags [S], seq 1770092805, win 8192, length 0
      aa00 0400 0a04 0010 1895 316a 86dd 6000   # 0x0000  ..........1j....
      0000 001c 2c40 2001 0db8 0001 0000 0000   # 0x0010  ....,@ .........
      0000 0000 0002 2001 0db8 0001 0000 0000   # 0x0020  ...... .........
      0000 0000 0001 0600 0000 0000 0000 e92e   # 0x0030  ................
      0050 6981 7905 0000 0000 5002 2000 6866   # 0x0040  .Pi.y.....P. .hf
      0000                                      # 0x0050  ..
    `,
  },
  {
    name: "BIG TCP ipv6 jumbo hop-by-hop",
    source: "tcpdump__bigtcp-ipv6-hbh.pcap frame 1 (BSD) (first 200 of 80094 captured bytes)",
    linkType: 1,
    origLen: 80094,
    tsSec: 1759760007,
    tsNsec: 172200000,
    line: "14:13:27.172200 IP6 2604:1380:4091:ce00::d > 2604:1380:4091:ce00::b: HBH 41851 > 43913: Flags [P.], seq 592820498:592900498, ack 2512896041, win 2128, options [nop,nop,TS val 1186840160 ecr 4237097528], length 80000",
    tshark: { ip: 'none', l4: 'bad' },
    bytes: hex`
      # 14:13:27.172200 IP6 (flowlabel 0xa31ee, hlim 64, next-header Options (0) payload length: 0) 2604:1380:4091:ce00::d > 2604:1380:4091:ce00::b: HBH (jumbo: 80040)  41851 > 43913: Flags [P.], cksum 0xc8eb (incorrect -> 0x3146), seq 592820498:592900498, ack 2512896041, win 2128, options [nop,nop,TS val 1186840160 ecr 4237097528], length 80000
      0600 dead beef b8ce f604 8b14 86dd 600a   # 0x0000  ................
      31ee 0000 0040 2604 1380 4091 ce00 0000   # 0x0010  1....@&...@.....
      0000 0000 000d 2604 1380 4091 ce00 0000   # 0x0020  ......&...@.....
      0000 0000 000b 0600 c204 0001 38a8 a37b   # 0x0030  ............8..{
      ab89 2355 b912 95c7 c029 8018 0850 c8eb   # 0x0040  ..#U.....)...P..
      0000 0101 080a 46bd be60 fc8c fa38 6e65   # 0x0050  ......F......8ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x0060  tperf.netperf.ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x0070  tperf.netperf.ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x0080  tperf.netperf.ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x0090  tperf.netperf.ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x00a0  tperf.netperf.ne
      7470 6572 6600 6e65 7470 6572 6600 6e65   # 0x00b0  tperf.netperf.ne
      7470 6572 6600 6e65                       # 0x00c0  tperf.ne
    `,
  },
  {
    name: "BIG TCP ipv4 total length 0",
    source: "tcpdump__bigtcp-ipv4.pcap frame 1 (BSD) (first 200 of 80066 captured bytes)",
    linkType: 1,
    origLen: 80066,
    tsSec: 1759417540,
    tsNsec: 30951000,
    line: "15:05:40.030951 IP bad-len 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 15:05:40.030951 IP bad-len 0
      0600 dead beef b8ce f604 8b14 0800 4500   # 0x0000  ..............E.
      0000 2eff 4000 4006 efae 0a19 840d 0a19   # 0x0010  ....@.@.........
      840b 8c1f 8e49 f7ad bd8e 0103 c225 8018   # 0x0020  .....I.......%..
      027b 54f2 0000 0101 080a e9b7 eb15 bbed   # 0x0030  .{T.............
      eb2f 6e65 7470 6572 6600 6e65 7470 6572   # 0x0040  ./netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x0050  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x0060  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x0070  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x0080  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x0090  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x00a0  f.netperf.netper
      6600 6e65 7470 6572 6600 6e65 7470 6572   # 0x00b0  f.netperf.netper
      6600 6e65 7470 6572                       # 0x00c0  f.netper
    `,
  },
  {
    name: "experimental TFO cookie",
    source: "tcpdump__tfo-5c1fa7f9ae91.pcap frame 3 (BSD)",
    linkType: 1,
    origLen: 66,
    tsSec: 1349367980,
    tsNsec: 475806000,
    line: "16:26:20.475806 IP 3.3.3.3.13054 > 9.9.9.9.13047: Flags [S.], seq 4035392501, ack 218476389, win 1400, options [exp-tfo cookie 090909090000,nop,nop], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 16:26:20.475806 IP (tos 0x0, ttl 255, id 2, offset 0, flags [none], proto TCP (6), length 52)
      # 3.3.3.3.13054 > 9.9.9.9.13047: Flags [S.], cksum 0x10b2 (correct), seq 4035392501, ack 218476389, win 1400, options [exp-tfo cookie 090909090000,nop,nop], length 0
      1c7e e54c a1cc b075 0c00 0002 0800 4500   # 0x0000  .~.L...u......E.
      0034 0002 0000 ff06 a3aa 0303 0303 0909   # 0x0010  .4..............
      0909 32fe 32f7 f087 33f5 0d05 af65 8012   # 0x0020  ..2.2...3....e..
      0578 10b2 0000 fe0a f989 0909 0909 0000   # 0x0030  .x..............
      0101                                      # 0x0040  ..
    `,
  },
  {
    name: "TFO kind 34 cookie",
    source: "suricata-verify__tlpw-tcp-tfo-data-on-syn-nack.pcap frame 2 (MIT)",
    linkType: 101,
    origLen: 68,
    tsSec: 1677512567,
    tsNsec: 603814000,
    line: "15:42:47.603814 IP 17.253.144.10.443 > 192.168.0.44.57282: Flags [S.], seq 776786043, ack 72119484, win 64980, options [mss 1452,sackOK,TS val 1083437434 ecr 3544075316,nop,wscale 8,tfo  cookie da557faa,nop,nop], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 15:42:47.603814 IP (tos 0x0, ttl 59, id 0, offset 0, flags [DF], proto TCP (6), length 68)
      # 17.253.144.10.443 > 192.168.0.44.57282: Flags [S.], cksum 0x9f67 (correct), seq 776786043, ack 72119484, win 64980, options [mss 1452,sackOK,TS val 1083437434 ecr 3544075316,nop,wscale 8,tfo  cookie da557faa,nop,nop], length 0
      4500 0044 0000 4000 3b06 dcd8 11fd 900a   # 0x0000  E..D..@.;.......
      c0a8 002c 01bb dfc2 2e4c d07b 044c 74bc   # 0x0010  ...,.....L.{.Lt.
      c012 fdd4 9f67 0000 0204 05ac 0402 080a   # 0x0020  .....g..........
      4093 f17a d33e 4c34 0103 0308 2206 da55   # 0x0030  @..z.>L4...."..U
      7faa 0101                                 # 0x0040  ....
    `,
  },
  {
    name: "four SACK blocks",
    source: "zeek__option-sack.pcap frame 4 (BSD)",
    linkType: 1,
    origLen: 90,
    tsSec: 1570152250,
    tsNsec: 70560000,
    line: "01:24:10.070560 IP 127.0.0.1.20 > 127.0.0.1.80: Flags [S], seq 0, win 8192, options [sack 4 {1:16}{256:4096}{65536:1048576}{16777216:268435456},eol], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 01:24:10.070560 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 76)
      # 127.0.0.1.20 > 127.0.0.1.80: Flags [S], cksum 0xda13 (correct), seq 0, win 8192, options [sack 4 {1:16}{256:4096}{65536:1048576}{16777216:268435456},eol], length 0
      ffff ffff ffff 0000 0000 0000 0800 4500   # 0x0000  ..............E.
      004c 0001 0000 4006 7ca9 7f00 0001 7f00   # 0x0010  .L....@.|.......
      0001 0014 0050 0000 0000 0000 0000 e002   # 0x0020  .....P..........
      2000 da13 0000 0522 0000 0001 0000 0010   # 0x0030   ......"........
      0000 0100 0000 1000 0001 0000 0010 0000   # 0x0040  ................
      0100 0000 1000 0000 0000                  # 0x0050  ..........
    `,
  },
  {
    name: "unknown option 27 and user timeout",
    source: "zeek__option-27.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 70,
    tsSec: 1660264790,
    tsNsec: 597524000,
    line: "00:39:50.597524 IP 172.17.0.2.1234 > 72.14.207.99.80: Flags [S.], seq 0, ack 0, win 8192, options [nop,unknown-27 0x000102000000,uto 0x1 0,eol], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 00:39:50.597524 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 56)
      # 172.17.0.2.1234 > 72.14.207.99.80: Flags [S.], cksum 0x77e2 (correct), seq 0, ack 0, win 8192, options [nop,unknown-27 0x000102000000,uto 0x1 0,eol], length 0
      0242 6683 0ded 0242 ac11 0002 0800 4500   # 0x0000  .Bf....B......E.
      0038 0001 0000 4006 b73a ac11 0002 480e   # 0x0010  .8....@..:....H.
      cf63 04d2 0050 0000 0000 0000 0000 9012   # 0x0020  .c...P..........
      2000 77e2 0000 011b 0800 0102 0000 001c   # 0x0030   .w.............
      0400 0100 0000                            # 0x0040  ......
    `,
  },
  {
    name: "MPTCP capable v1",
    source: "tcpdump__mptcp-v1.pcap frame 2 (BSD)",
    linkType: 113,
    origLen: 88,
    tsSec: 1578930666,
    tsNsec: 676888000,
    line: "15:51:06.676888 IP 10.0.2.1.10004 > 10.0.1.1.33306: Flags [S.], seq 791415661, ack 2180756990, win 65535, options [mss 1460,sackOK,TS val 3275212179 ecr 464494241,nop,wscale 8,mptcp 12 capable v1 {0x29a6c86981ad933c}], length 0",
    tshark: { ip: 'good', l4: 'bad' },
    bytes: hex`
      # 15:51:06.676888 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 72)
      # 10.0.2.1.10004 > 10.0.1.1.33306: Flags [S.], cksum 0x173c (incorrect -> 0x7bfc), seq 791415661, ack 2180756990, win 65535, options [mss 1460,sackOK,TS val 3275212179 ecr 464494241,nop,wscale 8,mptcp 12 capable v1 {0x29a6c86981ad933c}], length 0
      0004 0001 0006 ee13 fb9f 589e 0000 0800   # 0x0000  ..........X.....
      4500 0048 0000 4000 4006 23af 0a00 0201   # 0x0010  E..H..@.@.#.....
      0a00 0101 2714 821a 2f2c 0b6d 81fb b5fe   # 0x0020  ....'.../,.m....
      d012 ffff 173c 0000 0204 05b4 0402 080a   # 0x0030  .....<..........
      c337 c593 1baf 9ea1 0103 0308 1e0c 0101   # 0x0040  .7..............
      29a6 c869 81ad 933c                       # 0x0050  )..i...<
    `,
  },
  {
    name: "AccECN experimental option",
    source: "tcpdump__accecn_handshake.pcap frame 2 (BSD)",
    linkType: 1,
    origLen: 86,
    tsSec: 1658816768,
    tsNsec: 16156000,
    line: "06:26:08.016156 IP 66.228.43.12.80 > 31.133.146.248.16433: Flags [S.W], seq 2972234643, ack 1948076590, win 65160, options [mss 1460,sackOK,TS val 2783239876 ecr 112147477,exp-acc0,wscale 7], length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 06:26:08.016156 IP (tos 0x0, ttl 54, id 0, offset 0, flags [DF], proto TCP (6), length 72)
      # 66.228.43.12.80 > 31.133.146.248.16433: Flags [S.W], cksum 0x22a8 (correct), seq 2972234643, ack 1948076590, win 65160, options [mss 1460,sackOK,TS val 2783239876 ecr 112147477,exp-acc0,wscale 7], length 0
      000c 29f7 8012 18fd 7407 45cd 0800 4500   # 0x0000  ..).....t.E...E.
      0048 0000 4000 3606 2443 42e4 2b0c 1f85   # 0x0010  .H..@.6.$CB.+...
      92f8 0050 4031 b128 b393 741d 4a2e d092   # 0x0020  ...P@1.(..t.J...
      fe88 22a8 0000 0204 05b4 0402 080a a5e4   # 0x0030  ..".............
      dec4 06af 3c15 fe0d acc0 0000 0100 0000   # 0x0040  ....<...........
      0000 0003 0307                            # 0x0050  ......
    `,
  },
  {
    name: "BSD NULL loopback ipv6",
    source: "gopacket__test_loopback.pcap frame 1 (BSD)",
    linkType: 0,
    origLen: 560,
    tsSec: 1357492952,
    tsNsec: 275121000,
    line: "17:22:32.275121 IP6 ::1.58799 > ::1.8080: Flags [P.], seq 144119398:144119882, ack 174417647, win 10473, options [nop,nop,TS val 96505084 ecr 96483468], length 484: HTTP: GET /pkg/github.com/gconnell/gopacket/ HTTP/1.1",
    tshark: { ip: 'none', l4: 'bad' },
    bytes: hex`
      # 17:22:32.275121 IP6 (hlim 64, next-header TCP (6) payload length: 516) ::1.58799 > ::1.8080: Flags [P.], cksum 0x020c (incorrect -> 0x728a), seq 144119398:144119882, ack 174417647, win 10473, options [nop,nop,TS val 96505084 ecr 96483468], length 484: HTTP, length: 484
      # GET /pkg/github.com/gconnell/gopacket/ HTTP/1.1
      # Host: localhost:8080
      # Connection: keep-alive
      # Cache-Control: max-age=0
      # User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_2) AppleWebKit/537.11 (KHTML, like Gecko) Chrome/23.0.1271.101 Safari/537.11
      # Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
      # Referer: http://localhost:8080/pkg/
      # Accept-Encoding: gzip,deflate,sdch
      # Accept-Language: en-US,en;q=0.8
      # Accept-Charset: ISO-8859-1,utf-8;q=0.7,*;q=0.3
      # 
      1e00 0000 6000 0000 0204 0640 0000 0000   # 0x0000  ...........@....
      0000 0000 0000 0000 0000 0001 0000 0000   # 0x0010  ................
      0000 0000 0000 0000 0000 0001 e5af 1f90   # 0x0020  ................
      0897 1666 0a65 66ef 8018 28e9 020c 0000   # 0x0030  ...f.ef...(.....
      0101 080a 05c0 8cfc 05c0 388c 4745 5420   # 0x0040  ..........8.GET 
      2f70 6b67 2f67 6974 6875 622e 636f 6d2f   # 0x0050  /pkg/github.com/
      6763 6f6e 6e65 6c6c 2f67 6f70 6163 6b65   # 0x0060  gconnell/gopacke
      742f 2048 5454 502f 312e 310d 0a48 6f73   # 0x0070  t/ HTTP/1.1..Hos
      743a 206c 6f63 616c 686f 7374 3a38 3038   # 0x0080  t: localhost:808
      300d 0a43 6f6e 6e65 6374 696f 6e3a 206b   # 0x0090  0..Connection: k
      6565 702d 616c 6976 650d 0a43 6163 6865   # 0x00a0  eep-alive..Cache
      2d43 6f6e 7472 6f6c 3a20 6d61 782d 6167   # 0x00b0  -Control: max-ag
      653d 300d 0a55 7365 722d 4167 656e 743a   # 0x00c0  e=0..User-Agent:
      204d 6f7a 696c 6c61 2f35 2e30 2028 4d61   # 0x00d0   Mozilla/5.0 (Ma
      6369 6e74 6f73 683b 2049 6e74 656c 204d   # 0x00e0  cintosh; Intel M
      6163 204f 5320 5820 3130 5f38 5f32 2920   # 0x00f0  ac OS X 10_8_2) 
      4170 706c 6557 6562 4b69 742f 3533 372e   # 0x0100  AppleWebKit/537.
      3131 2028 4b48 544d 4c2c 206c 696b 6520   # 0x0110  11 (KHTML, like 
      4765 636b 6f29 2043 6872 6f6d 652f 3233   # 0x0120  Gecko) Chrome/23
      2e30 2e31 3237 312e 3130 3120 5361 6661   # 0x0130  .0.1271.101 Safa
      7269 2f35 3337 2e31 310d 0a41 6363 6570   # 0x0140  ri/537.11..Accep
      743a 2074 6578 742f 6874 6d6c 2c61 7070   # 0x0150  t: text/html,app
      6c69 6361 7469 6f6e 2f78 6874 6d6c 2b78   # 0x0160  lication/xhtml+x
      6d6c 2c61 7070 6c69 6361 7469 6f6e 2f78   # 0x0170  ml,application/x
      6d6c 3b71 3d30 2e39 2c2a 2f2a 3b71 3d30   # 0x0180  ml;q=0.9,*/*;q=0
      2e38 0d0a 5265 6665 7265 723a 2068 7474   # 0x0190  .8..Referer: htt
      703a 2f2f 6c6f 6361 6c68 6f73 743a 3830   # 0x01a0  p://localhost:80
      3830 2f70 6b67 2f0d 0a41 6363 6570 742d   # 0x01b0  80/pkg/..Accept-
      456e 636f 6469 6e67 3a20 677a 6970 2c64   # 0x01c0  Encoding: gzip,d
      6566 6c61 7465 2c73 6463 680d 0a41 6363   # 0x01d0  eflate,sdch..Acc
      6570 742d 4c61 6e67 7561 6765 3a20 656e   # 0x01e0  ept-Language: en
      2d55 532c 656e 3b71 3d30 2e38 0d0a 4163   # 0x01f0  -US,en;q=0.8..Ac
      6365 7074 2d43 6861 7273 6574 3a20 4953   # 0x0200  cept-Charset: IS
      4f2d 3838 3539 2d31 2c75 7466 2d38 3b71   # 0x0210  O-8859-1,utf-8;q
      3d30 2e37 2c2a 3b71 3d30 2e33 0d0a 0d0a   # 0x0220  =0.7,*;q=0.3....
    `,
  },
  {
    name: "raw ip ipv6 SYN",
    source: "pcapplusplus__raw_ip.pcap frame 1 (Unlicense)",
    linkType: 101,
    origLen: 80,
    tsSec: 1147551795,
    tsNsec: 526632000,
    line: "20:23:15.526632 IP6 2001:618:400::5199:cc70.35995 > 2001:618:1:8000::5.80: Flags [S], seq 1793525558, win 5680, options [mss 1420,sackOK,TS val 14490169 ecr 0,nop,wscale 2], length 0",
    tshark: { ip: 'none', l4: 'good' },
    bytes: hex`
      # 20:23:15.526632 IP6 (hlim 64, next-header TCP (6) payload length: 40) 2001:618:400::5199:cc70.35995 > 2001:618:1:8000::5.80: Flags [S], cksum 0x299c (correct), seq 1793525558, win 5680, options [mss 1420,sackOK,TS val 14490169 ecr 0,nop,wscale 2], length 0
      6000 0000 0028 0640 2001 0618 0400 0000   # 0x0000  .....(.@ .......
      0000 0000 5199 cc70 2001 0618 0001 8000   # 0x0010  ....Q..p .......
      0000 0000 0000 0005 8c9b 0050 6ae7 0736   # 0x0020  ...........Pj..6
      0000 0000 a002 1630 299c 0000 0204 058c   # 0x0030  .......0).......
      0402 080a 00dd 1a39 0000 0000 0103 0302   # 0x0040  .......9........
    `,
  },
  {
    name: "sll2 from pcapplusplus",
    source: "pcapplusplus__sll2.pcap frame 1 (Unlicense)",
    linkType: 276,
    origLen: 91,
    tsSec: 1668510343,
    tsNsec: 193355000,
    line: "11:05:43.193355 ?     In  IP 116.63.66.108.443 > 7.249.151.114.57292: Flags [P.], seq 2865673674:2865673705, ack 2813042623, win 63, length 31",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 11:05:43.193355 ?     In  IP (tos 0x0, ttl 44, id 34604, offset 0, flags [DF], proto TCP (6), length 71)
      # 116.63.66.108.443 > 7.249.151.114.57292: Flags [P.], cksum 0xa155 (correct), seq 2865673674:2865673705, ack 2813042623, win 63, length 31
      0800 0000 0000 0014 0001 0006 f03f 958f   # 0x0000  .............?..
      8263 0000 4500 0047 872c 4000 2c06 716e   # 0x0010  .c..E..G.,@.,.qn
      743f 426c 07f9 9772 01bb dfcc aace b5ca   # 0x0020  t?Bl...r........
      a7ab 9fbf 5018 003f a155 0000 1503 0300   # 0x0030  ....P..?.U......
      1a91 c1b9 659e 9ff9 c3c4 93ae 8257 3966   # 0x0040  ....e........W9f
      caff 40db a0f6 b630 4c5c 72               # 0x0050  ..@....0L.r
    `,
  },
  {
    name: "ipv6 first fragment with tcp",
    source: "suricata-verify__frag-ip-tcp.pcap frame 1 (MIT)",
    linkType: 229,
    origLen: 512,
    tsSec: 1712911987,
    tsNsec: 483336000,
    line: "08:53:07.483336 IP6 ::1 > ::1: frag (0|464) 12345 > 8080: Flags [.], seq 1:445, ack 0, win 8192, length 444: HTTP",
    tshark: { ip: 'none', l4: 'none' },
    bytes: hex`
      # 08:53:07.483336 IP6 (hlim 64, next-header Fragment (44) payload length: 472) ::1 > ::1: frag (0xa1bc6572:0|464) 12345 > 8080: Flags [.], seq 1:445, ack 0, win 8192, length 444: HTTP
      6000 0000 01d8 2c40 0000 0000 0000 0000   # 0x0000  ......,@........
      0000 0000 0000 0001 0000 0000 0000 0000   # 0x0010  ................
      0000 0000 0000 0001 0600 0001 a1bc 6572   # 0x0020  ..............er
      3039 1f90 0000 0001 0000 0000 5010 2000   # 0x0030  09..........P. .
      c8ad 0000 4141 4141 4141 4141 4141 4141   # 0x0040  ....AAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0050  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0060  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0070  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0080  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0090  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00a0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00b0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00c0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00d0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00e0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x00f0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0100  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0110  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0120  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0130  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0140  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0150  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0160  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0170  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0180  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x0190  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01a0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01b0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01c0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01d0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01e0  AAAAAAAAAAAAAAAA
      4141 4141 4141 4141 4141 4141 4141 4141   # 0x01f0  AAAAAAAAAAAAAAAA
    `,
  },
  {
    name: "eight flags set",
    source: "tcpdump__tcp_eight_lowest_weight_flags_set.pcap frame 1 (BSD)",
    linkType: 1,
    origLen: 54,
    tsSec: 1541069485,
    tsNsec: 9792000,
    line: "10:51:25.009792 IP 10.0.0.2.6260 > 10.128.0.2.80: Flags [FSRP.UEW], seq 576462951, ack 486026015, win 512, urg 0, length 0",
    tshark: { ip: 'good', l4: 'good' },
    bytes: hex`
      # 10:51:25.009792 IP (tos 0x0, ttl 64, id 36426, offset 0, flags [none], proto TCP (6), length 40)
      # 10.0.0.2.6260 > 10.128.0.2.80: Flags [FSRP.UEW], cksum 0xf4c3 (correct), seq 576462951, ack 486026015, win 512, urg 0, length 0
      4201 0af0 0001 4201 0af0 0017 0800 4500   # 0x0000  B.....B.......E.
      0028 8e4a 0000 4006 d802 0a00 0002 0a80   # 0x0010  .(.J..@.........
      0002 1874 0050 225c 2067 1cf8 2b1f 50ff   # 0x0020  ...t.P". g..+.P.
      0200 f4c3 0000                            # 0x0030  ......
    `,
  },
];
