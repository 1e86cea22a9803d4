//! Which revision of a record a client has seen, for optimistic concurrency (ETag / If-Match).
//!
//! `version` counts the record's writes; `created_at` tells a record apart from an earlier one
//! that had the same key and was deleted, so an old ETag never matches a re-created record.

use super::db::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    pub version: i64,
    pub created_at: i64,
}

impl Revision {
    /// The strong entity tag, e.g. `"3-1764547200"`.
    pub fn etag(self) -> String {
        format!("\"{}-{}\"", self.version, self.created_at)
    }

    /// Parses one strong entity tag made by [`Revision::etag`]. Weak or foreign tags give `None`,
    /// which never matches (RFC 9110 compares If-Match strongly).
    pub fn from_etag(tag: &str) -> Option<Self> {
        let inner = tag.trim().strip_prefix('"')?.strip_suffix('"')?;
        let (version, created_at) = inner.split_once('-')?;
        Some(Self { version: version.parse().ok()?, created_at: created_at.parse().ok()? })
    }
}

/// What a write requires of the current record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match`: last writer wins.
    None,
    /// `If-Match: *`: the record must exist.
    Exists,
    /// `If-Match: "<etag>"`: the record must be exactly this revision.
    Revision(Revision),
    /// `If-Match` with a tag that can never match (weak, malformed, or not ours): every
    /// conditional write is refused.
    Unmatchable,
}

impl Precondition {
    /// From the `If-Match` header. Of a list of tags only the first is considered.
    pub fn from_if_match(header: Option<&str>) -> Self {
        match header.map(str::trim) {
            None => Precondition::None,
            Some("*") => Precondition::Exists,
            Some(list) => match list.split(',').next().and_then(Revision::from_etag) {
                Some(revision) => Precondition::Revision(revision),
                None => Precondition::Unmatchable,
            },
        }
    }

    pub fn allows(self, current: Revision) -> bool {
        match self {
            Precondition::None | Precondition::Exists => true,
            Precondition::Revision(expected) => expected == current,
            Precondition::Unmatchable => false,
        }
    }

    /// The `(version, created_at)` a conditional write binds: NULLs when any revision will do, and
    /// -1 for a tag that can never match, since no row has version -1.
    pub fn sql_params(self) -> (Value, Value) {
        match self {
            Precondition::None | Precondition::Exists => (Value::Null, Value::Null),
            Precondition::Revision(r) => (r.version.into(), r.created_at.into()),
            Precondition::Unmatchable => ((-1_i64).into(), (-1_i64).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_round_trip() {
        let revision = Revision { version: 3, created_at: 1_764_547_200 };
        assert_eq!(revision.etag(), "\"3-1764547200\"");
        assert_eq!(Revision::from_etag(&revision.etag()), Some(revision));
    }

    #[test]
    fn weak_and_malformed_tags_never_match() {
        let current = Revision { version: 1, created_at: 5 };
        for header in ["W/\"1-5\"", "1-5", "\"1\"", "\"a-b\"", "\"\"", "\"1-5"] {
            assert!(!Precondition::from_if_match(Some(header)).allows(current), "{header}");
        }
    }

    #[test]
    fn a_stale_etag_does_not_match() {
        let stale = Revision { version: 1, created_at: 5 };
        let current = Revision { version: 2, created_at: 5 };
        assert!(!Precondition::from_if_match(Some(&stale.etag())).allows(current));
        assert!(Precondition::from_if_match(Some(&current.etag())).allows(current));
        assert!(Precondition::from_if_match(Some("*")).allows(current));
        assert!(Precondition::from_if_match(None).allows(current));
    }
}
