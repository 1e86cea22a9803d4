// Loads the SQL file `wrangler d1 export` writes into a PostgreSQL database for the native server
// (README, "Moving the data from D1 to PostgreSQL"). Run through scripts/d1-to-postgres.sh:
//   node scripts/load-d1-export.mjs <export.sql> [<postgres-url>]     (else DATABASE_URL)
//
// What an export looks like (wrangler 4.86, `--local`; D1 writes `--remote` ones with the same
// dump code, which miniflare copies): `PRAGMA defer_foreign_keys=TRUE;`, then per table its CREATE
// TABLE as SQLite stores it (comments stripped, columns added by ALTER TABLE appended at the end)
// and one `INSERT INTO "table" VALUES(...);` per row, with no column list: the values follow the
// table's columns without the generated ones (appointments' ends_at). Text is a '...' literal
// with '' for a quote and raw UTF-8; one holding a line break is written
// `replace('a\nb','\n',char(10))` (and `\r` with char(13)), so a literal backslash-n beside a line
// break comes back as a line break, as it would in D1 itself. Numbers are JavaScript numbers
// (integers beyond 2^53 are already rounded in the file), NULL is NULL, blobs X'..'. Indexes,
// triggers and views come last; statements span lines, and trigger bodies hold semicolons.
//
// So the file is read with a tokenizer for SQLite's lexical rules (strings, quoted identifiers,
// comments, CREATE TRIGGER ... END), never by lines, and each value is evaluated as SQLite would.
// The rows go to PostgreSQL with COPY, in one transaction with PANDA's triggers off, and the
// counts are checked before it commits.
import { createReadStream, mkdtempSync, openSync, writeSync, closeSync, readdirSync, rmSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The tables holding PANDA's data, in an order that satisfies every foreign key. */
export const LOAD_ORDER = [
  'patients', 'users', 'clinicians', 'departments', 'appointments',
  'patient_name_words', 'patient_name_pairs', 'patient_search_vocabulary', 'appointment_day_counts',
  'audit_events',
];

/** Tables with identity ids on PostgreSQL, whose sequences must continue after the loaded rows. */
export const IDENTITY_TABLES = ['users', 'clinicians', 'departments', 'audit_events'];

/**
 * Tables of the export that are not data: wrangler's own (d1_migrations, and sqlite_sequence for
 * its AUTOINCREMENT), Cloudflare's (_cf_*), migration 0005's account_guard (never written, always
 * empty), and audit_context (filled and emptied inside each write transaction, so empty here).
 */
export function skipped(table) {
  return ['d1_migrations', 'sqlite_sequence', 'account_guard', 'audit_context'].includes(table)
    || table.startsWith('_cf_') || table.startsWith('sqlite_');
}

export class ExportError extends Error {}

// ---- Statements: the file cut where SQLite would cut it ----------------------------------------

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Cuts SQL text, arriving in chunks of any size, into statements (without their `;`), as
 * sqlite3_complete() does: a `;` ends a statement unless it is inside a string, a quoted
 * identifier or a comment, or inside a CREATE TRIGGER before its final `END`.
 * Yields { text, line } with the line the statement starts on.
 */
export async function* statements(chunks) {
  let text = ''; // the statement so far, up to the current chunk
  // code | quote (inside '...', "...", `...` or [...], closing with `close`) | quote-end (a
  // closing quote seen: a second one is the quote itself) | line-comment | block-comment |
  // dash, slash, star (the first character of --, /*, */, whose second may be in the next chunk)
  let state = 'code';
  let close = '';
  let word = '';
  let words = []; // the statement's first three words, to tell a CREATE TRIGGER
  let lastWord = '';
  let line = 1;
  let startLine = 0; // 0 until the statement's first character that is not a space
  const endWord = () => {
    if (!word) return;
    if (words.length < 3) words.push(word.toUpperCase());
    lastWord = word.toUpperCase();
    word = '';
  };
  const isTrigger = () => words[0] === 'CREATE'
    && (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
  const countLines = (chunk, from, to) => {
    for (let k = chunk.indexOf('\n', from); k >= 0 && k < to; k = chunk.indexOf('\n', k + 1)) line++;
  };

  for await (const chunk of chunks) {
    let from = 0; // where the chunk's part of `text` begins
    let i = 0;
    while (i < chunk.length) {
      const c = chunk[i];
      if (state === 'quote') {
        // Most of an export is inside strings: jump to the next closing quote.
        const end = chunk.indexOf(close, i);
        const stop = end < 0 ? chunk.length : end;
        countLines(chunk, i, stop);
        if (end < 0) { i = chunk.length; break; }
        state = close === ']' ? 'code' : 'quote-end';
        i = end + 1;
        continue;
      }
      if (state === 'quote-end') {
        state = c === close ? 'quote' : 'code';
        if (state === 'quote') { i++; continue; }
      } else if (state === 'dash' || state === 'slash') {
        const second = state === 'dash' ? '-' : '*';
        state = c === second ? (c === '-' ? 'line-comment' : 'block-comment') : 'code';
        if (state !== 'code') { i++; continue; }
      } else if (state === 'line-comment') {
        if (c === '\n') { line++; state = 'code'; }
        i++;
        continue;
      } else if (state === 'block-comment' || state === 'star') {
        if (c === '\n') line++;
        state = state === 'star' && c === '/' ? 'code' : c === '*' ? 'star' : 'block-comment';
        i++;
        continue;
      }
      // Code.
      if (c === '\n') line++;
      if (WORD.test(c)) {
        if (!startLine) startLine = line;
        word += c;
        i++;
        continue;
      }
      endWord();
      if (c === ';') {
        if (isTrigger() && lastWord !== 'END') { lastWord = ''; i++; continue; }
        text += chunk.slice(from, i);
        if (text.trim()) yield { text, line: startLine };
        text = ''; words = []; lastWord = ''; startLine = 0;
        from = ++i;
        continue;
      }
      if (!/\s/.test(c)) {
        if (!startLine) startLine = line;
        lastWord = '';
      }
      if (c === "'" || c === '"' || c === '`' || c === '[') { state = 'quote'; close = c === '[' ? ']' : c; }
      else if (c === '-') state = 'dash';
      else if (c === '/') state = 'slash';
      i++;
    }
    text += chunk.slice(from);
  }
  endWord();
  if (state === 'quote' || state === 'block-comment' || state === 'star') {
    throw new ExportError(`the file ends inside a ${state === 'quote' ? 'quoted string' : 'comment'} (statement from line ${startLine}): is the export complete?`);
  }
  if (text.trim()) yield { text, line: startLine || line };
}

// ---- Tokens and values within one statement ------------------------------------------------------

/** SQLite's tokens: { type: word|string|ident|number|blob|punct, value }. Comments are dropped. */
export function tokenize(sql) {
  const tokens = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new ExportError('a comment that never ends');
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let value = '';
      let j = i + 1;
      for (;;) {
        const end = sql.indexOf(close, j);
        if (end < 0) throw new ExportError(`a ${c === "'" ? 'string' : 'quoted name'} that never ends`);
        value += sql.slice(j, end);
        if (close !== ']' && sql[end + 1] === close) { value += close; j = end + 2; continue; }
        j = end + 1;
        break;
      }
      tokens.push({ type: c === "'" ? 'string' : 'ident', value });
      i = j;
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = sql.indexOf("'", i + 2);
      const hex = end < 0 ? null : sql.slice(i + 2, end);
      if (hex === null || !/^([0-9a-fA-F]{2})*$/.test(hex)) throw new ExportError('a malformed blob literal');
      tokens.push({ type: 'blob', value: hex });
      i = end + 1;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(i, i + 64));
    if (number) {
      tokens.push({ type: 'number', value: number[0] });
      i += number[0].length;
      continue;
    }
    if (WORD.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD.test(sql[j])) j++;
      tokens.push({ type: 'word', value: sql.slice(i, j) });
      i = j;
      continue;
    }
    tokens.push({ type: 'punct', value: c });
    i++;
  }
  return tokens;
}

const isWord = (token, ...words) => token?.type === 'word' && words.includes(token.value.toUpperCase());
const isPunct = (token, value) => token?.type === 'punct' && token.value === value;
const name = (token) => (token && (token.type === 'word' || token.type === 'ident' || token.type === 'string')
  ? token.value : null);

/**
 * One value of a VALUES list, evaluated as SQLite would: NULL, a number (its text, sign included),
 * a string, a blob ({ blob: hex }), or the functions the dump writes, replace() and char().
 * Returns [value, next index].
 */
function value(tokens, i) {
  const token = tokens[i];
  if (!token) throw new ExportError('a value is missing');
  if ((isPunct(token, '-') || isPunct(token, '+')) && tokens[i + 1]?.type === 'number') {
    return [{ number: (token.value === '-' ? '-' : '') + tokens[i + 1].value }, i + 2];
  }
  if (token.type === 'number') return [{ number: token.value }, i + 1];
  if (token.type === 'string') return [token.value, i + 1];
  if (token.type === 'blob') return [{ blob: token.value }, i + 1];
  if (isWord(token, 'NULL')) return [null, i + 1];
  if (token.type === 'word' && isPunct(tokens[i + 1], '(')) {
    const fn = token.value.toLowerCase();
    const args = [];
    let j = i + 2;
    if (!isPunct(tokens[j], ')')) {
      for (;;) {
        const [arg, next] = value(tokens, j);
        args.push(arg);
        j = next;
        if (isPunct(tokens[j], ',')) { j++; continue; }
        break;
      }
    }
    if (!isPunct(tokens[j], ')')) throw new ExportError(`${fn}(...) is not closed`);
    return [call(fn, args), j + 1];
  }
  throw new ExportError(`a value this loader cannot read: ${token.value}`);
}

const text = (v) => (v === null ? null : typeof v === 'string' ? v : v.number ?? null);

function call(fn, args) {
  if (fn === 'char') {
    return String.fromCodePoint(...args.map((a) => Number(text(a))));
  }
  if (fn === 'replace' && args.length === 3) {
    const [subject, pattern, replacement] = args.map(text);
    if (subject === null || pattern === null || replacement === null) return null;
    return pattern === '' ? subject : subject.split(pattern).join(replacement);
  }
  throw new ExportError(`a function this loader does not evaluate: ${fn}()`);
}

/**
 * What one statement means for the load:
 *   { kind: 'table', table, columns: [{ name, generated }] }      CREATE TABLE
 *   { kind: 'rows', table, columns: [names] | null, rows: [[values]] }   INSERT ... VALUES
 *   { kind: 'other' }                                              anything else (indexes, triggers, PRAGMA)
 * Table names are lowercased (SQLite's names ignore case).
 */
export function parseStatement(sql) {
  const tokens = tokenize(sql);
  let i = 0;
  if (isWord(tokens[0], 'CREATE') && isWord(tokens[1], 'TABLE')) {
    i = 2;
    if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS')) i += 3;
    let table = name(tokens[i++]);
    if (isPunct(tokens[i], '.')) { table = name(tokens[i + 1]); i += 2; } // schema.table: the table
    if (!table || !isPunct(tokens[i], '(')) throw new ExportError('a CREATE TABLE this loader cannot read');
    // The definitions between the outer parentheses, cut at their top-level commas.
    const parts = [[]];
    let depth = 0;
    for (i++; i < tokens.length; i++) {
      const token = tokens[i];
      if (isPunct(token, '(')) depth++;
      if (isPunct(token, ')')) { if (depth === 0) break; depth--; }
      if (depth === 0 && isPunct(token, ',')) { parts.push([]); continue; }
      parts[parts.length - 1].push(token);
    }
    const columns = parts
      .filter((part) => part.length && !isWord(part[0], 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'))
      .map((part) => ({
        name: name(part[0]),
        // `[GENERATED ALWAYS] AS (expr)`: computed, so not among a dump's values.
        generated: part.some((token, k) => isWord(token, 'AS') && isPunct(part[k + 1], '(')),
      }));
    return { kind: 'table', table: table.toLowerCase(), columns };
  }
  if (isWord(tokens[0], 'INSERT')) {
    i = 1;
    if (!isWord(tokens[i], 'INTO')) throw new ExportError('an INSERT this loader cannot read (not INSERT INTO)');
    let table = name(tokens[++i]);
    i++;
    if (isPunct(tokens[i], '.')) { table = name(tokens[i + 1]); i += 2; }
    let columns = null;
    if (isPunct(tokens[i], '(')) {
      columns = [];
      for (i++; !isPunct(tokens[i], ')'); i++) {
        if (!tokens[i]) throw new ExportError('an INSERT column list that never ends');
        if (!isPunct(tokens[i], ',')) columns.push(name(tokens[i]));
      }
      i++;
    }
    if (!table || !isWord(tokens[i], 'VALUES')) throw new ExportError('an INSERT this loader cannot read (not INSERT INTO t VALUES)');
    i++;
    const rows = [];
    for (;;) {
      if (!isPunct(tokens[i], '(')) throw new ExportError('VALUES without (');
      const row = [];
      i++;
      for (;;) {
        const [v, next] = value(tokens, i);
        row.push(v);
        i = next;
        if (isPunct(tokens[i], ',')) { i++; continue; }
        if (isPunct(tokens[i], ')')) { i++; break; }
        throw new ExportError(`unexpected ${tokens[i]?.value ?? 'end'} in a VALUES list`);
      }
      rows.push(row);
      if (isPunct(tokens[i], ',')) { i++; continue; }
      break;
    }
    if (i !== tokens.length) throw new ExportError(`unexpected ${tokens[i].value} after the VALUES list`);
    return { kind: 'rows', table: table.toLowerCase(), columns, rows };
  }
  return { kind: 'other' };
}

// ---- The export, read into one COPY file per table -------------------------------------------------

/** A field of PostgreSQL's COPY text format: \N for NULL, backslash escapes for the rest. */
export function copyField(v) {
  if (v === null) return '\\N';
  const s = typeof v === 'string' ? v : v.number;
  return s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]);
}

/**
 * Reads the export at `path`, writing each data table's rows (generated columns left out, for
 * PostgreSQL computes them) to `<dir>/<table>.copy`. Returns { tables: Map(table -> { columns,
 * rows, file }), migrations: [names in d1_migrations], schemas: Set(tables with a CREATE TABLE) }. Throws ExportError for anything it cannot
 * load exactly: an unknown table, a row that does not fit its table, a blob.
 */
export async function readExport(path, dir) {
  const schemas = new Map();
  const tables = new Map();
  const migrations = [];
  const files = new Map();
  const flush = (entry, force) => {
    if (entry.buffer.length && (force || entry.buffer.length > 1 << 20)) {
      writeSync(entry.fd, entry.buffer);
      entry.buffer = '';
    }
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const { text: sql, line } of statements(stream)) {
      let statement;
      try {
        statement = parseStatement(sql);
      } catch (e) {
        if (e instanceof ExportError) throw new ExportError(`${path}, line ${line}: ${e.message}`);
        throw e;
      }
      if (statement.kind === 'table') {
        schemas.set(statement.table, statement.columns);
        if (!skipped(statement.table) && !LOAD_ORDER.includes(statement.table)) {
          throw new ExportError(`the export has a table this loader does not know: ${statement.table}. `
            + 'Is it PANDA\'s database, exported by a worker no newer than this checkout?');
        }
        continue;
      }
      if (statement.kind !== 'rows') continue;
      const { table } = statement;
      if (table === 'd1_migrations') {
        const columns = statement.columns ?? schemas.get(table)?.map((c) => c.name) ?? ['id', 'name'];
        for (const row of statement.rows) migrations.push(row[columns.indexOf('name')]);
        continue;
      }
      if (skipped(table)) continue;
      if (!LOAD_ORDER.includes(table)) throw new ExportError(`${path}, line ${line}: rows for a table this loader does not know: ${table}`);
      const schema = schemas.get(table);
      if (!schema && !statement.columns) {
        throw new ExportError(`${path}, line ${line}: rows for ${table} without its CREATE TABLE before them: `
          + 'export with the schema (without --no-schema)');
      }
      // Without a column list the values follow the table's columns minus the generated ones
      // (PRAGMA table_info, which the dump reads, leaves those out).
      const given = statement.columns?.map((c) => c.toLowerCase())
        ?? schema.filter((c) => !c.generated).map((c) => c.name.toLowerCase());
      const generated = new Set((schema ?? []).filter((c) => c.generated).map((c) => c.name.toLowerCase()));
      const keep = given.map((c, k) => (generated.has(c) ? -1 : k)).filter((k) => k >= 0);
      let entry = tables.get(table);
      if (!entry) {
        const file = join(dir, `${table}.copy`);
        entry = { columns: keep.map((k) => given[k]), rows: 0, file };
        tables.set(table, entry);
        files.set(table, { fd: openSync(file, 'wx', 0o600), buffer: '' });
      } else if (entry.columns.join() !== keep.map((k) => given[k]).join()) {
        throw new ExportError(`${path}, line ${line}: rows for ${table} with other columns than its earlier rows`);
      }
      const out = files.get(table);
      for (const row of statement.rows) {
        if (row.length !== given.length) {
          throw new ExportError(`${path}, line ${line}: a row of ${table} has ${row.length} values for ${given.length} columns (${given.join(', ')})`);
        }
        const fields = keep.map((k) => {
          const v = row[k];
          if (v !== null && typeof v === 'object' && 'blob' in v) {
            throw new ExportError(`${path}, line ${line}: a BLOB in ${table}.${given[k]}; PANDA stores text and integers only`);
          }
          return copyField(v);
        });
        out.buffer += fields.join('\t') + '\n';
        entry.rows++;
      }
      flush(out, false);
    }
    // Tables with a CREATE TABLE and no rows load as empty.
    for (const [table, columns] of schemas) {
      if (LOAD_ORDER.includes(table) && !tables.has(table)) {
        tables.set(table, { columns: columns.filter((c) => !c.generated).map((c) => c.name.toLowerCase()), rows: 0, file: null });
      }
    }
  } finally {
    for (const out of files.values()) { flush(out, true); closeSync(out.fd); }
  }
  return { tables, migrations, schemas: new Set(schemas.keys()) };
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

/**
 * libpq's environment variables for a postgres:// URL, so that psql is given no password on its
 * command line (where any user of the machine could read it).
 */
export function libpqEnvironment(url) {
  let parsed;
  try { parsed = new URL(url); } catch { throw new ExportError('the PostgreSQL URL is not a URL (postgres://user:password@host:port/database)'); }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) throw new ExportError('the target must be a postgres:// URL');
  const env = { PGCLIENTENCODING: 'UTF8' };
  if (parsed.hostname) env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ''));
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const names = {
    host: 'PGHOST', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD', dbname: 'PGDATABASE',
    sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY',
    sslcrl: 'PGSSLCRL', connect_timeout: 'PGCONNECT_TIMEOUT', application_name: 'PGAPPNAME',
    options: 'PGOPTIONS', target_session_attrs: 'PGTARGETSESSIONATTRS', channel_binding: 'PGCHANNELBINDING',
  };
  for (const [key, v] of parsed.searchParams) {
    if (!names[key]) throw new ExportError(`the URL's parameter ${key} is not one this loader passes on to psql`);
    env[names[key]] = v;
  }
  if (!env.PGHOST) throw new ExportError('the PostgreSQL URL names no host (postgres://user:password@host:port/database)');
  if (!env.PGDATABASE) throw new ExportError('the PostgreSQL URL names no database (postgres://user:password@host:port/database)');
  return env;
}

const run = promisify(execFile);

/** Runs psql on `sql` (a script on standard input) and returns its output; throws with psql's error. */
async function psql(env, sql, args = []) {
  return new Promise((resolve, reject) => {
    // Only the URL's settings: an inherited PGHOST or PGDATABASE must not send psql to another
    // database than the one the server's migrations ran on.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
      env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => reject(new ExportError(e.code === 'ENOENT' ? 'psql is not installed (the PostgreSQL client: apt-get install postgresql-client)' : e.message)));
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new ExportError(stderr.trim().replace(/^psql:[^:]*:\d+: /gm, '') || `psql exited with ${code}`));
    });
    child.stdin.end(sql);
  });
}

const ident = (s) => `"${s.replace(/"/g, '""')}"`;
const literal = (s) => `'${s.replace(/'/g, "''")}'`;

/** The PANDA tables already in the target with rows in them, and the server's encoding. */
async function inspectTarget(env) {
  const out = await psql(env, `SELECT current_setting('server_encoding');
    SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
       AND c.relname IN (${LOAD_ORDER.map(literal).join(', ')});`, ['-At']);
  const [encoding, ...existing] = out.trim().split('\n').filter(Boolean);
  if (!existing.length) return { encoding, holding: [] };
  const counts = await psql(env, existing.map((t) => `SELECT ${literal(t)} || ' ' || count(*) FROM ${ident(t)};`).join('\n'), ['-At']);
  const holding = counts.trim().split('\n').map((l) => l.split(' ')).filter(([, n]) => n !== '0')
    .sort(([a], [b]) => LOAD_ORDER.indexOf(a) - LOAD_ORDER.indexOf(b)).map(([t, n]) => `${t}: ${n}`);
  return { encoding, holding };
}

function refusal(holding) {
  return `refused: the target database already holds PANDA data (${holding.join(', ')}). `
    + 'Load into a new, empty database (CREATE DATABASE ...); nothing was changed.';
}

/** Every table's columns on PostgreSQL, without the generated ones. */
async function targetColumns(env) {
  const out = await psql(env, `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position;`, ['-At', '-F', ' ']);
  const columns = new Map();
  for (const row of out.trim().split('\n').filter(Boolean)) {
    const [table, column] = row.split(' ');
    if (!columns.has(table)) columns.set(table, []);
    columns.get(table).push(column);
  }
  return columns;
}

/**
 * The one transaction: lock PANDA's tables, refuse if any holds a row, switch the tables' own
 * triggers off (audit entries, day counts and search words are loaded as the export has them, so
 * they must not also be written by triggers), COPY every table in foreign-key order, switch the
 * triggers back on, continue the identity sequences after the loaded ids, check every count.
 * ALTER TABLE ... DISABLE TRIGGER USER, not session_replication_role = replica: it needs only
 * ownership of the tables (the server's own user migrated them), not superuser, and it leaves the
 * foreign keys checked. It is transactional and under the lock: no other session ever sees the
 * triggers off.
 */
export function loadScript(tables) {
  const all = LOAD_ORDER.map(ident).join(', ');
  const lines = ['BEGIN;', `LOCK TABLE ${all} IN ACCESS EXCLUSIVE MODE;`];
  const nonEmpty = LOAD_ORDER.map((t) => `CASE WHEN EXISTS (SELECT 1 FROM ${ident(t)}) THEN ${literal(t)} END`).join(', ');
  lines.push(`DO $$ DECLARE holding TEXT := concat_ws(', ', ${nonEmpty}); BEGIN
  IF holding <> '' THEN
    RAISE EXCEPTION 'refused: the target database already holds PANDA data (%). Load into a new, empty database (CREATE DATABASE ...); nothing was changed.', holding;
  END IF;
END $$;`);
  for (const t of LOAD_ORDER) lines.push(`ALTER TABLE ${ident(t)} DISABLE TRIGGER USER;`);
  for (const t of LOAD_ORDER) {
    const { columns, rows, file } = tables.get(t);
    if (!rows) continue;
    // \copy reads the file on this machine and sends it as COPY FROM STDIN, in this transaction.
    lines.push(`\\copy ${ident(t)} (${columns.map(ident).join(', ')}) FROM ${literal(file)}`);
  }
  for (const t of LOAD_ORDER) lines.push(`ALTER TABLE ${ident(t)} ENABLE TRIGGER USER;`);
  // PANDA on D1 takes max(id) + 1 for a new row (INTEGER PRIMARY KEY without AUTOINCREMENT); so here.
  for (const t of IDENTITY_TABLES) {
    lines.push(`SELECT setval(pg_get_serial_sequence(${literal(t)}, 'id'), coalesce(max(id), 0) + 1, false) FROM ${ident(t)};`);
  }
  const checks = LOAD_ORDER.map((t) => {
    const expected = tables.get(t).rows;
    return `  IF (SELECT count(*) FROM ${ident(t)}) <> ${expected} THEN
    RAISE EXCEPTION '${t}: % rows loaded, the export has ${expected}', (SELECT count(*) FROM ${ident(t)});
  END IF;`;
  }).join('\n');
  lines.push(`DO $$ BEGIN\n${checks}\nEND $$;`);
  lines.push('COMMIT;');
  return lines.join('\n') + '\n';
}

/** The migrations this checkout has for D1, by name. */
function knownMigrations() {
  return readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql')).sort();
}

export async function main(argv = process.argv.slice(2), log = (line) => console.log(line)) {
  const [path, url = process.env.DATABASE_URL] = argv;
  if (!path || !url || argv.length > 2) {
    throw new ExportError('usage: npm run d1:to-postgres -- <export.sql> <postgres://user:password@host:port/database> (or DATABASE_URL)');
  }
  const env = libpqEnvironment(url);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  const dir = mkdtempSync(join(tmpdir(), 'panda-d1-load-')); // 0700: it holds patient data while loading
  // Ctrl-C stops psql too (the same process group), which rolls the transaction back; the
  // copies of the rows must not outlive it either.
  const interrupted = (signal) => { rmSync(dir, { recursive: true, force: true }); process.exit(signal === 'SIGINT' ? 130 : 143); };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // 1. Read the whole export first: a file that cannot be loaded exactly changes nothing.
    const { tables, migrations, schemas } = await readExport(path, dir);
    const absent = [...LOAD_ORDER, 'd1_migrations'].filter((t) => !schemas.has(t) && !tables.has(t));
    if (absent.length) {
      throw new ExportError(`the export has no table ${absent.join(', ')}: export the whole database, schema and data (no --table, --no-schema or --no-data)`);
    }
    const known = knownMigrations();
    const unknown = migrations.filter((m) => !known.includes(m));
    const missing = known.filter((m) => !migrations.includes(m));
    if (unknown.length) {
      throw new ExportError(`the D1 database has migrations this checkout does not know (${unknown.join(', ')}): load with the PANDA version that applied them`);
    }
    if (missing.length) {
      throw new ExportError(`the D1 database lacks migrations ${missing.join(', ')}: apply them (npx wrangler d1 migrations apply DB --remote), then export again`);
    }
    const rows = [...tables.values()].reduce((n, t) => n + t.rows, 0);
    log(`d1-to-postgres: read ${path}: ${rows} rows in ${tables.size} tables (${seconds()} s)`);

    // 2. Refuse a target that holds data before touching it, migrations included.
    const { encoding, holding } = await inspectTarget(env);
    if (encoding !== 'UTF8') throw new ExportError(`the target database's encoding is ${encoding}; PANDA's names need UTF8 (CREATE DATABASE ... ENCODING 'UTF8')`);
    if (holding.length) throw new ExportError(refusal(holding));

    // 3. PANDA's schema, by the native server's own migrations.
    const server = process.env.PANDA_SERVER ?? join(ROOT, 'target', 'native', 'panda-server');
    try {
      const { stdout } = await run(server, ['migrate'], { env: { ...process.env, DATABASE_URL: url } });
      const applied = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).name);
      log(`d1-to-postgres: migrated the target${applied.length ? ` (${applied.join(', ')})` : ' (already up to date)'}`);
    } catch (e) {
      throw new ExportError(`migrating the target failed: ${(e.stderr || e.message).trim()}`);
    }

    // 4. The same columns on both sides, or the load would drop or invent values.
    const target = await targetColumns(env);
    for (const t of LOAD_ORDER) {
      const d1 = [...tables.get(t).columns].sort().join(', ');
      const pg = [...(target.get(t) ?? [])].sort().join(', ');
      if (d1 !== pg) throw new ExportError(`${t} has other columns on D1 (${d1}) than on PostgreSQL (${pg}): are both schemas from the same PANDA version?`);
    }

    // 5. The rows, all or nothing.
    try {
      await psql(env, loadScript(tables));
    } catch (e) {
      // The refusal inside the transaction (data arrived since step 2), or any other failure:
      // either way psql stopped, and PostgreSQL rolled the whole transaction back.
      const message = e.message.replace(/^ERROR:\s+/, '');
      throw new ExportError(message.startsWith('refused:') ? message.split('\n')[0]
        : `the load failed and was rolled back; no row was loaded. PostgreSQL said:\n${message}`);
    }
    log(`d1-to-postgres: loaded ${rows} rows in one transaction (${seconds()} s):`);
    for (const t of LOAD_ORDER) log(`  ${t.padEnd(26)} ${String(tables.get(t).rows).padStart(9)}`);
    return { rows, tables, seconds: Number(seconds()) };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(`d1-to-postgres: ${e instanceof ExportError ? e.message : e.stack}`);
    process.exit(1);
  });
}
