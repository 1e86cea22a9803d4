// The frontend team's example client (examples/client.mjs) runs against a real worker, so it
// never goes stale.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startWorker, ROOT } from './support/worker.mjs';

const run = promisify(execFile);
let worker;
before(async () => {
  worker = await startWorker();
  await worker.addUser('frontend.dev', 'a-frontend-password');
});
after(async () => { await worker?.stop(); });

async function client(language, nhs) {
  const { stdout } = await run(process.execPath, [join(ROOT, 'examples', 'client.mjs')], {
    env: { ...process.env, PANDA_URL: worker.url, PANDA_USERNAME: 'frontend.dev', PANDA_PASSWORD: 'a-frontend-password',
      PANDA_LANGUAGE: language, PANDA_EXAMPLE_NHS: nhs },
  });
  return stdout;
}

test('the example client signs in, creates, reads back and shows a localised error', async () => {
  const out = await client('en-GB', '1373645350');
  assert.match(out, /signed in/);
  assert.match(out, /created patient 1373645350 N6 2FA/);
  assert.match(out, /booked appointment [0-9a-f-]{36} active/);
  assert.match(out, /read back Dr Glenn Clark \| .+ 1h30m active/);
  assert.match(out, /found Dr Glenn Clark \(1373645350\)/);
  assert.match(out, /open or missed [1-5]/);
  assert.match(out, /trail appointment\.created by frontend\.dev, patient\.created by frontend\.dev/);
  assert.match(out, /csv attachment; filename="missed-appointments-by-department.csv" \| group,period_start,appointments/);
  assert.match(out, /error 422 validation-failed: nhs-number-checksum: nhs_number is not a valid NHS number/);
});

test('the example client shows the error in Welsh when asked', async () => {
  const out = await client('cy', '1953262716');
  assert.match(out, /error 422 validation-failed: nhs-number-checksum: Nid yw nhs_number yn rhif GIG dilys/);
});
