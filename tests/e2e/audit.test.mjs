// The audit trail over HTTP, after a real sequence of calls against wrangler dev: changes written in
// their own batch, views written just after the answer (waitUntil), sign-ins, `npm run user:*`, the
// cron sweep, and erasure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { startWorker, triggerCron } from './support/worker.mjs';
import { assertProblem } from './support/problem.mjs';

const NHS = '9434765919';
const NAME = 'Zoë Ólafsdóttir';

let worker;
before(async () => { worker = await startWorker({ vars: {}, signIn: true }); });
after(async () => { await worker?.stop(); });

/** Every entry of a trail (all pages), newest first. */
async function trail(path) {
  const entries = [];
  let cursor = '';
  do {
    const page = await worker.request(`${path}${path.includes('?') ? '&' : '?'}limit=200&cursor=${cursor}`);
    assert.equal(page.status, 200, page.text);
    entries.push(...page.body.items);
    cursor = page.body.next_cursor ?? '';
  } while (cursor);
  return entries;
}

/** Views are written after the answer has gone: waits until `count` entries match. */
async function eventually(path, predicate, count = 1) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await trail(path)).filter(predicate);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no ${count} matching entries in ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a patient\'s trail says who created, changed, booked, cancelled and viewed, with the request ids', async () => {
  const created = await worker.request('/v1/patients', {
    method: 'POST', json: { nhs_number: NHS, name: NAME, date_of_birth: '1961-03-17', postcode: 'ls14ap' },
  });
  assert.equal(created.status, 201, created.text);
  const renamed = await worker.request(`/v1/patients/${NHS}`, {
    method: 'PATCH', json: { name: 'Zoë Smith' }, headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(renamed.status, 200, renamed.text);
  const booked = await worker.request('/v1/appointments', {
    method: 'POST',
    json: { patient: NHS, time: '2030-01-02T09:30:00+01:00', duration: '45m', clinician: 'Dr Ada Byron', department: 'cardiology', postcode: 'N6 2FA' },
  });
  assert.equal(booked.status, 201, booked.text);
  const cancelled = await worker.request(`/v1/appointments/${booked.body.id}`, {
    method: 'PATCH', json: { status: 'cancelled' }, headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(cancelled.status, 200, cancelled.text);
  const viewed = await worker.request(`/v1/patients/${NHS}`);
  assert.equal(viewed.status, 200);
  const searched = await worker.request('/v1/patients?name=zoe');
  assert.equal(searched.body.items.length, 1);

  // Reading the trail is a view too: those are left out here.
  const isView = (e) => e.action === 'patient.viewed' && !e.route.endsWith('/audit');
  const views = await eventually(`/v1/patients/${NHS}/audit`, isView, 2);
  const entries = await trail(`/v1/patients/${NHS}/audit`);
  const changes = entries.filter((e) => e.action !== 'patient.viewed').reverse();
  assert.deepEqual(changes.map((e) => e.action), ['patient.created', 'patient.updated', 'appointment.created', 'appointment.updated']);
  assert.ok(entries.every((e) => e.actor === 'e2e-staff' && e.patient === NHS), JSON.stringify(entries));
  const answers = [created, renamed, booked, cancelled];
  assert.deepEqual(changes.map((e) => e.request_id), answers.map((a) => a.headers.get('x-request-id')));
  assert.deepEqual(changes[1].changes, { name: { before: NAME, after: 'Zoë Smith' } });
  assert.deepEqual(changes[2].changes.time, { before: null, after: '2030-01-02T09:30:00+01:00' });
  assert.deepEqual(changes[3].changes, { status: { before: 'active', after: 'cancelled' } });
  assert.deepEqual(new Set(views.map((e) => e.route)), new Set(['GET /v1/patients/{nhs_number}', 'GET /v1/patients']));
  assert.deepEqual(new Set(views.map((e) => e.request_id)),
    new Set([viewed.headers.get('x-request-id'), searched.headers.get('x-request-id')]));
});

test('a refused change leaves no entry, and no route changes or deletes one', async () => {
  const before = (await trail(`/v1/patients/${NHS}/audit`)).filter((e) => e.action !== 'patient.viewed').length;
  const stale = await worker.request(`/v1/patients/${NHS}`, {
    method: 'PATCH', json: { name: 'Nobody' }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1-1"' },
  });
  assertProblem(stale, 412, 'precondition-failed');
  const after = (await trail(`/v1/patients/${NHS}/audit`)).filter((e) => e.action !== 'patient.viewed').length;
  assert.equal(after, before);
  for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
    assert.equal((await worker.request('/v1/audit', { method })).status, 405, method);
  }
});

test('sign-ins, user administration and the sweep are in the trail', async () => {
  await worker.addUser('auditor', 'a-long-enough-password');
  assert.equal((await worker.login('auditor', 'wrong')).status, 401);
  assert.equal((await worker.login('auditor', 'a-long-enough-password')).status, 200);
  const signIns = await trail('/v1/audit?actor=auditor');
  assert.deepEqual(signIns.map((e) => e.action), ['sign-in.succeeded', 'sign-in.failed']);
  const added = (await trail('/v1/audit?action=user.added')).find((e) => e.resource_id === 'auditor');
  const admin = process.env.USER || userInfo().username;
  assert.equal(added.actor, `admin:${admin}`);
  assert.equal(added.route, 'npm run user:add');

  // Booked as already over and still active: the next sweep marks it missed.
  const past = await worker.request('/v1/appointments', {
    method: 'POST',
    json: { patient: NHS, time: '2020-01-02T09:30:00Z', duration: '15m', clinician: 'Dr Ada Byron', department: 'cardiology', postcode: 'N6 2FA' },
  });
  assert.equal(past.status, 201, past.text);
  assert.equal(await triggerCron(worker), 200);
  const swept = await eventually('/v1/audit?actor=system:sweep', (e) => e.resource_id === past.body.id);
  assert.deepEqual(swept[0].changes, { status: { before: 'active', after: 'missed' } });
  assert.equal(swept[0].request_id, null);
});

test('an erasure keeps who did what and when, and no value of the patient', async () => {
  const erased = await worker.request(`/v1/patients/${NHS}`, { method: 'DELETE' });
  assert.equal(erased.status, 204);
  const entries = await trail(`/v1/patients/${NHS}/audit`);
  const erasure = entries.find((e) => e.action === 'patient.erased');
  assert.equal(erasure.request_id, erased.headers.get('x-request-id'));
  const text = JSON.stringify(entries);
  for (const personal of ['Ólafsdóttir', 'Smith', '1961-03-17', 'LS1 4AP', 'N6 2FA', '2030-01-02']) {
    assert.ok(!text.includes(personal), `${personal} is still in the trail`);
  }
  // A view answered just before the erasure may be written just after it: it holds no values anyway.
  assert.ok(entries.filter((e) => e.changes !== null).every((e) => e.erased_at !== null));
  assert.deepEqual(entries.find((e) => e.action === 'patient.updated').changes, { name: {} });
});

test('the trail is protected like every route and refuses bad filters', async () => {
  assertProblem(await worker.request('/v1/audit', { auth: false }), 401, 'token-missing');
  const bad = await worker.request('/v1/audit?action=deleted&to=tomorrow');
  assertProblem(bad, 422, 'validation-failed');
  assert.deepEqual(bad.body.errors.map((e) => e.code).sort(), ['audit-action-unknown', 'timestamp-format']);
});
