//! Finding patients: by name (however it was written; see `domain::name_search`), date of birth,
//! postcode (whole, or an outward code for every patient in it) and NHS number, in any
//! combination, all of which must match.
//!
//! Without a name, patients come in NHS-number order, as the plain list does. With a name, the
//! best matches come first: patients whose name has every query word as a whole word, then those
//! where some query word is only the start of a word; among equals, shorter names first (fewer
//! words besides the ones asked for), then by the folded name, then by NHS number. Both orders
//! are keyset-paginated, so a page never shifts when patients are added.

use super::db::{read_one, Database, Statement, Value};
use super::error::Error;
use super::invalid::Invalid;
use super::name_search;
use super::nhs_number::NhsNumber;
use super::page::{encode_cursor, Page};
use super::patient::{Patient, Row, COLUMNS};
use super::postcode::Postcode;
use super::timestamp::DateOfBirth;

/// A postcode to search by: a whole one, or an outward code for every postcode in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostcodeQuery {
    Whole(Postcode),
    Outward(String),
}

impl PostcodeQuery {
    /// Coerced like any postcode. Code: `invalid-postcode`.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Postcode::parse(input)
            .map(PostcodeQuery::Whole)
            .or_else(|_| Postcode::parse_outward(input).map(PostcodeQuery::Outward))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The folded words of the name asked for (`name_search::query_words`).
    pub name: Option<Vec<String>>,
    pub nhs_number: Option<NhsNumber>,
    pub date_of_birth: Option<DateOfBirth>,
    pub postcode: Option<PostcodeQuery>,
}

/// Where a page of name results ends: the sort key of its last patient.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ranked {
    partial_words: i64,
    name_length: i64,
    search_name: String,
    nhs_number: String,
}

impl Ranked {
    /// The cursor key. `|` never occurs in a folded name (only letters, digits and spaces).
    fn key(&self) -> String {
        format!("{}|{}|{}|{}", self.partial_words, self.name_length, self.search_name, self.nhs_number)
    }

    fn from_key(key: &str) -> Option<Self> {
        let mut parts = key.splitn(4, '|');
        Some(Ranked {
            partial_words: parts.next()?.parse().ok()?,
            name_length: parts.next()?.parse().ok()?,
            search_name: parts.next()?.to_owned(),
            nhs_number: parts.next()?.to_owned(),
        })
    }
}

/// Whether `key` (a decoded cursor) can continue a search like `search`. Code: `cursor-invalid`.
pub fn check_cursor(search: &Search, key: &str) -> Result<(), Invalid> {
    let fits = if search.name.is_some() { Ranked::from_key(key).is_some() } else { NhsNumber::parse(key).is_ok() };
    if fits {
        Ok(())
    } else {
        Err(Invalid::new("cursor-invalid"))
    }
}

/// The conditions on `p` (a patient row) for everything but the name, binding their values.
fn field_conditions(search: &Search, statement: &mut Statement) -> Vec<String> {
    let mut bind = |value: Value| {
        statement.params.push(value);
        format!("?{}", statement.params.len())
    };
    let mut conditions = Vec::new();
    if let Some(nhs_number) = &search.nhs_number {
        conditions.push(format!("p.nhs_number = {}", bind(nhs_number.as_str().into())));
    }
    if let Some(date_of_birth) = &search.date_of_birth {
        conditions.push(format!("p.date_of_birth = {}", bind(date_of_birth.to_string().into())));
    }
    match &search.postcode {
        Some(PostcodeQuery::Whole(postcode)) => {
            conditions.push(format!("p.postcode = {}", bind(postcode.as_str().into())))
        }
        // Every postcode in an outward code starts with it and a space; `!` is the next character.
        Some(PostcodeQuery::Outward(outward)) => conditions.push(format!(
            "p.postcode >= {} AND p.postcode < {}",
            bind(format!("{outward} ").into()),
            bind(format!("{outward}!").into())
        )),
        None => {}
    }
    conditions
}

pub fn statement(search: &Search, after: Option<&str>, limit: u32) -> Statement {
    let mut statement = Statement::new(String::new());
    let Some(words) = &search.name else {
        let mut conditions = field_conditions(search, &mut statement);
        statement.params.push(after.unwrap_or("").into());
        conditions.push(format!("p.nhs_number > ?{}", statement.params.len()));
        statement.params.push(limit.saturating_add(1).into());
        statement.sql = format!(
            "SELECT {COLUMNS} FROM patients p WHERE {} ORDER BY p.nhs_number LIMIT ?{}",
            conditions.join(" AND "),
            statement.params.len()
        );
        return statement;
    };
    if let [word] = words.as_slice() {
        return one_word_statement(search, word, after, limit);
    }
    // The longest query words drive, as likely the fewest rows: the two longest as a pair, each distinct word
    // of the first's range (the vocabulary) a seek on the pairs' primary key with the second's
    // range, so the cost follows the patients who have both, not either. Every further word is
    // then checked per candidate, through the patient's own few words
    // (`patient_name_words_by_patient`).
    let mut ordered: Vec<&String> = words.iter().collect();
    ordered.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
    let mut ranges = Vec::new();
    for word in &ordered {
        statement.params.push(word.as_str().into());
        statement.params.push(name_search::prefix_upper_bound(word).into());
        let upper = statement.params.len();
        ranges.push((upper - 1, upper));
    }
    let (drive_word, drive_upper) = ranges[0];
    // Two words at least (one went to `one_word_statement`).
    let (pair_word, pair_upper) = ranges[1];
    let checked = &ranges[2..];
    let driven = format!(
        "SELECT pr.nhs_number, max(CASE WHEN pr.word = ?{drive_word} THEN 1 ELSE 0 END)
                                 + max(CASE WHEN pr.other_word = ?{pair_word} THEN 1 ELSE 0 END) AS m
                   -- CROSS JOIN: SQLite keeps this order, one seek per distinct word of the range.
                   FROM patient_search_vocabulary v
                  CROSS JOIN patient_name_pairs pr
                  WHERE v.word >= ?{drive_word} AND v.word < ?{drive_upper}
                    AND pr.word = v.word AND pr.other_word >= ?{pair_word} AND pr.other_word < ?{pair_upper}
                  GROUP BY pr.nhs_number"
    );
    // For each other word: 1 when it is a whole word of the name, 0 when only the start of one,
    // NULL when neither.
    let others: Vec<String> = checked
        .iter()
        .enumerate()
        .map(|(k, (word, upper))| {
            format!(
                "(SELECT max(CASE WHEN o.word = ?{word} THEN 1 ELSE 0 END) FROM patient_name_words o
                   WHERE o.nhs_number = d.nhs_number AND o.word >= ?{word} AND o.word < ?{upper}) AS m{k}"
            )
        })
        .collect();
    let all_found: String = (0..others.len()).map(|k| format!(" AND m{k} IS NOT NULL")).collect();
    let whole_words: String = (0..others.len()).map(|k| format!(" + m{k}")).collect();
    let conditions = field_conditions(search, &mut statement);
    let after = after.and_then(Ranked::from_key).unwrap_or(Ranked {
        partial_words: -1,
        name_length: -1,
        search_name: String::new(),
        nhs_number: String::new(),
    });
    for value in
        [after.partial_words.into(), after.name_length.into(), after.search_name.into(), after.nhs_number.into()]
    {
        statement.params.push(value);
    }
    let a = statement.params.len() - 3;
    statement.params.push(limit.saturating_add(1).into());
    let limit_param = statement.params.len();
    let where_fields: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
    statement.sql = format!(
        "WITH driven AS ({driven}),
              -- Materialised, so each word's check runs once per candidate, not once per use.
              matched AS MATERIALIZED (
                  SELECT d.nhs_number, d.m{other_columns} FROM driven d),
              ranked AS (
                  SELECT {columns}, {count} - (m.m{whole_words}) AS partial_words,
                         length(p.search_name) AS name_length, p.search_name
                    FROM matched m JOIN patients p ON p.nhs_number = m.nhs_number
                   WHERE 1 = 1{all_found}{where_fields})
         SELECT * FROM ranked
          WHERE (partial_words, name_length, search_name, nhs_number) > (?{a}, ?{b}, ?{c}, ?{d})
          ORDER BY partial_words, name_length, search_name, nhs_number
          LIMIT ?{limit_param}",
        other_columns = others.iter().map(|o| format!(", {o}")).collect::<String>(),
        columns = COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", "),
        count = words.len(),
        b = a + 1,
        c = a + 2,
        d = a + 3,
    );
    statement
}

/// A one-word name search, in rank order straight from `patient_name_words_ranked` (migration
/// 0009): first the patients with the whole word, read in (name length, name) order so a page
/// stops after its rows; then, only when those run out, the patients where it is just the start
/// of a word, which are ranked among themselves. SQLite returns a UNION ALL's parts in order and
/// stops at the LIMIT without starting the second part while the first still has rows (a
/// database that does not would need an outer ORDER BY, at the cost of ranking every match).
fn one_word_statement(search: &Search, word: &str, after: Option<&str>, limit: u32) -> Statement {
    let mut statement = Statement::new(String::new()).bind(word).bind(name_search::prefix_upper_bound(word));
    let after = after.and_then(Ranked::from_key);
    let bind = |statement: &mut Statement, value: Value| {
        statement.params.push(value);
        format!("?{}", statement.params.len())
    };
    // Where the previous page ended, within each part (the whole-word part has partial_words 0).
    let (whole_after, prefix_after) = match &after {
        None => (Some(String::new()), String::new()),
        Some(key) => {
            let (length, name, nhs) = (
                bind(&mut statement, key.name_length.into()),
                bind(&mut statement, key.search_name.clone().into()),
                bind(&mut statement, key.nhs_number.clone().into()),
            );
            let tuple = format!("({length}, {name}, {nhs})");
            match key.partial_words {
                0 => (
                    Some(format!(" AND (length(w.search_name), w.search_name, w.nhs_number) > {tuple}")),
                    String::new(),
                ),
                _ => (None, format!(" AND (length(p.search_name), p.search_name, p.nhs_number) > {tuple}")),
            }
        }
    };
    let fields: String = field_conditions(search, &mut statement).iter().map(|c| format!(" AND {c}")).collect();
    let limit_param = bind(&mut statement, limit.saturating_add(1).into());
    let columns = COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    let whole = whole_after.map(|whole_after| {
        format!(
            "SELECT * FROM (
                 SELECT {columns}, 0 AS partial_words, length(w.search_name) AS name_length, w.search_name
                   FROM patient_name_words w
                  CROSS JOIN patients p
                  WHERE w.word = ?1 AND p.nhs_number = w.nhs_number{whole_after}{fields}
                  ORDER BY length(w.search_name), w.search_name, w.nhs_number
                  LIMIT {limit_param}) by_whole_word
             UNION ALL "
        )
    });
    statement.sql = format!(
        "{whole}SELECT * FROM (
             SELECT {columns}, 1 AS partial_words, length(p.search_name) AS name_length, p.search_name
               FROM (SELECT w.nhs_number FROM patient_name_words w
                      WHERE w.word > ?1 AND w.word < ?2 GROUP BY w.nhs_number) e
              CROSS JOIN patients p
              WHERE p.nhs_number = e.nhs_number
                AND NOT EXISTS (SELECT 1 FROM patient_name_words x WHERE x.word = ?1 AND x.nhs_number = p.nhs_number)
                {prefix_after}{fields}
              ORDER BY length(p.search_name), p.search_name, p.nhs_number
              LIMIT {limit_param}) by_prefix
         LIMIT {limit_param}",
        whole = whole.unwrap_or_default(),
    );
    statement
}

pub async fn search(
    db: &impl Database,
    search: &Search,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<Patient>, Error> {
    let rows = read_one(db, statement(search, after, limit)).await?;
    if search.name.is_none() {
        let patients = rows.decode::<Row>()?.into_iter().map(Patient::try_from).collect::<Result<Vec<_>, _>>()?;
        return Ok(Page::from_overfetch(patients, limit, |p| encode_cursor(&p.nhs_number)));
    }
    let mut ranked = Vec::new();
    for mut row in rows.decode::<Row>()? {
        let missing = || Error::Internal("a name search row without its rank".into());
        let key = Ranked {
            partial_words: row.partial_words.ok_or_else(missing)?,
            name_length: row.name_length.ok_or_else(missing)?,
            search_name: row.search_name.take().ok_or_else(missing)?,
            nhs_number: row.nhs_number.clone(),
        };
        ranked.push((key, Patient::try_from(row)?));
    }
    let page = Page::from_overfetch(ranked, limit, |(key, _)| encode_cursor(&key.key()));
    Ok(Page { items: page.items.into_iter().map(|(_, patient)| patient).collect(), next_cursor: page.next_cursor })
}

/// Patients indexed per round trip by [`index_unsearchable`].
pub const INDEX_CHUNK: usize = 200;

/// Gives search words to patients stored before names had them (`search_name` NULL, from before
/// `migrations/0007_patient_search.sql`), at most `max_chunks` chunks of [`INDEX_CHUNK`] a run:
/// the cron sweep calls it. Each chunk is one read and one atomic write of two statements, and a
/// patient renamed meanwhile is left alone (the rename wrote its own words). Returns how many
/// patients were indexed and whether some are left.
pub async fn index_unsearchable(db: &impl Database, max_chunks: usize) -> Result<(usize, bool), super::db::DbError> {
    let mut indexed = 0;
    for _ in 0..max_chunks {
        let pending = read_one(
            db,
            Statement::new(format!("SELECT {COLUMNS} FROM patients WHERE search_name IS NULL LIMIT ?1"))
                .bind(i64::try_from(INDEX_CHUNK).unwrap_or(i64::MAX)),
        )
        .await?
        .decode::<Row>()?;
        if pending.is_empty() {
            return Ok((indexed, false));
        }
        // {"<nhs number>": {"name": …, "search": …, "words": […]}, …}, read as rows.
        let chunk: serde_json::Map<String, serde_json::Value> = pending
            .iter()
            .map(|p| {
                let entry = serde_json::json!({
                    "name": p.name,
                    "search": name_search::sort_key(&p.name),
                    "words": name_search::index_words(&p.name),
                });
                (p.nhs_number.clone(), entry)
            })
            .collect();
        let chunk = serde_json::Value::Object(chunk).to_string();
        let sql = db.dialect();
        let (patients, search, name) =
            (sql.each_member("?1", "p"), sql.member("p.value", "search"), sql.member("p.value", "name"));
        db.write(vec![
            Statement::new(format!(
                "INSERT INTO patient_name_words (word, nhs_number, search_name)
                 SELECT w.value, p.key, {search}
                   FROM {patients} CROSS JOIN {words}
                  WHERE EXISTS (SELECT 1 FROM patients
                                 WHERE nhs_number = p.key AND search_name IS NULL AND name = {name})
                 ON CONFLICT DO NOTHING",
                words = sql.each_text_in("p.value", "words", "w"),
            ))
            .bind(chunk.clone()),
            Statement::new(format!(
                "UPDATE patients
                    SET search_name = (SELECT {search} FROM {patients} WHERE p.key = patients.nhs_number)
                  WHERE search_name IS NULL
                    AND nhs_number IN (SELECT p.key FROM {patients} WHERE {name} = patients.name)"
            ))
            .bind(chunk),
        ])
        .await?;
        indexed += pending.len();
        if pending.len() < INDEX_CHUNK {
            return Ok((indexed, false));
        }
    }
    Ok((indexed, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postcode_query_is_whole_or_an_outward_code() {
        assert!(matches!(PostcodeQuery::parse("sw1a1aa"), Ok(PostcodeQuery::Whole(p)) if p.as_str() == "SW1A 1AA"));
        assert_eq!(PostcodeQuery::parse("sw1a"), Ok(PostcodeQuery::Outward("SW1A".into())));
        assert_eq!(PostcodeQuery::parse("nope").unwrap_err().code, "invalid-postcode");
    }

    #[test]
    fn a_rank_key_reads_back() {
        let key = Ranked {
            partial_words: 1,
            name_length: 14,
            search_name: "dr glenn clark".into(),
            nhs_number: "1373645350".into(),
        };
        assert_eq!(Ranked::from_key(&key.key()), Some(key));
        assert_eq!(Ranked::from_key("1|x|a|b"), None);
    }
}
