//! The reporting resource (`GET /v1/reports`) and the daily rollups behind it (issue 17).
//!
//! Every write that adds a customer, a payment, a complaint or an incentive claim adds its
//! deltas to `insight_daily` in its own transaction, by the upkeep rules of
//! `walletdesk_core::insights::rollup`; a report sums those rows over the windows
//! `walletdesk_core::insights::Windows` names and turns the sums into the metric with
//! `walletdesk_core::insights::metrics::value`. No report reads a transaction.

use crate::extract::Query;
use crate::http::{AppState, Problem};
use crate::wallets::china_day;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Months, NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use std::collections::HashMap;
use walletdesk_core::insights::metrics::{self, DayRange, Dims};
use walletdesk_core::insights::{
    Activity, Counter, Delta, Dimension, Metric, MetricConfig, Windows,
};
use walletdesk_corebank::v1;

/// Whether the write path keeps the rollups. Always on; the `reports` bench turns it off for
/// one half of its run to measure what the upkeep costs a payment (before/after in one run).
#[doc(hidden)]
pub static UPKEEP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

fn upkeep() -> bool {
    UPKEEP.load(std::sync::atomic::Ordering::Relaxed)
}

/// The core bank's metric settings: the active window is applied as the rollups are written.
fn config() -> MetricConfig {
    MetricConfig::default()
}

fn counter_columns(counter: Counter) -> Option<(&'static str, i64)> {
    Some(match counter {
        Counter::SignUps => ("signups", 0),
        Counter::Activated { delay } => ("activated", i64::from(delay)),
        Counter::ActiveDelta => ("active", 0),
        Counter::Transactions => ("transactions", 0),
        Counter::Complaints => ("complaints", 0),
        Counter::IncentiveFen => ("incentive", 0),
        // Surveys are the console's; the core bank never records one.
        Counter::Surveys | Counter::Satisfied => return None,
    })
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The China day of a stored UTC timestamp.
fn day_of(stamp: &str) -> sqlx::Result<NaiveDate> {
    DateTime::parse_from_rfc3339(stamp)
        .map(|t| china_day(t.with_timezone(&Utc)))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn parse_day(text: Option<&str>) -> sqlx::Result<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
    .transpose()
}

const CUSTOMER_COLUMNS: &str = "c.id, c.created_at, c.campaign, c.booth, c.staff_id, c.channel, \
     c.branch, c.first_transaction_on, c.last_transaction_on";

/// The columns [`Holder::from_row`] reads, for a query that already joins the customer as `c`
/// (the payment path's wallet load), so the upkeep needs no read of its own.
pub const HOLDER_COLUMNS: &str = "c.created_at, c.campaign, c.booth, c.staff_id, c.channel, \
     c.branch, c.first_transaction_on, c.last_transaction_on";

/// What the upkeep needs to know about a customer: whom they are attributed to, and their
/// activity so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub dims: Dims,
    pub activity: Activity,
}

impl Holder {
    pub fn from_row(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Holder> {
        let text = |name: &str| -> sqlx::Result<String> {
            Ok(row.try_get::<Option<String>, _>(name)?.unwrap_or_default())
        };
        let dims = Dims {
            campaign: text("campaign")?,
            booth: text("booth")?,
            staff: text("staff_id")?,
            branch: text("branch")?,
            channel: text("channel")?,
        };
        let created: String = row.try_get("created_at")?;
        let activity = Activity {
            signed_up: day_of(&created)?,
            first_transaction: parse_day(row.try_get("first_transaction_on")?)?,
            last_transaction: parse_day(row.try_get("last_transaction_on")?)?,
        };
        Ok(Holder { dims, activity })
    }
}

fn customer_from(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<(i64, Dims, Activity)> {
    let Holder { dims, activity } = Holder::from_row(row)?;
    Ok((row.try_get("id")?, dims, activity))
}

/// The rollup upsert of `deltas` for `dims`, pushed onto `insert` (None when no delta is
/// the core bank's to keep).
fn push_upsert(insert: &mut QueryBuilder<'_, Sqlite>, dims: &Dims, deltas: &[Delta]) -> bool {
    let cells: Vec<_> = deltas
        .iter()
        .filter_map(|d| counter_columns(d.counter).map(|(name, delay)| (name, delay, *d)))
        .collect();
    if cells.is_empty() {
        return false;
    }
    insert.push(
        "INSERT INTO insight_daily (counter, day, delay, campaign, booth, staff, branch, \
         channel, amount) ",
    );
    insert.push_values(cells, |mut values, (name, delay, delta)| {
        values
            .push_bind(name)
            .push_bind(day_text(delta.day))
            .push_bind(delay)
            .push_bind(dims.campaign.clone())
            .push_bind(dims.booth.clone())
            .push_bind(dims.staff.clone())
            .push_bind(dims.branch.clone())
            .push_bind(dims.channel.clone())
            .push_bind(delta.amount);
    });
    insert.push(" ON CONFLICT DO UPDATE SET amount = amount + excluded.amount");
    true
}

/// Adds `deltas` to the rollup rows of `dims`, in one statement; the triggers of
/// `insight_monthly` add them to their months inside it.
pub async fn add(conn: &mut SqliteConnection, dims: &Dims, deltas: &[Delta]) -> sqlx::Result<()> {
    let mut insert = QueryBuilder::<Sqlite>::new("");
    if push_upsert(&mut insert, dims, deltas) {
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// A customer was created: their sign-up counts on its day, under the branch of the booth
/// that won them (kept on the customer, so later events need no lookup).
pub async fn on_sign_up(conn: &mut SqliteConnection, customer: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE customers SET branch = (SELECT branch FROM booths WHERE code = customers.booth) \
         WHERE id = ?",
    )
    .bind(customer)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ?"
    ))
    .bind(customer)
    .fetch_one(&mut *conn)
    .await?;
    let (_, dims, activity) = customer_from(&row)?;
    let (_, deltas) = Activity::sign_up(activity.signed_up);
    add(conn, &dims, &deltas).await
}

/// A payment was booked at `now` for `customer` (as the payment's wallet load read them): it
/// counts as a transaction, may activate the customer and moves their active stretch.
/// Corrections (dispute credits) are not the customer's activity and are not counted. The
/// rollup upsert and the customer's new activity go to SQLite as one two-statement query:
/// the upkeep costs a payment one round trip.
pub async fn on_payment(
    conn: &mut SqliteConnection,
    customer: i64,
    holder: &Holder,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    if !upkeep() {
        return Ok(());
    }
    let mut activity = holder.activity;
    let deltas = activity.transaction(china_day(now), &config());
    let mut query = QueryBuilder::<Sqlite>::new("");
    let mut statements = usize::from(push_upsert(&mut query, &holder.dims, &deltas));
    // A second payment the same day leaves the customer's activity as it was.
    if activity != holder.activity {
        if statements > 0 {
            query.push("; ");
        }
        query
            .push("UPDATE customers SET first_transaction_on = ")
            .push_bind(activity.first_transaction.map(day_text))
            .push(", last_transaction_on = ")
            .push_bind(activity.last_transaction.map(day_text))
            .push(" WHERE id = ")
            .push_bind(customer);
        statements += 1;
    }
    if statements > 0 {
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// A complaint from `customer` received on `received`.
pub async fn on_complaint(
    conn: &mut SqliteConnection,
    customer: i64,
    received: NaiveDate,
) -> sqlx::Result<()> {
    let row = sqlx::query(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ?"
    ))
    .bind(customer)
    .fetch_one(&mut *conn)
    .await?;
    let (_, dims, _) = customer_from(&row)?;
    add(
        conn,
        &dims,
        &[walletdesk_core::insights::rollup::complaint(received)],
    )
    .await
}

/// An incentive of `fen` paid to `customer` for `campaign` at `booth` by `staff`: the cost
/// belongs to the campaign, booth and staff member that paid it, whoever first won the
/// customer.
pub async fn on_incentive(
    conn: &mut SqliteConnection,
    claim: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let row = sqlx::query(
        "SELECT i.campaign, i.booth, i.staff_id, i.amount_fen, c.channel, \
         (SELECT branch FROM booths WHERE code = i.booth) AS branch \
         FROM incentive_claims i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?",
    )
    .bind(claim)
    .fetch_one(&mut *conn)
    .await?;
    let dims = Dims {
        campaign: row.try_get("campaign")?,
        booth: row.try_get("booth")?,
        staff: row.try_get("staff_id")?,
        branch: row
            .try_get::<Option<String>, _>("branch")?
            .unwrap_or_default(),
        channel: row
            .try_get::<Option<String>, _>("channel")?
            .unwrap_or_default(),
    };
    let fen: i64 = row.try_get("amount_fen")?;
    add(
        conn,
        &dims,
        &[walletdesk_core::insights::rollup::incentive(
            china_day(now),
            fen,
        )],
    )
    .await
}

/// Builds the rollups from every row of the store, once: for a store made before them, and
/// after a bulk seed. Replays each customer's payments in time order through the same upkeep
/// rules the write path uses.
pub async fn rebuild(conn: &mut SqliteConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    use futures_util::TryStreamExt;
    let config = config();
    // Daily rows are deleted only here, so their months and attributions are emptied here
    // too (the triggers that keep them refill them as the daily rows go back in).
    for table in ["insight_daily", "insight_monthly", "insight_attributions"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE customers SET branch = (SELECT branch FROM booths WHERE code = customers.booth) \
         WHERE booth IS NOT NULL",
    )
    .execute(&mut *conn)
    .await?;
    // Attributions interned: a million customers share a few hundred of them.
    let mut interned: HashMap<Dims, u32> = HashMap::new();
    let mut all_dims: Vec<Dims> = Vec::new();
    let mut intern = |dims: Dims| -> u32 {
        if let Some(i) = interned.get(&dims) {
            return *i;
        }
        let i = u32::try_from(all_dims.len()).unwrap_or(u32::MAX);
        all_dims.push(dims.clone());
        interned.insert(dims, i);
        i
    };
    let mut cells: HashMap<(u32, NaiveDate, Counter), i64> = HashMap::new();
    let mut customers: HashMap<i64, (u32, Activity)> = HashMap::new();
    {
        let mut rows = sqlx::query(
            "SELECT c.id, c.created_at, c.campaign, c.booth, c.staff_id, c.channel, c.branch, \
             NULL AS first_transaction_on, NULL AS last_transaction_on FROM customers c",
        )
        .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let (id, dims, activity) = customer_from(&row)?;
            let d = intern(dims);
            let (activity, deltas) = Activity::sign_up(activity.signed_up);
            for delta in deltas {
                *cells.entry((d, delta.day, delta.counter)).or_default() += delta.amount;
            }
            customers.insert(id, (d, activity));
        }
    }
    {
        // Each customer's payments in time order (wallet by wallet through the index, then
        // sorted per customer).
        let mut rows = sqlx::query(
            "SELECT w.customer_id, t.at FROM wallets w JOIN transactions t ON t.wallet_id = w.id \
             WHERE t.kind = 'payment' ORDER BY w.customer_id, t.at",
        )
        .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let customer: i64 = row.try_get("customer_id")?;
            let at: String = row.try_get("at")?;
            if let Some((d, activity)) = customers.get_mut(&customer) {
                for delta in activity.transaction(day_of(&at)?, &config) {
                    *cells.entry((*d, delta.day, delta.counter)).or_default() += delta.amount;
                }
            }
        }
    }
    {
        let mut rows =
            sqlx::query("SELECT customer_id, received_on FROM complaints").fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let customer: i64 = row.try_get("customer_id")?;
            let received: String = row.try_get("received_on")?;
            if let (Some((d, _)), Some(day)) =
                (customers.get(&customer), parse_day(Some(&received))?)
            {
                *cells.entry((*d, day, Counter::Complaints)).or_default() += 1;
            }
        }
    }
    {
        let mut rows = sqlx::query(
            "SELECT i.campaign, i.booth, i.staff_id, i.amount_fen, i.claimed_at, c.channel, \
             (SELECT branch FROM booths WHERE code = i.booth) AS branch \
             FROM incentive_claims i JOIN customers c ON c.id = i.customer_id",
        )
        .fetch(&mut *conn);
        let mut claims = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let at: String = row.try_get("claimed_at")?;
            let dims = Dims {
                campaign: row.try_get("campaign")?,
                booth: row.try_get("booth")?,
                staff: row.try_get("staff_id")?,
                branch: row
                    .try_get::<Option<String>, _>("branch")?
                    .unwrap_or_default(),
                channel: row
                    .try_get::<Option<String>, _>("channel")?
                    .unwrap_or_default(),
            };
            claims.push((dims, day_of(&at)?, row.try_get::<i64, _>("amount_fen")?));
        }
        for (dims, day, fen) in claims {
            let d = intern(dims);
            *cells.entry((d, day, Counter::IncentiveFen)).or_default() += fen;
        }
    }
    let rows: Vec<_> = cells
        .into_iter()
        .filter(|(_, amount)| *amount != 0)
        .filter_map(|((d, day, counter), amount)| {
            counter_columns(counter).map(|(name, delay)| (d, day, name, delay, amount))
        })
        .collect();
    for chunk in rows.chunks(2000) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO insight_daily (counter, day, delay, campaign, booth, staff, branch, \
             channel, amount) ",
        );
        insert.push_values(chunk, |mut values, (d, day, name, delay, amount)| {
            let dims = &all_dims[usize::try_from(*d).unwrap_or_default()];
            values
                .push_bind(*name)
                .push_bind(day_text(*day))
                .push_bind(*delay)
                .push_bind(dims.campaign.clone())
                .push_bind(dims.booth.clone())
                .push_bind(dims.staff.clone())
                .push_bind(dims.branch.clone())
                .push_bind(dims.channel.clone())
                .push_bind(*amount);
        });
        insert.build().execute(&mut *conn).await?;
    }
    // What the write path needs to continue each customer's activity.
    let active: Vec<(i64, Activity)> = customers
        .into_iter()
        .filter(|(_, (_, a))| a.first_transaction.is_some())
        .map(|(id, (_, a))| (id, a))
        .collect();
    for chunk in active.chunks(2000) {
        let mut update = QueryBuilder::<Sqlite>::new("WITH seen (id, first_on, last_on) AS (");
        update.push_values(chunk, |mut values, (id, a)| {
            values
                .push_bind(*id)
                .push_bind(a.first_transaction.map(day_text))
                .push_bind(a.last_transaction.map(day_text));
        });
        update.push(
            ") UPDATE customers SET first_transaction_on = seen.first_on, \
             last_transaction_on = seen.last_on FROM seen WHERE customers.id = seen.id",
        );
        update.build().execute(&mut *conn).await?;
    }
    sqlx::query("INSERT OR REPLACE INTO insight_rollups_built (id, built_at) VALUES (1, ?)")
        .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Builds the rollups if this store has none yet (it was made before them).
pub async fn ensure_built(pool: &sqlx::SqlitePool) -> anyhow::Result<()> {
    let built: Option<i64> = sqlx::query_scalar("SELECT id FROM insight_rollups_built")
        .fetch_optional(pool)
        .await?;
    if built.is_none() {
        let mut tx = pool.begin().await?;
        rebuild(&mut tx, Utc::now()).await?;
        tx.commit().await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    metric: String,
    dimension: Option<String>,
    from: String,
    to: String,
    activation_days: Option<u16>,
    campaign: Option<String>,
    booth: Option<String>,
    staff: Option<String>,
    branch: Option<String>,
    channel: Option<String>,
}

fn invalid(detail: String) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid-query",
        "Invalid query",
        Some(detail),
    )
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "report store access failed");
    Problem::internal()
}

/// Where one window's rows are: its whole months in `insight_monthly`, the days of its
/// partial months in `insight_daily` (both inclusive, as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Days(String, String),
    Months(String, String),
}

/// Before any day the store holds: the lower bound of a running total.
const EARLIEST_DAY: &str = "0000-01-01";
const EARLIEST_MONTH: &str = "0000-01";

fn month_text(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Splits the days `from..=to` (every day up to `to` without `from`) into the partial months'
/// days and the whole months between them, so a long window reads a row per month.
pub fn spans(from: Option<NaiveDate>, to: NaiveDate) -> Vec<Span> {
    let lower = from.map_or_else(|| EARLIEST_DAY.to_owned(), day_text);
    let only_days = || vec![Span::Days(lower.clone(), day_text(to))];
    // The first day of the first whole month (none without a lower bound).
    let whole_from = match from {
        None => None,
        Some(f) if f.day() == 1 => Some(f),
        Some(f) => match f
            .with_day(1)
            .and_then(|m| m.checked_add_months(Months::new(1)))
        {
            Some(m) => Some(m),
            None => return only_days(),
        },
    };
    // The last day of the last whole month.
    let whole_to = if to.succ_opt().is_some_and(|next| next.day() == 1) {
        to
    } else {
        match to.with_day(1).and_then(|m| m.pred_opt()) {
            Some(d) => d,
            None => return only_days(),
        }
    };
    if whole_from.is_some_and(|f| f > whole_to) {
        return only_days();
    }
    let mut out = Vec::new();
    if let (Some(f), Some(w)) = (from, whole_from)
        && f < w
    {
        out.push(Span::Days(day_text(f), day_text(w.pred_opt().unwrap_or(w))));
    }
    out.push(Span::Months(
        whole_from.map_or_else(|| EARLIEST_MONTH.to_owned(), month_text),
        month_text(whole_to),
    ));
    if whole_to < to {
        out.push(Span::Days(
            day_text(whole_to.succ_opt().unwrap_or(to)),
            day_text(to),
        ));
    }
    out
}

/// One sum of a report: its column, its counter, its days (every day up to the last without
/// a first), and the longest activation delay it counts.
type Part<'a> = (u8, &'a str, Option<NaiveDate>, NaiveDate, Option<u16>);

/// The sums of `windows` per group of `dimension` over the rows `filters` keep. Each sum is
/// `Windows::add`'s clause for it (`report_sums_are_the_core_windows_sums` checks they
/// agree), read as range scans of the rollups' primary keys (counter, then day or month):
/// a 365-day report reads about twelve rows per attribution and counter, not 365, and the
/// running totals read a row per month of history.
pub async fn sums(
    conn: &mut SqliteConnection,
    dimension: Option<Dimension>,
    windows: &Windows,
    filters: &[(Dimension, String)],
) -> sqlx::Result<Vec<(String, metrics::Sums)>> {
    let column = |d: Dimension| match d {
        Dimension::Campaign => "campaign",
        Dimension::Booth => "booth",
        Dimension::Staff => "staff",
        Dimension::Branch => "branch",
        Dimension::Channel => "channel",
    };
    let key = dimension.map_or("''", column);
    let mut parts: Vec<Part<'_>> = vec![
        (
            0,
            "signups",
            Some(windows.period.from),
            windows.period.to,
            None,
        ),
        (2, "signups", None, windows.customers_on, None),
        (4, "active", None, windows.active_on, None),
        (
            5,
            "transactions",
            Some(windows.frequency.from),
            windows.frequency.to,
            None,
        ),
        (
            6,
            "complaints",
            Some(windows.period.from),
            windows.period.to,
            None,
        ),
    ];
    if let Some(m) = windows.matured {
        parts.push((1, "signups", Some(m.from), m.to, None));
        parts.push((
            3,
            "activated",
            Some(m.from),
            m.to,
            Some(windows.activation_days),
        ));
        parts.push((7, "incentive", Some(m.from), m.to, None));
    }
    let push_filters = |q: &mut QueryBuilder<'_, Sqlite>| {
        for (d, value) in filters {
            q.push(" AND ")
                .push(column(*d))
                .push(" = ")
                .push_bind(value.clone());
        }
    };
    let mut q = QueryBuilder::<Sqlite>::new("SELECT k");
    for (c, name) in [
        "signups",
        "matured",
        "customers",
        "activated",
        "active",
        "transactions",
        "complaints",
        "incentive",
    ]
    .into_iter()
    .enumerate()
    {
        q.push(format!(
            ", SUM(CASE WHEN c = {c} THEN v ELSE 0 END) AS {name}"
        ));
    }
    // Every attribution is a group, with zeros where none of its rows is in a window.
    q.push(format!(
        " FROM (SELECT {key} AS k, -1 AS c, 0 AS v FROM insight_attributions WHERE 1 = 1"
    ));
    push_filters(&mut q);
    for (c, counter, from, to, max_delay) in parts {
        for span in spans(from, to) {
            let (table, unit, lo, hi) = match span {
                Span::Days(lo, hi) => ("insight_daily", "day", lo, hi),
                Span::Months(lo, hi) => ("insight_monthly", "month", lo, hi),
            };
            q.push(format!(
                " UNION ALL SELECT {key}, {c}, amount FROM {table} WHERE counter = "
            ));
            q.push_bind(counter);
            q.push(format!(" AND {unit} BETWEEN "))
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi);
            if let Some(n) = max_delay {
                q.push(" AND delay <= ").push_bind(i64::from(n));
            }
            push_filters(&mut q);
        }
    }
    q.push(") GROUP BY k ORDER BY k");
    let rows = q.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("k")?,
                metrics::Sums {
                    signups: row.try_get("signups")?,
                    matured_signups: row.try_get("matured")?,
                    activated: row.try_get("activated")?,
                    active: row.try_get("active")?,
                    transactions: row.try_get("transactions")?,
                    customers: row.try_get("customers")?,
                    complaints: row.try_get("complaints")?,
                    incentive_fen: row.try_get("incentive")?,
                    surveys: 0,
                    satisfied: 0,
                },
            ))
        })
        .collect()
}

pub async fn report(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<v1::Report>, Problem> {
    let config = config();
    let metric = Metric::parse(&query.metric)
        .filter(|m| !m.from_the_console())
        .ok_or_else(|| invalid(format!("metric: one of {}", v1::REPORT_METRICS.join(", "))))?;
    let dimension = query
        .dimension
        .as_deref()
        .map(|d| {
            Dimension::parse(d).ok_or_else(|| {
                invalid(format!(
                    "dimension: one of {}",
                    v1::REPORT_DIMENSIONS.join(", ")
                ))
            })
        })
        .transpose()?;
    let date = |field: &str, text: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| invalid(format!("{field}: a date YYYY-MM-DD, not {text:?}")))
    };
    let (from, to) = (date("from", &query.from)?, date("to", &query.to)?);
    let period = DayRange::new(from, to).map_err(|_| invalid("to: not before from".to_owned()))?;
    if period.days() > i64::from(v1::REPORT_MAX_DAYS) {
        return Err(invalid(format!(
            "from..to: at most {} days",
            v1::REPORT_MAX_DAYS
        )));
    }
    let activation_days = query.activation_days.unwrap_or(30);
    if !(1..=MetricConfig::MAX_ACTIVATION_DAYS).contains(&activation_days) {
        return Err(invalid(format!(
            "activationDays: 1 to {}",
            MetricConfig::MAX_ACTIVATION_DAYS
        )));
    }
    let mut filters = Vec::new();
    for (d, value) in [
        (Dimension::Campaign, &query.campaign),
        (Dimension::Booth, &query.booth),
        (Dimension::Staff, &query.staff),
        (Dimension::Branch, &query.branch),
        (Dimension::Channel, &query.channel),
    ] {
        if let Some(v) = value {
            if v.chars().count() > 64 {
                return Err(invalid(format!("{}: at most 64 characters", d.as_str())));
            }
            filters.push((d, v.clone()));
        }
    }
    let now = Utc::now();
    let windows = Windows::new(period, china_day(now), activation_days, &config);
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    let groups = sums(&mut conn, dimension, &windows, &filters)
        .await
        .map_err(internal)?;
    let rows = groups
        .into_iter()
        .map(|(key, sums)| v1::ReportRow {
            value: metrics::value(metric, &sums, &config).map(|v| v.to_string()),
            key,
            sums: v1::ReportSums {
                signups: sums.signups,
                matured_signups: sums.matured_signups,
                activated: sums.activated,
                active: sums.active,
                transactions: sums.transactions,
                customers: sums.customers,
                complaints: sums.complaints,
                incentive: rust_decimal::Decimal::new(sums.incentive_fen, 2).to_string(),
            },
        })
        .collect();
    Ok(Json(v1::Report {
        metric: metric.as_str().to_owned(),
        dimension: dimension.map(|d| d.as_str().to_owned()),
        from: day_text(from),
        to: day_text(to),
        activation_days,
        as_of: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        rows,
    }))
}
