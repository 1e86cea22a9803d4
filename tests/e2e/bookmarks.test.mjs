// Read replicas over HTTP: every request runs in one D1 session (the Sessions API), its answer
// carries the session's bookmark in X-D1-Bookmark, and a client that sends it back reads at least
// what that answer saw. `wrangler dev` has one copy of the database, but its bookmarks are real:
// D1's own (the Durable Object storage's), moving forward with every write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { assertProblem } from './support/problem.mjs';

const FRONTEND = 'http://localhost:5173';
// D1's form: lowercase hex groups joined by hyphens (domain::db::is_bookmark).
const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)*$/;

let worker;
before(async () => { worker = await startWorker({ vars: { CORS_ALLOWED_ORIGINS: FRONTEND } }); });
after(async () => { await worker?.stop(); });

const bookmarkOf = (response) => response.headers.get('x-d1-bookmark');
const withBookmark = (bookmark, headers = {}) => ({ headers: { ...headers, 'x-d1-bookmark': bookmark } });

test('an answer that reached the database carries a bookmark, and one that did not has none', async () => {
  for (const path of ['/health', '/v1/patients', '/v1/appointments?limit=1']) {
    const response = await worker.request(path);
    assert.equal(response.status, 200, `${path}: ${response.text}`);
    assert.match(bookmarkOf(response) ?? '', BOOKMARK, path);
  }
  assert.equal(bookmarkOf(await worker.request('/health/live')), null);
  assert.equal(bookmarkOf(await worker.request('/v1/patients', { auth: false })), null, 'a 401 before any query');
});

test('a bookmark sent back is honoured, and the answer carries one no older (they compare as strings)', async () => {
  const first = bookmarkOf(await worker.request('/v1/patients'));
  const again = await worker.request('/v1/patients', withBookmark(first));
  assert.equal(again.status, 200, again.text);
  const next = bookmarkOf(again);
  assert.match(next, BOOKMARK);
  assert.ok(next >= first, `${next} is older than ${first}`);
});

test('a write moves the bookmark on, and a read with the write\'s bookmark sees the write', async () => {
  const before = bookmarkOf(await worker.request('/v1/patients'));
  const patient = { nhs_number: '9434765919', name: 'Ada Bookmark', date_of_birth: '1990-01-01', postcode: 'SW1A 1AA' };
  const created = await worker.request('/v1/patients', { method: 'POST', json: patient, ...withBookmark(before) });
  assert.equal(created.status, 201, created.text);
  const written = bookmarkOf(created);
  assert.ok(written > before, `the write's bookmark ${written} is not past ${before}`);

  const read = await worker.request(`/v1/patients/${patient.nhs_number}`, withBookmark(written));
  assert.equal(read.status, 200, read.text);
  assert.equal(read.body.name, 'Ada Bookmark');
  assert.ok(bookmarkOf(read) >= written);

  const changed = await worker.request(`/v1/patients/${patient.nhs_number}`, {
    method: 'PATCH', json: { postcode: 'N6 2FA' },
    headers: { 'content-type': 'application/merge-patch+json', 'x-d1-bookmark': bookmarkOf(read) },
  });
  assert.equal(changed.status, 200, changed.text);
  const reread = await worker.request(`/v1/patients/${patient.nhs_number}`, withBookmark(bookmarkOf(changed)));
  assert.equal(reread.body.postcode, 'N6 2FA');
});

test('a sign-in answers with a bookmark from the primary', async () => {
  const answer = await worker.login('nobody-here', 'not a password at all');
  assert.equal(answer.status, 401);
  assert.match(bookmarkOf(answer) ?? '', BOOKMARK, 'the failed attempt was written');
});

test('a malformed bookmark is a 400 bookmark-invalid in the client\'s language, and an empty one is none', async () => {
  for (const bookmark of ['first-primary', 'not a bookmark', '0000000G-00000001', '0'.repeat(129)]) {
    const response = await worker.request('/v1/patients', withBookmark(bookmark, { 'accept-language': 'fr' }));
    assertProblem(response, 400, 'bookmark-invalid');
    assert.equal(response.body.title, 'Signet non valide');
    assert.equal(bookmarkOf(response), null, bookmark);
  }
  const write = await worker.request('/v1/patients', {
    method: 'POST', json: { nhs_number: '1373645350', name: 'Not Written', date_of_birth: '1990-01-01', postcode: 'SW1A 1AA' },
    headers: { 'x-d1-bookmark': 'nope' },
  });
  assertProblem(write, 400, 'bookmark-invalid');
  assert.equal((await worker.request('/v1/patients/1373645350')).status, 404, 'nothing was written');
  const empty = await worker.request('/v1/patients', withBookmark(''));
  assert.equal(empty.status, 200, empty.text);
});

test('a browser may send the bookmark and read it back', async () => {
  const preflight = await worker.request('/v1/patients', {
    method: 'OPTIONS', auth: false,
    headers: { origin: FRONTEND, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, x-d1-bookmark' },
  });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers'), /x-d1-bookmark/);
  const actual = await worker.request('/v1/patients', { headers: { origin: FRONTEND } });
  assert.equal(actual.headers.get('access-control-allow-origin'), FRONTEND);
  assert.match(actual.headers.get('access-control-expose-headers'), /x-d1-bookmark/);
});

test('a D1_READS that is neither nearest nor primary is logged, and reads go to the primary', async () => {
  const strict = await startWorker({ vars: { D1_READS: 'replica' } });
  try {
    const response = await strict.request('/v1/patients');
    assert.equal(response.status, 200, response.text);
    assert.match(bookmarkOf(response) ?? '', BOOKMARK);
    await strict.waitForLog(/"event":"configuration-invalid".*D1_READS is \\"replica\\"/);
  } finally {
    await strict.stop();
  }
});
