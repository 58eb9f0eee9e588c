// The fault matrix: each stored document (state, head, profiles, trainer, settings, conflicts, one
// record) damaged and, separately, written by a newer version of the app; then the trainee's and
// the trainer's journeys run. Each case: a banner naming what is affected, nothing overwritten,
// no panic. Plus: a write failing half-way through a save, and a newer state written by another
// tab during a save.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {
  serve, launch, open, profileDir, pickTrainee, spaGoto, durable, finishQuizUnanswered, unlockTrainer,
  readStore, writeStore,
} = require('./harness.cjs');

const DAMAGED = '{"damaged": tru';
const NEWER = JSON.stringify({ schema_version: 99, revision: 4, data: { from: 'a newer Lixun' } });

/** A device with a trainee, a finished quiz, a lesson done, a PIN and a chosen rubric. */
async function baseline(base) {
  const dir = profileDir();
  const context = await launch(dir);
  try {
    const { page } = await open(context, base + '/lesson/communication-standards/channels', { trainee: '甲' });
    await page.getByTestId('mark-done').click();
    await durable(page);
    await finishQuizUnanswered(page);
    await durable(page);
    await unlockTrainer(page);
    await page.getByTestId('trainer-badge').click();
    await page.getByTestId('rubric-choice').selectOption({ index: 1 });
    await durable(page);
  } finally {
    await context.close();
  }
  return dir;
}

function copyProfile(from) {
  const to = profileDir();
  fs.cpSync(from, to, { recursive: true, filter: (src) => !/Singleton/.test(path.basename(src)) });
  return to;
}

/** Tries a step; returns 'ok', or what stopped it (the app is allowed to refuse, never to break). */
async function attempt(step) {
  try {
    await step();
    return 'ok';
  } catch (e) {
    return 'refused';
  }
}

const CASES = [];
for (const doc of ['state', 'head', 'profiles', 'trainer', 'settings', 'conflicts', 'record']) {
  for (const [how, raw] of [['damaged', DAMAGED], ['newer', NEWER]]) CASES.push({ doc, how, raw });
}

test('fault matrix: every stored document damaged or newer is named, kept and never overwritten', { timeout: 900000 }, async () => {
  const { server, base } = await serve();
  const rows = [];
  try {
    const dir = await baseline(base);
    for (const c of CASES) {
      const context = await launch(copyProfile(dir));
      try {
        const page = context.pages()[0] || await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => { if (m.type() === 'error' && /panicked/.test(m.text())) errors.push(m.text()); });
        await page.goto(base + '/');
        await page.waitForSelector('.topbar', { timeout: 20000 });
        const store = c.doc === 'record' ? 'records' : 'documents';
        const key = c.doc === 'record' ? 'fault-record' : c.doc;
        await writeStore(page, store, key, c.raw);
        await page.reload();
        await page.waitForSelector('.topbar', { timeout: 20000 });
        const named = c.doc === 'record' ? 'records' : c.doc;
        const banner = await page.locator(`[data-testid="storage-banner"][data-doc="${named}"]`).count() > 0;
        // The trainee's journey: pick (or try to add) a trainee, mark a lesson, take a quiz.
        const trainee = await attempt(async () => {
          if (await page.locator('[data-profile="甲"]').count()) {
            await pickTrainee(page, '甲');
          } else {
            await page.getByTestId('new-trainee-name').fill('乙');
            await page.getByTestId('create-trainee').click();
            await page.getByTestId('current-trainee').waitFor({ timeout: 3000 });
          }
          await spaGoto(page, '/lesson/communication-standards/language-and-manner');
          await page.getByTestId('mark-done').click({ timeout: 5000 });
          await durable(page);
          await finishQuizUnanswered(page);
          await durable(page);
          if (await page.getByTestId('refused-banner').count()) throw new Error('refused');
        });
        // The trainer's journey: unlock and open the trainer page.
        const trainer = await attempt(async () => {
          if (await page.getByTestId('switch-trainee').count()) await page.getByTestId('switch-trainee').click();
          await page.getByTestId('open-trainer').click();
          if (c.doc === 'trainer') {
            await page.getByTestId('lock-unreadable').waitFor({ timeout: 3000 });
            throw new Error('locked');
          }
          await page.getByTestId('pin').fill('2468');
          await page.getByTestId('pin-submit').click();
          await page.getByTestId('trainer-badge').click({ timeout: 5000 });
          await page.locator(`[data-testid="document-problem"][data-doc="${c.doc}"], [data-testid="quarantine"]`).first().waitFor({ timeout: 5000 });
        });
        // Nothing overwritten: the document is as injected, the record kept raw in the quarantine.
        let intact;
        if (c.doc === 'record') {
          intact = (await readStore(page, 'quarantine')).some(([k, v]) => k === 'fault-record' && v === c.raw);
        } else {
          intact = (await readStore(page, 'documents')).some(([k, v]) => k === c.doc && v === c.raw);
        }
        rows.push({ case: `${c.doc} ${c.how}`, banner, intact, trainee, trainer, panics: errors.length });
        assert.ok(banner, `${c.doc} ${c.how}: a banner names it`);
        assert.ok(intact, `${c.doc} ${c.how}: left as it was`);
        assert.deepEqual(errors, [], `${c.doc} ${c.how}: no panic`);
        // A lost trainer lock keeps trainer mode locked.
        if (c.doc === 'trainer') assert.equal(trainer, 'refused');
        // Damage to one document leaves the journeys that do not need it working.
        if (['settings', 'conflicts', 'record'].includes(c.doc)) assert.equal(trainee, 'ok', `${c.doc} ${c.how}: trainee journey`);
      } finally {
        await context.close();
      }
    }
  } finally {
    server.close();
    console.log('\nfault matrix (case | banner shown | data intact | trainee journey | trainer journey | panics)');
    for (const r of rows) {
      console.log(`  ${r.case.padEnd(20)} | ${r.banner ? 'yes' : 'NO '} | ${r.intact ? 'yes' : 'NO '} | ${r.trainee.padEnd(7)} | ${r.trainer.padEnd(7)} | ${r.panics}`);
    }
  }
});

test('a write failing half-way through a save leaves the previous state intact', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page } = await open(context, base + '/lesson/communication-standards/channels', { trainee: '甲' });
    await page.getByTestId('mark-done').click();
    await durable(page);
    const docs = await readStore(page, 'documents');
    const records = await readStore(page, 'records');
    // The 2nd put of the next save throws (after the first record was put).
    await page.evaluate(() => {
      const o = IDBObjectStore.prototype.put;
      let n = 0;
      window.__restorePut = () => { IDBObjectStore.prototype.put = o; };
      IDBObjectStore.prototype.put = function (...a) {
        n += 1;
        if (n >= 2) throw new DOMException('disk error', 'UnknownError');
        return o.apply(this, a);
      };
    });
    await finishQuizUnanswered(page);
    await page.getByTestId('storage-banner').waitFor();
    await page.evaluate(() => window.__restorePut());
    assert.deepEqual(await readStore(page, 'documents'), docs, 'no document of the failed save');
    assert.deepEqual(await readStore(page, 'records'), records, 'no record of the failed save');
    // The finished attempt is not lost: kept in memory and offered for export.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-unsaved').click()]);
    const unsaved = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
    assert.equal(unsaved.unsaved_records.length, 1);
  } finally {
    await context.close();
    server.close();
  }
});

test('a newer state written by another tab during a save is refused, not overwritten', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page: a } = await open(context, base + '/lesson/communication-standards/channels', { trainee: '甲' });
    await a.getByTestId('mark-done').click();
    await durable(a);
    // Another tab, running a newer version of the app, writes its state.
    const b = await context.newPage();
    await b.goto(base + '/');
    await writeStore(b, 'documents', 'state', NEWER);
    await b.close();
    await spaGoto(a, '/lesson/communication-standards/language-and-manner');
    await a.getByTestId('mark-done').click();
    await a.getByTestId('refused-banner').waitFor();
    assert.match(await a.getByTestId('refused-banner').textContent(), /更新版本/);
    const state = (await readStore(a, 'documents')).find(([k]) => k === 'state');
    assert.equal(state[1], NEWER);
  } finally {
    await context.close();
    server.close();
  }
});

test('the trainer restores the previous copy of a damaged trainee list in one tap', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/', { trainee: '甲' });
    // Setting the PIN shows a one-time recovery code (only its hash is stored).
    await page.getByTestId('switch-trainee').click();
    await page.getByTestId('open-trainer').click();
    await page.getByTestId('pin').fill('2468');
    await page.getByTestId('pin-again').fill('2468');
    await page.getByTestId('pin-submit').click();
    const code = (await page.getByTestId('recovery-code-shown').textContent()).trim();
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.ok(!(await readStore(page, 'documents')).some(([, v]) => v.includes(code)), 'the code is not stored');
    await page.getByTestId('recovery-done').click();
    // A second and a third trainee: the stored list now has a previous copy (甲 and 乙).
    for (const name of ['乙', '丙']) {
      await page.getByTestId('switch-trainee').click();
      await pickTrainee(page, name);
      await durable(page);
    }
    await writeStore(page, 'documents', 'profiles', DAMAGED);
    await page.reload();
    await page.locator('[data-testid="storage-banner"][data-doc="profiles"]').waitFor();
    if (await page.getByTestId('switch-trainee').count()) await page.getByTestId('switch-trainee').click();
    await page.getByTestId('open-trainer').click();
    await page.getByTestId('pin').fill('2468');
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('trainer-badge').click();
    await page.locator('[data-testid="document-problem"][data-doc="profiles"] [data-testid="restore-document"]').click();
    await page.getByTestId('documents-ok').waitFor();
    assert.equal(await page.locator('[data-testid="storage-banner"][data-doc="profiles"]').count(), 0);
    const names = await page.locator('[data-testid="trainee-list"] li').evaluateAll((els) => els.map((e) => e.dataset.trainee).sort());
    assert.deepEqual(names, ['乙', '甲']);
    // The damaged text is kept in the quarantine, exportable.
    assert.ok((await readStore(page, 'quarantine')).some(([, v]) => v === DAMAGED));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
