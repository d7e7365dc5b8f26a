// a11y.test.mjs - every page of every role passes axe-core (pinned in
// package.json) with no serious or critical violation, at 1280 px and on a
// 390 px phone, in Japanese; plus what axe does not measure: the sticky save
// bar never hides the control that has the focus (WCAG 2.2 2.4.11), and on the
// phone the diagnosis overview's 回答状況 and 回答する columns are on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, login, USERS } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [
  { name: '1280', viewport: { width: 1280, height: 900 } },
  { name: '390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

// The pages of each role; a function finds the path of a page that needs an id
// from a page the role can see (the first matching link there).
const firstLink = (from, selector) => async (page) => {
  await page.goto(from);
  const href = await page.locator(selector).first().getAttribute('href');
  assert.ok(href, `a link ${selector} on ${from}`);
  return href;
};
const PAGES = {
  anonymous: ['/login'],
  demoEngineer: ['/home', '/standard', '/standard/HW', '/standard/HW/3', '/standard/HW/area/UEA',
    '/standard/search?q=%E4%BF%9D%E5%AE%88', '/diagnosis', '/diagnosis/HW', '/diagnosis/HW/skills', '/diagnosis/HW/skills/UEA', '/experience',
    '/results', '/plan', '/account/tokens', '/account/password'],
  // The manager's own diagnosis of the open cycle is a draft: its forms can be saved.
  manager: ['/home', '/team', '/team?status=submitted&sort=name', firstLink('/team', 'a[href*="/review"]'), firstLink('/team', 'a[href*="/results"]'),
    '/diagnosis', '/diagnosis/HW', '/diagnosis/HW/skills', '/diagnosis/SW/skills/UEA', '/experience', '/experience/new',
    firstLink('/experience', 'a[href$="/edit"]'), '/results', '/plan', '/search?spec=HW&level=1'],
  hr: ['/home', '/hr', '/hr/cycles', firstLink('/hr/cycles', 'a[href^="/hr/cycles/"]'), '/hr/org',
    firstLink('/hr/org', 'a[href^="/hr/org/"]'), '/hr/people', '/hr/people/new',
    firstLink('/hr/people', 'a[href$="/edit"]'), '/hr/import', '/hr/export', '/hr/plans', '/hr/training',
    '/certificates', '/team', firstLink('/hr', 'a[href^="/hr/portfolio/people"]'), '/hr/orgview',
    '/hr/skillmap?spec=HW', '/hr/trends', '/hr/targets', '/search?spec=HW&level=1'],
  admin: ['/home', '/admin', firstLink('/admin', 'a[href^="/admin/users/"]'), '/admin/accounts', '/admin/outbox',
    '/account/tokens',
    '/account/password'],
};

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

for (const [role, pages] of Object.entries(PAGES)) {
  for (const width of WIDTHS) {
    test(`axe: the pages of ${role} at ${width.name} px have no serious or critical violation`, async () => {
      // bypassCSP: the pages allow no inline script, and axe is injected as one.
      const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP', bypassCSP: true,
        viewport: width.viewport, isMobile: !!width.isMobile, hasTouch: !!width.hasTouch });
      context.setDefaultTimeout(60000);
      const page = await context.newPage();
      if (role !== 'anonymous') await login(page, USERS[role]);
      const found = [];
      for (const entry of pages) {
        const path = typeof entry === 'function' ? await entry(page) : entry;
        const response = await page.goto(path);
        if (response.status() !== 200) found.push(`${path}: status ${response.status()}`);
        else for (const v of await violations(page)) found.push(`${path}: ${v}`);
      }
      await context.close();
      assert.deepEqual(found, [], `axe at ${width.name} px as ${role}`);
    });
  }
}

// The controls of the diagnosis form, each focused in turn from the keyboard's
// point of view (scrolled into view the way focus does): none ends under the
// sticky bar that holds the save button.
test('the sticky save bar never hides the focused control (WCAG 2.4.11)', async () => {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP',
      viewport: width.viewport, isMobile: !!width.isMobile, hasTouch: !!width.hasTouch });
    const page = await context.newPage();
    await login(page, USERS.manager);   // his diagnosis of the open cycle is a draft: the form can be saved
    for (const path of ['/diagnosis/HW', '/diagnosis/HW/skills']) {
      await page.goto(path);
      const hidden = await page.evaluate(() => {
        const bars = [...document.querySelectorAll('.form-actions')];
        const controls = [...document.querySelectorAll('form[data-warn-unsaved] input:not([type=hidden])')];
        const out = [];
        window.scrollTo(0, 0);
        for (const [i, el] of controls.entries()) {
          if (i % 7) continue;                       // a sample through the page
          el.focus();
          const r = el.getBoundingClientRect();
          for (const bar of bars) {
            const b = bar.getBoundingClientRect();
            if (getComputedStyle(bar).position === 'sticky' && b.top < r.bottom && r.top < b.bottom
                && b.left < r.right && r.left < b.right)
              out.push(el.name + '=' + el.value);
          }
        }
        return out;
      });
      assert.deepEqual(hidden, [], `${path} at ${width.name} px: focused controls under the save bar`);
    }
    await context.close();
  }
});

test('on a phone the diagnosis overview shows its progress and answer columns', async () => {
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP',
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, USERS.manager);
  await page.goto('/diagnosis');
  for (const header of ['回答状況', '回答する']) {
    const cell = page.locator('table.diagnosis-progress th', { hasText: header });
    const box = await cell.boundingBox();
    assert.ok(box, `${header} is shown`);
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `${header} is on screen (x ${box.x}, width ${box.width})`);
  }
  await context.close();
});
