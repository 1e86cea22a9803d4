// The skeleton over HTTP: health, problem+json for unknown routes and methods, the cron handler.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, triggerCron } from './support/worker.mjs';
import { assertProblem } from './support/problem.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

test('health answers ok after a real D1 round trip', async () => {
  const response = await worker.request('/health');
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { status: 'ok', database: 'ok' });
});

test('an unknown route is a 404 problem', async () => {
  assertProblem(await worker.request('/no/such/route'), 404, 'route-not-found');
});

test('a wrong method is a 405 problem listing the allowed ones', async () => {
  const response = await worker.request('/health', { method: 'DELETE' });
  assertProblem(response, 405, 'method-not-allowed');
  assert.equal(response.headers.get('allow'), 'GET');
});

test('malformed requests never get a bare 500', async () => {
  const odd = [
    ['/health?%zz=%%', {}],
    ['/health', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }],
    ['/%ff%fe%00', {}],
    ['/' + 'a'.repeat(4000), {}],
    ['/health', { headers: { 'accept-language': ';;;q=abc,,', 'content-type': 'text/plain; charset=%%%' } }],
  ];
  for (const [path, init] of odd) {
    const response = await worker.request(path, init);
    assert.ok(response.status < 500, `${path} gave ${response.status}`);
    if (response.status >= 400) assert.equal(response.headers.get('content-type'), 'application/problem+json');
  }
});

test('the cron handler marks ended active appointments as missed', async () => {
  const now = Math.floor(Date.now() / 1000);
  await worker.d1(`
    INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at)
      VALUES ('9434765919', 'Cron Test', '1990-01-01', 'SW1A 1AA', ${now}, ${now});
    INSERT INTO clinicians (id, name, created_at) VALUES (1, 'Dr A', ${now});
    INSERT INTO departments (id, name, created_at) VALUES (1, 'oncology', ${now});
    INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes,
                              clinician_id, department_id, postcode, created_at, updated_at)
      VALUES ('ended', '9434765919', 'active', ${now - 7200}, 0, 60, 1, 1, 'SW1A 1AA', ${now}, ${now}),
             ('future', '9434765919', 'active', ${now + 7200}, 0, 60, 1, 1, 'SW1A 1AA', ${now}, ${now});`);
  assert.equal(await triggerCron(worker), 200);
  const rows = await worker.d1('SELECT id, status FROM appointments ORDER BY id');
  assert.deepEqual(rows, [{ id: 'ended', status: 'missed' }, { id: 'future', status: 'active' }]);
  await worker.waitForLog(/"event":"missed-appointment-sweep".*"marked_missed":1/);
});
