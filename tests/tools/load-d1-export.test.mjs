// The reader of `wrangler d1 export` files (scripts/load-d1-export.mjs), without a database: the
// lines below are as wrangler 4.86 writes them (tests/e2e/d1-to-postgres.test.mjs loads a real
// export end to end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  statements, parseStatement, copyField, readExport, libpqEnvironment, loadScript, LOAD_ORDER, ExportError,
} from '../../scripts/load-d1-export.mjs';

async function cut(text, size = text.length) {
  const chunks = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  const out = [];
  for await (const { text: statement } of statements(chunks)) out.push(statement.trim());
  return out;
}

const TRIGGER = `CREATE TRIGGER users_audit_disabled_or_enabled AFTER UPDATE OF disabled ON users
WHEN OLD.disabled IS NOT NEW.disabled
BEGIN
    INSERT INTO audit_events (at, actor, action) SELECT at, actor, CASE NEW.disabled WHEN 1 THEN 'user.disabled' ELSE 'user.enabled' END
      FROM audit_actor;
    SELECT RAISE(ABORT, 'a message; with a semicolon');
END`;

const SAMPLE = [
  'PRAGMA defer_foreign_keys=TRUE',
  `INSERT INTO "clinicians" VALUES(1,'it''s; not -- a comment /* nor this */',-5)`,
  '-- a comment; with a quote \' in it\nINSERT INTO "clinicians" VALUES(2,\'x\',1)',
  '/* a block; comment */ CREATE INDEX a ON b (c)',
  TRIGGER,
  `CREATE TABLE "semi;colon" ("a""b" TEXT, [c;d] TEXT, \`e;f\` TEXT)`,
];

test('statements are cut where SQLite cuts them, however the file arrives in chunks', async () => {
  const text = SAMPLE.join(';\n') + ';';
  for (const size of [1, 2, 3, 5, 7, 64, text.length]) {
    assert.deepEqual(await cut(text, size), SAMPLE, `chunks of ${size}`);
  }
  assert.deepEqual(await cut('SELECT 1;;\n  ;SELECT 2'), ['SELECT 1', 'SELECT 2'], 'empty statements are dropped, the last needs no ;');
});

test('a file that ends inside a string is refused as incomplete', async () => {
  await assert.rejects(cut(`INSERT INTO "patients" VALUES('1373645350','Dr Glenn`), /ends inside a quoted string.*is the export complete/);
});

test('values are read as SQLite evaluates them: quotes, line breaks, signs, NULL, any script', () => {
  // As the dump writes a name with a line feed, a CR LF, a tab and a literal backslash-n.
  const row = parseStatement(String.raw`INSERT INTO "clinicians" VALUES(1,replace(replace('a\nb\r\nc\n` + '\t' + String.raw`d','\r',char(13)),'\n',char(10)),-5)`);
  assert.deepEqual(row.rows, [[1, 'a\nb\r\nc\n\td', -5].map((v, i) => (i === 1 ? v : { number: String(v) }))]);
  const names = parseStatement(`INSERT INTO "patients" VALUES('1953262716','Siobhán O''Brien-"Ní" 李小龍 Ångström\\back',NULL,1.5,+3)`);
  assert.deepEqual(names.rows[0], ['1953262716', 'Siobhán O\'Brien-"Ní" 李小龍 Ångström\\back', null, { number: '1.5' }, { number: '3' }]);
  assert.deepEqual(parseStatement(`INSERT INTO "departments" VALUES(1,X'6869',0)`).rows[0][1], { blob: '6869' });
  assert.deepEqual(parseStatement(`INSERT INTO t (a, "b") VALUES (1, 'x'), (2, 'y')`),
    { kind: 'rows', table: 't', columns: ['a', 'b'], rows: [[{ number: '1' }, 'x'], [{ number: '2' }, 'y']] });
  assert.throws(() => parseStatement(`INSERT INTO t VALUES(lower('X'))`), /a function this loader does not evaluate: lower/);
  assert.throws(() => parseStatement(`INSERT INTO t VALUES(1 2)`), /unexpected 2/);
});

test('a CREATE TABLE gives its columns in order, the generated ones marked, constraints left out', () => {
  const appointments = parseStatement(`CREATE TABLE IF NOT EXISTS "appointments" (
    id TEXT NOT NULL PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'attended')),
    ends_at INTEGER NOT NULL GENERATED ALWAYS AS (starts_at + duration_minutes * 60) VIRTUAL,
    total INTEGER AS (1 + 2),
    clinician_id INTEGER NOT NULL REFERENCES clinicians (id),
    PRIMARY KEY (id), UNIQUE (status, id), CONSTRAINT c CHECK (1), FOREIGN KEY (x) REFERENCES y (z)
  , search_name TEXT) WITHOUT ROWID`);
  assert.equal(appointments.table, 'appointments');
  assert.deepEqual(appointments.columns, [
    { name: 'id', generated: false }, { name: 'status', generated: false }, { name: 'ends_at', generated: true },
    { name: 'total', generated: true }, { name: 'clinician_id', generated: false }, { name: 'search_name', generated: false },
  ]);
  assert.deepEqual(parseStatement(TRIGGER), { kind: 'other' });
});

test('fields are written in COPY text form: backslashes, line breaks and tabs escaped, NULL as \\N', () => {
  assert.equal(copyField(null), '\\N');
  assert.equal(copyField('a\\b\nc\rd\te'), 'a\\\\b\\nc\\rd\\te');
  assert.equal(copyField({ number: '-3600' }), '-3600');
  assert.equal(copyField('李小龍 "quoted" \'single\''), '李小龍 "quoted" \'single\'');
});

function exportFile(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'panda-load-test-'));
  const path = join(dir, 'export.sql');
  writeFileSync(path, lines.join('\n'));
  return { dir, path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('an export is read into one COPY file per table, generated columns and non-data tables left out', async () => {
  const { dir, path, done } = exportFile([
    'PRAGMA defer_foreign_keys=TRUE;',
    'CREATE TABLE d1_migrations(\n\t\tid INTEGER PRIMARY KEY AUTOINCREMENT,\n\t\tname TEXT UNIQUE,\n\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n);',
    `INSERT INTO "d1_migrations" VALUES(1,'0001_patients_and_appointments.sql','2026-12-02 06:57:02');`,
    'CREATE TABLE patients (\n    nhs_number TEXT NOT NULL PRIMARY KEY,\n    name TEXT NOT NULL\n, search_name TEXT);',
    `INSERT INTO "patients" VALUES('1373645350',replace('Two\\nlines','\\n',char(10)),NULL);`,
    'CREATE TABLE IF NOT EXISTS "appointments" (\n    id TEXT NOT NULL PRIMARY KEY,\n    starts_at INTEGER NOT NULL,\n    ends_at INTEGER NOT NULL GENERATED ALWAYS AS (starts_at + 60) VIRTUAL,\n    version INTEGER NOT NULL DEFAULT 1\n);',
    `INSERT INTO "appointments" VALUES('d36f7c69-c3f6-462d-a574-fa1c9471e6a8',1577869200,2);`,
    'CREATE TABLE account_guard (\n    refused INTEGER NOT NULL CHECK (refused = 0)\n);',
    'CREATE TABLE audit_events (id INTEGER NOT NULL PRIMARY KEY, changes TEXT);',
    `INSERT INTO "audit_events" VALUES(1,'{"name":{"before":null,"after":"O''Brien \\\\ \\"x\\""}}');`,
    'CREATE TABLE audit_context (only INTEGER NOT NULL PRIMARY KEY);',
    'DELETE FROM sqlite_sequence;',
    `INSERT INTO "sqlite_sequence" VALUES('d1_migrations',10);`,
    'CREATE INDEX appointments_by_time ON appointments (starts_at, id);',
    TRIGGER + ';',
  ]);
  try {
    const { tables, migrations, schemas } = await readExport(path, dir);
    assert.deepEqual(migrations, ['0001_patients_and_appointments.sql']);
    assert.ok(schemas.has('d1_migrations'));
    assert.deepEqual([...tables.keys()].sort(), ['appointments', 'audit_events', 'patients']);
    assert.deepEqual(tables.get('appointments').columns, ['id', 'starts_at', 'version']);
    assert.equal(readFileSync(tables.get('appointments').file, 'utf8'), 'd36f7c69-c3f6-462d-a574-fa1c9471e6a8\t1577869200\t2\n');
    assert.equal(readFileSync(tables.get('patients').file, 'utf8'), '1373645350\tTwo\\nlines\t\\N\n');
    // The JSON text exactly, its backslashes escaped once more for COPY.
    assert.equal(readFileSync(tables.get('audit_events').file, 'utf8'), '1\t{"name":{"before":null,"after":"O\'Brien \\\\\\\\ \\\\"x\\\\""}}\n');
    assert.deepEqual([...tables.values()].map((t) => t.rows), [1, 1, 1]);
  } finally {
    done();
  }
});

test('an export that cannot be loaded exactly is refused with the line and the reason', async () => {
  const cases = [
    [['CREATE TABLE strangers (a TEXT);'], /a table this loader does not know: strangers/],
    [[`INSERT INTO "patients" VALUES('1373645350');`], /line 1: rows for patients without its CREATE TABLE.*without --no-schema/],
    [['CREATE TABLE patients (a TEXT, b TEXT);', `INSERT INTO "patients" VALUES('x');`], /line 2: a row of patients has 1 values for 2 columns \(a, b\)/],
    [['CREATE TABLE clinicians (id INTEGER, name TEXT);', `INSERT INTO "clinicians" VALUES(1,X'6869');`], /a BLOB in clinicians.name/],
  ];
  for (const [lines, message] of cases) {
    const { dir, path, done } = exportFile(lines);
    try {
      await assert.rejects(readExport(path, dir), (e) => e instanceof ExportError && message.test(e.message));
    } finally {
      done();
    }
  }
});

test('psql is given the URL as libpq variables, never as an argument that shows in ps', () => {
  assert.deepEqual(libpqEnvironment('postgres://panda:p%40ss%3Aword@db.example.org:6432/panda?sslmode=verify-full'), {
    PGCLIENTENCODING: 'UTF8', PGHOST: 'db.example.org', PGPORT: '6432', PGUSER: 'panda', PGPASSWORD: 'p@ss:word',
    PGDATABASE: 'panda', PGSSLMODE: 'verify-full',
  });
  assert.throws(() => libpqEnvironment('mysql://x@y/z'), /postgres:\/\/ URL/);
  assert.throws(() => libpqEnvironment('postgres://x@y/z?frobnicate=1'), /frobnicate/);
  assert.throws(() => libpqEnvironment('postgres://x@y'), /names no database/);
});

test('the load script refuses a non-empty target first, keeps triggers off while copying and checks every count', () => {
  const tables = new Map(LOAD_ORDER.map((t, k) => [t, { columns: ['id'], rows: k + 1, file: `/tmp/x/${t}.copy` }]));
  tables.set('patient_name_pairs', { columns: ['id'], rows: 0, file: null });
  const script = loadScript(tables);
  const at = (text) => script.indexOf(text);
  assert.ok(at('BEGIN;') === 0 && script.trimEnd().endsWith('COMMIT;'));
  assert.ok(at('LOCK TABLE') < at('refused:') && at('refused:') < at('DISABLE TRIGGER USER'));
  assert.ok(at('ALTER TABLE "audit_events" DISABLE TRIGGER USER') < at('\\copy "patients"'));
  assert.ok(at('\\copy "patients"') < at('\\copy "appointments"') && at('\\copy "appointments"') < at('ENABLE TRIGGER USER'));
  assert.ok(!script.includes('\\copy "patient_name_pairs"'), 'an empty table has nothing to copy');
  for (const t of ['users', 'clinicians', 'departments', 'audit_events']) assert.ok(script.includes(`setval(pg_get_serial_sequence('${t}', 'id')`), t);
  assert.ok(script.includes(`IF (SELECT count(*) FROM "audit_events") <> ${LOAD_ORDER.length} THEN`));
  assert.ok(script.includes('IF (SELECT count(*) FROM "patient_name_pairs") <> 0 THEN'));
});
