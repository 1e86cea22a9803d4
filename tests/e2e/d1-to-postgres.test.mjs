// Moving the data from D1 to PostgreSQL, end to end (README, "Moving the data from D1 to
// PostgreSQL"): the client's example data goes into a worker under wrangler dev through the API,
// with a change, a cancellation, a sweep and a view so that the trail and the counts hold more
// than creations; `wrangler d1 export` writes it out; scripts/d1-to-postgres.sh loads it into a
// new PostgreSQL database; the native server on that database must then answer every read as the
// worker does, and go on writing.
//
// Needs PANDA_E2E_POSTGRES, the URL of a PostgreSQL server to create databases on (scripts/test.sh
// passes its throwaway cluster's); without it the file skips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startWorker, triggerCron, ROOT } from './support/worker.mjs';

const run = promisify(execFile);
const POSTGRES = process.env.PANDA_E2E_POSTGRES;
const skip = POSTGRES ? false : 'needs PANDA_E2E_POSTGRES (scripts/test.sh sets it)';
const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', `example_${name}.json`), 'utf8'));
const patients = fixture('patients');
const appointments = fixture('appointments');

const TABLES = ['patients', 'users', 'clinicians', 'departments', 'appointments', 'patient_name_words',
  'patient_name_pairs', 'patient_search_vocabulary', 'appointment_day_counts', 'audit_events'];

let d1; // the worker under wrangler dev
let pg; // the native server on the loaded copy
let dir;
let exported; // the export file
let lastExportedEntry; // the highest audit entry id in the export
let copy; // the URL of the database the export was loaded into
const databases = [];

/** A new, empty database on the PostgreSQL server; its URL. */
async function newDatabase() {
  const name = `d1_copy_${randomBytes(6).toString('hex')}`;
  await run('psql', [POSTGRES, '-Xqc', `CREATE DATABASE ${name}`]);
  databases.push(name);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return url.toString();
}

/** scripts/d1-to-postgres.sh: { code, stdout, stderr }, whether it succeeded or not. */
async function load(file, url) {
  try {
    const { stdout, stderr } = await run('bash', [join(ROOT, 'scripts', 'd1-to-postgres.sh'), file, url], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every item of a paginated list, following next_cursor. */
async function all(server, path) {
  const items = [];
  let cursor = null;
  do {
    const page = await server.request(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(page.status, 200, `${path}: ${page.text}`);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor);
  return items;
}

/** Each row as JSON text with its columns in name order, the rows sorted. */
const canonical = (found) => found.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).sort()))).sort();

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'panda-d1-to-postgres-'));
  d1 = await startWorker({ native: false });
  for (const patient of patients) {
    const created = await d1.request('/v1/patients', { method: 'POST', json: patient });
    assert.equal(created.status, 201, created.text);
  }
  for (const appointment of appointments) {
    const created = await d1.request('/v1/appointments', { method: 'POST', json: appointment });
    assert.equal(created.status, 201, created.text);
  }
  const moved = await d1.request(`/v1/patients/${patients[0].nhs_number}`, {
    method: 'PATCH', json: { postcode: 'SW1A 1AA' }, headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(moved.status, 200, moved.text);
  // Every example appointment has ended; one still to come can be cancelled.
  const booked = await d1.request('/v1/appointments', {
    method: 'POST',
    json: { patient: patients[2].nhs_number, time: '2030-01-02T09:30:00+01:00', duration: '1h',
      clinician: appointments[0].clinician, department: appointments[0].department, postcode: 'N6 2FA' },
  });
  assert.equal(booked.status, 201, booked.text);
  const cancelled = await d1.request(`/v1/appointments/${booked.body.id}`, {
    method: 'PATCH', json: { status: 'cancelled' }, headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(await triggerCron(d1), 200);
  assert.equal((await d1.request(`/v1/patients/${patients[1].nhs_number}`)).status, 200);
  // Views are written just after the answer: wait until the trail has them and stops growing.
  let entries = -1;
  for (const deadline = Date.now() + 15_000; ;) {
    const [{ n, views, swept }] = await d1.d1(`SELECT count(*) AS n, sum(action = 'patient.viewed') AS views,
      sum(actor = 'system:sweep') AS swept FROM audit_events`);
    if (views >= 1 && swept >= 1 && n === entries) break;
    entries = n;
    assert.ok(Date.now() < deadline, 'the view and the sweep reach the trail');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  [{ last: lastExportedEntry }] = await d1.d1('SELECT max(id) AS last FROM audit_events');
  exported = join(dir, 'panda-d1.sql');
  const started = Date.now();
  await d1.d1Export(exported);
  console.log(`# wrangler d1 export --local took ${Date.now() - started} ms`);
});

after(async () => {
  await pg?.stop();
  await d1?.stop();
  for (const name of databases) await run('psql', [POSTGRES, '-Xqc', `DROP DATABASE IF EXISTS ${name}`]).catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the export loads into a new PostgreSQL database in one go, each table counted', { skip }, async () => {
  const url = await newDatabase();
  copy = url;
  const started = Date.now();
  const loaded = await load(exported, url);
  const took = Date.now() - started;
  assert.equal(loaded.code, 0, loaded.stderr);
  const counts = Object.fromEntries(loaded.stdout.split('\n').map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 2 && TABLES.includes(p[0])).map(([t, n]) => [t, Number(n)]));
  const [onD1] = await d1.d1(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  assert.deepEqual(counts, onD1, 'every table counted, as many rows as on D1');
  assert.equal(counts.patients, 100);
  assert.equal(counts.appointments, 101);
  console.log(`# loaded ${Object.values(counts).reduce((a, b) => a + b)} rows in ${took} ms (the whole script)`);
  pg = await startWorker({ native: true, database: url, signIn: false });
});

test('staff sign in on the copy with the password they had on D1', { skip }, async () => {
  const answer = await pg.login('e2e-staff', d1.password);
  assert.equal(answer.status, 200, answer.text);
  pg.token = answer.body.access_token;
  assert.equal((await pg.login('e2e-staff', 'not the password')).status, 401);
});

test('every table holds the same rows on PostgreSQL as on D1, the audit trail\'s JSON text included', { skip }, async () => {
  const fromD1 = await d1.d1(TABLES.map((t) => `SELECT * FROM ${t};`).join('\n'), { all: true });
  for (const [k, table] of TABLES.entries()) {
    let [onD1, onPg] = [canonical(fromD1[k]), canonical(await pg.d1(`SELECT * FROM ${table}`))];
    if (table === 'audit_events' || table === 'users') {
      // What signing in on each since the export wrote: entries after it, the account's counters.
      const before = (row) => table === 'users' || JSON.parse(row).id <= lastExportedEntry;
      const settled = (row) => JSON.stringify({ ...JSON.parse(row), failed_attempts: 0 });
      [onD1, onPg] = [onD1.filter(before).map(settled), onPg.filter(before).map(settled)];
    }
    assert.deepEqual(onPg, onD1, table);
  }
});

test('every patient and every appointment reads back the same, ETags included', { skip }, async () => {
  assert.deepEqual(await all(pg, '/v1/patients'), await all(d1, '/v1/patients'));
  assert.deepEqual(await all(pg, '/v1/appointments'), await all(d1, '/v1/appointments'));
  for (const { nhs_number: nhs } of patients) {
    const [a, b] = [await d1.request(`/v1/patients/${nhs}`), await pg.request(`/v1/patients/${nhs}`)];
    assert.equal(b.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.equal(b.headers.get('etag'), a.headers.get('etag'));
  }
  for (const { id } of appointments) {
    const [a, b] = [await d1.request(`/v1/appointments/${id}`), await pg.request(`/v1/appointments/${id}`)];
    assert.equal(b.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.equal(b.headers.get('etag'), a.headers.get('etag'));
  }
  const search = '/v1/patients?name=clark%20gl';
  assert.deepEqual((await pg.request(search)).body, (await d1.request(search)).body, 'the search words came along');
});

test('the clinician and department lists and the missed-appointment statistics answer the same', { skip }, async () => {
  assert.deepEqual(await all(pg, '/v1/clinicians'), await all(d1, '/v1/clinicians'));
  assert.deepEqual(await all(pg, '/v1/departments'), await all(d1, '/v1/departments'));
  for (const groupBy of ['clinician', 'department']) {
    for (const period of ['', '&period=day', '&period=week', '&period=month']) {
      for (const range of ['', '&from=2018-01-01&to=2027-01-01', '&from=2025-06-01']) {
        const path = `/v1/stats/missed?group_by=${groupBy}${period}${range}`;
        const [a, b] = [await d1.request(path), await pg.request(path)];
        assert.equal(a.status, 200, `${path}: ${a.text}`);
        assert.ok(a.body.items.length > 0, path);
        assert.deepEqual(b.body, a.body, path);
      }
    }
  }
});

test('the audit trail up to the export reads the same, and new entries follow on from it', { skip }, async () => {
  const upToExport = (entries) => entries.filter((e) => e.id <= lastExportedEntry);
  const [onD1, onPg] = [await all(d1, '/v1/audit'), await all(pg, '/v1/audit')];
  assert.equal(upToExport(onD1).length, lastExportedEntry, 'every entry, none twice');
  assert.deepEqual(upToExport(onPg), upToExport(onD1));
  for (const action of ['patient.updated', 'appointment.updated', 'patient.viewed', 'user.added', 'sign-in.succeeded']) {
    assert.ok(upToExport(onPg).some((e) => e.action === action), action);
  }
  const patientTrail = `/v1/patients/${patients[0].nhs_number}/audit`;
  assert.deepEqual(upToExport(await all(pg, patientTrail)), upToExport(await all(d1, patientTrail)));
  // The copy's own entries (the sign-in above, the views these reads caused) continue the ids.
  const since = onPg.filter((e) => e.id > lastExportedEntry).map((e) => e.id).sort((a, b) => a - b);
  assert.equal(since[0], lastExportedEntry + 1);
  assert.ok(onPg.some((e) => e.id > lastExportedEntry && e.action === 'sign-in.succeeded' && e.route === 'POST /v1/auth/token'));
});

test('the copy takes new bookings, accounts and audit entries with the next ids', { skip }, async () => {
  const maxId = async (table) => (await pg.d1(`SELECT max(id) AS id FROM ${table}`))[0].id;
  const before = { clinicians: await maxId('clinicians'), departments: await maxId('departments'), users: await maxId('users') };
  const patient = { nhs_number: '9434765919', name: 'Ada Lovelace', date_of_birth: '1990-12-10', postcode: 'N6 2FA' };
  const created = await pg.request('/v1/patients', { method: 'POST', json: patient });
  assert.equal(created.status, 201, created.text);
  const booked = await pg.request('/v1/appointments', {
    method: 'POST',
    json: { patient: patient.nhs_number, time: '2030-01-02T09:30:00+00:00', duration: '30m',
      clinician: 'A clinician new to the copy', department: 'a department new to the copy', postcode: 'N6 2FA' },
  });
  assert.equal(booked.status, 201, booked.text);
  await pg.addUser('after-the-move', 'a-long-enough-password');
  assert.equal((await pg.login('after-the-move', 'a-long-enough-password')).status, 200);
  assert.equal(await maxId('clinicians'), before.clinicians + 1);
  assert.equal(await maxId('departments'), before.departments + 1);
  assert.equal(await maxId('users'), before.users + 1);
  const trail = await all(pg, `/v1/patients/${patient.nhs_number}/audit`);
  assert.deepEqual(trail.map((e) => e.action).filter((a) => a !== 'patient.viewed').sort(), ['appointment.created', 'patient.created']);
  const found = await pg.request('/v1/patients?name=lovelace');
  assert.deepEqual(found.body.items.map((p) => p.nhs_number), [patient.nhs_number]);
  const counted = await all(pg, '/v1/clinicians');
  assert.equal(counted.find((c) => c.name === 'A clinician new to the copy')?.appointments, 1);
});

test('loading into a database that already holds data is refused and changes nothing', { skip }, async () => {
  const counts = async () => Promise.all(TABLES.map(async (t) => (await pg.d1(`SELECT count(*) AS n FROM ${t}`))[0].n));
  const before = await counts();
  const refused = await load(exported, copy);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /refused: the target database already holds PANDA data \(patients: 101, /);
  assert.match(refused.stderr, /nothing was changed/);
  assert.deepEqual(await counts(), before);
});

test('a load that fails part-way leaves no row behind', { skip }, async () => {
  // The last audit entry with a time PostgreSQL cannot read: COPY fails on the last table.
  const broken = join(dir, 'broken.sql');
  const text = readFileSync(exported, 'utf8');
  const lastEntry = `INSERT INTO "audit_events" VALUES(${lastExportedEntry},`;
  assert.ok(text.includes(lastEntry));
  const at = text.indexOf(lastEntry) + lastEntry.length;
  writeFileSync(broken, text.slice(0, at) + text.slice(at).replace(/^\d+/, "'soon'"));
  const url = await newDatabase();
  const failed = await load(broken, url);
  assert.notEqual(failed.code, 0);
  assert.match(failed.stderr, /the load failed and was rolled back; no row was loaded/);
  assert.match(failed.stderr, /COPY audit_events/);
  const { stdout } = await run('psql', ['-XAtc', TABLES.map((t) => `SELECT count(*) FROM ${t}`).join(' UNION ALL '), url]);
  assert.deepEqual(stdout.trim().split('\n'), TABLES.map(() => '0'));
});
