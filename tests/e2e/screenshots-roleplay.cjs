// Screenshots of role-play and observation: setting card, a decision in progress (solo and
// pair), feedback, debrief, a checklist being filled in, its result, and the results list.
//   NODE_PATH=~/.cache/lixun/tools/e2e/node_modules node tests/e2e/screenshots-roleplay.cjs OUT_DIR [zh|en|both]
// (not a test: a tool for looking at what the app shows)
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { serve, launch, open, profileDir } = require('./harness.cjs');

const SIZES = { tablet: { width: 1024, height: 768 }, portrait: { width: 768, height: 1024 }, phone: { width: 390, height: 844 } };
const SCENARIO = process.env.SCENARIO || 'sc-scheduled-visit';

(async () => {
  const out = process.argv[2] || 'shots';
  const which = process.argv[3] || 'both';
  fs.mkdirSync(out, { recursive: true });
  const { server, base } = await serve();
  try {
    for (const [locale, tag] of [['zh-CN', 'zh'], ['en-US', 'en']]) {
      if (which !== 'both' && which !== tag) continue;
      for (const [name, viewport] of Object.entries(SIZES)) {
        const ctx = await launch(profileDir(), { viewport, locale });
        const { page } = await open(ctx, base + '/scenario/' + SCENARIO);
        const shot = async (what, full = false) => page.screenshot({ path: path.join(out, `${what}-${name}-${tag}.png`), fullPage: full });
        const s = await page.evaluate(async (u) => (await fetch(u)).json(), `${base}/content/scenarios/${SCENARIO}.json`);
        await page.getByTestId('setting').waitFor();
        await shot('scenario-setup');
        await page.getByTestId('start-scenario').click();
        const sum = (c) => Object.values(c.scores || {}).reduce((a, b) => a + b, 0);
        // Two steps: the first best, the second worst (to show feedback with a loss).
        for (let i = 0; i < 3; i++) {
          await page.getByTestId('customer').waitFor();
          if (i === 2) await shot('scenario-decision');
          const id = await page.getByTestId('customer').getAttribute('data-node');
          const node = s.nodes.find((n) => n.id === id);
          const sorted = node.choices.slice().sort((a, b) => sum(b) - sum(a));
          const c = i === 1 ? sorted[sorted.length - 1] : sorted[0];
          await page.locator(`[data-choice="${c.id}"]`).click();
          await page.getByTestId('step-feedback').waitFor();
          if (i === 1) await shot('scenario-feedback');
          await page.getByTestId('continue').click();
        }
        let guard = 0;
        while (!(await page.getByTestId('ending').count()) && guard++ < 40) {
          await page.locator('[data-testid="customer"], [data-testid="ending"]').first().waitFor();
          if (await page.getByTestId('ending').count()) break;
          const id = await page.getByTestId('customer').getAttribute('data-node');
          const node = s.nodes.find((n) => n.id === id);
          const c = node.choices.slice().sort((a, b) => sum(b) - sum(a))[0];
          await page.locator(`[data-choice="${c.id}"]`).click();
          await page.getByTestId('continue').click();
        }
        await page.getByTestId('ending').waitFor();
        await shot('scenario-ending');
        await page.getByTestId('see-debrief').click();
        await page.getByTestId('debrief').waitFor();
        await shot('debrief');
        await page.locator('[data-testid="replay"]').scrollIntoViewIfNeeded();
        await shot('debrief-replay');
        // Pair mode.
        await page.goto(base + '/scenario/' + SCENARIO);
        await page.getByTestId('mode-pair').check();
        await page.getByTestId('trainee-name').fill(tag === 'zh' ? '李明' : 'Li Ming');
        await page.getByTestId('start-scenario').click();
        await page.getByTestId('customer').waitFor();
        await page.getByTestId('something-else').click();
        await shot('scenario-pair');
        // Checklist.
        await page.goto(base + '/checklist/cl-phone-call');
        await page.getByTestId('observed-name').fill(tag === 'zh' ? '王芳' : 'Wang Fang');
        await page.getByTestId('start-observation').click();
        const items = page.locator('.check-item');
        const n = await items.count();
        const marks = ['done', 'done', 'partly', 'missed', 'done', 'not_applicable', 'done'];
        for (let i = 0; i < Math.min(n, marks.length); i++) await items.nth(i).locator(`[data-mark="${marks[i]}"]`).click();
        await items.nth(3).locator('.mark--note').click();
        await page.getByTestId('item-note').fill(tag === 'zh' ? '没有复述电话号码' : 'Did not repeat the phone number');
        await page.getByTestId('item-note').blur();
        await items.nth(2).scrollIntoViewIfNeeded();
        await shot('checklist');
        for (let i = marks.length; i < n; i++) await items.nth(i).locator('[data-mark="done"]').click();
        await page.getByTestId('finish-observation').click();
        await page.getByTestId('observation-result').waitFor();
        await shot('observation-result');
        await page.getByTestId('open-results').click();
        await page.getByTestId('results').waitFor();
        await shot('results');
        await page.goto(base + '/module/communication-standards');
        await page.locator('[data-checklist]').first().scrollIntoViewIfNeeded();
        await shot('module-practice');
        await ctx.close();
      }
    }
  } finally {
    server.close();
  }
})();
