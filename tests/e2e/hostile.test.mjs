// No bad input hurts PANDA: thousands of generated malformed requests (wrong JSON types, missing
// fields, huge and invalid-UTF-8 bodies, deep nesting, odd numbers, junk headers, forged tokens,
// junk paths and methods) against the real routes, with a valid token on most of them so the
// handlers really run. Afterwards: no 5xx, every 4xx a problem+json with a code, no panic in the
// log, and every stored row exactly as before.
//
// The requests come from a seeded PRNG (mulberry32), one stream per request index, so any
// failure reproduces: PANDA_FUZZ_SEED=<the seed printed> node --test tests/e2e/hostile.test.mjs
// (PANDA_FUZZ_COUNT changes how many are sent; the seed and index name each failing request.)
//
// Every request that could write is built to be refused: each JSON object body carries at least one
// member that can never validate, DELETEs never name a stored patient, and the few well-formed
// writes ("semantic" cases) break a rule PANDA enforces (a taken key, an unknown patient, a final
// appointment, a stale If-Match...). The stored data must therefore be exactly the snapshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { startWorker, ROOT } from './support/worker.mjs';

const SEED = (process.env.PANDA_FUZZ_SEED ? Number(process.env.PANDA_FUZZ_SEED) : randomBytes(4).readUInt32LE(0)) >>> 0;
const COUNT = Number(process.env.PANDA_FUZZ_COUNT ?? 3000);
const IN_FLIGHT = 16;
const SEEDED_PATIENTS = 20;

const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', `example_${name}.json`), 'utf8'));
const patients = fixture('patients').slice(0, SEEDED_PATIENTS);
const seededNhs = new Set(patients.map((p) => p.nhs_number));
const fixtureAppointments = fixture('appointments').filter((a) => seededNhs.has(a.patient));

const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

let worker;
// Filled in while seeding: what the generator may aim at.
const targets = { activeIds: [], finalIds: [], allIds: [], patientOf: new Map() };

before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

// ---------------------------------------------------------------------------------------------
// A tiny deterministic PRNG and helpers.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random stream for request `index`: independent of how the requests interleave. */
function rngFor(index) {
  const next = mulberry32((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    /** Picks by weight from [[weight, value], ...]. */
    weighted: (table) => {
      const total = table.reduce((sum, [w]) => sum + w, 0);
      let roll = next() * total;
      for (const [w, value] of table) {
        roll -= w;
        if (roll < 0) return value;
      }
      return table[table.length - 1][1];
    },
    ascii: (length, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Values: valid ones to build on, and hostile ones to break things with.

function nhsCheckDigit(nine) {
  let sum = 0;
  for (let k = 0; k < 9; k += 1) sum += Number(nine[k]) * (10 - k);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check; // 10: no valid number has these nine digits
}

/** A valid NHS number that is not stored. */
function freshNhs(r) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const nine = r.ascii(9, '0123456789');
    const check = nhsCheckDigit(nine);
    if (check !== 10 && !seededNhs.has(nine + check)) return nine + check;
  }
  return '0000000000'; // valid (check digit 0) and never seeded
}

/** An NHS number in one of the forms PANDA accepts: as stored, spaced, hyphenated, padded. */
function formatNhs(r, nhs) {
  return r.pick([
    nhs,
    `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`,
    `${nhs.slice(0, 3)}-${nhs.slice(3, 6)}-${nhs.slice(6)}`,
    ` ${nhs} `,
  ]);
}

const randomUuid = (r) => {
  const hex = r.ascii(32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const futureTime = (r) => iso(new Date(Date.now() + (2 + r.int(300)) * 86_400_000 + r.int(24) * 3_600_000));

/** A random code point string, with the awkward corners of Unicode well represented. */
function unicode(r, length) {
  const ranges = [
    [0x20, 0x7e], [0x00, 0x1f], [0x7f, 0x9f], [0xa0, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xffff],
    [0x10000, 0x10ffff], [0xd800, 0xdfff] /* lone surrogates */, [0x202a, 0x202e], [0x2066, 0x2069],
    [0x200b, 0x200f], [0x300, 0x36f] /* combining */, [0xfeff, 0xfeff], [0xfffe, 0xffff],
    [0x1f600, 0x1f64f], [0xff10, 0xff5a] /* fullwidth digits and letters */,
  ];
  let out = '';
  for (let k = 0; k < length; k += 1) {
    const [lo, hi] = r.pick(ranges);
    out += String.fromCharCode(...codeUnits(r.between(lo, hi)));
  }
  return out;
}

function codeUnits(cp) {
  if (cp < 0x10000) return [cp];
  const v = cp - 0x10000;
  return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
}

/** JSON text put into a body verbatim, for what JSON.stringify cannot write. */
class Raw {
  constructor(text) { this.text = text; }
}

const ODD_NUMBERS = [
  '1e309', '-1e309', '-0', '0', '18446744073709551616', '-9223372036854775809', '9223372036854775807',
  '1.7976931348623157e308', '5e-324', '-1e-400', '123456789012345678901234567890', '1E+2', '0.1e999999',
  '4294967296', '2147483648', '1e-7', '3.0', '10.5',
];
const BAD_NUMBERS = ['NaN', 'Infinity', '-Infinity', '0x10', '01', '1.', '.5', '+1', '1e', '--1', '1_000'];

/** Strings that look nearly right for some field but are not quite (or are, for another field). */
const TRICKY_STRINGS = [
  '', ' ', '\t', '\u0000', '\ufeff', 'null', 'undefined', 'true', '[]', '{}', '0', '-1',
  '943 476 5919 ', ' 943-476-5919', '９４３４７６５９１９', '94347659190', '943476591', '9434765918',
  '2026-02-29', '2000-02-30', '1849-12-31', '+275760-09-13', '2026-13-01', '0000-00-00', '99999-01-01',
  '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59+14:00', '0000-01-01T00:00:00Z', '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00+99:99', '2026-01-01T00:00:00.123456789123Z', '2026-01-01 00:00:00Z',
  '2026-01-01T00:00:00-00:00', '2026-W01-1T00:00:00Z', '1e10', '-9999-01-01T00:00:00Z',
  'PT9223372036854775807M', '99999999999999999999h', '1h'.repeat(500), 'P1D', 'PT0S', 'PT24H1S', '1441m',
  '0m', '-30m', '1.5h', '30 m', 'PT', 'P', '1h30m30s', '∞',
  'GIR 0AA', 'gir0aa', 'ＳＷ１Ａ １ＡＡ', 'SW1A 1AA\u0000', 'SW1A\u00a01AA', 'sw1a  1aa', 'QV1A 1AA',
  'ACTIVE', 'Missed', 'attended ', 'cancelled\u0000',
  'x'.repeat(200), 'x'.repeat(201), 'é'.repeat(201), 'e\u0301'.repeat(150), '\u202eevil', 'a\u2066b',
  '%00', '%ff', '../../etc/passwd', "'; DROP TABLE patients; --", '" OR 1=1 --', '\\', '\\u0000',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-fffffffffffg', '{{uuid}}',
];

/** Any JSON value a hostile client might send in place of a field. */
function junkValue(r, depth = 0) {
  return r.weighted([
    [6, () => unicode(r, r.int(40))],
    [6, () => r.pick(TRICKY_STRINGS)],
    [2, () => r.pick(['x', 'é', '张', '\u0000', '🙂', 'a\u0301']).repeat(r.pick([1000, 10_000, 30_000, 60_000]))],
    [5, () => new Raw(r.pick(ODD_NUMBERS))],
    [2, () => r.pick([true, false, null])],
    [3, () => (depth > 2 ? [] : Array.from({ length: r.int(4) }, () => junkValue(r, depth + 1)))],
    [3, () => (depth > 2 ? {} : Object.fromEntries(Array.from({ length: r.int(4) }, () => [unicode(r, 1 + r.int(8)), junkValue(r, depth + 1)])))],
    [1, () => { const n = r.pick([127, 128, 129, 1000, 10_000]); return new Raw('['.repeat(n) + ']'.repeat(n)); }],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Bodies: a list of [name, value] members, serialised by hand so that odd numbers, duplicate
// members and whitespace can be written exactly.

const encodeValue = (value) => {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(encodeValue).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${encodeValue(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

function encodeMembers(r, members) {
  const gap = () => (r.chance(0.1) ? r.pick([' ', '\n', '\t', '\r\n', '   ']) : '');
  return `{${gap()}${members.map(([k, v]) => `${JSON.stringify(k)}${gap()}:${gap()}${encodeValue(v)}`).join(`,${gap()}`)}${gap()}}`;
}

/** Known-invalid strings, per field: each fails that field's own parser. */
const INVALID = {
  nhs_number: ['1234567890', 'abc', '', '12345', '943476591９', '943 476 591 9 0'],
  patient: ['1234567890', 'abc', '', '12345', 'not-a-patient'],
  name: ['', '   ', 'x'.repeat(201), 'A\u0000B', 'A\u202eB', '\u0007'],
  date_of_birth: ['2000-02-30', '1849-12-31', '3000-01-01', '01/02/2000', ''],
  postcode: ['INVALID', '', 'SW1A 1AAA', '12345', 'SW1A'],
  time: ['2026-12-01T09:30:00', 'tomorrow', '2999-12-01T09:30:00.5Z', ''],
  duration: ['forever', '0m', '', '-30m', '1441m'],
  clinician: ['', '   ', 'x'.repeat(201), 'a\u0000b'],
  department: ['', '   ', 'x'.repeat(201), 'a\u0007b'],
  status: ['bogus', '', 'deleted', 'cancelled!'],
  id: ['not-a-uuid', '', '123', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
  username: [], // login refusals are checked by the server; nothing is stored
  password: [],
};
const SERVER_SET = ['created_at', 'updated_at'];

/**
 * Guarantees the members can never validate, whatever else was done to them: a field of the wrong
 * JSON type, an unknown member, a known-invalid value, a missing or null required field.
 * Duplicated members elsewhere only ever carry non-strings, so neither first nor last wins helps.
 */
function poison(r, members, { fields, required = [], patch = false }) {
  const set = (name, value) => {
    for (let k = members.length - 1; k >= 0; k -= 1) if (members[k][0] === name) members.splice(k, 1);
    members.splice(r.int(members.length + 1), 0, [name, value]);
  };
  const known = new Set([...fields, ...SERVER_SET]);
  const strategy = r.weighted([
    [3, 'wrong-type'], [3, 'unknown-member'], [3, 'invalid-value'], [1, 'missing'], [1, 'null'],
  ]);
  const withInvalid = fields.filter((f) => INVALID[f]?.length);
  if (strategy === 'wrong-type' && fields.length) {
    set(r.pick(fields), r.pick([new Raw(r.pick(ODD_NUMBERS)), true, false, [], {}, ['x'], { value: 'x' }, 0]));
  } else if (strategy === 'invalid-value' && withInvalid.length) {
    const field = r.pick(withInvalid);
    set(field, r.pick(INVALID[field]));
  } else if (strategy === 'missing' && required.length) {
    const field = r.pick(required);
    for (let k = members.length - 1; k >= 0; k -= 1) if (members[k][0] === field) members.splice(k, 1);
  } else if (strategy === 'null' && (patch ? fields : required).length) {
    set(r.pick(patch ? fields : required), null);
  } else {
    let name = r.pick([unicode(r, 1 + r.int(12)), r.ascii(1 + r.int(12)), 'shoe_size', 'Name', 'NHS_NUMBER', 'nhs_number ', '__proto__', 'constructor', '']);
    if (known.has(name)) name = `${name}_unknown`;
    set(name, junkValue(r));
  }
  return members;
}

/** Randomly corrupts a list of members (before the poison that makes them surely invalid). */
function corrupt(r, members, fields) {
  for (const member of members) if (r.chance(0.25)) member[1] = junkValue(r);
  for (let k = members.length - 1; k >= 0; k -= 1) if (r.chance(0.08)) members.splice(k, 1);
  const extra = r.weighted([[6, 0], [2, 1], [1, 3], [1, 40]]);
  for (let k = 0; k < extra; k += 1) members.push([r.chance(0.5) ? unicode(r, 1 + r.int(10)) : r.ascii(1 + r.int(10)), junkValue(r)]);
  if (r.chance(0.1) && fields.length) {
    // A duplicate member, always of a non-string type.
    members.splice(r.int(members.length + 1), 0, [r.pick(fields), r.pick([new Raw(r.pick(ODD_NUMBERS)), false, [], {}])]);
  }
  if (r.chance(0.2)) members.push([r.pick(SERVER_SET), junkValue(r)]);
  return members;
}

/** Turns (poisoned) members into what goes on the wire: mostly JSON text, sometimes far worse. */
function wireBody(r, members) {
  const text = encodeMembers(r, members);
  return r.weighted([
    [70, () => ({ body: text })],
    [5, () => ({ body: withInvalidUtf8(r, Buffer.from(text)) })],
    [4, () => {
      const n = r.pick([129, 1000, 10_000]);
      return { body: r.chance(0.5) ? '['.repeat(n) + ']'.repeat(n) : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` };
    }],
    [5, () => ({ body: r.chance(0.5) ? text + ' '.repeat(64 * 1024) : `{"name":"${'x'.repeat(70 * 1024)}",${text.slice(1)}` })],
    [4, () => ({ body: r.pick(['[]', '"text"', '42', 'null', 'true', `[${text}]`, '""', '1e309']) })],
    [4, () => ({ body: text.slice(0, r.int(Math.max(1, text.length - 1))) })],
    [3, () => ({ body: r.pick(['', ' ', '\n', '{', '}', '{{}}', '{"a" 1}', "{'a': 1}", '{"a":1,}', '\u0000']) })],
    [2, () => ({ body: `\ufeff${text}` })],
    [3, () => ({ body: r.chance(0.5) ? text : text + ' '.repeat(70 * 1024), stream: true })],
  ])();
}

function withInvalidUtf8(r, buffer) {
  const bad = r.pick([[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82]]);
  const at = r.int(buffer.length + 1);
  return Buffer.concat([buffer.subarray(0, at), Buffer.from(bad), buffer.subarray(at)]);
}

// ---------------------------------------------------------------------------------------------
// Headers.

/** Header text that fetch will send: no CR, LF or NUL, nothing above U+00FF. */
function headerJunk(r, length) {
  let out = '';
  for (let k = 0; k < length; k += 1) {
    out += String.fromCharCode(r.chance(0.85) ? r.between(0x20, 0x7e) : r.between(0xa0, 0xff));
  }
  return out.trim() || 'x';
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function forgedToken(r) {
  const [header, payload, signature] = worker.token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const sign = (h, p, key = randomKey(r), algorithm = 'sha256') =>
    `${h}.${p}.${createHmac(algorithm, key).update(`${h}.${p}`).digest('base64url')}`;
  return r.weighted([
    [2, () => `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`],
    [1, () => `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`],
    [1, () => `${b64url({ alg: 'NONE' })}.${payload}.`],
    [2, () => `${header}.${b64url({ ...claims, sub: r.pick(['2', '0', '-1', '1e3', 'admin', '99999999999999999999', '1 ', ' 1']) })}.${signature}`],
    [2, () => `${header}.${b64url({ ...claims, exp: claims.exp + 86_400 })}.${signature}`],
    [2, () => {
      const flip = (s) => { const k = r.int(s.length); return s.slice(0, k) + (s[k] === 'A' ? 'B' : 'A') + s.slice(k + 1); };
      return r.chance(0.5) ? `${header}.${payload}.${flip(signature)}` : `${header}.${flip(payload)}.${signature}`;
    }],
    [2, () => sign(header, payload)],
    [1, () => sign(b64url({ alg: 'HS512', typ: 'JWT' }), payload, randomKey(r), 'sha512')],
    [1, () => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`],
    [1, () => sign(header, b64url({ ...claims, exp: 1, iat: 0, nbf: 0 }))],
    [1, () => sign(header, b64url({ ...claims, aud: 'someone-else', iss: 'not-panda' }))],
    [1, () => sign(header, b64url({ ...claims, exp: new Raw('1e309') }))],
    [1, () => `${header}.${b64url('{"sub":1,"exp":1e309,"iat":-0}')}.${signature}`],
    [1, () => `${header}.${b64url('[]')}.${signature}`],
    [1, () => `${header}.${Buffer.from('{"sub":"\u00ff"').toString('base64url')}!.${signature}`],
    [1, () => `${worker.token}.${signature}`],
    [1, () => worker.token.split('.').slice(0, 2).join('.')],
    [1, () => `${worker.token}x`],
  ])();
}

const randomKey = (r) => r.ascii(32 + r.int(32));

function authorization(r) {
  return r.weighted([
    [85, () => `Bearer ${worker.token}`],
    [2, () => undefined],
    [1, () => ''],
    [1, () => 'Bearer'],
    [1, () => 'Bearer '],
    [1, () => `bearer ${worker.token}`],
    [1, () => `BEARER   ${worker.token}`],
    [1, () => `Bearer\t${worker.token}`],
    [2, () => `Bearer ${Buffer.from(headerJunk(r, 1 + r.int(200))).toString('base64')}`],
    [5, () => `Bearer ${forgedToken(r)}`],
    [1, () => `Basic ${Buffer.from('e2e-staff:not-the-password').toString('base64')}`],
    [1, () => r.pick(['Bearer a.b.c', 'Bearer ...', 'Bearer ..', `Bearer ${'.'.repeat(1000)}`, `Bearer ${'A'.repeat(10_000)}`])],
    [1, () => r.pick(['Digest username="x"', 'Token abc', `Bearer ${worker.token} extra`, `Bearer ${worker.token},Bearer x`, 'Negotiate YII='])],
    [1, () => headerJunk(r, 1 + r.int(300))],
  ])();
}

function acceptLanguage(r) {
  return r.weighted([
    [4, () => r.pick([
      'cy', 'fr-CA', 'de;q=0.9, cy;q=1', 'es;q=0', '*', '*;q=0', 'en-US,en;q=0.9', 'zh-Hant-TW', 'i-klingon',
      'x-private', 'en-GB-oed', 'cy;q=1.0001', 'fr;q=-1', 'de;q=NaN', 'es;q=1e3', 'cy;q=', 'fr;q=0.', 'de;q=.5',
      'es;q=00000.1', ';;;', ',,,', '=', ';q=1', 'q=0.5', '-', 'fr-', '-fr', 'fr--CA', 'ÿþ', 'de;q=0.5;q=0.9',
    ])],
    [2, () => Array.from({ length: 1 + r.int(200) }, () => `${r.ascii(1 + r.int(9), 'abcdefghijklmnopqrstuvwxyz-')}${r.chance(0.5) ? `;q=${r.pick(['0', '1', '0.5', '0.999', '2', '-0', '0.0000'])}` : ''}`).join(r.pick([',', ', ', ';', ',,']))],
    [1, () => headerJunk(r, 1 + r.int(2000))],
    [1, () => 'a'.repeat(r.pick([100, 5000, 20_000]))],
  ])();
}

function ifMatch(r) {
  return r.weighted([
    [3, () => r.pick(['W/"1-1"', '"0-1"', '"abc"', '""', '"', '"-1--1"', '"1-"', '"-1"', '"99999999999999999999-1"', '"1-99999999999999999999"', '"0-0", "1-1"', ' , ', '*,*', '"0-1"x'])],
    [1, () => `"0-${r.int(2_000_000_000)}"`],
    [1, () => Array.from({ length: 1 + r.int(2000) }, () => `"${r.int(5)}-${r.int(9)}"`).join(', ').replace(/^"\d/, '"0')],
    [1, () => headerJunk(r, 1 + r.int(20_000)).replace(/^\*/, 'x')],
  ])();
}

/** Content types for a JSON body: mostly right, sometimes not. */
function contentType(r, right) {
  return r.weighted([
    [75, () => r.pick(right)],
    [4, () => `${r.pick(right)}; charset=utf-8`],
    [2, () => r.pick(right).toUpperCase()],
    [1, () => `${r.pick(right)}; charset=latin1`],
    [1, () => `${r.pick(right)};;;;`],
    [3, () => undefined],
    [14, () => r.pick([
      'text/plain', '', 'application/jsonx', 'application/json-patch+json', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', 'application/merge-patch+json', 'application/json', '*/*', 'json', ';',
      'application/problem+json', 'text/json', headerJunk(r, 1 + r.int(1000)),
    ])],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Paths and query strings.

/** Percent-escapes random bytes (often not UTF-8), with some malformed escapes. */
function pathJunk(r) {
  return r.weighted([
    [3, () => Array.from({ length: 1 + r.int(20) }, () => `%${r.int(256).toString(16).padStart(2, '0')}`).join('')],
    [2, () => r.pick(['%', '%z1', '%%', '%2', '%G0', '%E5%BC', '%00', '%2F', '%2e%2e', '..', '.', '%20', '+', '~', ';', '@', ':'])],
    [2, () => encodeURIComponent(unicode(r, 1 + r.int(10)).replace(/[\ud800-\udfff]/g, '?'))],
    [2, () => r.ascii(1 + r.int(40), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:@')],
    [1, () => 'a'.repeat(r.pick([300, 4000, 12_000]))],
    [1, () => `${'9'.repeat(r.pick([11, 30, 400]))}`],
    [1, () => r.pick(['943%20476%205919', '943-476-5919-', '-9434765919', '9434765919%00', '%EF%BC%99434765919'])],
  ])();
}

function patientInPath(r) {
  return r.weighted([
    [4, () => encodeURIComponent(formatNhs(r, r.pick(patients).nhs_number))],
    [2, () => freshNhs(r)],
    [4, () => pathJunk(r)],
  ])();
}

function appointmentInPath(r) {
  return r.weighted([
    [4, () => r.pick(targets.allIds)],
    [1, () => r.pick(targets.allIds).toUpperCase()],
    [1, () => randomUuid(r)],
    [4, () => pathJunk(r)],
  ])();
}

const QUERY_VALUES = {
  limit: ['0', '1', '5', '200', '201', '-1', '1e309', '99999999999999999999', ' 5', '5 ', '0x10', '', '٣', '1.5', '%2B5'],
  status: ['active', 'attended', 'cancelled', 'missed', 'ACTIVE', 'bogus', ''],
  group_by: ['clinician', 'department', 'ward', '', 'CLINICIAN'],
  period: ['day', 'week', 'month', 'year', '', 'Day'],
  from: ['2026-01-01', '2020-01-01T00:00:00Z', '2026-01-01T00:00:00+01:00', '-9999-01-01', '+99999-01-01', '0000-01-01', '2026-02-30', '1970-01-01'],
  to: ['2027-01-01', '2999-01-01T00:00:00Z', '2026-01-01', '9999-12-31', '1969-12-31', '2026-1-1', '2026-01-01T00:00:00'],
};

function cursorValue(r) {
  const hex = (text) => Buffer.from(text).toString('hex');
  return r.pick([
    'zz', 'abc', '', 'f'.repeat(514), hex(r.pick(targets.allIds)), hex(`9999999999999999999|${randomUuid(r)}`),
    hex(`-9223372036854775808|`), hex('|'), 'ff', 'c0af', hex(`${Math.floor(Date.now() / 1000)}|zzz`), hex('0021403597'),
    hex(unicode(r, 5).replace(/[\ud800-\udfff]/g, '?')), hex("' OR 1=1 --"), hex('1e309|x'), hex(`1|${'a'.repeat(200)}`),
  ]);
}

function queryString(r, names) {
  const pairs = [];
  const count = r.weighted([[1, 0], [4, 1], [3, 2], [2, 4], [1, 12]]);
  for (let k = 0; k < count; k += 1) {
    const name = r.chance(0.85) ? r.pick(names) : r.pick(['', 'unknown', 'Limit', 'limit[]', unicode(r, 3), 'cursor ', '%ff']);
    let value;
    if (name === 'cursor') value = cursorValue(r);
    else if (name === 'patient') value = r.chance(0.5) ? formatNhs(r, r.pick(patients).nhs_number) : r.pick(TRICKY_STRINGS);
    else if (name === 'clinician' || name === 'department') value = r.chance(0.5) ? r.pick(['Dr Fuzz Target', 'oncology', 'Jason Holloway']) : unicode(r, r.int(30));
    else if (QUERY_VALUES[name] && r.chance(0.7)) value = r.pick(QUERY_VALUES[name]);
    else value = r.chance(0.5) ? r.pick(TRICKY_STRINGS) : unicode(r, r.int(20));
    const enc = (s) => r.weighted([
      [6, () => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))],
      [2, () => s.replace(/[^\x21-\x7e]/g, '+').replace(/[#&]/g, '')],
      [1, () => `${s.replace(/[^\x21-\x7e]/g, '').replace(/[#&]/g, '')}%${r.pick(['', 'z', 'ff', 'c0', 'e5%bc'])}`],
    ])();
    pairs.push(r.chance(0.05) ? enc(name) : `${enc(name)}=${enc(value.slice(0, 70_000))}`);
  }
  if (r.chance(0.05)) pairs.push(`${r.pick(names)}=${'a'.repeat(r.pick([1000, 10_000]))}`);
  const sep = r.chance(0.9) ? '&' : r.pick(['&&', ';', '&=&']);
  return pairs.length || r.chance(0.3) ? `?${pairs.join(sep)}` : '';
}

const LIST_PARAMS = ['limit', 'cursor'];
const APPOINTMENT_FILTERS = ['limit', 'cursor', 'patient', 'clinician', 'department', 'status', 'from', 'to'];
const STATS_PARAMS = ['group_by', 'period', 'from', 'to', 'clinician', 'department'];

/** Whether a DELETE to this path would reach a stored patient (mirrors PANDA's routing). */
function deletesStoredPatient(path) {
  let normalised;
  try { normalised = new URL(`http://127.0.0.1${path}`).pathname; } catch { return true; }
  // Both as the URL parser normalises it and as sent, in case the runtime passes it on unchanged.
  return [normalised, path.split(/[?#]/)[0]].some((pathname) => {
    const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
    const parts = trimmed.split('/');
    if (parts.length !== 4 || parts[0] !== '' || parts[1] !== 'v1' || parts[2] !== 'patients' || !parts[3]) return false;
    const decoded = Buffer.from(parts[3].replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    return seededNhs.has(decoded.replace(/[^0-9]/g, ''));
  });
}

// ---------------------------------------------------------------------------------------------
// Request kinds. Each returns { kind, method, path, headers, body?, stream?, raw?, write }.
// `write` marks requests aimed at a route that changes data: none of them may succeed.

const PATIENT_FIELDS = ['nhs_number', 'name', 'date_of_birth', 'postcode'];
const APPOINTMENT_FIELDS = ['id', 'patient', 'status', 'time', 'duration', 'clinician', 'department', 'postcode'];
const APPOINTMENT_REQUIRED = ['patient', 'time', 'duration', 'clinician', 'department', 'postcode'];
const APPOINTMENT_PATCH_FIELDS = ['id', 'patient', 'status', 'time', 'duration', 'clinician', 'department', 'postcode'];
const ALL_FIELDS = [...new Set([...PATIENT_FIELDS, ...APPOINTMENT_FIELDS, 'username', 'password'])];

function validPatientMembers(r) {
  return [
    ['nhs_number', formatNhs(r, r.chance(0.5) ? freshNhs(r) : r.pick(patients).nhs_number)],
    ['name', r.pick(['Fuzz Person', 'Zoë Ángel', '张伟', 'Ffion ap Rhys', 'O\'Brien-Smith'])],
    ['date_of_birth', r.pick(['1990-01-01', '2000-02-29', '1850-01-01'])],
    ['postcode', r.pick(['SW1A 1AA', 'sw1a1aa', 'GIR 0AA', 'M1 1AE'])],
  ];
}

function validAppointmentMembers(r) {
  const members = [
    ['patient', formatNhs(r, r.pick(patients).nhs_number)],
    ['time', futureTime(r)],
    ['duration', r.pick(['30m', '1h', 'PT45M', '1h30m'])],
    ['clinician', r.pick(['Dr Fuzz Target', `Ghost Clinician ${r.int(1000)}`])],
    ['department', r.pick(['oncology', `ghost-department-${r.int(1000)}`])],
    ['postcode', 'SW1A 1AA'],
  ];
  if (r.chance(0.3)) members.push(['id', r.chance(0.5) ? randomUuid(r) : r.pick(targets.allIds)]);
  if (r.chance(0.3)) members.push(['status', r.pick(['active', 'attended', 'cancelled', 'missed'])]);
  return members;
}

function validAppointmentPatch(r) {
  const all = [
    ['status', r.pick(['attended', 'cancelled'])],
    ['time', futureTime(r)],
    ['duration', r.pick(['15m', '2h'])],
    ['clinician', `Ghost Clinician ${r.int(1000)}`],
    ['department', `ghost-department-${r.int(1000)}`],
    ['postcode', 'M1 1AE'],
  ];
  return all.filter(() => r.chance(0.4));
}

function jsonWrite(r, { method, path, members, right }) {
  const wire = wireBody(r, members);
  const headers = {};
  const type = contentType(r, right);
  if (type !== undefined) headers['content-type'] = type;
  return { method, path, headers, ...wire, write: true };
}

const KINDS = [
  [12, 'patient-create', (r) => jsonWrite(r, {
    method: 'POST', path: '/v1/patients', right: ['application/json'],
    members: poison(r, corrupt(r, validPatientMembers(r), PATIENT_FIELDS), { fields: PATIENT_FIELDS, required: PATIENT_FIELDS }),
  })],
  [10, 'patient-patch', (r) => jsonWrite(r, {
    method: 'PATCH', path: `/v1/patients/${patientInPath(r)}`, right: ['application/merge-patch+json', 'application/json'],
    members: poison(r, corrupt(r, validPatientMembers(r).filter(() => r.chance(0.5)), PATIENT_FIELDS), { fields: PATIENT_FIELDS, patch: true }),
  })],
  [5, 'patient-delete', (r) => {
    const target = r.weighted([[3, () => freshNhs(r)], [3, () => pathJunk(r)], [1, () => `${freshNhs(r)}/`]])();
    const request = { method: 'DELETE', path: `/v1/patients/${target}`, headers: {}, write: true };
    if (r.chance(0.2)) Object.assign(request, wireBody(r, poison(r, [], { fields: PATIENT_FIELDS })));
    return request;
  }],
  [12, 'appointment-create', (r) => jsonWrite(r, {
    method: 'POST', path: '/v1/appointments', right: ['application/json'],
    members: poison(r, corrupt(r, validAppointmentMembers(r), APPOINTMENT_FIELDS), { fields: APPOINTMENT_FIELDS, required: APPOINTMENT_REQUIRED }),
  })],
  [12, 'appointment-patch', (r) => jsonWrite(r, {
    method: 'PATCH', path: `/v1/appointments/${appointmentInPath(r)}`, right: ['application/merge-patch+json', 'application/json'],
    members: poison(r, corrupt(r, validAppointmentPatch(r), APPOINTMENT_PATCH_FIELDS), { fields: APPOINTMENT_PATCH_FIELDS, patch: true }),
  })],
  [10, 'rule-breaking', (r) => ruleBreaking(r)],
  [20, 'read', (r) => {
    const [path, params] = r.pick([
      ['/v1/patients', LIST_PARAMS],
      [`/v1/patients/${patientInPath(r)}`, LIST_PARAMS],
      [`/v1/patients/${patientInPath(r)}/appointments`, APPOINTMENT_FILTERS],
      ['/v1/appointments', APPOINTMENT_FILTERS],
      [`/v1/appointments/${appointmentInPath(r)}`, LIST_PARAMS],
      ['/v1/stats/missed', STATS_PARAMS],
      ['/v1/clinicians', LIST_PARAMS],
      ['/v1/departments', LIST_PARAMS],
    ]);
    return { method: r.chance(0.9) ? 'GET' : 'HEAD', path: path + queryString(r, params), headers: {}, write: false };
  }],
  [3, 'sign-in', (r) => {
    let username = r.pick([unicode(r, r.int(20)), r.ascii(1 + r.int(64)), 'x'.repeat(65), '', 'nobody', 'admin', "' OR 1=1 --", 'a@b.c']);
    const folded = username.normalize('NFKC').toLowerCase();
    if (folded.includes('e2e') || folded.includes('staff')) username = 'nobody-here';
    const members = [['username', username], ['password', r.pick([unicode(r, r.int(30)), 'x'.repeat(12), 'x'.repeat(r.pick([1000, 60_000])), ''])]];
    corrupt(r, members, []);
    // Only ever an unknown username (never the seeded staff account, which five failures would lock).
    for (const member of members) if (member[0] === 'username' && typeof member[1] === 'string' && /e2e|staff/i.test(member[1].normalize('NFKC'))) member[1] = 'nobody-here';
    const wire = r.chance(0.7) ? { body: encodeMembers(r, members) } : wireBody(r, members);
    const headers = {};
    const type = contentType(r, ['application/json']);
    if (type !== undefined) headers['content-type'] = type;
    return { method: 'POST', path: '/v1/auth/token', headers, ...wire, write: false, noAuth: r.chance(0.7) };
  }],
  [12, 'junk-path', (r) => {
    const method = r.pick(['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD']);
    let path = r.weighted([
      [3, () => r.pick(['/v1/patients', '/v1/appointments', '/v1/auth/token', '/v1/stats/missed', '/v1/clinicians', '/v1/departments', '/health', '/openapi.json'])
        + r.pick(['/', '//', `/${pathJunk(r)}`, `/${pathJunk(r)}/${pathJunk(r)}`, '/..', '/%2e%2e', '/./', ';x', '%00', '.json', '?'])],
      [3, () => `/v1/patients/${patientInPath(r)}${r.pick(['', '/', '/appointments', '/appointments/', `/appointments/${pathJunk(r)}`, '/../..', `/${pathJunk(r)}`])}`],
      [2, () => `/v1/appointments/${appointmentInPath(r)}${r.pick(['', '/', `/${pathJunk(r)}`, '/..'])}`],
      [2, () => r.pick(['/', '', '/v1', '/v1/', '/v2/patients', '/V1/PATIENTS', '/v1/Patients', '/v1/auth', '/v1/stats', '/health/live',
        '/.env', '/v1//patients', '//v1/patients', '/v1/patients/..', '/v1/./patients', '/v1/patients%2F9434765919', '/%76%31/patients',
        '/favicon.ico', '/v1/appointments/../patients', '/\\v1\\patients', '/v1/patients/\u00e9', '/v1/patients/%E2%80%AE'])],
      [2, () => `/${Array.from({ length: 1 + r.int(8) }, () => pathJunk(r)).join('/')}`],
      [1, () => `/v1/patients/${'a/'.repeat(r.pick([10, 500, 2000]))}`],
    ])();
    const write = ['POST', 'PATCH', 'DELETE', 'PUT'].includes(method);
    const request = { method, path: path + (r.chance(0.2) ? queryString(r, APPOINTMENT_FILTERS) : ''), headers: {}, write, raw: r.chance(0.25) };
    if (write && r.chance(0.7)) {
      // Whatever route the path lands on, the one member is invalid there (wrong type, bad value, or unknown).
      Object.assign(request, wireBody(r, poison(r, [], { fields: ALL_FIELDS })));
      const type = contentType(r, ['application/json', 'application/merge-patch+json']);
      if (type !== undefined) request.headers['content-type'] = type;
    }
    return request;
  }],
  [4, 'health', (r) => ({ method: r.pick(['GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS']), path: r.pick(['/health', '/health/', '/health?x=1', '/openapi.json', '/health/live']), headers: {}, write: false })],
];

/**
 * Well-formed writes that a rule refuses: a taken NHS number or id, an unknown patient, an
 * appointment moved into the past or to another patient, a change to a final appointment, a
 * status only time may set, a stale If-Match, a record that does not exist.
 */
function ruleBreaking(r) {
  const json = (method, path, members, options = {}) => {
    const headers = { ...(options.headers ?? {}) };
    const type = contentType(r, method === 'PATCH' ? ['application/merge-patch+json', 'application/json'] : ['application/json']);
    if (type !== undefined) headers['content-type'] = type;
    return { method, path, headers, body: encodeMembers(r, members), write: true, fixedIfMatch: true };
  };
  const nonMatchingTag = () => r.pick(['"0-1"', 'W/"1-1"', `"0-${r.int(2_000_000_000)}"`, '"1-1"', '"abc"', `"0-1", "1-1"`]);
  const appointmentPatch = () => validAppointmentPatch(r).filter(([name]) => name !== 'status');
  return r.weighted([
    [3, () => json('POST', '/v1/patients', validPatientMembers(r).map(([k, v]) => [k, k === 'nhs_number' ? formatNhs(r, r.pick(patients).nhs_number) : v]))],
    [3, () => json('POST', '/v1/appointments', [...validAppointmentMembers(r).filter(([k]) => k !== 'id' && k !== 'status'),
      ['id', r.chance(0.7) ? r.pick(targets.allIds) : ` ${r.pick(targets.allIds).toUpperCase()} `]])],
    [3, () => json('POST', '/v1/appointments', validAppointmentMembers(r).filter(([k]) => k !== 'patient' && k !== 'id').concat([['patient', formatNhs(r, freshNhs(r))]]))],
    [2, () => json('PATCH', `/v1/appointments/${r.pick(targets.activeIds)}`, [
      ['time', r.pick(['2020-01-01T10:00:00Z', '1970-01-01T00:00:00Z', iso(new Date(Date.now() - 7_200_000))])],
      ...(r.chance(0.5) ? [['duration', '30m']] : []), ...(r.chance(0.3) ? [['clinician', `Ghost Clinician ${r.int(1000)}`]] : []),
    ], { headers: r.chance(0.3) ? { 'if-match': '*' } : {} })],
    [2, () => {
      const id = r.pick(targets.allIds);
      const other = r.pick(patients.filter((p) => p.nhs_number !== targets.patientOf.get(id))).nhs_number;
      return json('PATCH', `/v1/appointments/${id}`, [['patient', formatNhs(r, other)], ...appointmentPatch()]);
    }],
    [3, () => json('PATCH', `/v1/appointments/${r.pick(targets.finalIds)}`,
      [...validAppointmentPatch(r), ['clinician', `Ghost Clinician ${r.int(1000)}`], ...(r.chance(0.3) ? [['status', 'active']] : [])],
      { headers: r.chance(0.3) ? { 'if-match': '*' } : {} })],
    [2, () => json('PATCH', `/v1/appointments/${r.pick(targets.activeIds)}`, [['status', 'missed'], ...appointmentPatch()])],
    [3, () => json('PATCH', `/v1/patients/${encodeURIComponent(formatNhs(r, r.pick(patients).nhs_number))}`,
      [['name', 'Ghost Name'], ...(r.chance(0.5) ? [['postcode', 'M1 1AE']] : [])], { headers: { 'if-match': nonMatchingTag() } })],
    [2, () => json('PATCH', `/v1/appointments/${r.pick(targets.activeIds)}`,
      [['clinician', `Ghost Clinician ${r.int(1000)}`], ...(r.chance(0.5) ? [['status', r.pick(['attended', 'cancelled'])]] : [])],
      { headers: { 'if-match': nonMatchingTag() } })],
    [2, () => ({ method: 'DELETE', path: `/v1/patients/${encodeURIComponent(formatNhs(r, freshNhs(r)))}`, headers: {}, write: true, fixedIfMatch: true })],
    [1, () => json('PATCH', `/v1/patients/${freshNhs(r)}`, [['name', 'Ghost Name']])],
    [1, () => json('PATCH', `/v1/appointments/${randomUuid(r)}`, [['clinician', `Ghost Clinician ${r.int(1000)}`]])],
    [2, () => {
      const patient = r.pick(patients);
      return json('PATCH', `/v1/patients/${patient.nhs_number}`, [['nhs_number', formatNhs(r, freshNhs(r))], ['name', 'Ghost Name']]);
    }],
  ])();
}

/** Request `index`, fully determined by the seed and the index. */
function generate(index) {
  const r = rngFor(index);
  const [, kind, build] = r.weighted(KINDS.map((entry) => [entry[0], entry]));
  const request = { kind, ...build(r) };
  if (!request.noAuth) {
    const value = authorization(r);
    if (value !== undefined) request.headers.authorization = value;
  }
  if (r.chance(0.4)) request.headers['accept-language'] = acceptLanguage(r);
  if (!request.fixedIfMatch && r.chance(request.method === 'PATCH' ? 0.4 : 0.05)) request.headers['if-match'] = ifMatch(r);
  if (r.chance(0.08)) {
    for (let k = r.int(30); k >= 0; k -= 1) request.headers[`x-${r.ascii(1 + r.int(20))}`] = headerJunk(r, 1 + r.int(200));
  }
  if (r.chance(0.05)) {
    request.headers.origin = r.pick(['http://localhost:5173', 'http://127.0.0.1:5173', 'null', 'http://evil.example', '*', '', headerJunk(r, 1 + r.int(300))]);
    if (r.chance(0.5)) request.headers['access-control-request-method'] = r.pick(['GET', 'PATCH', 'DELETE', 'PUT', 'TRACE', headerJunk(r, 20)]);
    if (r.chance(0.3)) request.headers['access-control-request-headers'] = r.pick(['authorization, content-type', 'if-match', '*', headerJunk(r, 200)]);
  }
  if (r.chance(0.03)) request.headers['content-encoding'] = r.pick(['gzip', 'br', 'deflate', 'identity', 'bogus']);
  if (r.chance(0.03)) request.headers.accept = r.pick(['text/html', 'application/xml', '*/*;q=0', headerJunk(r, 100)]);
  // Never the runtime's own routes (/cdn-cgi/handler/scheduled would run the sweep).
  if (/cdn-cgi/i.test(request.path)) request.path = '/v1/nothing';
  // A DELETE never names a stored patient, in any spelling the router would accept.
  if (request.method === 'DELETE' && deletesStoredPatient(request.path)) request.path = '/v1/patients/0000000000';
  if (request.method === 'GET' || request.method === 'HEAD') {
    delete request.body;
    delete request.stream;
  }
  return request;
}

// ---------------------------------------------------------------------------------------------
// Sending.

async function send(request) {
  const url = worker.url + request.path;
  if (request.raw) return sendRaw(request);
  const init = { method: request.method, headers: request.headers, redirect: 'manual', signal: AbortSignal.timeout(60_000) };
  if (request.body !== undefined) {
    if (request.stream) {
      const bytes = Buffer.from(request.body);
      init.body = new ReadableStream({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 16 * 1024) controller.enqueue(bytes.subarray(at, at + 16 * 1024));
          controller.close();
        },
      });
      init.duplex = 'half';
    } else {
      init.body = request.body;
    }
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text };
}

/** Through node:http, so the path reaches the server unnormalised (`..`, `//`, `%2e`). */
function sendRaw(request) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(worker.url);
    // Always an origin-form target ("/..."): workerd itself answers anything else with a bare 500
    // before any worker runs, which says nothing about PANDA.
    const escaped = request.path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c.replace(/[\ud800-\udfff]/g, '?')));
    const path = escaped.startsWith('/') ? escaped : `/${escaped}`;
    // node:http sends a DELETE or OPTIONS body with no framing at all unless told its length.
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const req = http.request({ host: hostname, port, method: request.method, path, headers, timeout: 60_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

const describe = (index, request) =>
  `#${index} (seed ${SEED}) ${request.kind}: ${request.method} ${request.path.slice(0, 300)}${request.path.length > 300 ? '…' : ''}` +
  ` headers=${JSON.stringify(Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v).slice(0, 120)])))}` +
  (request.body !== undefined ? ` body(${Buffer.byteLength(request.body)} bytes${request.stream ? ', chunked' : ''})=${JSON.stringify(Buffer.from(request.body).toString('utf8', 0, 300))}` : '');

/** What is wrong with one answer, if anything. */
function problemsWith(request, response) {
  const problems = [];
  if (response.status >= 500) problems.push(`answered ${response.status}`);
  if (request.write && response.status >= 200 && response.status < 300) problems.push(`a write that must be refused answered ${response.status}`);
  if (response.status >= 400 && response.status < 500) {
    if (response.contentType !== 'application/problem+json') problems.push(`${response.status} with content-type ${response.contentType}`);
    if (request.method !== 'HEAD') {
      let body;
      try { body = JSON.parse(response.text); } catch { body = undefined; }
      if (!body || typeof body.code !== 'string' || !body.code) problems.push(`${response.status} without a JSON body with a code`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

async function seed() {
  const ok = async (what, response, status) => assert.equal(response.status, status, `${what}: ${response.text}`);
  for (const patient of patients) await ok('seed patient', await worker.request('/v1/patients', { method: 'POST', json: patient }), 201);
  for (const appointment of fixtureAppointments) {
    const created = await worker.request('/v1/appointments', { method: 'POST', json: appointment });
    await ok('seed appointment', created, 201);
    targets.patientOf.set(appointment.id, appointment.patient);
    targets.allIds.push(appointment.id);
    // Most example appointments are over: attended, cancelled, or (still stored active) missed.
    (created.body.status === 'active' ? targets.activeIds : targets.finalIds).push(appointment.id);
  }
  const future = [];
  for (const [k, patient] of patients.entries()) {
    const created = await worker.request('/v1/appointments', {
      method: 'POST',
      json: {
        patient: patient.nhs_number, time: iso(new Date(Date.now() + (k + 2) * 86_400_000)), duration: ['30m', '1h', '15m'][k % 3],
        clinician: 'Dr Fuzz Target', department: 'oncology', postcode: 'SW1A 1AA',
      },
    });
    await ok('seed future appointment', created, 201);
    targets.patientOf.set(created.body.id, patient.nhs_number);
    targets.allIds.push(created.body.id);
    future.push(created.body.id);
  }
  for (const [k, id] of future.entries()) {
    if (k < 6) {
      const status = k % 2 ? 'attended' : 'cancelled';
      const patched = await worker.request(`/v1/appointments/${id}`, {
        method: 'PATCH', json: { status }, headers: { 'content-type': 'application/merge-patch+json' },
      });
      await ok('seed final appointment', patched, 200);
      targets.finalIds.push(id);
    } else {
      targets.activeIds.push(id);
    }
  }
}

/** Every stored row of every table PANDA keeps, in a stable order. */
async function snapshot() {
  const tables = ['patients', 'appointments', 'clinicians', 'departments', 'users'];
  const columns = await worker.d1(
    `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
      WHERE m.type = 'table' AND m.name IN (${tables.map((t) => `'${t}'`).join(', ')}) ORDER BY m.name, p.cid`,
  );
  const parts = tables.map((table) => {
    const cols = columns.filter((c) => c.tbl === table).map((c) => c.col);
    assert.ok(cols.length > 0, `no columns found for ${table}`);
    const row = `json_array(${cols.map((c) => `"${c}"`).join(', ')})`;
    return `SELECT '${table}' AS tbl, ${row} AS row FROM "${table}"`;
  });
  const rows = await worker.d1(`SELECT tbl, row FROM (${parts.join(' UNION ALL ')}) ORDER BY tbl, row`);
  const byTable = Object.fromEntries(tables.map((t) => [t, []]));
  for (const { tbl, row } of rows) byTable[tbl].push(JSON.parse(row));
  return byTable;
}

test(`thousands of hostile requests change nothing and break nothing (seed ${SEED})`, { timeout: 300_000 }, async (t) => {
  t.diagnostic(`seed ${SEED} (reproduce with PANDA_FUZZ_SEED=${SEED}), ${COUNT} requests, ${IN_FLIGHT} in flight`);
  await seed();
  const before = await snapshot();
  assert.equal(before.patients.length, SEEDED_PATIENTS);
  assert.equal(before.appointments.length, fixtureAppointments.length + SEEDED_PATIENTS);
  t.diagnostic(`stored before: ${Object.entries(before).map(([table, rows]) => `${rows.length} ${table}`).join(', ')}`);
  const logStart = worker.logs().length;

  const byStatus = new Map();
  const byKind = new Map();
  const failures = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < COUNT) {
      const index = next;
      next += 1;
      const request = generate(index);
      let response;
      try {
        response = await send(request);
      } catch (error) {
        failures.push(`${describe(index, request)}\n    -> the request failed: ${error.cause?.message ?? error.message}`);
        continue;
      }
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      const kindCounts = byKind.get(request.kind) ?? new Map();
      kindCounts.set(response.status, (kindCounts.get(response.status) ?? 0) + 1);
      byKind.set(request.kind, kindCounts);
      const problems = problemsWith(request, response);
      if (problems.length) {
        failures.push(`${describe(index, request)}\n    -> ${problems.join('; ')}: ${response.contentType} ${response.text.slice(0, 400)}`);
      }
    }
  }));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = [...byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
  t.diagnostic(`${COUNT} requests in ${seconds} s; by status: ${counts}`);
  for (const [kind, statuses] of byKind) {
    t.diagnostic(`  ${kind}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  }

  await new Promise((resolve) => setTimeout(resolve, 500)); // log lines can lag their response
  const logs = worker.logs().slice(logStart);
  const restarted = /Reloading local server|restarted mid-request/.test(logs)
    ? '\n(NOTE: wrangler reloaded the worker during the run, because sources changed; in-flight requests then fail with 503.)'
    : '';
  assert.deepEqual(failures.slice(0, 15), [], `${failures.length} of ${COUNT} answers were wrong${restarted}:\n${failures.slice(0, 15).join('\n')}`);

  // Per-request lines ("[wrangler:info] GET /path 404 ...") echo client-chosen paths; skip them.
  const logProblems = logs.split('\n').filter((line) => !line.startsWith('[wrangler:info]') && /panicked|RuntimeError|unreachable/i.test(line));
  assert.deepEqual(logProblems, [], `the worker logged a crash:\n${logs.slice(-4000)}`);

  const afterwards = await snapshot();
  for (const table of Object.keys(before)) {
    assert.deepEqual(afterwards[table], before[table], `stored ${table} changed (seed ${SEED})`);
  }
  const health = await worker.request('/health', { auth: false });
  assert.equal(health.status, 200, health.text);
  assert.deepEqual(health.body, { status: 'ok', database: 'ok' });
  assert.equal((await worker.request(`/v1/patients/${patients[0].nhs_number}`)).status, 200, 'the token still works');
});

test('a method PANDA does not serve is a 405, not read as a GET', async () => {
  // fetch sends these unchanged and workerd passes them on; PANDA must not treat them as GET.
  for (const method of ['PROPFIND', 'PURGE', 'MKCOL']) {
    const response = await worker.request(`/v1/patients/${patients[0].nhs_number}`, { method });
    assert.equal(response.status, 405, `${method} /v1/patients/{nhs_number} answered ${response.status}: ${response.text.slice(0, 200)}`);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(response.body?.code, 'method-not-allowed');
    assert.equal(response.headers.get('allow'), 'GET, PATCH, DELETE');
  }
});
