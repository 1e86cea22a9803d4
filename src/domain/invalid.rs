//! The one shape every refused input value takes inside the domain.
//!
//! A parser says *why* a value was refused with a stable `code` (also the Fluent message id that
//! explains it) and the values the message needs. The HTTP layer adds the field name and the
//! language; the domain never formats user-facing text itself.

/// Why a single value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Stable, machine-readable reason, e.g. `nhs-number-checksum`. Never changes with the language.
    pub code: &'static str,
    /// Named values for the message, e.g. `("max", "200")`.
    pub args: Vec<(&'static str, String)>,
}

impl Invalid {
    pub fn new(code: &'static str) -> Self {
        Self { code, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// One refused value, named by the field (or query parameter) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub invalid: Invalid,
}

impl FieldError {
    pub fn new(field: impl Into<String>, invalid: Invalid) -> Self {
        Self { field: field.into(), invalid }
    }
}
