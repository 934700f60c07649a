import json,sys,subprocess
F=sys.argv[1]; flows=[int(x) for x in sys.argv[2:]]
r=json.loads(subprocess.run(['node','dist/bin/tcpscope.js','analyze',F,'--format','json'],capture_output=True,text=True).stdout)
for f in r['flows']:
  if flows and f['id'] not in flows: continue
  h=(f.get('app') or {}).get('http')
  if not h: continue
  print('flow',f['id'],{k:v for k,v in h.items() if k!='messages'})
  for m in h['messages']:
    print('  ',m['index'],m['kind'],m.get('method'),(m.get('uri') or '')[:50],m.get('status'),m['firstFrame'],m['lastFrame'],'framing',m['framing'],'body',m['bodyLength'],'missing',m.get('bodyMissingBytes'),'complete',m['complete'],m.get('cut'),m.get('issues'))
  print('  findings', [ (a['code'],a['frame'],a.get('detail')) for a in f['anomalies'] if a['code'].startswith('http') or a['code']=='limit_reached'])
