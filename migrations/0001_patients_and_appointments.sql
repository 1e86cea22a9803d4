-- PANDA schema, first migration. Never edit a migration once it has been applied anywhere:
-- add a new numbered file instead (wrangler records applied files in d1_migrations).
--
-- Times are stored as INTEGER seconds since the Unix epoch (UTC instants), so that ordering,
-- range filters and the missed-appointment sweep compare numbers through an index. The offset an
-- appointment was booked with is kept beside its instant so it reads back exactly as it was given.

CREATE TABLE patients (
    nhs_number    TEXT    NOT NULL PRIMARY KEY CHECK (length(nhs_number) = 10),
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    date_of_birth TEXT    NOT NULL,  -- YYYY-MM-DD
    postcode      TEXT    NOT NULL,  -- canonical UK form, e.g. 'SW1A 1AA'
    version       INTEGER NOT NULL DEFAULT 1,  -- optimistic concurrency (ETag / If-Match)
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE appointments (
    id               TEXT    NOT NULL PRIMARY KEY,  -- lowercase UUID
    patient          TEXT    NOT NULL REFERENCES patients (nhs_number) ON DELETE CASCADE,
    status           TEXT    NOT NULL CHECK (status IN ('active', 'attended', 'cancelled', 'missed')),
    starts_at        INTEGER NOT NULL,
    utc_offset       INTEGER NOT NULL,  -- seconds east of UTC, as booked
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    -- Derived, so it can never disagree with start and duration; indexed for the sweep.
    ends_at          INTEGER NOT NULL GENERATED ALWAYS AS (starts_at + duration_minutes * 60) VIRTUAL,
    clinician        TEXT    NOT NULL,
    department       TEXT    NOT NULL,
    postcode         TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- Lists are keyset-paginated on (starts_at, id); each filter has an index that yields that order.
CREATE INDEX appointments_by_time       ON appointments (starts_at, id);
CREATE INDEX appointments_by_patient    ON appointments (patient, starts_at, id);
CREATE INDEX appointments_by_clinician  ON appointments (clinician, starts_at, id);
CREATE INDEX appointments_by_department ON appointments (department, starts_at, id);
-- The sweep and the derived "missed" status only ever look at active appointments by end time.
CREATE INDEX appointments_active_by_end ON appointments (ends_at) WHERE status = 'active';
