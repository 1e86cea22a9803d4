// `npm run bench:search`: patient search as the register grows. For each size (BENCH_SEARCH_SIZES,
// patients; default 10000 and 1000000) the release worker runs under `wrangler dev` on loopback
// with a throwaway D1 holding that many patients, named from 100 common first names and 100
// common surnames (bench/seed.mjs), and each search is loaded for BENCH_SECONDS with
// BENCH_CONNECTIONS connections (autocannon). The target (issue #14): a name search's p50 at
// 1,000,000 patients within 2x of its p50 at 10,000. Writes bench/results/search-<date>.json and .md.
import autocannon from 'autocannon';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { startWorker, ROOT } from '../tests/e2e/support/worker.mjs';
import { namedPatientsSql, NAMES } from './seed.mjs';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '10000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const pick = (list) => list[Math.floor(Math.random() * list.length)];

// What a receptionist types: a surname and the start of a first name; a full name; a surname
// alone (a broad search, still one page of 50); and, for comparison, a date of birth.
const SEARCHES = [
  ['surname and the start of a first name', () => `name=${pick(NAMES.SURNAMES)}%20${pick(NAMES.FIRST_NAMES).slice(0, 3)}`],
  ['first name and surname', () => `name=${pick(NAMES.FIRST_NAMES)}%20${pick(NAMES.SURNAMES)}`],
  ['surname alone', () => `name=${pick(NAMES.SURNAMES)}`],
  ['date of birth', () => `date_of_birth=19${10 + Math.floor(Math.random() * 60)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`],
];

async function benchSize(patients) {
  const worker = await startWorker({ quiet: true });
  try {
    const seedFile = join(tmpdir(), `panda-search-seed-${process.pid}.sql`);
    const started = performance.now();
    await writeFile(seedFile, namedPatientsSql({ patients, now: Math.floor(Date.now() / 1000) }));
    await worker.d1File(seedFile);
    const seedSeconds = (performance.now() - started) / 1000;
    const headers = { authorization: `Bearer ${worker.token}` };
    const routes = [];
    for (const [name, query] of [['plain list (ceiling of a patient list)', () => 'limit=50'], ...SEARCHES]) {
      const result = await autocannon({
        url: worker.url, connections: CONNECTIONS, duration: SECONDS,
        requests: [{ method: 'GET', headers, setupRequest: (r) => ({ ...r, path: `/v1/patients?${query()}` }) }],
      });
      const route = {
        search: name, requests_per_second: Math.round(result.requests.average), p50_ms: result.latency.p50,
        p99_ms: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx,
      };
      routes.push(route);
      console.log(`  ${patients} patients, ${name}: ${route.requests_per_second} req/s, p50 ${route.p50_ms} ms, p99 ${route.p99_ms} ms, errors ${route.errors}`);
    }
    return { patients, seed_seconds: Number(seedSeconds.toFixed(1)), routes };
  } finally {
    await worker.stop();
  }
}

const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  profile: 'wrangler dev, log level warn, devtools inspector off',
  connections: CONNECTIONS,
  seconds: SECONDS,
  sizes: [],
};
for (const size of SIZES) {
  console.log(`bench:search: ${size} patients`);
  report.sizes.push(await benchSize(size));
}

const lines = [
  `PANDA patient search, ${report.date}: ${report.machine}; ${report.profile}; ${report.connections} connections, ${report.seconds} s per search.`,
  '',
  `| search | ${report.sizes.map((s) => `p50 ms at ${s.patients.toLocaleString('en-GB')}`).join(' | ')} | ${report.sizes.map((s) => `req/s at ${s.patients.toLocaleString('en-GB')}`).join(' | ')} | p50 ratio, largest / smallest |`,
  `|---|${report.sizes.map(() => '---:').join('|')}|${report.sizes.map(() => '---:').join('|')}|---:|`,
];
for (const [i, route] of report.sizes[0].routes.entries()) {
  const p50s = report.sizes.map((s) => s.routes[i].p50_ms);
  const rates = report.sizes.map((s) => s.routes[i].requests_per_second);
  lines.push(`| ${route.search} | ${p50s.join(' | ')} | ${rates.join(' | ')} | ${(p50s.at(-1) / p50s[0]).toFixed(2)} |`);
}
lines.push('', `Seeding: ${report.sizes.map((s) => `${s.patients.toLocaleString('en-GB')} patients in ${s.seed_seconds} s`).join(', ')}. Errors: ${report.sizes.flatMap((s) => s.routes).reduce((n, r) => n + r.errors, 0)}.`);
const markdown = lines.join('\n') + '\n';
console.log(`\n${markdown}`);
const stamp = report.date.replace(/:/g, '-').replace(/\..*$/, '');
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
await writeFile(join(ROOT, 'bench', 'results', `search-${stamp}.json`), JSON.stringify(report, null, 2) + '\n');
await writeFile(join(ROOT, 'bench', 'results', `search-${stamp}.md`), markdown);
