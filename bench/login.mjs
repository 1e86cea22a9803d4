// Measures what one sign-in costs in the worker: the median latency of POST /v1/auth/token
// (one argon2id verification, m=19 MiB, t=2, p=1, plus two small D1 queries) against the median
// of GET /health (one D1 query), on a local `wrangler dev`. Run with `npm run bench:login`.
import { startWorker } from '../tests/e2e/support/worker.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn) {
  const samples = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const start = performance.now();
    const response = await fn();
    samples.push(performance.now() - start);
    if (response.status >= 400) throw new Error(`unexpected ${response.status}: ${response.text}`);
  }
  return median(samples);
}

const worker = await startWorker({ signIn: false });
try {
  await worker.addUser('bench', 'a-benchmark-password');
  await worker.login('bench', 'a-benchmark-password'); // warm up
  const login = await time(() => worker.login('bench', 'a-benchmark-password'));
  const health = await time(() => worker.request('/health', { auth: false }));
  console.log(`median of ${ROUNDS}: POST /v1/auth/token ${login.toFixed(1)} ms, GET /health ${health.toFixed(1)} ms`);
  console.log(`one sign-in costs about ${(login - health).toFixed(1)} ms more than a health check (the argon2id verification)`);
} finally {
  await worker.stop();
}
