"""Schemathesis hooks for PANDA (tests/fuzz/run.mjs loads them).

Two rules of PANDA's cannot be written in JSON Schema, so the fuzzer is taught them here:

- an NHS number's check digit (the mod-11 rule): the document marks NHS numbers with the format
  `nhs-number`, and this file generates them with a valid check digit, half of them the example
  patients' own numbers, so that requests reach records that exist;
- what depends on the data or on another value (existence, the state of a record, one parameter
  against another): a schema-valid request may be refused for those, with exactly the codes in
  REFUSALS_THE_SCHEMA_CANNOT_STATE, and for nothing else.
"""

import json
import pathlib

import schemathesis
from hypothesis import strategies as st

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE_NHS_NUMBERS = [p["nhs_number"] for p in json.loads((ROOT / "tests/fixtures/example_patients.json").read_text())]


def _with_check_digit(first_nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 10:
        return None
    return first_nine + str(0 if check == 11 else check)


_new_nhs_numbers = st.text("0123456789", min_size=9, max_size=9).map(_with_check_digit).filter(bool)
schemathesis.openapi.format("nhs-number", st.one_of(st.sampled_from(EXAMPLE_NHS_NUMBERS), _new_nhs_numbers))

# Statuses a schema-valid request may get for what JSON Schema cannot say: a record that does not
# exist (404), a conflict with a record's state or existence (409), a stale or unmatched If-Match
# (412), a locked account (429); and, on the sign-in route only, credentials that match no
# account (401).
STATUSES_THE_SCHEMA_CANNOT_STATE = {404, 409, 412, 429}
SIGN_IN = "/v1/auth/token"

# Field codes of a 422 that JSON Schema cannot rule out (README, "Security", lists them with why).
REFUSALS_THE_SCHEMA_CANNOT_STATE = {
    "patient-unknown",  # a booking names a patient who is not registered: existence
    "cursor-invalid",  # a cursor is opaque: only one the server issued is valid
    "range-empty",  # `to` must be after `from`: one value against another
    "nhs-number-checksum",  # the mod-11 rule (the hooks above generate valid ones)
    "date-in-future",  # a birth date after today: the clock
    "appointment-ends-in-past",  # an active appointment that would be over already: the clock
    "statistics-too-large",  # more groups times periods than one answer holds: the data
    "search-no-words",  # a name search needs a letter or a digit (a Unicode property)
    "search-too-many-words",  # a name search has at most 8 words
}


@schemathesis.check
def refused_only_for_rules_json_schema_cannot_state(ctx, response, case):
    """A schema-valid request is answered 2xx, or refused only for a rule the schema cannot state."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status == 401 and case.path == SIGN_IN:
        return None
    if 200 <= status < 300 or status in STATUSES_THE_SCHEMA_CANNOT_STATE or status >= 500:
        return None  # 5xx is not_a_server_error's to report
    if status == 422:
        try:
            codes = {error["code"] for error in response.json().get("errors", [])}
        except (ValueError, AttributeError, TypeError):
            codes = set()
        if codes and codes <= REFUSALS_THE_SCHEMA_CANNOT_STATE:
            return None
        raise AssertionError(f"schema-valid request refused with 422 {sorted(codes)}: {response.text[:500]}")
    raise AssertionError(f"schema-valid request refused with {status}: {response.text[:500]}")
