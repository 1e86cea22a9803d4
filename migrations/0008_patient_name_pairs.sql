-- Name searches of two words or more, at the same cost in a register of a million as of ten
-- thousand (README, "Finding patients"). A search for "smith gle" through the words of 0007
-- would read every Smith; here it seeks straight to the patients who have both.
--
-- `patient_search_vocabulary` holds each distinct search word once, with how many patients have
-- it: a query word's prefix range covers only a few distinct words, which are then each a seek.
-- `patient_name_pairs` holds every ordered pair of one patient's distinct search words. Both are
-- kept by the triggers below, in the same statement as every change of patient_name_words, so
-- PANDA's code writes only the words.

CREATE TABLE patient_search_vocabulary (
    word     TEXT    NOT NULL PRIMARY KEY,
    patients INTEGER NOT NULL CHECK (patients > 0)
) WITHOUT ROWID;

CREATE TABLE patient_name_pairs (
    word       TEXT NOT NULL,
    other_word TEXT NOT NULL,
    nhs_number TEXT NOT NULL REFERENCES patients (nhs_number) ON DELETE CASCADE,
    PRIMARY KEY (word, other_word, nhs_number)
) WITHOUT ROWID;

CREATE INDEX patient_name_pairs_by_patient ON patient_name_pairs (nhs_number);

INSERT INTO patient_search_vocabulary (word, patients)
SELECT word, count(*) FROM patient_name_words GROUP BY word;

INSERT INTO patient_name_pairs (word, other_word, nhs_number)
SELECT a.word, b.word, a.nhs_number
  FROM patient_name_words a
  JOIN patient_name_words b ON b.nhs_number = a.nhs_number AND b.word <> a.word;

CREATE TRIGGER patient_name_word_added AFTER INSERT ON patient_name_words
BEGIN
    INSERT INTO patient_search_vocabulary (word, patients) VALUES (NEW.word, 1)
    ON CONFLICT (word) DO UPDATE SET patients = patients + 1;
    INSERT INTO patient_name_pairs (word, other_word, nhs_number)
    SELECT NEW.word, w.word, NEW.nhs_number FROM patient_name_words w
     WHERE w.nhs_number = NEW.nhs_number AND w.word <> NEW.word
    UNION ALL
    SELECT w.word, NEW.word, NEW.nhs_number FROM patient_name_words w
     WHERE w.nhs_number = NEW.nhs_number AND w.word <> NEW.word;
END;

CREATE TRIGGER patient_name_word_removed AFTER DELETE ON patient_name_words
BEGIN
    -- The last patient with the word takes it out of the vocabulary; any other lowers its count.
    DELETE FROM patient_search_vocabulary WHERE word = OLD.word AND patients = 1;
    UPDATE patient_search_vocabulary SET patients = patients - 1 WHERE word = OLD.word;
    DELETE FROM patient_name_pairs
     WHERE nhs_number = OLD.nhs_number AND (word = OLD.word OR other_word = OLD.word);
END;
