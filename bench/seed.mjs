// Bulk seed data for the benchmark, as SQL that SQLite (D1) generates itself with recursive
// CTEs, so a million appointments take seconds, not a million requests. The data follows PANDA's
// rules: valid NHS numbers (mod 11), canonical postcodes, 30-minute slots, durations of 15 to 60
// minutes, and no active appointment that has already ended (the sweep backlog is added apart).

const CLINICIANS = 50;
const DEPARTMENTS = 10;
const CHUNK = 100_000; // rows per statement: well inside D1's per-query limits

/** SQL for the nine weighted digits' check digit of printf('%09d', n), per the NHS mod-11 rule. */
function checkDigitSql(d) {
  const terms = [10, 9, 8, 7, 6, 5, 4, 3, 2].map((w, k) => `substr(${d}, ${k + 1}, 1) * ${w}`).join(' + ');
  return `(11 - ((${terms}) % 11))`;
}

/**
 * The seed script: `patients` patients, `appointments` appointments spread evenly from two years
 * before `now` to one year after it, 50 clinicians in 10 departments.
 */
export function seedSql({ patients, appointments, now }) {
  const lines = [];
  lines.push(`INSERT INTO clinicians (id, name, created_at)
  WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${CLINICIANS})
  SELECT i, 'Dr Bench ' || i, ${now} FROM k;`);
  lines.push(`INSERT INTO departments (id, name, created_at)
  WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${DEPARTMENTS})
  SELECT i, 'department ' || i, ${now} FROM k;`);
  // About 1 in 11 nine-digit stems has check digit 10 and is skipped, so generate 15% extra.
  lines.push(`INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at, search_name)
  WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${Math.ceil(patients * 1.15)}),
       stem(d) AS (SELECT printf('%09d', 100000000 + i) FROM k),
       checked(d, c) AS (SELECT d, ${checkDigitSql('d')} FROM stem)
  SELECT d || (CASE c WHEN 11 THEN 0 ELSE c END), 'Bench Patient ' || d, '1980-01-01', 'SW1A 1AA', ${now}, ${now},
         'bench patient ' || d
    FROM checked WHERE c <> 10 LIMIT ${patients};`);
  // Their search words, as domain::name_search makes them for these ASCII names.
  lines.push(searchWordsSql());
  const start = now - 2 * 365 * 86400;
  const span = 3 * 365 * 86400;
  for (let from = 0; from < appointments; from += CHUNK) {
    const to = Math.min(from + CHUNK, appointments);
    lines.push(`INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes,
                          clinician_id, department_id, postcode, created_at, updated_at)
  WITH RECURSIVE k(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ${to}),
       slot(i, starts_at, minutes) AS (
         SELECT i, (${start} + i * ${span} / ${appointments}) / 1800 * 1800, 15 * (1 + i % 4) FROM k)
  SELECT printf('00000000-0000-4000-8000-%012d', i),
         (SELECT nhs_number FROM patients WHERE rowid = 1 + i % ${patients}),
         CASE WHEN starts_at + minutes * 60 <= ${now}
              THEN (CASE i % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'missed' WHEN 2 THEN 'missed' ELSE 'attended' END)
              ELSE (CASE i % 10 WHEN 0 THEN 'cancelled' ELSE 'active' END) END,
         starts_at, 0, minutes, 1 + i % ${CLINICIANS}, 1 + (i % ${CLINICIANS}) % ${DEPARTMENTS}, 'SW1A 1AA', ${now}, ${now}
    FROM slot;`);
  }
  return lines.join('\n\n') + '\n';
}

/** The search words of every patient whose name is two or three space-separated ASCII words. */
function searchWordsSql() {
  return `INSERT OR IGNORE INTO patient_name_words (word, nhs_number, search_name)
  SELECT lower(substr(name, 1, instr(name, ' ') - 1)), nhs_number, search_name FROM patients
  UNION ALL SELECT lower(substr(rest, 1, CASE instr(rest, ' ') WHEN 0 THEN length(rest) ELSE instr(rest, ' ') - 1 END)), nhs_number, search_name
          FROM (SELECT nhs_number, search_name, substr(name, instr(name, ' ') + 1) AS rest FROM patients)
  UNION ALL SELECT lower(substr(rest, instr(rest, ' ') + 1)), nhs_number, search_name
          FROM (SELECT nhs_number, search_name, substr(name, instr(name, ' ') + 1) AS rest FROM patients) WHERE instr(rest, ' ') > 0;`;
}

const FIRST_NAMES = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Ivy', 'Freya', 'Lily', 'Florence', 'Mia', 'Willow', 'Rosie', 'Sophia',
  'Isabella', 'Grace', 'Daisy', 'Sienna', 'Poppy', 'Elsie', 'Emily', 'Ella', 'Evelyn', 'Phoebe', 'Sofia', 'Evie', 'Charlotte',
  'Harper', 'Millie', 'Matilda', 'Maya', 'Sophie', 'Alice', 'Emilia', 'Isabelle', 'Ruby', 'Luna', 'Maisie', 'Aria', 'Penelope',
  'Mila', 'Bonnie', 'Eva', 'Hallie', 'Eliza', 'Ada', 'Violet', 'Esme', 'Arabella', 'Imogen', 'Jessica', 'Delilah', 'Noah',
  'Muhammad', 'Oliver', 'George', 'Leo', 'Arthur', 'Oscar', 'Harry', 'Theodore', 'Archie', 'Jack', 'Charlie', 'Henry', 'Freddie',
  'Alfie', 'Finley', 'Theo', 'Thomas', 'Ezra', 'Jacob', 'Lucas', 'Tommy', 'Teddy', 'William', 'Arlo', 'Isaac', 'Albie', 'Elijah',
  'Joshua', 'James', 'Alexander', 'Roman', 'Max', 'Ronnie', 'Mason', 'Reuben', 'Edward', 'Hugo', 'Louie', 'Rory', 'Frankie',
  'Jude', 'Ethan', 'Toby', 'Louis', 'Reggie', 'Harrison', 'Sebastian', 'Hunter', 'Glenn'];
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards',
  'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen',
  'Morris', 'Khan', 'Scott', 'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell',
  'Bailey', 'Carter', 'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Miller', 'Cox', 'Hussain',
  'Marshall', 'Simpson', 'Price', 'Anderson', 'Adams', 'Wilkinson', 'Ali', 'Ahmed', 'Foster', 'Ellis', 'Murphy', 'Chapman',
  'Mason', 'Gray', 'Richards', 'Webb', 'Griffiths', 'Hunt', 'Palmer', 'Campbell', 'Holmes', 'Mills', 'Rogers', 'Barnes',
  'Knight', 'Matthews', 'Barker', 'Powell', 'Stevens', 'Kaur', 'Fisher', 'Butler', 'Dixon', 'Russell', 'Harvey', 'Pearson', 'Graham'];

/**
 * `patients` patients named from 100 common first names and 100 common surnames (so each name is
 * shared by about patients / 10,000 of them, as in a real register), with their search words: the
 * data for the name-search benchmark (bench/search.mjs).
 */
export function namedPatientsSql({ patients, now }) {
  const json = (list) => `'${JSON.stringify(list)}'`;
  const insert = `INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at, search_name)
  WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${Math.ceil(patients * 1.15)}),
       stem(i, d) AS (SELECT i, printf('%09d', 100000000 + i) FROM k),
       checked(i, d, c) AS (SELECT i, d, ${checkDigitSql('d')} FROM stem),
       named(i, d, c, name) AS (
         SELECT i, d, c, json_extract(${json(FIRST_NAMES)}, '$[' || (i % ${FIRST_NAMES.length}) || ']') || ' ' ||
                         json_extract(${json(SURNAMES)}, '$[' || ((i / ${FIRST_NAMES.length}) % ${SURNAMES.length}) || ']')
           FROM checked WHERE c <> 10)
  SELECT d || (CASE c WHEN 11 THEN 0 ELSE c END), name,
         date(-3000000000 + (i * 7919) % 3000000000, 'unixepoch'), 'SW1A 1AA', ${now}, ${now}, lower(name)
    FROM named LIMIT ${patients};`;
  return `${insert}\n\n${searchWordsSql()}\n`;
}

export const NAMES = { FIRST_NAMES, SURNAMES };

/** `count` active appointments that all ended before `now`: a backlog for the sweep. */
export function backlogSql({ count, patients, now }) {
  const lines = [];
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(from + CHUNK, count);
    lines.push(`INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes,
                          clinician_id, department_id, postcode, created_at, updated_at)
  WITH RECURSIVE k(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ${to})
  SELECT printf('00000000-0000-4000-9000-%012d', i), (SELECT nhs_number FROM patients WHERE rowid = 1 + i % ${patients}),
         'active', ${now} - 86400 - (i % 1000) * 60, 0, 30, 1 + i % ${CLINICIANS}, 1 + (i % ${CLINICIANS}) % ${DEPARTMENTS},
         'SW1A 1AA', ${now}, ${now}
    FROM k;`);
  }
  return lines.join('\n\n') + '\n';
}

export const SEED = { CLINICIANS, DEPARTMENTS };
