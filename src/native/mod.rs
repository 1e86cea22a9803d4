//! PANDA off Cloudflare: the same `api::handle` served by a native binary (`src/bin/panda-server.rs`,
//! `npm run serve:native`) on SQLite or PostgreSQL. Nothing here reaches the worker's wasm.

pub mod postgres;
pub mod server;
pub mod sqlite;

use std::path::{Path, PathBuf};

/// The migrations folder of this checkout: `migrations/` (D1 and SQLite) holds
/// `migrations/postgres/`.
pub fn migrations_dir() -> PathBuf {
    std::env::var_os("PANDA_MIGRATIONS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
}

/// The `*.sql` files of `dir`, in name order, with their text.
pub fn migration_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            std::fs::read_to_string(&path).map(|sql| (name, sql)).map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

/// Applies, in name order, each file of `dir` (`migrations/postgres/`) not yet recorded in
/// `panda_migrations`, each in a transaction of its own with its record.
pub async fn migrate_postgres(url: &str, dir: &Path) -> Result<Vec<String>, String> {
    let client = postgres::Postgres::connect_bare(url).await.map_err(|e| e.to_string())?;
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS panda_migrations (
                 name TEXT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut applied = Vec::new();
    for (name, sql) in migration_files(dir)? {
        let done = client
            .query_one("SELECT count(*) FROM panda_migrations WHERE name = $1", &[&name])
            .await
            .map_err(|e| e.to_string())?
            .get::<_, i64>(0);
        if done > 0 {
            continue;
        }
        let script = format!(
            "BEGIN;\n{sql}\n;INSERT INTO panda_migrations (name) VALUES ('{}');\nCOMMIT;",
            name.replace('\'', "''")
        );
        if let Err(e) = client.batch_execute(&script).await {
            let _ = client.batch_execute("ROLLBACK").await;
            let detail = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string());
            return Err(format!("{name}: {detail}"));
        }
        applied.push(name);
    }
    Ok(applied)
}

/// Where the native server and the admin tool keep PANDA's data: `DATABASE_URL`, a
/// `postgres://` URL or a SQLite file (`sqlite:path` or a bare path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(String),
    Postgres(String),
}

/// The SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_SQLITE_FILE: &str = ".panda/panda.sqlite3";

impl Target {
    pub fn parse(text: &str) -> Self {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Target::Postgres(text.to_owned())
        } else {
            Target::Sqlite(text.strip_prefix("sqlite:").unwrap_or(text).to_owned())
        }
    }

    /// `DATABASE_URL`, else the default SQLite file.
    pub fn from_env() -> Self {
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Self::parse(url.trim()),
            _ => Target::Sqlite(DEFAULT_SQLITE_FILE.to_owned()),
        }
    }

    /// What to call it in a log line: never the URL, which may hold a password.
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(path) => format!("sqlite:{path}"),
            Target::Postgres(_) => "postgres".to_owned(),
        }
    }

    /// Brings the schema up to date: the files of `migrations/` (SQLite) or `migrations/postgres/`
    /// not applied yet. Returns their names.
    pub async fn migrate(&self) -> Result<Vec<String>, String> {
        match self {
            Target::Sqlite(path) => {
                if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                sqlite::Sqlite::open(path).map_err(|e| e.to_string())?.migrate(&migrations_dir())
            }
            Target::Postgres(url) => migrate_postgres(url, &migrations_dir().join("postgres")).await,
        }
    }
}
