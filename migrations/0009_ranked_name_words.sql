-- A one-word name search reads its best matches first, in rank order, straight from an index
-- (README, "Finding patients"): each search word carries its patient's folded name, so the
-- patients with that whole word come out by name length and name, and a page stops after its
-- rows instead of ranking every patient with the word (every Smith of a million).

ALTER TABLE patient_name_words ADD COLUMN search_name TEXT;

UPDATE patient_name_words
   SET search_name = (SELECT p.search_name FROM patients p WHERE p.nhs_number = patient_name_words.nhs_number);

CREATE INDEX patient_name_words_ranked ON patient_name_words (word, length(search_name), search_name, nhs_number);
