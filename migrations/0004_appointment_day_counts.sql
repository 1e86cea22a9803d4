-- Statistics over a long range should not read every appointment in it. This table keeps, per UTC
-- day of the start, clinician, department and stored status, how many appointments there are and
-- how many minutes they were booked for. Triggers keep it exact on every insert, update and delete,
-- in the same statement as the change, so it can never drift from the appointments themselves.
--
-- Days are floor(starts_at / 86400); SQLite's integer division truncates towards zero, so the
-- expression below rounds down for times before 1970 as well.

CREATE TABLE appointment_day_counts (
    day           INTEGER NOT NULL,
    clinician_id  INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    appointments  INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    PRIMARY KEY (day, clinician_id, department_id, status)
) WITHOUT ROWID;

CREATE INDEX day_counts_by_clinician  ON appointment_day_counts (clinician_id, day);
CREATE INDEX day_counts_by_department ON appointment_day_counts (department_id, day);

INSERT INTO appointment_day_counts (day, clinician_id, department_id, status, appointments, minutes)
SELECT (starts_at - ((starts_at % 86400) + 86400) % 86400) / 86400, clinician_id, department_id, status,
       count(*), sum(duration_minutes)
  FROM appointments
 GROUP BY 1, 2, 3, 4;

CREATE TRIGGER appointments_counted AFTER INSERT ON appointments
BEGIN
    INSERT INTO appointment_day_counts (day, clinician_id, department_id, status, appointments, minutes)
    VALUES ((NEW.starts_at - ((NEW.starts_at % 86400) + 86400) % 86400) / 86400,
            NEW.clinician_id, NEW.department_id, NEW.status, 1, NEW.duration_minutes)
    ON CONFLICT (day, clinician_id, department_id, status)
    DO UPDATE SET appointments = appointments + 1, minutes = minutes + excluded.minutes;
END;

CREATE TRIGGER appointments_uncounted AFTER DELETE ON appointments
BEGIN
    UPDATE appointment_day_counts
       SET appointments = appointments - 1, minutes = minutes - OLD.duration_minutes
     WHERE day = (OLD.starts_at - ((OLD.starts_at % 86400) + 86400) % 86400) / 86400
       AND clinician_id = OLD.clinician_id AND department_id = OLD.department_id AND status = OLD.status;
    DELETE FROM appointment_day_counts
     WHERE day = (OLD.starts_at - ((OLD.starts_at % 86400) + 86400) % 86400) / 86400
       AND clinician_id = OLD.clinician_id AND department_id = OLD.department_id AND status = OLD.status
       AND appointments = 0;
END;

CREATE TRIGGER appointments_recounted
AFTER UPDATE OF status, starts_at, duration_minutes, clinician_id, department_id ON appointments
BEGIN
    UPDATE appointment_day_counts
       SET appointments = appointments - 1, minutes = minutes - OLD.duration_minutes
     WHERE day = (OLD.starts_at - ((OLD.starts_at % 86400) + 86400) % 86400) / 86400
       AND clinician_id = OLD.clinician_id AND department_id = OLD.department_id AND status = OLD.status;
    DELETE FROM appointment_day_counts
     WHERE day = (OLD.starts_at - ((OLD.starts_at % 86400) + 86400) % 86400) / 86400
       AND clinician_id = OLD.clinician_id AND department_id = OLD.department_id AND status = OLD.status
       AND appointments = 0;
    INSERT INTO appointment_day_counts (day, clinician_id, department_id, status, appointments, minutes)
    VALUES ((NEW.starts_at - ((NEW.starts_at % 86400) + 86400) % 86400) / 86400,
            NEW.clinician_id, NEW.department_id, NEW.status, 1, NEW.duration_minutes)
    ON CONFLICT (day, clinician_id, department_id, status)
    DO UPDATE SET appointments = appointments + 1, minutes = minutes + excluded.minutes;
END;
