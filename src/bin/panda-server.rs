//! The self-hosted PANDA server behind `npm run serve:native` (README, "Running without
//! Cloudflare"): the same API as the worker, on SQLite (a file, the default) or PostgreSQL.
//!
//! Configured by environment variables: the worker's own (`JWT_SECRET`, `TOKEN_LIFETIME_SECONDS`,
//! `CORS_ALLOWED_ORIGINS`), and `DATABASE_URL` (a `postgres://` URL, or `sqlite:path`; default
//! `sqlite:.panda/panda.sqlite3`), `PORT` (8788), `HOST` (127.0.0.1), `PANDA_THREADS` (the
//! number of cores), `SWEEP_INTERVAL_SECONDS` (300), `PANDA_STATIC` (build/static), and for tests
//! `PANDA_TEST_SCHEDULED=1` (serves `/__scheduled`, as `wrangler dev --test-scheduled`).
//!
//! `panda-server sql "<statement>"` runs one statement on that database and prints its rows;
//! `panda-server sql --file PATH` runs a script of the database's own dialect.
//! `panda-server migrate` only brings its schema up to date, printing each migration it applied
//! (what `scripts/d1-to-postgres.sh` runs before loading a D1 export).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use panda::native::{server, Target};

    let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let number = |name: &str, default: u64| -> Result<u64, String> {
        var(name).map_or(Ok(default), |v| v.parse().map_err(|_| format!("{name} must be a whole number, not {v:?}")))
    };
    let options = (|| -> Result<server::Options, String> {
        let host = var("HOST").unwrap_or_else(|| "127.0.0.1".into());
        let port = number("PORT", 8788)?;
        let listen = format!("{host}:{port}")
            .parse()
            .map_err(|_| format!("HOST and PORT do not make an address: {host}:{port}"))?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
        Ok(server::Options {
            listen,
            target: Target::from_env(),
            threads: usize::try_from(number("PANDA_THREADS", cores)?.max(1)).unwrap_or(1),
            static_dir: var("PANDA_STATIC").map_or_else(
                || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("build/static"),
                std::path::PathBuf::from,
            ),
            config: panda::api::Config {
                jwt_secret: var("JWT_SECRET"),
                token_lifetime: var("TOKEN_LIFETIME_SECONDS"),
                cors_allowed_origins: var("CORS_ALLOWED_ORIGINS"),
                // D1's replicas only: here every read is on the one database, so no bookmarks.
                d1_reads: None,
            },
            sweep_every: std::time::Duration::from_secs(number("SWEEP_INTERVAL_SECONDS", 300)?.max(1)),
            test_scheduled: var("PANDA_TEST_SCHEDULED").is_some_and(|v| v == "1"),
        })
    })();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, flag, path] = args.as_slice() {
        if command == "sql" && flag == "--file" {
            return match server::sql_file(&Target::from_env(), path) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("panda-server sql: {message}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    if let [command] = args.as_slice() {
        if command == "migrate" {
            return match server::migrate(&Target::from_env()) {
                Ok(applied) => {
                    for name in applied {
                        println!("{}", serde_json::json!({ "event": "migration-applied", "name": name }));
                    }
                    std::process::ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("panda-server migrate: {message}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    if let [command, statement] = args.as_slice() {
        if command == "sql" {
            return match server::sql(&Target::from_env(), statement) {
                Ok(rows) => {
                    println!("{rows}");
                    std::process::ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("panda-server sql: {message}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    match options.and_then(server::run) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", serde_json::json!({ "event": "server-failed", "cause": message }));
            std::process::ExitCode::FAILURE
        }
    }
}

// worker-build compiles every target for wasm32; there the server is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}
