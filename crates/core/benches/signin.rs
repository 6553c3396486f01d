//! Sign-in cost: argon2id alone, a whole sign-in through the console (attempt reserved,
//! password checked, success and audit in one transaction), a wrong password, a refusal of a
//! locked account (no hashing), and twenty parallel wrong tries.
//! `cargo bench -p walletdesk-core --bench signin`; numbers go to docs/performance.md.
//! A plain bench binary (no criterion), on a SQLite file on disk as the app uses it.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use chrono::Duration as Minutes;
use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::Console;
use walletdesk_core::access::Role;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};
use walletdesk_core::staff::{self, NewStaffInput};
use walletdesk_core::store::Store;

#[derive(Debug)]
struct NoCore;

#[async_trait::async_trait]
impl CoreLink for NoCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("bench".into()))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} n={:<4} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn creds(username: &str, password: &str) -> SignInInput {
    SignInInput {
        username: username.into(),
        password: password.into(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    const RUNS: usize = 50;
    const PW: &str = "teller-pass-2026";

    let phc = staff::hash_password(PW).unwrap();
    let samples = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            assert!(staff::verify_password(PW, &phc));
            t.elapsed()
        })
        .collect();
    report("argon2id verify (m=7 MiB, t=5, p=1)", samples);

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &dir.path().join("bench.sqlite"),
        &walletdesk_core::crypto::DataKey::generate(),
    )
    .await
    .unwrap();
    let clock = ManualClock::new(chrono::Utc::now());
    let c = Arc::new(Console::new(
        store.clone(),
        Arc::new(clock.clone()),
        Arc::new(NoCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "bench".into(),
        },
    ));
    c.setup_admin(SetupAdminInput {
        username: "admin".into(),
        display_name: "admin".into(),
        password: "admin-pass-2026".into(),
    })
    .await
    .unwrap();
    c.sign_in(creds("admin", "admin-pass-2026")).await.unwrap();
    for name in ["li.na", "target"] {
        c.staff_create(NewStaffInput {
            username: name.into(),
            display_name: name.into(),
            role: Role::Teller,
            password: PW.into(),
        })
        .await
        .unwrap();
    }
    c.sign_out().await.unwrap();

    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        c.sign_in(creds("li.na", PW)).await.unwrap();
        samples.push(t.elapsed());
        c.sign_out().await.unwrap();
    }
    report("sign-in, right password (console, file)", samples);

    // Wrong passwords, four at a time then a right one, so the account never locks.
    let mut samples = Vec::with_capacity(RUNS);
    while samples.len() < RUNS {
        for _ in 0..4 {
            let t = Instant::now();
            assert!(c.sign_in(creds("li.na", "wrong-password")).await.is_err());
            samples.push(t.elapsed());
        }
        c.sign_in(creds("li.na", PW)).await.unwrap();
        c.sign_out().await.unwrap();
    }
    report("sign-in, wrong password (counted, audited)", samples);

    // Twenty parallel wrong tries against one account, repeated after each lock expires.
    let mut walls = Vec::new();
    let mut refusals = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let tries: Vec<_> = (0..20)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move {
                    let t = Instant::now();
                    let r = c.sign_in(creds("target", "wrong-password")).await;
                    (r.is_ok(), t.elapsed())
                })
            })
            .collect();
        let mut per_try = Vec::new();
        for task in tries {
            let (ok, took) = task.await.unwrap();
            assert!(!ok);
            per_try.push(took);
        }
        walls.push(t.elapsed());
        // The 15 fastest are the refusals that never hashed.
        per_try.sort();
        refusals.extend_from_slice(&per_try[..15]);
        clock.advance(Minutes::minutes(16));
    }
    report("20 parallel wrong tries, wall time", walls);
    report("  of which refused as locked (no argon2)", refusals);
    let counted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sign_in_failed' AND outcome = 'failed' AND actor = 'target'",
    )
    .fetch_one(store.read())
    .await
    .unwrap();
    println!(
        "{:<44} {counted} (5 per round of 20)",
        "counted failures over 10 rounds"
    );
    store.close().await;
}
