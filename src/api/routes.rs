//! Every route PANDA serves, in one table. The OpenAPI test walks this table, so a route cannot
//! exist without being documented.

/// What a request asks for, with its path parameters (percent-decoded) already extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Health,
    Live,
    CreateToken,
    ListPatients,
    CreatePatient,
    GetPatient(String),
    UpdatePatient(String),
    DeletePatient(String),
    ListPatientAppointments(String),
    ListAppointments,
    CreateAppointment,
    GetAppointment(String),
    UpdateAppointment(String),
    ListClinicians,
    ListDepartments,
    MissedStatistics,
    ListAudit,
    PatientAudit(String),
}

impl Route {
    /// Everything under `/v1` needs a signed-in user, except signing in.
    pub fn requires_authentication(&self) -> bool {
        !matches!(self, Route::Health | Route::Live | Route::CreateToken)
    }
}

/// One route: a method, a path template, and how the [`Route`] is made from the template's `{}`
/// parameters (percent-decoded, in order). Routing, the `Allow` header and the OpenAPI tests all
/// read this one table.
pub struct RouteSpec {
    pub method: &'static str,
    pub template: &'static str,
    pub route: fn(Vec<String>) -> Route,
}

/// The first path parameter: every template with parameters has exactly one.
fn first(params: Vec<String>) -> String {
    params.into_iter().next().unwrap_or_default()
}

#[rustfmt::skip]
pub const ROUTES: &[RouteSpec] = &[
    RouteSpec { method: "GET", template: "/health", route: |_| Route::Health },
    RouteSpec { method: "GET", template: "/health/live", route: |_| Route::Live },
    RouteSpec { method: "POST", template: "/v1/auth/token", route: |_| Route::CreateToken },
    RouteSpec { method: "GET", template: "/v1/patients", route: |_| Route::ListPatients },
    RouteSpec { method: "POST", template: "/v1/patients", route: |_| Route::CreatePatient },
    RouteSpec { method: "GET", template: "/v1/patients/{nhs_number}", route: |p| Route::GetPatient(first(p)) },
    RouteSpec { method: "PATCH", template: "/v1/patients/{nhs_number}", route: |p| Route::UpdatePatient(first(p)) },
    RouteSpec { method: "DELETE", template: "/v1/patients/{nhs_number}", route: |p| Route::DeletePatient(first(p)) },
    RouteSpec {
        method: "GET", template: "/v1/patients/{nhs_number}/appointments",
        route: |p| Route::ListPatientAppointments(first(p)),
    },
    RouteSpec { method: "GET", template: "/v1/appointments", route: |_| Route::ListAppointments },
    RouteSpec { method: "POST", template: "/v1/appointments", route: |_| Route::CreateAppointment },
    RouteSpec { method: "GET", template: "/v1/appointments/{id}", route: |p| Route::GetAppointment(first(p)) },
    RouteSpec { method: "PATCH", template: "/v1/appointments/{id}", route: |p| Route::UpdateAppointment(first(p)) },
    RouteSpec { method: "GET", template: "/v1/clinicians", route: |_| Route::ListClinicians },
    RouteSpec { method: "GET", template: "/v1/departments", route: |_| Route::ListDepartments },
    RouteSpec { method: "GET", template: "/v1/stats/missed", route: |_| Route::MissedStatistics },
    RouteSpec { method: "GET", template: "/v1/audit", route: |_| Route::ListAudit },
    RouteSpec { method: "GET", template: "/v1/patients/{nhs_number}/audit", route: |p| Route::PatientAudit(first(p)) },
];

/// Paths that the worker's entry module (`src/shell/entry.mjs`) answers from files in the bundle,
/// for GET and HEAD, before a request reaches this table; documented in the OpenAPI document all
/// the same. (So is `/docs`, the page that renders that document.)
pub const BUNDLED_FILES: &[&str] = &["/openapi.json"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    NotFound,
    MethodNotAllowed { allow: Vec<&'static str> },
}

/// Finds the route for `method` and `path`, or says why there is none: no template matches (404), or
/// some do but not with this method (405, with the methods that would do).
pub fn resolve(method: &str, path: &str) -> Result<Route, Miss> {
    resolve_with_template(method, path).map(|(_, route)| route)
}

/// [`resolve`], with the template that matched: the route's name in the log.
pub fn resolve_with_template(method: &str, path: &str) -> Result<(&'static str, Route), Miss> {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let mut allow = Vec::new();
    for spec in ROUTES {
        let Some(params) = match_template(spec.template, path) else { continue };
        if spec.method == method {
            return Ok((spec.template, (spec.route)(params)));
        }
        allow.push(spec.method);
    }
    if allow.is_empty() {
        Err(Miss::NotFound)
    } else {
        Err(Miss::MethodNotAllowed { allow })
    }
}

/// Matches `/a/{x}/b` against `/a/1/b`, returning the decoded `{}` segments in order.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') && !ps.is_empty() => {
                params.push(percent_encoding::percent_decode_str(ps).decode_utf8_lossy().into_owned())
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_resolves_to_its_own_route() {
        for spec in ROUTES {
            let path = spec.template.replace("{nhs_number}", "9434765919").replace("{id}", "x");
            assert_eq!(resolve(spec.method, &path), Ok((spec.route)(vec![path_parameter(spec.template)])));
        }
    }

    fn path_parameter(template: &str) -> String {
        if template.contains("{nhs_number}") { "9434765919" } else { "x" }.to_owned()
    }

    #[test]
    fn path_parameters_are_extracted_and_decoded() {
        assert_eq!(resolve("GET", "/v1/patients/943%20476%205919"), Ok(Route::GetPatient("943 476 5919".into())));
        assert_eq!(
            resolve("GET", "/v1/patients/9434765919/appointments/"),
            Ok(Route::ListPatientAppointments("9434765919".into()))
        );
    }

    #[test]
    fn unknown_paths_are_not_found() {
        assert_eq!(resolve("GET", "/nope"), Err(Miss::NotFound));
        assert_eq!(resolve("GET", "/"), Err(Miss::NotFound));
        assert_eq!(resolve("GET", "/v1/patients/1/2/3"), Err(Miss::NotFound));
    }

    #[test]
    fn wrong_methods_list_the_allowed_ones() {
        assert_eq!(resolve("POST", "/health"), Err(Miss::MethodNotAllowed { allow: vec!["GET"] }));
        assert_eq!(
            resolve("DELETE", "/v1/appointments/x"),
            Err(Miss::MethodNotAllowed { allow: vec!["GET", "PATCH"] })
        );
    }

    #[test]
    fn templates_capture_their_parameters() {
        assert_eq!(match_template("/v1/p/{id}/a", "/v1/p/42/a"), Some(vec!["42".to_owned()]));
        assert_eq!(match_template("/v1/p/{id}", "/v1/p/"), None);
        assert_eq!(match_template("/v1/p/{id}", "/v1/p/1/2"), None);
    }
}
