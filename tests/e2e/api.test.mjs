// The patient and appointment API over HTTP against `wrangler dev` with a real local D1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, triggerCron, ROOT } from './support/worker.mjs';
import { assertProblem } from './support/problem.mjs';

const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', `example_${name}.json`), 'utf8'));
const patients = fixture('patients');
const appointments = fixture('appointments');

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

test('all 100 example patients are accepted unchanged and read back equal', async () => {
  for (const patient of patients) {
    const created = await worker.request('/v1/patients', { method: 'POST', json: patient });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('location'), `/v1/patients/${patient.nhs_number}`);
  }
  for (const patient of patients) {
    const read = await worker.request(`/v1/patients/${patient.nhs_number}`);
    assert.equal(read.status, 200);
    assert.ok(read.headers.get('etag'));
    for (const field of ['nhs_number', 'date_of_birth', 'postcode']) assert.equal(read.body[field], patient[field]);
    // Byte for byte, after NFC (the examples are already NFC).
    assert.equal(Buffer.from(read.body.name).toString('hex'), Buffer.from(patient.name.normalize('NFC')).toString('hex'));
  }
});

test('all 100 example appointments are accepted unchanged; past active ones read missed', async () => {
  for (const appointment of appointments) {
    const created = await worker.request('/v1/appointments', { method: 'POST', json: appointment });
    assert.equal(created.status, 201, created.text);
  }
  for (const appointment of appointments) {
    const { body } = await worker.request(`/v1/appointments/${appointment.id}`);
    for (const field of ['id', 'patient', 'duration', 'clinician', 'department', 'postcode']) {
      assert.equal(body[field], appointment[field], `${field} of ${appointment.id}`);
    }
    assert.equal(Date.parse(body.time), Date.parse(appointment.time), 'the same instant');
    assert.match(body.time, /[+-]\d\d:\d\d$/, 'an explicit offset');
    assert.equal(body.status, appointment.status === 'active' ? 'missed' : appointment.status);
  }
});

test('pages list every patient exactly once, in a stable order', async () => {
  const seen = [];
  let cursor = null;
  do {
    const page = await worker.request(`/v1/patients?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.body.items.length <= 7);
    seen.push(...page.body.items.map((p) => p.nhs_number));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(seen.length, patients.length);
  assert.deepEqual(seen, [...seen].sort());
  assert.deepEqual(new Set(seen), new Set(patients.map((p) => p.nhs_number)));
});

test('a receptionist finds patients by name however it is written, by birth date and by postcode', async () => {
  const names = async (query) => {
    const answer = await worker.request(`/v1/patients?${query}`);
    assert.equal(answer.status, 200, answer.text);
    return answer.body.items.map((p) => p.name);
  };
  assert.deepEqual(await names('name=clark%20gl'), ['Dr Glenn Clark']);
  assert.deepEqual(await names(`name=${encodeURIComponent('桂荣')}`), ['刘桂荣']);
  assert.deepEqual(await names('name=GLENN&date_of_birth=1996-02-01&postcode=n62fa'), ['Dr Glenn Clark']);
  const inN6 = patients.filter((p) => p.postcode.startsWith('N6 ')).map((p) => p.name);
  assert.deepEqual((await names('postcode=n6')).sort(), inN6.sort());
  const refused = await worker.request('/v1/patients?name=%21%21');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.errors[0].code, 'search-no-words');
});

test('a patient of no fixed abode is registered with the NHS pseudo-postcode', async () => {
  const created = await worker.request('/v1/patients', {
    method: 'POST', json: { nhs_number: '6000000006', name: 'Sam Nomad', date_of_birth: '1980-05-05', postcode: 'zz993vz' },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.postcode, 'ZZ99 3VZ');
  const read = await worker.request('/v1/patients/6000000006');
  assert.equal(read.body.postcode, 'ZZ99 3VZ');
  assert.equal((await worker.request('/v1/patients/6000000006', { method: 'DELETE' })).status, 204);
});

test('appointment lists filter by clinician and status, in time order', async () => {
  const list = await worker.request('/v1/appointments?clinician=Joseph%20Savage&limit=200');
  assert.equal(list.status, 200);
  const expected = appointments.filter((a) => a.clinician === 'Joseph Savage');
  assert.equal(list.body.items.length, expected.length);
  const times = list.body.items.map((a) => Date.parse(a.time));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const missed = await worker.request('/v1/appointments?status=missed&limit=200');
  assert.equal(missed.body.items.length, 16 + 43);
  const attended = await worker.request('/v1/appointments?status=attended&limit=200');
  const either = await worker.request('/v1/appointments?status=missed,attended&limit=200');
  assert.equal(either.status, 200, either.text);
  assert.equal(either.body.items.length, missed.body.items.length + attended.body.items.length);
  assert.ok(either.body.items.every((a) => a.status === 'missed' || a.status === 'attended'));
});

test('an ended appointment reads missed before the sweep, and the sweep stores it', async () => {
  const nhs = patients[0].nhs_number;
  const start = new Date(Date.now() - 3 * 3600 * 1000);
  const created = await worker.request('/v1/appointments', {
    method: 'POST',
    json: { patient: nhs, time: iso(start), duration: '1h', clinician: 'Dr Sweep', department: 'oncology', postcode: 'SW1A 1AA' },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, 'missed');
  const stored = async () => (await worker.d1(`SELECT status FROM appointments WHERE id = '${created.body.id}'`))[0].status;
  assert.equal(await stored(), 'active', 'not swept yet');
  assert.equal(await triggerCron(worker), 200);
  assert.equal(await stored(), 'missed');
  assert.equal((await worker.request(`/v1/appointments/${created.body.id}`)).body.status, 'missed');
});

test('a cancelled appointment is never reinstated', async () => {
  const nhs = patients[1].nhs_number;
  const created = await worker.request('/v1/appointments', {
    method: 'POST',
    json: { patient: nhs, time: iso(new Date(Date.now() + 86400000)), duration: 'PT30M', clinician: 'Dr C', department: 'oncology', postcode: 'sw1a1aa' },
  });
  assert.equal(created.body.duration, '30m');
  assert.equal(created.body.postcode, 'SW1A 1AA');
  const path = `/v1/appointments/${created.body.id}`;
  const patch = (json, headers = {}) => worker.request(path, {
    method: 'PATCH', json, headers: { 'content-type': 'application/merge-patch+json', ...headers },
  });
  const stale = created.headers.get('etag');
  assert.equal((await patch({ clinician: 'Dr D' })).status, 200);
  assertProblem(await patch({ status: 'cancelled' }, { 'if-match': stale }), 412, 'precondition-failed');
  assert.equal((await patch({ status: 'cancelled' })).body.status, 'cancelled');
  assertProblem(await patch({ status: 'active' }), 409, 'appointment-cancelled');
  assertProblem(await patch({ status: 'missed' }), 409, 'appointment-cancelled');
});

test('every error class answers with its own problem', async () => {
  const post = (body, contentType = 'application/json') => worker.request('/v1/patients', {
    method: 'POST', body, headers: { 'content-type': contentType },
  });
  assertProblem(await post('{"nhs_number": '), 400, 'malformed-json');
  assertProblem(await post('{}', 'text/plain'), 415, 'unsupported-media-type');
  assertProblem(await post(JSON.stringify({ name: 'x'.repeat(70 * 1024) })), 413, 'payload-too-large');
  const invalid = await post(JSON.stringify({ nhs_number: '1234567890', name: 'A', date_of_birth: '2000-02-30', postcode: 'INVALID', shoe_size: 9 }));
  assertProblem(invalid, 422, 'validation-failed');
  assert.deepEqual(invalid.body.errors.map((e) => e.field).sort(), ['date_of_birth', 'nhs_number', 'postcode', 'shoe_size']);
  for (const error of invalid.body.errors) assert.ok(error.code && error.message, JSON.stringify(error));
  assertProblem(await post(JSON.stringify(patients[0])), 409, 'patient-exists');
  assertProblem(await worker.request('/v1/patients/9434765919'), 404, 'patient-not-found');
  assertProblem(await worker.request('/v1/nothing'), 404, 'route-not-found');
  const wrongMethod = await worker.request('/v1/appointments', { method: 'DELETE' });
  assertProblem(wrongMethod, 405, 'method-not-allowed');
  assert.equal(wrongMethod.headers.get('allow'), 'GET, POST');
  assertProblem(await worker.request('/v1/appointments', { method: 'POST', json: { ...appointments[0] } }), 409, 'appointment-exists');
  const naive = await worker.request('/v1/appointments', {
    method: 'POST', json: { ...appointments[0], id: undefined, time: '2026-12-01T09:30:00' },
  });
  assertProblem(naive, 422, 'validation-failed');
  assert.deepEqual(naive.body.errors.map((e) => e.code), ['timestamp-missing-offset']);
});

test('deleting a patient removes them and their appointments', async () => {
  const patient = patients[99];
  const appointment = appointments[99];
  assert.equal((await worker.request(`/v1/patients/${patient.nhs_number}`, { method: 'DELETE' })).status, 204);
  assertProblem(await worker.request(`/v1/patients/${patient.nhs_number}`), 404, 'patient-not-found');
  assertProblem(await worker.request(`/v1/appointments/${appointment.id}`), 404, 'appointment-not-found');
});

test('the OpenAPI document is served', async () => {
  const response = await worker.request('/openapi.json');
  assert.equal(response.status, 200);
  assert.equal(response.body.openapi, '3.1.0');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
});

test('patient data is never kept by a cache, sniffed or framed', async () => {
  for (const path of [`/v1/patients/${patients[0].nhs_number}`, '/v1/patients/0000000000', '/v1/patients?limit=1']) {
    const response = await worker.request(path);
    assert.equal(response.headers.get('cache-control'), 'no-store', path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'none'", path);
  }
});

test('missed-appointment statistics over HTTP, their 422s, and cancelling moving counts', async () => {
  const stats = await worker.request('/v1/stats/missed?group_by=department&period=month');
  assert.equal(stats.status, 200, stats.text);
  const total = (field) => stats.body.items.reduce((sum, row) => sum + row[field], 0);
  assert.ok(total('missed') >= 59, 'recorded plus derived missed');
  for (const row of stats.body.items) assert.match(row.period_start, /^\d{4}-\d{2}-01$/);

  const bad = await worker.request('/v1/stats/missed?group_by=ward&period=month&from=2026-02-30');
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.code).sort(), ['date-format', 'group-by-unknown']);

  const nhs = patients[2].nhs_number;
  const when = new Date(Date.now() + 3 * 86400000);
  const booked = await worker.request('/v1/appointments', {
    method: 'POST',
    json: { patient: nhs, time: iso(when), duration: '45m', clinician: 'Dr Statistics', department: 'cardiology', postcode: 'SW1A 1AA' },
  });
  assert.equal(booked.status, 201, booked.text);
  const mine = async () => (await worker.request('/v1/stats/missed?group_by=clinician&period=day&clinician=Dr%20Statistics')).body.items[0];
  assert.equal((await mine()).cancelled, 0);
  await worker.request(`/v1/appointments/${booked.body.id}`, {
    method: 'PATCH', json: { status: 'cancelled' }, headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal((await mine()).cancelled, 1);
  const departments = await worker.request('/v1/departments?limit=200');
  assert.ok(departments.body.items.some((d) => d.name === 'cardiology' && d.cancelled === 1));
});

test('statistics and the clinician list come as CSV when asked for, the same rows as the JSON', async () => {
  const path = '/v1/stats/missed?group_by=department';
  const json = await worker.request(path);
  assert.equal(json.status, 200, json.text);
  const csv = await worker.request(path, { headers: { accept: 'text/csv' } });
  assert.equal(csv.status, 200, csv.text);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="missed-appointments-by-department.csv"');
  const lines = csv.text.split('\r\n');
  assert.equal(lines.at(-1), '', 'every line ends with CRLF');
  assert.equal(lines[0], 'group,period_start,appointments,attended,missed,cancelled,missed_minutes,missed_rate');
  assert.deepEqual(lines.slice(1, -1).map((line) => line.split(',')[0]), json.body.items.map((row) => row.group));
  const clinicians = await worker.request('/v1/clinicians?limit=2', { headers: { accept: 'text/csv' } });
  assert.match(clinicians.headers.get('link') ?? '', /^<\/v1\/clinicians\?limit=2&cursor=[0-9a-f]+>; rel="next"$/);
});

test('a 10 MB chunked body is refused with a quick 413, and the worker answers the next request', async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (sent >= 10 * 1024 * 1024) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const started = Date.now();
  const response = await fetch(`${worker.url}/v1/patients`, {
    method: 'POST', body, duplex: 'half',
    headers: { authorization: `Bearer ${worker.token}`, 'content-type': 'application/json' },
  });
  const text = await response.text();
  const elapsed = Date.now() - started;
  assert.equal(response.status, 413, text);
  assert.equal(JSON.parse(text).code, 'payload-too-large');
  assert.ok(elapsed < 10_000, `the 413 took ${elapsed} ms`);
  const next = await worker.request('/v1/patients?limit=1');
  assert.equal(next.status, 200, next.text);
});

test('a DELETE with a body is answered as if it had none', async () => {
  const absent = '/v1/patients/0000000000';
  const response = await fetch(`${worker.url}${absent}`, {
    method: 'DELETE', body: 'x'.repeat(200_000),
    headers: { authorization: `Bearer ${worker.token}`, 'content-type': 'application/json' },
  });
  assert.equal(response.status, 404, await response.text());
  assert.equal((await worker.request('/health')).status, 200);
});
