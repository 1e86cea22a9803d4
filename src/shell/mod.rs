//! The Cloudflare Worker entry points. Thin on purpose: convert the runtime's request into an
//! [`api::Request`], hand it to the portable API with the D1 binding and the clock, and convert the
//! answer back. Everything with a rule in it lives in `api` or `domain`.
//!
//! Requests reach this code through `entry.mjs`, which serves the static files (/docs and
//! /openapi.json) from the worker bundle and hands every other request to Rust.
//!
//! Each crossing of the JavaScript boundary costs time on every request, so this reads only what
//! the API uses: the method, the URL, the headers in [`http::READ_HEADERS`], and a body only for
//! the methods that have one.

mod clock;
mod d1;

use std::cell::{OnceCell, RefCell};
use std::time::Duration;

use worker::js_sys::{self, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::web_sys::{self, ReadableStreamDefaultReader};
use worker::{console_error, console_log, event, Context, Env, ScheduleContext, ScheduledEvent};

use crate::api::{self, http};
use d1::D1;

#[event(start)]
fn start() {
    // Panics become readable log lines instead of "unreachable executed".
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, ctx: Context) -> worker::Result<web_sys::Response> {
    let started = clock::now();
    let request = read_request(&req).await;
    let mut response = api::handle(&request, &D1::bind(&env), started, settings(&env)).await;
    // The patients the answer showed are recorded once it has gone: no round trip before it.
    if let Some(access) = response.access.take() {
        record_view(access, &env, &ctx);
    }
    // The runtime's clock moves only across I/O, so this is the time spent waiting on the body
    // and the database: what a slow request is slow for.
    let duration_ms = u64::try_from((clock::now() - started).whole_milliseconds()).unwrap_or(0);
    let line = response.log.line(duration_ms);
    if response.log.is_server_error() {
        console_error!("{line}");
    } else {
        console_log!("{line}");
    }
    Ok(write_response(response)?)
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let now = clock::now().unix_timestamp();
    // No session: every statement goes to the primary. The sweep reads what it has just written
    // (the backlog left) and the backfill finds patients without search words to give them some,
    // so a lagging replica would only send it after work already done; and there is no client
    // to hand a bookmark to.
    for line in api::scheduled::run(&D1::bind(&env), now, &event.cron()).await {
        if line.is_error {
            console_error!("{}", line.text);
        } else {
            console_log!("{}", line.text);
        }
    }
}

/// How long views wait for others to share their write. Every write is a transaction of the
/// database's one writer, so one per view would queue reads and writes behind it under load.
const VIEWS_GATHERED_FOR: Duration = Duration::from_millis(50);

thread_local! {
    /// Views of answers already given, waiting for their write.
    static VIEWS: RefCell<Vec<crate::domain::audit::Access>> = const { RefCell::new(Vec::new()) };
}

/// Records the patients an answer showed, together with those of the other answers this isolate
/// gives meanwhile: the first view to arrive waits [`VIEWS_GATHERED_FOR`], under its request's
/// `waitUntil` (which keeps the isolate alive until the write ends), then writes them all.
fn record_view(access: crate::domain::audit::Access, env: &Env, ctx: &Context) {
    let first = VIEWS.with(|views| {
        let mut views = views.borrow_mut();
        views.push(access);
        views.len() == 1
    });
    if first {
        // No session: the entries are one write, which D1 sends to the primary in any case, for
        // the views of several requests, each with its own session; and the answers have gone, so
        // no client could be handed its bookmark. A trail read may lag the view by as much as its
        // replica does.
        let db = D1::bind(env);
        ctx.wait_until(async move {
            worker::Delay::from(VIEWS_GATHERED_FOR).await;
            let views = VIEWS.with(|views| std::mem::take(&mut *views.borrow_mut()));
            if let Err(line) = api::audit::record_views(&db, &views).await {
                console_error!("{line}");
            }
        });
    }
}

thread_local! {
    static SETTINGS: OnceCell<&'static api::Settings> = const { OnceCell::new() };
}

/// The settings, read from the environment on the isolate's first request. An isolate's variables
/// and secrets never change while it lives: a new secret or configuration starts new isolates,
/// and each says once what is wrong with it.
fn settings(env: &Env) -> &'static api::Settings {
    SETTINGS.with(|cell| {
        *cell.get_or_init(|| {
            let settings = api::Settings::from(&config(env));
            if let Some(cause) = &settings.misconfigured {
                console_error!("{}", serde_json::json!({ "event": "configuration-invalid", "cause": cause }));
            }
            Box::leak(Box::new(settings))
        })
    })
}

/// `JWT_SECRET` is a secret (`wrangler secret put`, or `.dev.vars` locally); the others are plain
/// variables in wrangler.toml.
fn config(env: &Env) -> api::Config {
    let text = |name: &str| env.var(name).ok().map(|value| value.to_string()).filter(|v| !v.is_empty());
    api::Config {
        jwt_secret: text("JWT_SECRET"),
        token_lifetime: text("TOKEN_LIFETIME_SECONDS"),
        cors_allowed_origins: text("CORS_ALLOWED_ORIGINS"),
        d1_reads: text("D1_READS"),
    }
}

async fn read_request(req: &web_sys::Request) -> api::Request {
    // The raw method: the worker crate's `Method` turns every method it does not know into GET.
    let method = req.method().to_ascii_uppercase();
    let url = req.url();
    let (path, query) = path_and_query(&url);
    let from_runtime = req.headers();
    let headers: Vec<(String, String)> = http::READ_HEADERS
        .iter()
        .filter_map(|name| from_runtime.get(name).ok().flatten().map(|value| ((*name).to_owned(), value)))
        .collect();
    let declared_length =
        headers.iter().find(|(name, _)| name == "content-length").and_then(|(_, v)| v.trim().parse().ok());
    let body = read_body(req, http::has_body(&method), declared_length).await;
    api::Request { method, path: path.to_owned(), query: query.to_owned(), headers, body }
}

/// The path and the raw query of a URL as the runtime serialises it (`https://host/path?query`):
/// the first `/` after the scheme's `//` starts the path, and `?` and `#` in it are always encoded.
fn path_and_query(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = url[after_scheme..].find('/').map_or("/", |i| &url[after_scheme + i..]);
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    rest.split_once('?').unwrap_or((rest, ""))
}

/// The body, holding no more of it than the API accepts: past the limit (declared, or reached while
/// reading a chunked body) the bytes are dropped and the answer is one byte over the limit, which
/// the API refuses with 413. Methods that have no use for a body (`keep` false) keep none of it.
///
/// Whatever is not kept is still read to its end and dropped. A body left unread makes the proxy
/// in front of `wrangler dev` lose its connection to the worker, and with it other requests on
/// that connection (the hostile-input test caught it); reading costs time, never memory.
async fn read_body(req: &web_sys::Request, keep: bool, declared_length: Option<usize>) -> Vec<u8> {
    // The usual case, a body with a length the API accepts, is read in one piece.
    if keep && declared_length.is_some_and(|length| length <= http::MAX_BODY_BYTES) {
        return match req.array_buffer() {
            Ok(promise) => {
                JsFuture::from(promise).await.map(|buffer| Uint8Array::new(&buffer).to_vec()).unwrap_or_default()
            }
            Err(_) => Vec::new(),
        };
    }
    let Some(stream) = req.body() else { return Vec::new() };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    // From here on the length is unknown (chunked) or, if declared, over the limit.
    let mut over_the_limit = keep && declared_length.is_some();
    while let Ok(chunk) = JsFuture::from(reader.read()).await {
        if Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let Ok(value) = Reflect::get(&chunk, &JsValue::from_str("value")) else { break };
        let Some(bytes) = value.dyn_ref::<Uint8Array>() else { break };
        if !keep || over_the_limit {
            continue;
        }
        if body.len() + bytes.length() as usize > http::MAX_BODY_BYTES {
            over_the_limit = true;
            body = Vec::new();
        } else {
            body.extend_from_slice(&bytes.to_vec());
        }
    }
    if over_the_limit {
        vec![0; http::MAX_BODY_BYTES + 1]
    } else {
        body
    }
}

thread_local! {
    /// The security headers every answer ends with, made once: copying them is one call into the
    /// runtime instead of one per header.
    static SECURITY_HEADERS: Option<web_sys::Headers> = web_sys::Headers::new().ok().filter(|headers| {
        api::SECURITY_HEADERS.iter().all(|(name, value)| headers.append(name, value).is_ok())
    });
}

fn write_response(response: api::Response) -> Result<web_sys::Response, JsValue> {
    let count = response.headers.len();
    let constant = api::SECURITY_HEADERS.len();
    let ends_secured = count >= constant
        && response.headers[count - constant..]
            .iter()
            .zip(api::SECURITY_HEADERS)
            .all(|((name, value), (expected_name, expected_value))| name == expected_name && value == expected_value);
    let template = if ends_secured { SECURITY_HEADERS.with(Clone::clone) } else { None };
    let (headers, own) = match template {
        Some(template) => (web_sys::Headers::new_with_headers(&template)?, &response.headers[..count - constant]),
        None => (web_sys::Headers::new()?, &response.headers[..]),
    };
    for (name, value) in own {
        headers.append(name, value)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(response.status);
    init.set_headers(&headers);
    if response.body.is_empty() {
        return web_sys::Response::new_with_opt_str_and_init(None, &init);
    }
    let body = Uint8Array::new_with_length(response.body.len() as u32);
    body.copy_from(&response.body);
    web_sys::Response::new_with_opt_buffer_source_and_init(Some(&js_sys::Object::from(body)), &init)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_path_and_query_come_out_of_the_serialised_url() {
        assert_eq!(path_and_query("http://127.0.0.1:8787/v1/patients?limit=5"), ("/v1/patients", "limit=5"));
        assert_eq!(path_and_query("https://panda.example/health"), ("/health", ""));
        assert_eq!(path_and_query("https://panda.example"), ("/", ""));
        assert_eq!(path_and_query("https://panda.example/a%3Fb?c=%3F#frag"), ("/a%3Fb", "c=%3F"));
    }
}
