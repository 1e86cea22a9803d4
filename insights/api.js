// The two API calls the insights page makes, on this same origin: sign-in and the missed-appointment
// statistics. Every answer that is not a success becomes an ApiProblem carrying the API's
// problem+json, whose title and detail the API writes in the language asked for.

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    // A 422 lists each invalid field with its own message.
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** The fetch failed before any answer (the server is down, the network is gone). */
export class Unreachable extends Error {}

/** An answer that is neither the expected JSON nor a problem (a proxy's error page, say). */
export class UnexpectedAnswer extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

async function call(path, { method = 'GET', token, language, body } = {}) {
  const headers = { accept: 'application/json', 'accept-language': language };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new Unreachable();
  }
  const type = response.headers.get('content-type') || '';
  const json = type.includes('json') ? await response.json().catch(() => undefined) : undefined;
  if (response.ok && json !== undefined) return json;
  if (json && typeof json.code === 'string') throw new ApiProblem(response.status, json);
  throw new UnexpectedAnswer(response.status);
}

/** POST /v1/auth/token: the access token and when it stops working (ms since the epoch). */
export async function signIn(username, password, language) {
  const answer = await call('/v1/auth/token', { method: 'POST', language, body: { username, password } });
  if (typeof answer.access_token !== 'string' || !Number.isFinite(answer.expires_in)) throw new UnexpectedAnswer(200);
  return { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
}

/**
 * GET /v1/stats/missed: the rows for `groupBy` (clinician or department), per `period` (or over
 * the whole range when it is absent), from `from` up to but excluding `to`, within one department
 * when `department` is given.
 */
export async function missedStatistics({ token, language, groupBy, period, from, to, department }) {
  const query = new URLSearchParams({ group_by: groupBy });
  if (period) query.set('period', period);
  query.set('from', from);
  query.set('to', to);
  if (department) query.set('department', department);
  const answer = await call(`/v1/stats/missed?${query}`, { token, language });
  if (!Array.isArray(answer.items)) throw new UnexpectedAnswer(200);
  return answer.items;
}
