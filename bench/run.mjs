// `npm run bench`: PANDA under load, measured the same way every time.
//
// For each data size (BENCH_SIZES, appointments; default 30000, with a third as many patients):
// start the release worker under `wrangler dev` on loopback with a throwaway D1, seed it with
// bulk SQL (bench/seed.mjs), then load each route for BENCH_SECONDS with BENCH_CONNECTIONS
// concurrent connections (autocannon), including a constant-response route of the same worker
// (GET /health/live) as the platform ceiling. Then time the cron sweep of a 100,000-appointment
// backlog. Each size runs on every server in BENCH_SERVERS (default `worker,native`: the worker
// under wrangler dev on its local D1, and the native server, `npm run serve:native`, on a SQLite
// file; the seed is SQLite SQL, so PostgreSQL is not among them). The database's size after the
// seed is recorded too. Prints a Markdown table and writes bench/results/<date>.json and .md.
import autocannon from 'autocannon';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startWorker, triggerCron, ROOT } from '../tests/e2e/support/worker.mjs';
import { seedSql, backlogSql, SEED } from './seed.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '30000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const SERVERS = (process.env.BENCH_SERVERS ?? 'worker,native').split(',');
if (SERVERS.some((s) => s !== 'worker' && s !== 'native')) throw new Error('BENCH_SERVERS: worker and/or native');
if (SIZES.some((n) => !(n >= 1000 && n <= 1_000_000))) throw new Error('BENCH_SIZES: 1000 to 1000000 appointments each');

const run = promisify(execFile);
const pick = (list) => list[Math.floor(Math.random() * list.length)];

async function load(worker, name, request) {
  const result = await autocannon({
    url: worker.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [request],
  });
  return {
    route: name,
    requests_per_second: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
  };
}

/** The SQLite files under `dir` (D1's local copy, or the native server's file), with their WAL. */
async function databaseBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.sqlite3?(-wal)?$/.test(entry.name)) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

async function benchSize(appointments, server) {
  const patients = Math.max(100, Math.round(appointments / 3));
  const worker = await startWorker({ quiet: true, server });
  try {
    const now = Math.floor(Date.now() / 1000);
    const seedFile = join(tmpdir(), `panda-seed-${process.pid}.sql`);
    const seedStart = performance.now();
    await writeFile(seedFile, seedSql({ patients, appointments, now }));
    await worker.d1File(seedFile);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const bytes = await databaseBytes(worker.persistDir);
    const nhsNumbers = (await worker.d1('SELECT nhs_number FROM patients ORDER BY random() LIMIT 500')).map((r) => r.nhs_number);
    const future = (await worker.d1(`SELECT id FROM appointments WHERE status = 'active' ORDER BY random() LIMIT 2000`)).map((r) => r.id);
    await worker.addUser('bench-login', 'a-benchmark-password');
    const auth = { authorization: `Bearer ${worker.token}`, 'content-type': 'application/json' };
    const json = (body) => JSON.stringify(body);
    const day = (offsetDays) => new Date((now + offsetDays * 86400) * 1000).toISOString().slice(0, 10);
    const routes = [
      ['GET /health/live (ceiling)', { method: 'GET', path: '/health/live' }],
      ['GET /health', { method: 'GET', path: '/health' }],
      ['GET /v1/patients/{nhs}', { method: 'GET', headers: auth, setupRequest: (r) => ({ ...r, path: `/v1/patients/${pick(nhsNumbers)}` }) }],
      ['GET /v1/appointments?clinician&status', {
        method: 'GET', headers: auth,
        setupRequest: (r) => ({ ...r, path: `/v1/appointments?clinician=Dr%20Bench%20${1 + Math.floor(Math.random() * SEED.CLINICIANS)}&status=active&limit=20` }),
      }],
      ['POST /v1/appointments', {
        method: 'POST', path: '/v1/appointments', headers: auth,
        setupRequest: (r) => ({ ...r, body: json({
          patient: pick(nhsNumbers), time: new Date((now + 86400 * (1 + Math.floor(Math.random() * 300))) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
          duration: '30m', clinician: `Dr Bench ${1 + Math.floor(Math.random() * SEED.CLINICIANS)}`, department: 'department 1', postcode: 'SW1A 1AA',
        }) }),
      }],
      ['PATCH /v1/appointments/{id}', {
        method: 'PATCH', headers: { ...auth, 'content-type': 'application/merge-patch+json' },
        setupRequest: (r) => ({ ...r, path: `/v1/appointments/${pick(future)}`, body: json({ postcode: pick(['SW1A 1AA', 'N6 2FA', 'M4 2ST']) }) }),
      }],
      ['GET /v1/stats/missed (month, 1 year)', {
        method: 'GET', headers: auth, path: `/v1/stats/missed?group_by=clinician&period=month&from=${day(-365)}&to=${day(0)}`,
      }],
      ['POST /v1/auth/token', { method: 'POST', path: '/v1/auth/token', headers: { 'content-type': 'application/json' }, body: json({ username: 'bench-login', password: 'a-benchmark-password' }) }],
    ];
    const only = process.env.BENCH_ROUTES ? new RegExp(process.env.BENCH_ROUTES) : null;
    const results = [];
    for (const [name, request] of routes.filter(([name], i) => i === 0 || !only || only.test(name))) {
      const result = await load(worker, name, request);
      results.push(result);
      console.log(`  ${server}, ${appointments} appointments, ${name}: ${result.requests_per_second} req/s, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, errors ${result.errors} ${JSON.stringify(result.statuses)}`);
    }
    const ceiling = results[0].requests_per_second;
    for (const r of results) r.ratio_to_ceiling = Number((r.requests_per_second / ceiling).toFixed(2));

    // The sweep: a backlog of ended, still-active appointments, cleared by one cron run.
    await writeFile(seedFile, backlogSql({ count: BACKLOG, patients, now }));
    await worker.d1File(seedFile);
    const sweepStart = performance.now();
    await triggerCron(worker);
    const sweepSeconds = (performance.now() - sweepStart) / 1000;
    const [{ left }] = await worker.d1(`SELECT count(*) AS left FROM appointments WHERE status = 'active' AND ends_at <= ${now}`);
    return { server, appointments, patients, database_bytes: bytes, seed_seconds: Number(seedSeconds.toFixed(1)), routes: results,
      sweep: { backlog: BACKLOG, seconds: Number(sweepSeconds.toFixed(2)), left_for_next_run: left } };
  } finally {
    await worker.stop();
  }
}

/** The release wasm's size, and its startup (instantiate) time from `wrangler check startup`, which
 *  profiles the worker's startup phase in the local workerd. */
async function wasmSize() {
  const wasm = await readFile(join(ROOT, 'build', 'index_bg.wasm'));
  const profile = join(tmpdir(), `panda-startup-${process.pid}.cpuprofile`);
  await run(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['check', 'startup', '--outfile', profile], {
    cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  const { startTime, endTime } = JSON.parse(await readFile(profile, 'utf8'));
  return {
    raw_bytes: wasm.length,
    gzip_bytes: gzipSync(wasm, { level: 9 }).length,
    startup_ms: Number(((endTime - startTime) / 1000).toFixed(1)),
  };
}

function markdown(report) {
  const lines = [
    `PANDA benchmark, ${report.date}: ${report.machine}; on 127.0.0.1: the worker under wrangler dev (${report.profile}),`,
    `the native server on a SQLite file; ${report.connections} connections, ${report.seconds} s per route.`,
    '',
    '| server | appointments | route | req/s | p50 ms | p99 ms | errors | vs ceiling |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const size of report.sizes) {
    for (const r of size.routes) {
      lines.push(`| ${size.server} | ${size.appointments.toLocaleString('en-GB')} | ${r.route} | ${r.requests_per_second} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} | ${r.ratio_to_ceiling} |`);
    }
  }
  lines.push('', '| server | appointments | database (MB) | seed (s) | sweep of backlog | sweep time (s) | left for next run |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const size of report.sizes) {
    const mb = size.database_bytes ? (size.database_bytes / 1e6).toFixed(1) : '?';
    lines.push(`| ${size.server} | ${size.appointments.toLocaleString('en-GB')} | ${mb} | ${size.seed_seconds} | ${size.sweep.backlog.toLocaleString('en-GB')} | ${size.sweep.seconds} | ${size.sweep.left_for_next_run} |`);
  }
  const w = report.wasm;
  lines.push('', `Release wasm: ${(w.raw_bytes / 1024).toFixed(0)} KiB raw, ${(w.gzip_bytes / 1024).toFixed(0)} KiB gzip (budget 350 KB); startup ${w.startup_ms} ms (\`wrangler check startup\`, local workerd).`);
  return lines.join('\n') + '\n';
}

const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  profile: 'log level warn, devtools inspector off',
  connections: CONNECTIONS,
  seconds: SECONDS,
  sizes: [],
  wasm: await wasmSize(),
};
for (const size of SIZES) {
  for (const server of SERVERS) {
    console.log(`bench: ${server}, ${size} appointments`);
    report.sizes.push(await benchSize(size, server));
  }
}
const table = markdown(report);
console.log(`\n${table}`);
const dir = join(ROOT, 'bench', 'results');
await mkdir(dir, { recursive: true });
const stem = report.date.slice(0, 19).replace(/:/g, '-');
await writeFile(join(dir, `${stem}.json`), JSON.stringify(report, null, 2) + '\n');
await writeFile(join(dir, `${stem}.md`), table);
console.log(`bench: wrote bench/results/${stem}.json and .md`);
