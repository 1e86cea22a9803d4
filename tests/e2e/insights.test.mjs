// The insights page at /insights, in a real browser (headless Chromium driven by playwright-core,
// as tests/e2e/docs.test.mjs): a member of staff signs in on the page, the client's example data is
// in the worker, and every figure the page shows, read from the DOM, equals what the API answers for
// the same range; the department opens into its clinicians; the CSV holds what the tables show; it
// works from the keyboard, at a phone's width and in another language; nothing is loaded from any
// other origin. Screenshots are kept in build/test-artifacts (or $PANDA_TEST_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker, ROOT } from './support/worker.mjs';
import { ARTIFACTS, launchBrowser, isolatedPage } from './support/browser.mjs';

const MANAGER = { username: 'insights-manager', password: 'a long insights test password 7' };
const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', `example_${name}.json`), 'utf8'));
// Every example appointment, 2018 to November 2026; the page's "to" is inclusive, the API's exclusive.
const RANGE = { from: '2018-01-01', to: '2026-11-30', apiTo: '2026-12-01' };
const COLUMNS = ['appointments', 'attended', 'missed', 'cancelled', 'missed_minutes', 'missed_rate'];

let worker;
let browser;
const offsite = []; // requests any page tried to send anywhere but the worker
const pageErrors = []; // uncaught exceptions, console errors (CSP violations among them)

before(async () => {
  worker = await startWorker();
  await worker.addUser(MANAGER.username, MANAGER.password);
  for (const patient of fixture('patients')) {
    const created = await worker.request('/v1/patients', { method: 'POST', json: patient });
    assert.equal(created.status, 201, created.text);
  }
  for (const appointment of fixture('appointments')) {
    const created = await worker.request('/v1/appointments', { method: 'POST', json: appointment });
    assert.equal(created.status, 201, created.text);
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
});

/** A fresh browser tab at `viewport`, speaking `locale`, that may only reach the worker. */
function newPage(options = {}) {
  // The browser logs each 401 answer; the tests ask for those on purpose (a wrong password, a bad token).
  const expected = /^Failed to load resource: .* status of 401/;
  return isolatedPage(browser, worker.url, { offsite, pageErrors, expected, ...options });
}

async function signInOnPage(page, { username, password } = MANAGER) {
  await page.locator('#sign-in-form [name=username]').fill(username);
  await page.locator('#sign-in-form [name=password]').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
}

/** Chooses a range and a period in the page's form and waits for the figures. */
async function choose(page, { from, to, period }) {
  await page.locator('#view-form [name=from]').fill(from);
  await page.locator('#view-form [name=to]').fill(to);
  await page.locator('#view-form [name=period]').selectOption(period);
  await page.locator('#view-form button[type=submit]').click();
  await waitForFigures(page);
}

async function waitForFigures(page) {
  await page.waitForFunction(() => document.querySelector('#figures')?.getAttribute('aria-busy') === null
    && document.querySelector('table[data-table=periods]'));
}

/** A table's body rows as the page shows them: each cell's text and, for figures, its data-value. */
function tableRows(page, name) {
  return page.$$eval(`table[data-table="${name}"] tbody tr`, (rows) => rows.map((tr) =>
    [...tr.children].map((cell) => ({ text: cell.textContent.trim(), value: cell.dataset.value ?? null }))));
}

/** The API's answer for the same question the page asked. */
async function api(query) {
  const answer = await worker.request(`/v1/stats/missed?${new URLSearchParams(query)}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.items;
}

const shownInteger = (n) => new Intl.NumberFormat('en-GB').format(n);
const shownPercent = (r) => new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(r);
const shown = (column, value) => (column === 'missed_rate' ? shownPercent(value) : shownInteger(value));

/**
 * The figure cells of a DOM row equal an API row: the value behind each and the text shown. Where
 * nothing was attended or missed the API's rate is 0 but there is no rate to show: an empty value, "–".
 */
function assertFigures(cells, apiRow, where) {
  COLUMNS.forEach((column, i) => {
    if (column === 'missed_rate' && apiRow.attended + apiRow.missed === 0) {
      assert.equal(apiRow.missed_rate, 0, `${where}: the API's rate with nothing seen`);
      assert.deepEqual([cells[i].value, cells[i].text], ['', '–'], `${where}: no rate shown`);
      noRateShown += 1;
      return;
    }
    assert.equal(Number(cells[i].value), apiRow[column], `${where}: ${column}`);
    assert.equal(cells[i].text, shown(column, apiRow[column]), `${where}: ${column} as shown`);
  });
}
let noRateShown = 0; // rows checked to show "–", so that the test knows it met some

function byMostTimeLost(rows) {
  return [...rows].sort((a, b) => b.missed_minutes - a.missed_minutes || b.missed - a.missed
    || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** Every table of the page against the API's two answers for its view. */
async function assertPageEqualsApi(page, query, groupCount) {
  const totals = await api(query);
  const byPeriod = await api({ ...query, period: page.period });
  assert.equal(totals.length, groupCount, 'groups in the API answer');

  const ranking = await tableRows(page, 'ranking');
  const expected = byMostTimeLost(totals);
  assert.deepEqual(ranking.map((cells) => cells[1].text), expected.map((row) => row.group), 'ranking order');
  ranking.forEach((cells, i) => {
    assert.equal(cells[0].text, String(i + 1));
    assertFigures(cells.slice(2), expected[i], `ranking ${expected[i].group}`);
  });

  const periods = await tableRows(page, 'periods');
  assert.equal(periods.length, byPeriod.length, 'one row per API row');
  periods.forEach((cells, i) => {
    const row = byPeriod[i];
    assert.equal(cells[0].text, row.group);
    assert.equal(cells[1].value, row.period_start);
    assertFigures(cells.slice(2), row, `${row.group} ${row.period_start}`);
  });

  // The summary is the sums of the groups; the rate is that of the sums.
  const sum = (field) => totals.reduce((s, row) => s + row[field], 0);
  const summary = Object.fromEntries(await page.$$eval('.summary [data-measure]', (items) =>
    items.map((item) => [item.dataset.measure, item.querySelector('dd').dataset.value])));
  assert.equal(Number(summary.appointments), sum('appointments'));
  assert.equal(Number(summary.missed), sum('missed'));
  assert.equal(Number(summary['minutes-lost']), sum('missed_minutes'));
  const seen = sum('attended') + sum('missed');
  assert.equal(summary['missed-rate'], seen ? String(Math.round((sum('missed') / seen) * 10_000) / 10_000) : '', 'no rate where nothing was seen');

  // The minutes chart's table: each charted group's minutes per period, 0 where the API has no row.
  const groups = await page.$$eval('table[data-table="chart-minutes"] thead th', (ths) => ths.slice(1).map((th) => th.textContent));
  assert.deepEqual(groups, expected.slice(0, 8).map((row) => row.group), 'the chart shows the groups losing most time');
  const lines = await page.$$eval('#chart-minutes .series', (series) => series.map((g) => g.dataset.group));
  assert.deepEqual(lines, groups, 'one line per charted group');
  const chartRows = await tableRows(page, 'chart-minutes');
  const periodStarts = await page.$$eval('table[data-table="chart-minutes"] tbody time', (times) => times.map((t) => t.dateTime));
  const cell = new Map(byPeriod.map((row) => [`${row.group}|${row.period_start}`, row]));
  chartRows.forEach((cells, p) => groups.forEach((group, g) => {
    const row = cell.get(`${group}|${periodStarts[p]}`);
    assert.equal(Number(cells[g + 1].value), row?.missed_minutes ?? 0, `${group} ${periodStarts[p]} minutes`);
  }));
  // The rate chart's table: the API's rate where something was attended or missed, else no figure.
  const rateRows = await tableRows(page, 'chart-rate');
  assert.equal(rateRows.length, chartRows.length);
  rateRows.forEach((cells, p) => groups.forEach((group, g) => {
    const row = cell.get(`${group}|${periodStarts[p]}`);
    const expected = row && row.attended + row.missed > 0 ? String(row.missed_rate) : '';
    assert.equal(cells[g + 1].value, expected, `${group} ${periodStarts[p]} rate`);
    assert.equal(cells[g + 1].text, expected ? shownPercent(row.missed_rate) : '–');
  }));
  const inRows = new Set(byPeriod.map((row) => row.period_start));
  for (const start of inRows) assert.ok(periodStarts.includes(start), `the chart has the period ${start}`);
  return { totals, byPeriod, ranking, periods };
}

/** A CSV text as rows of fields (RFC 4180, as the page writes it). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i += 1;
    } else field += c;
  }
  return rows;
}

let page;

test('/insights is served from the worker with a strict CSP and asks for a sign-in', async () => {
  const redirect = await fetch(`${worker.url}/insights`, { redirect: 'manual' });
  assert.equal(redirect.status, 307);
  assert.equal(redirect.headers.get('location'), '/insights/');
  const html = await worker.request('/insights/', { auth: false });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  const csp = html.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /connect-src 'self';/);
  assert.doesNotMatch(html.text, /<script>|<script [^>]*>[^<\s]|style=/, 'no inline script or style');
  for (const file of ['main.js', 'api.js', 'chart.js', 'figures.js', 'messages.js']) {
    const js = await worker.request(`/insights/${file}`, { auth: false });
    assert.equal(js.status, 200, file);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
  }
  assert.equal((await worker.request('/insights/nothing-here', { auth: false })).status, 404);

  page = await newPage();
  await page.goto(`${worker.url}/insights`);
  assert.equal(page.url(), `${worker.url}/insights/`);
  await page.locator('#sign-in-form').waitFor();
  assert.equal(await page.locator('#insights').isHidden(), true, 'no figures before signing in');
  // A wrong password gets the API's own answer, on the page.
  await signInOnPage(page, { username: MANAGER.username, password: 'not the password at all' });
  await page.locator('#problem').waitFor();
  assert.match(await page.locator('#problem').innerText(), /Sign-in failed|username or password/i);
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'password', 'the keyboard stays in the form');
});

test('signed in, every figure on the page equals the API for the same range, by month', async (t) => {
  await signInOnPage(page);
  await page.locator('#view-form').waitFor();
  assert.equal(await page.locator('#problem').isHidden(), true);
  await choose(page, { ...RANGE, period: 'month' });
  assert.match(page.url(), /from=2018-01-01&to=2026-11-30&period=month/);
  page.period = 'month';
  const { totals, byPeriod } = await assertPageEqualsApi(page, { group_by: 'department', from: RANGE.from, to: RANGE.apiTo }, 4);
  assert.equal(totals.reduce((s, row) => s + row.appointments, 0), 100, 'all 100 example appointments are counted');
  await page.screenshot({ path: join(ARTIFACTS, 'insights.png'), fullPage: true });
  // The top of the page, down to the ranking: the README's picture (docs/images/insights.png).
  await page.screenshot({ path: join(ARTIFACTS, 'insights-top.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1560 } });
  t.diagnostic(`${byPeriod.length} department-months; screenshots: ${join(ARTIFACTS, 'insights.png')}, insights-top.png`);
});

test('by week and by day over a shorter range the figures still equal the API', async () => {
  for (const period of ['week', 'day']) {
    await choose(page, { from: '2025-01-01', to: '2025-12-31', period });
    page.period = period;
    const totals = await api({ group_by: 'department', from: '2025-01-01', to: '2026-01-01' });
    await assertPageEqualsApi(page, { group_by: 'department', from: '2025-01-01', to: '2026-01-01' }, totals.length);
  }
  assert.ok(noRateShown > 0, 'some department-day had only cancelled or booked appointments, shown without a rate');
  await choose(page, { ...RANGE, period: 'month' });
  page.period = 'month';
});

test('a department opens into its clinicians, from the keyboard, and Back returns', async (t) => {
  const [top] = byMostTimeLost(await api({ group_by: 'department', from: RANGE.from, to: RANGE.apiTo }));
  const link = page.locator('table[data-table="ranking"] a', { hasText: top.group });
  // Tab to the department's link as a keyboard user would, then Enter.
  await page.locator('#view-form button[type=submit]').focus();
  let reached = false;
  for (let i = 0; i < 80 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await link.evaluate((a) => a === document.activeElement);
  }
  assert.ok(reached, `Tab reaches the link of ${top.group}`);
  await page.keyboard.press('Enter');
  await page.locator('#view-heading', { hasText: top.group }).waitFor();
  await waitForFigures(page);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'view-heading', 'the keyboard moves to the new heading');
  assert.match(page.url(), new RegExp(`department=${encodeURIComponent(top.group)}`));
  const clinicians = await api({ group_by: 'clinician', department: top.group, from: RANGE.from, to: RANGE.apiTo });
  assert.ok(clinicians.length > 1, `${top.group} has several clinicians`);
  await assertPageEqualsApi(page, { group_by: 'clinician', department: top.group, from: RANGE.from, to: RANGE.apiTo }, clinicians.length);
  await page.screenshot({ path: join(ARTIFACTS, 'insights-department.png'), fullPage: true });
  t.diagnostic(`${top.group}: ${clinicians.length} clinicians`);

  await page.goBack();
  await page.locator('#view-heading', { hasText: 'All departments' }).waitFor();
  await waitForFigures(page);
  assert.equal((await tableRows(page, 'ranking')).length, 4);
});

test('each CSV download holds exactly the rows and columns its table shows', async () => {
  for (const name of ['periods', 'ranking']) {
    const table = page.locator(`table[data-table="${name}"]`);
    const section = page.locator('section.block', { has: table });
    const [download] = await Promise.all([page.waitForEvent('download'), section.locator('button.download').click()]);
    assert.match(download.suggestedFilename(), /^panda-missed-departments-.*2018-01-01-to-2026-11-30\.csv$/);
    const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, await table.locator('thead th').allInnerTexts());
    const shownRows = await tableRows(page, name);
    assert.equal(rows.length, shownRows.length, `${name}: one CSV row per table row`);
    rows.forEach((fields, r) => fields.forEach((field, c) => {
      const cell = shownRows[r][c];
      // Figures unformatted (the value behind the cell); names and dates as shown or as their value.
      assert.equal(field, cell.value ?? cell.text, `${name} row ${r + 1} column ${header[c]}`);
    }));
  }
});

test('at a phone\u2019s width nothing but the tables\u2019 own boxes scrolls sideways', async () => {
  const phone = await newPage({ viewport: { width: 375, height: 800 } });
  await phone.goto(`${worker.url}/insights/?from=${RANGE.from}&to=${RANGE.to}&period=month`);
  await signInOnPage(phone);
  await waitForFigures(phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await phone.screenshot({ path: join(ARTIFACTS, 'insights-phone.png'), fullPage: true });
  await phone.context().close();
});

test('the page speaks the browser\u2019s language, and so do the API\u2019s messages on it', async () => {
  const german = await newPage({ locale: 'de-DE' });
  await german.goto(`${worker.url}/insights/`);
  await german.locator('#sign-in-heading', { hasText: 'Anmelden' }).waitFor();
  assert.equal(await german.evaluate(() => document.documentElement.lang), 'de');
  await signInOnPage(german, { username: MANAGER.username, password: 'falsch falsch falsch' });
  await german.locator('#problem', { hasText: 'Anmeldung fehlgeschlagen' }).waitFor();
  await signInOnPage(german);
  await waitForFigures(german);
  assert.equal(await german.locator('table[data-table="ranking"] caption').innerText(), 'Wo am meisten Zeit verloren geht');
  // A range that ends before it starts: the page says so, in German, without asking the API.
  await german.locator('#view-form [name=from]').fill('2025-06-01');
  await german.locator('#view-form [name=to]').fill('2025-01-01');
  await german.locator('#view-form button[type=submit]').click();
  await german.locator('#problem', { hasText: '„Bis“ liegt vor „Von“' }).waitFor();
  assert.equal(await german.locator('#figures').evaluate((el) => el.children.length), 0, 'no figures of the last range are left');
  assert.equal(await german.locator('#showing').innerText(), '');
  // The language can also be chosen on the page.
  await german.locator('#language').selectOption('fr');
  await german.locator('#view-heading', { hasText: 'Tous les services' }).waitFor();
  await german.context().close();
});

test('an impossible date in the address is not used, and signing out leaves no figures behind', async () => {
  await page.goto(`${worker.url}/insights/?from=2025-01-01&to=2025-02-30&period=month`);
  await waitForFigures(page);
  const to = await page.locator('#view-form [name=to]').inputValue();
  assert.match(to, /^\d{4}-\d{2}-\d{2}$/);
  assert.notEqual(to, '2025-02-30');
  assert.doesNotMatch(await page.locator('#showing').innerText(), /2 Mar 2025/, 'not read as 2 March');
  await page.locator('#sign-out').click();
  await page.locator('#sign-in-form').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#status').innerText(), 'You have signed out.');
  assert.equal(await page.locator('#figures').evaluate((el) => el.children.length), 0);
});

test('an ended session goes back to the sign-in, with the API\u2019s reason', async () => {
  await page.evaluate(() => sessionStorage.setItem('panda-insights-session',
    JSON.stringify({ token: 'not.a.token', expiresAt: Date.now() + 60_000 })));
  await page.reload();
  await page.locator('#sign-in-form').waitFor({ state: 'visible' });
  assert.match(await page.locator('#status').innerText(), /token/i);
  await page.context().close();
  assert.deepEqual(offsite, [], 'the pages only talk to the worker');
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
});
