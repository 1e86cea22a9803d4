//! The admin tool behind `npm run user:add|user:passwd|user:remove|user:disable|user:enable`.
//!
//! It reads the password (for add and passwd) on standard input, never from the command line
//! where other users could see it, hashes it here on the admin's machine, and prints the SQL that
//! `scripts/user.sh` runs with `wrangler d1 execute`. It never talks to a database itself. The
//! administrator's name (`PANDA_ADMIN`, which `scripts/user.sh` sets) goes into the audit trail.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Read;

    use panda::domain::{invalid::Invalid, password, user::admin};

    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(action), Some(username), None) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: panda-user add|passwd|remove|disable|enable <username>  (password on stdin)");
        return std::process::ExitCode::from(2);
    };
    let describe = |invalid: &Invalid| match invalid.code {
        "username-format" => "the username must be 1 to 64 letters, digits or . _ - @ characters".to_owned(),
        "password-too-short" => {
            format!("the password must have at least {} characters", password::MIN_NEW_PASSWORD_CHARS)
        }
        "password-too-long" => format!("the password must be at most {} bytes", password::MAX_PASSWORD_BYTES),
        other => other.to_owned(),
    };
    let hashed = || -> Result<String, String> {
        let mut password = String::new();
        std::io::stdin().read_to_string(&mut password).map_err(|e| format!("cannot read the password: {e}"))?;
        let password = password.strip_suffix('\n').unwrap_or(&password);
        password::check_new(password).map_err(|e| describe(&e))?;
        password::hash(password).map_err(|e| e.to_string())
    };
    let sql = match action.as_str() {
        "add" => hashed().and_then(|hash| admin::add(username, &hash).map_err(|e| describe(&e))),
        "passwd" => hashed().and_then(|hash| admin::set_password(username, &hash).map_err(|e| describe(&e))),
        "remove" => admin::remove(username).map_err(|e| describe(&e)),
        "disable" => admin::set_disabled(username, true).map_err(|e| describe(&e)),
        "enable" => admin::set_disabled(username, false).map_err(|e| describe(&e)),
        other => Err(format!("unknown action {other:?}; use add, passwd, remove, disable or enable")),
    };
    let admin = std::env::var("PANDA_ADMIN").unwrap_or_default();
    let sql = sql.and_then(|change| {
        admin::recorded(&admin, action, &change).map_err(|_| {
            format!("PANDA_ADMIN ({admin:?}) must name who you are in 1 to 64 letters, digits or . _ - @ characters")
        })
    });
    match sql {
        Ok(sql) => {
            println!("{sql}");
            std::process::ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("panda-user: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

// worker-build compiles every target for wasm32; there the tool is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}
