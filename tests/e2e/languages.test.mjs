// Localised errors over HTTP: the language follows Accept-Language; the code never changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const LANGUAGES = ['en-GB', 'cy', 'fr', 'de', 'es'];

async function problemIn(language, path, init = {}) {
  const response = await worker.request(path, { ...init, headers: { ...(init.headers ?? {}), 'accept-language': language } });
  assert.equal(response.headers.get('content-type'), 'application/problem+json', response.text);
  assert.equal(response.headers.get('content-language'), language);
  assert.match(response.headers.get('vary') ?? '', /Accept-Language/i);
  return response.body;
}

test('each error class answers in each shipped language with the same code', async () => {
  const cases = [
    ['/v1/nowhere', {}],
    ['/v1/patients/9434765919', {}],
    ['/v1/patients', { method: 'POST', json: { nhs_number: '1234567890', name: '', date_of_birth: '1990-01-01', postcode: 'INVALID' } }],
    ['/v1/patients', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }],
    ['/v1/patients', { auth: false }],
  ];
  for (const [path, init] of cases) {
    const answers = {};
    for (const language of LANGUAGES) answers[language] = await problemIn(language, path, init);
    const english = answers['en-GB'];
    for (const language of LANGUAGES.slice(1)) {
      const answer = answers[language];
      assert.equal(answer.code, english.code, `${language} ${path}`);
      assert.equal(answer.status, english.status);
      assert.notEqual(answer.detail, english.detail, `${language} ${path} is translated`);
      assert.notEqual(answer.title, english.title, `${language} ${path} title is translated`);
      assert.deepEqual(answer.errors?.map((e) => [e.field, e.code]), english.errors?.map((e) => [e.field, e.code]));
      assert.ok(!/[\u2068\u2069]/.test(JSON.stringify(answer)), 'no bidirectional isolation marks');
    }
  }
});

test('q-values and region fallbacks choose the language', async () => {
  const cases = [['fr-CA', 'fr'], ['de;q=0.9, cy;q=1', 'cy'], ['ja, es;q=0.2', 'es'], ['ja', 'en-GB'], [';;q=x,,', 'en-GB']];
  for (const [header, expected] of cases) {
    const response = await worker.request('/v1/nowhere', { headers: { 'accept-language': header } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-language'), expected, header);
  }
});
