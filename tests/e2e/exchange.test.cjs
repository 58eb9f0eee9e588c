// Export from one browser profile, import into another: the trainer's results list shows both
// devices' trainees; importing again adds nothing; every malformed file gets its error and
// the store is unchanged; names containing HTML are shown as text.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { serve, launch, open, profileDir, pickTrainee, spaGoto, durable, finishQuizUnanswered, unlockTrainer } = require('./harness.cjs');

const SHOTS = process.env.LIXUN_SHOTS;

async function importFiles(page, files) {
  await page.getByTestId('import-files').setInputFiles(files);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="import-report"] > li').length === n, files.length);
}

test('a bundle exported on one tablet imports into another, once', async () => {
  const { server, base } = await serve();
  const a = await launch(profileDir());
  const b = await launch(profileDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-exchange-'));
  try {
    // Tablet A: 甲 takes a quiz; the trainer exports everything.
    const { page: pa } = await open(a, base + '/', { trainee: '甲' });
    await finishQuizUnanswered(pa);
    await unlockTrainer(pa);
    await pa.getByTestId('trainer-badge').click();
    await pa.getByTestId('exchange').waitFor();
    const [dl] = await Promise.all([pa.waitForEvent('download'), pa.getByTestId('export-json').click()]);
    const bundlePath = path.join(dir, 'tablet-a.json');
    await dl.saveAs(bundlePath);
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    assert.equal(bundle.format, 'lixun-results');
    assert.equal(bundle.records.length, 1);
    // CSV export: BOM, one row.
    const [csv] = await Promise.all([pa.waitForEvent('download'), pa.getByTestId('export-csv').click()]);
    const text = fs.readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff'));
    assert.equal(text.trim().split('\r\n').length, 2);
    // Tablet B: 乙 takes a quiz; the trainer imports A's bundle, twice.
    const { page: pb, errors } = await open(b, base + '/', { trainee: '乙' });
    await finishQuizUnanswered(pb);
    await unlockTrainer(pb);
    await pb.getByTestId('trainer-badge').click();
    await pb.getByTestId('exchange').waitFor();
    await importFiles(pb, [bundlePath]);
    assert.match(await pb.getByTestId('import-ok').textContent(), /新增 1 条/);
    await pb.getByTestId('import-report').scrollIntoViewIfNeeded();
    if (SHOTS) await pb.screenshot({ path: path.join(SHOTS, 'import-report-tablet.png'), fullPage: false });
    await importFiles(pb, [bundlePath]);
    assert.match(await pb.getByTestId('import-ok').textContent(), /新增 0 条，已存在 1 条/);
    await pb.getByTestId('open-results').click();
    await pb.locator('[data-trainee="甲"] [data-kind="quiz"]').waitFor();
    await pb.locator('[data-trainee="乙"] [data-kind="quiz"]').waitFor();
    if (SHOTS) await pb.screenshot({ path: path.join(SHOTS, 'results-two-devices-tablet.png') });
    // The dashboard lists both devices' trainees and analyses the questions they answered.
    await pb.getByTestId('trainer-badge').click();
    await pb.getByTestId('open-dashboard').click();
    await pb.locator('[data-testid="roster"] tr[data-trainee="甲"]').waitFor();
    await pb.locator('[data-testid="roster"] tr[data-trainee="乙"]').waitFor();
    assert.ok(await pb.locator('[data-testid="item-analysis"] tbody tr').count() >= 8);
    await pb.getByTestId('criterion-spread').waitFor();
    assert.equal(await pb.locator('[data-testid="criteria-over-time"] polyline').count(), 6, 'a line per criterion');
    if (SHOTS) await pb.screenshot({ path: path.join(SHOTS, 'dashboard-tablet.png'), fullPage: true });
    await pb.getByTestId('item-analysis').scrollIntoViewIfNeeded();
    if (SHOTS) await pb.screenshot({ path: path.join(SHOTS, 'item-analysis-tablet.png') });
    // Filtering by trainee keeps only that trainee's rows.
    await pb.getByTestId('filter-trainee').selectOption({ label: '甲' });
    await pb.waitForFunction(() => document.querySelector('[data-testid="roster"] tr[data-trainee="乙"] td')?.textContent === '0');
    // After a reload the imported record is still there.
    await pb.reload();
    assert.deepEqual(errors, []);
  } finally {
    await a.close();
    await b.close();
    server.close();
  }
});

test('malformed files are refused one by one and change nothing; HTML in names stays text', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-bad-'));
  try {
    const { page, errors } = await open(context, base + '/', { trainee: '丙' });
    await finishQuizUnanswered(page);
    await unlockTrainer(page);
    await page.getByTestId('trainer-badge').click();
    await page.getByTestId('exchange').waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const good = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
    const write = (name, data) => { const p = path.join(dir, name); fs.writeFileSync(p, data); return p; };
    const future = { ...good, schema_version: 9 };
    const dup = { ...good, records: [good.records[0], good.records[0]] };
    const negative = JSON.parse(JSON.stringify(good));
    negative.records[0].body.quiz.result.total = -3;
    const files = [
      write('not-json.json', '{"format": "lixun-results",'),
      write('latin1.json', Buffer.from([0x7b, 0xe9, 0xff, 0x7d])),
      write('deep.json', '['.repeat(10000) + ']'.repeat(10000)),
      write('future.json', JSON.stringify(future)),
      write('duplicate.json', JSON.stringify(dup)),
      write('negative.json', JSON.stringify(negative)),
      write('big.json', Buffer.alloc(21 * 1024 * 1024, 0x20)),
    ];
    await importFiles(page, files);
    const messages = await page.getByTestId('import-error').allTextContents();
    assert.equal(messages.length, files.length);
    // Each in the interface language (Chinese here), never the parser's English.
    const expected = [/不是有效的 JSON/, /UTF-8/, /嵌套层级过深/, /版本（9）/, /重复的编号/, /超出范围/, /20 MB/];
    expected.forEach((re, i) => assert.match(messages[i], re));
    // Nothing changed: still one record, one trainee besides none imported.
    await page.getByTestId('open-results').click();
    assert.equal(await page.locator('[data-kind="quiz"]').count(), 1);
    // A bundle whose trainee is called <script>…: imported, shown as text, never run.
    const html = JSON.parse(JSON.stringify(good));
    html.trainees[0].id = 'other-device-trainee';
    html.trainees[0].name = '<img src=x onerror="window.__pwned=1">';
    html.trainees[0].employee_id = null;
    html.records[0].id = 'imported-html';
    html.records[0].trainee = 'other-device-trainee';
    html.records[0].device = 'other-device';
    await page.getByTestId('trainer-badge').click();
    await importFiles(page, [write('html.json', JSON.stringify(html))]);
    await page.getByTestId('open-results').click();
    await page.locator('.results-group h2').filter({ hasText: '<img src=x' }).waitFor();
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.results-group img').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('the trainer merges a duplicate trainee by hand and reviews a conflicting record', async () => {
  const { server, base } = await serve();
  const a = await launch(profileDir());
  const b = await launch(profileDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-merge-'));
  try {
    const { page: pa } = await open(a, base + '/', { trainee: '丁' });
    await finishQuizUnanswered(pa);
    await unlockTrainer(pa);
    await pa.getByTestId('trainer-badge').click();
    await pa.getByTestId('exchange').waitFor();
    const [dl] = await Promise.all([pa.waitForEvent('download'), pa.getByTestId('export-json').click()]);
    const bundlePath = path.join(dir, 'a.json');
    await dl.saveAs(bundlePath);
    // Tablet B: the same person, also called 丁, with no employee id on either tablet.
    const { page: pb, errors } = await open(b, base + '/', { trainee: '丁' });
    await finishQuizUnanswered(pb);
    await unlockTrainer(pb);
    await pb.getByTestId('trainer-badge').click();
    await pb.getByTestId('exchange').waitFor();
    await importFiles(pb, [bundlePath]);
    assert.equal(await pb.locator('[data-testid="trainee-list"] li[data-trainee="丁"]').count(), 2, 'two profiles called 丁');
    // The same name with no employee id is proposed as a match, never merged silently.
    assert.equal(await pb.getByTestId('import-proposal').count(), 1);
    // Merging asks first, naming both people and what moves; the merge is then noted.
    const row = pb.locator('[data-testid="trainee-list"] li[data-trainee="丁"]').first();
    await row.getByTestId('merge-trainee').click();
    await row.getByTestId('merge-search').fill('丁');
    await row.getByTestId('merge-candidate').first().click();
    assert.match(await row.getByTestId('merge-confirm').textContent(), /合并到「丁」.*1 条成绩/);
    await row.getByTestId('confirm-merge').click();
    await pb.waitForFunction(() => document.querySelectorAll('[data-testid="trainee-list"] li[data-trainee="丁"]').length === 1);
    await pb.locator('[data-testid="merged-note"]').first().waitFor();
    await pb.getByTestId('open-results').click();
    assert.equal(await pb.locator('[data-trainee="丁"] [data-kind="quiz"]').count(), 2, 'both records are 丁\'s');
    // A changed copy of a record already here is kept aside, not merged.
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    bundle.records[0].body.quiz.correct = 7;
    const changed = path.join(dir, 'changed.json');
    fs.writeFileSync(changed, JSON.stringify(bundle));
    await pb.getByTestId('trainer-badge').click();
    await importFiles(pb, [changed]);
    await pb.getByTestId('conflicts').waitFor();
    await pb.getByTestId('dismiss-conflict').click();
    await pb.waitForFunction(() => !document.querySelector('[data-testid="conflicts"]'));
    assert.deepEqual(errors, []);
  } finally {
    await a.close();
    await b.close();
    server.close();
  }
});
