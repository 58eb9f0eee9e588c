// The curriculum: a lesson of every track opens, its citation shows the manual passage,
// "manuals differ" notes are visible, search finds lessons in both languages.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir } = require('./harness.cjs');

const TRACKS = ['core', 'reception', 'business-center', 'logistics', 'standards'];

test('a lesson of each track opens and its citation shows the manual passage, in both languages', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir(), { viewport: { width: 768, height: 1024 } });
  try {
    const { page, errors } = await open(context, base + '/');
    for (const [i, track] of TRACKS.entries()) {
      await page.goto(base + '/');
      const card = page.locator(`section.track[data-track="${track}"] [data-module]`).first();
      await card.click();
      await page.locator('.lesson-list [data-lesson]').first().click();
      await page.getByTestId('lesson-title').waitFor();
      await page.locator('.block').first().waitFor();
      const cite = page.locator('.block .cite').first();
      const key = (await cite.textContent()).trim();
      await cite.click();
      const panel = page.getByTestId('citation-panel');
      await panel.locator('.passage').first().waitFor();
      const manual = key.match(/^m(\d)/)[1];
      assert.match(await panel.locator('h2').textContent(), new RegExp(`^m${manual} · `), `${track}: ${key}`);
      assert.ok((await panel.locator('.passage p').count()) > 0, `${track}: ${key} shows text`);
      await panel.getByRole('button').click();
      await panel.waitFor({ state: 'detached' });
      // Alternate the language as we go: half the tracks are checked in English.
      if (i % 2 === 0) await page.getByTestId('switch-language').click();
    }
    // Now English (5 switches): a lesson reads in English.
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.goto(base + '/lesson/reception-communication/records-and-archiving');
    const differ = page.locator('.block--differ').first();
    await differ.waitFor();
    assert.match(await differ.textContent(), /The manuals differ/);
    assert.match(await differ.textContent(), /two years/);
    assert.match(await differ.textContent(), /three years/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('search finds lessons by title or text in either language', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/');
    await page.getByTestId('open-search').click();
    const input = page.getByTestId('search-input');
    await input.fill('铃响');
    await page.getByTestId('search-count').waitFor();
    const hrefs = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    assert.ok(hrefs.includes('/lesson/communication-standards/channels'), hrefs.join(' '));
    await input.fill('hang up');
    await page.getByTestId('search-count').waitFor();
    assert.ok((await page.getByTestId('search-hit').count()) >= 1);
    await input.fill('zzzz-no-such-word');
    await page.getByTestId('search-none').waitFor();
    await input.fill('铃响');
    await page.getByTestId('search-hit').first().click();
    await page.getByTestId('lesson-title').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
