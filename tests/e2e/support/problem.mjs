// The shape every PANDA error has: RFC 9457 problem+json with a stable code.
import assert from 'node:assert/strict';

/** Asserts `response` (from `worker.request`) is the problem `code` with HTTP `status`. */
export function assertProblem(response, status, code) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.equal(response.body.code, code, response.text);
  assert.equal(response.body.status, status);
  assert.equal(response.body.type, `urn:panda:problem:${code}`);
  assert.ok(response.body.title && response.body.detail, response.text);
}
