// plan.test.mjs - a development plan (育成計画) in the browser, as issue 13's
// "done when" tells it: HR imports the training catalog; an engineer of
// 金融システム保守課 (E1036) sets ハードウェア level 5 as the target, and the
// plan lists the gap in the standard's own words (checked against the
// catalog's text from the API); their manager approves the plan; a course of
// the catalog is attached to an item it covers; the next cycle's answers
// close two items and the plan shows it, item by item and in its progress.
// Each step depends on the one before: after a failure the rest are skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launch, newPage, login, screenshot, api, itss, story, USERS } from './lib.mjs';

const step = story();
let browser, engineer, manager, hr, dir;
let personId, plan;
const COURSE = 'E2E-HW-501';

// axe-core, when the suite has it (package.json pins it; a11y.test.mjs sweeps
// every page): the plan pages are checked here with a plan, actions, comments
// and courses on them, which the sweep's empty pages do not show.
let AXE = null;
try { AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js'); } catch { AXE = null; }

// A date a year from now (the target may not be in the past), YYYY-MM-DD.
function nextYear() {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

before(async () => {
  browser = await launch();
  engineer = await newPage(browser);
  manager = await newPage(browser);
  hr = await newPage(browser);
  dir = mkdtempSync(path.join(tmpdir(), 'itss-e2e-plan-'));
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Submits the form whose action is exactly action and waits for the page it leads to.
async function submitForm(page, action) {
  const form = page.locator(`form[action="${action}"]`);
  await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').first().click()]);
}

test('HR imports the training catalog from CSV', step('catalog', async () => {
  await login(hr, USERS.hr);
  const csv = path.join(dir, 'courses.csv');
  writeFileSync(csv, 'code,title,provider,hours,covers\r\n'
    + `${COURSE},ハードウェアサービス責任者のためのユーザ環境分析,社内研修センター,14,CS.UEA CS.HW.UEA.K01\r\n`);
  await hr.goto('/hr/training');
  await hr.setInputFiles('input[name="file"]', csv);
  await submitForm(hr, '/hr/training');
  assert.equal(await hr.locator('table.courses td.id', { hasText: COURSE }).count(), 1, 'the course is listed');
  await screenshot(hr, 'training-catalog');
}));

test('the engineer sets ハードウェア level 5 as the target; the plan quotes the standard', step('target', async () => {
  await login(engineer, USERS.engineer);
  await engineer.goto('/plan');
  await engineer.selectOption('select[name="specialization"]', 'HW');
  await engineer.selectOption('select[name="level"]', '5');
  await engineer.fill('input[name="date"]', nextYear());
  await submitForm(engineer, (await engineer.locator('form[action$="/plan/target"]').getAttribute('action')));
  assert.equal(new URL(engineer.url()).pathname, '/plan');
  plan = (await api(engineer, '/api/v1/me/plan')).plan;
  personId = (await api(engineer, '/api/v1/me')).person_id;
  assert.equal(plan.target.level, 5);
  assert.equal(plan.status, 'draft');
  assert.ok(plan.items.length > 2, 'the gap has items');
  // Each item on the page says what the standard says, word for word.
  const responsibility = plan.items.find((i) => i.element_id === 'CS.HW.L5.responsibility');
  assert.ok(responsibility, 'level 5 responsibility is in the gap');
  const element = await api(engineer, '/api/v1/catalog/elements/CS.HW.L5.responsibility');
  const standard = JSON.stringify(element).match(/"text":"([^"]+)"/)[1];
  const shown = await engineer.locator('li.plan-item[data-element="CS.HW.L5.responsibility"] .standard-text')
    .innerText();
  assert.equal(shown.trim(), standard, 'the item quotes the standard');
  assert.equal(await engineer.locator('li.plan-item').count(), plan.items.length, 'every item is on the page');
  await screenshot(engineer, 'plan-target');
}));

test('the manager approves the plan', step('approve', async () => {
  await login(manager, USERS.manager);
  await manager.goto(`/people/${personId}/plan`);
  assert.equal(await manager.locator('.plan-target .badge.draft').count(), 1);
  await manager.fill('#f-approve-comment', '研修と OJT で進めてください');
  await submitForm(manager, `/people/${personId}/plan/approve`);
  assert.equal(await manager.locator('.plan-target .badge.approved').count(), 1, 'the plan is approved');
  await screenshot(manager, 'plan-approved');
  // The engineer cannot approve it (the reviewing rule): the route is not theirs.
  const response = await engineer.context().request.post(`/people/${personId}/plan/approve`, { maxRedirects: 0 });
  assert.equal(response.status(), 403);
}));

test('a course of the catalog is attached to an item it covers', step('course', async () => {
  await engineer.goto('/plan');
  const item = plan.items.find((i) => i.suggested_courses.some((c) => c.code === COURSE));
  assert.ok(item, `an item for which ${COURSE} is suggested`);
  assert.ok(await engineer.locator(`#item-${item.id} .plan-suggested`, { hasText: COURSE }).count(),
    'the page suggests the course on that item');
  await engineer.selectOption('select[name="item"]', String(item.id));
  await engineer.selectOption('select[name="kind"]', 'course');
  await engineer.selectOption('select[name="course"]', COURSE);
  await engineer.fill('#add-action input[name="due"]', nextYear());
  await submitForm(engineer, `/people/${personId}/plan/actions`);
  const action = engineer.locator(`#item-${item.id} .plan-action`);
  assert.equal(await action.count(), 1);
  assert.match(await action.innerText(), new RegExp(COURSE));
  await screenshot(engineer, 'plan-course');
}));

test('the next cycle\'s answers close two items and the plan shows it', step('closed', async () => {
  const closing = plan.items.filter((i) => i.kind === 'responsibility' || i.kind === 'check_item').slice(0, 2);
  assert.equal(closing.length, 2);
  itss('cycle', 'add', '次の年度e2e', '--opens', '2098-04-01', '--closes', '2099-03-31');
  const csv = path.join(dir, 'next.csv');
  writeFileSync(csv, 'employee_number,cycle,element_id,rater,value\r\n'
    + closing.map((i) => `${USERS.engineer.empno},次の年度e2e,${i.element_id},self,1\r\n`).join(''));
  itss('import', 'assessments', csv);
  await engineer.goto('/plan');
  for (const i of closing)
    assert.equal(await engineer.locator(`li.plan-item.closed[data-element="${i.element_id}"]`).count(), 1,
      `${i.element_id} is closed`);
  assert.equal(await engineer.locator('li.plan-item.closed').count(), 2, 'exactly two items closed');
  assert.equal(await engineer.locator('#plan-progress').getAttribute('value'), '2');
  const now = (await api(engineer, '/api/v1/me/plan')).plan;
  assert.equal(now.progress.closed, 2);
  assert.equal(now.assessed_cycle, '次の年度e2e');
  await screenshot(engineer, 'plan-progress');
  // The manager sees the same on the member's plan.
  await manager.goto(`/people/${personId}/plan`);
  assert.equal(await manager.locator('li.plan-item.closed').count(), 2);
  assert.deepEqual(engineer.problems, []);
  assert.deepEqual(manager.problems, []);
}));

test('HR sees plans by unit and drills down to the person', step('hr', async () => {
  await hr.goto('/hr/plans');
  assert.match(await hr.locator('.plans-summary').innerText(), /\d/);
  // Down the unit tree to the engineer's section, where the person is listed.
  for (let depth = 0; depth < 6; depth++) {
    const person = hr.locator(`table.plan-people a[href="/people/${personId}/plan"]`);
    if (await person.count()) break;
    const link = hr.locator('table.plan-units a').filter({ hasText: /./ });
    const rows = await link.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    let next = null;
    for (const href of rows) {
      const d = await api(hr, `/api/v1/plans?org=${href.split('=')[1]}`);
      if (d.with_plan > 0) { next = href; break; }
    }
    assert.ok(next, 'a unit below has a plan');
    await hr.goto(next);
  }
  const row = hr.locator(`table.plan-people a[href="/people/${personId}/plan"]`);
  assert.equal(await row.count(), 1, 'the engineer is listed in their unit');
  await screenshot(hr, 'hr-plans');
  await Promise.all([hr.waitForNavigation(), row.click()]);
  assert.equal(new URL(hr.url()).pathname, `/people/${personId}/plan`);
  assert.deepEqual(hr.problems, []);
}));

test('the plan pages fit a phone\'s width', step('phone', async () => {
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP',
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const wide = [];
  for (const [user, paths] of [[USERS.engineer, ['/plan']], [USERS.manager, [`/people/${personId}/plan`]],
    [USERS.hr, ['/hr/plans', '/hr/training']]]) {
    await login(page, user);
    for (const p of paths) {
      await page.goto(p);
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (scroll > inner + 1) wide.push(`${p} as ${user.login}: ${scroll}px wide in ${inner}px`);
    }
    await context.clearCookies();
  }
  await page.goto('/login');
  await login(page, USERS.engineer);
  await page.goto('/plan');
  await screenshot(page, 'plan-phone');
  await context.close();
  assert.deepEqual(wide, []);
}));

test('axe: the plan pages, full, have no serious or critical violation', step('axe', async (t) => {
  if (!AXE) { t.skip('axe-core is not installed in tests/e2e'); return; }
  const found = [];
  for (const width of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP', bypassCSP: true,
      viewport: width });
    context.setDefaultTimeout(60000);
    const page = await context.newPage();
    for (const [user, paths] of [[USERS.engineer, ['/plan']], [USERS.manager, [`/people/${personId}/plan`]],
      [USERS.hr, ['/hr/plans', '/hr/training', `/people/${personId}/plan`]]]) {
      await login(page, user);
      for (const p of paths) {
        await page.goto(p);
        await page.addScriptTag({ path: AXE });
        const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
          .violations.map((x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.map((n) => n.target.join(' ')) })));
        for (const x of v.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
          found.push(`${p} as ${user.login} at ${width.width} px: ${x.id} (${x.impact}) ${x.nodes.slice(0, 3).join(' | ')}`);
      }
      await context.clearCookies();
    }
    await context.close();
  }
  assert.deepEqual(found, []);
}));
