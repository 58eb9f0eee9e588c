// Role-play on a tablet: play a scenario to an ending (reloading mid-way), read the
// per-criterion debrief; pair mode with "something else"; fill in an observation checklist
// (reloading mid-way) and find the record under the trainee's name in the results.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serve, launch, open, profileDir, pickTrainee, spaGoto, durable, finishQuizUnanswered, unlockTrainer } = require('./harness.cjs');

const TABLET = { width: 768, height: 1024 };
const SCENARIO = 'sc-scheduled-visit';

/** The scenario file the app fetches, read the same way. */
async function scenarioJson(page, base, id) {
  return page.evaluate(async (url) => (await fetch(url)).json(), `${base}/content/scenarios/${id}.json`);
}

/** The choice at `node` with the highest (best) or lowest (worst) sum of points, never a step back. */
function pick(s, nodeId, best, visited) {
  const node = s.nodes.find((n) => n.id === nodeId);
  const sum = (c) => Object.values(c.scores || {}).reduce((a, b) => a + b, 0);
  const forward = node.choices.filter((c) => !visited.has(c.next));
  const pool = forward.length ? forward : node.choices;
  return pool.slice().sort((a, b) => (best ? sum(b) - sum(a) : sum(a) - sum(b)))[0];
}

/** Takes one step in solo mode: clicks the choice, then continues past its feedback. */
async function step(page, s, best, visited) {
  const nodeId = await page.getByTestId('customer').getAttribute('data-node');
  visited.add(nodeId);
  const c = pick(s, nodeId, best, visited);
  await page.locator(`[data-testid="choices"] [data-choice="${c.id}"]`).click();
  await page.getByTestId('step-feedback').waitFor();
  await page.getByTestId('continue').click();
  return nodeId;
}

async function atEnding(page) {
  await page.locator('[data-testid="customer"], [data-testid="ending"]').first().waitFor();
  return (await page.getByTestId('ending').count()) > 0;
}

test('a scenario played on a tablet resumes after a reload and ends in a per-criterion debrief', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir(), { viewport: TABLET });
  try {
    const { page, errors } = await open(context, base + '/scenario/' + SCENARIO);
    const s = await scenarioJson(page, base, SCENARIO);
    await page.getByTestId('setting').waitFor();
    await page.getByTestId('start-scenario').click();
    await page.getByTestId('customer').waitFor();
    assert.equal(await page.locator('.acting').count(), 0, 'solo mode shows no acting hints');
    const visited = new Set();
    await step(page, s, true, visited);
    const second = await step(page, s, true, visited);
    // Reload mid-way: the same decision point comes back, with the two steps kept.
    const before = await page.getByTestId('customer').getAttribute('data-node');
    assert.notEqual(before, second);
    await page.reload();
    await page.getByTestId('customer').waitFor();
    assert.equal(await page.getByTestId('customer').getAttribute('data-node'), before);
    let steps = 2;
    while (!(await atEnding(page))) {
      await step(page, s, true, visited);
      steps++;
      assert.ok(steps < 40, 'the scenario ends');
    }
    assert.ok(steps >= 6, `at least 6 decisions on this path, took ${steps}`);
    await page.getByTestId('see-debrief').click();
    await page.getByTestId('debrief').waitFor();
    // Every criterion of m1 §8.1.1 has a row; the replay lists every step.
    assert.equal(await page.locator('.crit-table tbody tr').count(), 6);
    assert.equal(await page.locator('[data-testid="replay"] > li').count(), steps);
    assert.match(await page.getByTestId('weighted-total').textContent(), /\d+\.\d%/);
    assert.match(await page.getByTestId('normalisation-note').textContent(), /110%/);
    // The record is in the results, and survives a reload.
    await page.getByTestId('open-results').click();
    await page.locator('[data-kind="scenario"]').first().waitFor();
    await page.reload();
    await page.locator('[data-kind="scenario"]').first().waitFor();
    // The trainer's scenario analysis counts this run's choices.
    await unlockTrainer(page, '2468');
    await page.getByTestId('trainer-badge').click();
    await page.getByTestId('open-dashboard').click();
    const details = page.locator(`[data-scenario="${SCENARIO}"]`);
    await details.waitFor();
    await details.locator(':scope > summary').click();
    assert.equal(await details.locator('.decision').count(), steps);
    assert.match(await details.locator('.decision .share').first().textContent(), /100%/);
    if (process.env.LIXUN_SHOTS) await page.screenshot({ path: require('node:path').join(process.env.LIXUN_SHOTS, 'scenario-analysis-portrait.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('the worst choices fail a criterion and the debrief says which and why, with citations', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir(), { viewport: { width: 1024, height: 768 }, locale: 'en-GB' });
  try {
    const { page, errors } = await open(context, base + '/scenario/' + SCENARIO);
    const s = await scenarioJson(page, base, SCENARIO);
    await page.getByTestId('start-scenario').click();
    const visited = new Set();
    let steps = 0;
    while (!(await atEnding(page))) {
      await step(page, s, false, visited);
      assert.ok(++steps < 40, 'the scenario ends');
    }
    await page.getByTestId('see-debrief').click();
    await page.getByTestId('debrief').waitFor();
    await page.getByTestId('not-passed').waitFor();
    assert.ok(await page.locator('.crit--failed').count() >= 1, 'a criterion is marked below the pass mark');
    assert.ok(await page.locator('[data-testid="why"] .why').count() >= 1, 'the debrief explains which criterion suffered');
    assert.ok(await page.locator('[data-testid="why"] .cite').count() >= 1, 'with the manual passage');
    assert.ok(await page.locator('.replay__best').count() >= 1, 'the replay shows the best choice next to the one made');
    assert.match(await page.locator('h1').textContent(), /Debrief/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('pair mode: acting hints, the observer records "something else", undo, and the name on the record', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir(), { viewport: TABLET });
  try {
    const { page, errors } = await open(context, base + '/scenario/' + SCENARIO);
    const s = await scenarioJson(page, base, SCENARIO);
    await page.getByTestId('mode-pair').check();
    await page.getByTestId('trainee-name').fill('李明');
    await page.getByTestId('start-scenario').click();
    await page.getByTestId('customer').waitFor();
    assert.equal(await page.getByTestId('step-feedback').count(), 0);
    const first = await page.getByTestId('customer').getAttribute('data-node');
    const node = s.nodes.find((n) => n.id === first);
    // The colleague playing the customer sees the acting hint (solo mode never shows it).
    const withHint = s.nodes.find((n) => n.acting);
    assert.ok(withHint, 'the scenario has acting hints');
    if (node.acting) assert.match(await page.locator('.acting').textContent(), new RegExp(node.acting.zh.slice(0, 6).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // "Something else" with a note, continuing as the first choice.
    await page.getByTestId('something-else').click();
    await page.getByTestId('other-note').fill('只说了“你好”，没有起身');
    await page.getByTestId('other-closest').selectOption(node.choices[0].id);
    await page.getByRole('button', { name: /记录并继续/ }).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid="customer"], [data-testid="ending"]')?.dataset.node !== id, first);
    // Undo brings the first decision back.
    await page.getByTestId('undo-step').click();
    await page.waitForFunction((id) => document.querySelector('[data-testid="customer"]')?.dataset.node === id, first);
    // Now play to the end with the best choices.
    const visited = new Set();
    let steps = 0;
    while (!(await atEnding(page))) {
      const nodeId = await page.getByTestId('customer').getAttribute('data-node');
      visited.add(nodeId);
      await page.locator(`[data-choice="${pick(s, nodeId, true, visited).id}"]`).click();
      await page.waitForFunction((id) => document.querySelector('[data-testid="customer"]')?.dataset.node !== id, nodeId);
      assert.ok(++steps < 40);
    }
    await page.getByTestId('see-debrief').click();
    await page.getByTestId('debrief').waitFor();
    assert.match(await page.locator('.scenario-meta').textContent(), /李明/);
    // The record is 李明's: the trainee who ran the device does not see it in their results…
    await page.getByTestId('open-results').click();
    await page.getByRole('heading', { name: /成绩记录/ }).waitFor();
    assert.equal(await page.locator('[data-kind="pair"]').count(), 0);
    // …李明 does.
    await page.getByTestId('switch-trainee').click();
    await pickTrainee(page, '李明');
    await page.getByTestId('open-results').click();
    await page.locator('[data-trainee="李明"] [data-kind="pair"]').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('an observation checklist survives a reload and its record is found under the trainee', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir(), { viewport: { width: 1024, height: 768 } });
  try {
    const { page, errors } = await open(context, base + '/checklist/cl-phone-call');
    await page.getByTestId('observed-name').fill('王芳');
    await page.getByTestId('start-observation').click();
    const items = page.locator('.check-item');
    // Starting saves the observed trainee's profile first: wait for the checklist to appear.
    await items.first().waitFor();
    const n = await items.count();
    assert.ok(n >= 8, `a checklist has at least 8 items, found ${n}`);
    await items.nth(0).locator('[data-mark="done"]').click();
    await items.nth(1).locator('[data-mark="partly"]').click();
    await items.nth(2).locator('[data-mark="missed"]').click();
    await items.nth(2).locator('.mark--note').click();
    await page.getByTestId('item-note').fill('没有复述客户的电话号码');
    await page.getByTestId('item-note').blur();
    await page.waitForFunction(() => document.querySelector('main').dataset.saving === 'false');
    await page.reload();
    await page.getByTestId('observed').waitFor();
    assert.equal(await items.nth(0).getAttribute('data-state'), 'done');
    assert.equal(await items.nth(2).getAttribute('data-state'), 'missed');
    assert.match(await items.nth(2).textContent(), /没有复述客户的电话号码/);
    for (let i = 3; i < n - 1; i++) await items.nth(i).locator('[data-mark="done"]').click();
    // One item left unmarked: finishing asks for a second tap.
    await page.getByTestId('finish-observation').click();
    await page.getByRole('alert').filter({ hasText: '未标记' }).waitFor();
    await page.getByTestId('finish-observation').click();
    await page.getByTestId('observation-result').waitFor();
    assert.match(await page.getByTestId('missed').textContent(), /没有复述客户的电话号码/);
    // 王芳's results hold the record.
    await page.getByTestId('switch-trainee').click();
    await pickTrainee(page, '王芳');
    await page.getByTestId('open-results').click();
    await page.locator('[data-trainee="王芳"] [data-kind="observation"]').click();
    await page.getByTestId('observation-result').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
