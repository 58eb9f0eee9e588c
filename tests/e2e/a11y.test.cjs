// Accessibility: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every main screen, in both
// languages, at tablet (1024×768) and phone (390×844) sizes. Zero violations, asserted; each
// violation is printed with the elements it names.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const H = require('./harness.cjs');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is now; returns readable lines, one per violating element. */
async function violations(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return res.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, TAGS);
}

const RUNS = [
  ['zh-CN', { width: 1024, height: 768 }],
  ['en-US', { width: 1024, height: 768 }],
  ['zh-CN', { width: 390, height: 844 }],
  ['en-US', { width: 390, height: 844 }],
];

for (const [locale, viewport] of RUNS) {
  test(`no axe violations on any main screen (${locale}, ${viewport.width}×${viewport.height})`, async () => {
    const { server, base } = await H.serve();
    const ctx = await H.launch(H.profileDir(), { locale, viewport });
    const found = [];
    const check = async (page, screen) => {
      for (const v of await violations(page)) found.push(`${screen} · ${v}`);
    };
    try {
      const { page, errors } = await H.open(ctx, base + '/', { trainee: null });
      await page.getByTestId('profile-picker').waitFor();
      await check(page, 'picker');
      await H.pickTrainee(page, '无障碍学员');
      await page.waitForSelector('.track');
      await check(page, 'home');
      const screens = [
        ['/module/communication-standards', '.lesson-list'],
        ['/lesson/communication-standards/channels', '.block'],
        ['/search', 'main input'],
        ['/scenario/sc-angry-complaint-three-questions', 'main .card'],
        ['/checklist/cl-visitor-reception', 'main .card'],
      ];
      for (const [url, ready] of screens) {
        await H.spaGoto(page, url);
        await page.waitForSelector(ready);
        await check(page, url);
      }
      // A citation opened from a lesson.
      await H.spaGoto(page, '/lesson/communication-standards/channels');
      await page.locator('.cite').first().click();
      await page.waitForSelector('[data-testid=citation-panel] .passage');
      await check(page, 'citation');
      await page.keyboard.press('Escape');
      // A question, then a finished attempt's result.
      await H.spaGoto(page, '/quiz/communication-standards-check');
      await H.startQuiz(page);
      await check(page, 'quiz question');
      await H.finishQuizUnanswered(page);
      await check(page, 'quiz result');
      await H.spaGoto(page, '/progress');
      await page.waitForSelector('main h1');
      await check(page, 'my progress');
      await H.spaGoto(page, '/results');
      await page.waitForSelector('main h1');
      await check(page, 'results');
      // Trainer mode: the panel and the dashboard (with the result above in it).
      await H.unlockTrainer(page);
      await page.waitForSelector('main h1');
      await check(page, 'trainer');
      await H.spaGoto(page, '/dashboard');
      await page.getByTestId('item-analysis').waitFor();
      await check(page, 'dashboard');
      assert.deepStrictEqual(errors, []);
    } finally {
      await ctx.close();
      server.close();
    }
    if (found.length) console.log(found.join('\n'));
    assert.deepStrictEqual(found, [], `${found.length} accessibility violations`);
  });
}
