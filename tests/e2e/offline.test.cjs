// Offline-first and installable: the service worker precaches the whole app on the first
// visit; offline, a reload and every kind of screen never opened before still work and a
// finished quiz survives a browser restart; the same against Debian's nginx with the example
// deploy/nginx.conf; a new version waits behind a banner and keeps the quiz in progress.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const { serve, launch, open, profileDir } = require('./harness.cjs');

const ROOT = path.resolve(__dirname, '../..');
const DIST = process.env.LIXUN_DIST || path.join(ROOT, 'dist');
const QUIZ = 'communication-standards-check';

/** Answers the question on screen with something (any kind). */
async function answerSomething(page) {
  const kind = await page.locator('fieldset.question').getAttribute('data-kind');
  if (kind === 'numeric') {
    await page.getByTestId('numeric-input').fill('1');
    await page.getByTestId('numeric-input').blur();
  } else if (kind === 'ordering') {
    await page.getByTestId('keep-order').click();
  } else if (kind === 'matching') {
    for (const sel of await page.locator('.match__select').all()) await sel.selectOption({ index: 1 });
  } else {
    await page.locator('.choice').first().click();
  }
}

/** What is answered on the question on screen: selected options and field values. */
async function answered(page) {
  return page.locator('fieldset.question').evaluate((f) => JSON.stringify({
    selected: [...f.querySelectorAll('.choice--selected')].map((e) => e.dataset.option),
    values: [...f.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select')].map((e) => e.value),
  }));
}

/** Waits for the service worker to be active, then reloads so it controls the page. */
async function controlled(page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForSelector('.topbar');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** What the precache holds: cache names, and per Workbox cache the entry count and bytes. */
async function precache(page) {
  return page.evaluate(async () => {
    const out = { names: await caches.keys(), files: 0, bytes: 0, keys: [] };
    for (const name of out.names.filter((n) => n.includes('precache'))) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        out.files++;
        out.keys.push(new URL(req.url).pathname + new URL(req.url).search);
        out.bytes += (await (await cache.match(req)).arrayBuffer()).byteLength;
      }
    }
    return out;
  });
}

/** The precache manifest that sw.js was generated with: [{url, revision}]. */
function manifestOf(dist) {
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  return [...sw.matchAll(/\{url:"([^"]+)",revision:(null|"[^"]*")\}/g)].map((m) => ({ url: m[1], revision: JSON.parse(m[2]) }));
}

/** Runs `fn`, logs how long it took, and returns its value. */
async function timed(log, label, fn) {
  const t0 = Date.now();
  const v = await fn();
  log.push(`${label}: ${Date.now() - t0} ms`);
  return v;
}

/**
 * The offline journey on `base`: first visit online (precache, controlled), then `goOffline()`
 * and the browser offline: reload; a lesson, a manual citation, a quiz (finished), a scenario and
 * a checklist, none opened before; restart the browser on the same profile, still offline: the
 * result is there. Returns the step timings.
 */
async function offlineJourney(base, goOffline, label) {
  const dir = profileDir();
  const log = [];
  let context = await launch(dir);
  try {
    let { page, errors } = await timed(log, 'first visit (online)', () => open(context, base + '/'));
    await timed(log, 'service worker active and controlling', () => controlled(page));
    const cached = await precache(page);
    assert.ok(cached.files > 10, `the precache holds the app (${cached.files} files)`);
    log.push(`precache: ${cached.files} files, ${cached.bytes} bytes, caches ${JSON.stringify(cached.names)}`);

    await goOffline();
    await context.setOffline(true);
    await timed(log, 'reload offline', async () => {
      await page.reload();
      await page.waitForSelector('.topbar');
    });
    assert.equal(await page.evaluate(() => navigator.onLine), false);

    // A lesson never opened: its module file comes from the precache.
    const mod = await page.evaluate(async () => (await fetch('/content/modules/reception-basics.json')).json());
    const lesson = mod.lessons[1].id;
    await timed(log, 'lesson', async () => {
      await page.goto(`${base}/lesson/reception-basics/${lesson}`);
      await page.getByTestId('lesson-title').waitFor();
    });
    // A citation: the manual passage, fetched from the precache.
    await timed(log, 'citation (manual passage)', async () => {
      await page.locator('.cite').first().click();
      await page.getByTestId('citation-panel').waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid="citation-panel"]')?.textContent || '').length > 40);
    });
    await page.keyboard.press('Escape');

    // A quiz, finished.
    const resultUrl = await timed(log, 'quiz (8 questions, submitted)', async () => {
      await page.goto(`${base}/quiz/${QUIZ}`);
      await page.getByTestId('question-position').filter({ hasText: '第 1 题' }).waitFor();
      const total = await page.locator('.dot').count();
      for (let i = 0; i < total; i++) {
        await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
        await answerSomething(page);
        if (i + 1 < total) await page.getByTestId('next').click();
      }
      await page.getByTestId('submit').click();
      if (await page.getByTestId('confirm-dialog').count()) await page.getByTestId('confirm-submit').click();
      await page.getByTestId('result').waitFor();
      await page.waitForSelector('main[data-saving="false"]');
      return page.url();
    });
    const total = (await page.getByTestId('weighted-total').textContent()).trim();

    await timed(log, 'scenario', async () => {
      await page.goto(`${base}/scenario/sc-scheduled-visit`);
      await page.getByTestId('start-scenario').click();
      await page.getByTestId('customer').waitFor();
    });
    await timed(log, 'checklist', async () => {
      await page.goto(`${base}/checklist/cl-delivery-handover`);
      await page.getByTestId('observed-name').fill('王芳');
      await page.getByTestId('start-observation').click();
      await page.locator('.check-item').first().waitFor();
    });
    assert.deepEqual(errors, []);

    // Close the browser and launch it again on the same profile, still offline.
    await context.close();
    context = await launch(dir);
    await context.setOffline(true);
    ({ page, errors } = await timed(log, 'relaunch offline, result shown', async () => {
      const o = await open(context, resultUrl);
      await o.page.getByTestId('result').waitFor();
      return o;
    }));
    assert.equal((await page.getByTestId('weighted-total').textContent()).trim(), total);
    assert.deepEqual(errors, []);
    console.log(`# offline journey (${label}):\n#   ${log.join('\n#   ')}`);
    return log;
  } finally {
    await context.close().catch(() => {});
  }
}

test('the app is installable: a manifest with icons and a service worker', async () => {
  const { server, base } = await serve();
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, base + '/');
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    assert.equal(manifest.short_name, '礼训');
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
    // Run as an installed app (display-mode standalone): trainer mode says so.
    await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'display-mode', value: 'standalone' }] });
    await page.reload();
    await page.waitForSelector('.topbar');
    if (process.env.LIXUN_SHOTS) await page.screenshot({ path: path.join(process.env.LIXUN_SHOTS, 'installed-standalone-tablet.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('without service workers (blocked, or absent as on plain http) the app runs as before', async () => {
  const { server, base } = await serve();
  try {
    for (const [how, options, init] of [
      ['blocked', { serviceWorkers: 'block' }, null],
      ['absent', {}, () => Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined })],
    ]) {
      const context = await launch(profileDir(), options);
      try {
        if (init) await context.addInitScript(init);
        const { page, errors } = await open(context, base + '/quiz/' + QUIZ);
        await page.getByTestId('question-position').filter({ hasText: '第 1 题' }).waitFor();
        await answerSomething(page);
        await page.waitForSelector('main[data-saving="false"]');
        assert.equal(await page.evaluate(() => !!navigator.serviceWorker?.controller), false, how);
        assert.equal(await page.getByTestId('update-banner').count(), 0, how);
        assert.deepEqual(errors, [], how);
      } finally {
        await context.close();
      }
    }
  } finally {
    server.close();
  }
});

test('offline: a reload and screens never opened work, and a finished quiz survives a restart', { timeout: 180000 }, async () => {
  const srv = await serve();
  try {
    await offlineJourney(srv.base, async () => { srv.state.offline = true; }, 'node server');
  } finally {
    srv.server.close();
  }
});

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** GET `url` (no body kept): status and headers. */
function head(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode, headers: res.headers })); })
      .on('error', reject);
  });
}

/** Starts Debian's nginx on 127.0.0.1 with deploy/nginx.conf, its root the build. */
async function startNginx(dist) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-nginx-'));
  fs.mkdirSync(path.join(tmp, 'tmp'));
  const port = await freePort();
  const site = fs.readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8')
    .replace(/^\s*listen \[::\]:80;\n/m, '')
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/var\/www\/lixun;/, `root ${dist};`);
  assert.match(site, new RegExp(`listen 127\\.0\\.0\\.1:${port};`));
  const brotli = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
  const conf = `${fs.existsSync(brotli) ? `load_module ${brotli};` : ''}
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${tmp}/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  client_body_temp_path ${tmp}/tmp/body; proxy_temp_path ${tmp}/tmp/proxy; fastcgi_temp_path ${tmp}/tmp/fastcgi;
  uwsgi_temp_path ${tmp}/tmp/uwsgi; scgi_temp_path ${tmp}/tmp/scgi;
${fs.existsSync(brotli) ? site : site.replace(/^\s*brotli_static on;\n/m, '')}
}
`;
  const confPath = path.join(tmp, 'nginx.conf');
  fs.writeFileSync(confPath, conf);
  const args = ['-p', tmp, '-c', confPath, '-e', path.join(tmp, 'error.log'), '-g', `daemon off; pid ${tmp}/nginx.pid;`];
  execFileSync('nginx', [...args.slice(0, 6), '-t'], { stdio: 'pipe' });
  const proc = spawn('nginx', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { await head(base + '/'); break; } catch (e) {
      if (i > 100 || proc.exitCode !== null) throw new Error(`nginx did not start: ${fs.readFileSync(path.join(tmp, 'error.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGQUIT');
    await done;
  };
  return { base, stop };
}

test('behind Debian nginx with deploy/nginx.conf: headers, precompressed files, and the offline journey', { timeout: 180000 }, async (t) => {
  let nginx;
  try { execFileSync('nginx', ['-v'], { stdio: 'pipe' }); } catch {
    t.skip('nginx is not installed (scripts/tools.sh test installs it)');
    return;
  }
  nginx = await startNginx(DIST);
  try {
    const wasm = fs.readdirSync(DIST).find((f) => /_bg\.wasm$/.test(f));
    const enc = { 'accept-encoding': 'br, gzip' };
    const shown = {};
    for (const [name, url] of [['index.html', '/'], [wasm, '/' + wasm], ['sw.js', '/sw.js'], ['deep link', '/lesson/reception-basics/duties']]) {
      const r = await head(nginx.base + url, enc);
      shown[name] = r;
      console.log(`# nginx ${url} → ${r.status}\n${Object.entries(r.headers).map(([k, v]) => `#   ${k}: ${v}`).join('\n')}`);
      assert.equal(r.status, 200, url);
      assert.match(r.headers['content-security-policy'], /frame-ancestors 'none'/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
      assert.ok(r.headers['permissions-policy']);
    }
    assert.equal(shown['index.html'].headers['cache-control'], 'no-cache');
    assert.equal(shown['sw.js'].headers['cache-control'], 'no-cache');
    assert.equal(shown['deep link'].headers['cache-control'], 'no-cache');
    assert.match(shown['deep link'].headers['content-type'], /text\/html/);
    assert.equal(shown[wasm].headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(shown[wasm].headers['content-type'], 'application/wasm');
    const brotli = fs.existsSync(path.join(DIST, wasm + '.br'));
    assert.equal(shown[wasm].headers['content-encoding'], brotli ? 'br' : 'gzip');
    const gz = await head(nginx.base + '/' + wasm, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const manifest = await head(nginx.base + '/manifest.webmanifest');
    assert.match(manifest.headers['content-type'], /application\/manifest\+json/);
    const missing = await head(nginx.base + '/lixun-0000000000000000.js');
    assert.equal(missing.status, 404, 'a missing script is a 404, never index.html');
    const md = await head(nginx.base + '/content/manuals/m1.md');
    assert.match(md.headers['content-type'], /text\/markdown; charset=utf-8/);

    await offlineJourney(nginx.base, () => nginx.stop(), 'Debian nginx');
  } finally {
    await nginx.stop();
  }
});

test('a new version waits behind a banner; accepting it keeps the quiz in progress', { timeout: 180000 }, async () => {
  // Build B: build A with another stamp, so sw.js gets a new precache revision.
  const distB = fs.mkdtempSync(path.join(os.tmpdir(), 'lixun-dist-b-'));
  fs.cpSync(DIST, distB, { recursive: true });
  execFileSync('python3', [path.join(ROOT, 'scripts/offline_assets.py'), distB], {
    env: { ...process.env, LIXUN_BUILD_STAMP: 'update-test-b', LIXUN_PRECOMPRESS: '0' }, stdio: 'pipe',
  });
  assert.notEqual(fs.readFileSync(path.join(distB, 'sw.js'), 'utf8'), fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8'));
  const srv = await serve(DIST);
  const context = await launch(profileDir());
  try {
    const { page, errors } = await open(context, srv.base + '/');
    await controlled(page);
    assert.equal(await page.getByTestId('update-banner').count(), 0, 'no banner on the first install');

    // Build A: start the quiz and answer two questions.
    await page.goto(`${srv.base}/quiz/${QUIZ}`);
    const drawn = [];
    const picked = [];
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      drawn.push(await page.locator('fieldset.question').getAttribute('data-question'));
      await answerSomething(page);
      picked.push(await answered(page));
      await page.getByTestId('next').click();
    }
    await page.getByTestId('question-position').filter({ hasText: '第 3 题' }).waitFor();
    await page.waitForSelector('main[data-saving="false"]');
    const buildA = await page.evaluate(async () => (await fetch('/build.json')).json());

    // Build B is deployed; the reload finds it. It waits: the page still runs build A.
    srv.setRoot(distB);
    const t0 = Date.now();
    await page.reload();
    await page.getByTestId('update-banner').waitFor({ timeout: 60000 });
    console.log(`# update banner shown ${Date.now() - t0} ms after the reload`);
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: !!reg.waiting, build: (await (await fetch('/build.json')).json()).build };
    });
    assert.deepEqual(state, { waiting: true, build: buildA.build }, 'the new version waits; build A still serves');
    assert.match(await page.getByTestId('update-banner').textContent(), /新版本/);
    if (process.env.LIXUN_SHOTS) await page.screenshot({ path: path.join(process.env.LIXUN_SHOTS, 'update-banner-tablet.png') });
    await page.getByTestId('question-position').filter({ hasText: '第 3 题' }).waitFor();

    // Accept: the page reloads once under build B and the quiz resumes with both answers.
    await Promise.all([page.waitForEvent('load'), page.getByTestId('apply-update').click()]);
    await page.getByTestId('question-position').filter({ hasText: '第 3 题' }).waitFor();
    assert.equal(await page.getByTestId('update-banner').count(), 0);
    const after = await page.evaluate(async () => (await (await fetch('/build.json')).json()).build);
    assert.equal(after, 'update-test-b');
    for (let i = 0; i < 2; i++) {
      await page.locator('.dot').nth(i).click();
      await page.getByTestId('question-position').filter({ hasText: `第 ${i + 1} 题` }).waitFor();
      assert.equal(await page.locator('fieldset.question').getAttribute('data-question'), drawn[i]);
      assert.equal(await answered(page), picked[i], `answer ${i + 1} kept`);
    }
    // Old caches gone: one precache, holding exactly build B's manifest.
    const cached = await precache(page);
    const names = cached.names.filter((n) => n.includes('precache'));
    assert.equal(names.length, 1, JSON.stringify(cached.names));
    const expected = manifestOf(distB).map((e) => (e.revision ? `/${e.url}?__WB_REVISION__=${e.revision}` : `/${e.url}`)).sort();
    assert.deepEqual(cached.keys.sort(), expected);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    srv.server.close();
    fs.rmSync(distB, { recursive: true, force: true });
  }
});
