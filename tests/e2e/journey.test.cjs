// The first user journey: home → lesson (citation panel) → quiz → per-criterion result,
// persisted across a reload and a browser restart; language switch to English.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir } = require('./harness.cjs');

// The quiz's answers, as authored in content/quizzes/communication-standards.toml; two are
// answered wrongly on purpose so the criteria differ.
// Questions are drawn in a random order, so answers are looked up by question id.
const ANSWERS = {
  'cs-phone-rings': ['b'],            // efficiency ✓
  'cs-phone-steps': ['a', 'b', 'c'],  // process, etiquette ✓
  'cs-online-reminder': ['true'],     // efficiency, satisfaction ✗
  'cs-email-mailbox': ['c'],          // process, quality ✓
  'cs-upset-customer': ['a'],         // etiquette, satisfaction ✓
  'cs-jargon': ['a'],                 // quality ✗
  'cs-two-hands': ['true'],           // etiquette ✓
  'cs-waiting': ['b'],                // satisfaction, etiquette ✓
};
const COUNT = Object.keys(ANSWERS).length;

test('a trainee reads a lesson, takes the quiz and keeps the result across restarts', async () => {
  const { server, base } = await serve();
  const dir = profileDir();
  const contexts = [];
  try {
    let context = await launch(dir);
    contexts.push(context);
    let { page, errors } = await open(context, base + '/');

    // Home lists the tracks and the module.
    await page.getByRole('heading', { name: '全员核心课程' }).waitFor();
    await page.locator('[data-module="communication-standards"]').click();

    // Module → first lesson.
    await page.locator('[data-lesson="channels"]').click();
    await page.getByTestId('lesson-title').waitFor();
    assert.match(await page.getByTestId('lesson-title').textContent(), /渠道沟通规范/);
    assert.match(await page.locator('.block--numbers').textContent(), /3 声/);

    // A citation opens the manual passage, and closing it keeps the reader's place.
    await page.locator('.block--steps .cite').first().click();
    const panel = page.getByTestId('citation-panel');
    await panel.waitFor();
    // The manual is fetched the first time: the passage replaces "loading".
    await panel.getByText(/需在3声铃响内接听/).first().waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('lesson-title').textContent(), /渠道沟通规范/);

    // Mark as done, then the quiz.
    await page.getByTestId('mark-done').click();
    assert.equal(await page.getByTestId('mark-done').getAttribute('aria-pressed'), 'true');
    await page.goto(base + '/quiz/communication-standards-check');
    for (let i = 0; i < COUNT; i++) {
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      const qid = await page.locator('fieldset.question').getAttribute('data-question');
      for (const opt of ANSWERS[qid]) await page.locator(`.choice[data-option="${opt}"]`).click();
      if (i + 1 < COUNT) await page.getByTestId('next').click();
    }
    await page.getByTestId('submit').click();

    // The result: per criterion, "not assessed" for security, the normalisation note.
    await page.getByTestId('result').waitFor();
    const expectRow = async (id, text) =>
      assert.match(await page.locator(`tr[data-criterion="${id}"] .crit__value`).textContent(), text);
    await expectRow('process', /100\.0%/);       // phone-steps 1, email 1
    await expectRow('etiquette', /100\.0%/);     // steps, upset, two-hands, waiting
    await expectRow('efficiency', /50\.0%/);     // rings 1, reminder 0
    await expectRow('satisfaction', /66\.7%/);   // reminder 0, upset 1, waiting 1
    await expectRow('quality', /50\.0%/);        // email 1, jargon 0
    await expectRow('security', /未考核/);
    // (100·30 + 100·25 + 50·20 + 66.67·15 + 50·10) / 100 = 7999.99/100 → 80.0
    assert.equal((await page.getByTestId('weighted-total').textContent()).trim(), '80.0%');
    assert.match(await page.getByTestId('normalisation-note').textContent(), /110%/);
    const resultUrl = page.url();

    // Reload: still there.
    await page.reload();
    await page.getByTestId('result').waitFor();
    assert.equal((await page.getByTestId('weighted-total').textContent()).trim(), '80.0%');
    assert.deepEqual(errors, []);

    // Close the browser and open it again on the same profile: still there.
    await context.close();
    context = await launch(dir);
    contexts.push(context);
    ({ page, errors } = await open(context, resultUrl));
    await page.getByTestId('result').waitFor();
    assert.equal((await page.getByTestId('weighted-total').textContent()).trim(), '80.0%');

    // "Practise my mistakes" asks exactly the two questions answered wrongly.
    await page.goto(base + '/');
    await page.getByTestId('practice-link').click();
    await page.getByTestId('question-position').filter({ hasText: '共 2 题' }).waitFor();
    const practised = new Set();
    for (let i = 0; i < 2; i++) {
      await page.locator('.dot').nth(i).click();
      practised.add(await page.locator('fieldset.question').getAttribute('data-question'));
    }
    assert.deepEqual([...practised].sort(), ['cs-jargon', 'cs-online-reminder']);
    await page.goto(resultUrl);
    await page.getByTestId('result').waitFor();

    // Switch to English: the result and the home page speak English.
    await page.getByTestId('switch-language').click();
    await page.getByText('Weighted total').waitFor();
    assert.match(await page.locator('tr[data-criterion="security"] .crit__value').textContent(), /Not assessed/);
    assert.match(await page.getByTestId('normalisation-note').textContent(), /normalises/);
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'All-staff core' }).waitFor();
    assert.equal(await page.locator('[data-testid="attempt-row"]').count(), 1);
    // The lesson marked done counts in its track's progress.
    assert.match(await page.locator('section.track[data-track="core"] [data-testid="track-progress"]').textContent(), /^1\/16 lessons done/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.deepEqual(errors, []);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    server.close();
  }
});

test('an English browser starts in English, a Chinese one in Chinese', async () => {
  const { server, base } = await serve();
  try {
    for (const [locale, heading] of [['en-US', 'All-staff core'], ['zh-CN', '全员核心课程'], ['fr-FR', '全员核心课程']]) {
      const context = await launch(profileDir(), { locale });
      try {
        const { page, errors } = await open(context, base + '/');
        await page.getByRole('heading', { name: heading }).waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  } finally {
    server.close();
  }
});
