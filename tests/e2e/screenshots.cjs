// Takes screenshots of the main screens at tablet and phone sizes in both languages.
//   NODE_PATH=~/.cache/lixun/tools/e2e/node_modules node tests/e2e/screenshots.cjs OUT_DIR
// (not a test: a tool for looking at what the app shows)
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { serve, launch, open, profileDir } = require('./harness.cjs');

const SIZES = { tablet: { width: 1024, height: 768 }, portrait: { width: 768, height: 1024 }, phone: { width: 390, height: 844 } };

(async () => {
  const out = process.argv[2] || 'shots';
  fs.mkdirSync(out, { recursive: true });
  const { server, base } = await serve();
  try {
    for (const [locale, tag] of [['zh-CN', 'zh'], ['en-US', 'en']]) {
      for (const [name, viewport] of Object.entries(SIZES)) {
        const ctx = await launch(profileDir(), { viewport, locale });
        const { page } = await open(ctx, base + '/');
        const shot = async (what) => page.screenshot({ path: path.join(out, `${what}-${name}-${tag}.png`), fullPage: false });
        await page.waitForSelector('.track');
        await shot('home');
        await page.goto(base + '/module/reception-communication');
        await page.waitForSelector('.lesson-list');
        await shot('module');
        await page.goto(base + '/lesson/reception-communication/records-and-archiving');
        await page.waitForSelector('.block');
        await page.locator('.block--differ').first().scrollIntoViewIfNeeded();
        await shot('lesson-differ');
        await page.locator('.block--differ .cite').first().click();
        await page.waitForSelector('[data-testid=citation-panel] .passage');
        await shot('citation');
        await page.keyboard.press('Escape');
        await page.goto(base + '/lesson/communication-standards/channels');
        await page.waitForSelector('.block--numbers');
        await shot('lesson');
        await page.goto(base + '/quiz/communication-standards-check');
        await page.locator('.choice').first().click();
        await page.getByTestId('next').click();
        await page.locator('.choice').first().click();
        await shot('quiz');
        for (let i = 1; i < 7; i++) await page.getByTestId('next').click();
        await page.getByTestId('submit').click();
        await page.getByTestId('confirm-dialog').waitFor();
        await shot('confirm');
        await page.getByTestId('confirm-submit').click();
        await page.getByTestId('result').waitFor();
        await shot('result');
        await ctx.close();
      }
    }
  } finally {
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
