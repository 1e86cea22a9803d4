//! Every route PANDA serves, in one table. The OpenAPI test walks this table, so a route cannot
//! exist without being documented.

/// What a request asks for, with its path parameters already extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Health,
}

/// One path template and the methods it accepts.
pub struct PathSpec {
    pub template: &'static str,
    pub methods: &'static [&'static str],
}

pub const PATHS: &[PathSpec] = &[PathSpec { template: "/health", methods: &["GET"] }];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    NotFound,
    MethodNotAllowed { allow: Vec<&'static str> },
}

/// Finds the route for `method` and `path`, or says why there is none.
pub fn resolve(method: &str, path: &str) -> Result<Route, Miss> {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let Some((spec, params)) = PATHS.iter().find_map(|spec| match_template(spec.template, path).map(|p| (spec, p)))
    else {
        return Err(Miss::NotFound);
    };
    let _ = params;
    match (spec.template, method) {
        ("/health", "GET") => Ok(Route::Health),
        _ => Err(Miss::MethodNotAllowed { allow: spec.methods.to_vec() }),
    }
}

/// Matches `/a/{x}/b` against `/a/1/b`, returning the `{}` segments in order.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') && !ps.is_empty() => params.push(ps.to_owned()),
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_is_routed() {
        assert_eq!(resolve("GET", "/health"), Ok(Route::Health));
        assert_eq!(resolve("GET", "/health/"), Ok(Route::Health));
    }

    #[test]
    fn unknown_paths_are_not_found() {
        assert_eq!(resolve("GET", "/nope"), Err(Miss::NotFound));
        assert_eq!(resolve("GET", "/"), Err(Miss::NotFound));
    }

    #[test]
    fn wrong_methods_list_the_allowed_ones() {
        assert_eq!(resolve("POST", "/health"), Err(Miss::MethodNotAllowed { allow: vec!["GET"] }));
    }

    #[test]
    fn templates_capture_their_parameters() {
        assert_eq!(match_template("/v1/p/{id}/a", "/v1/p/42/a"), Some(vec!["42".to_owned()]));
        assert_eq!(match_template("/v1/p/{id}", "/v1/p/"), None);
        assert_eq!(match_template("/v1/p/{id}", "/v1/p/1/2"), None);
    }
}
