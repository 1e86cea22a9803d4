-- Clinicians and departments become records of their own, so that facts about them (which
-- organisation a clinician works for, where from, and since when) can be added later without
-- touching appointments. Appointments now refer to them by key; the API still speaks in names.
--
-- Room to grow (not built yet, on purpose): an `organisations` table, and a
-- `clinician_affiliations (clinician_id, organisation_id, work_location, valid_from, valid_to)`
-- table with validity periods, since a clinician can change organisation; a department could
-- likewise belong to an organisation. Appointments keep pointing at the clinician; the affiliation
-- in force at an appointment's time is found by its validity period.

CREATE TABLE clinicians (
    id         INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL
);

CREATE TABLE departments (
    id         INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL
);

-- Every name already in use becomes a row, dated by its first appointment.
INSERT INTO clinicians (name, created_at)
SELECT clinician, min(created_at) FROM appointments GROUP BY clinician ORDER BY min(created_at), clinician;
INSERT INTO departments (name, created_at)
SELECT department, min(created_at) FROM appointments GROUP BY department ORDER BY min(created_at), department;

-- SQLite cannot change a column into a foreign key in place: build the new table, copy every row
-- (ids, versions and timestamps unchanged), then swap it in. Nothing refers to appointments, so
-- the old table can go.
CREATE TABLE appointments_new (
    id               TEXT    NOT NULL PRIMARY KEY,
    patient          TEXT    NOT NULL REFERENCES patients (nhs_number) ON DELETE CASCADE,
    status           TEXT    NOT NULL CHECK (status IN ('active', 'attended', 'cancelled', 'missed')),
    starts_at        INTEGER NOT NULL,
    utc_offset       INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    ends_at          INTEGER NOT NULL GENERATED ALWAYS AS (starts_at + duration_minutes * 60) VIRTUAL,
    clinician_id     INTEGER NOT NULL REFERENCES clinicians (id),
    department_id    INTEGER NOT NULL REFERENCES departments (id),
    postcode         TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

INSERT INTO appointments_new (id, patient, status, starts_at, utc_offset, duration_minutes,
                              clinician_id, department_id, postcode, version, created_at, updated_at)
SELECT a.id, a.patient, a.status, a.starts_at, a.utc_offset, a.duration_minutes,
       c.id, d.id, a.postcode, a.version, a.created_at, a.updated_at
  FROM appointments a
  JOIN clinicians c ON c.name = a.clinician
  JOIN departments d ON d.name = a.department;

DROP TABLE appointments;
ALTER TABLE appointments_new RENAME TO appointments;

-- Lists are keyset-paginated on (starts_at, id); each filter has an index that yields that order.
CREATE INDEX appointments_by_time       ON appointments (starts_at, id);
CREATE INDEX appointments_by_patient    ON appointments (patient, starts_at, id);
CREATE INDEX appointments_by_clinician  ON appointments (clinician_id, starts_at, id);
CREATE INDEX appointments_by_department ON appointments (department_id, starts_at, id);
CREATE INDEX appointments_active_by_end ON appointments (ends_at) WHERE status = 'active';
-- Statistics read only these columns over a time range: the index alone answers them.
CREATE INDEX appointments_for_stats     ON appointments (starts_at, clinician_id, department_id, status, duration_minutes);
