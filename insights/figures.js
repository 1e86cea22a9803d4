// The arithmetic of the insights page, apart from the page so that it is tested on its own
// (tests/insights/figures.test.mjs): UTC calendar periods as the API counts them, the series the
// charts draw, the totals, the ranking, and CSV. Dates are `YYYY-MM-DD` strings throughout.

const DAY_MS = 86_400_000;

const toDate = (iso) => new Date(`${iso}T00:00:00Z`);
const toIso = (date) => date.toISOString().slice(0, 10);

export function addDays(iso, days) {
  return toIso(new Date(toDate(iso).getTime() + days * DAY_MS));
}

/** The first day of the period holding `iso`: the day, its ISO week's Monday, or the first of its month (UTC). */
export function periodStart(iso, period) {
  const date = toDate(iso);
  if (period === 'month') return `${iso.slice(0, 7)}-01`;
  if (period === 'week') return addDays(iso, -((date.getUTCDay() + 6) % 7));
  return iso;
}

function nextPeriod(iso, period) {
  if (period === 'day') return addDays(iso, 1);
  if (period === 'week') return addDays(iso, 7);
  const date = toDate(iso);
  return toIso(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)));
}

/**
 * Every period start from the period holding `from` to the last one starting before `toExclusive`,
 * or null when there would be more than `limit` (too many to draw).
 */
export function periodsBetween(from, toExclusive, period, limit = 3_000) {
  const periods = [];
  for (let start = periodStart(from, period); start < toExclusive; start = nextPeriod(start, period)) {
    if (periods.length === limit) return null;
    periods.push(start);
  }
  return periods;
}

/** missed ÷ (attended + missed) rounded to 4 places, 0 when both are 0: the API's own rule. */
export function missedRate(attended, missed) {
  const seen = attended + missed;
  return seen === 0 ? 0 : Math.round((missed / seen) * 10_000) / 10_000;
}

const COUNTS = ['appointments', 'attended', 'missed', 'cancelled', 'missed_minutes'];

/** The sums of the API's rows (one per group, no period), with the missed rate of the sums. */
export function overall(rows) {
  const sum = Object.fromEntries(COUNTS.map((count) => [count, 0]));
  for (const row of rows) for (const count of COUNTS) sum[count] += row[count];
  return { ...sum, missed_rate: missedRate(sum.attended, sum.missed) };
}

/**
 * The rate a row can honestly show: the API's, or null where nothing was attended or missed (the
 * API says 0 there, which would read as "nobody missed" when there was nobody to miss).
 */
export function shownRate(row) {
  return row.attended + row.missed > 0 ? row.missed_rate : null;
}

// Code point order, as the API sorts (SQLite's BINARY collation compares UTF-8 bytes); JavaScript's
// own < compares UTF-16 units, which differs for characters beyond the Basic Multilingual Plane.
function byCodePoint(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const difference = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (difference) return difference;
  }
  return x.length - y.length;
}

/** The groups' rows, most minutes lost first; then most missed, then by name. */
export function ranking(rows) {
  return [...rows].sort((a, b) => b.missed_minutes - a.missed_minutes || b.missed - a.missed || byCodePoint(a.group, b.group));
}

/**
 * One series per group for a chart: for each period, the minutes lost (0 in a period without
 * appointments) or the missed rate (null where nothing was attended or missed: no rate to draw).
 */
export function chartSeries(rows, groups, periods, measure) {
  const cells = new Map(rows.map((row) => [`${row.group}\u0000${row.period_start}`, row]));
  return groups.map((group) => ({
    group,
    values: periods.map((period) => {
      const row = cells.get(`${group}\u0000${period}`);
      if (measure === 'minutes') return row ? row.missed_minutes : 0;
      return row ? shownRate(row) : null;
    }),
  }));
}

// A cell a spreadsheet would run as a formula gets a leading ' (OWASP "CSV Injection"), as the API's CSV does.
const FORMULA = /^[=+\-@\t\r]/;

function csvCell(value) {
  if (value === null) return ''; // no figure, as the page shows "–"
  if (typeof value === 'number') return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header row, CRLF line ends; numbers as plain digits, null as an empty cell, text quoted when needed. */
export function toCsv(header, records) {
  return [header, ...records].map((record) => record.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
