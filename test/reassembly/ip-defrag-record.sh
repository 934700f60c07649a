#!/bin/bash
# Records the "own" captures of test/reassembly/ip-defrag-captures.ts (run as root; needs iputils-ping,
# tcpdump, python3). Creates three network namespaces tsdf-{a,r,b} with veth pairs, writes
# /tmp/defrag-v4.pcap and /tmp/defrag-v6.pcap, and deletes the namespaces on exit. Then:
#   python3 test/reassembly/ip-defrag-captures.gen.py > test/reassembly/ip-defrag-captures.ts
# Record real fragmented traffic between network namespaces created here (deleted at the end).
trap cleanup EXIT
A=tsdf-a; R=tsdf-r; B=tsdf-b
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $R 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
cleanup
ip netns add $A; ip netns add $R; ip netns add $B
ip link add tsdf-ar type veth peer name tsdf-ra
ip link add tsdf-rb type veth peer name tsdf-br
ip link set tsdf-ar netns $A; ip link set tsdf-ra netns $R
ip link set tsdf-rb netns $R; ip link set tsdf-br netns $B
ip -n $A link set lo up; ip -n $R link set lo up; ip -n $B link set lo up
ip -n $A link set tsdf-ar address 02:00:00:00:0a:01 mtu 1500 up
ip -n $R link set tsdf-ra address 02:00:00:00:0a:02 mtu 1500 up
ip -n $R link set tsdf-rb address 02:00:00:00:0b:02 mtu 576 up
ip -n $B link set tsdf-br address 02:00:00:00:0b:01 mtu 1500 up
ip -n $A addr add 10.99.1.1/24 dev tsdf-ar
ip -n $R addr add 10.99.1.2/24 dev tsdf-ra
ip -n $R addr add 10.99.2.2/24 dev tsdf-rb
ip -n $B addr add 10.99.2.1/24 dev tsdf-br
ip -n $A route add default via 10.99.1.2
ip -n $B route add default via 10.99.2.2 mtu 576 advmss 1460
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
ip netns exec $A sysctl -qw net.ipv4.ip_no_pmtu_disc=1
# IPv6 on a direct pair with MTU 1280
ip link add tsdf-a6 type veth peer name tsdf-b6
ip link set tsdf-a6 netns $A; ip link set tsdf-b6 netns $B
ip -n $A link set tsdf-a6 address 02:00:00:00:06:01 mtu 1280 up
ip -n $B link set tsdf-b6 address 02:00:00:00:06:02 mtu 1280 up
ip -n $A addr add fd99::1/64 dev tsdf-a6 nodad
ip -n $B addr add fd99::2/64 dev tsdf-b6 nodad
ip netns exec $B sysctl -qw net.ipv4.ip_forward=0
sleep 1
ip netns exec $B tcpdump -i tsdf-br -w /tmp/defrag-v4.pcap -U -s 0 'ip' 2>/dev/null & P1=$!
ip netns exec $B tcpdump -i tsdf-b6 -w /tmp/defrag-v6.pcap -U -s 0 'ip6 and not icmp6[0] >= 133' 2>/dev/null & P2=$!
sleep 1
# TCP server in B
ip netns exec $B python3 -c '
import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.99.2.1", 5001)); s.listen(1)
c,_=s.accept(); n=0
while n < 1400:
    d=c.recv(65536)
    if not d: break
    n+=len(d)
c.close(); s.close()' & P3=$!
sleep 0.5
ip netns exec $A ping -c 1 -W 2 -s 1200 -p 5a 10.99.2.1 >/dev/null || echo ping4 failed
ip netns exec $A python3 -c '
import socket
s=socket.create_connection(("10.99.2.1", 5001), timeout=5)
s.sendall(bytes((i*7)&255 for i in range(1400)))
import time; time.sleep(0.3); s.close()'
(sleep 5; kill $P3 2>/dev/null) & wait $P3 || true
ip netns exec $A ping -6 -c 1 -W 2 -s 3000 -p a5 fd99::2 >/dev/null || echo ping6 failed
ip netns exec $A python3 -c '
import socket
s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(bytes((i*7+3)&255 for i in range(2000)), ("fd99::2", 9999))'
sleep 1
kill $P1 $P2; wait $P1 $P2 2>/dev/null || true
cleanup
ip link show | grep -c tsdf || true
