//! PANDA's portable core: value types that can only hold valid values, the status rules, and the
//! SQL text. It never imports `worker`; it compiles and tests natively with `cargo test`.

pub mod appointment;
pub mod appointment_id;
pub mod audit;
pub mod auth;
pub mod db;
pub mod dialect;
pub mod duration;
pub mod error;
pub mod health;
pub mod invalid;
pub mod name_search;
pub mod nhs_number;
pub mod page;
pub mod password;
pub mod patient;
pub mod patient_search;
pub mod person_name;
pub mod postcode;
pub mod revision;
pub mod signed_in;
pub mod stats;
pub mod status;
pub mod sweep;
pub mod timestamp;
pub mod token;
pub mod user;
pub mod uuid;
