import json,sys,subprocess,collections
def run(F, ooo):
  args=['tshark','-n','-r',F]+(['-o','tcp.reassemble_out_of_order:TRUE'] if ooo else [])+['-Y','http','-T','fields','-e','tcp.stream','-e','http.request.method','-e','http.request.uri','-e','http.response.code']
  out=subprocess.run(args,capture_output=True,text=True).stdout
  ts=collections.defaultdict(list)
  for line in out.splitlines():
    p=line.split('\t')
    if p[1]: ts[(int(p[0]),'Q')].append(p[1]+' '+p[2])
    else: ts[(int(p[0]),'R')].append(p[3])
  return ts
F=sys.argv[1]
r=json.loads(subprocess.run(['node','dist/bin/tcpscope.js','analyze',F,'--format','json'],capture_output=True,text=True).stdout)
us=collections.defaultdict(list); usall=collections.defaultdict(list)
for f in r['flows']:
  h=(f.get('app') or {}).get('http')
  if not h: continue
  for m in h['messages']:
    k=(f['id'],'Q' if m['kind']=='request' else 'R')
    v=(m['method']+' '+m['uri']) if m['kind']=='request' else str(m['status'])
    usall[k].append(v)
    if m['complete'] and not m.get('bodyMissingBytes'): us[k].append(v)
for ooo in (False,True):
  ts=run(F,ooo)
  keys=sorted(set(ts)|set(us))
  bad=[(k,ts.get(k,[]),us.get(k,[]),usall.get(k,[])) for k in keys if [x[:1000] for x in ts.get(k,[])]!=[x[:1000] for x in us.get(k,[])]]
  print(F.split('/')[-1],'ooo' if ooo else 'default','tshark',sum(len(v) for v in ts.values()),'ours complete',sum(len(v) for v in us.values()),'all',sum(len(v) for v in usall.values()),'differing',len(bad))
  for b in bad[:int(sys.argv[2]) if len(sys.argv)>2 else 4]: print('   ',b[0],'tshark',[x[:60] for x in b[1]],'ours',[x[:60] for x in b[2]],'all',[x[:60] for x in b[3]])
