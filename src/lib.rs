//! PANDA: the Patient Appointment Network Data Application.
//!
//! - [`domain`]: types, validation, status rules and SQL text. Portable; no `worker` import.
//! - [`api`]: routes and request handling over plain values; also portable and natively tested.
//! - [`i18n`]: the messages errors are rendered with.
//! - `shell` (wasm32 only): the thin Cloudflare Worker entry points, D1 binding and clock.
//! - [`native`] (not on wasm32): the self-hosted server and its SQLite and PostgreSQL databases.

pub mod api;
pub mod domain;
pub mod i18n;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;

#[cfg(target_arch = "wasm32")]
mod shell;
