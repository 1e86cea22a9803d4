# PANDA messages, British English (the default language).
#
# Each message id is a stable code that PANDA also sends as `code`; the text may change, the id never.
# A problem's value is its `detail`; its `.title` attribute is its `title`.
# A field code's value is the message for one field; `$field` names the field or query parameter.

## Problems: one per response

route-not-found = Nothing is served at { $path }. See /openapi.json for every route.
    .title = Not found
method-not-allowed = { $path } does not accept { $method }; it accepts { $allow }.
    .title = Method not allowed
malformed-json = The body is not valid JSON (parsing stopped at line { $line }, column { $column }).
    .title = Malformed JSON
payload-too-large = The body is larger than the limit of { $limit } bytes.
    .title = Payload too large
unsupported-media-type = Send the body as { $expected }, with a matching Content-Type header.
    .title = Unsupported media type
validation-failed = { $count ->
        [one] One field is invalid; see errors for what to correct.
       *[other] { $count } fields are invalid; see errors for what to correct.
    }
    .title = Invalid input
patient-not-found = There is no patient with NHS number { $nhs_number }.
    .title = Patient not found
appointment-not-found = There is no appointment with id { $id }.
    .title = Appointment not found
patient-exists = A patient with NHS number { $nhs_number } already exists.
    .title = Patient already exists
appointment-exists = An appointment with id { $id } already exists.
    .title = Appointment already exists
appointment-cancelled = This appointment was cancelled. A cancelled appointment is never reinstated or changed; book a new one instead.
    .title = Appointment cancelled
appointment-attended = This appointment has been attended and can no longer change.
    .title = Appointment attended
appointment-missed = This appointment was missed (it ended without being attended) and can no longer change; book a new one instead.
    .title = Appointment missed
appointment-active = This appointment is still active.
    .title = Appointment active
status-change-not-allowed = An active appointment cannot be set to { $to }: only attended or cancelled may be set; missed follows by itself once the appointment has ended.
    .title = Status change not allowed
precondition-failed = The record has changed since you read it (If-Match does not match its current ETag). Read it again and reapply your change.
    .title = Precondition failed
token-missing = Sign in first: send the token from POST /v1/auth/token as "Authorization: Bearer <token>".
    .title = Authentication required
token-invalid = The token is not valid (or its account is disabled or its password changed). Sign in again.
    .title = Invalid token
token-expired = The token has expired. Sign in again.
    .title = Token expired
invalid-credentials = The username or password is wrong.
    .title = Sign-in failed
account-locked = { $minutes ->
        [one] Too many failed sign-ins. The account is locked; try again in one minute.
       *[other] Too many failed sign-ins. The account is locked; try again in { $minutes } minutes.
    }
    .title = Account locked
auth-not-configured = Sign-in is not configured on this server. An administrator has to set its token secret.
    .title = Authentication not configured
bookmark-invalid = X-D1-Bookmark is not a bookmark from this API. Send back one from an earlier answer, or leave the header out.
    .title = Invalid bookmark
database-unavailable = The database could not be reached. Try again shortly.
    .title = Service unavailable
internal-error = Something went wrong on our side. It has been logged; try again or contact support.
    .title = Internal server error

## Field problems: one per invalid field, listed in a validation problem's `errors`

field-required = { $field } is required.
field-not-string = { $field } must be a string.
field-not-nullable = { $field } cannot be removed; send a new value instead of null.
field-read-only = { $field } cannot be changed.
field-unknown = { $field } is not recognised here.
parameter-repeated = { $field } was given more than once.
member-repeated = { $field } appears more than once in the body; send each member once.
body-not-object = The body must be a JSON object.
nhs-number-format = { $field } must be an NHS number of 10 digits (spaces and hyphens between digits are allowed).
nhs-number-checksum = { $field } is not a valid NHS number: its check digit does not match.
invalid-postcode = { $field } is not a UK postcode (for example SW1A 1AA).
text-empty = { $field } cannot be empty.
text-too-long = { $field } must be at most { $max } characters.
text-control-characters = { $field } cannot contain control or text-direction characters.
date-format = { $field } must be a real date written YYYY-MM-DD.
date-in-future = { $field } cannot be in the future.
date-too-early = { $field } cannot be before { $min }.
timestamp-format = { $field } must be an RFC 3339 date and time with an offset, for example 2026-12-01T09:30:00+00:00.
timestamp-missing-offset = { $field } needs a time zone offset (such as Z or +01:00); a time without one is ambiguous.
timestamp-sub-second = { $field } must be given to the whole second.
duration-format = { $field } must be a duration such as 15m, 1h, 1h30m, 90m or PT1H30M.
duration-out-of-range = { $field } must be between { $min } and { $max }.
status-unknown = { $field } must be one of active, attended, cancelled or missed.
appointment-id-format = { $field } must be a UUID, for example 343d31d4-5993-47ef-a468-7884a467ae80.
appointment-ends-in-past = { $field } would make this active appointment end in the past. To record what happened, set status to attended or cancelled instead.
password-too-short = The password must have at least { $min } characters.
password-too-long = The password must be at most { $max } bytes long.
username-format = { $field } must be 1 to 64 letters, digits or . _ - @ characters.
group-by-unknown = { $field } must be clinician or department.
period-unknown = { $field } must be day, week or month.
audit-action-unknown = { $field } must be one of the audit trail's actions: patient.created, patient.updated, patient.erased, patient.viewed, appointment.created, appointment.updated, appointment.deleted, sign-in.succeeded, sign-in.failed, sign-in.locked-out, sign-in.refused-while-locked, user.added, user.password-changed, user.disabled, user.enabled or user.removed.
statistics-too-large = The answer would have more than { $max } rows. Ask for a shorter range (from, to), a longer { $field }, or one clinician or department.
range-empty = { $field } must be later than from: the range from is inclusive, to is exclusive.
patient-unknown = There is no patient with NHS number { $nhs_number }; create the patient first.
limit-out-of-range = { $field } must be a whole number from { $min } to { $max }.
search-no-words = { $field } has nothing to search for: give at least one word of letters or digits.
search-too-many-words = { $field } may have at most { $max } words.
cursor-invalid = { $field } is not a cursor from this list; start again without it.
