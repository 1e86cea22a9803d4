// The insights page: sign in, choose a range and a period, and see what missed appointments cost,
// per department or, opened, per clinician of one department. The view lives in the address
// (?from=&to=&period=&department=), so it can be bookmarked and Back works. Every figure comes from
// GET /v1/stats/missed; this file only asks and draws. Text is set with textContent, never as HTML.
import { ApiProblem, Unreachable, UnexpectedAnswer, missedStatistics, signIn } from './api.js';
import { addDays, chartSeries, overall, periodsBetween, ranking, shownRate, toCsv } from './figures.js';
import { MAX_SERIES, lineChart, swatch } from './chart.js';
import { LANGUAGES, chooseLanguage, text } from './messages.js';

const TOKEN_KEY = 'panda-insights-session';
const LANGUAGE_KEY = 'panda-insights-language';
const PERIODS = ['day', 'week', 'month'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const $ = (selector) => document.querySelector(selector);
let language = chooseLanguage([localStorage.getItem(LANGUAGE_KEY), ...navigator.languages].filter(Boolean));
// Answers to an older view that arrive after a newer one was asked for are dropped.
let generation = 0;

const t = (key, values) => text(language, key, values);

function node(name, attributes = {}, ...children) {
  const el = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children);
  return el;
}

// ---- Numbers and dates, in the page's language ----

const integer = () => new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
const percent = () => new Intl.NumberFormat(language, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
function formatDate(iso, period = 'day') {
  const options = period === 'month' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(language, { ...options, timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

// ---- The session: the access token, in this tab only ----

function session() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY));
    return saved && saved.expiresAt > Date.now() ? saved : null;
  } catch {
    return null;
  }
}

function endSession(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  generation += 1; // an answer still on its way must not draw over the sign-in
  $('#figures').replaceChildren();
  $('#showing').textContent = '';
  showSignIn(message);
}

// ---- The view in the address ----

// Date.parse accepts 2026-02-30 (as 2 March): a date is one that reads back as itself.
const isDate = (value) => DATE.test(value || '') && !Number.isNaN(Date.parse(value)) && addDays(value, 0) === value;

function today() {
  return new Date().toISOString().slice(0, 10);
}

/** The view the address asks for, with the last twelve months by month where it says nothing. */
function viewFromAddress() {
  const query = new URLSearchParams(window.location.search);
  const to = isDate(query.get('to')) ? query.get('to') : today();
  // Twelve calendar months: from the first of the month eleven months before `to`'s.
  const twelveMonths = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 12, 1));
  const from = isDate(query.get('from')) ? query.get('from') : twelveMonths.toISOString().slice(0, 10);
  const period = PERIODS.includes(query.get('period')) ? query.get('period') : 'month';
  const department = query.get('department') || null;
  return { from, to, period, department };
}

function addressOf(view) {
  const query = new URLSearchParams({ from: view.from, to: view.to, period: view.period });
  if (view.department) query.set('department', view.department);
  return `${window.location.pathname}?${query}`;
}

/** Shows `view` as a new entry in the history; `focus` moves the keyboard to the new heading. */
function go(view, options) {
  history.pushState(null, '', addressOf(view));
  show(view, options);
}

// ---- Messages to the person ----

function setStatus(message) {
  $('#status').textContent = message;
}

function showProblem(error) {
  const box = $('#problem');
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  if (error instanceof ApiProblem) {
    box.append(node('p', {}, node('strong', { text: error.title }), ` ${error.detail}`));
    if (error.errors.length) box.append(node('ul', {}, ...error.errors.map((e) => node('li', { text: e.message }))));
  } else if (error instanceof Unreachable) {
    box.append(node('p', { text: t('network-error') }));
  } else if (error instanceof UnexpectedAnswer) {
    box.append(node('p', { text: t('unexpected-answer', { status: error.status }) }));
  } else {
    box.append(node('p', { text: String(error.message || error) }));
  }
  box.hidden = false;
}

// ---- Sign-in ----

function showSignIn(message = '') {
  $('#insights').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  setStatus(message);
  $('#sign-in-form [name=username]').focus();
}

async function onSignIn(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button');
  button.disabled = true;
  setStatus(t('signing-in'));
  showProblem(null);
  try {
    const saved = await signIn(form.username.value, form.password.value, language);
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(saved));
    form.reset();
    show(viewFromAddress(), { focus: true });
  } catch (error) {
    setStatus('');
    showProblem(error);
    // Disabling the button took the focus away; put it back where the person will type again.
    form.password.focus();
  } finally {
    button.disabled = false;
  }
}

// ---- The figures ----

function groupWord(view) {
  return t(view.department ? 'group-clinician' : 'group-department');
}

async function show(view, { focus = false } = {}) {
  const saved = session();
  if (!saved) return endSession(sessionStorage.getItem(TOKEN_KEY) ? t('session-ended') : '');
  $('#sign-in').hidden = true;
  $('#insights').hidden = false;
  $('#sign-out').hidden = false;
  showProblem(null);

  const form = $('#view-form');
  form.from.value = view.from;
  form.to.value = view.to;
  form.period.value = view.period;
  renderCrumbs(view);
  $('#view-heading').textContent = view.department ? t('clinicians-in', { department: view.department }) : t('all-departments');
  if (focus) $('#view-heading').focus();
  $('#showing').textContent = '';

  const mine = ++generation;
  setStatus(t('loading'));
  $('#figures').setAttribute('aria-busy', 'true');
  const ask = {
    token: saved.token,
    language,
    groupBy: view.department ? 'clinician' : 'department',
    from: view.from,
    // The page's "to" is the last day shown; the API's is the first day left out.
    to: addDays(view.to, 1),
    department: view.department || undefined,
  };
  try {
    // Refused here, in the page's words, rather than with the API's (whose "to" is exclusive).
    if (view.to < view.from) throw new Error(t('range-reversed', { from: formatDate(view.from) }));
    const [byPeriod, totals] = await Promise.all([
      missedStatistics({ ...ask, period: view.period }),
      missedStatistics(ask),
    ]);
    if (mine !== generation) return;
    renderFigures(view, ask, byPeriod, totals);
    const showing = view.department ? 'showing-clinicians' : 'showing-departments';
    const sentence = t(showing, {
      department: view.department,
      period: t(`period-${view.period}`),
      from: formatDate(view.from),
      to: formatDate(view.to),
    });
    // #showing is itself a live region: it tells a screen reader what is now shown.
    $('#showing').textContent = totals.length ? sentence : t('no-appointments');
    setStatus('');
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiProblem && error.status === 401) return endSession(`${error.title}: ${error.detail}`);
    $('#figures').replaceChildren();
    setStatus('');
    showProblem(error);
  } finally {
    if (mine === generation) $('#figures').removeAttribute('aria-busy');
  }
}

function renderCrumbs(view) {
  const crumbs = $('#crumbs');
  crumbs.replaceChildren();
  if (!view.department) return;
  const all = node('a', { href: addressOf({ ...view, department: null }), text: t('back-to-departments') });
  all.addEventListener('click', (event) => {
    event.preventDefault();
    go({ ...view, department: null }, { focus: true });
  });
  crumbs.append(node('p', {}, '← ', all));
}

function renderFigures(view, ask, byPeriod, totals) {
  const figures = $('#figures');
  figures.replaceChildren();
  if (!totals.length) {
    figures.append(node('p', { class: 'empty', text: t('no-appointments') }));
    return;
  }
  const groupHeading = t(view.department ? 'clinician' : 'department');
  const ranked = ranking(totals);
  figures.append(summary(overall(totals)));

  const periods = periodsBetween(view.from, ask.to, view.period);
  const charted = ranked.slice(0, MAX_SERIES).map((row) => row.group);
  if (ranked.length > MAX_SERIES) {
    figures.append(node('p', { class: 'note', text: t('chart-top', { shown: charted.length, total: ranked.length }) }));
  }
  const periodWord = t(`period-${view.period}`);
  const chart = (measure, options) => chartSection(view, {
    id: `chart-${measure}`,
    title: t(`chart-${measure}`, { period: periodWord }),
    periods,
    groups: charted,
    series: periods && chartSeries(byPeriod, charted, periods, measure),
    ...options,
  });
  figures.append(
    chart('minutes', { format: (v) => integer().format(v) }),
    chart('rate', {
      format: rateText,
      formatAxis: (v) => new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(v),
      maxY: 1,
      footnote: t('no-rate'),
    }),
    rankingSection(view, ranked, groupHeading),
    periodsSection(view, byPeriod, groupHeading),
  );
}

function summary(sum) {
  const list = node('dl', { class: 'summary' });
  const item = (key, value, shown) =>
    list.append(node('div', { 'data-measure': key }, node('dt', { text: t(key) }), node('dd', { 'data-value': value ?? '', text: shown })));
  item('appointments', sum.appointments, integer().format(sum.appointments));
  item('missed', sum.missed, integer().format(sum.missed));
  item('minutes-lost', sum.missed_minutes, integer().format(sum.missed_minutes));
  const rate = shownRate(sum);
  item('missed-rate', rate, rateText(rate));
  return node('section', { class: 'block', 'aria-labelledby': 'summary-heading' },
    node('h3', { id: 'summary-heading', text: t('summary') }), list,
    node('p', { class: 'note', text: t('missed-rate-note') }));
}

/** A scrolling box for a wide table, reachable and scrollable from the keyboard. */
function tableBox(table, label) {
  return node('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label }, table);
}

function numberCell(value, shown) {
  return node('td', { class: 'number', 'data-value': value === null ? '' : value, text: shown });
}

function chartSection(view, { id, title, periods, groups, series, format, formatAxis = format, maxY, footnote }) {
  const section = node('section', { class: 'block', 'aria-labelledby': `${id}-heading` }, node('h3', { id: `${id}-heading`, text: title }));
  if (!periods) {
    section.append(node('p', { class: 'note', text: t('chart-too-long') }));
    return section;
  }
  const legend = node('ul', { class: 'legend' }, ...groups.map((group, i) => node('li', {}, swatch(i), node('span', { text: group }))));
  const chart = lineChart({
    id,
    title,
    description: t('chart-description', { group: groupWord(view) }),
    periods,
    series,
    formatY: formatAxis,
    formatX: (iso) => formatDate(iso, view.period),
    pointLabel: (group, iso, value) => `${group}, ${formatDate(iso, view.period)}: ${format(value)}`,
    maxY,
  });
  const table = node('table', { 'data-table': id },
    node('caption', { text: title }),
    node('thead', {}, node('tr', {}, node('th', { scope: 'col', text: t('period-start') }),
      ...groups.map((group) => node('th', { scope: 'col', text: group })))),
    node('tbody', {}, ...periods.map((period, p) => node('tr', {},
      node('th', { scope: 'row' }, node('time', { datetime: period, text: formatDate(period, view.period) })),
      ...series.map((line) => numberCell(line.values[p], format(line.values[p])))))));
  const details = node('details', {}, node('summary', { text: t('chart-as-table') }), tableBox(table, title));
  if (footnote) details.append(node('p', { class: 'note', text: footnote }));
  // Focusable, as a table box is: on a phone the chart is wider than the screen and scrolls.
  const box = node('div', { class: 'chart-scroll', tabindex: 0, role: 'region', 'aria-label': title }, chart);
  section.append(node('figure', {}, legend, box), details);
  return section;
}

const COLUMNS = ['appointments', 'attended', 'missed', 'cancelled', 'missed_minutes', 'missed_rate'];
const COLUMN_TEXT = { missed_minutes: 'minutes-lost', missed_rate: 'missed-rate' };
const columnHeading = (column) => t(COLUMN_TEXT[column] || column);
/** A rate, or "–" where there is none (nothing attended or missed). */
const rateText = (rate) => (rate === null ? '–' : percent().format(rate));
/** A row's figure for a column: its rate only where it has one (figures.js shownRate). */
const figure = (row, column) => (column === 'missed_rate' ? shownRate(row) : row[column]);
const shownValue = (column, value) => (column === 'missed_rate' ? rateText(value) : integer().format(value));
const figureCell = (row, column) => numberCell(figure(row, column), shownValue(column, figure(row, column)));

function rankingSection(view, ranked, groupHeading) {
  const header = [t('rank'), groupHeading, ...COLUMNS.map(columnHeading)];
  const table = node('table', { 'data-table': 'ranking' },
    node('caption', { text: t('ranking') }),
    node('thead', {}, node('tr', {}, ...header.map((heading) => node('th', { scope: 'col', text: heading })))),
    node('tbody', {}, ...ranked.map((row, i) => node('tr', {},
      numberCell(i + 1, integer().format(i + 1)),
      node('th', { scope: 'row', 'data-group': row.group }, groupCell(view, row.group)),
      ...COLUMNS.map((column) => figureCell(row, column))))));
  const csv = () => toCsv(header, ranked.map((row, i) => [i + 1, row.group, ...COLUMNS.map((column) => figure(row, column))]));
  return node('section', { class: 'block', 'aria-labelledby': 'ranking-heading' },
    node('h3', { id: 'ranking-heading', text: t('ranking') }),
    node('p', { class: 'note', text: t('ranking-lede') }),
    tableBox(table, t('ranking')),
    downloadButton(csv, fileName(view, 'ranking')));
}

/** A department's name opens it into its clinicians; a clinician's is only text. */
function groupCell(view, group) {
  if (view.department) return group;
  const link = node('a', { href: addressOf({ ...view, department: group }), 'aria-label': t('open-department', { department: group }), text: group });
  link.addEventListener('click', (event) => {
    event.preventDefault();
    go({ ...view, department: group }, { focus: true });
  });
  return link;
}

function periodsSection(view, rows, groupHeading) {
  const header = [groupHeading, t('period-start'), ...COLUMNS.map(columnHeading)];
  const table = node('table', { 'data-table': 'periods' },
    node('caption', { text: t('every-period') }),
    node('thead', {}, node('tr', {}, ...header.map((heading) => node('th', { scope: 'col', text: heading })))),
    node('tbody', {}, ...rows.map((row) => node('tr', {},
      node('th', { scope: 'row', 'data-group': row.group, text: row.group }),
      node('td', { 'data-value': row.period_start }, node('time', { datetime: row.period_start, text: formatDate(row.period_start, view.period) })),
      ...COLUMNS.map((column) => figureCell(row, column))))));
  const csv = () => toCsv(header, rows.map((row) => [row.group, row.period_start, ...COLUMNS.map((column) => figure(row, column))]));
  return node('section', { class: 'block', 'aria-labelledby': 'periods-heading' },
    node('h3', { id: 'periods-heading', text: t('every-period') }),
    node('p', { class: 'note', text: t('every-period-lede', { group: groupWord(view) }) }),
    tableBox(table, t('every-period')),
    downloadButton(csv, fileName(view, view.period)));
}

function fileName(view, what) {
  const scope = view.department ? `clinicians-${view.department.replace(/[^\p{L}\p{N}]+/gu, '-')}` : 'departments';
  return `panda-missed-${scope}-${what}-${view.from}-to-${view.to}.csv`;
}

function downloadButton(csv, name) {
  const button = node('button', { type: 'button', class: 'download', text: t('download-csv') });
  button.addEventListener('click', () => {
    // A byte order mark, so that spreadsheets read the names (any script) as UTF-8.
    const url = URL.createObjectURL(new Blob(['\ufeff', csv()], { type: 'text/csv;charset=utf-8' }));
    const link = node('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return button;
}

// ---- Language ----

function translatePage() {
  document.documentElement.lang = language;
  document.title = t('page-title');
  for (const el of document.querySelectorAll('[data-text]')) el.textContent = t(el.dataset.text);
  for (const el of document.querySelectorAll('[data-label]')) el.setAttribute('aria-label', t(el.dataset.label));
}

function setUpLanguages() {
  const select = $('#language');
  select.append(...LANGUAGES.map(({ tag, name }) => node('option', { value: tag, lang: tag, text: name })));
  select.value = language;
  select.addEventListener('change', () => {
    language = select.value;
    localStorage.setItem(LANGUAGE_KEY, language);
    translatePage();
    if (!$('#insights').hidden) show(viewFromAddress());
  });
}

// ---- Start ----

setUpLanguages();
translatePage();
$('#sign-in-form').addEventListener('submit', onSignIn);
$('#sign-out').addEventListener('click', () => {
  showProblem(null);
  endSession(t('signed-out'));
});
$('#view-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  go({ ...viewFromAddress(), from: form.from.value, to: form.to.value, period: form.period.value });
});
window.addEventListener('popstate', () => show(viewFromAddress()));
if (session()) show(viewFromAddress());
else endSession(sessionStorage.getItem(TOKEN_KEY) ? t('session-ended') : '');
