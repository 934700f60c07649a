/**
 * Understood differences between tcpscope and the reference tools on ../shared/captures, per
 * file and check (the word before ':' in a conformance difference). Each entry holds the
 * difference exactly as conformance prints it — if the numbers move, the note no longer
 * applies and conformance fails again — and who is right and why.
 */
export interface Explanation {
  diff: string;
  reason: string;
}

export const EXPLAINED: Record<string, Record<string, Explanation>> = {
  'gopacket__be-test202.pcapng': {
    'ip-checksum': {
      diff: 'ip-checksum: tshark [3,6,9], tcpscope [2,5,7]',
      reason:
        'same packets, different numbers: tshark 4.0 counts pcapng custom blocks as frames, so its frame numbers run ahead of the packet numbers capinfos and tcpscope use',
    },
  },
  'gopacket__le-test102.pcapng': {
    'ip-checksum': {
      diff: 'ip-checksum: tshark [4,6], tcpscope [2,4]',
      reason: 'tshark 4.0 numbers custom blocks as frames (see be-test202); the same packets are bad in both',
    },
  },
  'zeek__pppoe-over-qinq.pcap': {
    'tcp-checksum': {
      diff: 'tcp-checksum: tshark [19,33,41,47,63,81], tcpscope []',
      reason:
        'the PPPoE length (42) is shorter than the IPv4 total length (46) on these frames; tcpscope follows the IP header, over which the TCP checksum verifies, while tshark cuts the datagram at the PPPoE length and then finds the checksum bad',
    },
  },
  'zeek__reassembly.pcap': {
    'tcp-checksum': {
      diff: 'tcp-checksum: tshark [7,9,16,20,26,31,35,39,64,68,79,85,… (15)], tcpscope [9,16,20,31,64,68,79,91,97,112]',
      reason:
        'frames 7,26,35,39,85 end 8 bytes before their IPv4 total length (the frame itself is short, not cut by the snap length): tcpscope cannot verify a segment it does not have and says unverified, tshark sums what is there and says bad',
    },
  },
  'zeek__smtp.pcap': {
    'tcp-checksum': {
      diff: 'tcp-checksum: tshark [26,28,29,30], tcpscope []',
      reason:
        'these frames are ICMP errors quoting a TCP header: tshark checks the quoted TCP checksum (only part of the segment is quoted, so it cannot verify) and excludes the frames from tcp_frames; tcpscope verifies the ICMP error checksum itself',
    },
  },
  'pcapplusplus__frag_http_req.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 124/0 vs 1460/0",
      reason:
        "tcptrace does not reassemble IP fragments and counts only the first fragment's 124 bytes; tcpscope rebuilds the 11 fragments into one 1460-byte segment, as tshark does",
    },
  },
  'zeek__fragmented-4.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #2 4/0 vs 69/0",
      reason:
        "tcptrace does not reassemble IP fragments (it counts the first fragment's bytes); tcpscope rebuilds the datagram as tshark does (ip.reassembled_in)",
    },
  },
  'pcapplusplus__pcapng-example.pcapng': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 0/0 vs 1597/2720",
      reason:
        "tcptrace stops at the second interface's link type and counts no data on this connection; tshark's stream 0 payload is 1597/2720 bytes, as tcpscope's",
    },
  },
  'suricata-verify__tls_DER-incomplete-header.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 0/0 vs 295/4208",
      reason:
        "tcptrace counts no data on the 6 packets it read before the corrupt record; tshark's stream payload is 295/4208 bytes, as tcpscope's",
    },
  },
  'tcpdump__tcp_rst_data.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 58/0 vs 0/0",
      reason:
        "the 58 bytes ride on an RST: RFC 9293 3.5.3 (and RFC 1122 4.2.2.12) makes them diagnostic text, not stream data, so tcpscope does not deliver them; tcptrace counts them",
    },
  },
  'zeek__206_example_b.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 580/1019113 vs 580/1023578",
      reason:
        "tcptrace subtracts the 65800 bytes it classifies as zero-window probes (1172508 actual - 87595 retransmitted - 65800 probes); those bytes are part of the stream: the server's highest sequence number is 1023579 past its ISN (tshark), i.e. 1023578 stream bytes after the SYN, as tcpscope delivers",
    },
  },
  'zeek__rst-inject-rae.pcap': {
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 0/0 vs 175/0",
      reason:
        "tcptrace warns that the reserved bits are set and counts no data on the connection; tshark's stream payload is 175/0 bytes, as tcpscope's",
    },
  },
};
