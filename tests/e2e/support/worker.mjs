// Starts PANDA under `wrangler dev` on a free loopback port with a throwaway D1, for one test file.
// With PANDA_E2E_SERVER=native it starts the native server instead (target/native/panda-server,
// built by scripts/test.sh) on a throwaway SQLite file, or, when PANDA_E2E_POSTGRES names a
// PostgreSQL server, on a new database there: the same tests, the same API, another host.
// The server runs in its own process group, and that whole group is stopped afterwards, even when
// a test fails or the runner is interrupted, so no workerd process outlives the tests.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, readFile, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import net from 'node:net';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const run = promisify(execFile);

const QUIET = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
};

const running = new Set();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function wrangler(args) {
  const { stdout } = await run(WRANGLER, args, {
    cwd: ROOT,
    env: { ...process.env, ...QUIET },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * A server process in its own process group, with what it printed: `logs`, `exited`, `kill` (SIGKILL
 * to the whole group, as a crash or `kill -9` would: no shutdown of any kind; the data stays),
 * `waitForLog` and `stop` (SIGTERM, then SIGKILL for children that ignored it; the data folder goes
 * unless it was `reused`).
 */
function serverProcess(command, args, { env, label, url, persistDir, reused }) {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    logs: () => output,
    exited: () => child.exitCode !== null,
    async kill() {
      killGroup(child, 'SIGKILL');
      await exited;
      running.delete(child);
    },
    /** Waits until the server's output matches `pattern` (log lines can lag the response). */
    async waitForLog(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      // PANDA_E2E_LOGS=1 prints what the server logged, for debugging a failing test.
      if (process.env.PANDA_E2E_LOGS) process.stderr.write(`--- ${label} on ${url}:\n${output}\n`);
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // children that ignored SIGTERM (workerd's)
      running.delete(child);
      if (!reused) await rm(persistDir, { recursive: true, force: true });
    },
  };
}

/** fetch relative to the server, with a JSON body when `json` is given and the worker's token. */
async function request(worker, path, { method = 'GET', json, headers = {}, body, auth = true } = {}) {
  const init = { method, headers: { ...headers } };
  if (auth && worker.token && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    init.headers.authorization = `Bearer ${worker.token}`;
  }
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(worker.url + path, init);
  const text = await response.text();
  let parsed;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/**
 * Starts a worker with a fresh random JWT_SECRET and a signed-in staff user whose token every
 * `request` sends unless told otherwise (`auth: false`, or an explicit authorization header).
 * `vars` become `--var NAME:VALUE` (they override `.dev.vars`; `JWT_SECRET: ''` removes it).
 * `persistDir` restarts on the D1 a killed worker left behind (see `kill`); the caller removes it.
 * `native` (or `server: 'native'`; default: PANDA_E2E_SERVER=native) picks the native server over wrangler dev, and
 * `database` points it at an existing database (a postgres:// URL) instead of a new one.
 * Returns { url, request, d1, addUser, login, logs, waitForLog, kill, stop, persistDir, password }.
 */
export async function startWorker({
  vars = {}, signIn = true, quiet = false, persistDir: reused, server = NATIVE ? 'native' : 'worker', native = server === 'native', database,
} = {}) {
  vars = { JWT_SECRET: randomBytes(48).toString('base64url'), ...vars };
  const persistDir = reused ?? await mkdtemp(join(tmpdir(), 'panda-e2e-'));
  const port = await freePort();
  if (native) return started(await startNative({ vars, persistDir, port, reused, database }), signIn);
  if (!reused) await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);
  // Its own devtools port too: two workers starting at once would otherwise both take 9229.
  const inspectorPort = await freePort();
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  // quiet (for benchmarks): only warnings are logged, and wrangler's devtools inspector, which
  // relays every D1 query through its own process, stays off (it does when VSCODE_INSPECTOR_OPTIONS is set).
  const quietArgs = quiet ? ['--log-level', 'warn'] : [];
  const quietEnv = quiet ? { VSCODE_INSPECTOR_OPTIONS: '{}' } : {};
  const url = `http://127.0.0.1:${port}`;
  const proc = serverProcess(
    WRANGLER,
    ['dev', '--ip', '127.0.0.1', '--port', String(port),
      '--persist-to', persistDir, '--inspector-port', String(inspectorPort), '--test-scheduled', ...quietArgs, ...varArgs],
    { env: { ...process.env, ...QUIET, ...quietEnv }, label: 'wrangler dev', url, persistDir, reused },
  );
  const worker = {
    ...proc,
    url,
    token: null,
    request: (path, options) => request(worker, path, options),
    /**
     * Runs SQL against this worker's local D1 and returns the rows of the last statement, or with
     * `all` those of every statement (one wrangler start, a second or two, for all of them).
     */
    async d1(sql, { all = false } = {}) {
      const stdout = await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--json', '--command', sql]);
      const results = JSON.parse(stdout);
      return all ? results.map((r) => r.results) : results[results.length - 1].results;
    },
    /** Runs a SQL file against this worker's local D1. */
    async d1File(path) {
      await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--file', path]);
    },
    /**
     * `wrangler d1 export DB --local` of this worker's D1 into `output`. wrangler 4.86's export has
     * no --persist-to: it reads .wrangler/state beside the config file. So it is given a config of
     * its own, in a folder whose .wrangler/state is this worker's persist folder.
     */
    async d1Export(output) {
      const config = await mkdtemp(join(tmpdir(), 'panda-e2e-export-'));
      try {
        const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
        const id = /^\[\[d1_databases\]\][^[]*?^database_id\s*=\s*"([^"]+)"/m.exec(toml)[1];
        await writeFile(join(config, 'wrangler.toml'),
          `name = "panda-export"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "panda"\ndatabase_id = "${id}"\n`);
        await mkdir(join(config, '.wrangler'));
        await symlink(persistDir, join(config, '.wrangler', 'state'));
        await wrangler(['d1', 'export', 'DB', '--local', '--config', join(config, 'wrangler.toml'), '--output', output]);
      } finally {
        await rm(config, { recursive: true, force: true });
      }
    },
    /** Adds a staff account the way an admin does: `npm run user:add` against this worker's D1. */
    async addUser(username, password) {
      await run('bash', [join(ROOT, 'scripts', 'user.sh'), 'add', username, '--persist-to', persistDir], {
        cwd: ROOT, env: { ...process.env, ...QUIET, PANDA_PASSWORD: password },
      });
    },
    /** Runs another `npm run user:*` action against this worker's D1. */
    async userAdmin(action, username, password = '') {
      return run('bash', [join(ROOT, 'scripts', 'user.sh'), action, username, '--persist-to', persistDir], {
        cwd: ROOT, env: { ...process.env, ...QUIET, PANDA_PASSWORD: password },
      });
    },
    /** POST /v1/auth/token. */
    async login(username, password) {
      return worker.request('/v1/auth/token', { method: 'POST', json: { username, password }, auth: false });
    },
    persistDir,
  };
  return started(worker, signIn);
}

/** Waits for the server to answer /health, then signs in a staff user (unless `signIn` is false). */
async function started(worker, signIn) {
  const { url } = worker;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (worker.exited()) throw new Error(`the server exited early:\n${worker.logs()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await worker.stop();
      throw new Error(`the server did not become healthy in time:\n${worker.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (signIn) {
    const password = randomBytes(18).toString('base64url');
    await worker.addUser('e2e-staff', password);
    const answer = await worker.login('e2e-staff', password);
    if (answer.status !== 200) throw new Error(`could not sign in: ${answer.text}`);
    worker.token = answer.body.access_token;
    worker.password = password; // for signing in again, e.g. on a copy of this database
  }
  return worker;
}

const NATIVE = process.env.PANDA_E2E_SERVER === 'native';
const SERVER = join(ROOT, 'target', 'native', 'panda-server');

/** The native server, with the same interface as `wrangler dev`'s worker above. */
async function startNative({ vars, persistDir, port, reused, database: given }) {
  let database = given ?? `sqlite:${join(persistDir, 'panda.sqlite3')}`;
  const postgres = process.env.PANDA_E2E_POSTGRES;
  if (postgres && !given) {
    const name = reused ? (await import('node:fs')).readFileSync(join(persistDir, 'database'), 'utf8')
      : `e2e_${randomBytes(6).toString('hex')}`;
    if (!reused) {
      await run('psql', [postgres, '-qc', `CREATE DATABASE ${name}`]);
      await (await import('node:fs/promises')).writeFile(join(persistDir, 'database'), name);
    }
    const url = new URL(postgres);
    url.pathname = `/${name}`;
    database = url.toString();
  }
  const env = {
    ...process.env, ...vars, DATABASE_URL: database, HOST: '127.0.0.1', PORT: String(port),
    PANDA_TEST_SCHEDULED: '1', SWEEP_INTERVAL_SECONDS: '86400', PANDA_THREADS: '2',
  };
  const url = `http://127.0.0.1:${port}`;
  const proc = serverProcess(SERVER, [], { env, label: 'the native server', url, persistDir, reused });
  const admin = (action, username, password = '') => run('bash', [join(ROOT, 'scripts', 'user.sh'), action, username, '--native'], {
    cwd: ROOT, env: { ...process.env, PANDA_PASSWORD: password, DATABASE_URL: database },
  });
  const worker = {
    ...proc,
    url,
    token: null,
    request: (path, options) => request(worker, path, options),
    async d1(sql) {
      const { stdout } = await run(SERVER, ['sql', sql], { cwd: ROOT, env: { ...process.env, DATABASE_URL: database } });
      return JSON.parse(stdout);
    },
    /** Runs a SQL file of the database's own dialect. */
    async d1File(path) {
      await run(SERVER, ['sql', '--file', path], { cwd: ROOT, env: { ...process.env, DATABASE_URL: database }, maxBuffer: 64 * 1024 * 1024 });
    },
    addUser: (username, password) => admin('add', username, password),
    userAdmin: admin,
    login: (username, password) => worker.request('/v1/auth/token', { method: 'POST', json: { username, password }, auth: false }),
    persistDir,
  };
  return worker;
}

/**
 * Triggers the scheduled (cron) handler the way Cloudflare would. `wrangler dev --test-scheduled`
 * serves it at /__scheduled; the other local route, /cdn-cgi/handler/scheduled, answers 500 in
 * wrangler 4.86 once a worker has static assets (the /docs page), so it is not used.
 */
export async function triggerCron(worker, cron = '*/5 * * * *') {
  const response = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent(cron)}`);
  return response.status;
}
