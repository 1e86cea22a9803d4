-- The audit trail: who changed patient data, who viewed it, who signed in, and who administered
-- staff accounts (README, "Audit trail").
--
-- Changes are recorded by the triggers below, inside the statement that makes the change, so an
-- entry commits exactly when its change does: a refused or failed change leaves none, and no code
-- path (the API, the cron sweep, an operator's SQL) can change a patient or an appointment without
-- leaving one. Who is acting comes from `audit_context`, a one-row table that every write batch
-- fills first and empties last, inside its own transaction (src/domain/signed_in.rs, the sweep),
-- so no other transaction ever sees the row. A change made without it (SQL run by hand) is
-- recorded as the actor 'system:sql'.
--
-- Views of patient data ('patient.viewed') and sign-ins are written by the API
-- (src/domain/audit.rs): one entry per patient an answer showed.

CREATE TABLE audit_events (
    id          INTEGER NOT NULL PRIMARY KEY,
    at          INTEGER NOT NULL,                -- Unix seconds, the request's instant
    actor_id    INTEGER,                         -- users.id; NULL for PANDA itself or an unknown username
    -- The staff username at the time, or PANDA itself: 'system:sweep', 'system:sql', 'admin:<name>'.
    -- A ':' never occurs in a username, so the two never meet.
    actor       TEXT    NOT NULL COLLATE NOCASE,
    action      TEXT    NOT NULL,                -- 'patient.updated', 'sign-in.failed', ...
    resource    TEXT    NOT NULL CHECK (resource IN ('patient', 'appointment', 'user')),
    resource_id TEXT,                            -- NHS number, appointment id or username
    patient     TEXT,                            -- the NHS number the entry concerns, if any
    route       TEXT,                            -- 'PATCH /v1/patients/{nhs_number}'; NULL outside the API
    request_id  TEXT,                            -- the answer's X-Request-ID
    -- A change's fields, each {"before": ..., "after": ...} in the API's own form. Erasing the
    -- patient empties each field to {} and sets erased_at: which fields changed stays, the values go.
    changes     TEXT,
    erased_at   INTEGER
);

-- Newest first, by time and then id, for every filter the API offers.
CREATE INDEX audit_events_by_time    ON audit_events (at, id);
CREATE INDEX audit_events_by_patient ON audit_events (patient, at, id) WHERE patient IS NOT NULL;
CREATE INDEX audit_events_by_actor   ON audit_events (actor, at, id);
-- Views are most of the trail, and a list of them by action is most of the time index anyway: the
-- action index leaves them out, which spares every view an index write (src/domain/audit.rs says
-- so in the filter it uses this index with).
CREATE INDEX audit_events_by_action  ON audit_events (action, at, id) WHERE action <> 'patient.viewed';

-- Entries are never deleted, and change only by erasure: the patient's values go, the facts stay.
CREATE TRIGGER audit_events_are_never_deleted BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never deleted');
END;

-- An erasure is the one update: of an entry not yet erased, about a patient who no longer exists
-- (the trigger `patients_audit_erased` runs after the row is gone), setting `erased_at` and
-- emptying each field of `changes`, nothing else.
CREATE TRIGGER audit_events_change_only_by_erasure BEFORE UPDATE ON audit_events
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action OR NEW.resource IS NOT OLD.resource
  OR NEW.resource_id IS NOT OLD.resource_id OR NEW.patient IS NOT OLD.patient
  OR NEW.route IS NOT OLD.route OR NEW.request_id IS NOT OLD.request_id OR NEW.erased_at IS NULL
  OR OLD.erased_at IS NOT NULL OR OLD.patient IS NULL
  OR EXISTS (SELECT 1 FROM patients WHERE nhs_number = OLD.patient)
  OR NEW.changes IS NOT (CASE WHEN OLD.changes IS NOT NULL
                              THEN (SELECT json_group_object(key, json('{}')) FROM json_each(OLD.changes)) END)
BEGIN
    SELECT RAISE(ABORT, 'audit entries change only by erasure');
END;

-- Who is acting in the current write transaction. Always empty between transactions.
--
-- Also the account guard: a signed-in member of staff's write batch begins by inserting the
-- account's username here, read in the same statement only if the account may still act
-- (src/domain/signed_in.rs). For an account disabled, removed or given a new password since its
-- token was issued it reads NULL, which the CHECK refuses, and the whole batch is undone. It
-- replaces the account_guard table of migration 0005: one statement in every write instead of two.
-- That table is no longer written; it stays until a later migration, so that a worker still
-- running the code before this one keeps working until the new one is deployed.
CREATE TABLE audit_context (
    only       INTEGER NOT NULL PRIMARY KEY CHECK (only = 1),
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    actor      TEXT    CONSTRAINT writes_need_an_active_account CHECK (actor IS NOT NULL),
    route      TEXT,
    request_id TEXT
);


-- Exactly one row: the context, or SQL run by hand at the database's clock.
CREATE VIEW audit_actor AS
SELECT at, actor_id, actor, route, request_id FROM audit_context
UNION ALL
SELECT CAST(strftime('%s', 'now') AS INTEGER), NULL, 'system:sql', NULL, NULL
 WHERE NOT EXISTS (SELECT 1 FROM audit_context);

-- Patients. Only the fields a client sets are recorded (not search keys or versions).
CREATE TRIGGER patients_audit_created AFTER INSERT ON patients
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id, changes)
    SELECT at, actor_id, actor, 'patient.created', 'patient', NEW.nhs_number, NEW.nhs_number, route, request_id,
           json_object('name', json_object('before', NULL, 'after', NEW.name),
                       'date_of_birth', json_object('before', NULL, 'after', NEW.date_of_birth),
                       'postcode', json_object('before', NULL, 'after', NEW.postcode))
      FROM audit_actor;
END;

-- Every update the API applies counts a new version, also one that changes no value; SQL run by
-- hand may set a field without it. json_patch drops the NULL members, so `changes` lists only the
-- fields whose value differs.
CREATE TRIGGER patients_audit_updated AFTER UPDATE OF name, date_of_birth, postcode, version ON patients
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id, changes)
    SELECT at, actor_id, actor, 'patient.updated', 'patient', NEW.nhs_number, NEW.nhs_number, route, request_id,
           json_patch('{}', json_object(
               'name', CASE WHEN OLD.name IS NOT NEW.name
                            THEN json_object('before', OLD.name, 'after', NEW.name) END,
               'date_of_birth', CASE WHEN OLD.date_of_birth IS NOT NEW.date_of_birth
                                     THEN json_object('before', OLD.date_of_birth, 'after', NEW.date_of_birth) END,
               'postcode', CASE WHEN OLD.postcode IS NOT NEW.postcode
                                THEN json_object('before', OLD.postcode, 'after', NEW.postcode) END))
      FROM audit_actor;
END;

-- Erasure (GDPR Art. 17): the patient's values leave every entry about them, appointments'
-- included; who viewed, changed and erased the record, and when, stays (Art. 5(2), 17(3)(b, e)).
CREATE TRIGGER patients_audit_erased AFTER DELETE ON patients
BEGIN
    UPDATE audit_events
       SET changes = CASE WHEN changes IS NOT NULL
                          THEN (SELECT json_group_object(key, json('{}')) FROM json_each(audit_events.changes)) END,
           erased_at = (SELECT at FROM audit_actor)
     WHERE patient = OLD.nhs_number AND erased_at IS NULL;
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id, erased_at)
    SELECT at, actor_id, actor, 'patient.erased', 'patient', OLD.nhs_number, OLD.nhs_number, route, request_id, at
      FROM audit_actor;
END;

-- Appointments, in the API's own form: an RFC 3339 time with the offset it was booked with, a
-- duration like 1h30m, the clinician and department by name.
CREATE TRIGGER appointments_audit_created AFTER INSERT ON appointments
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id, changes)
    SELECT at, actor_id, actor, 'appointment.created', 'appointment', NEW.id, NEW.patient, route, request_id,
           json_object(
               'status', json_object('before', NULL, 'after', NEW.status),
               'time', json_object('before', NULL, 'after',
                   strftime('%Y-%m-%dT%H:%M:%S', NEW.starts_at + NEW.utc_offset, 'unixepoch')
                   || printf('%s%02d:%02d', CASE WHEN NEW.utc_offset < 0 THEN '-' ELSE '+' END,
                             abs(NEW.utc_offset) / 3600, abs(NEW.utc_offset) % 3600 / 60)),
               'duration', json_object('before', NULL, 'after',
                   CASE WHEN NEW.duration_minutes >= 60 THEN (NEW.duration_minutes / 60) || 'h' ELSE '' END
                   || CASE WHEN NEW.duration_minutes % 60 <> 0 THEN (NEW.duration_minutes % 60) || 'm' ELSE '' END),
               'clinician', json_object('before', NULL, 'after',
                   (SELECT name FROM clinicians WHERE id = NEW.clinician_id)),
               'department', json_object('before', NULL, 'after',
                   (SELECT name FROM departments WHERE id = NEW.department_id)),
               'postcode', json_object('before', NULL, 'after', NEW.postcode))
      FROM audit_actor;
END;

CREATE TRIGGER appointments_audit_updated
AFTER UPDATE OF patient, status, starts_at, utc_offset, duration_minutes, clinician_id, department_id, postcode, version
ON appointments
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id, changes)
    SELECT at, actor_id, actor, 'appointment.updated', 'appointment', NEW.id, NEW.patient, route, request_id,
           json_patch('{}', json_object(
               'patient', CASE WHEN OLD.patient IS NOT NEW.patient
                               THEN json_object('before', OLD.patient, 'after', NEW.patient) END,
               'status', CASE WHEN OLD.status IS NOT NEW.status
                              THEN json_object('before', OLD.status, 'after', NEW.status) END,
               'time', CASE WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.utc_offset IS NOT NEW.utc_offset
                            THEN json_object(
                                'before', strftime('%Y-%m-%dT%H:%M:%S', OLD.starts_at + OLD.utc_offset, 'unixepoch')
                                    || printf('%s%02d:%02d', CASE WHEN OLD.utc_offset < 0 THEN '-' ELSE '+' END,
                                              abs(OLD.utc_offset) / 3600, abs(OLD.utc_offset) % 3600 / 60),
                                'after', strftime('%Y-%m-%dT%H:%M:%S', NEW.starts_at + NEW.utc_offset, 'unixepoch')
                                    || printf('%s%02d:%02d', CASE WHEN NEW.utc_offset < 0 THEN '-' ELSE '+' END,
                                              abs(NEW.utc_offset) / 3600, abs(NEW.utc_offset) % 3600 / 60)) END,
               'duration', CASE WHEN OLD.duration_minutes IS NOT NEW.duration_minutes
                                THEN json_object(
                                    'before', CASE WHEN OLD.duration_minutes >= 60 THEN (OLD.duration_minutes / 60) || 'h' ELSE '' END
                                        || CASE WHEN OLD.duration_minutes % 60 <> 0 THEN (OLD.duration_minutes % 60) || 'm' ELSE '' END,
                                    'after', CASE WHEN NEW.duration_minutes >= 60 THEN (NEW.duration_minutes / 60) || 'h' ELSE '' END
                                        || CASE WHEN NEW.duration_minutes % 60 <> 0 THEN (NEW.duration_minutes % 60) || 'm' ELSE '' END) END,
               'clinician', CASE WHEN OLD.clinician_id IS NOT NEW.clinician_id
                                 THEN json_object('before', (SELECT name FROM clinicians WHERE id = OLD.clinician_id),
                                                  'after', (SELECT name FROM clinicians WHERE id = NEW.clinician_id)) END,
               'department', CASE WHEN OLD.department_id IS NOT NEW.department_id
                                  THEN json_object('before', (SELECT name FROM departments WHERE id = OLD.department_id),
                                                   'after', (SELECT name FROM departments WHERE id = NEW.department_id)) END,
               'postcode', CASE WHEN OLD.postcode IS NOT NEW.postcode
                                THEN json_object('before', OLD.postcode, 'after', NEW.postcode) END))
      FROM audit_actor;
END;

-- The API deletes an appointment only with its patient (by ON DELETE CASCADE, before the patient's
-- own trigger runs: the patient's erasure is the entry). Deleted any other way, by SQL run by hand,
-- it is an entry of its own.
CREATE TRIGGER appointments_audit_deleted AFTER DELETE ON appointments
WHEN EXISTS (SELECT 1 FROM patients WHERE nhs_number = OLD.patient)
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id)
    SELECT at, actor_id, actor, 'appointment.deleted', 'appointment', OLD.id, OLD.patient, route, request_id
      FROM audit_actor;
END;

-- Staff accounts, as `npm run user:*` (or anyone with SQL) changes them. Sign-ins are recorded
-- by the API, which knows how one went.
CREATE TRIGGER users_audit_added AFTER INSERT ON users
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, route, request_id)
    SELECT at, actor_id, actor, 'user.added', 'user', NEW.username, route, request_id FROM audit_actor;
END;

CREATE TRIGGER users_audit_password_changed AFTER UPDATE OF password_hash ON users
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, route, request_id)
    SELECT at, actor_id, actor, 'user.password-changed', 'user', NEW.username, route, request_id FROM audit_actor;
END;

CREATE TRIGGER users_audit_disabled_or_enabled AFTER UPDATE OF disabled ON users
WHEN OLD.disabled IS NOT NEW.disabled
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, route, request_id)
    SELECT at, actor_id, actor, CASE NEW.disabled WHEN 1 THEN 'user.disabled' ELSE 'user.enabled' END,
           'user', NEW.username, route, request_id
      FROM audit_actor;
END;

CREATE TRIGGER users_audit_removed AFTER DELETE ON users
BEGIN
    INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, route, request_id)
    SELECT at, actor_id, actor, 'user.removed', 'user', OLD.username, route, request_id FROM audit_actor;
END;
