//! The Cloudflare Worker entry points. Thin on purpose: convert the runtime's request into an
//! [`api::Request`], hand it to the portable API with the D1 binding and the clock, and convert the
//! answer back. Everything with a rule in it lives in `api` or `domain`.

mod clock;
mod d1;

use worker::{
    console_error, console_log, event, Context, Env, Headers, Request, Response, ScheduleContext, ScheduledEvent,
};

use crate::api::{self, http::MAX_BODY_BYTES};
use crate::domain::sweep;
use d1::D1;

#[event(start)]
fn start() {
    // Panics become readable log lines instead of "unreachable executed".
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let request = read_request(req).await;
    let response = api::handle(&request, &D1::bind(&env), clock::now(), &config(&env)).await;
    if let Some(line) = &response.log {
        console_error!("{} {}: {line}", request.method, request.path);
    }
    write_response(response)
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let now = clock::now().unix_timestamp();
    match sweep::mark_missed(&D1::bind(&env), now).await {
        Ok(report) => console_log!(
            "missed-appointment sweep (cron {}): marked {} appointment(s) missed{}",
            event.cron(),
            report.marked_missed,
            if report.backlog_remaining { "; backlog remains for the next run" } else { "" }
        ),
        Err(e) => console_error!("missed-appointment sweep failed: {e}"),
    }
}

/// Settings from the environment: `JWT_SECRET` is a secret (`wrangler secret put`, or `.dev.vars`
/// locally); `TOKEN_LIFETIME_SECONDS` a plain variable in wrangler.toml.
fn config(env: &Env) -> api::Config {
    let text = |name: &str| env.var(name).ok().map(|value| value.to_string()).filter(|v| !v.is_empty());
    api::Config {
        jwt_secret: text("JWT_SECRET"),
        token_lifetime: text("TOKEN_LIFETIME_SECONDS"),
        cors_allowed_origins: text("CORS_ALLOWED_ORIGINS"),
    }
}

async fn read_request(mut req: Request) -> api::Request {
    // The raw method: the worker crate's `Method` turns every method it does not know into GET.
    let method = req.inner().method().to_ascii_uppercase();
    let headers: Vec<(String, String)> =
        req.headers().entries().map(|(name, value)| (name.to_ascii_lowercase(), value)).collect();
    let query = req.url().ok().and_then(|url| url.query().map(str::to_owned)).unwrap_or_default();
    let declared_length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.trim().parse::<usize>().ok());
    // Never buffer a body we are going to refuse; the API answers 413 from the length alone.
    let body = match declared_length {
        Some(length) if length > MAX_BODY_BYTES => vec![0; MAX_BODY_BYTES + 1],
        _ => req.bytes().await.unwrap_or_default(),
    };
    api::Request { method, path: req.path(), query, headers, body }
}

fn write_response(response: api::Response) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in &response.headers {
        headers.append(name, value)?;
    }
    Ok(Response::from_bytes(response.body)?.with_status(response.status).with_headers(headers))
}
