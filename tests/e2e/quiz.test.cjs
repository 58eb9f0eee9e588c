// A quiz survives a killed browser: answer three questions, kill the Chromium process,
// relaunch on the same profile, resume at question four with the answers kept, finish,
// and review every question.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execSync } = require('node:child_process');
const { serve, launch, open, profileDir } = require('./harness.cjs');

async function pickFirstOption(page) {
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

test('a quiz resumes after the browser is killed, with the same draw and answers', async () => {
  const { server, base } = await serve();
  const dir = profileDir();
  try {
    let context = await launch(dir);
    let { page } = await open(context, base + '/quiz/communication-standards-check');
    const drawn = [];
    const picked = [];
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      drawn.push(await page.locator('fieldset.question').getAttribute('data-question'));
      await pickFirstOption(page);
      picked.push(await page.locator('.choice--selected').first().getAttribute('data-option'));
      await page.getByTestId('next').click();
    }
    await page.getByTestId('question-position').filter({ hasText: '第 4 题' }).waitFor();
    const fourth = await page.locator('fieldset.question').getAttribute('data-question');

    // Kill every Chromium process of this profile outright (no clean shutdown).
    execSync(`pkill -KILL -f -- "--user-data-dir=${dir}"`);
    await new Promise((r) => setTimeout(r, 1000));

    context = await launch(dir);
    ({ page } = await open(context, base + '/quiz/communication-standards-check'));
    await page.getByTestId('question-position').filter({ hasText: '第 4 题' }).waitFor();
    assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), fourth, 'same draw, same question');
    // The three answers are kept.
    for (let i = 0; i < 3; i++) {
      await page.locator('.dot').nth(i).click();
      assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), drawn[i]);
      assert.equal(await page.locator('.choice--selected').first().getAttribute('data-option'), picked[i]);
    }
    // Finish: answer the rest and submit.
    await page.locator('.dot').nth(3).click();
    const total = await page.locator('.dot').count();
    for (let i = 3; i < total; i++) {
      await pickFirstOption(page);
      if (i + 1 < total) await page.getByTestId('next').click();
    }
    await page.getByTestId('submit').click();
    await page.getByTestId('result').waitFor();
    assert.equal(await page.locator('.review-list > li').count(), total);
    const reviewText = await page.locator('.review-list').textContent();
    assert.match(reviewText, /正确答案/);
    // The finished attempt is no longer in progress: starting again draws a fresh attempt.
    await page.goto(base + '/module/communication-standards');
    assert.match(await page.getByTestId('start-quiz').textContent(), /开始小测/);
    await context.close();
  } finally {
    server.close();
  }
});
