// A small PANDA client for the frontend team: plain JavaScript, no dependencies (Node 20+ or a
// browser's fetch). It signs in, creates a patient and an appointment, reads them back, finds the
// patient by name, lists open appointments, downloads the statistics as CSV, reads who did what to
// the patient's record from the audit trail, and shows the localised error PANDA sends for a bad
// NHS number.
//
//   PANDA_URL=http://127.0.0.1:8787 PANDA_USERNAME=alice PANDA_PASSWORD='…' node examples/client.mjs
//   (PANDA_LANGUAGE=cy for Welsh errors; fr, de and es also work)

const BASE = process.env.PANDA_URL ?? 'http://127.0.0.1:8787';
const LANGUAGE = process.env.PANDA_LANGUAGE ?? 'en-GB';

/** Every PANDA error is RFC 9457 problem+json with a stable `code` and localised texts. */
class PandaError extends Error {
  constructor(problem) {
    super(`${problem.title}: ${problem.detail}`);
    this.problem = problem;
  }
}

// The latest X-D1-Bookmark PANDA answered with, sent back on every request: reads may come from a
// copy of the database near the user, and with it they always include this client's own writes.
let bookmark = null;

async function call(path, { method = 'GET', token, body, contentType = 'application/json', ifMatch } = {}) {
  const headers = { 'accept-language': LANGUAGE };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  if (ifMatch) headers['if-match'] = ifMatch;
  if (bookmark) headers['x-d1-bookmark'] = bookmark;
  const response = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  bookmark = response.headers.get('x-d1-bookmark') ?? bookmark;
  const payload = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new PandaError(payload);
  return { body: payload, etag: response.headers.get('etag') };
}

async function main() {
  const { body: { access_token: token } } = await call('/v1/auth/token', {
    method: 'POST', body: { username: process.env.PANDA_USERNAME, password: process.env.PANDA_PASSWORD },
  });
  console.log('signed in');

  // The client's first example patient, with the NHS number typed with spaces as people do.
  const nhs = process.env.PANDA_EXAMPLE_NHS ?? '1373645350';
  const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
  const created = await call('/v1/patients', {
    method: 'POST', token, body: { nhs_number: spaced, name: 'Dr Glenn Clark', date_of_birth: '1996-02-01', postcode: 'n6 2fa' },
  });
  console.log('created patient', created.body.nhs_number, created.body.postcode);

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const booked = await call('/v1/appointments', {
    method: 'POST', token,
    body: { patient: created.body.nhs_number, time: tomorrow, duration: '1h30m', clinician: 'Jason Holloway', department: 'oncology', postcode: 'UB56 7XQ' },
  });
  console.log('booked appointment', booked.body.id, booked.body.status);

  const patient = await call(`/v1/patients/${created.body.nhs_number}`, { token });
  const appointment = await call(`/v1/appointments/${booked.body.id}`, { token });
  console.log('read back', patient.body.name, '|', appointment.body.time, appointment.body.duration, appointment.body.status);

  // A receptionist's search: however the name is typed, words in any order, best matches first.
  const found = await call(`/v1/patients?name=${encodeURIComponent('CLARK gl')}&postcode=N6`, { token });
  console.log('found', found.body.items.map((p) => `${p.name} (${p.nhs_number})`).join(', '));

  // Today's open appointments with those already missed: several statuses at once.
  const open = await call('/v1/appointments?status=active,missed&limit=5', { token });
  console.log('open or missed', open.body.items.length);

  // The statistics as CSV, for a spreadsheet: the same rows as the JSON.
  const csv = await fetch(`${BASE}/v1/stats/missed?group_by=department`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/csv' },
  });
  console.log('csv', csv.headers.get('content-disposition'), '|', (await csv.text()).split('\r\n')[0]);

  // Who created, changed and viewed this record, newest first. Views are written just after each
  // answer, so the reads above may still be on their way.
  const trail = await call(`/v1/patients/${created.body.nhs_number}/audit?limit=10`, { token });
  const changes = trail.body.items.filter((entry) => entry.action !== 'patient.viewed');
  console.log('trail', changes.map((entry) => `${entry.action} by ${entry.actor}`).join(', '));

  try {
    await call('/v1/patients', { method: 'POST', token, body: { nhs_number: '1234567890', name: 'Test', date_of_birth: '1990-01-01', postcode: 'SW1A 1AA' } });
  } catch (error) {
    if (!(error instanceof PandaError)) throw error;
    // Branch on the stable code; show the text, which is in the language asked for.
    const field = error.problem.errors?.[0];
    console.log(`error ${error.problem.status} ${error.problem.code}: ${field?.code}: ${field?.message}`);
  }
}

main().catch((error) => {
  console.error(error instanceof PandaError ? `PANDA said: ${error.message}` : error);
  process.exitCode = 1;
});
