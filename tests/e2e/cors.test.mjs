// CORS for the frontend's origins (CORS_ALLOWED_ORIGINS in wrangler.toml), over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';

const FRONTEND = 'http://localhost:5173';
let worker;
before(async () => { worker = await startWorker({ vars: { CORS_ALLOWED_ORIGINS: `${FRONTEND},https://app.example` } }); });
after(async () => { await worker?.stop(); });

test('a preflight from the frontend origin is answered', async () => {
  const response = await worker.request('/v1/patients/9434765919', {
    method: 'OPTIONS', auth: false,
    headers: { origin: FRONTEND, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type, if-match' },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), FRONTEND);
  assert.match(response.headers.get('access-control-allow-methods'), /PATCH/);
  for (const header of ['authorization', 'content-type', 'if-match']) {
    assert.match(response.headers.get('access-control-allow-headers'), new RegExp(header));
  }
  assert.equal(response.headers.get('access-control-allow-credentials'), null);
});

test('an actual request from the frontend can read the answer and its ETag', async () => {
  const response = await worker.request('/v1/patients', { headers: { origin: FRONTEND } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), FRONTEND);
  assert.match(response.headers.get('access-control-expose-headers'), /etag/);
  assert.match(response.headers.get('vary'), /Origin/);
});

test('other origins get no CORS headers', async () => {
  const preflight = await worker.request('/v1/patients', {
    method: 'OPTIONS', auth: false, headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  const actual = await worker.request('/v1/patients', { headers: { origin: 'https://evil.example' } });
  assert.equal(actual.headers.get('access-control-allow-origin'), null);
});
