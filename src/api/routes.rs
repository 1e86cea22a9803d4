//! Every route PANDA serves, in one table. The OpenAPI test walks this table, so a route cannot
//! exist without being documented.

use super::input::percent_decode;

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
}

impl Route {
    /// Everything under `/v1` needs a signed-in user, except signing in.
    pub fn requires_authentication(&self) -> bool {
        !matches!(self, Route::Health | Route::Live | Route::CreateToken)
    }
}

/// One path template and the methods it accepts.
pub struct PathSpec {
    pub template: &'static str,
    pub methods: &'static [&'static str],
}

pub const PATHS: &[PathSpec] = &[
    PathSpec { template: "/health", methods: &["GET"] },
    PathSpec { template: "/health/live", methods: &["GET"] },
    PathSpec { template: "/v1/auth/token", methods: &["POST"] },
    PathSpec { template: "/v1/patients", methods: &["GET", "POST"] },
    PathSpec { template: "/v1/patients/{nhs_number}", methods: &["GET", "PATCH", "DELETE"] },
    PathSpec { template: "/v1/patients/{nhs_number}/appointments", methods: &["GET"] },
    PathSpec { template: "/v1/appointments", methods: &["GET", "POST"] },
    PathSpec { template: "/v1/appointments/{id}", methods: &["GET", "PATCH"] },
    PathSpec { template: "/v1/clinicians", methods: &["GET"] },
    PathSpec { template: "/v1/departments", methods: &["GET"] },
    PathSpec { template: "/v1/stats/missed", methods: &["GET"] },
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

/// Finds the route for `method` and `path`, or says why there is none.
pub fn resolve(method: &str, path: &str) -> Result<Route, Miss> {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let (spec, mut params) = PATHS
        .iter()
        .find_map(|spec| match_template(spec.template, path).map(|params| (spec, params)))
        .ok_or(Miss::NotFound)?;
    let mut param = || params.pop().unwrap_or_default();
    let route = match (spec.template, method) {
        ("/health", "GET") => Route::Health,
        ("/health/live", "GET") => Route::Live,
        ("/v1/auth/token", "POST") => Route::CreateToken,
        ("/v1/patients", "GET") => Route::ListPatients,
        ("/v1/patients", "POST") => Route::CreatePatient,
        ("/v1/patients/{nhs_number}", "GET") => Route::GetPatient(param()),
        ("/v1/patients/{nhs_number}", "PATCH") => Route::UpdatePatient(param()),
        ("/v1/patients/{nhs_number}", "DELETE") => Route::DeletePatient(param()),
        ("/v1/patients/{nhs_number}/appointments", "GET") => Route::ListPatientAppointments(param()),
        ("/v1/appointments", "GET") => Route::ListAppointments,
        ("/v1/appointments", "POST") => Route::CreateAppointment,
        ("/v1/appointments/{id}", "GET") => Route::GetAppointment(param()),
        ("/v1/appointments/{id}", "PATCH") => Route::UpdateAppointment(param()),
        ("/v1/clinicians", "GET") => Route::ListClinicians,
        ("/v1/departments", "GET") => Route::ListDepartments,
        ("/v1/stats/missed", "GET") => Route::MissedStatistics,
        _ => return Err(Miss::MethodNotAllowed { allow: spec.methods.to_vec() }),
    };
    Ok(route)
}

/// Matches `/a/{x}/b` against `/a/1/b`, returning the decoded `{}` segments in order.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') && !ps.is_empty() => params.push(percent_decode(ps, false)),
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_resolves_for_each_of_its_methods() {
        for spec in PATHS {
            let path = spec.template.replace("{nhs_number}", "9434765919").replace("{id}", "x");
            for method in spec.methods {
                assert!(resolve(method, &path).is_ok(), "{method} {path}");
            }
        }
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
