#!/bin/bash
F=$1
tshark -n -r "$F" -Y http -T fields -e tcp.stream -e http.request.method -e http.request.uri -e http.response.code 2>/dev/null | awk -F'\t' '{ if ($2!="") print $1" REQ "$2" "$3; else print $1" RESP "$4 }' | sort -s -k1,1n -k2,2 > /tmp/ts.txt
node dist/bin/tcpscope.js analyze "$F" --format json 2>/dev/null | python3 -c "
import json,sys
r=json.load(sys.stdin)
for f in r['flows']:
  h=(f.get('app') or {}).get('http')
  if not h: continue
  for m in h['messages']:
    if m.get('cut')=='head-cut': continue
    if m['kind']=='request': print(f['id'],'REQ',m['method'],m['uri'])
    else: print(f['id'],'RESP',m['status'])
" | sort -s -k1,1n -k2,2 > /tmp/us.txt
echo "== $F tshark $(wc -l < /tmp/ts.txt) tcpscope $(wc -l < /tmp/us.txt)"
diff /tmp/ts.txt /tmp/us.txt | head -${2:-10}
