// mail.test.mjs - an action in the browser makes an e-mail reach the local SMTP
// sink run.sh started (issue 12, Missing 5; docs/notifications.md): the member
// E1041 of 金融システム保守課 switches the site to English; the manager returns
// the member's submitted diagnosis with a reason on the review page; the
// return mail reaches the sink addressed to the member, in English (the
// language the member chose), with the reason and a link to /diagnosis on this
// server. The administrator sees it sent on /admin/outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BASE, launch, newPage, login, screenshot, api, story, USERS } from './lib.mjs';

const MEMBER = { login: 'e2e-member', password: 'e2e-member-password', empno: 'E1041' };
const REASON = 'スキル熟達度の根拠を書き足してください (e2e)';
const SINK = process.env.SMTP_SINK;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const step = story();

// RFC 2047 encoded words ("=?UTF-8?B?...?=") of a header value, decoded.
function decodeWords(value) {
  return value.replace(/\r\n[ \t]/g, '').replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

// Every message the sink took, as { to, subject, body } (body decoded from base64).
function sinkMessages() {
  if (!SINK) return [];
  let names = [];
  try { names = readdirSync(SINK).filter((n) => n.endsWith('.done')).sort(); } catch { return []; }
  return names.map((n) => {
    const m = JSON.parse(readFileSync(path.join(SINK, n.replace(/\.done$/, '.json')), 'utf8'));
    const [head, ...rest] = m.data.split('\r\n\r\n');
    const headers = {};
    for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const body = /base64/i.test(headers['content-transfer-encoding'] || '')
      ? Buffer.from(rest.join('\r\n\r\n').replace(/\s+/g, ''), 'base64').toString('utf8') : rest.join('\r\n\r\n');
    return { to: m.to, subject: decodeWords(headers.subject || ''), headers, body: body.replace(/\r\n/g, '\n') };
  });
}

// Waits (at most 30 s, polling the directory) for a message to addr whose subject matches.
async function waitForMail(addr, subject) {
  const until = Date.now() + 30000;
  for (;;) {
    const found = sinkMessages().find((m) => m.to.includes(addr) && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > until) {
      const seen = sinkMessages().map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n');
      assert.fail(`no mail to ${addr} with a subject matching ${subject} reached the sink; it has:\n${seen}`);
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

let memberId, memberAddr;

test('the sink is there and the member has a submitted diagnosis', step('setup', async () => {
  assert.ok(SINK, 'run.sh gives SMTP_SINK');
  const page = await newPage(browser);
  await login(page, USERS.hr);
  const people = await api(page, `/api/v1/people?q=${MEMBER.empno}`);
  const member = people.people.find((p) => p.employee_number === MEMBER.empno);
  assert.ok(member?.email, `${MEMBER.empno} has an e-mail address`);
  memberId = member.id;
  memberAddr = member.email;
  await page.context().close();
}));

test('the member switches the site to English', step('english', async () => {
  const page = await newPage(browser);
  await login(page, MEMBER);
  await page.goto('/diagnosis');
  await Promise.all([page.waitForNavigation(), page.click('a[href*="lang=en"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('.badge').first().getAttribute('class'), /submitted/);
  await page.context().close();
}));

test('the manager returns the member\'s diagnosis with a reason', step('return', async () => {
  const page = await newPage(browser);
  await login(page, USERS.manager);
  await page.goto(`/people/${memberId}/review`);
  await page.fill('#return-comment', REASON);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/return"] button[type="submit"]')]);
  assert.match(new URL(page.url()).pathname, new RegExp(`^/people/${memberId}/review$`));
  assert.deepEqual(page.problems, []);
  await page.context().close();
}));

test('the return mail reaches the sink: to the member, in English, with the reason and the link', step('mail', async () => {
  const mail = await waitForMail(memberAddr, /returned/);
  assert.match(mail.subject, /^\[ITSS\] Your .+ skill diagnosis was returned$/);
  assert.match(mail.headers['content-type'], /text\/plain; charset=UTF-8/i);
  assert.ok(mail.headers.date && mail.headers['message-id'], 'Date and Message-ID headers');
  assert.ok(mail.body.includes(REASON), `the body quotes the reason:\n${mail.body}`);
  assert.ok(mail.body.includes(`${BASE}/diagnosis`), `the body links to ${BASE}/diagnosis:\n${mail.body}`);
}));

test('the administrator sees it sent on /admin/outbox', step('outbox', async () => {
  const page = await newPage(browser);
  await login(page, USERS.admin);
  await page.goto('/admin/outbox?status=sent');
  const row = page.locator('tbody tr', { hasText: memberAddr }).first();
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /returned|差し戻/);
  assert.match(await row.locator('span[class^="status-"]').getAttribute('class'), /status-sent/);
  await screenshot(page, 'admin-outbox');
  const json = await api(page, '/api/v1/admin/outbox?status=sent');
  assert.ok(json.messages.some((m) => m.to === memberAddr && m.template === 'returned' && m.attempts >= 1));
  assert.deepEqual(page.problems, []);
  await page.context().close();
}));
