# PANDA messages, British English (the default language).
#
# Each message id is a stable problem or validation code that PANDA also sends as `code`.
# A problem's value is its `detail`; its `.title` attribute is its `title`.
# A validation code's value is the message for one field; `$field` names the field.

## Problems (whole-response errors)

route-not-found = Nothing is served at { $path }. See /openapi.json for every route.
    .title = Not found
method-not-allowed = { $path } does not accept { $method }; it accepts { $allow }.
    .title = Method not allowed
database-unavailable = The database could not be reached. Try again shortly.
    .title = Service unavailable
internal-error = Something went wrong on our side. It has been logged; try again or contact support.
    .title = Internal server error
