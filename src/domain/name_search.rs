//! Finding a patient by name however it was written, without ever changing the stored name.
//!
//! A name is indexed as its *search words*: folded (case and accents removed, so `Zoë Ólafsdóttir`
//! gives `zoe` and `olafsdottir`, and `Łukasz` gives `lukasz`) and split at anything that is not a
//! letter or a digit (`Ashton-Miller` gives `ashton` and `miller`; an apostrophe joins, so
//! `O'Brien` gives `obrien`). Scripts written without spaces between words (Chinese, Japanese,
//! Thai and their neighbours) have no word boundaries to go by, so a run of them is indexed as
//! every one of its suffixes: `刘桂荣` gives `刘桂荣`, `桂荣` and `荣`, and a search for any part of
//! the name is then a search for the start of one of them.
//!
//! A query is folded and split the same way, and each of its words must be the start of a word of
//! the name, in any order (`clark gl` finds `Dr Glenn Clark`). The words live in
//! `patient_name_words` (`migrations/0007_patient_search.sql`), written in the same batch as the
//! patient, so the search is a range seek on an index for each query word: plain SQL that any
//! database runs.
//!
//! By hand, not with a search engine: SQLite's FTS5 folds only letters that decompose (not `Ł`,
//! `Ø` or `ß`), has no substring search for two-character names, and its virtual tables cannot be
//! exported with `wrangler d1 export` nor moved to another database.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;

/// The most words a name query may have.
pub const MAX_QUERY_WORDS: usize = 8;

/// The most search words a name is indexed under: every pair of them is indexed too
/// (`migrations/0008_patient_name_pairs.sql`), so this bounds a name's rows at 32 + 32 × 31. Real
/// names have far fewer; a name of more is searchable by its first 32.
pub const MAX_INDEX_WORDS: usize = 32;

/// The folded form of `text`: decomposed, combining marks dropped, letters that carry their
/// accent in the letter itself replaced by their plain form, lowercased.
///
/// Canonical decomposition (NFD) and the combining class, not compatibility decomposition or the
/// Mark category: both tables are in the wasm already for NFC, and the others cost 60 KB of it.
/// So full-width letters and ligatures such as `ǆ` are not folded, and spacing vowel signs
/// (Devanagari's, say) are kept, as the letters they are.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| canonical_combining_class(*c) == 0) {
        match plain_letter(c) {
            Some(plain) => folded.push_str(plain),
            None => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// Letters with no decomposition to a plain letter and a mark, written as a reader of the
/// language would type them on an English keyboard.
fn plain_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'Ł' | 'ł' => "l",
        'Ø' | 'ø' => "o",
        'Đ' | 'đ' | 'Ð' | 'ð' => "d",
        'Ħ' | 'ħ' => "h",
        'Ŧ' | 'ŧ' => "t",
        'ı' => "i",
        'ß' | 'ẞ' => "ss",
        'Æ' | 'æ' => "ae",
        'Œ' | 'œ' => "oe",
        'Þ' | 'þ' => "th",
        'Ŀ' | 'ŀ' => "l",
        _ => return None,
    })
}

/// Scripts written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F  // CJK Extensions B to G
    )
}

/// Whether `c` belongs to a word: an ASCII letter or digit, or any other character but spaces and
/// the punctuation and symbol blocks names meet (general punctuation, Latin-1 signs, CJK and
/// full-width punctuation). Not `char::is_alphanumeric`, whose Unicode tables cost the wasm more
/// than a name ever needs; a name holds letters, spaces and a few marks of punctuation.
fn is_word_character(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !c.is_whitespace()
        && !matches!(c as u32,
            0x00A0..=0x00BF | 0x00D7 | 0x00F7  // Latin-1 signs
            | 0x2000..=0x206F                  // general punctuation
            | 0x3000..=0x303F                  // CJK punctuation
            | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65  // full-width
        )
}

/// The folded words of `text`, in order: runs of letters and digits; a run in an unspaced script
/// is a word of its own, and the apostrophes inside a word are dropped.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut unspaced = false;
    let end = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in fold(text).chars() {
        if matches!(c, '\'' | '’' | 'ʼ') && !word.is_empty() && !unspaced {
            continue;
        }
        if !is_word_character(c) {
            end(&mut word, &mut words);
            continue;
        }
        if is_unspaced(c) != unspaced {
            end(&mut word, &mut words);
            unspaced = is_unspaced(c);
        }
        word.push(c);
    }
    end(&mut word, &mut words);
    words
}

/// What a name is indexed under: its words, and every suffix of a word in an unspaced script.
/// Each once, in a stable order, at most [`MAX_INDEX_WORDS`].
pub fn index_words(name: &str) -> Vec<String> {
    let mut indexed: Vec<String> = Vec::new();
    for word in words(name) {
        let is_run = word.chars().next().is_some_and(is_unspaced);
        let suffixes: Vec<String> =
            if is_run { word.char_indices().map(|(i, _)| word[i..].to_owned()).collect() } else { vec![word] };
        for suffix in suffixes {
            if indexed.len() == MAX_INDEX_WORDS {
                return indexed;
            }
            if !indexed.contains(&suffix) {
                indexed.push(suffix);
            }
        }
    }
    indexed
}

/// The name as search results sort by it: its words, folded, one space between them.
pub fn sort_key(name: &str) -> String {
    words(name).join(" ")
}

/// The words of a name query, each to be the start of a word of the name. Codes:
/// `search-no-words` (nothing to search for once folded: only punctuation, say) and
/// `search-too-many-words` (more than [`MAX_QUERY_WORDS`]).
pub fn query_words(query: &str) -> Result<Vec<String>, Invalid> {
    let mut unique: Vec<String> = Vec::new();
    for word in words(query) {
        if !unique.contains(&word) {
            unique.push(word);
        }
    }
    if unique.is_empty() {
        return Err(Invalid::new("search-no-words"));
    }
    if unique.len() > MAX_QUERY_WORDS {
        return Err(Invalid::new("search-too-many-words").with("max", MAX_QUERY_WORDS));
    }
    Ok(unique)
}

/// The first string after every string that starts with `prefix`, for a range seek
/// (`word >= prefix AND word < upper`): `prefix` followed by the highest code point, whose UTF-8
/// sorts after that of any other character.
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold_away() {
        assert_eq!(fold("Zoë Ólafsdóttir"), "zoe olafsdottir");
        assert_eq!(fold("ŁUKASZ"), "lukasz");
        assert_eq!(fold("Søren Straße"), "soren strasse");
        assert_eq!(fold("Çağlar Öztürk"), "caglar ozturk");
        assert_eq!(fold("Nguyễn Thị Ánh"), "nguyen thi anh", "stacked marks");
    }

    #[test]
    fn words_break_at_spaces_and_punctuation_in_any_script() {
        assert_eq!(index_words("Kovač–Horvat, «Ana»"), ["kovac", "horvat", "ana"]);
        assert_eq!(index_words("山田、太郎"), ["山田", "田", "太郎", "郎"]);
        assert_eq!(index_words("Nguyễn\u{00A0}Văn"), ["nguyen", "van"]);
    }

    #[test]
    fn names_are_indexed_by_their_words() {
        assert_eq!(index_words("Dr Glenn Clark"), ["dr", "glenn", "clark"]);
        assert_eq!(index_words("Sara Ashton-Miller"), ["sara", "ashton", "miller"]);
        assert_eq!(index_words("Siobhán O'Brien"), ["siobhan", "obrien"]);
        assert_eq!(index_words("कुलकर्णी, तृष्णा").len(), 2);
        assert_eq!(index_words("  "), Vec::<String>::new());
    }

    #[test]
    fn an_unspaced_name_is_indexed_by_every_part_it_ends_with() {
        assert_eq!(index_words("刘桂荣"), ["刘桂荣", "桂荣", "荣"]);
        assert_eq!(index_words("山田 太郎"), ["山田", "田", "太郎", "郎"]);
        assert_eq!(index_words("Leah 陈"), ["leah", "陈"]);
    }

    #[test]
    fn a_name_is_indexed_under_at_most_32_words() {
        let long: String = (0..50).map(|i| format!("w{i} ")).collect();
        let indexed = index_words(&long);
        assert_eq!(indexed.len(), MAX_INDEX_WORDS);
        assert_eq!(indexed[31], "w31");
        assert_eq!(index_words(&"刘".repeat(200)).len(), MAX_INDEX_WORDS, "a run of 200 has 200 suffixes");
    }

    #[test]
    fn every_query_word_is_the_start_of_an_indexed_word() {
        let matches = |query: &str, name: &str| {
            let indexed = index_words(name);
            query_words(query).unwrap().iter().all(|q| indexed.iter().any(|w| w.starts_with(q.as_str())))
        };
        assert!(matches("zoe olafsdottir", "Zoë Ólafsdóttir"));
        assert!(matches("LUKASZ", "Łukasz Nowak"));
        assert!(matches("clark gl", "Dr Glenn Clark"));
        assert!(matches("桂荣", "刘桂荣"));
        assert!(matches("桂", "刘桂荣"));
        assert!(matches("o'brien", "Siobhán O’Brien"));
        assert!(!matches("lark", "Dr Glenn Clark"), "the start of a word, not any part");
        assert!(!matches("glenn smith", "Dr Glenn Clark"), "every word of the query");
    }

    #[test]
    fn a_query_must_have_words_and_not_too_many() {
        assert_eq!(query_words("  Clark  clark ").unwrap(), ["clark"]);
        assert_eq!(query_words("!!!").unwrap_err().code, "search-no-words");
        assert_eq!(query_words("a b c d e f g h i").unwrap_err().code, "search-too-many-words");
    }

    #[test]
    fn the_upper_bound_sorts_after_every_longer_word() {
        let upper = prefix_upper_bound("cla");
        for word in ["cla", "clark", "clażż", "cla\u{10FFFE}"] {
            assert!(word < upper.as_str(), "{word}");
        }
        assert!("clb" > upper.as_str());
    }
}
