// Two tabs of one browser profile on one tablet. Tab B never hears from tab A (its
// BroadcastChannel is silenced), so each of its writes comes from a stale view, second. Pairs of
// writing actions (create, rename and merge a trainee, import, finish a quiz, set the PIN):
// nothing either tab wrote is lost; a change that no longer makes sense is refused with a message.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  serve, launch, open, profileDir, pickTrainee, durable, finishQuizUnanswered, unlockTrainer, readStore,
} = require('./harness.cjs');

/** A results bundle exported by another tablet whose one trainee `name` finished a quiz. */
async function bundle(base, name, dir) {
  const context = await launch(profileDir());
  try {
    const { page } = await open(context, base + '/', { trainee: name });
    await finishQuizUnanswered(page);
    await durable(page);
    await unlockTrainer(page);
    await page.getByTestId('trainer-badge').click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const file = path.join(dir, `${name}.json`);
    fs.copyFileSync(await dl.path(), file);
    return file;
  } finally {
    await context.close();
  }
}

async function toPicker(page) {
  if (await page.getByTestId('switch-trainee').count()) await page.getByTestId('switch-trainee').click();
  await page.getByTestId('profile-picker').waitFor();
}

async function createTrainee(page, name) {
  await toPicker(page);
  await pickTrainee(page, name);
  await durable(page);
}

async function trainerPage(page) {
  if (!(await page.getByTestId('trainer-badge').count())) await unlockTrainer(page);
  await page.getByTestId('trainer-badge').click();
  await page.getByTestId('trainee-list').waitFor();
}

async function importFile(page, file) {
  await trainerPage(page);
  await page.getByTestId('import-files').setInputFiles([file]);
  await page.locator('[data-testid="import-report"] > li').first().waitFor();
  await durable(page);
}

async function rename(page, from, to) {
  await trainerPage(page);
  const row = page.locator(`[data-testid="trainee-list"] li[data-trainee="${from}"]`).first();
  await row.getByTestId('rename-trainee').click();
  await row.getByTestId('rename-name').fill(to);
  await row.getByTestId('rename-save').click();
  await durable(page);
}

async function merge(page, from, into) {
  await trainerPage(page);
  const row = page.locator(`[data-testid="trainee-list"] li[data-trainee="${from}"]`).first();
  await row.getByTestId('merge-trainee').click();
  await row.getByTestId('merge-search').fill(into);
  await row.locator(`[data-testid="merge-candidate"][data-name="${into}"]`).click();
  await row.getByTestId('confirm-merge').click();
  await durable(page);
}

async function quiz(page, name) {
  await toPicker(page);
  await pickTrainee(page, name);
  await finishQuizUnanswered(page);
  await durable(page);
}

async function storedNames(page) {
  const docs = await readStore(page, 'documents');
  const profiles = JSON.parse(docs.find(([k]) => k === 'profiles')[1]);
  return profiles.data.list.map((p) => p.name).sort();
}

test('two tabs: each pair of writing actions, the stale tab second, loses nothing', { timeout: 600000 }, async () => {
  const { server, base } = await serve();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-tabs-'));
  const x = await bundle(base, '外甲', dir);
  const y = await bundle(base, '外乙', dir);
  const context = await launch(profileDir());
  try {
    const { page: a } = await open(context, base + '/', { trainee: '甲' });
    await durable(a);
    const b = await context.newPage();
    await b.addInitScript(() => {
      window.BroadcastChannel = class { postMessage() {} set onmessage(_) {} close() {} };
    });
    await b.goto(base + '/');
    await b.waitForSelector('.topbar');

    // set the PIN | set the PIN: the first stays, the stale tab is told one is set.
    await unlockTrainer(a, '2468');
    await toPicker(b);
    await b.getByTestId('open-trainer').click();
    await b.getByTestId('pin').fill('1357');
    await b.getByTestId('pin-again').fill('1357');
    await b.getByTestId('pin-submit').click();
    await b.getByTestId('pin-message').waitFor();
    assert.match(await b.getByTestId('pin-message').textContent(), /已设置过培训师密码/);
    await b.reload();
    await b.waitForSelector('.topbar');

    // create | create
    await createTrainee(a, '乙');
    await createTrainee(b, '丙');
    // import | create
    await importFile(a, x);
    await createTrainee(b, '丁');
    // create | import
    await createTrainee(a, '戊');
    await importFile(b, y);
    // finish a quiz | rename
    await quiz(a, '甲');
    await rename(b, '乙', '乙二');
    // rename | finish a quiz
    await rename(a, '丙', '丙二');
    await quiz(b, '丁');
    // merge | import (the same file again: adds nothing)
    await merge(a, '戊', '丁');
    await importFile(b, x);
    // finish a quiz | merge
    await quiz(a, '乙二');
    await merge(b, '丙二', '甲');

    const names = await storedNames(a);
    assert.deepEqual(names, ['丁', '乙二', '外乙', '外甲', '甲'].sort());
    // Every finished quiz is stored: 3 here, 1 in each bundle.
    const records = (await readStore(a, 'records')).map(([, v]) => JSON.parse(v)).filter((r) => r.body.quiz);
    assert.equal(records.length, 5);
    // The trainer PIN is the first tab's.
    await a.reload();
    await a.waitForSelector('.topbar');
    await a.getByTestId('current-trainee').waitFor();
    await unlockTrainer(a, '2468');
  } finally {
    await context.close();
    server.close();
  }
});
