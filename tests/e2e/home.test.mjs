// home.test.mjs - the home page is each role's to-do list (issue 12, Missing 4):
// the engineer's own diagnosis with its deadline, the reviewer's submissions
// waiting (oldest first), HR's campaign by org unit, the administrator's
// accounts to look after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, screenshot, USERS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const EXPECT = {
  demoEngineer: ['section.todo-own'],
  manager: ['section.todo-own', 'section.todo-review'],
  hr: ['section.todo-own', 'section.todo-review', 'section.todo-campaign table.campaign'],
  admin: ['section.todo-accounts'],
};

for (const [role, parts] of Object.entries(EXPECT)) {
  test(`the home page of ${USERS[role].login} lists what they have to do`, async () => {
    const page = await newPage(browser);
    await login(page, USERS[role]);
    await page.goto('/home');
    for (const part of parts)
      assert.ok(await page.locator(part).count() >= 1, `${part} on the home page of ${USERS[role].login}`);
    if (role === 'demoEngineer')
      assert.match(await page.locator('section.todo-own').innerText(), /締切 \d{4}-\d\d-\d\d、あと -?\d+ 日/);
    if (role === 'manager') {
      const waiting = page.locator('section.todo-review ol.waiting a');
      for (let i = 0; i < await waiting.count(); i++)
        assert.match(await waiting.nth(i).getAttribute('href'), /^\/people\/\d+\/review\?cycle=\d+$/);
    }
    await screenshot(page, `home-todo-${role}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}
