// The release worker stays small: its wasm must fit a 350 KB gzip budget, so that an isolate starts
// quickly (Workers' free-plan script limit is 3 MiB compressed for the whole bundle, the /docs files
// included; those travel as text modules beside the wasm, not inside it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './support/worker.mjs';

const BUDGET_BYTES = 350 * 1000;

test('the release wasm is under 350 KB gzipped', (t) => {
  const wasm = readFileSync(join(ROOT, 'build', 'index_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`index_bg.wasm: ${wasm.length} bytes raw, ${gzipped} bytes gzip`);
  assert.ok(gzipped < BUDGET_BYTES, `${gzipped} bytes gzip is over the ${BUDGET_BYTES}-byte budget`);
});
