// Screenshots of each question kind at tablet size (not a test: a tool for looking).
//   NODE_PATH=~/.cache/lixun/tools/e2e/node_modules node tests/e2e/screenshots-quiz.cjs OUT_DIR
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { serve, launch, open, profileDir, startQuiz } = require('./harness.cjs');

(async () => {
  const out = process.argv[2] || 'shots';
  fs.mkdirSync(out, { recursive: true });
  const { server, base } = await serve();
  const seen = new Set();
  try {
    for (const [locale, tag] of [['zh-CN', 'zh'], ['en-US', 'en']]) {
      seen.clear();
      const ctx = await launch(profileDir(), { viewport: { width: 1024, height: 768 }, locale });
      const { page } = await open(ctx, base + '/');
      for (const quiz of ['reception-assessment', 'standards-assessment', 'logistics-assessment', 'business-center-assessment']) {
        await page.goto(base + '/quiz/' + quiz);
        await startQuiz(page);
        const total = await page.locator('.dot').count();
        for (let i = 0; i < total && seen.size < 7; i++) {
          const kind = await page.locator('fieldset.question').getAttribute('data-kind');
          if (!seen.has(kind)) {
            seen.add(kind);
            await page.screenshot({ path: path.join(out, `kind-${kind}-${tag}.png`) });
          }
          if (i + 1 < total) await page.getByTestId('next').click();
        }
      }
      await page.goto(base + '/quiz/reception-flow-check');
      await page.waitForSelector('fieldset.question');
      await page.locator('.choice').first().click().catch(() => {});
      await page.getByTestId('check-answer').click().catch(() => {});
      await page.screenshot({ path: path.join(out, `feedback-each-${tag}.png`) });
      await ctx.close();
    }
  } finally {
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
