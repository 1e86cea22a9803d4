// Crash safety: `wrangler dev` is killed with SIGKILL (its whole process group: no shutdown of any
// kind) while 16 clients write, then restarted on the same local D1. Every write that was
// acknowledged is there, the database is intact, and the per-day counts still equal the
// appointments they count.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startWorker, ROOT } from './support/worker.mjs';

const patients = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'example_patients.json'), 'utf8')).slice(0, 8);
const WRITERS = 16;
const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };
const INTEGRITY_CHECK = 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])';
const DAY = '(starts_at - ((starts_at % 86400) + 86400) % 86400) / 86400';

let first;
let second;
after(async () => {
  await first?.kill();
  await second?.stop();
  if (first) await rm(first.persistDir, { recursive: true, force: true });
});

test('every acknowledged write survives a SIGKILL of the worker, and the counts still agree', async () => {
  const secret = randomBytes(48).toString('base64url');
  first = await startWorker({ vars: { JWT_SECRET: secret } });
  for (const patient of patients) {
    assert.equal((await first.request('/v1/patients', { method: 'POST', json: patient })).status, 201);
  }

  const created = new Set();
  const cancelled = new Set();
  let killed = false;
  const unexpected = [];
  const writer = async (w) => {
    for (let n = 0; !killed; n++) {
      const id = randomUUID();
      try {
        const booking = await first.request('/v1/appointments', {
          method: 'POST',
          json: {
            id, patient: patients[(w + n) % patients.length].nhs_number,
            time: inDays(1 + ((w * 7 + n) % 30)),
            duration: '30m', clinician: `Dr Crash ${w % 4}`, department: `ward ${n % 3}`, postcode: 'SW1A 1AA',
          },
        });
        if (booking.status !== 201) { unexpected.push(booking.text); continue; }
        created.add(id);
        const cancel = await first.request(`/v1/appointments/${id}`, {
          method: 'PATCH', headers: MERGE_PATCH, json: { status: 'cancelled' },
        });
        if (cancel.status === 200) cancelled.add(id);
        else unexpected.push(cancel.text);
      } catch {
        return; // the server died with this request in flight: it was never acknowledged
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  while (cancelled.size < 40) await new Promise((resolve) => setTimeout(resolve, 50));
  killed = true;
  await first.kill();
  await Promise.all(writers);
  assert.ok(created.size >= 40, `only ${created.size} bookings acknowledged before the kill`);

  assert.deepEqual(unexpected.slice(0, 3), [], 'every write before the kill succeeds');
  // SQLite's full check, on the file as the kill left it (D1 itself allows only quick_check).
  const files = execFileSync('find', [first.persistDir, '-name', '*.sqlite'], { encoding: 'utf8' }).trim().split('\n');
  const databases = files.filter((file) => !file.includes('metadata'));
  assert.equal(databases.length, 1, `one D1 file: ${files}`);
  const check = execFileSync('python3', ['-c', INTEGRITY_CHECK, databases[0]], { encoding: 'utf8' }).trim();
  assert.equal(check, 'ok', 'integrity_check after the kill');

  second = await startWorker({ vars: { JWT_SECRET: secret }, persistDir: first.persistDir, signIn: false });
  second.token = first.token;
  for (const id of created) {
    const answer = await second.request(`/v1/appointments/${id}`);
    assert.equal(answer.status, 200, `acknowledged booking ${id} is gone: ${answer.text}`);
    if (cancelled.has(id)) assert.equal(answer.body.status, 'cancelled', `acknowledged cancel of ${id} is gone`);
  }

  assert.deepEqual(await second.d1('PRAGMA quick_check'), [{ quick_check: 'ok' }]);
  assert.deepEqual(await second.d1('PRAGMA foreign_key_check'), []);
  const counted = `SELECT day, clinician_id, department_id, status, appointments, minutes FROM appointment_day_counts`;
  const actual = `SELECT ${DAY}, clinician_id, department_id, status, count(*), sum(duration_minutes)
                    FROM appointments GROUP BY 1, 2, 3, 4`;
  const [{ drift }] = await second.d1(
    `SELECT (SELECT count(*) FROM (${actual} EXCEPT ${counted})) + (SELECT count(*) FROM (${counted} EXCEPT ${actual})) AS drift`,
  );
  assert.equal(drift, 0, 'the per-day counts differ from the appointments');
  const [{ stored }] = await second.d1('SELECT count(*) AS stored FROM appointments');
  assert.ok(stored >= created.size, `${stored} stored, ${created.size} acknowledged`);
});
