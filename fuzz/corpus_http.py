#!/usr/bin/env python3
# corpus_http.py - writes the seed requests of fuzz_http into fuzz/corpus/fuzz_http/
# (run from the repository root: python3 fuzz/corpus_http.py). Raw HTTP/1.1
# requests with the fixed secrets fuzz_http.c gives the demo accounts (session
# cookies fuzz-session-ROLE, CSRF token fuzz-csrf, bearer tokens fuzz-token-ROLE)
# and the ids of the demo database (`itss demo`): person 4 is the manager, 5 the
# engineer of their section, 8-11 members with submitted assessments, 12 someone
# outside; experience records 11-13 are the manager's, 14-16 the engineer's.
# Check what each gets with FUZZ_HTTP_ECHO=1 build-fuzz/fuzz/fuzz_http FILE.
#
# The requests below are written by hand where a body or a query matters. The
# routes themselves come from the route table (`itss serve --routes`, the binary
# in $ITSS, else ./itss: run `make` first): every route no hand-written request
# reaches gets a plain seed at the end, so a new route is seeded without a line
# here.
import os, json, re, subprocess
C='fuzz/corpus/fuzz_http/'
asked=[]  # (method, path) of every request written
def req(name, method, path, who=None, body=b'', ctype=None, bearer=None, extra=()):
    asked.append((method, path.split('?')[0]))
    h=[f'{method} {path} HTTP/1.1', 'Host: 127.0.0.1:8080']
    if who: h.append(f'Cookie: itss_session=fuzz-session-{who}')
    if bearer: h.append(f'Authorization: Bearer fuzz-token-{bearer}')
    h+=list(extra)
    if isinstance(body,str): body=body.encode()
    if body or ctype:
        if ctype: h.append(f'Content-Type: {ctype}')
        h.append(f'Content-Length: {len(body)}')
    data=('\r\n'.join(h)+'\r\n\r\n').encode()+body
    open(C+name,'wb').write(data)
F='application/x-www-form-urlencoded'
J='application/json'
from urllib.parse import urlencode
def form(d): return urlencode(d, doseq=True)
# anonymous and malformed
req('root','GET','/')
req('login-page','GET','/login?next=%2Fresults&lang=en')
req('login-post','POST','/login',body=form({'csrf':'a'*43,'login':'engineer','password':'wrong-password','next':'/results'}),ctype=F,extra=['Cookie: itss_csrf='+'a'*43])
req('static','GET','/static/itss.css?v=1', extra=['If-None-Match: "x"','Accept-Encoding: gzip'])
req('healthz','HEAD','/healthz')
req('openapi','GET','/api/v1/openapi.json')
open(C+'bad-request-line','wb').write(b'GET /\r\n\r\n')
open(C+'bad-header','wb').write(b'GET /home HTTP/1.1\r\nno colon here\r\n\r\n')
open(C+'bad-length','wb').write(b'POST /login HTTP/1.1\r\nContent-Length: 99999999999999999999\r\nTransfer-Encoding: identity\r\n\r\nx')
open(C+'chunked','wb').write(b'POST /api/v1/people HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n')
req('percent','GET','/standard/%E3%83%8F%2F..%00?q=%ZZ&q=%E3%81&lang=xx', who='engineer', extra=['Cookie: a=b; itss_csrf=; =x','Accept-Language: en;q=0.9, ja'])
# engineer
req('eng-home','GET','/home',who='engineer')
req('eng-search','GET','/standard/search?q=%EF%BC%A8%EF%BC%B7+%E4%BF%9D%E5%AE%88&limit=5',who='engineer')
req('eng-level','GET','/standard/HW/4',who='engineer')
req('eng-area','GET','/standard/HW/area/UEA',who='engineer')
req('eng-results','GET','/results?spec=HW&target=HW:5&cycle=1',who='engineer')
req('eng-other','GET','/people/12/results',who='engineer')
req('eng-api-results','GET','/api/v1/people/5/results?spec=SW',bearer='engineer')
req('eng-element','GET','/api/v1/catalog/elements/CS.HW.L4.complexity.1',bearer='engineer')
req('eng-api-search','GET','/api/v1/catalog/search?q=%E4%BF%9D%E5%AE%88&limit=3',bearer='engineer')
req('eng-token','POST','/api/v1/tokens',bearer='engineer',body=json.dumps({'name':'script','expires_days':30}),ctype=J)
req('eng-tokens-form','POST','/account/tokens',who='engineer',body=form({'csrf':'fuzz-csrf','name':'ci','expires_days':'7'}),ctype=F)
# manager: own draft diagnosis, experience, review of members
req('mgr-diag','POST','/diagnosis/HW',who='manager',body=form({'csrf':'fuzz-csrf','met':['CS.HW.L3.responsibility','CS.HW.L3.complexity.1'],'ev.CS.HW.L3.complexity.1':['11','12']}),ctype=F)
req('mgr-skills','POST','/diagnosis/HW/skills',who='manager',body=form({'csrf':'fuzz-csrf','p.CS.HW.UEA.L3':'1','k.CS.HW.UEA.K01.01':'3','k.CS.HW.UEA.K01.02':'9'}),ctype=F)
req('mgr-exp-new','POST','/experience/new',who='manager',body=form({'csrf':'fuzz-csrf','project':'新システム','from':'2024-04','to':'2025-03','role':'リーダ','specialization':'CS.HW','level':'4','complexity':['CS.HW.L4.complexity.1'],'size':['CS.HW.L4.size.2'],'succeeded':'1','description':'説明'}),ctype=F)
req('mgr-exp-edit','POST','/experience/11/edit',who='manager',body=form({'csrf':'fuzz-csrf','project':'x','from':'2025-13','to':'2024-01','specialization':'CS.HWSW','level':'9','succeeded':'0'}),ctype=F)
req('mgr-api-assess','PUT','/api/v1/me/assessment',bearer='manager',body=json.dumps({'answers':[{'id':'CS.HW.L4.responsibility','met':True,'evidence':['11']},{'id':'CS.HW.UEA.K01.01','rating':2}]}),ctype=J)
req('mgr-api-exp','POST','/api/v1/me/experience',bearer='manager',body=json.dumps({'project':'p','from':'2023-01','to':None,'role':None,'specialization':'CS.SW','level':3,'complexity':[],'size':[],'succeeded':True,'description':None},ensure_ascii=False),ctype=J)
req('mgr-team','GET','/team?spec=HW&page=1',who='manager')
req('mgr-review','GET','/people/8/review?spec=HW&cycle=2',who='manager')
req('mgr-review-post','POST','/people/8/review',who='manager',body=form({'csrf':'fuzz-csrf','spec':'HW','cycle':'2','met':['CS.HW.L3.responsibility'],'k.CS.HW.UEA.K01.01':'4'}),ctype=F)
req('mgr-comment','POST','/people/8/comments',who='manager',body=form({'csrf':'fuzz-csrf','body':'<b>確認</b>\r\nお願いします','next':'/people/8/review'}),ctype=F)
req('mgr-return','POST','/api/v1/people/9/return',bearer='manager',body=json.dumps({'comment':'根拠を追記してください','cycle':'2026年度'},ensure_ascii=False),ctype=J)
req('mgr-rating','PUT','/api/v1/people/8/assessment/manager',bearer='manager',body=json.dumps({'answers':[{'id':'CS.HW.L4.complexity.2','met':False},{'id':'CS.HW.UEA.K01.01','rating':1}]}),ctype=J)
req('mgr-approve','POST','/people/10/approve',who='manager',body=form({'csrf':'fuzz-csrf'}),ctype=F)
# hr
req('hr-people','GET','/hr/people?q=%E9%88%B4%E6%9C%A8&page=2&org=3',who='hr')
req('hr-person-new','POST','/hr/people/new',who='hr',body=form({'csrf':'fuzz-csrf','employee_number':'E9001','name':'山田 太郎','kana':'ヤマダ タロウ','email':'t@example.jp','org_unit_id':'5','manager_employee_number':'E1011'}),ctype=F)
req('hr-cycle','POST','/hr/cycles',who='hr',body=form({'csrf':'fuzz-csrf','name':'2027年度','opens':'2027-04-01','closes':'2028-03-31'}),ctype=F)
req('hr-org','POST','/hr/org/5',who='hr',body=form({'csrf':'fuzz-csrf','code':'EAST-HW1','name':'保守一課','parent_id':'4'}),ctype=F)
csv='employee_number,name,kana,email,org_unit_code,manager_employee_number\r\nE9002,"佐藤, 花子",,,EAST-HW1,E1011\r\n'.encode()
b=b'----fz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nfuzz-csrf\r\n----fz\r\nContent-Disposition: form-data; name="kind"\r\n\r\npeople\r\n----fz\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\n1\r\n----fz\r\nContent-Disposition: form-data; name="encoding"\r\n\r\nauto\r\n----fz\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n'+csv+b'\r\n----fz--\r\n'
req('hr-import','POST','/hr/import',who='hr',body=b,ctype='multipart/form-data; boundary=--fz')
req('hr-api-import','POST','/api/v1/imports/assessments?dry_run=1&encoding=utf-8&filename=a.csv',bearer='hr',body='employee_number,cycle,catalog_version,element_id,rater,value,evidence\r\nE1011,2026年度,2011.1,CS.HW.L4.responsibility,self,1,11\r\n',ctype='text/csv')
req('hr-export','GET','/api/v1/exports/levels?format=json&cycle=2026%E5%B9%B4%E5%BA%A6',bearer='hr')
req('hr-export-page','GET','/hr/export/people.csv',who='hr')
req('hr-portfolio','GET','/api/v1/portfolio?cycle=2&compare=1',bearer='hr')
req('hr-api-person','PATCH','/api/v1/people/12',bearer='hr',body=json.dumps({'name':'x','org_unit_code':'WEST','manager_id':None,'email':'bad'}),ctype=J)
req('hr-api-cycle','PATCH','/api/v1/cycles/2',bearer='hr',body=json.dumps({'name':'2026年度','opens':'2026-04-01','closes':'2026-02-30'},ensure_ascii=False),ctype=J)
req('hr-api-org','POST','/api/v1/org-units',bearer='hr',body=json.dumps({'code':'NEW','name':'新部署','parent_code':'EAST'},ensure_ascii=False),ctype=J)
# admin
req('admin','GET','/admin/users/2',who='admin')
req('admin-add','POST','/api/v1/users',bearer='admin',body=json.dumps({'login':'new.user','role':'engineer','password':'short','employee_number':'E1014'}),ctype=J)
req('admin-edit','PATCH','/api/v1/users/1',bearer='admin',body=json.dumps({'role':'manager','disabled':False,'person_id':None}),ctype=J)
req('admin-form','POST','/admin/users/3',who='admin',body=form({'csrf':'fuzz-csrf','role':'hr','employee_number':''}),ctype=F)
req('logout','POST','/logout',who='engineer',body=form({'csrf':'fuzz-csrf'}),ctype=F)
# more pages and calls of every role (coverage of hr, admin, manager, experience)
for name,path in [('hr-dash','/hr'),('hr-cycles','/hr/cycles'),('hr-cycle-page','/hr/cycles/2'),('hr-orgs','/hr/org'),('hr-orgunit','/hr/org/5'),
                  ('hr-newperson','/hr/people/new'),('hr-editperson','/hr/people/12/edit'),('hr-exports','/hr/export'),('hr-importform','/hr/import'),
                  ('hr-team','/team?org=3&spec=FM&page=2'),('hr-results','/people/12/results?spec=HW&cycle=1&target=HW:6')]:
    req(name,'GET',path,who='hr')
req('hr-editperson-post','POST','/hr/people/12/edit',who='hr',body=form({'csrf':'fuzz-csrf','employee_number':'E1014','name':'名前','kana':'','email':'x@example.jp','org_unit_id':'6','manager_employee_number':'E1001'}),ctype=F)
req('hr-cycle-close','POST','/hr/cycles/1/close',who='hr',body=form({'csrf':'fuzz-csrf'}),ctype=F)
req('hr-org-add','POST','/hr/org',who='hr',body=form({'csrf':'fuzz-csrf','code':'X1','name':'新課','parent_id':'3'}),ctype=F)
for name,path in [('hr-api-cycles','/api/v1/cycles'),('hr-api-cycle-get','/api/v1/cycles/2'),('hr-api-orgs','/api/v1/org-units'),('hr-api-people','/api/v1/people?q=E10&limit=5&offset=2'),
                  ('hr-api-person-get','/api/v1/people/12'),('hr-api-export-people','/api/v1/exports/people?format=csv'),('hr-api-export-answers','/api/v1/exports/assessments?format=json&cycle=2025%E5%B9%B4%E5%BA%A6'),
                  ('hr-api-team','/api/v1/team?spec=HW')]:
    req(name,'GET',path,bearer='hr')
req('hr-api-person-add','POST','/api/v1/people',bearer='hr',body=json.dumps({'employee_number':'E9100','name':'新人','kana':None,'email':None,'org_unit_code':'EAST-HW1','manager_employee_number':'E1011'}),ctype=J)
req('hr-api-cycle-add','POST','/api/v1/cycles',bearer='hr',body=json.dumps({'name':'2027年度','opens':'2027-04-01','closes':'2028-03-31'},ensure_ascii=False),ctype=J)
req('admin-home','GET','/admin',who='admin')
req('admin-user-add','POST','/admin/users',who='admin',body=form({'csrf':'fuzz-csrf','login':'new-user','role':'manager','employee_number':'E1014','password':'x'}),ctype=F)
req('admin-disable','POST','/admin/users/1/disable',who='admin',body=form({'csrf':'fuzz-csrf'}),ctype=F)
req('admin-api-users','GET','/api/v1/users',bearer='admin')
req('admin-api-user','GET','/api/v1/users/3',bearer='admin')
req('mgr-results','GET','/people/8/results?spec=HW',who='manager')
req('mgr-api-answers','GET','/api/v1/people/8/assessment?rater=manager',bearer='manager')
req('mgr-return-form','POST','/people/9/return',who='manager',body=form({'csrf':'fuzz-csrf','comment':'もう一度','next':'/team'}),ctype=F)
req('mgr-experience','GET','/experience',who='manager')
req('mgr-exp-form','GET','/experience/new?specialization=CS.HW&level=4&back=%2Fdiagnosis%2FHW',who='manager')
req('mgr-api-exps','GET','/api/v1/me/experience',bearer='manager')
req('mgr-api-exp-put','PUT','/api/v1/me/experience/11',bearer='manager',body=json.dumps({'project':'更新','from':'2019-04','to':'2020-03','specialization':'CS.HW','level':3,'complexity':['CS.HW.L3.complexity.1'],'size':[],'succeeded':False},ensure_ascii=False),ctype=J)
req('mgr-api-exp-del','DELETE','/api/v1/me/experience/12',bearer='manager')
req('mgr-exp-del','POST','/experience/13/delete',who='manager',body=form({'csrf':'fuzz-csrf'}),ctype=F)
req('mgr-submit','POST','/api/v1/me/assessment/submit',bearer='manager',body='{}',ctype=J)
req('eng-tokens','GET','/api/v1/tokens',bearer='engineer')
req('eng-token-del','DELETE','/api/v1/tokens/1',bearer='engineer')
req('eng-token-revoke','POST','/account/tokens/2/revoke',who='engineer',body=form({'csrf':'fuzz-csrf'}),ctype=F)
req('eng-me','GET','/api/v1/me',bearer='engineer',extra=['Accept-Language: en'])
# development plans (育成計画) and qualifications: the engineer (5) and the manager above them
req('eng-plan','GET','/plan',who='engineer')
req('eng-plan-target','POST','/people/5/plan/target',who='engineer',body=form({'csrf':'fuzz-csrf','specialization':'HW','level':'5','date':'2099-03-31','next':'/plan'}),ctype=F)
req('eng-plan-target-bad','POST','/people/5/plan/target',who='engineer',body=form({'csrf':'fuzz-csrf','specialization':'HW','level':'9','date':'1999-02-30'}),ctype=F)
req('eng-plan-action','POST','/people/5/plan/actions',who='engineer',body=form({'csrf':'fuzz-csrf','item':'1','kind':'course','course':'NOPE','title':'<i>x</i>','due':'2099-01-31','next':'/plan'}),ctype=F)
req('eng-plan-status','POST','/people/5/plan/actions/1',who='engineer',body=form({'csrf':'fuzz-csrf','status':'done'}),ctype=F)
req('eng-qualification','POST','/people/5/qualifications',who='engineer',body=form({'csrf':'fuzz-csrf','exam':'FE','obtained_on':'2021-04-18','expires_on':'2020-01-01'}),ctype=F)
req('eng-api-plan-target','PUT','/api/v1/people/5/plan/target',bearer='engineer',body=json.dumps({'specialization':'CS.HW','level':5,'date':'2099-03-31'}),ctype=J)
req('eng-api-plan-action','POST','/api/v1/people/5/plan/actions',bearer='engineer',body=json.dumps({'item':2,'kind':'ojt','title':'障害対応のリーダー','due':'2099-06-30'},ensure_ascii=False),ctype=J)
req('eng-api-plan-patch','PATCH','/api/v1/people/5/plan/actions/1',bearer='engineer',body=json.dumps({'status':'in_progress','completed_on':None}),ctype=J)
req('eng-api-plan','GET','/api/v1/me/plan',bearer='engineer')
req('eng-api-quals','POST','/api/v1/people/5/qualifications',bearer='engineer',body=json.dumps({'vendor_code':'CCNA','vendor_name':'Cisco CCNA','obtained_on':'2022-01-01'}),ctype=J)
csv='code,title,provider,hours,covers\r\nHW-201,"研修, 上級",社内,3.5,CS.UEA CS.HW.UEA.K01\r\nbad code,x,,abc,CS.NOPE\r\n'.encode()
b=b'----fz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nfuzz-csrf\r\n----fz\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\n1\r\n----fz\r\nContent-Disposition: form-data; name="file"; filename="courses.csv"\r\nContent-Type: text/csv\r\n\r\n'+csv+b'\r\n----fz--\r\n'
req('hr-training-import','POST','/hr/training',who='hr',body=b,ctype='multipart/form-data; boundary=--fz')
req('hr-api-courses-import','POST','/api/v1/imports/courses?dry_run=1&filename=c.csv',bearer='hr',body=csv,ctype='text/csv')
req('hr-plans-unit','GET','/hr/plans?org=3',who='hr')
req('hr-api-plans','GET','/api/v1/plans?org=EAST-HW1',bearer='hr')
req('mgr-plan','GET','/people/5/plan',who='manager')
req('mgr-plan-approve','POST','/people/5/plan/approve',who='manager',body=form({'csrf':'fuzz-csrf','comment':'承認します'}),ctype=F)
req('mgr-api-plan-comment','POST','/api/v1/people/5/plan/comments',bearer='manager',body=json.dumps({'comment':'研修を追加してください'},ensure_ascii=False),ctype=J)
req('mgr-api-plan-approve','POST','/api/v1/people/5/plan/approve',bearer='manager',body='{}',ctype=J)
# behind a trusted proxy (fuzz_http.c trusts 192.0.2.0/24): the client's address from X-Forwarded-For
req('proxy-login','POST','/login',body=form({'csrf':'a'*43,'login':'engineer','password':'wrong-password'}),ctype=F,extra=['Cookie: itss_csrf='+'a'*43,'X-Forwarded-For: 203.0.113.9, 192.0.2.7','X-Forwarded-For: 2001:db8::5'])
req('hr-import-upload','POST','/api/v1/imports/people?dry_run=1',bearer='hr',body='employee_number,name\r\nE9001,Upload Test\r\n',ctype='text/csv')
# compression (web_gzip.c) and a masked CSRF token (account_mask: "~" + base64url)
req('gzip-standard','GET','/standard',who='engineer',extra=['Accept-Encoding: br, gzip;q=0.5, identity;q=0'])
req('masked-csrf','POST','/logout',who='engineer',body=form({'csrf':'~'+'A'*24}),ctype=F)
req('token-read-scope','POST','/api/v1/tokens',who='hr',body=json.dumps({'name':'ro','expires_days':30,'scope':'read'}),ctype=J,extra=['X-CSRF-Token: fuzz-csrf'])

# every route of the table that no request above reaches: a plain request by the
# first role that may use it (a page with the session cookie and, for a change,
# the CSRF field; an API call with the role's bearer token and an empty object)
routes=[l.split('\t') for l in subprocess.run([os.environ.get('ITSS','./itss'),'serve','--routes'],
        check=True,capture_output=True,text=True).stdout.splitlines()]
def reaches(pattern, path):
    rx='^'+re.sub(r':[a-z_]+','[^/]+',re.escape(pattern).replace('\\:',':')).replace('\\*','.+')+'$'
    return re.match(rx, path) is not None
ARG={'id':'8','token':'1','spec':'HW','level':'4','area':'UEA','file':'levels.csv','number':'1'}
for method,pattern,roles,flags,summary in routes:
    if any(m==method and reaches(pattern,p) for m,p in asked):
        continue
    path=re.sub(r':([a-z_]+)',lambda m:ARG.get(m.group(1),'1'),pattern).replace('*','itss.css')
    who=None if roles=='public' else roles.split(',')[0]
    name='route-'+method.lower()+re.sub(r'[^a-z0-9]+','-',pattern.lower()).rstrip('-')
    if 'api' in flags.split(','):
        body='{}' if method in ('POST','PUT','PATCH') else b''
        req(name,method,path,bearer=who,body=body,ctype=J if body else None)
    elif method=='GET':
        req(name,method,path,who=who)
    else:
        req(name,method,path,who=who,body=form({'csrf':'fuzz-csrf'}),ctype=F)
