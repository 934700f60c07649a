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
};
