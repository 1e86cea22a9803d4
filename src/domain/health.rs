//! Whether PANDA can reach its database: one real round trip, nothing cached.

use super::db::{read_one, Database, DbError, Statement};

pub async fn check_database(db: &impl Database) -> Result<(), DbError> {
    #[derive(serde::Deserialize)]
    struct Alive {
        alive: i64,
    }
    match read_one(db, Statement::new("SELECT 1 AS alive")).await?.first::<Alive>()? {
        Some(Alive { alive: 1 }) => Ok(()),
        _ => Err(DbError::Decode("SELECT 1 did not answer 1".into())),
    }
}
