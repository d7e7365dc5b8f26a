// pages.test.mjs - the main pages of each role as a browser shows them: each
// answers 200 without a script error, in Japanese and in English, and fits a
// phone's width (no sideways scrolling of the page itself; wide tables scroll
// in their own box). A full-page screenshot of each is kept in E2E_OUTPUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, screenshot, USERS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGES = {
  demoEngineer: ['/home', '/standard', '/standard/HW', '/standard/HW/3', '/standard/HW/area/UEA',
    '/standard/search?q=%E4%BF%9D%E5%AE%88', '/diagnosis', '/experience', '/results', '/plan', '/account/tokens'],
  manager: ['/team', '/results', '/plan'],
  hr: ['/hr', '/hr/cycles', '/hr/org', '/hr/people', '/hr/import', '/hr/export', '/hr/plans', '/hr/training'],
  admin: ['/admin'],
};

// "/standard/HW/3" -> "standard-HW-3"
const shotName = (role, path, suffix) =>
  `page-${role}-${path.replace(/\?.*/, '').replace(/^\//, '').replace(/\//g, '-') || 'root'}${suffix}`;

for (const [role, paths] of Object.entries(PAGES)) {
  test(`the pages of ${USERS[role].login} show in Japanese and English without errors`, async () => {
    const page = await newPage(browser);
    await login(page, USERS[role]);
    for (const path of paths) {
      const response = await page.goto(path);
      assert.equal(response.status(), 200, `${path} as ${USERS[role].login}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      assert.ok((await page.title()).length > 0, `${path} has a title`);
      await screenshot(page, shotName(role, path, ''));
    }
    // The language switch keeps the page and is remembered.
    await page.goto(paths[0]);
    await Promise.all([page.waitForNavigation(), page.click('a[href*="lang=en"]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    for (const path of paths) {
      await page.goto(path);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', `${path} stays in English`);
      await screenshot(page, shotName(role, path, '-en'));
    }
    assert.deepEqual(page.problems, [], `no script errors on the pages of ${USERS[role].login}`);
    await page.context().close();
  });
}

test('every link of the site navigation leads to a page, for every role', async () => {
  const broken = [];
  for (const role of ['demoEngineer', 'manager', 'hr', 'admin']) {
    const page = await newPage(browser);
    await login(page, USERS[role]);
    const links = await page.locator('nav.main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 2, `${USERS[role].login} has a navigation`);
    for (const href of links) {
      const status = (await page.goto(href)).status();
      if (status !== 200) broken.push(`${href} as ${USERS[role].login}: ${status}`);
    }
    await page.context().close();
  }
  assert.deepEqual(broken, []);
});

test('the pages fit a phone\'s width', async () => {
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP',
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const wide = [];
  for (const role of ['demoEngineer', 'manager', 'hr']) {
    await login(page, USERS[role]);
    for (const [i, path] of PAGES[role].entries()) {
      await page.goto(path);
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (scroll > inner + 1) wide.push(`${path} as ${USERS[role].login}: ${scroll}px wide in ${inner}px`);
      if (i === 0) await screenshot(page, shotName(role, path, '-phone'));
    }
    await context.clearCookies();
  }
  assert.deepEqual(wide, []);
  await context.close();
});
