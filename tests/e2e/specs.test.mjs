// specs.test.mjs - the engineer chooses the specializations their diagnosis
// is made in (issue 12, defect 7 and Missing 3). E1040 鈴木 浩二 has answered
// in HW and FM (a draft): without a choice both stand, and submitting asks
// about FM's unanswered elements; after choosing HW only, SW and FM are 対象外
// on the overview, the SW form says so, and submitting checks HW alone (all
// answered: handed in at once). axe-core on the overview with the choice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, screenshot, story, axeViolations, itss } from './lib.mjs';

const USER = { login: 'e2e-e1040', password: 'e2e-e1040-password', empno: 'E1040' };
let browser, page;
const step = story();
before(async () => {
  process.env.ITSS_PASSWORD = USER.password;
  itss('user', 'add', USER.login, '--role', 'engineer', '--person', USER.empno);
  delete process.env.ITSS_PASSWORD;
  browser = await launch();
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP', bypassCSP: true,
    viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30000);
  page = await context.newPage();
  page.on('dialog', (d) => d.accept());   // the submit button asks to confirm
  await login(page, USER);
});
after(async () => { await browser?.close(); });

// The data-state of each specialization's row of the overview.
const states = async () => page.locator('table.diagnosis-progress tbody tr').evaluateAll(
  (rows) => Object.fromEntries(rows.map((r) => [r.dataset.spec, r.dataset.state])));

test('without a choice the specializations answered in stand', step('derived', async () => {
  await page.goto('/diagnosis');
  const covered = page.locator('section.spec-choice p.covered');
  assert.equal(await covered.getAttribute('data-chosen'), '0');
  assert.deepEqual(await covered.locator('strong').evaluateAll((s) => s.map((e) => e.dataset.spec)), ['HW', 'FM']);
  assert.ok(await page.locator('input[name="spec"][value="FM"]').isChecked());
}));

// Ticks exactly the specializations codes in the choice form and saves it.
async function choose(codes) {
  await page.goto('/diagnosis');
  for (const code of ['HW', 'SW', 'FM']) {
    const box = page.locator(`input[name="spec"][value="${code}"]`);
    if (codes.includes(code)) await box.check(); else await box.uncheck();
  }
  await Promise.all([page.waitForNavigation(),
    page.locator('form[action="/diagnosis/specs"] button[type="submit"]').click()]);
  assert.match(await page.locator('.message.ok').innerText(), /保存しました/);
}

test('with HW and SW chosen, submitting asks about SW only (HW is complete, FM not chosen)', step('ask', async () => {
  await choose(['HW', 'SW']);
  await Promise.all([page.waitForNavigation(),
    page.locator('form[action="/diagnosis/submit"] button[type="submit"]').first().click()]);
  const asked = await page.locator('section.unanswered li[data-spec]').evaluateAll((l) => l.map((e) => e.dataset.spec));
  assert.deepEqual(asked, ['SW']);
}));

test('the engineer chooses HW only: SW and FM 対象外, the SW form says so', step('choose', async () => {
  await choose(['HW']);
  const covered = page.locator('section.spec-choice p.covered');
  assert.equal(await covered.getAttribute('data-chosen'), '1');
  assert.equal(await covered.innerText(), '診断の対象: ハードウェア');
  assert.deepEqual(await states(), { HW: 'done', SW: 'not_chosen', FM: 'not_chosen' });
  assert.match(await page.locator('tr[data-spec="SW"]').innerText(), /対象外/);
  await screenshot(page, 'diagnosis-specs-hw-only');
  assert.deepEqual(await axeViolations(page), [], 'axe on the overview with the choice');
  await page.goto('/diagnosis/SW');
  assert.match(await page.locator('.not-diagnosed').innerText(), /ソフトウェア は診断の対象に選ばれていません/);
}));

test('submitting checks HW only: handed in at once', step('submit', async () => {
  await page.goto('/diagnosis');
  await Promise.all([page.waitForNavigation(),
    page.locator('form[action="/diagnosis/submit"] button[type="submit"]').first().click()]);
  assert.equal(await page.locator('section.unanswered').count(), 0, 'nothing asked about');
  const badge = page.locator('.diagnosis-facts .badge');
  assert.match(await badge.getAttribute('class'), /submitted/);
  await screenshot(page, 'diagnosis-specs-submitted');
}));
