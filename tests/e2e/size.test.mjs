// The release worker stays small: its wasm must fit a 1 MiB gzip budget (Workers' free-plan
// script limit is 3 MiB compressed for the whole bundle; staying far below keeps startup quick).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './support/worker.mjs';

const BUDGET_BYTES = 1024 * 1024;

test('the release wasm is under 1 MiB gzipped', (t) => {
  const wasm = readFileSync(join(ROOT, 'build', 'index_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`index_bg.wasm: ${wasm.length} bytes raw, ${gzipped} bytes gzip`);
  assert.ok(gzipped < BUDGET_BYTES, `${gzipped} bytes gzip is over the ${BUDGET_BYTES}-byte budget`);
});
