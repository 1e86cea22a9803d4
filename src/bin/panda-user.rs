//! The admin tool behind `npm run user:add|user:passwd|user:remove|user:disable|user:enable`.
//!
//! It reads the password (for add and passwd) on standard input, never from the command line
//! where other users could see it, and hashes it here on the admin's machine. For D1 it prints the
//! SQL that `scripts/user.sh` runs with `wrangler d1 execute`; given `--database TARGET` (the
//! native server's SQLite file or PostgreSQL URL) it runs that SQL there itself, as one
//! transaction, and says by its exit status what happened: 0 done, 3 no such user, 4 the username
//! is taken. The administrator's name (`PANDA_ADMIN`, which `scripts/user.sh` sets) goes into the
//! audit trail.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Read;

    use panda::domain::{invalid::Invalid, password, user::admin};

    use panda::domain::db::Dialect;
    use panda::native::Target;

    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let target = match args.iter().position(|a| a == "--database") {
        Some(at) if at + 1 < args.len() => {
            let target = Target::parse(&args[at + 1]);
            args.drain(at..=at + 1);
            Some(target)
        }
        _ => None,
    };
    let (Some(action), Some(username), None) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!(
            "usage: panda-user add|passwd|remove|disable|enable <username> [--database TARGET]  (password on stdin)"
        );
        return std::process::ExitCode::from(2);
    };
    let sql = match target {
        Some(Target::Postgres(_)) => Dialect::Postgres,
        _ => Dialect::Sqlite,
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
    let change = match action.as_str() {
        "add" => hashed().and_then(|hash| admin::add(sql, username, &hash).map_err(|e| describe(&e))),
        "passwd" => hashed().and_then(|hash| admin::set_password(sql, username, &hash).map_err(|e| describe(&e))),
        "remove" => admin::remove(username).map_err(|e| describe(&e)),
        "disable" => admin::set_disabled(username, true).map_err(|e| describe(&e)),
        "enable" => admin::set_disabled(username, false).map_err(|e| describe(&e)),
        other => Err(format!("unknown action {other:?}; use add, passwd, remove, disable or enable")),
    };
    let admin = std::env::var("PANDA_ADMIN").unwrap_or_default();
    let script = change.and_then(|change| {
        admin::recorded(sql, &admin, action, &change).map_err(|_| {
            format!("PANDA_ADMIN ({admin:?}) must name who you are in 1 to 64 letters, digits or . _ - @ characters")
        })
    });
    match (script, target) {
        (Ok(script), None) => {
            println!("{script}");
            std::process::ExitCode::SUCCESS
        }
        (Ok(script), Some(target)) => run(&target, &script),
        (Err(message), _) => {
            eprintln!("panda-user: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs the admin script on the native server's database, migrated first, as one transaction.
#[cfg(not(target_arch = "wasm32"))]
fn run(target: &panda::native::Target, script: &str) -> std::process::ExitCode {
    use panda::domain::db::{Constraint, Database, DbError, Statement};
    use panda::native::{postgres::Postgres, sqlite::Sqlite, Target};

    // The script is PANDA's own: statements end a line with ';' and no quoted value holds one.
    let statements: Vec<Statement> = script
        .split(";\n")
        .map(|s| s.trim().trim_end_matches(';'))
        .filter(|s| !s.is_empty())
        .map(Statement::new)
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let outcome = runtime.block_on(tokio::task::LocalSet::new().run_until(async {
        target.migrate().await.map_err(DbError::Failed)?;
        match target {
            Target::Sqlite(path) => Sqlite::open(path)?.write(statements).await,
            Target::Postgres(url) => Postgres::connect(url).await?.write(statements).await,
        }
    }));
    match outcome {
        Ok(results) if results.get(1).is_some_and(|rows| rows.is_empty().unwrap_or(true)) => 3.into(),
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) if e.violates(Constraint::Unique("users", "username")) => 4.into(),
        Err(e) => {
            eprintln!("panda-user: {} failed: {e}", target.describe());
            std::process::ExitCode::FAILURE
        }
    }
}

// worker-build compiles every target for wasm32; there the tool is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}
