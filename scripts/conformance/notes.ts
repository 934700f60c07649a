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
  'zeek__reassembly.pcap': {
    'analysis-lost_segment': {
      diff: 'analysis-lost_segment: tshark-only [9,87], tcpscope-only []',
      reason:
        'frames 7 and 85 (also 26, 35, 39) end 8 or 20 bytes before their IPv4 total length: tshark takes the segment length from the bytes in the frame (1440, 1428), tcpscope from the IP header (1448). The receiver proves 1448: frame 8 acknowledges 275+1448=1723 and frame 86 22016+1448=23464, and the next segments start there (frames 9, 87). tshark\'s shorter lengths invent the holes it reports as "previous segment not captured"',
    },
    'analysis-ack_lost_segment': {
      diff: 'analysis-ack_lost_segment: tshark-only [8,10,86,88], tcpscope-only [105]',
      reason:
        'same short frames: frames 8, 10, 86, 88 acknowledge exactly the 1448 bytes the IP headers announce (no unseen data), tshark flags them because it counted 1440/1428. Frame 105 acknowledges 29958..31406, bytes that were never captured (both flag frame 106 as following a lost segment): tcpscope flags it; tshark does not, because its earlier phantom ACKed-unseen (frame 86) left its per-direction dup-ACK counter at 2^32-1, which in 4.0 suppresses the flag until that side\'s ACK number changes',
    },
    'analysis-fast_retransmission': {
      diff: 'analysis-fast_retransmission: tshark-only [8,10,12], tcpscope-only []',
      reason:
        'frames 8, 10, 12 repeat the server\'s FIN (both call them retransmissions); tshark makes them fast retransmissions only because its phantom ACKed-unseen on frame 8 set the client\'s dup-ACK counter to 2^32-1 (>= 2) and the client\'s ACK number equals the FIN\'s sequence number; no duplicate ACK was ever sent',
    },
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
    'analysis-reused_ports': {
      diff: 'analysis-reused_ports: tshark-only [3], tcpscope-only []',
      reason:
        'frame 3 is the SYN/ACK answering the SYN of frame 1 (ack = ISN+1): the same connection, and tshark keeps it in the same stream. tshark flags "port numbers reused" only because it took the server side\'s base sequence number from the injected RST of frame 2 (seq 0) and the SYN/ACK differs from it; there was no earlier connection',
    },
    'unique-bytes': {
      diff: "unique-bytes: tcptrace #1 0/0 vs 175/0",
      reason:
        "tcptrace warns that the reserved bits are set and counts no data on the connection; tshark's stream payload is 175/0 bytes, as tcpscope's",
    },
  },
};
