// diagnosis.test.mjs - one cycle of a diagnosis in the browser, as its people
// live it: an engineer of 金融システム保守課 adds an experience record, ticks
// the level-3 achievement indicators of ファシリティマネジメント, answers
// proficiency and a few knowledge items, saves, submits, and sees the level
// reached and the radar chart; their manager sees the team (their section
// only: someone of another department is neither listed nor reachable by
// URL), opens the member's review and approves it; the engineer then sees the
// diagnosis approved (after deciding every criterion: one rated, the rest
// agreed with the self-rating); HR certifies the approved level (社内認定) and
// prints the certificate, the engineer sees the certified level, the portfolio
// counts it, and an experience record edited afterwards changes nothing
// approved. Each step depends on the one before: after a failure the rest are
// skipped, naming the step that failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, screenshot, statusOf, api, itss, story, USERS } from './lib.mjs';

const step = story();
let browser, engineer, manager, hr;
let engineerId, openCycle, closedCycle, portfolioBefore;
const PROJECT = 'データセンタ空調更新工事の監督（e2e）';
const OUTSIDER = 'E1010';   // 坂本 隆 of 関西保守課, another department

before(async () => {
  browser = await launch();
  engineer = await newPage(browser);
  manager = await newPage(browser);
  hr = await newPage(browser);
  // Confirmations (submit) and unsaved-changes warnings are answered yes.
  for (const page of [engineer, manager]) page.on('dialog', (d) => d.accept());
});
after(async () => { await browser?.close(); });

// The status badge of the diagnosis overview (draft, submitted, approved...).
async function diagnosisStatus(page) {
  await page.goto('/diagnosis');
  const badge = page.locator('.diagnosis-facts .badge');
  return (await badge.getAttribute('class')).split(/\s+/).filter((c) => c !== 'badge')[0];
}

// Submits the form whose action is exactly action with its own submit button
// and waits for the page it leads to.
async function submitForm(page, action) {
  const form = page.locator(`form[action="${action}"]`);
  await Promise.all([
    page.waitForNavigation(),
    form.locator('button[type="submit"]').first().click(),
  ]);
}

test('the engineer logs in and sees their diagnosis as a draft', step('login', async () => {
  await login(engineer, USERS.engineer);
  await screenshot(engineer, 'home-engineer');
  assert.equal(await diagnosisStatus(engineer), 'draft');
  await screenshot(engineer, 'diagnosis');
}));

test('the engineer adds an experience record of ファシリティマネジメント at level 3', step('experience', async () => {
  await engineer.goto('/experience/new');
  await engineer.fill('input[name="project"]', PROJECT);
  await engineer.fill('input[name="from"]', '2025-04');
  await engineer.fill('input[name="to"]', '2026-03');
  await engineer.fill('input[name="role"]', '現場責任者');
  // Choosing the specialization and the level shows that level's items (the
  // form is sent again by the page's script, or by the button without it).
  for (const [name, value] of [['specialization', 'CS.FM'], ['level', '3']]) {
    await Promise.all([engineer.waitForNavigation(), engineer.selectOption(`select[name="${name}"]`, value)]);
    assert.equal(await engineer.inputValue(`select[name="${name}"]`), value);
  }
  await engineer.fill('input[name="project"]', PROJECT);
  for (const item of ['CS.FM.L3.complexity.1', 'CS.FM.L3.complexity.2', 'CS.FM.L3.size.1'])
    await engineer.check(`input[value="${item}"]`);
  await engineer.check('input[name="succeeded"][value="1"]');
  await engineer.fill('textarea[name="description"]', '受変電設備と空調の更新を、停止時間なしで監督した。');
  await screenshot(engineer, 'experience-new');
  await Promise.all([engineer.waitForNavigation(), engineer.click('button[name="action"][value="save"]')]);
  assert.match(new URL(engineer.url()).pathname, /^\/experience$/);
  assert.ok(await engineer.getByText(PROJECT).count() > 0, 'the new record is listed');
  await screenshot(engineer, 'experience-list');
  const records = await api(engineer, '/api/v1/me/experience');
  const mine = records.experience.find((x) => x.project === PROJECT);
  assert.ok(mine, 'the API lists the record too');
  assert.equal(mine.level, 3);
}));

// The 該当 (1), 該当しない (0) or 未回答 ("") radio of the achievement elements whose ids start so.
const answer = (prefix, value) => `input[type="radio"][name^="a.${prefix}"][value="${value}"]`;
let lastL4;   // the level-4 element the engineer leaves 未回答

test('the engineer answers the level-3 achievement indicators and they are kept', step('indicators', async () => {
  await engineer.goto('/diagnosis/FM');
  const applies = engineer.locator(answer('CS.FM.L3.', 1));
  const n = await applies.count();
  assert.ok(n >= 4, `level 3 of FM has its indicators (${n})`);
  for (let i = 0; i < n; i++) await applies.nth(i).check();
  // Level 4: does not apply, but for its last element, left unanswered.
  const notL4 = engineer.locator(answer('CS.FM.L4.', 0));
  const m = await notL4.count();
  for (let i = 0; i < m - 1; i++) await notL4.nth(i).check();
  lastL4 = (await notL4.nth(m - 1).getAttribute('name')).slice(2);
  await engineer.check(answer(lastL4, ''));
  await screenshot(engineer, 'diagnosis-fm');
  await submitForm(engineer, '/diagnosis/FM');
  assert.equal(new URL(engineer.url()).pathname, '/diagnosis/FM');
  await engineer.reload();
  for (const kind of ['responsibility', 'complexity', 'size', 'task']) {
    const kept = engineer.locator(answer(`CS.FM.L3.${kind}`, 1));
    assert.ok(await kept.count() > 0, `level 3 lists ${kind}`);
    for (let i = 0; i < await kept.count(); i++)
      assert.ok(await kept.nth(i).isChecked(), `${await kept.nth(i).getAttribute('name')} is kept`);
  }
  assert.equal(await engineer.locator(`${answer('CS.FM.L4.', 1)}:checked`).count(), 0, 'nothing of level 4 applies');
  assert.ok(await engineer.isChecked(answer(lastL4, '')), `${lastL4} stays unanswered`);
  // The API agrees: the element left unanswered has no self answer (it used to be saved as not met).
  const mine = await api(engineer, '/api/v1/me/assessment');
  const self = mine.answers.filter((a) => a.rater === 'self' && a.id === lastL4);
  assert.deepEqual(self, [], `${lastL4} has no answer`);
}));

test('the engineer answers proficiency and a few knowledge items', step('skills', async () => {
  await engineer.goto('/diagnosis/FM/skills');
  // Every level-3 proficiency description "yes", level 4 "no".
  const yes = engineer.locator('input[type="radio"][name^="p.CS.FM."][name$=".L3"][value="1"]');
  const no = engineer.locator('input[type="radio"][name^="p.CS.FM."][name$=".L4"][value="0"]');
  assert.ok(await yes.count() >= 3, 'FM has proficiency descriptions at level 3');
  for (let i = 0; i < await yes.count(); i++) await yes.nth(i).check();
  for (let i = 0; i < await no.count(); i++) await no.nth(i).check();
  // A few knowledge items: 3 (独力で実施できる) and 2 (支援を受けて実施できる).
  const knowledge = ['k.CS.FM.UEA.K01.01', 'k.CS.FM.UEA.K02.01', 'k.CS.FM.UEA.K02.02'];
  for (const [i, name] of knowledge.entries())
    await engineer.check(`input[name="${name}"][value="${i === 0 ? 3 : 2}"]`);
  await screenshot(engineer, 'diagnosis-fm-skills');
  await submitForm(engineer, '/diagnosis/FM/skills');
  await engineer.reload();
  assert.ok(await engineer.isChecked(`input[name="${knowledge[0]}"][value="3"]`), 'the rating 3 is kept');
  assert.ok(await engineer.isChecked(`input[name="${knowledge[1]}"][value="2"]`), 'the rating 2 is kept');
  for (let i = 0; i < await yes.count(); i++) assert.ok(await yes.nth(i).isChecked());
}));

test('the engineer submits the diagnosis', step('submit', async () => {
  await engineer.goto('/diagnosis');
  await submitForm(engineer, '/diagnosis/submit');
  // What is left unanswered is listed per specialization and asked about first.
  const ask = engineer.locator('section.unanswered');
  assert.equal(await ask.count(), 1, 'the unanswered elements are listed');
  assert.match(await ask.locator('li[data-spec="FM"]').innerText(), /達成度指標 [1-9]/);
  await screenshot(engineer, 'diagnosis-unanswered');
  await Promise.all([engineer.waitForNavigation(), ask.locator('button[type="submit"]').click()]);
  assert.equal(await diagnosisStatus(engineer), 'submitted');
  await screenshot(engineer, 'diagnosis-submitted');
  assert.equal(await engineer.getByText('回答してください').count(), 0, 'the submitted page no longer asks to answer');
  const mine = await api(engineer, '/api/v1/me/assessment');
  assert.equal(JSON.stringify(mine).includes('"submitted"'), true, 'the API says submitted too');
}));

test('the engineer sees the level reached and the radar chart', step('results', async () => {
  await engineer.goto('/results?spec=FM');
  // The level the command line computes from the same database.
  const fm = JSON.parse(itss('level', USERS.engineer.empno, '--json'))
    .specializations.find((s) => s.code === 'FM');
  // All of level 3 met, with a successful record at level 3, and nothing of
  // level 4: the policy gives level 3.
  assert.equal(fm.level, 3);
  const cell = engineer.locator('td[data-spec="CS.FM"]');
  assert.equal(await cell.getAttribute('data-level'), String(fm.level));
  assert.match(await cell.innerText(), /レベル\s*3/);
  const radar = engineer.locator('svg.radar-chart');
  assert.equal(await radar.count(), 1, 'one radar chart for the chosen specialization');
  assert.ok(await radar.isVisible());
  assert.ok(await radar.locator('polygon, path').count() >= 2, 'the radar draws the level and the next level');
  assert.match(await radar.getAttribute('aria-labelledby'), /FM/);
  await screenshot(engineer, 'results-fm');
  assert.deepEqual(engineer.problems, []);
}));

let outsiderId;

test('the manager sees their section only', step('team', async () => {
  // The outsider's id as HR finds it (HR reaches everyone).
  const hr = await newPage(browser);
  await login(hr, USERS.hr);
  const people = await api(hr, `/api/v1/people?q=${OUTSIDER}`);
  outsiderId = people.people.find((p) => p.employee_number === OUTSIDER)?.id;
  assert.ok(outsiderId, `HR finds ${OUTSIDER}`);
  await hr.context().close();

  await login(manager, USERS.manager);
  await manager.goto('/team');
  await screenshot(manager, 'team');
  const rows = manager.locator('tr[data-person]');
  assert.ok(await rows.count() >= 2);
  const text = await manager.locator('table').first().innerText();
  assert.ok(text.includes(USERS.engineer.empno), 'the engineer is in the team');
  assert.ok(!text.includes(OUTSIDER), `${OUTSIDER} of another department is not`);
  assert.equal(await manager.locator(`tr[data-person="${outsiderId}"]`).count(), 0);
  for (const path of [`/people/${outsiderId}/results`, `/people/${outsiderId}/review`,
    `/api/v1/people/${outsiderId}`, `/api/v1/people/${outsiderId}/results`]) {
    const status = await statusOf(manager, path);
    assert.ok(status === 403 || status === 404, `${path}: ${status}, not 403 or 404`);
  }
  // In the browser too; the console's note of the refused page is expected.
  const noted = manager.problems.length;
  const status = await manager.goto(`/people/${outsiderId}/results`).then((r) => r.status());
  assert.ok(status === 403 || status === 404);
  await screenshot(manager, 'team-outsider-refused');
  manager.problems.splice(noted).forEach((p) => assert.match(p, /Failed to load resource.*40[34]/));
}));

// The FM level-3 count of the open cycle's portfolio (official levels).
function fmLevel3(portfolio) {
  return portfolio.specializations.find((s) => s.code === 'FM').counts[3];
}

test('HR notes the portfolio of official levels before the approval', step('portfolio-before', async () => {
  await login(hr, USERS.hr);
  const cycles = (await api(hr, '/api/v1/cycles')).cycles;
  // The demo's cycles are dated from today: this fiscal year's (open) and the
  // one before (closed), listed latest opening first.
  [openCycle, closedCycle] = cycles;
  assert.ok(openCycle && closedCycle && openCycle.opens > closedCycle.opens, 'the demo has two cycles');
  const today = new Date().toISOString().slice(0, 10);
  assert.ok(openCycle.opens <= today && today <= openCycle.closes, `${openCycle.name} is open today`);
  portfolioBefore = await api(hr, `/api/v1/portfolio?cycle=${openCycle.id}`);
  assert.equal(portfolioBefore.level_kind, 'official');
}));

test('the manager rates a knowledge item differently and narrows the review to the differences', step('differences', async () => {
  await manager.goto('/team');
  const row = manager.locator('tr[data-person]', { hasText: USERS.engineer.empno });
  await Promise.all([manager.waitForNavigation(), row.locator('a[href*="/review"]').click()]);
  // ファシリティマネジメント, then one page per part: the knowledge of the skill area UEA,
  // where the engineer rated K02.01 as 2.
  await Promise.all([manager.waitForNavigation(), manager.selectOption('select[name="spec"]', 'FM')]);
  await Promise.all([manager.waitForNavigation(), manager.locator('nav.review-parts a[href*="area=UEA"]').click()]);
  assert.match(manager.url(), /part=knowledge/);
  assert.equal(await manager.locator('tr[data-id="CS.FM.L3.responsibility"]').count(), 0, 'one part at a time');
  await manager.selectOption('select[name="m:CS.FM.UEA.K02.01"]', '3');
  await Promise.all([manager.waitForNavigation(), manager.locator('#items form[method="post"] button[type="submit"]')
    .first().click()]);
  assert.match(manager.url(), /part=knowledge&area=UEA/, 'saving stays on the part');
  await Promise.all([manager.waitForNavigation(), manager.getByRole('link', { name: '差異のみ' }).click()]);
  const rows = manager.locator('table.review tbody tr');
  assert.equal(await rows.count(), 1, 'only the row whose ratings differ');
  assert.equal(await rows.first().getAttribute('data-id'), 'CS.FM.UEA.K02.01');
  assert.match(await rows.first().getAttribute('class'), /differs/);
  await screenshot(manager, 'review-differences-only');
}));

test('the manager opens the member\'s review and approves it', step('approve', async () => {
  await manager.goto('/team');
  const row = manager.locator('tr[data-person]', { hasText: USERS.engineer.empno });
  assert.equal(await row.locator('.badge').getAttribute('class'), 'badge submitted');
  await Promise.all([manager.waitForNavigation(), row.locator('a[href*="/review"]').click()]);
  assert.match(new URL(manager.url()).pathname, /^\/people\/\d+\/review$/);
  engineerId = new URL(manager.url()).pathname.split('/')[2];
  await screenshot(manager, 'review');
  // Approval waits for a decision on every achievement criterion.
  assert.ok(await manager.locator('#decide .message').count() >= 1, 'the page says what is undecided');
  assert.ok(await manager.locator('tr.undecided').count() >= 1, 'undecided rows are marked');
  // One criterion rated, the rest agreed with the self-rating.
  const first = manager.locator('tr.undecided select').first();
  await first.selectOption('1');
  await Promise.all([manager.waitForNavigation(), manager.locator('button[name="agree_rest"]').click()]);
  assert.equal(await manager.locator('tr.undecided').count(), 0, 'every criterion decided');
  assert.ok(await manager.locator('tr[data-agreed]').count() >= 1, 'agreed rows are shown');
  const approve = manager.locator('form[action$="/approve"]');
  assert.equal(await approve.count(), 1);
  await Promise.all([manager.waitForNavigation(), approve.locator('button[type="submit"]').click()]);
  assert.match(new URL(manager.url()).pathname, /^\/people\/\d+\/review$/);
  await screenshot(manager, 'review-approved');
  await manager.goto('/team');
  const approved = manager.locator('tr[data-person]', { hasText: USERS.engineer.empno });
  assert.equal(await approved.locator('.badge').getAttribute('class'), 'badge approved');
}));

test('the engineer sees the diagnosis approved', step('approved', async () => {
  assert.equal(await diagnosisStatus(engineer), 'approved');
  await screenshot(engineer, 'diagnosis-approved');
  const mine = await api(engineer, '/api/v1/me/assessment');
  assert.ok(JSON.stringify(mine).includes('"approved"'));
  assert.deepEqual(engineer.problems, []);
  assert.deepEqual(manager.problems, []);
}));

test('HR certifies the approved level and prints the certificate', step('certify', async () => {
  const after = await api(hr, `/api/v1/portfolio?cycle=${openCycle.id}`);
  assert.equal(after.assessed, portfolioBefore.assessed + 1, 'the portfolio counts the approved diagnosis');
  assert.equal(fmLevel3(after), fmLevel3(portfolioBefore) + 1, 'at FM level 3');
  await hr.goto(`/people/${engineerId}/results?cycle=${openCycle.id}&spec=FM`);
  const official = hr.locator('#official');
  assert.equal(await official.locator('tr[data-spec="FM"] .official-level').getAttribute('data-level'), '3');
  await official.locator('select[name="spec"]').selectOption('CS.FM');
  await screenshot(hr, 'official-before-certify');
  await Promise.all([hr.waitForNavigation(), official.locator('form[action$="/certificates"] button[type="submit"]').click()]);
  assert.match(new URL(hr.url()).pathname, /^\/certificates\/ITSS-\d{4}-\d{6}$/);
  const certificate = hr.locator('article.certificate');
  assert.equal(await certificate.getAttribute('data-state'), 'valid');
  const text = await certificate.innerText();
  assert.ok(text.includes('社内認定証') && text.includes('ファシリティマネジメント') && /レベル\s*3/.test(text), text);
  await screenshot(hr, 'certificate');
  const levels = await api(hr, `/api/v1/exports/levels?format=json&cycle=${openCycle.id}`);
  const row = levels.find((r) => r.employee_number === USERS.engineer.empno);
  assert.equal(row.level_kind, 'certified');
  assert.equal(row.levels.FM, 3);
}));

test('the engineer sees the certified level', step('certified', async () => {
  await engineer.goto('/results?spec=FM');
  const row = engineer.locator('#official tr[data-spec="FM"]');
  assert.equal(await row.locator('.official-level').getAttribute('data-level'), '3');
  assert.equal(await row.locator('.badge.certified').count(), 1, 'marked certified');
  assert.equal(await engineer.locator('#official tr[data-state="valid"]').count(), 1, 'the certificate is listed as valid');
  await screenshot(engineer, 'results-certified');
  const mine = await api(engineer, '/api/v1/me/results?spec=FM');
  const fm = mine.official.levels.find((l) => l.specialization === 'CS.FM');
  assert.equal(fm.level_kind, 'certified');
  assert.deepEqual(engineer.problems, []);
}));

test('an experience record edited after approval changes nothing approved', step('frozen', async () => {
  // The manager's own diagnosis of the closed cycle is approved; the open one's is a draft,
  // so his records may change: he marks his level-4 HW record as failed.
  const levelsOf = async () => (await api(hr, `/api/v1/exports/levels?format=json&cycle=${closedCycle.id}`))
    .find((r) => r.employee_number === USERS.manager.empno);
  const before = await levelsOf();
  assert.equal(before.level_kind, 'approved');
  const portfolio = await api(hr, `/api/v1/portfolio?cycle=${closedCycle.id}`);
  const record = (await api(manager, '/api/v1/me/experience')).experience
    .find((x) => x.specialization === 'CS.HW' && x.level === 4);
  assert.ok(record, 'the manager has a level-4 HW record');
  await manager.goto(`/experience/${record.id}/edit`);
  await manager.check('input[name="succeeded"][value="0"]');
  await Promise.all([manager.waitForNavigation(), manager.click('button[name="action"][value="save"]')]);
  const now = (await api(manager, '/api/v1/me/experience')).experience.find((x) => x.id === record.id);
  assert.equal(now.succeeded, false, 'the record changed');
  const self = JSON.parse(itss('level', USERS.manager.empno, '--cycle', closedCycle.name, '--json'))
    .specializations.find((s) => s.code === 'HW');
  assert.ok(self.level < before.levels.HW, `the live level moved (${self.level})`);
  assert.deepEqual(await levelsOf(), before, 'the approved levels in levels.json did not');
  assert.deepEqual(await api(hr, `/api/v1/portfolio?cycle=${closedCycle.id}`), portfolio, 'nor the portfolio');
  assert.deepEqual(manager.problems, []);
  assert.deepEqual(hr.problems, []);
}));

// Not part of the story: the row of the specialization shown in detail is
// marked (highlighted) in the table of levels.
test('the results page marks the specialization it shows in detail', async () => {
  const page = await newPage(browser);
  await login(page, USERS.demoEngineer);
  for (const spec of ['HW', 'SW']) {
    await page.goto(`/results?spec=${spec}`);
    assert.equal(await page.locator(`tr.selected td[data-spec="CS.${spec}"]`).count(), 1,
      `the ${spec} row is marked selected`);
    assert.equal(await page.locator('table.levels tr.selected').count(), 1, 'and only that row');
  }
  await page.context().close();
});

// Not part of the story: the review page's specialization chooser.
test('the manager switches the review to another specialization', async () => {
  const page = await newPage(browser);
  await login(page, USERS.manager);
  await page.goto('/team');
  const row = page.locator('tr[data-person]', { hasText: USERS.engineer.empno });
  await Promise.all([page.waitForNavigation(), row.locator('a[href*="/review"]').click()]);
  const response = await Promise.all([
    page.waitForNavigation(),
    page.selectOption('select[name="spec"]', 'FM'),
  ]).then(([r]) => r);
  assert.equal(response?.status(), 200, `choosing FM leads to ${page.url()}`);
  assert.match(page.url(), /\/people\/\d+\/review\?.*spec=FM/);
  await screenshot(page, 'review-fm');
  await page.context().close();
});
