#![cfg(not(target_arch = "wasm32"))]
//! Signing in, the lockout, and what protected routes accept, through `api::handle`.

mod support;

use panda::domain::password;
use serde_json::json;
use support::{Answer, Api};

fn api_with_user(username: &str, password: &str) -> Api {
    let api = Api::new();
    api.db.exec(&format!(
        "INSERT INTO users (id, username, password_hash, created_at, credentials_changed_at)
         VALUES (7, '{username}', '{}', 0, 0)",
        password::hash(password).unwrap()
    ));
    api
}

fn login(api: &Api, username: &str, password: &str) -> Answer {
    api.post("/v1/auth/token", json!({"username": username, "password": password}))
}

fn get_with(api: &Api, authorization: &str) -> Answer {
    api.call("GET", "/v1/patients", None, &[("authorization", authorization)])
}

#[test]
fn a_user_signs_in_and_calls_a_protected_route_with_the_token() {
    let api = api_with_user("alice", "correct horse");
    let answer = login(&api, "alice", "correct horse");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["token_type"], "Bearer");
    assert_eq!(answer.body["expires_in"], 900);
    let token = answer.body["access_token"].as_str().unwrap();
    assert_eq!(get_with(&api, &format!("Bearer {token}")).status, 200);
}

#[test]
fn usernames_are_compared_case_insensitively() {
    let api = api_with_user("Alice", "pw-pw-pw");
    assert_eq!(login(&api, "aLICE", "pw-pw-pw").status, 200);
}

#[test]
fn a_wrong_password_and_an_unknown_user_get_the_same_401() {
    let api = api_with_user("alice", "correct horse");
    let wrong = login(&api, "alice", "wrong");
    let unknown = login(&api, "mallory", "wrong");
    assert_eq!((wrong.status, wrong.code()), (401, "invalid-credentials"));
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
}

#[test]
fn five_failures_lock_the_account_for_fifteen_minutes_and_a_success_resets_the_count() {
    let mut api = api_with_user("alice", "right");
    for _ in 0..4 {
        assert_eq!(login(&api, "alice", "wrong").status, 401);
    }
    assert_eq!(login(&api, "alice", "right").status, 200, "a success resets the count");
    for _ in 0..4 {
        assert_eq!(login(&api, "alice", "wrong").status, 401);
    }
    let fifth = login(&api, "alice", "wrong");
    assert_eq!((fifth.status, fifth.code()), (429, "account-locked"));
    assert_eq!(fifth.header("retry-after"), Some("900"));
    let locked = login(&api, "alice", "right");
    assert_eq!(locked.status, 429, "even the right password waits for the lock");
    api.now += time::Duration::minutes(15);
    assert_eq!(login(&api, "alice", "right").status, 200, "the lock has ended");
}

#[test]
fn a_disabled_account_cannot_sign_in_and_its_tokens_stop_working() {
    let api = api_with_user("alice", "pw");
    let token = login(&api, "alice", "pw").body["access_token"].as_str().unwrap().to_owned();
    api.db.exec("UPDATE users SET disabled = 1 WHERE username = 'alice'");
    assert_eq!(login(&api, "alice", "pw").code(), "invalid-credentials");
    assert_eq!(get_with(&api, &format!("Bearer {token}")).code(), "token-invalid");
}

#[test]
fn a_removed_account_or_a_new_password_ends_existing_tokens() {
    let mut api = api_with_user("alice", "pw");
    let token = login(&api, "alice", "pw").body["access_token"].as_str().unwrap().to_owned();
    api.now += time::Duration::seconds(10);
    api.db.exec(&format!("UPDATE users SET credentials_changed_at = {} WHERE id = 7", api.now.unix_timestamp()));
    assert_eq!(get_with(&api, &format!("Bearer {token}")).code(), "token-invalid");
    api.db.exec("DELETE FROM users WHERE id = 7");
    assert_eq!(get_with(&api, &format!("Bearer {token}")).code(), "token-invalid");
}

#[test]
fn every_protected_route_refuses_a_request_without_a_valid_token() {
    let api = Api::new();
    for spec in panda::api::routes::ROUTES {
        let method = spec.method;
        let path =
            spec.template.replace("{nhs_number}", "9434765919").replace("{id}", "343d31d4-5993-47ef-a468-7884a467ae80");
        let route = panda::api::routes::resolve(method, &path).unwrap();
        let answer = api.call(method, &path, Some(json!({})), &[("authorization", "")]);
        if route.requires_authentication() {
            assert_eq!((answer.status, answer.code()), (401, "token-missing"), "{method} {path}");
            assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
        } else {
            assert_ne!(answer.status, 401, "{method} {path} is public");
        }
    }
}

#[test]
fn each_kind_of_bad_token_gets_its_401() {
    let mut api = Api::new();
    assert_eq!(get_with(&api, "Basic YWxpY2U6cHc=").code(), "token-missing");
    assert_eq!(get_with(&api, "Bearer").code(), "token-missing");
    assert_eq!(get_with(&api, "Bearer not.a.token").code(), "token-invalid");
    let tampered = format!("Bearer {}x", api.token);
    let answer = get_with(&api, &tampered);
    assert_eq!(answer.code(), "token-invalid");
    assert_eq!(answer.header("www-authenticate"), Some("Bearer error=\"invalid_token\""));
    let token = api.token.clone();
    api.now += time::Duration::hours(2);
    assert_eq!(get_with(&api, &format!("Bearer {token}")).code(), "token-expired");
    assert_eq!(get_with(&api, &format!("bearer {token}")).code(), "token-expired", "the scheme is case-insensitive");
}

#[test]
fn a_missing_or_short_secret_fails_closed() {
    for secret in [None, Some("too-short".to_owned())] {
        let mut api = api_with_user("alice", "pw");
        api.config.jwt_secret = secret;
        let protected = api.get("/v1/patients");
        assert_eq!((protected.status, protected.code()), (500, "auth-not-configured"));
        assert!(protected.response.log.cause.as_deref().unwrap().contains("JWT_SECRET"));
        assert_eq!(login(&api, "alice", "pw").code(), "auth-not-configured", "no token is ever issued");
        assert_eq!(api.get("/health").status, 200, "public routes still answer");
    }
}

#[test]
fn the_token_lifetime_is_configurable_within_limits() {
    let mut api = api_with_user("alice", "pw");
    api.config.token_lifetime = Some("3600".into());
    assert_eq!(login(&api, "alice", "pw").body["expires_in"], 3600);
    api.config.token_lifetime = Some("999999".into());
    assert_eq!(login(&api, "alice", "pw").body["expires_in"], 3600);
}

#[test]
fn login_input_is_validated_like_any_other() {
    let api = Api::new();
    let answer = api.post("/v1/auth/token", json!({"username": 5, "extra": true}));
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("extra".into(), "field-unknown".into()),
            ("password".into(), "field-required".into()),
            ("username".into(), "field-not-string".into()),
        ]
    );
}

#[test]
fn the_admin_sql_creates_a_user_who_can_sign_in() {
    let api = Api::new();
    let hash = password::hash("s3cret").unwrap();
    api.db.exec(&panda::domain::user::admin::add(api.db.dialect(), "bob", &hash).unwrap());
    assert_eq!(login(&api, "bob", "s3cret").status, 200);
    api.db.exec(
        &panda::domain::user::admin::set_password(api.db.dialect(), "bob", &password::hash("n3w").unwrap()).unwrap(),
    );
    assert_eq!(login(&api, "bob", "s3cret").status, 401);
    assert_eq!(login(&api, "bob", "n3w").status, 200);
    api.db.exec(&panda::domain::user::admin::set_disabled("bob", true).unwrap());
    assert_eq!(login(&api, "bob", "n3w").status, 401);
    api.db.exec(&panda::domain::user::admin::remove("bob").unwrap());
    assert_eq!(api.db.count("SELECT count(*) FROM users WHERE username = 'bob'"), 0);
}

#[test]
fn a_write_never_commits_for_an_account_that_lost_its_access_after_the_token_check() {
    for admin_sql in [
        "UPDATE users SET disabled = 1 WHERE id = 1",
        "DELETE FROM users WHERE id = 1",
        "UPDATE users SET credentials_changed_at = 4102444800 WHERE id = 1",
    ] {
        let api = Api::new();
        // An admin changes the account after the token check, just before the write.
        let changed = support::MeddledBeforeTheWrite::new(&api.db, admin_sql);
        let request = api.request(
            "POST",
            "/v1/patients",
            Some(json!({"nhs_number": "9434765919", "name": "Ada", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"})),
            &[],
        );
        let answer = Answer::from(api.handle_with(&request, &changed));
        assert_eq!((answer.status, answer.code()), (401, "token-invalid"), "{admin_sql}");
        assert_eq!(api.db.count("SELECT count(*) FROM patients"), 0, "{admin_sql}: nothing was written");
    }
}

#[test]
fn a_read_for_an_account_that_may_not_act_shows_nothing_it_found() {
    let api = Api::new();
    let created = api.post(
        "/v1/patients",
        json!({"nhs_number": "9434765919", "name": "Ada Lovelace", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"}),
    );
    assert_eq!(created.status, 201);
    api.db.exec("UPDATE users SET disabled = 1 WHERE id = 1");
    for path in ["/v1/patients/9434765919", "/v1/patients", "/v1/patients/9434765919/appointments"] {
        let answer = api.get(path);
        assert_eq!((answer.status, answer.code()), (401, "token-invalid"), "{path}");
        assert!(!answer.body.to_string().contains("Lovelace"), "{path}: {}", answer.body);
    }
}

#[test]
fn bad_input_from_an_account_that_may_not_act_is_a_401_not_a_422() {
    let api = Api::new();
    api.db.exec("UPDATE users SET disabled = 1 WHERE id = 1");
    let answer = api.post("/v1/patients", json!({"nhs_number": "not a number"}));
    assert_eq!((answer.status, answer.code()), (401, "token-invalid"));
    let answer = api.get("/v1/appointments?limit=0");
    assert_eq!((answer.status, answer.code()), (401, "token-invalid"));
}
