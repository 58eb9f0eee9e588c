// A quiz survives a killed browser: answer three questions, kill every Chromium process of
// the profile, relaunch on the same profile, resume at question four with the same draw and
// the answers kept, finish, and review every question.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir, killProfile, startQuiz } = require('./harness.cjs');

async function answerSomething(page) {
  const kind = await page.locator('fieldset.question').getAttribute('data-kind');
  if (kind === 'numeric') {
    await page.getByTestId('numeric-input').fill('1');
    await page.getByTestId('numeric-input').blur();
  } else if (kind === 'ordering') {
    await page.getByTestId('keep-order').click();
  } else if (kind === 'matching') {
    for (const sel of await page.locator('.match__select').all()) await sel.selectOption({ index: 1 });
  } else {
    await page.locator('.choice').first().click();
  }
}

test('a quiz resumes after the browser is killed, with the same draw and answers', { timeout: 240000 }, async () => {
  const { server, base } = await serve();
  const dir = profileDir();
  const contexts = [];
  try {
    let context = await launch(dir);
    contexts.push(context);
    let { page, errors } = await open(context, base + '/quiz/communication-standards-check');
    const drawn = [];
    const picked = [];
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      drawn.push(await page.locator('fieldset.question').getAttribute('data-question'));
      await answerSomething(page);
      picked.push(await page.locator('.choice--selected').first().getAttribute('data-option'));
      await page.getByTestId('next').click();
    }
    await page.getByTestId('question-position').filter({ hasText: '第 4 题' }).waitFor();
    const fourth = await page.locator('fieldset.question').getAttribute('data-question');
    assert.deepEqual(errors, []);
    // Wait until the app reports every answer durable (IndexedDB transaction complete), then
    // kill the browser outright: no clean shutdown, no localStorage flush.
    await page.waitForSelector('main[data-saving="false"]');
    assert.ok(killProfile(dir) > 0, 'the browser processes were found and killed');
    await new Promise((r) => setTimeout(r, 500));

    context = await launch(dir);
    contexts.push(context);
    ({ page, errors } = await open(context, base + '/quiz/communication-standards-check'));
    await page.getByTestId('question-position').filter({ hasText: '第 4 题' }).waitFor();
    assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), fourth, 'same draw, same question');
    for (let i = 0; i < 3; i++) {
      await page.locator('.dot').nth(i).click();
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), drawn[i]);
      assert.equal(await page.locator('.choice--selected').first().getAttribute('data-option'), picked[i]);
    }
    await page.locator('.dot').nth(3).click();
    const total = await page.locator('.dot').count();
    for (let i = 3; i < total; i++) {
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      await answerSomething(page);
      if (i + 1 < total) await page.getByTestId('next').click();
    }
    await page.getByTestId('submit').click();
    await page.getByTestId('result').waitFor();
    assert.equal(await page.locator('.review-list > li').count(), total);
    assert.match(await page.locator('.review-list').textContent(), /正确答案/);
    // Finished: the next visit starts a fresh attempt.
    await page.goto(base + '/module/communication-standards');
    assert.match(await page.getByTestId('start-quiz').textContent(), /开始小测/);
    assert.deepEqual(errors, []);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    server.close();
  }
});

test('ordering steps works by dragging and by the move buttons, and is saved', { timeout: 240000 }, async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/');
    // Find an ordering question in the logistics track's assessment (7 of its 46 questions).
    let found = false;
    for (let attempt = 0; attempt < 5 && !found; attempt++) {
      await page.goto(base + '/quiz/logistics-assessment');
      await startQuiz(page);
      const total = await page.locator('.dot').count();
      for (let i = 0; i < total; i++) {
        if ((await page.locator('fieldset.question').getAttribute('data-kind')) === 'ordering') { found = true; break; }
        if (i + 1 < total) await page.getByTestId('next').click();
      }
      if (!found) await page.evaluate(() => localStorage.clear());
    }
    assert.ok(found, 'an ordering question was drawn');
    const ids = async () => page.locator('.order__item').evaluateAll((els) => els.map((e) => e.getAttribute('data-option')));
    const before = await ids();
    // Drag the first step onto the third.
    await page.locator('.order__item').nth(0).locator('.order__handle').dragTo(page.locator('.order__item').nth(2));
    const dragged = [before[1], before[2], before[0], ...before.slice(3)];
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('.order__item')].map((e) => e.getAttribute('data-option'))) === JSON.stringify(want), dragged);
    // Move the last step up one place with its button.
    const n = before.length;
    await page.locator('.order__item').nth(n - 1).getByRole('button', { name: '上移' }).click();
    const moved = [...dragged];
    [moved[n - 2], moved[n - 1]] = [moved[n - 1], moved[n - 2]];
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('.order__item')].map((e) => e.getAttribute('data-option'))) === JSON.stringify(want), moved);
    // Saved: a reload shows the same order.
    const qid = await page.locator('fieldset.question').getAttribute('data-question');
    await page.reload();
    await page.waitForSelector('fieldset.question');
    assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), qid);
    assert.deepEqual(await ids(), moved);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
