//! `sandbox seed`: the binary itself, run the way a developer or a bench script runs it.

use sqlx::Row;
use sqlx::sqlite::SqliteConnectOptions;
use std::path::Path;
use std::process::Command;

fn seed(db: &Path, seed: u64, customers: u32) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["seed", "--customers", &customers.to_string()])
        .args(["--seed", &seed.to_string(), "--as-of", "2025-03-01", "--db"])
        .arg(db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run sandbox seed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// Every row of the data tables, in a fixed order, as text.
async fn dump(db: &Path) -> Vec<String> {
    let pool = sqlx::SqlitePool::connect_with(SqliteConnectOptions::new().filename(db))
        .await
        .expect("open");
    let mut rows = Vec::new();
    for query in [
        "SELECT id || '|' || name || '|' || resident_id || '|' || mobile || '|' || birth_date \
         || '|' || sex || '|' || created_at FROM customers ORDER BY id",
        "SELECT id || '|' || customer_id || '|' || tier || '|' || balance_fen || '|' || status \
         || '|' || opened_at FROM wallets ORDER BY id",
        "SELECT id || '|' || wallet_id || '|' || at || '|' || amount_fen || '|' || direction \
         || '|' || counterparty || '|' || memo FROM transactions ORDER BY id",
        "SELECT seed || '|' || as_of || '|' || customers FROM seeding",
    ] {
        for row in sqlx::query(query).fetch_all(&pool).await.expect(query) {
            rows.push(row.get::<String, _>(0));
        }
    }
    pool.close().await;
    rows
}

#[tokio::test]
async fn same_seed_and_date_give_identical_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("c.db"),
    );
    let summary = seed(&a, 7, 1_200);
    assert!(
        summary.starts_with("seed=7 as_of=2025-03-01 customers=1200 wallets="),
        "{summary}"
    );
    seed(&b, 7, 1_200);
    seed(&c, 8, 1_200);
    let (rows_a, rows_b, rows_c) = (dump(&a).await, dump(&b).await, dump(&c).await);
    assert!(rows_a.len() > 1_200 * 3, "only {} rows", rows_a.len());
    assert_eq!(rows_a, rows_b);
    assert_ne!(rows_a, rows_c);
    assert!(!dir.path().join("a.db.partial").exists());

    // The file is an ordinary store: the server serves it as it is.
    let sandbox = walletdesk_sandbox::start(walletdesk_sandbox::SandboxConfig {
        db_path: Some(a.clone()),
        seed: 99,
        ..crate::config()
    })
    .await
    .expect("serve the seeded file");
    assert_eq!(sandbox.seeding().seed, 7);
    let counts = sandbox.store().counts().await.expect("counts");
    assert_eq!(counts.customers, 1_200);
    assert_eq!(counts, sandbox.store().recount().await.expect("recount"));
    sandbox.shutdown().await;
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("kept.db");
    std::fs::write(&db, b"precious").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["seed", "--customers", "3", "--db"])
        .arg(&db)
        .output()
        .expect("run sandbox seed");
    assert!(!output.status.success());
    assert_eq!(std::fs::read(&db).expect("read"), b"precious");
}

#[test]
fn serving_flags_still_work_without_a_subcommand() {
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["--port", "0", "--seed", "3", "--help"])
        .output()
        .expect("run sandbox");
    assert!(output.status.success());
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["seed", "--help"])
        .output()
        .expect("run sandbox");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("--as-of"));
}
