// Storage that is blocked, full or holding unreadable data: a clear banner, the app keeps
// working in memory, nothing panics and nothing stored is destroyed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir } = require('./harness.cjs');

async function finishQuizUnanswered(page, base) {
  await page.goto(base + '/quiz/communication-standards-check');
  await page.locator('.choice').first().click();
  for (let i = 1; i < 8; i++) await page.getByTestId('next').click();
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-submit').click();
  await page.getByTestId('result').waitFor();
}

test('blocked storage shows a banner and the app works in memory', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } });
    });
    const { page, errors } = await open(context, base + '/');
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /无法使用浏览器存储/);
    await finishQuizUnanswered(page, base);
    assert.match(await page.getByTestId('weighted-total').textContent(), /%/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('a full storage shows a banner and keeps the result in memory', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    await context.addInitScript(() => {
      Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
    });
    const { page, errors } = await open(context, base + '/');
    await finishQuizUnanswered(page, base);
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /存储空间已满/);
    // In memory: the home page lists the attempt.
    await page.locator('.topbar__brand').click();
    assert.equal(await page.getByTestId('attempt-row').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('unreadable saved progress is reported, kept aside, and not overwritten', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page } = await open(context, base + '/');
    await page.evaluate(() => localStorage.setItem('lixun.progress.v1', '{"schema_version":1,"attempts":"broken'));
    await page.reload();
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /无法读取/);
    const kept = await page.evaluate(() => localStorage.getItem('lixun.progress.v1.unreadable'));
    assert.equal(kept, '{"schema_version":1,"attempts":"broken');
  } finally {
    await context.close();
    server.close();
  }
});

test('progress from a newer version is never overwritten', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page } = await open(context, base + '/');
    await page.evaluate(() => localStorage.setItem('lixun.progress.v1', '{"schema_version":7,"future":true}'));
    await page.reload();
    await page.getByTestId('storage-banner').waitFor();
    await finishQuizUnanswered(page, base);
    const stored = await page.evaluate(() => localStorage.getItem('lixun.progress.v1'));
    assert.equal(stored, '{"schema_version":7,"future":true}');
  } finally {
    await context.close();
    server.close();
  }
});
