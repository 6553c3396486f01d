//! The fee schedule (`GET /v1/fees`, change feed kind `fee`; contract 1.10.0): what each
//! service costs a wallet of each tier. A fee-waiver campaign names one of its services.
//!
//! The sandbox's schedule is a demo ([`seed_demo_once`]): e-CNY wallets are free to open and
//! to move between tiers; the few charges are plausible examples, and every line says so.

use crate::http::{AppState, Problem};
use crate::wallets::yuan;
use axum::Json;
use axum::extract::State;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_corebank::v1;

const COLUMNS: &str = "tier, service, name, amount_fen, charged, note, updated_at";

/// The change feed's id of a fee line: `<tier>-<service>`.
pub fn entity_id(tier: u8, service: &str) -> String {
    format!("{tier}-{service}")
}

fn fee_from_row(row: &SqliteRow) -> Result<v1::Fee, sqlx::Error> {
    let tier: i64 = row.try_get("tier")?;
    Ok(v1::Fee {
        tier: u8::try_from(tier).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        service: row.try_get("service")?,
        name: row.try_get("name")?,
        amount: yuan(row.try_get("amount_fen")?),
        charged: row.try_get("charged")?,
        note: row.try_get("note")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// `GET /v1/fees`: the whole schedule, by tier and then service.
pub async fn list(State(state): State<AppState>) -> Result<Json<v1::FeeSchedule>, Problem> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM fees ORDER BY tier, service"
    ))
    .fetch_all(state.store.pool())
    .await
    .map_err(internal)?;
    let fees = rows
        .iter()
        .map(fee_from_row)
        .collect::<Result<Vec<_>, _>>()
        .map_err(internal)?;
    Ok(Json(v1::FeeSchedule { fees }))
}

/// The feed's renderer (ids are `<tier>-<service>`; one that names no line renders nothing,
/// so its change goes out with null data).
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let mut query = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COLUMNS} FROM fees WHERE (CAST(tier AS TEXT) || '-' || service) IN "
    ));
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let fee = fee_from_row(row)?;
            Ok((
                entity_id(fee.tier, &fee.service),
                serde_json::to_value(fee)?,
            ))
        })
        .collect()
}

/// One line of the demo schedule: (service, name, fen, charged, note), for the tiers listed.
type DemoFee = (&'static str, &'static str, i64, &'static str, &'static str);

/// The demo schedule. Opening and changing tier are free for every tier (e-CNY wallets are
/// free to the public); a hard wallet card costs its making (the booth's usual fee waiver);
/// a top-up from another bank's account and a paper statement are small per-use examples.
const DEMO: &[(&[u8], DemoFee)] = &[
    (
        &[1, 2, 3, 4],
        (
            "opening",
            "开立钱包",
            0,
            "at-opening",
            "开立钱包免费（演示费率）",
        ),
    ),
    (
        &[1, 2, 3, 4],
        (
            "tier-change",
            "钱包升降级",
            0,
            "per-use",
            "升级或降级钱包等级免费（演示费率）",
        ),
    ),
    (
        &[1, 2, 3, 4],
        (
            "hard-wallet",
            "硬钱包工本费",
            2000,
            "at-opening",
            "领取硬钱包卡片时收取，不领取不收（演示费率）",
        ),
    ),
    (
        &[1, 2, 3, 4],
        (
            "cross-bank-top-up",
            "跨行充值手续费",
            100,
            "per-use",
            "从他行账户充值每笔收取，本行账户充值免费（演示费率）",
        ),
    ),
    (
        &[1, 2],
        (
            "paper-statement",
            "纸质对账单",
            500,
            "per-use",
            "每份收取，电子对账单免费（演示费率）",
        ),
    ),
];

/// Writes the demo schedule when the store has none (a store seeded before fees existed gets
/// it at the next training start), each line into the change feed. `at` is RFC 3339.
pub async fn seed_demo_once(conn: &mut SqliteConnection, at: &str) -> anyhow::Result<bool> {
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fees")
        .fetch_one(&mut *conn)
        .await?;
    if present > 0 {
        return Ok(false);
    }
    for (tiers, (service, name, fen, charged, note)) in DEMO {
        anyhow::ensure!(
            v1::FEE_CHARGED.contains(charged),
            "demo fee {service:?} breaks the contract's forms"
        );
        for tier in *tiers {
            sqlx::query(&format!(
                "INSERT INTO fees ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(i64::from(*tier))
            .bind(service)
            .bind(name)
            .bind(fen)
            .bind(charged)
            .bind(note)
            .bind(at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT OR REPLACE INTO changes (kind, entity_id, at) VALUES ('fee', ?, ?)",
            )
            .bind(entity_id(*tier, service))
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(true)
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "fee schedule access failed");
    Problem::internal()
}

/// [`seed_demo_once`] in its own transaction: training mode calls it at every start, so a
/// training store seeded before the fee schedule existed gets the demo schedule too.
pub async fn seed_demo_store(
    store: &crate::store::Store,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<bool> {
    let mut tx = store.pool().begin().await?;
    let seeded =
        seed_demo_once(&mut tx, &format!("{}T00:00:00Z", as_of.format("%Y-%m-%d"))).await?;
    tx.commit().await?;
    Ok(seeded)
}
