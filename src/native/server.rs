//! The self-hosted HTTP server: `api::handle` over hyper, one single-threaded tokio runtime per
//! core, each with its own database connections, all accepting on one listening socket.
//!
//! The API's futures are not `Send` (the worker runs one request at a time per isolate), so no
//! future moves between threads: each thread serves the connections it accepts from start to end,
//! as a worker isolate serves its requests.

use std::convert::Infallible;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;

use super::postgres::Pool;
use super::sqlite::Sqlite;
use super::Target;
use crate::api::{self, http};
use crate::domain::db::{Database, DbError, Dialect, Rows, Statement};

/// How the server is set up: from the same variables as the worker's (wrangler.toml, .dev.vars),
/// plus where to listen and which database to use.
pub struct Options {
    pub listen: std::net::SocketAddr,
    pub target: Target,
    pub threads: usize,
    /// build/static, made by `scripts/build.sh`: /docs and /openapi.json.
    pub static_dir: PathBuf,
    pub config: api::Config,
    /// How often the scheduled work runs (the worker's cron runs every five minutes).
    pub sweep_every: Duration,
    /// Serve `GET /__scheduled`, which runs the scheduled work at once, as `wrangler dev
    /// --test-scheduled` does: for tests, never in production.
    pub test_scheduled: bool,
}

/// The database of one thread: a SQLite connection (rusqlite never yields, so one is enough), or
/// a pool of PostgreSQL connections, one per request in flight.
enum Store {
    Sqlite(Sqlite),
    Postgres(Pool),
}

/// One request's database: a borrowed SQLite connection or a pooled PostgreSQL one, taken on the
/// first call.
struct RequestDb<'a> {
    store: &'a Store,
    postgres: tokio::sync::OnceCell<super::postgres::Pooled<'a>>,
}

impl<'a> RequestDb<'a> {
    fn new(store: &'a Store) -> Self {
        Self { store, postgres: tokio::sync::OnceCell::new() }
    }

    async fn postgres(&self, pool: &'a Pool) -> Result<&super::postgres::Pooled<'a>, DbError> {
        self.postgres.get_or_try_init(|| pool.get()).await
    }
}

impl Database for RequestDb<'_> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        match self.store {
            Store::Sqlite(db) => db.read(statements).await,
            Store::Postgres(pool) => self.postgres(pool).await?.read(statements).await,
        }
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        match self.store {
            Store::Sqlite(db) => db.write(statements).await,
            Store::Postgres(pool) => self.postgres(pool).await?.write(statements).await,
        }
    }

    fn dialect(&self) -> Dialect {
        match self.store {
            Store::Sqlite(_) => Dialect::Sqlite,
            Store::Postgres(_) => Dialect::Postgres,
        }
    }
}

struct Thread {
    store: Store,
    settings: &'static api::Settings,
    static_dir: PathBuf,
    test_scheduled: bool,
}

/// Migrates the database, then serves until the process is stopped.
pub fn run(options: Options) -> Result<(), String> {
    let runtime = || tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string());
    let applied = runtime()?.block_on(tokio::task::LocalSet::new().run_until(options.target.migrate()))?;
    for name in applied {
        log(false, &serde_json::json!({ "event": "migration-applied", "name": name }).to_string());
    }
    let listener = std::net::TcpListener::bind(options.listen).map_err(|e| format!("{}: {e}", options.listen))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let settings: &'static api::Settings = Box::leak(Box::new(api::Settings::from(&options.config)));
    log(
        false,
        &serde_json::json!({
            "event": "listening",
            "address": format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?),
            "database": options.target.describe(),
            "threads": options.threads,
        })
        .to_string(),
    );
    let mut threads = Vec::new();
    for index in 0..options.threads.max(1) {
        let listener = listener.try_clone().map_err(|e| e.to_string())?;
        let (target, static_dir, sweep_every) =
            (options.target.clone(), options.static_dir.clone(), options.sweep_every);
        let test_scheduled = options.test_scheduled;
        let runtime = runtime()?;
        threads.push(std::thread::spawn(move || {
            let local = tokio::task::LocalSet::new();
            local.block_on(&runtime, async move {
                let store = match &target {
                    Target::Sqlite(path) => match Sqlite::open(path) {
                        Ok(db) => Store::Sqlite(db),
                        Err(e) => {
                            return log(
                                true,
                                &format!(
                                    "{{\"event\":\"database-unavailable\",\"cause\":{}}}",
                                    serde_json::Value::from(e.to_string())
                                ),
                            )
                        }
                    },
                    Target::Postgres(url) => Store::Postgres(Pool::new(url.clone())),
                };
                let thread = Rc::new(Thread { store, settings, static_dir, test_scheduled });
                if index == 0 {
                    tokio::task::spawn_local(scheduled(thread.clone(), sweep_every));
                }
                serve(thread, listener).await;
            });
        }));
    }
    for thread in threads {
        thread.join().map_err(|_| "a server thread panicked".to_owned())?;
    }
    Ok(())
}

async fn serve(thread: Rc<Thread>, listener: std::net::TcpListener) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            return log(true, &serde_json::json!({ "event": "listen-failed", "cause": e.to_string() }).to_string())
        }
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        let thread = thread.clone();
        tokio::task::spawn_local(async move {
            let service = hyper::service::service_fn(move |request| {
                let thread = thread.clone();
                async move { Ok::<_, Infallible>(answer(&thread, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The scheduled work, at once and then every `every`.
async fn scheduled(thread: Rc<Thread>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    let trigger = format!("every {}s", every.as_secs());
    loop {
        interval.tick().await;
        run_scheduled(&thread, &trigger).await;
    }
}

async fn run_scheduled(thread: &Thread, trigger: &str) {
    let db = RequestDb::new(&thread.store);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for line in api::scheduled::run(&db, now, trigger).await {
        log(line.is_error, &line.text);
    }
}

async fn answer(thread: &Thread, request: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let now = time::OffsetDateTime::now_utc();
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    if let Some(file) = static_file(&thread.static_dir, &method, parts.uri.path()) {
        return file;
    }
    if thread.test_scheduled && parts.uri.path() == "/__scheduled" {
        run_scheduled(thread, "/__scheduled").await;
        return hyper::Response::new(Full::new(Bytes::from_static(b"Ran scheduled event")));
    }
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str().to_ascii_lowercase(), value.to_str().ok()?.to_owned())))
        .collect();
    let body = read_body(body, http::has_body(&method)).await;
    let request = api::Request {
        method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers,
        body,
    };
    let db = RequestDb::new(&thread.store);
    let mut response = api::handle(&request, &db, now, thread.settings).await;
    // The patients the answer showed, recorded before the next request on this connection (the
    // worker defers the write past the answer; here it is a local write, and cheap).
    if let Some(access) = response.access.take() {
        if let Err(line) = api::audit::record_views(&db, std::slice::from_ref(&access)).await {
            log(true, &line);
        }
    }
    drop(db);
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    log(response.log.is_server_error(), &response.log.line(duration_ms));
    let mut out = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        out = out.header(name, value);
    }
    out.body(Full::new(Bytes::from(std::mem::take(&mut response.body))))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}

/// The body, keeping no more than the API accepts: past the limit the rest is read and dropped,
/// and the API sees one byte too many (413), as in the worker.
async fn read_body(mut body: Incoming, keep: bool) -> Vec<u8> {
    let mut kept = Vec::new();
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            if keep && kept.len() <= http::MAX_BODY_BYTES {
                let room = http::MAX_BODY_BYTES + 1 - kept.len();
                kept.extend_from_slice(&data[..data.len().min(room)]);
            }
        }
    }
    kept
}

/// The pages (/docs, /insights) and /openapi.json from build/static, with the headers
/// `src/shell/entry.mjs` gives them. Any file under those prefixes that build/static holds, typed
/// by its extension: build/static is exactly what the worker bundle carries.
fn static_file(dir: &std::path::Path, method: &str, path: &str) -> Option<hyper::Response<Full<Bytes>>> {
    if method != "GET" && method != "HEAD" {
        return None;
    }
    if path == "/docs" || path == "/insights" {
        return hyper::Response::builder().status(307).header("location", format!("{path}/")).body(Full::default()).ok();
    }
    let file = match path {
        "/openapi.json" => "openapi.json".to_owned(),
        "/docs/" | "/insights/" => format!("{}index.html", &path[1..]),
        _ if path.starts_with("/docs/") || path.starts_with("/insights/") => path[1..].to_owned(),
        _ => return None,
    };
    // Only plain names below build/static: no way up or out.
    if file.split('/').any(|part| part.is_empty() || part.starts_with('.')) {
        return None;
    }
    let extension = if file.ends_with("/LICENSE") || file.ends_with("/NOTICE") { "txt" } else { file.rsplit_once('.')?.1 };
    let content_type = match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    };
    let bytes = std::fs::read(dir.join(&file)).ok()?;
    let mut out =
        hyper::Response::builder().header("content-type", content_type).header("x-content-type-options", "nosniff");
    if file != "openapi.json" {
        out = out
            .header(
                "content-security-policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            )
            .header("referrer-policy", "no-referrer")
            .header("cache-control", "public, max-age=300");
    }
    let body = if method == "HEAD" { Bytes::new() } else { Bytes::from(bytes) };
    out.body(Full::new(body)).ok()
}

/// `panda-server migrate`: applies the migrations the database lacks, and nothing else. Returns
/// their names.
pub fn migrate(target: &Target) -> Result<Vec<String>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(tokio::task::LocalSet::new().run_until(target.migrate()))
}

/// `panda-server sql "<statement>"`: runs one statement on the server's database (migrated
/// first) as a write, and prints its rows as JSON. For operators without a SQLite shell, and tests.
pub fn sql(target: &Target, statement: &str) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(tokio::task::LocalSet::new().run_until(async {
        target.migrate().await?;
        let store = match target {
            Target::Sqlite(path) => Store::Sqlite(Sqlite::open(path).map_err(|e| e.to_string())?),
            Target::Postgres(url) => Store::Postgres(Pool::new(url.clone())),
        };
        let db = RequestDb::new(&store);
        let rows = crate::domain::db::write_one(&db, Statement::new(statement)).await.map_err(|e| e.to_string())?;
        Ok(rows.json().to_owned())
    }))
}

/// `panda-server sql --file PATH`: runs a SQL script of the database's own dialect (a seed, a
/// repair) as it is, after migrating.
pub fn sql_file(target: &Target, path: &str) -> Result<(), String> {
    let script = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(tokio::task::LocalSet::new().run_until(async {
        target.migrate().await?;
        match target {
            Target::Sqlite(path) => {
                Sqlite::open(path).map_err(|e| e.to_string())?.conn.execute_batch(&script).map_err(|e| e.to_string())
            }
            Target::Postgres(url) => super::postgres::Postgres::connect(url)
                .await
                .map_err(|e| e.to_string())?
                .execute_script(&script)
                .await
                .map_err(|e| e.to_string()),
        }
    }))
}

/// One line on standard output, or standard error for a failure, as the worker's console.
fn log(is_error: bool, line: &str) {
    if is_error {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::static_file;
    use std::path::PathBuf;

    /// A build/static of three files in a folder of its own.
    fn static_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("panda-static-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("insights")).unwrap();
        std::fs::write(dir.join("insights/index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("insights/main.js"), "export {};").unwrap();
        std::fs::write(dir.join("openapi.json"), "{}").unwrap();
        dir
    }

    fn header(response: &hyper::Response<http_body_util::Full<bytes::Bytes>>, name: &str) -> Option<String> {
        response.headers().get(name).map(|value| value.to_str().unwrap().to_owned())
    }

    #[test]
    fn page_files_are_typed_by_extension_and_carry_the_page_policy() {
        let dir = static_dir("typed");
        let page = static_file(&dir, "GET", "/insights/").unwrap();
        assert_eq!(header(&page, "content-type").unwrap(), "text/html; charset=utf-8");
        assert!(header(&page, "content-security-policy").unwrap().contains("script-src 'self';"));
        let script = static_file(&dir, "HEAD", "/insights/main.js").unwrap();
        assert_eq!(header(&script, "content-type").unwrap(), "text/javascript; charset=utf-8");
        let document = static_file(&dir, "GET", "/openapi.json").unwrap();
        assert_eq!(header(&document, "content-type").unwrap(), "application/json");
        assert_eq!(header(&document, "content-security-policy"), None);
        let redirect = static_file(&dir, "GET", "/insights").unwrap();
        assert_eq!((redirect.status().as_u16(), header(&redirect, "location").unwrap()), (307, "/insights/".into()));
    }

    #[test]
    fn nothing_outside_the_page_folders_or_hidden_is_served() {
        let dir = static_dir("outside");
        std::fs::write(dir.join("insights/.secret.js"), "").unwrap();
        for path in ["/insights/../openapi.json", "/insights/.secret.js", "/insights//main.js", "/insights/missing.js", "/main.js"] {
            assert!(static_file(&dir, "GET", path).is_none(), "{path} was served");
        }
        assert!(static_file(&dir, "POST", "/insights/main.js").is_none(), "only GET and HEAD");
    }
}
