// Shared end-to-end harness: serves the release build (dist/) on 127.0.0.1 with the same
// SPA fallback as `trunk serve`, and launches Debian's headless Chromium via playwright-core.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const DIST = process.env.LIXUN_DIST || path.resolve(__dirname, '../../dist');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8', '.webmanifest': 'application/manifest+json' };

/** Serves `root` (default: the release build). `setRoot(dir)` switches to another build on the
 *  same origin (a new version deployed); `offline = true` makes every request fail. */
function serve(root = DIST) {
  return new Promise((resolve) => {
    const state = { root, offline: false };
    const server = http.createServer((req, res) => {
      if (state.offline) { req.socket.destroy(); return; }
      const dir = state.root;
      const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = path.join(dir, path.normalize(url).replace(/^([.][.][/\\])+/, ''));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        file = path.join(dir, 'index.html');
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve({
      server, state, base: `http://127.0.0.1:${server.address().port}`,
      setRoot(dir) { state.root = dir; },
    }));
  });
}

// Content-Security-Policy violations: every page records them in `window.__cspViolations` and
// reports them to the test, where `open` puts them into `errors` (so every test fails on one).
const CSP_INIT = `(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = 'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') +
      ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber + (e.sample ? ' sample ' + e.sample : '');
    window.__cspViolations.push(v);
    if (typeof window.__lixunCsp === 'function') window.__lixunCsp(v);
  }, true);
})();`;
const cspWatched = new WeakSet();
const pageErrors = new WeakMap();

async function watchCsp(context) {
  if (cspWatched.has(context)) return;
  cspWatched.add(context);
  await context.exposeBinding('__lixunCsp', ({ page }, v) => { pageErrors.get(page)?.push(v); });
  await context.addInitScript(CSP_INIT);
}

/** The CSP violations recorded on `page` since its last load. */
async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations || []);
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** A fresh browser profile folder; reuse it across launches to test persistence. */
function profileDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-e2e-'));
}

/** Launches Chromium with a persistent profile (so storage survives a restart). */
async function launch(userDataDir, { viewport = { width: 1024, height: 768 }, locale = 'zh-CN', ...more } = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, locale, ...more,
  });
}

/** Opens a page and fails the test on any uncaught page error (a Rust panic included).
 *  On a device with no trainee picked yet, creates one (`trainee`, default 测试学员) first. */
async function open(context, url, { trainee = '测试学员', page: given } = {}) {
  await watchCsp(context);
  const page = given || context.pages()[0] || await context.newPage();
  const errors = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && /panicked/.test(m.text())) errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('.topbar', { timeout: 20000 });
  if (trainee && await page.getByTestId('profile-picker').count()) await pickTrainee(page, trainee);
  return { page, errors };
}

/** On the picker: picks the trainee called `name`, creating them if they are not listed. */
async function pickTrainee(page, name) {
  await page.getByTestId('profile-picker').waitFor();
  const existing = page.locator(`[data-profile="${name}"]`);
  if (await existing.count()) {
    await existing.click();
  } else {
    await page.getByTestId('new-trainee-name').fill(name);
    await page.getByTestId('create-trainee').click();
  }
  await page.waitForFunction((n) => document.querySelector('[data-testid="current-trainee"]')?.textContent.includes(n), name);
}

/** Kills every process using this profile with SIGKILL (as a crash or a killed app would). */
function killProfile(userDataDir) {
  const needle = `--user-data-dir=${userDataDir}`;
  let killed = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes(needle)) { process.kill(Number(pid), 'SIGKILL'); killed++; }
    } catch { /* the process ended meanwhile */ }
  }
  return killed;
}

/** Navigates inside the app without a reload (what is only in memory stays). */
async function spaGoto(page, path) {
  await page.evaluate((p) => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }, path);
}

/** Resolves once every change on the page has been saved (IndexedDB transaction complete). */
async function durable(page) {
  await page.waitForFunction(() => document.querySelector('main')?.dataset.saving === 'false');
}

/** Takes the communication-standards check answering only the first question, and submits. */
async function finishQuizUnanswered(page) {
  await spaGoto(page, '/quiz/communication-standards-check');
  await page.locator('.choice').first().click();
  for (let i = 1; i < 8; i++) await page.getByTestId('next').click();
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-submit').click();
  await page.getByTestId('result').waitFor();
}

/** On a quiz's page: taps Start when it opens on the intro of a timed quiz (nothing is drawn
 *  or timed before that), then waits for the first question. */
async function startQuiz(page) {
  await page.locator('[data-testid="quiz-intro"], fieldset.question').first().waitFor();
  if (await page.getByTestId('quiz-intro').count()) await page.getByTestId('start-attempt').click();
  await page.waitForSelector('fieldset.question');
}

/** From anywhere: to the picker, then trainer mode with `pin` (set on first use). */
async function unlockTrainer(page, pin = '2468') {
  // Right after a reload the app may not be mounted yet: wait for the top bar's button or the picker.
  await page.locator('[data-testid="switch-trainee"], [data-testid="open-trainer"]').first().waitFor();
  if (await page.getByTestId('switch-trainee').count()) await page.getByTestId('switch-trainee').click();
  await page.getByTestId('open-trainer').click();
  await page.getByTestId('pin').fill(pin);
  if (await page.getByTestId('pin-again').count()) await page.getByTestId('pin-again').fill(pin);
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('trainer-badge').waitFor();
  // A new PIN comes with its one-time recovery code: the trainer notes it and goes on.
  if (await page.getByTestId('recovery-card').count()) await page.getByTestId('recovery-done').click();
}

/** Reads a store of the app's IndexedDB as [key, value] pairs. */
async function readStore(page, store) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const req = indexedDB.open('lixun', 2);
    req.onsuccess = () => {
      const tx = req.result.transaction(name);
      const keys = tx.objectStore(name).getAllKeys();
      const values = tx.objectStore(name).getAll();
      tx.oncomplete = () => { resolve(keys.result.map((k, i) => [k, values.result[i]])); req.result.close(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), store);
}

/** Writes one value into a store of the app's IndexedDB, as another program (or damage) would. */
async function writeStore(page, store, key, value) {
  return page.evaluate(([name, k, v]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('lixun', 2);
    req.onsuccess = () => {
      const tx = req.result.transaction(name, 'readwrite');
      tx.objectStore(name).put(v, k);
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), [store, key, value]);
}

module.exports = { cspViolations, watchCsp, readStore, writeStore, serve, launch, open, profileDir, killProfile, pickTrainee, spaGoto, durable, finishQuizUnanswered, unlockTrainer, startQuiz };
