// A track's timed final assessment never starts by accident and never fails the trainee
// silently: opening it shows the intro and starts nothing; Start → answer one → home shows the
// attempt under way with its time left; the clock moves past the deadline (the test hook
// `lixun.clock-offset-ms`, read by `now()` in src/browser/platform.rs) → the result says time
// ran out and how many questions were left blank; browser Back → the intro again, no new attempt.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir, spaGoto, durable } = require('./harness.cjs');

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

/** Home, fully drawn (the tracks are there, so the running card would be too). */
async function home(page) {
  await spaGoto(page, '/');
  await page.locator('.track').first().waitFor();
}

test('a timed assessment starts only on Start, shows on home, and says when time ran out', { timeout: 120000 }, async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/');
    // Open the first track's final assessment from home.
    const link = page.locator('.track__assessment').first();
    const href = await link.getAttribute('href');
    const quiz = href.split('/').pop();
    await link.click();
    await page.getByTestId('quiz-intro').waitFor();
    assert.match(await page.getByTestId('quiz-intro').textContent(), /时限 30 分钟/);
    assert.match(await page.getByTestId('quiz-intro').textContent(), /及格线/);
    assert.equal(await page.locator('fieldset.question').count(), 0, 'nothing is drawn before Start');
    assert.equal(await page.getByTestId('timer').count(), 0, 'nothing is timed before Start');

    // Backing out of the intro leaves nothing running.
    await home(page);
    assert.equal(await page.getByTestId('running-attempt').count(), 0, 'opening the intro started nothing');

    // Start, answer the first question, go home: the attempt is there with its time left.
    await spaGoto(page, href);
    await page.getByTestId('start-attempt').click();
    await page.waitForSelector('fieldset.question');
    await page.getByTestId('timer').waitFor();
    const total = await page.locator('.dot').count();
    assert.ok(total > 1, 'several questions were drawn');
    await answerSomething(page);
    await durable(page);
    await page.locator('nav.crumbs a').first().click();
    const card = page.locator(`[data-testid="running-attempt"][data-quiz="${quiz}"]`);
    await card.waitFor();
    assert.match(await card.getByTestId('running-time-left').textContent(), /剩余时间 (29|30):\d\d/);
    assert.match(await card.textContent(), new RegExp(`已答 1/${total} 题`));

    // 31 minutes later (the test hook moves the app's clock): home says time is up.
    await page.evaluate(() => localStorage.setItem('lixun.clock-offset-ms', String(31 * 60 * 1000)));
    await page.waitForFunction(() => /时间已到/.test(document.querySelector('[data-testid="running-time-left"]')?.textContent || ''));

    // Continue: the attempt is submitted as of the deadline, and the result says so.
    await card.getByTestId('continue-attempt').click();
    await page.getByTestId('result').waitFor();
    const timeUp = await page.getByTestId('time-up').textContent();
    assert.match(timeUp, /时间到/);
    assert.match(timeUp, new RegExp(`${total - 1} 道题未作答`));
    await page.getByTestId('not-passed').waitFor();
    assert.match(page.url(), /\/result\//);

    // Browser Back goes to the quiz's page: the intro, with the last result, no new attempt.
    await page.goBack();
    await page.getByTestId('quiz-intro').waitFor();
    assert.equal(await page.getByTestId('last-result').count(), 1);
    assert.equal(await page.locator('fieldset.question').count(), 0, 'Back started no attempt');
    await home(page);
    assert.equal(await page.getByTestId('running-attempt').count(), 0, 'nothing is running');
    assert.equal(await page.getByTestId('attempt-row').count(), 1, 'one finished attempt');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
