// login.test.mjs - logging in and out in the browser: every demo account gets
// in and is shown its role, a wrong password and an unknown user get the same
// refusal, a page asked for before login is reached after it, and after logout
// the pages ask for a login again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, logout, screenshot, USERS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the login page is shown to a visitor, in Japanese with an English switch', async () => {
  const page = await newPage(browser);
  const response = await page.goto('/');
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /^\/login/);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  assert.equal(await page.locator('input[name="login"]').count(), 1);
  assert.equal(await page.locator('input[name="password"][type="password"]').count(), 1);
  await screenshot(page, 'login');
  await page.click('a[href*="lang=en"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await screenshot(page, 'login-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a wrong password and an unknown user get the same refusal', async () => {
  const page = await newPage(browser);
  const refusal = async (loginName, password) => {
    await page.goto('/login');
    await page.fill('input[name="login"]', loginName);
    await page.fill('input[name="password"]', password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.click('form[action="/login"] button[type="submit"]'),
    ]);
    await page.waitForLoadState('load');
    assert.match(new URL(page.url()).pathname, /^\/login/);
    return { status: response.status(), text: (await page.locator('.message.error').innerText()).trim() };
  };
  const wrongPassword = await refusal(USERS.manager.login, 'not-the-password');
  const unknownUser = await refusal('nobody-of-that-name', 'not-the-password');
  assert.equal(wrongPassword.status, 401);
  assert.ok(wrongPassword.text.length > 0);
  assert.deepEqual(unknownUser, wrongPassword);
  await screenshot(page, 'login-refused');
  await page.context().close();
});

for (const [role, user] of Object.entries(USERS)) {
  test(`${user.login} (${role}) logs in, sees their login on every page, and logs out`, async () => {
    const page = await newPage(browser);
    await login(page, user);
    assert.equal((await page.locator('header .who').innerText()).split(/\s/)[0], user.login);
    await logout(page);
    const response = await page.goto('/home');
    assert.equal(response.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/login/, 'after logout /home asks for a login again');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('a page asked for before login is reached after it', async () => {
  const page = await newPage(browser);
  await page.goto('/home?from=bookmark');
  assert.match(page.url(), /\/login\?next=/);
  await page.fill('input[name="login"]', USERS.hr.login);
  await page.fill('input[name="password"]', USERS.hr.password);
  await Promise.all([page.waitForURL(/\/home\?from=bookmark$/),
    page.click('form[action="/login"] button[type="submit"]')]);
  await page.context().close();
});
