// yearly.test.mjs - a new cycle starts from the last answers (issue 12, Missing
// 1): HR opens the next cycle, and the engineer, whose diagnosis of the demo's
// open cycle the story before approved, carries those answers forward instead of
// answering everything again; the carried answers are marked to be checked
// until changed. Runs last: it leaves a second open cycle behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, screenshot, api, itss, story, USERS } from './lib.mjs';

let browser, engineer;
const step = story();
before(async () => {
  browser = await launch();
  engineer = await newPage(browser);
});
after(async () => { await browser?.close(); });

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

test('a new cycle starts from the last cycle\'s answers, marked to be checked', step('carry', async () => {
  itss('cycle', 'add', 'e2e次期', '--opens', day(-1), '--closes', day(60));
  await login(engineer, USERS.engineer);
  const before = (await api(engineer, '/api/v1/me/assessment'));
  assert.equal(before.cycle, 'e2e次期', 'the diagnosis in force is the new cycle');
  assert.equal(before.answers.length, 0, 'nothing answered in it yet');
  await engineer.goto('/diagnosis');
  const offer = engineer.locator('section.carry');
  assert.equal(await offer.count(), 1, 'the overview offers the last answers');
  await screenshot(engineer, 'diagnosis-carry-offer');
  await Promise.all([engineer.waitForNavigation(), offer.locator('button[type="submit"]').click()]);
  assert.match(engineer.url(), /carried=1/);
  // As many answers as the latest earlier diagnosis had, every one still to be checked.
  const after = await api(engineer, '/api/v1/me/assessment');
  const self = after.answers.filter((a) => a.rater === 'self');
  assert.ok(self.length > 0, 'the answers were carried');
  const notice = engineer.locator('.message.carried');
  assert.match(await notice.innerText(), new RegExp(`まだ確認・変更していない回答が ${self.length} 件`));
  // The form of a specialization holding a carried achievement element shows the mark.
  const achievement = self.find((a) => /\.L\d\./.test(a.id));
  assert.ok(achievement, 'an achievement element was carried');
  const part = achievement.id.split('.')[1];
  await engineer.goto(`/diagnosis/${part === 'HWSW' ? 'HW' : part}`);
  const marked = engineer.locator('.answer-item.is-carried');
  assert.ok(await marked.count() > 0, 'carried answers are marked on the form');
  await screenshot(engineer, 'diagnosis-carried-fm');
  // Changing one takes its mark away.
  const first = marked.first();
  const id = (await first.getAttribute('id')).slice(2);
  const was = await first.locator('input:checked').getAttribute('value');
  await engineer.check(`input[name="a.${id}"][value="${was === '1' ? '0' : '1'}"]`);
  await engineer.waitForSelector('.autosave-status[data-state="saved"]');
  await engineer.reload();
  assert.equal(await engineer.locator(`#f-${id.replace(/\./g, '\\.')}.is-carried`).count(), 0, `${id} is no longer marked`);
  assert.deepEqual(engineer.problems, []);
}));
