// Authentication over HTTP: accounts seeded with `npm run user:add`, sign-in, lockout, refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { assertProblem } from './support/problem.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

test('user:add, then sign in, then a protected call', async () => {
  await worker.addUser('dr.watson', 'elementary-my-dear');
  const login = await worker.login('Dr.Watson', 'elementary-my-dear');
  assert.equal(login.status, 200, login.text);
  assert.equal(login.body.token_type, 'Bearer');
  assert.ok(login.body.expires_in >= 900 && login.body.expires_in <= 3600);
  const call = await worker.request('/v1/patients', { headers: { authorization: `Bearer ${login.body.access_token}` } });
  assert.equal(call.status, 200, call.text);
});

test('protected routes refuse missing, malformed, tampered and foreign tokens', async () => {
  const missing = await worker.request('/v1/patients', { auth: false });
  assertProblem(missing, 401, 'token-missing');
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
  for (const authorization of ['Bearer nonsense', `Bearer ${worker.token}x`, `Bearer ${worker.token.split('.').slice(0, 2).join('.')}.`]) {
    const response = await worker.request('/v1/patients', { headers: { authorization } });
    assertProblem(response, 401, 'token-invalid');
    assert.match(response.headers.get('www-authenticate'), /invalid_token/);
  }
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${worker.token.split('.')[1]}.`;
  assertProblem(await worker.request('/v1/patients', { headers: { authorization: `Bearer ${none}` } }), 401, 'token-invalid');
  assert.equal((await worker.request('/health', { auth: false })).status, 200, '/health stays public');
  assert.equal((await worker.request('/openapi.json', { auth: false })).status, 200, '/openapi.json stays public');
});

test('a wrong password and an unknown user get the same 401', async () => {
  const wrong = await worker.login('e2e-staff', 'not-the-password');
  const unknown = await worker.login('nobody-here', 'not-the-password');
  assertProblem(wrong, 401, 'invalid-credentials');
  // The same answer but for the id of the request it answers.
  const { instance: _wrong, ...wrongProblem } = wrong.body;
  const { instance: _unknown, ...unknownProblem } = unknown.body;
  assert.deepEqual(wrongProblem, unknownProblem);
});

test('five failures lock the account with a 429 and Retry-After', async () => {
  await worker.addUser('locky', 'the-right-password');
  for (let i = 0; i < 4; i += 1) assertProblem(await worker.login('locky', 'wrong'), 401, 'invalid-credentials');
  const fifth = await worker.login('locky', 'wrong');
  assertProblem(fifth, 429, 'account-locked');
  assert.equal(fifth.headers.get('retry-after'), '900');
  assertProblem(await worker.login('locky', 'the-right-password'), 429, 'account-locked');
});

test('disabling or removing a user ends their tokens at the next use', async () => {
  await worker.addUser('temp.user', 'temporary-password');
  const token = (await worker.login('temp.user', 'temporary-password')).body.access_token;
  const call = () => worker.request('/v1/patients', { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await call()).status, 200);
  await worker.userAdmin('disable', 'temp.user');
  assertProblem(await call(), 401, 'token-invalid');
  await worker.userAdmin('enable', 'temp.user');
  assert.equal((await call()).status, 200);
  await worker.userAdmin('remove', 'temp.user');
  assertProblem(await call(), 401, 'token-invalid');
});

test('a missing or short secret fails closed', async () => {
  for (const secret of ['', 'too-short']) {
    const bare = await startWorker({ vars: { JWT_SECRET: secret }, signIn: false });
    try {
      assertProblem(await bare.request('/v1/patients'), 500, 'auth-not-configured');
      assertProblem(await bare.login('anyone', 'anything-at-all'), 500, 'auth-not-configured');
      assert.equal((await bare.request('/health')).status, 200);
      await bare.waitForLog(/JWT_SECRET/);
    } finally {
      await bare.stop();
    }
  }
});
