//! Customer search over 1,000,000 customers in the local read model (a SQLite file on disk):
//! p50 and p99 per kind of query. Goal (issue 5): p99 under 10 ms. Then opening a Customer
//! 360 on the same read model (each customer with a wallet, every tenth with a card), through
//! the console as the screen calls it, its audit record included.
//!
//! `cargo bench -p walletdesk-core --bench search`; numbers go to docs/performance.md.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::float_arithmetic,
    reason = "a bench reports timings on the terminal"
)]

use rand::{Rng, SeedableRng};
use sqlx::{QueryBuilder, Sqlite};
use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::access::Role;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{Console, ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreChecks, CoreIdentity, CoreLink, CoreSync, LinkError};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::customers::{name_initials, name_pinyin, search::search};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, readmodel};

/// The 360 reads the local copy only; limits come live in a separate call not measured here.
#[derive(Debug)]
struct UnpluggedCore;

#[async_trait::async_trait]
impl CoreLink for UnpluggedCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("unplugged".into()))
    }
}

#[async_trait::async_trait]
impl CoreSync for UnpluggedCore {}

#[async_trait::async_trait]
impl CoreChecks for UnpluggedCore {}

const CUSTOMERS: u32 = 1_000_000;
const RUNS: usize = 1_000;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "欧阳",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "建国", "志强", "婷",
];
const AREAS: &[&str] = &[
    "110105", "310104", "440305", "330106", "510107", "420106", "320102",
];

/// Makes a random query of one kind.
type MakeQuery = Box<dyn Fn(&mut rand_chacha::ChaCha8Rng) -> String>;

struct Person {
    name: String,
    mobile: String,
    first6: &'static str,
    last4: String,
}

fn person(rng: &mut rand_chacha::ChaCha8Rng, n: u32) -> Person {
    let name = format!(
        "{}{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())],
        if rng.random_bool(0.5) {
            GIVEN[rng.random_range(0..GIVEN.len())]
        } else {
            ""
        }
    );
    Person {
        name,
        // Unique: the customer number spread over the 13x-19x ranges.
        mobile: format!("1{}{:09}", 3 + n % 7, n),
        first6: AREAS[rng.random_range(0..AREAS.len())],
        last4: format!("{:04}", rng.random_range(0..10_000)),
    }
}

/// A name's toneless syllables, as a teller would type them (what the search spells too).
fn spelled(name: &str) -> Vec<String> {
    use pinyin::ToPinyin;
    name.to_pinyin()
        .flatten()
        .map(|p| p.plain().replace('ü', "v"))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let key = walletdesk_core::crypto::DataKey::generate();
    let store = Store::open(&dir.path().join("search.sqlite"), &key)
        .await
        .unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    // Birth dates are sealed in the read model (the masked ID hides exactly that date), and
    // every hit opens its own to show the age: the bench pays that cost too.
    let sealer = Sealer::new(&DataKey::generate());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let started = Instant::now();
    let mut tx = store.begin().await.unwrap();
    let mut people = Vec::with_capacity(1000);
    for n in 0..CUSTOMERS {
        people.push(person(&mut rng, n));
        if people.len() == 1000 || n + 1 == CUSTOMERS {
            let base = n + 1 - u32::try_from(people.len()).unwrap();
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO core_customers (id, name, masked_resident_id, id_first6, id_last4, \
                 mobile, birth_date_sealed, sex, created_at, cursor, name_initials, name_pinyin) ",
            );
            insert.push_values(people.iter().enumerate(), |mut row, (i, p)| {
                let id = (base + u32::try_from(i).unwrap() + 1).to_string();
                row.push_bind(id.clone())
                    .push_bind(p.name.clone())
                    .push_bind(format!("{}********{}", p.first6, p.last4))
                    .push_bind(p.first6)
                    .push_bind(p.last4.clone())
                    .push_bind(p.mobile.clone())
                    .push_bind(
                        readmodel::seal_birth_date(&sealer, &id, "1980-01-01")
                            .unwrap()
                            .unwrap(),
                    )
                    .push_bind("male")
                    .push_bind("2025-01-01T00:00:00Z")
                    .push_bind(id)
                    .push_bind(name_initials(&p.name))
                    .push_bind(name_pinyin(&p.name));
            });
            insert.build().execute(&mut *tx).await.unwrap();
            people.clear();
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(store.read()).await.ok();
    println!(
        "seeded {CUSTOMERS} customers into the read model in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let kinds: Vec<(&str, MakeQuery)> = vec![
        (
            "mobile, 11 digits",
            Box::new(|r| {
                let n = r.random_range(0..CUSTOMERS);
                format!("1{}{n:09}", 3 + n % 7)
            }),
        ),
        (
            "mobile prefix, 7 digits",
            Box::new(|r| {
                let n = r.random_range(0..CUSTOMERS);
                format!("1{}{:05}", 3 + n % 7, n / 10_000)
            }),
        ),
        (
            "resident ID last 4",
            Box::new(|r| format!("{:04}", r.random_range(0..10_000))),
        ),
        (
            "resident ID first 6",
            Box::new(|r| AREAS[r.random_range(0..AREAS.len())].to_owned()),
        ),
        (
            "name, surname only",
            Box::new(|r| SURNAMES[r.random_range(0..SURNAMES.len())].to_owned()),
        ),
        (
            "name, surname + given",
            Box::new(|r| {
                format!(
                    "{}{}",
                    SURNAMES[r.random_range(0..SURNAMES.len())],
                    GIVEN[r.random_range(0..GIVEN.len())]
                )
            }),
        ),
        (
            "pinyin initials, 2 letters",
            Box::new(|r| {
                name_initials(&format!(
                    "{}{}",
                    SURNAMES[r.random_range(0..SURNAMES.len())],
                    GIVEN[r.random_range(0..GIVEN.len())]
                ))
            }),
        ),
        (
            "pinyin, full spelling",
            Box::new(|r| {
                spelled(&format!(
                    "{}{}",
                    SURNAMES[r.random_range(0..SURNAMES.len())],
                    GIVEN[r.random_range(0..GIVEN.len())]
                ))
                .concat()
            }),
        ),
        (
            "pinyin, spelling + initial",
            Box::new(|r| {
                let s = spelled(SURNAMES[r.random_range(0..SURNAMES.len())]).concat();
                let g = spelled(GIVEN[r.random_range(0..GIVEN.len())]);
                format!("{s} {}", &g[0][..1])
            }),
        ),
        (
            "pinyin, initial + spelling",
            Box::new(|r| {
                let s = spelled(SURNAMES[r.random_range(0..SURNAMES.len())]);
                let g = spelled(GIVEN[r.random_range(0..GIVEN.len())]).concat();
                format!("{} {g}", &s[0][..1])
            }),
        ),
        (
            "pinyin, initial + no such given",
            Box::new(|r| {
                let s = spelled(SURNAMES[r.random_range(0..SURNAMES.len())]);
                format!("{} xiong", &s[0][..1])
            }),
        ),
        (
            "wallet number (none match)",
            Box::new(|r| {
                format!(
                    "{:016}",
                    r.random_range(0..u64::MAX / 2) % 10_000_000_000_000_000
                )
            }),
        ),
    ];
    println!("{:<30} {:>9} {:>9} {:>9}", "query", "p50", "p99", "max");
    for (label, make) in &kinds {
        let mut times = Vec::with_capacity(RUNS);
        let mut found = 0usize;
        for _ in 0..RUNS {
            let text = make(&mut rng);
            let t = Instant::now();
            let hits = search(store.read(), &sealer, today, &text).await.unwrap();
            times.push(t.elapsed());
            found += hits.len();
        }
        times.sort();
        println!(
            "{label:<30} {:>7.2}ms {:>7.2}ms {:>7.2}ms  (avg {:.1} hits)",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3,
            found as f64 / RUNS as f64
        );
    }

    customer_360(&store, &sealer, &mut rng).await;
}

/// Each customer gets a wallet record (and every tenth a card) as the pull would write them,
/// then 1,000 random customers are opened through `Console::customer_profile`.
async fn customer_360(store: &Store, sealer: &Sealer, rng: &mut rand_chacha::ChaCha8Rng) {
    let started = Instant::now();
    let mut tx = store.begin().await.unwrap();
    for chunk in (1..=CUSTOMERS).collect::<Vec<_>>().chunks(1000) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO core_records (kind, id, customer_id, data, cursor, search_key) ",
        );
        insert.push_values(chunk, |mut row, n| {
            let wallet = format!("{:016}", 6_000_000_000_000_000u64 + u64::from(*n));
            row.push_bind("wallet")
                .push_bind(wallet.clone())
                .push_bind(n.to_string())
                .push_bind(
                    serde_json::json!({"id": wallet, "customerId": n.to_string(), "tier": 3,
                        "balance": "1288.50", "status": "active",
                        "openedAt": "2025-01-01T00:00:00Z"})
                    .to_string(),
                )
                .push_bind(n.to_string())
                .push_bind(None::<String>);
        });
        insert.build().execute(&mut *tx).await.unwrap();
    }
    for chunk in (1..=CUSTOMERS).step_by(10).collect::<Vec<_>>().chunks(1000) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO core_records (kind, id, customer_id, data, cursor, search_key) ",
        );
        insert.push_values(chunk, |mut row, n| {
            let wallet = format!("{:016}", 6_000_000_000_000_000u64 + u64::from(*n));
            row.push_bind("card")
                .push_bind(format!("c{n}"))
                .push_bind(n.to_string())
                .push_bind(
                    serde_json::json!({"id": format!("c{n}"), "walletId": wallet,
                        "maskedNumber": "6222 **** **** 0128", "status": "linked",
                        "linkedAt": "2025-01-01T00:00:00Z"})
                    .to_string(),
                )
                .push_bind(n.to_string())
                .push_bind("0128");
        });
        insert.build().execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    println!(
        "seeded {CUSTOMERS} wallets and {} cards in {:.1} s",
        CUSTOMERS / 10,
        started.elapsed().as_secs_f64()
    );

    let engine = Engine::new(
        store.clone(),
        sealer.clone(),
        Arc::new(UnpluggedCore),
        Arc::new(SystemClock),
        EngineConfig::default(),
    );
    let console = Console::new(
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(UnpluggedCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "bench".into(),
        },
    )
    .with_sync(engine);
    let pw = "bench-pass-2026";
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    console
        .sign_in(SignInInput {
            username: "admin".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    console
        .staff_create(NewStaffInput {
            username: "teller".into(),
            display_name: "柜员".into(),
            role: Role::Teller,
            password: pw.into(),
        })
        .await
        .unwrap();
    console.sign_out().await.unwrap();
    console
        .sign_in(SignInInput {
            username: "teller".into(),
            password: pw.into(),
        })
        .await
        .unwrap();

    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let id = rng.random_range(1..=CUSTOMERS).to_string();
        let t = Instant::now();
        let profile = console.customer_profile(id).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(profile.wallets.len(), 1);
    }
    times.sort();
    println!(
        "{:<30} {:>7.2}ms {:>7.2}ms {:>7.2}ms  (audited, {RUNS} opens)",
        "customer 360 open",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}
