// reports.test.mjs - HR's views behind the numbers as a browser shows them: a
// count of the 人材ポートフォリオ clicked leads to the list of exactly that many
// people (its total, its rows over the pages); the 要員計画 page; the report
// downloads are a PDF and a workbook; printing /hr names the cycle, the unit
// and the level kind and sets the portfolio on A4 across. Screenshots in
// E2E_OUTPUT (reports-*.png), Japanese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, screenshot, USERS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a count of the portfolio clicked lists exactly that many people', async () => {
  const page = await newPage(browser);
  await login(page, USERS.hr);
  await page.goto('/hr?levels=self');
  const links = page.locator('table.portfolio-table a[href^="/hr/portfolio/people"]');
  assert.ok(await links.count() >= 10, 'the portfolio table links its counts');
  // The biggest count of the table: clicked, its list says the same total.
  const counts = await links.evaluateAll((as) => as.map((a) => Number(a.textContent)));
  const i = counts.indexOf(Math.max(...counts));
  const clicked = counts[i];
  await Promise.all([page.waitForLoadState('load'), links.nth(i).click()]);
  assert.match(new URL(page.url()).pathname, /^\/hr\/portfolio\/people$/);
  const total = Number(await page.getAttribute('.drill-total', 'data-total'));
  assert.equal(total, clicked, 'the list\'s total is the number clicked');
  let rows = await page.locator('table.drill tbody tr').count();
  while (await page.locator('nav.pager a[rel="next"]').count()) {
    await Promise.all([page.waitForLoadState('load'), page.click('nav.pager a[rel="next"]')]);
    rows += await page.locator('table.drill tbody tr').count();
  }
  assert.equal(rows, clicked, 'its pages hold that many people');
  await page.goto(page.url().replace(/&page=\d+/, ''));
  await screenshot(page, 'reports-drill');
  await Promise.all([page.waitForLoadState('load'), page.click('a[href*="lang=en"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await screenshot(page, 'reports-drill-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('要員計画: a target set on the page is listed with actual and gap', async () => {
  const page = await newPage(browser);
  await login(page, USERS.hr);
  await page.goto('/hr/targets');
  await page.fill('input[name="org_unit_code"]', 'EAST');
  await page.selectOption('select[name="specialization"]', 'HW');
  await page.fill('input[name="level"]', '3');
  await page.fill('input[name="head_count"]', '6');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action^="/hr/targets?"] button[type="submit"]')]);
  const row = page.locator('tr[data-unit="EAST"][data-spec="HW"][data-level="3"]');
  assert.equal(await row.count(), 1, 'the target is listed');
  const cells = await row.locator('td').allTextContents();
  assert.equal(Number(cells[3]), 6);
  assert.equal(Number(cells[5]), Number(cells[4]) - 6, 'gap = actual - target');
  await screenshot(page, 'reports-targets');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the report downloads are a PDF and a workbook; printing /hr names its filters on A4 across', async () => {
  const page = await newPage(browser);
  await login(page, USERS.hr);
  await page.goto('/hr');
  const pdf = await page.context().request.get(await page.getAttribute('.report-links a[href*="org.pdf"]', 'href'));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  const xlsx = await page.context().request.get(await page.getAttribute('.report-links a[href*="org.xlsx"]', 'href'));
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  await page.emulateMedia({ media: 'print' });
  const filters = await page.textContent('.print-filters');
  assert.match(filters, /2026年度/);
  assert.match(filters, /公式レベル/);
  assert.ok(await page.isVisible('.print-filters'), 'the filters are printed');
  assert.ok(!(await page.isVisible('form[action="/hr"] .filters')), 'the form is not printed');
  await screenshot(page, 'reports-hr-print');
  await page.context().close();
});

test('the org view expands a unit and its rows add up; the skill map and the talent search show', async () => {
  const page = await newPage(browser);
  await login(page, USERS.hr);
  await page.goto('/hr/orgview?levels=self');
  await Promise.all([page.waitForLoadState('load'), page.click('table.orgview tbody tr.child th a')]);
  assert.match(page.url(), /org=\d+/, 'a unit expands to its own view');
  const sums = await page.evaluate(() => {
    const nums = (tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent.trim()));
    const rows = [...document.querySelectorAll('table.orgview tbody tr')].map(nums);
    const total = nums(document.querySelector('table.orgview tfoot tr'));
    const sums = total.map((t, i) => rows.reduce((s, r) => s + r[i], 0));
    return { rows: rows.length, adds: total.every((t, i) => sums[i] === t), total: total.join(' '), sums: sums.join(' ') };
  });
  assert.ok(sums.rows >= 2 && sums.adds,
    `the rows add up to the total at ${page.url()}: ${sums.rows} rows, total ${sums.total}, sums ${sums.sums}`);
  await screenshot(page, 'reports-orgview');
  await page.goto('/hr/skillmap?spec=HW');
  assert.ok(await page.locator('table.skillmap tbody tr').count() >= 2);
  assert.ok(await page.locator('table.weakest tbody tr').count() >= 1);
  await screenshot(page, 'reports-skillmap');
  await page.goto('/hr/trends?levels=self');
  assert.ok(await page.locator('table.flow').count() >= 1);
  await screenshot(page, 'reports-trends');
  await page.goto('/search');
  await page.selectOption('select[name="spec"]', 'HW');
  await page.fill('input[name="level"]', '3');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/search"] button[type="submit"]')]);
  const found = Number(await page.getAttribute('.search-total', 'data-total'));
  assert.equal(await page.locator('table.search tbody tr').count(), Math.min(found, 50));
  await screenshot(page, 'reports-search');
  await Promise.all([page.waitForLoadState('load'), page.click('a[href*="lang=en"]')]);
  await screenshot(page, 'reports-search-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
