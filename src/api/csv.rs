//! RFC 4180 CSV for the statistics and the clinician and department lists, asked for with
//! `Accept: text/csv`: a header row, CRLF line ends, UTF-8, numbers as plain digits, a field
//! quoted when it holds a comma, a quote or a line break, and quotes doubled.
//!
//! Names are the staff's free text, so a name that a spreadsheet would run as a formula (one
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP, "CSV Injection") is
//! written with a `'` before it, which spreadsheets show as text. The JSON answer keeps the name
//! exactly; only the CSV cell is defused. Written by hand: a CSV crate would not know which
//! cells hold names, and the rest is a few lines.

/// The media type PANDA writes CSV as.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8; header=present";

/// Whether the client prefers CSV to JSON: `text/csv` with a higher quality than
/// `application/json` (and than `*/*` or `text/*` where JSON is not named). Anything else,
/// an absent or malformed header included, gets JSON.
pub fn preferred(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    let (mut csv, mut json) = (0_u16, 0_u16);
    let mut json_named = false;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q=").and_then(|q| crate::i18n::parse_quality(q.trim())))
            .next()
            .unwrap_or(1000);
        match media.as_str() {
            "text/csv" => csv = csv.max(quality),
            "application/json" => {
                json = json.max(quality);
                json_named = true;
            }
            "*/*" | "application/*" if !json_named => json = json.max(quality),
            _ => {}
        }
    }
    csv > 0 && csv > json
}

/// A CSV document built row by row.
pub struct Csv {
    text: String,
}

/// One cell.
pub enum Cell<'a> {
    /// Free text (a name): quoted when needed, and defused when a spreadsheet would run it.
    Text(&'a str),
    /// A number, written as it is.
    Number(String),
}

impl Csv {
    pub fn with_header(names: &[&str]) -> Self {
        let mut csv = Csv { text: String::new() };
        csv.row(&names.iter().map(|name| Cell::Text(name)).collect::<Vec<_>>());
        csv
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            match cell {
                Cell::Number(number) => self.text.push_str(number),
                Cell::Text(text) => push_text(&mut self.text, text),
            }
        }
        self.text.push_str("\r\n");
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.text.into_bytes()
    }
}

fn push_text(out: &mut String, text: &str) {
    let runs_as_formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = runs_as_formula || text.contains([',', '"', '\r', '\n']);
    if needs_quotes {
        out.push('"');
    }
    if runs_as_formula {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if needs_quotes {
        out.push('"');
    }
}

pub fn number(n: impl ToString) -> Cell<'static> {
    Cell::Number(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(cells: &[Cell<'_>]) -> String {
        let mut csv = Csv { text: String::new() };
        csv.row(cells);
        String::from_utf8(csv.into_bytes()).unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(one(&[Cell::Text("oncology"), number(3), number(0.25)]), "oncology,3,0.25\r\n");
        assert_eq!(one(&[Cell::Text("Clark, Glenn")]), "\"Clark, Glenn\"\r\n");
        assert_eq!(one(&[Cell::Text("The \"Annexe\"")]), "\"The \"\"Annexe\"\"\"\r\n");
        assert_eq!(one(&[Cell::Text("two\nlines")]), "\"two\nlines\"\r\n");
        assert_eq!(one(&[Cell::Text("张阳 Zoë")]), "张阳 Zoë\r\n");
    }

    #[test]
    fn a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text() {
        assert_eq!(
            one(&[Cell::Text("=HYPERLINK(\"http://evil\",\"x\")")]),
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\n"
        );
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"] {
            assert!(one(&[Cell::Text(formula)]).starts_with("\"'"), "{formula:?}");
        }
        // A sign in the middle is harmless.
        assert_eq!(one(&[Cell::Text("Smith-Jones")]), "Smith-Jones\r\n");
    }

    #[test]
    fn csv_is_chosen_only_when_preferred_to_json() {
        assert!(preferred(Some("text/csv")));
        assert!(preferred(Some("text/csv, application/json;q=0.5")));
        assert!(preferred(Some("TEXT/CSV;q=0.9, */*;q=0.1")));
        assert!(!preferred(None));
        assert!(!preferred(Some("*/*")));
        assert!(!preferred(Some("application/json, text/csv")), "a tie goes to JSON");
        assert!(!preferred(Some("text/csv;q=0.5, application/json")));
        assert!(!preferred(Some("text/csv;q=0")));
        assert!(!preferred(Some("text/html")));
    }
}
