// The worker's log, read as a support engineer would: one JSON line per request, tied to the
// answer by its request id, and not one patient's NHS number, name, date of birth or postcode in
// any of it, through successes and failures of every kind, 500s included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, ROOT } from './support/worker.mjs';

const patients = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'example_patients.json'), 'utf8')).slice(0, 12);
const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

/**
 * `wrangler dev`'s own access log (`[wrangler:info] GET /v1/patients/... 200 OK (5ms)`) is the
 * local dev server's, not the worker's: deployed, its counterpart is Workers' invocation log,
 * which wrangler.toml turns off (README, "Security"). Everything else is searched.
 */
const workerOutput = () => worker.logs().split('\n').filter((line) => !/^\[wrangler:info\] [A-Z]+ \//.test(line));

test('no log line holds a patient\'s details, and every answer\'s id is in its line', async () => {
  const answers = [];
  const send = async (path, init) => answers.push(await worker.request(path, init));
  for (const patient of patients) {
    const nhs = patient.nhs_number;
    await send('/v1/patients', { method: 'POST', json: patient });
    await send('/v1/patients', { method: 'POST', json: patient }); // 409
    await send(`/v1/patients/${nhs}`);
    await send(`/v1/patients/${nhs.slice(0, 9)}`); // 422: not an NHS number
    await send(`/v1/patients/${nhs}`, { method: 'PATCH', headers: MERGE_PATCH, json: { postcode: `${patient.name}` } }); // 422
    await send(`/v1/patients/${nhs}/appointments?status=${encodeURIComponent(patient.name)}`); // 422
    await send(`/v1/patients/${nhs}`, { method: 'PUT', json: patient }); // 405
    await send('/v1/appointments', { method: 'POST', json: { patient: nhs, time: 'soon', postcode: patient.postcode } }); // 422
  }
  // 500s, whose causes are logged: a constraint no route expects.
  await worker.d1('CREATE UNIQUE INDEX one_patient_per_postcode ON patients (postcode)');
  for (const patient of JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'example_patients.json'), 'utf8')).slice(12, 16)) {
    await send('/v1/patients', { method: 'POST', json: { ...patient, postcode: patients[0].postcode } });
  }
  assert.ok(answers.some((a) => a.status === 500), 'the sequence has 500s');

  const last = answers.at(-1).headers.get('x-request-id');
  await worker.waitForLog(new RegExp(last));
  const lines = workerOutput();
  if (process.env.PANDA_E2E_LOGS) console.log(lines.join("\n"));
  // wrangler dev dresses console.error lines up as "✘ [ERROR] {...}"; the JSON is the same.
  const logged = lines.map((line) => /\{"request_id".*\}/.exec(line)?.[0]).filter(Boolean).map((json) => JSON.parse(json));
  for (const answer of answers) {
    const id = answer.headers.get('x-request-id');
    const line = logged.find((l) => l.request_id === id);
    assert.ok(line, `no log line for request ${id}`);
    assert.equal(line.status, answer.status);
    if (answer.status >= 400) assert.equal(answer.body.instance, `urn:uuid:${id}`);
    if (answer.status === 500) assert.ok(line.cause, `a 500 logs its cause: ${JSON.stringify(line)}`);
  }

  const output = lines.join('\n');
  for (const patient of patients) {
    for (const field of ['nhs_number', 'name', 'date_of_birth', 'postcode']) {
      for (const value of new Set([patient[field], patient[field].replaceAll(' ', '')])) {
        assert.ok(!output.includes(value), `${field} ${value} is in the worker's log`);
      }
    }
  }
});
