// The interactive API reference at /docs, in a real browser: headless Chromium (Debian's `chromium`
// package, installed by scripts/setup.sh) driven by playwright-core. The page lists every route of
// /openapi.json, a person signs in through it, authorizes, and makes a real call that the worker
// answers. Nothing is loaded from anywhere but the worker. Screenshots are kept in build/test-artifacts for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWorker } from './support/worker.mjs';
import { ARTIFACTS, launchBrowser, isolatedPage } from './support/browser.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const READER = { username: 'docs-reader', password: 'a long docs test password 42' };

let worker;
let browser;
let page;
const offsite = []; // requests the page tried to send anywhere but the worker
const pageErrors = []; // uncaught exceptions, console errors (CSP violations among them)

before(async () => {
  worker = await startWorker();
  await worker.addUser(READER.username, READER.password);
  browser = await launchBrowser();
  page = await isolatedPage(browser, worker.url, { offsite, pageErrors });
});

after(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
});

/** The operation block of Swagger UI for one method and path. */
function operation(method, path) {
  return page.locator(`.opblock.opblock-${method}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
}

/** Opens an operation, replaces its JSON body when given, runs it, and returns the shown answer. */
async function execute(method, path, body) {
  const block = operation(method, path);
  await block.locator('.opblock-summary').first().click();
  if (body !== undefined) {
    await block.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
  }
  await block.locator('button.execute').click();
  const response = block.locator('.live-responses-table .response').first();
  await response.waitFor();
  const status = Number((await response.locator('.response-col_status').innerText()).trim());
  const text = await response.locator('.response-col_description pre').first().innerText();
  return { block, status, text };
}

test('/docs is Swagger UI served from the worker, with a strict CSP, beside the API', async () => {
  const redirect = await fetch(`${worker.url}/docs`, { redirect: 'manual' });
  assert.equal(redirect.status, 307);
  assert.equal(redirect.headers.get('location'), '/docs/');
  const html = await worker.request('/docs/');
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.headers.get('content-security-policy'), /script-src 'self';.*style-src 'self';/);
  assert.doesNotMatch(html.text, /<script>|<script [^>]*>[^<\s]/, 'no inline script');
  const bundle = await worker.request('/docs/swagger-ui/swagger-ui-bundle.js');
  assert.equal(bundle.status, 200);
  // Paths without an asset still reach the worker.
  const missing = await worker.request('/docs/nothing-here');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('content-type'), 'application/problem+json');
  assert.equal((await worker.request('/openapi.json')).status, 200);
});

test('the page lists every route of /openapi.json', async (t) => {
  await page.goto(`${worker.url}/docs`);
  assert.equal(page.url(), `${worker.url}/docs/`);
  await page.locator('.opblock').first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'docs-top.png') });

  const spec = (await worker.request('/openapi.json')).body;
  const expected = Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`));
  const shown = await page.$$eval('.opblock', (blocks) => blocks.map((block) =>
    `${block.querySelector('.opblock-summary-method')?.textContent.trim()} ` +
    `${block.querySelector('.opblock-summary-path, .opblock-summary-path__deprecated')?.dataset.path}`));
  assert.ok(expected.length > 10, `only ${expected.length} operations in /openapi.json`);
  for (const route of expected) assert.ok(shown.includes(route), `${route} is not on /docs (shown: ${shown.join(', ')})`);
  // An operation with two tags is shown under each; nothing is shown that the document lacks.
  assert.deepEqual([...new Set(shown)].sort(), [...expected].sort());
  // "Try it out" calls this server, whatever the document lists as its usual address.
  assert.equal(await page.locator('.servers select').inputValue(), worker.url);
  await page.locator('.scheme-container').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'docs-operations.png') });
  t.diagnostic(`${expected.length} operations shown`);
});

test('sign in, authorize and create a patient, all from the page', async (t) => {
  if (!page.url().startsWith(`${worker.url}/docs/`)) {
    await page.goto(`${worker.url}/docs/`);
    await page.locator('.opblock').first().waitFor();
  }
  // Sign in through POST /v1/auth/token, reading the token from the answer shown on the page.
  const signIn = await execute('post', '/v1/auth/token', READER);
  assert.equal(signIn.status, 200, signIn.text);
  const token = JSON.parse(signIn.text).access_token;
  assert.ok(typeof token === 'string' && token.split('.').length === 3, signIn.text);
  await signIn.block.locator('.opblock-summary').first().click(); // fold it away again

  // Paste it into "Authorize".
  await page.locator('.scheme-container button.authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.locator('#auth-bearer-value').fill(token);
  await dialog.locator('button.modal-btn.auth.authorize').click();
  await dialog.locator('button.modal-btn.auth.btn-done').click();
  await dialog.waitFor({ state: 'detached' });

  // A real call with the document's first example body: POST /v1/patients.
  const example = Object.values(
    (await worker.request('/openapi.json')).body.paths['/v1/patients'].post.requestBody.content['application/json'].examples,
  )[0].value;
  const create = await execute('post', '/v1/patients', undefined);
  assert.equal(create.status, 201, create.text);
  const created = JSON.parse(create.text);
  assert.equal(created.nhs_number, example.nhs_number.replace(/\s/g, ''), create.text);
  assert.equal(created.name, example.name, create.text);
  // The worker really stored it.
  const stored = await worker.request(`/v1/patients/${created.nhs_number}`);
  assert.equal(stored.status, 200, stored.text);
  assert.equal(stored.body.name, example.name);

  await create.block.locator('.live-responses-table').scrollIntoViewIfNeeded();
  const screenshot = join(ARTIFACTS, 'docs-after-call.png');
  await page.screenshot({ path: screenshot });
  t.diagnostic(`screenshot: ${screenshot}`);
  t.diagnostic(`and before it: ${join(ARTIFACTS, 'docs-top.png')}, ${join(ARTIFACTS, 'docs-operations.png')}`);

  assert.deepEqual(offsite, [], 'the page only talks to the worker');
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
});
