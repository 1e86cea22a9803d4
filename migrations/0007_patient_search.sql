-- Finding patients by name, date of birth, postcode and NHS number (README, "Finding patients").
--
-- A name is searched through its search words (src/domain/name_search.rs): folded (no case, no
-- accents) and split into words, with every suffix of a run in a script written without spaces.
-- PANDA writes them in the same batch as the patient, so they never disagree with the name; the
-- stored name itself is never changed. `search_name` is the folded name that results sort by.
-- Rows from before this migration have no search words yet (search_name NULL); the cron sweep
-- indexes them (src/domain/sweep.rs), a chunk per run, through the partial index below.

ALTER TABLE patients ADD COLUMN search_name TEXT;

CREATE TABLE patient_name_words (
    word       TEXT NOT NULL,
    nhs_number TEXT NOT NULL REFERENCES patients (nhs_number) ON DELETE CASCADE,
    PRIMARY KEY (word, nhs_number)
) WITHOUT ROWID;

-- The cascade, and a changed name, find a patient's words through this.
CREATE INDEX patient_name_words_by_patient ON patient_name_words (nhs_number);

-- The other search fields; each index ends in the list's order.
CREATE INDEX patients_by_postcode ON patients (postcode, nhs_number);
CREATE INDEX patients_by_date_of_birth ON patients (date_of_birth, nhs_number);

CREATE INDEX patients_not_yet_searchable ON patients (nhs_number) WHERE search_name IS NULL;
