// accounts.test.mjs - accounts in bulk with one-time sign-in links (issue 12,
// Missing 7): the administrator makes an account for everyone of an org unit
// on /admin/accounts, the printed list shows a link per person; the link,
// opened in a fresh browser (no cookies), asks the person to set a password and
// lands them signed in on their home page; the link then no longer works. The
// result page, the link's form and the page of a used link pass axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, newPage, login, screenshot, story, USERS } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The serious and critical violations axe finds on the page, one line each.
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).join(' | ')}`);
}

// A context whose pages axe may be injected into (the pages allow no inline script).
async function axeContext() {
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP', bypassCSP: true,
    viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30000);
  return context;
}

const step = story();
let link = null;        // the first printed link: { url, login }

test('the administrator makes accounts for everyone of 電源・空調保全課 and gets a printable list of links',
  step('make', async () => {
    const context = await axeContext();
    const page = await context.newPage();
    await login(page, USERS.admin);
    await page.goto('/admin');
    await Promise.all([page.waitForURL(/\/admin\/accounts$/), page.click('a[href="/admin/accounts"]')]);
    await page.fill('input[name="unit"]', 'FAC-EQ');
    await page.uncheck('input[name="sub_units"]');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action="/admin/accounts/unit"] button[type="submit"]'),
    ]);
    assert.match(await page.locator('.message.ok').innerText(), /件のアカウントを作成しました/);
    const rows = page.locator('table.signin-links tbody tr');
    assert.ok(await rows.count() >= 1, 'at least one link');
    const url = (await rows.first().locator('td.signin-url').innerText()).trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/signin\/[A-Za-z0-9_-]{43}$/);
    link = { url, login: (await rows.first().locator('td').nth(2).innerText()).trim() };
    const download = await page.locator('a[download="signin-links.csv"]').getAttribute('href');
    assert.ok(decodeURIComponent(download.replace(/^data:text\/csv;charset=utf-8,/, '')).includes(url),
      'the CSV download holds the same links');
    await screenshot(page, 'accounts-links');
    assert.deepEqual(await violations(page), [], 'axe on the page of links');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('a[download="signin-links.csv"]').isVisible(), false, 'printed without buttons');
    await screenshot(page, 'accounts-links-print');
    await context.close();
  }));

test('the person opens the printed link in a fresh browser, sets a password and lands signed in',
  step('follow', async () => {
    const context = await axeContext();
    const page = await context.newPage();
    const response = await page.goto(link.url);
    assert.equal(response.status(), 200);
    assert.match(await page.locator('main').innerText(), new RegExp(`ユーザー名 ${link.login}`));
    assert.deepEqual(await violations(page), [], 'axe on the link\'s form');
    await screenshot(page, 'signin-form');
    await page.fill('input[name="password"]', 'a-new-password-1');
    await page.fill('input[name="again"]', 'a-new-password-1');
    await Promise.all([page.waitForURL(/\/home$/), page.click('form button[type="submit"]')]);
    assert.equal((await page.locator('header .who').innerText()).split(/\s/)[0], link.login);
    await screenshot(page, 'signin-home');
    await context.close();
  }));

test('the used link no longer works, and the password set logs in', step('used', async () => {
  const context = await axeContext();
  const page = await context.newPage();
  const response = await page.goto(link.url);
  assert.equal(response.status(), 410);
  assert.match(await page.locator('.message.error').innerText(), /すでに使われました/);
  assert.deepEqual(await violations(page), [], 'axe on the page of a used link');
  await context.close();
  const again = await newPage(browser);
  await login(again, { login: link.login, password: 'a-new-password-1' });
  await again.context().close();
}));
