//! Reading client input (a JSON body or a query string) field by field, collecting every
//! problem instead of stopping at the first, so one 422 lists all invalid fields.

use serde_json::{Map, Value};

use super::error::Error;
use super::http::{Request, MAX_BODY_BYTES};
use crate::domain::invalid::FieldError;
use crate::domain::invalid::Invalid;

pub const JSON: &str = "application/json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// The results of reading required fields (a tuple of `Option`s), which are the values only when
/// every one of them was read.
pub trait Required {
    type Values;
    fn values(self) -> Option<Self::Values>;
}

impl Required for () {
    type Values = ();
    fn values(self) -> Option<()> {
        Some(())
    }
}

macro_rules! required_tuple {
    ($($name:ident),+) => {
        impl<$($name),+> Required for ($(Option<$name>,)+) {
            type Values = ($($name,)+);
            #[allow(non_snake_case)]
            fn values(self) -> Option<Self::Values> {
                let ($($name,)+) = self;
                Some(($($name?,)+))
            }
        }
    };
}
required_tuple!(A);
required_tuple!(A, B);
required_tuple!(A, B, C, D);
required_tuple!(A, B, C, D, E, F);

/// A JSON body as PANDA reads it: an object, noting every member name that appears more than once
/// (I-JSON, RFC 7493, forbids them: two parsers on the way could each take a different one), or
/// anything else.
enum Body {
    Object { values: Map<String, Value>, repeated: Vec<String> },
    Other,
}

impl<'de> serde::Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Body;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
                let (mut values, mut repeated) = (Map::new(), Vec::new());
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    if values.contains_key(&name) {
                        if !repeated.contains(&name) {
                            repeated.push(name);
                        }
                    } else {
                        values.insert(name, value);
                    }
                }
                Ok(Body::Object { values, repeated })
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Body::Other)
            }

            fn visit_bool<E>(self, _: bool) -> Result<Body, E> {
                Ok(Body::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Body, E> {
                Ok(Body::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Body, E> {
                Ok(Body::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Body, E> {
                Ok(Body::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Body, E> {
                Ok(Body::Other)
            }
            fn visit_unit<E>(self) -> Result<Body, E> {
                Ok(Body::Other)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Named input values, taken out one at a time; whatever is left at the end is unknown.
pub struct Fields {
    values: Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Fields {
    /// The request body as a JSON object. `accepted` lists the media types this route takes.
    pub fn from_json_body(request: &Request, accepted: &[&'static str]) -> Result<Self, Error> {
        if request.body.len() > MAX_BODY_BYTES {
            return Err(Error::PayloadTooLarge { limit: MAX_BODY_BYTES });
        }
        let media_type = request
            .header("content-type")
            .and_then(|value| value.split(';').next())
            .map(|essence| essence.trim().to_ascii_lowercase());
        if !media_type.is_some_and(|m| accepted.contains(&m.as_str())) {
            return Err(Error::UnsupportedMediaType { expected: accepted.first().copied().unwrap_or(JSON) });
        }
        // serde_json refuses invalid UTF-8 and nesting deeper than 128 levels with an error.
        let body: Body = serde_json::from_slice(&request.body)
            .map_err(|e| Error::MalformedJson { line: e.line(), column: e.column() })?;
        match body {
            Body::Object { values, repeated } => {
                let errors =
                    repeated.into_iter().map(|name| FieldError::new(name, Invalid::new("member-repeated"))).collect();
                Ok(Self { values, errors })
            }
            Body::Other => Err(Error::invalid("(body)", Invalid::new("body-not-object"))),
        }
    }

    /// A query string (`a=1&b=2`), decoded as `application/x-www-form-urlencoded` (`+` is a space;
    /// a malformed escape is kept as it is; invalid UTF-8 becomes U+FFFD, which every parser then
    /// refuses). A repeated parameter is an error.
    pub fn from_query(query: &str) -> Self {
        let mut fields = Self { values: Map::new(), errors: Vec::new() };
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if fields.values.contains_key(name.as_ref()) {
                fields.errors.push(FieldError::new(name, Invalid::new("parameter-repeated")));
            } else {
                fields.values.insert(name.into_owned(), Value::String(value.into_owned()));
            }
        }
        fields
    }

    /// A field that must be present as a string.
    pub fn required<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        match self.values.remove(name) {
            None | Some(Value::Null) => self.refuse(name, Invalid::new("field-required")),
            Some(value) => self.parse(name, &value, parse),
        }
    }

    /// A field that may be absent (or null): `None` then.
    pub fn optional<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        match self.values.remove(name) {
            None | Some(Value::Null) => None,
            Some(value) => self.parse(name, &value, parse),
        }
    }

    /// A merge-patch member: absent leaves the field alone, `null` would remove it, which no
    /// PANDA field allows.
    pub fn patch<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        match self.values.remove(name) {
            None => None,
            Some(Value::Null) => self.refuse(name, Invalid::new("field-not-nullable")),
            Some(value) => self.parse(name, &value, parse),
        }
    }

    /// A field that identifies the record and so cannot change: sending it unchanged (in any
    /// form that parses to the current value) is fine, as when a client sends the whole object back.
    pub fn read_only<T: PartialEq>(&mut self, name: &str, current: &T, parse: impl FnOnce(&str) -> Result<T, Invalid>) {
        if let Some(sent) = self.patch(name, parse) {
            if &sent != current {
                self.refuse::<()>(name, Invalid::new("field-read-only"));
            }
        }
    }

    /// Fields PANDA sets itself (`created_at`, `updated_at`): ignored when sent back.
    pub fn server_set(&mut self, names: &[&str]) {
        for name in names {
            self.values.remove(*name);
        }
    }

    /// Ends reading: every field not taken is unknown; any problem makes the whole input a 422.
    pub fn finish(self) -> Result<(), Error> {
        self.finish_with(())
    }

    /// Ends reading, like [`Fields::finish`], and hands back the values of the required fields
    /// read before: `let (a, b) = fields.finish_with((a, b))?`. A required field is missing only
    /// when reading it recorded a problem, so whenever they are all there and nothing else is wrong,
    /// the values come out as they are, and otherwise the 422 lists every problem.
    pub fn finish_with<R: Required>(mut self, required: R) -> Result<R::Values, Error> {
        let unknown: Vec<String> = self.values.keys().cloned().collect();
        for name in unknown {
            self.errors.push(FieldError::new(name, Invalid::new("field-unknown")));
        }
        match required.values() {
            Some(values) if self.errors.is_empty() => Ok(values),
            _ => Err(Error::Validation(self.errors)),
        }
    }

    fn parse<T>(&mut self, name: &str, value: &Value, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        let Value::String(text) = value else {
            return self.refuse(name, Invalid::new("field-not-string"));
        };
        match parse(text) {
            Ok(parsed) => Some(parsed),
            Err(invalid) => self.refuse(name, invalid),
        }
    }

    /// Records a problem found outside the parsers (e.g. a cursor that decodes but means nothing).
    pub fn refuse<T>(&mut self, name: &str, invalid: Invalid) -> Option<T> {
        self.errors.push(FieldError::new(name, invalid));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(content_type: &str, body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            ..Request::default()
        }
    }

    fn codes(error: Error) -> Vec<(String, &'static str)> {
        match error {
            Error::Validation(errors) => errors.into_iter().map(|e| (e.field, e.invalid.code)).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_refused_with_its_position() {
        let error = Fields::from_json_body(&post(JSON, "{\n  \"a\": }"), &[JSON]).err().unwrap();
        assert_eq!(error, Error::MalformedJson { line: 2, column: 8 });
    }

    #[test]
    fn a_member_given_twice_is_refused_by_name_whatever_else_is_right() {
        let body = r#"{"nhs_number": "9434765919", "name": "A", "nhs_number": "1373645350", "name": "B", "name": "C"}"#;
        let mut fields = Fields::from_json_body(&post(JSON, body), &[JSON]).unwrap();
        assert_eq!(fields.required("nhs_number", |s| Ok(s.to_owned())).as_deref(), Some("9434765919"));
        fields.required("name", |s| Ok(s.to_owned()));
        assert_eq!(
            codes(fields.finish().unwrap_err()),
            vec![("nhs_number".into(), "member-repeated"), ("name".into(), "member-repeated")]
        );
    }

    #[test]
    fn bodies_that_are_not_objects_are_refused_whatever_they_are() {
        for body in ["[1, {\"a\": 1}]", "\"text\"", "7", "-1", "1.5", "true", "null"] {
            let error = Fields::from_json_body(&post(JSON, body), &[JSON]).err().unwrap();
            assert_eq!(error, Error::invalid("(body)", Invalid::new("body-not-object")), "{body}");
        }
    }

    #[test]
    fn the_wrong_content_type_is_refused() {
        for content_type in ["text/plain", "", "application/jsonx"] {
            let error = Fields::from_json_body(&post(content_type, "{}"), &[JSON]).err().unwrap();
            assert_eq!(error, Error::UnsupportedMediaType { expected: JSON });
        }
        assert!(Fields::from_json_body(&post("Application/JSON; charset=utf-8", "{}"), &[JSON]).is_ok());
    }

    #[test]
    fn bodies_over_64_kib_are_refused() {
        let body = format!("\"{}\"", "a".repeat(MAX_BODY_BYTES));
        let error = Fields::from_json_body(&post(JSON, &body), &[JSON]).err().unwrap();
        assert_eq!(error, Error::PayloadTooLarge { limit: MAX_BODY_BYTES });
    }

    #[test]
    fn deep_nesting_and_invalid_utf8_are_malformed_not_fatal() {
        let deep = "[".repeat(10_000);
        assert!(matches!(Fields::from_json_body(&post(JSON, &deep), &[JSON]), Err(Error::MalformedJson { .. })));
        let mut request = post(JSON, "");
        request.body = b"{\"name\": \"\xff\"}".to_vec();
        assert!(matches!(Fields::from_json_body(&request, &[JSON]), Err(Error::MalformedJson { .. })));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut fields = Fields::from_json_body(&post(JSON, r#"{"a": 1, "b": null, "extra": true}"#), &[JSON]).unwrap();
        fields.required("a", |s| Ok(s.to_owned()));
        fields.required("b", |s| Ok(s.to_owned()));
        fields.required("c", |s| Ok(s.to_owned()));
        assert_eq!(
            codes(fields.finish().unwrap_err()),
            vec![
                ("a".into(), "field-not-string"),
                ("b".into(), "field-required"),
                ("c".into(), "field-required"),
                ("extra".into(), "field-unknown"),
            ]
        );
    }

    #[test]
    fn required_values_come_out_of_finishing_only_when_nothing_is_wrong() {
        let read = |body: &str| {
            let mut fields = Fields::from_json_body(&post(JSON, body), &[JSON]).unwrap();
            let a = fields.required("a", |s| Ok(s.to_owned()));
            let b = fields.required("b", |s| s.parse::<u8>().map_err(|_| Invalid::new("not-a-number")));
            fields.finish_with((a, b))
        };
        assert_eq!(read(r#"{"a": "x", "b": "7"}"#), Ok(("x".to_owned(), 7)));
        assert_eq!(codes(read(r#"{"a": "x", "b": "seven"}"#).unwrap_err()), vec![("b".into(), "not-a-number")]);
        assert_eq!(
            codes(read(r#"{"a": "x", "b": "7", "c": 1}"#).unwrap_err()),
            vec![("c".into(), "field-unknown")],
            "all values read, yet something else is wrong"
        );
    }

    #[test]
    fn merge_patch_null_is_refused_and_absent_is_left_alone() {
        let mut fields = Fields::from_json_body(&post(MERGE_PATCH, r#"{"name": null}"#), &[MERGE_PATCH]).unwrap();
        assert_eq!(fields.patch("name", |s| Ok(s.to_owned())), None);
        assert_eq!(fields.patch("postcode", |s| Ok(s.to_owned())), None);
        assert_eq!(codes(fields.finish().unwrap_err()), vec![("name".into(), "field-not-nullable")]);
    }

    #[test]
    fn query_strings_are_percent_decoded_and_repeats_refused() {
        let mut fields = Fields::from_query("clinician=Dr+Jordan%20Lewis&limit=5&limit=6&%zz=1");
        assert_eq!(fields.optional("clinician", |s| Ok(s.to_owned())).as_deref(), Some("Dr Jordan Lewis"));
        assert_eq!(fields.optional("limit", |s| Ok(s.to_owned())).as_deref(), Some("5"));
        assert_eq!(
            codes(fields.finish().unwrap_err()),
            vec![("limit".into(), "parameter-repeated"), ("%zz".into(), "field-unknown")]
        );
    }

    #[test]
    fn odd_escapes_in_a_query_are_kept_or_replaced_never_fatal() {
        let mut fields = Fields::from_query("a=%&b=%f&c=%ff%fe&d=%E5%BC%A0&e=+");
        let mut take = |name| fields.optional(name, |s| Ok(s.to_owned())).unwrap();
        assert_eq!(take("a"), "%");
        assert_eq!(take("b"), "%f");
        assert_eq!(take("c"), "\u{fffd}\u{fffd}");
        assert_eq!(take("d"), "张");
        assert_eq!(take("e"), " ");
    }
}
