// The insights page's arithmetic (insights/figures.js) and texts (insights/messages.js), without a
// browser: periods as the API counts them, the chart series, totals, ranking and CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, chartSeries, missedRate, overall, periodStart, periodsBetween, ranking, shownRate, toCsv } from '../../insights/figures.js';
import { KEYS, LANGUAGES, TRANSLATED, chooseLanguage, text } from '../../insights/messages.js';

const row = (group, period_start, counts) => ({
  group, period_start, appointments: 0, attended: 0, missed: 0, cancelled: 0, missed_minutes: 0, missed_rate: 0, ...counts,
});

test('weeks start on Monday and months on the first, in UTC', () => {
  assert.equal(periodStart('2025-03-05', 'week'), '2025-03-03'); // a Wednesday
  assert.equal(periodStart('2025-03-03', 'week'), '2025-03-03');
  assert.equal(periodStart('2025-03-09', 'week'), '2025-03-03'); // a Sunday
  assert.equal(periodStart('2025-01-01', 'week'), '2024-12-30'); // across a year
  assert.equal(periodStart('2024-02-29', 'month'), '2024-02-01');
  assert.equal(periodStart('2024-02-29', 'day'), '2024-02-29');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-12-31', 1), '2026-01-01');
});

test('the periods of a range start with the one holding its first day and stop before its end', () => {
  assert.deepEqual(periodsBetween('2025-01-15', '2025-04-01', 'month'), ['2025-01-01', '2025-02-01', '2025-03-01']);
  assert.deepEqual(periodsBetween('2025-01-15', '2025-04-02', 'month'), ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']);
  assert.deepEqual(periodsBetween('2025-03-05', '2025-03-18', 'week'), ['2025-03-03', '2025-03-10', '2025-03-17']);
  assert.deepEqual(periodsBetween('2025-03-30', '2025-04-02', 'day'), ['2025-03-30', '2025-03-31', '2025-04-01']);
  assert.equal(periodsBetween('2000-01-01', '2025-01-01', 'day', 100), null, 'too many to draw');
});

test('the missed rate follows the API: missed over attended and missed, 4 places, 0 for none', () => {
  assert.equal(missedRate(0, 0), 0);
  assert.equal(missedRate(2, 1), 0.3333);
  assert.equal(missedRate(1, 2), 0.6667);
  assert.equal(missedRate(0, 4), 1);
});

test('totals add the groups and take the rate of the sums, not the mean of the rates', () => {
  const sum = overall([
    row('a', '2025-01-01', { appointments: 5, attended: 3, missed: 1, cancelled: 1, missed_minutes: 30, missed_rate: 0.25 }),
    row('b', '2025-01-01', { appointments: 2, attended: 0, missed: 2, missed_minutes: 90, missed_rate: 1 }),
  ]);
  assert.deepEqual(sum, { appointments: 7, attended: 3, missed: 3, cancelled: 1, missed_minutes: 120, missed_rate: 0.5 });
  assert.equal(overall([]).missed_rate, 0);
});

test('the ranking puts the most minutes lost first, then the most missed, then names in code point order', () => {
  const ranked = ranking([
    row('b', 'x', { missed_minutes: 60, missed: 1 }),
    row('Z', 'x', { missed_minutes: 60, missed: 1 }),
    row('a', 'x', { missed_minutes: 60, missed: 2 }),
    row('c', 'x', { missed_minutes: 90, missed: 1 }),
  ]);
  assert.deepEqual(ranked.map((r) => r.group), ['c', 'a', 'Z', 'b']);
});

test('names beyond the Basic Multilingual Plane rank in code point order, not UTF-16 order', () => {
  // U+FF5E (one UTF-16 unit, 0xFF5E) comes before U+1F600 (units 0xD83D 0xDE00) by code point;
  // comparing UTF-16 units would put the emoji first.
  const ranked = ranking([row('\u{1F600}', 'x', {}), row('\uFF5E', 'x', {})]);
  assert.deepEqual(ranked.map((r) => r.group), ['\uFF5E', '\u{1F600}']);
});

test('a rate is shown only where something was attended or missed', () => {
  assert.equal(shownRate(row('a', 'x', { attended: 0, missed: 0, cancelled: 3, missed_rate: 0 })), null);
  assert.equal(shownRate(row('a', 'x', { attended: 3, missed: 0, missed_rate: 0 })), 0);
  assert.equal(shownRate(row('a', 'x', { attended: 1, missed: 1, missed_rate: 0.5 })), 0.5);
});

test('chart series fill minutes with 0 where a period has no row and leave the rate empty where nothing went ahead', () => {
  const rows = [
    row('a', '2025-01-01', { attended: 1, missed: 1, missed_minutes: 15, missed_rate: 0.5 }),
    row('a', '2025-03-01', { cancelled: 1, appointments: 1 }),
    row('b', '2025-02-01', { missed: 1, missed_minutes: 60, missed_rate: 1 }),
  ];
  const periods = ['2025-01-01', '2025-02-01', '2025-03-01'];
  assert.deepEqual(chartSeries(rows, ['a', 'b'], periods, 'minutes'), [
    { group: 'a', values: [15, 0, 0] },
    { group: 'b', values: [0, 60, 0] },
  ]);
  assert.deepEqual(chartSeries(rows, ['a', 'b'], periods, 'rate'), [
    { group: 'a', values: [0.5, null, null] },
    { group: 'b', values: [null, 1, null] },
  ]);
});

test('CSV quotes what needs quoting, doubles quotes, ends lines with CRLF and defuses formulas', () => {
  const csv = toCsv(['Group', 'Minutes'], [['Smith, Jo', 15], ['say "hi"', 0], ['=HYPERLINK("x")', 1], ['Siân Ó Dálaigh', 2], ['-1', 3]]);
  assert.equal(csv, 'Group,Minutes\r\n"Smith, Jo",15\r\n"say ""hi""",0\r\n"\'=HYPERLINK(""x"")",1\r\nSiân Ó Dálaigh,2\r\n\'-1,3\r\n');
});

test('CSV leaves a cell empty where the page shows no figure', () => {
  assert.equal(toCsv(['Group', 'Rate'], [['a', null], ['b', 0]]), 'Group,Rate\r\na,\r\nb,0\r\n');
});

test('every language has every text, and each text fills in the same names as the English', () => {
  const names = (template) => [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
  for (const { tag } of LANGUAGES) {
    assert.deepEqual([...TRANSLATED[tag]].sort(), [...KEYS].sort(), `${tag} has other texts than English`);
    for (const key of KEYS) {
      assert.deepEqual(names(text(tag, key, {})), names(text('en-GB', key, {})), `${tag} "${key}"`);
    }
  }
});

test('the page speaks the first language the browser prefers that it has, else English', () => {
  assert.equal(chooseLanguage(['de-AT', 'fr']), 'de');
  assert.equal(chooseLanguage(['en-US']), 'en-GB');
  assert.equal(chooseLanguage(['CY-gb']), 'cy');
  assert.equal(chooseLanguage(['ja', 'es-MX']), 'es');
  assert.equal(chooseLanguage(['ja']), 'en-GB');
  assert.equal(text('fr', 'clinicians-in', { department: 'oncology' }), 'Praticiens de oncology');
});
