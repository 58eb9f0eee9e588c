// Storage that is blocked, full, holding an unreadable record or data from a newer version,
// and two tabs saving at once: a clear banner, the app keeps working, nothing stored is lost.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir, pickTrainee, spaGoto, durable, finishQuizUnanswered, unlockTrainer, readStore, writeStore } = require('./harness.cjs');

test('blocked storage shows a banner and the app works in memory', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } });
      Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } });
    });
    const { page, errors } = await open(context, base + '/');
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /无法使用浏览器存储/);
    await finishQuizUnanswered(page);
    assert.match(await page.getByTestId('weighted-total').textContent(), /%/);
    await page.getByTestId('open-results').click();
    assert.equal(await page.locator('[data-kind="quiz"]').count(), 1, 'the result is kept in memory');
    assert.equal(await page.getByTestId('export-unsaved').count(), 1, 'and offered for export');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('a full storage shows a banner, keeps the result in memory and offers to export it', async () => {
  const { server, base } = await serve();
  const dir = profileDir();
  let context = await launch(dir);
  try {
    const { page, errors } = await open(context, base + '/');
    await durable(page);
    // From now on every write is over the quota.
    await page.evaluate(() => {
      IDBObjectStore.prototype.put = function () { throw new DOMException('full', 'QuotaExceededError'); };
    });
    await finishQuizUnanswered(page);
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /存储空间已满/);
    await page.getByTestId('open-results').click();
    assert.equal(await page.locator('[data-kind="quiz"]').count(), 1, 'the attempt is listed from memory');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-unsaved').click()]);
    const file = await download.path();
    const exported = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
    assert.equal(exported.unsaved_records.length, 1);
    assert.equal(exported.unsaved_records[0].body.quiz.quiz, 'communication-standards-check');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('an unreadable record is quarantined and reported; the other records still load', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/');
    await finishQuizUnanswered(page);
    await durable(page);
    await writeStore(page, 'records', 'broken-1', '{"schema_version":2,"id":"broken-1","body":');
    await page.reload();
    await spaGoto(page, '/results');
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /无法读取/);
    assert.equal(await page.locator('[data-kind="quiz"]').count(), 1, 'the good record still loads');
    const kept = await readStore(page, 'quarantine');
    assert.deepEqual(kept, [['broken-1', '{"schema_version":2,"id":"broken-1","body":']]);
    assert.equal((await readStore(page, 'records')).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('state from a newer version is never overwritten', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page } = await open(context, base + '/');
    await durable(page);
    await writeStore(page, 'documents', 'state', '{"schema_version":7,"future":true}');
    await page.reload();
    await page.getByTestId('storage-banner').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), /更新版本/);
    await finishQuizUnanswered(page);
    const state = (await readStore(page, 'documents')).find(([k]) => k === 'state');
    assert.equal(state[1], '{"schema_version":7,"future":true}');
  } finally {
    await context.close();
    server.close();
  }
});

test('two tabs: each tab\'s change is applied to what is stored, so neither loses the other\'s', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page: a } = await open(context, base + '/lesson/communication-standards/channels');
    await durable(a);
    const b = await context.newPage();
    await open(context, base + '/lesson/communication-standards/language-and-manner', { page: b });
    // Tab A saves first; tab B, loaded before A's save, saves a different lesson second.
    await a.getByTestId('mark-done').click();
    await durable(a);
    await b.getByTestId('mark-done').click();
    await durable(b);
    assert.equal(await b.getByTestId('refused-banner').count(), 0);
    // Both are stored: a reload of either tab shows both lessons done.
    for (const page of [a, b]) {
      await page.goto(base + '/module/communication-standards');
      await page.locator('[data-lesson="channels"] .pill--ok').waitFor();
      await page.locator('[data-lesson="language-and-manner"] .pill--ok').waitFor();
    }
  } finally {
    await context.close();
    server.close();
  }
});
