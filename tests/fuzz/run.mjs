// A schema-driven fuzz run: schemathesis (PyPI) generates requests from /openapi.json and sends
// them to a local `wrangler dev` holding the client's example data, signed in as staff.
//
//   npm run fuzz                        # every phase, 100 cases per operation: about a minute
//   FUZZ_MAX_EXAMPLES=1000 npm run fuzz # a long run (FUZZ_SEED changes the cases)
//
// `npm test` ends with a short run (25 cases per operation). schemathesis lives in .venv, made by
// scripts/setup.sh.
//
// The checks: no server error, every answer as the document describes it (status, content type,
// headers, schema), and no schema-valid request refused except for the rules JSON Schema cannot
// state (tests/fuzz/hooks.py lists them; README, "Security"). Extra arguments go to `st run`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, ROOT } from '../e2e/support/worker.mjs';

const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', `example_${name}.json`), 'utf8'));

const worker = await startWorker();
let code = 1;
try {
  for (const patient of fixture('patients')) await worker.request('/v1/patients', { method: 'POST', json: patient });
  for (const appointment of fixture('appointments')) await worker.request('/v1/appointments', { method: 'POST', json: appointment });
  const args = [
    'run', `${worker.url}/openapi.json`, '--url', worker.url,
    '--header', `Authorization: Bearer ${worker.token}`,
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,refused_only_for_rules_json_schema_cannot_state',
    '--max-examples', process.env.FUZZ_MAX_EXAMPLES ?? '100',
    '--seed', process.env.FUZZ_SEED ?? '1',
    // One worker: with two threads, hypothesis's lambda descriptions run CPython 3.11's `ast.parse`
    // concurrently, which now and then fails inside CPython ("AST constructor recursion depth
    // mismatch", a crash of the tool, not a finding).
    '--workers', '1',
    '--no-color',
    ...process.argv.slice(2),
  ];
  const st = spawn(join(ROOT, '.venv', 'bin', 'st'), args, {
    stdio: 'inherit',
    env: { ...process.env, SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: join(ROOT, 'tests', 'fuzz') },
    cwd: ROOT,
  });
  code = await new Promise((resolve) => st.on('exit', (status) => resolve(status ?? 1)));
} finally {
  await worker.stop();
}
process.exit(code);
