// Reports a trainer and a trainee can read: a trainee finishes the communication check with
// one wrong answer, plays a role-play of the core track and is observed on the phone-call
// checklist. The trainer's item analysis shows option texts (one marked correct, 对/错 for
// true/false) and no internal ids; the core track's printed report holds all three kinds of
// result on one A4 page, with the same numbers as "My progress", and its criterion labels
// follow the interface language.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { serve, launch, open, profileDir, pickTrainee, spaGoto, durable, unlockTrainer } = require('./harness.cjs');

const SHOTS = process.env.LIXUN_SHOTS;
const TRAINEE = '周敏';
const SCENARIO = 'sc-silent-chat-and-email';

// As authored in content/questions/communication-standards.toml: every answer right except
// cs-jargon (the answer is d).
const ANSWERS = {
  'cs-phone-rings': ['b'],
  'cs-phone-steps': ['a', 'b', 'c'],
  'cs-online-reminder': ['false'],
  'cs-email-mailbox': ['c'],
  'cs-upset-customer': ['a'],
  'cs-jargon': ['a'],
  'cs-two-hands': ['true'],
  'cs-waiting': ['b'],
};
const COUNT = Object.keys(ANSWERS).length;

/** The choice at `node` with the highest sum of points, never a step back. */
function best(s, nodeId, visited) {
  const node = s.nodes.find((n) => n.id === nodeId);
  const sum = (c) => Object.values(c.scores || {}).reduce((a, b) => a + b, 0);
  const forward = node.choices.filter((c) => !visited.has(c.next));
  return (forward.length ? forward : node.choices).slice().sort((a, b) => sum(b) - sum(a))[0];
}

async function takeQuiz(page) {
  await spaGoto(page, '/quiz/communication-standards-check');
  for (let i = 0; i < COUNT; i++) {
    await page.getByTestId('question-position').filter({ hasText: new RegExp(`第 ${i + 1} 题|Question ${i + 1}`) }).waitFor();
    const qid = await page.locator('fieldset.question').getAttribute('data-question');
    for (const opt of ANSWERS[qid]) await page.locator(`.choice[data-option="${opt}"]`).click();
    if (i + 1 < COUNT) await page.getByTestId('next').click();
  }
  await page.getByTestId('submit').click();
  if (await page.getByTestId('confirm-dialog').count()) await page.getByTestId('confirm-submit').click();
  await page.getByTestId('result').waitFor();
  await durable(page);
}

async function playScenario(page, base) {
  await spaGoto(page, '/scenario/' + SCENARIO);
  const s = await page.evaluate(async (url) => (await fetch(url)).json(), `${base}/content/scenarios/${SCENARIO}.json`);
  await page.getByTestId('start-scenario').click();
  const visited = new Set();
  for (let steps = 0; ; steps++) {
    assert.ok(steps < 40, 'the scenario ends');
    await page.locator('[data-testid="customer"], [data-testid="ending"]').first().waitFor();
    if (await page.getByTestId('ending').count()) break;
    const nodeId = await page.getByTestId('customer').getAttribute('data-node');
    visited.add(nodeId);
    await page.locator(`[data-testid="choices"] [data-choice="${best(s, nodeId, visited).id}"]`).click();
    await page.getByTestId('step-feedback').waitFor();
    await page.getByTestId('continue').click();
  }
  await page.getByTestId('see-debrief').click();
  await page.getByTestId('debrief').waitFor();
  await durable(page);
}

async function observe(page) {
  await spaGoto(page, '/checklist/cl-phone-call');
  await page.getByTestId('observed-name').fill(TRAINEE);
  await page.getByTestId('start-observation').click();
  const items = page.locator('.check-item');
  await items.first().waitFor();
  const n = await items.count();
  for (let i = 0; i < n; i++) await items.nth(i).locator(`[data-mark="${i === 1 ? 'missed' : 'done'}"]`).click();
  await page.getByTestId('finish-observation').click();
  await page.getByTestId('observation-result').waitFor();
  await durable(page);
}

test('the track report holds quizzes, role-plays and observations on one A4 page, with My progress\'s numbers', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/', { trainee: TRAINEE });
    await takeQuiz(page);
    await playScenario(page, base);
    await observe(page);
    await spaGoto(page, '/');
    if (await page.getByTestId('profile-picker').count()) await pickTrainee(page, TRAINEE);

    // My progress: the core track counts three results and shows its criterion numbers.
    await page.getByTestId('current-trainee').click();
    const card = page.locator('[data-track="core"]');
    await card.getByTestId('track-results').waitFor();
    assert.match(await card.getByTestId('track-results').textContent(), /3/);
    const fromProgress = {};
    for (const li of await card.locator('[data-testid="track-criteria"] li').all()) {
      fromProgress[await li.getAttribute('data-criterion')] = (await li.locator('.num').textContent()).trim();
    }
    assert.ok(Object.keys(fromProgress).length >= 5, 'the role-play and observation assess more criteria than the quiz');

    // The report: one row per kind, the chart's numbers equal My progress's.
    await card.getByTestId('open-report').click();
    await page.getByTestId('report').waitFor();
    const results = page.getByTestId('report-results');
    assert.equal(await results.locator('tr[data-kind="quiz"]').count(), 1);
    assert.equal(await results.locator(`tr[data-kind="roleplay"][data-item="${SCENARIO}"]`).count(), 1);
    assert.equal(await results.locator('tr[data-kind="observation"][data-item="cl-phone-call"]').count(), 1);
    assert.equal(await page.getByTestId('report-no-results').count(), 0);
    for (const [criterion, value] of Object.entries(fromProgress)) {
      const shown = await page.locator(`[data-testid="criterion-chart"] g[data-criterion="${criterion}"] .chart__value`).textContent();
      assert.ok(shown.startsWith(value), `${criterion}: report ${shown}, My progress ${value}`);
    }
    // Criterion labels in Chinese here (the interface language)…
    const labels = await page.locator('[data-testid="criterion-chart"] .chart__label').allTextContents();
    assert.ok(labels.includes('接待流程规范性'), labels.join(' | '));

    // …and one A4 page when printed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-report-'));
    const pdf = path.join(dir, 'report.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const info = execFileSync('pdfinfo', [pdf]).toString();
    assert.match(info, /Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/);
    assert.match(info, /^Pages:\s+1$/m, info);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    assert.match(text, /情景演练/, 'the role-play is printed');
    assert.match(text, /现场观察/, 'the observation is printed');
    if (SHOTS) fs.copyFileSync(pdf, path.join(SHOTS, 'report-all-kinds.pdf'));
    await page.emulateMedia({ media: 'screen' });

    // English: the criterion labels follow the interface language.
    await page.getByTestId('switch-language').click();
    await page.locator('[data-testid="criterion-chart"] .chart__label').filter({ hasText: 'Reception procedure' }).waitFor();
    for (const label of await page.locator('[data-testid="criterion-chart"] .chart__label').allTextContents()) {
      assert.doesNotMatch(label, /[\u4e00-\u9fff]/, `English label: ${label}`);
    }
    await page.getByTestId('switch-language').click();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('item analysis shows option texts with the correct one marked and no internal ids', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/', { trainee: TRAINEE });
    await takeQuiz(page);
    await unlockTrainer(page);
    await page.getByTestId('trainer-badge').click();
    await page.getByTestId('open-dashboard').click();
    const table = page.getByTestId('item-analysis');
    await table.locator('tbody tr').first().waitFor();
    assert.equal(await table.locator('tbody tr').count(), COUNT);

    // The question answered wrongly: its prompt, four option texts, one marked correct
    // (✓ and a label for screen readers), the wrong pick counted once.
    const jargon = table.locator('tr[data-question="cs-jargon"]');
    assert.doesNotMatch(await jargon.locator('.item__prompt').textContent(), /cs-jargon/);
    const options = jargon.locator('.option-share');
    assert.equal(await options.count(), 4);
    assert.equal(await jargon.locator('.option-share[data-correct="true"]').count(), 1);
    const correct = jargon.locator('.option-share[data-correct="true"]');
    assert.match(await correct.textContent(), /✓/);
    assert.match(await correct.locator('.sr-only').textContent(), /正确选项/);
    assert.match(await correct.locator('.option-share__n').textContent(), /^0 次（0%）$/);
    for (const t of await jargon.locator('.option-share__text').allTextContents()) {
      assert.ok(t.trim().length > 1 && !/^[a-d]$/.test(t.trim()), `option text, not an id: ${t}`);
    }

    // True/false reads 对 / 错, the correct one (错) marked.
    const tf = table.locator('tr[data-question="cs-online-reminder"]');
    assert.deepEqual((await tf.locator('.option-share__text').allTextContents()).map((t) => t.trim()), ['对', '错']);
    assert.match(await tf.locator('.option-share[data-correct="true"] .option-share__text').textContent(), /错/);

    // No internal ids anywhere in the table.
    const cells = await table.locator('td').allTextContents();
    for (const c of cells) {
      assert.doesNotMatch(c.trim(), /^[a-d]: \d/, `an option id with a count: ${c}`);
      assert.ok(!c.includes('true:') && !c.includes('false:'), `true/false by id: ${c}`);
      assert.doesNotMatch(c, /\bcs-[a-z-]+\b/, `a question id: ${c}`);
    }
    if (SHOTS) {
      await table.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'item-analysis-options.png') });
    }
    // In English the options read True / False.
    await page.getByTestId('switch-language').click();
    await tf.locator('.option-share__text').filter({ hasText: 'False' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
