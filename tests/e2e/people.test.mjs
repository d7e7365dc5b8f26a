// people.test.mjs - HR's people import previews what it will change (issue 12,
// Missing 7): uploading a people CSV on /hr/import lists the transfer as field
// old → new and the leaver, writes nothing until confirmed, and the preview
// passes axe-core. Nothing is confirmed here: the preview is what this spec
// checks (the import itself is tests/people_import.sh's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, login, screenshot, USERS } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('HR uploads the people CSV and sees exactly what would change before confirming', async () => {
  const context = await browser.newContext({ baseURL: process.env.ITSS_URL, locale: 'ja-JP', bypassCSP: true,
    viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await login(page, USERS.hr);
  await page.goto('/hr/import');
  const csv = 'employee_number,name,org_unit_code,left_on\r\nE1048,遠藤 亮,EAST-HW2,\r\nE1059,長谷川 剛,EAST-HW1,2026-11-30\r\n';
  await page.setInputFiles('input[name="file"]', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/hr/import"] button[type="submit"]')]);
  const rows = await page.locator('table.import-changes tbody tr').allInnerTexts();
  assert.ok(rows.some((r) => /E1048/.test(r) && /EAST-HW1/.test(r) && /EAST-HW2/.test(r)), rows.join('\n'));
  assert.ok(rows.some((r) => /退職/.test(r) && /E1059/.test(r) && /2026-11-30/.test(r)), rows.join('\n'));
  assert.equal(await page.locator('form.confirm-import button[type="submit"]').count(), 1);
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
  assert.deepEqual(found, [], 'axe on the preview');
  await screenshot(page, 'people-import-preview');
  await page.goto('/hr/people?q=E1059');
  assert.doesNotMatch(await page.locator('main').innerText(), /退職日/, 'the preview wrote nothing');
  await context.close();
});
