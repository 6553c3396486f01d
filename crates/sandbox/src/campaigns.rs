//! Promotion campaigns and booths (`POST /v1/campaigns`, `POST /v1/booths`), and the rules
//! the core enforces when a campaign's incentive is claimed ([`check_claim`]). Both enter the
//! change feed (`campaign`, `booth`), so every console holds the same ones.
//!
//! A campaign is configuration, not code: its dates, booths, eligibility and budget are
//! columns, and each rule below reads them.

use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::wallets::{china_day, yuan};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_core::domain::Money;
use walletdesk_corebank::v1;

const CAMPAIGN_COLUMNS: &str = "c.code, c.name, c.starts_on, c.ends_on, c.branches, c.booths, \
    c.incentive_kind, c.incentive_fen, c.incentive_points, c.incentive_coupon, \
    c.incentive_service, c.new_customers_only, c.budget_claims, c.budget_fen, c.updated_at, \
    (SELECT COUNT(*) FROM incentive_claims i WHERE i.campaign = c.code) AS claims, \
    (SELECT COALESCE(SUM(amount_fen), 0) FROM incentive_claims i WHERE i.campaign = c.code) \
    AS spent_fen";
const BOOTH_COLUMNS: &str = "code, name, mall, address, branch, roster, updated_at";
const MAX_SHORT_CHARS: usize = 64;
const MAX_LONG_CHARS: usize = 200;

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "campaign store access failed");
    Problem::internal()
}

fn invalid(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

fn not_eligible(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not-eligible",
        "Not eligible for this campaign",
        Some(detail),
    )
}

fn text(field: &str, value: &str, max: usize) -> Result<String, Problem> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(invalid(format!("{field}: 1 to {max} characters")));
    }
    Ok(value.to_owned())
}

fn code(field: &str, value: &str) -> Result<String, Problem> {
    if !v1::is_valid_campaign_code(value) {
        return Err(invalid(format!(
            "{field}: a letter or digit, then up to 31 letters, digits or hyphens"
        )));
    }
    Ok(value.to_owned())
}

fn date(field: &str, value: &str) -> Result<NaiveDate, Problem> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| invalid(format!("{field}: a date YYYY-MM-DD, not {value:?}")))
}

/// A list of codes or usernames: trimmed, blanks dropped, each kept once, in order.
fn list(values: &[String]) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".to_owned())
}

fn parse_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn money_fen(field: &str, text: &str) -> Result<i64, Problem> {
    Some(text)
        .filter(|t| v1::is_valid_amount(t))
        .and_then(|t| Money::parse(t).ok())
        .and_then(|m| m.to_minor_units().ok())
        .filter(|fen| *fen > 0)
        .ok_or_else(|| {
            invalid(format!(
                "{field}: a decimal string above 0 with at most two places"
            ))
        })
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn campaign_from_row(row: &SqliteRow) -> Result<v1::Campaign, sqlx::Error> {
    let count = |name: &str| -> Result<Option<u32>, sqlx::Error> {
        Ok(row
            .try_get::<Option<i64>, _>(name)?
            .and_then(|n| u32::try_from(n).ok()))
    };
    Ok(v1::Campaign {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        branches: parse_list(&row.try_get::<String, _>("branches")?),
        booths: parse_list(&row.try_get::<String, _>("booths")?),
        incentive: v1::CampaignIncentive {
            kind: row.try_get("incentive_kind")?,
            amount: row.try_get::<Option<i64>, _>("incentive_fen")?.map(yuan),
            points: count("incentive_points")?,
            coupon: row.try_get("incentive_coupon")?,
            service: row.try_get("incentive_service")?,
        },
        new_customers_only: row.try_get("new_customers_only")?,
        budget_claims: count("budget_claims")?,
        budget_amount: row.try_get::<Option<i64>, _>("budget_fen")?.map(yuan),
        claims: count("claims")?.unwrap_or(0),
        spent: yuan(row.try_get("spent_fen")?),
        updated_at: row.try_get("updated_at")?,
    })
}

fn booth_from_row(row: &SqliteRow) -> Result<v1::Booth, sqlx::Error> {
    Ok(v1::Booth {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        mall: row.try_get("mall")?,
        address: row.try_get("address")?,
        branch: row.try_get("branch")?,
        roster: parse_list(&row.try_get::<String, _>("roster")?),
        updated_at: row.try_get("updated_at")?,
    })
}

async fn read_campaign(
    conn: &mut SqliteConnection,
    code: &str,
) -> Result<Option<v1::Campaign>, Problem> {
    let row = sqlx::query(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.code = ?"
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?;
    row.map(|row| campaign_from_row(&row))
        .transpose()
        .map_err(internal)
}

/// The feed's renderers (ids are the codes).
pub async fn render_campaigns(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let mut query = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.code IN "
    ));
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let campaign = campaign_from_row(row)?;
            Ok((campaign.code.clone(), serde_json::to_value(campaign)?))
        })
        .collect()
}

pub async fn render_booths(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let mut query =
        QueryBuilder::<Sqlite>::new(format!("SELECT {BOOTH_COLUMNS} FROM booths WHERE code IN "));
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let booth = booth_from_row(row)?;
            Ok((booth.code.clone(), serde_json::to_value(booth)?))
        })
        .collect()
}

pub async fn save_campaign(
    State(state): State<AppState>,
    request: Idempotent<v1::CampaignSave>,
) -> Response {
    let write = SaveCampaign(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn save_booth(
    State(state): State<AppState>,
    request: Idempotent<v1::BoothSave>,
) -> Response {
    let write = SaveBooth(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

/// The incentive's columns, after checking that `kind` has exactly the field it needs.
struct IncentiveColumns {
    kind: String,
    fen: Option<i64>,
    points: Option<i64>,
    coupon: Option<String>,
    service: Option<String>,
}

fn incentive(i: &v1::CampaignIncentive) -> Result<IncentiveColumns, Problem> {
    let needs = |present: bool, field: &str| {
        if present {
            Ok(())
        } else {
            Err(invalid(format!(
                "incentive.{field}: required for a {:?} incentive",
                i.kind
            )))
        }
    };
    let others = [
        ("amount", i.amount.is_some(), "cashback"),
        ("points", i.points.is_some(), "points"),
        ("coupon", i.coupon.is_some(), "coupon"),
        ("service", i.service.is_some(), "fee-waiver"),
    ];
    if !matches!(
        i.kind.as_str(),
        "fee-waiver" | "cashback" | "points" | "coupon"
    ) {
        return Err(invalid(
            "incentive.kind: fee-waiver, cashback, points or coupon".to_owned(),
        ));
    }
    for (field, present, kind) in others {
        if kind == i.kind {
            needs(present, field)?;
        } else if present {
            return Err(invalid(format!(
                "incentive.{field}: only for a {kind:?} incentive"
            )));
        }
    }
    let service = i
        .service
        .as_deref()
        .map(|s| {
            let ok = s.len() <= 32
                && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if ok {
                Ok(s.to_owned())
            } else {
                Err(invalid(
                    "incentive.service: a lowercase service code".to_owned(),
                ))
            }
        })
        .transpose()?;
    Ok(IncentiveColumns {
        kind: i.kind.clone(),
        fen: i
            .amount
            .as_deref()
            .map(|a| money_fen("incentive.amount", a))
            .transpose()?,
        points: i
            .points
            .map(|p| {
                if (1..=1_000_000).contains(&p) {
                    Ok(i64::from(p))
                } else {
                    Err(invalid("incentive.points: 1 to 1000000".to_owned()))
                }
            })
            .transpose()?,
        coupon: i
            .coupon
            .as_deref()
            .map(|c| text("incentive.coupon", c, MAX_SHORT_CHARS))
            .transpose()?,
        service,
    })
}

#[derive(Debug)]
struct SaveCampaign(v1::CampaignSave);

impl Write for SaveCampaign {
    const OPERATION: &'static str = "save-campaign";
    type Output = v1::Campaign;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Campaign), Problem> {
        let c = self.0;
        let code = code("code", &c.code)?;
        let name = text("name", &c.name, MAX_SHORT_CHARS)?;
        let starts = date("startsOn", &c.starts_on)?;
        let ends = date("endsOn", &c.ends_on)?;
        if ends < starts {
            return Err(invalid("endsOn: on or after startsOn".to_owned()));
        }
        let incentive = incentive(&c.incentive)?;
        let budget_claims = c
            .budget_claims
            .map(|n| {
                if (1..=10_000_000).contains(&n) {
                    Ok(i64::from(n))
                } else {
                    Err(invalid("budgetClaims: 1 to 10000000".to_owned()))
                }
            })
            .transpose()?;
        let budget_fen = c
            .budget_amount
            .as_deref()
            .map(|a| money_fen("budgetAmount", a))
            .transpose()?;
        sqlx::query(
            "INSERT INTO campaigns (code, name, starts_on, ends_on, branches, booths, \
             incentive_kind, incentive_fen, incentive_points, incentive_coupon, \
             incentive_service, new_customers_only, budget_claims, budget_fen, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             starts_on = excluded.starts_on, ends_on = excluded.ends_on, \
             branches = excluded.branches, booths = excluded.booths, \
             incentive_kind = excluded.incentive_kind, incentive_fen = excluded.incentive_fen, \
             incentive_points = excluded.incentive_points, \
             incentive_coupon = excluded.incentive_coupon, \
             incentive_service = excluded.incentive_service, \
             new_customers_only = excluded.new_customers_only, \
             budget_claims = excluded.budget_claims, budget_fen = excluded.budget_fen, \
             updated_at = excluded.updated_at",
        )
        .bind(&code)
        .bind(&name)
        .bind(starts.format("%Y-%m-%d").to_string())
        .bind(ends.format("%Y-%m-%d").to_string())
        .bind(list(&c.branches))
        .bind(list(&c.booths))
        .bind(&incentive.kind)
        .bind(incentive.fen)
        .bind(incentive.points)
        .bind(&incentive.coupon)
        .bind(&incentive.service)
        .bind(c.new_customers_only)
        .bind(budget_claims)
        .bind(budget_fen)
        .bind(stamp(now))
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "campaign", &code, now)
            .await
            .map_err(internal)?;
        let campaign = read_campaign(conn, &code)
            .await?
            .ok_or_else(|| internal("vanished"))?;
        Ok((StatusCode::OK, campaign))
    }
}

#[derive(Debug)]
struct SaveBooth(v1::BoothSave);

impl Write for SaveBooth {
    const OPERATION: &'static str = "save-booth";
    type Output = v1::Booth;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Booth), Problem> {
        let b = self.0;
        let code = code("code", &b.code)?;
        let name = text("name", &b.name, MAX_SHORT_CHARS)?;
        let mall = text("mall", &b.mall, MAX_SHORT_CHARS)?;
        let address = text("address", &b.address, MAX_LONG_CHARS)?;
        let branch = text("branch", &b.branch, MAX_SHORT_CHARS)?;
        let row = sqlx::query(&format!(
            "INSERT INTO booths (code, name, mall, address, branch, roster, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, mall = excluded.mall, \
             address = excluded.address, branch = excluded.branch, roster = excluded.roster, \
             updated_at = excluded.updated_at RETURNING {BOOTH_COLUMNS}"
        ))
        .bind(&code)
        .bind(&name)
        .bind(&mall)
        .bind(&address)
        .bind(&branch)
        .bind(list(&b.roster))
        .bind(stamp(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "booth", &code, now)
            .await
            .map_err(internal)?;
        Ok((StatusCode::OK, booth_from_row(&row).map_err(internal)?))
    }
}

/// The campaign rules a claim must meet, checked in the claim's transaction (so two claims
/// cannot both take the last of a budget: SQLite serialises writers). Each rule reads the
/// campaign's own configuration:
/// - the campaign exists (a console cannot pay out for a campaign the core does not run);
/// - today (China day) is within `startsOn..=endsOn`;
/// - the booth is one of the campaign's booths;
/// - a cashback campaign pays exactly its configured amount;
/// - `newCustomersOnly`: the customer was created on or after the first day;
/// - the budget: fewer than `budgetClaims` claims, and `budgetAmount` not passed by this one.
///
/// The once-per-person rule is the claims table's UNIQUE key.
pub async fn check_claim(
    conn: &mut SqliteConnection,
    campaign: &str,
    booth: &str,
    customer: i64,
    amount_fen: i64,
    now: DateTime<Utc>,
) -> Result<(), Problem> {
    let Some(c) = read_campaign(conn, campaign).await? else {
        return Err(invalid(format!(
            "campaign: the core runs no campaign {campaign:?}"
        )));
    };
    let today = china_day(now).format("%Y-%m-%d").to_string();
    if today < c.starts_on || today > c.ends_on {
        return Err(not_eligible(format!(
            "campaign {campaign:?} runs {} to {}, not on {today}",
            c.starts_on, c.ends_on
        )));
    }
    if !c.booths.iter().any(|b| b == booth) {
        return Err(not_eligible(format!(
            "campaign {campaign:?} does not run at booth {booth:?}"
        )));
    }
    if let Some(pays) = c.incentive.amount.as_deref() {
        let pays = money_fen("incentive.amount", pays)?;
        if pays != amount_fen {
            return Err(invalid(format!(
                "amount: campaign {campaign:?} pays {}",
                yuan(pays)
            )));
        }
    }
    if c.new_customers_only {
        let created: String = sqlx::query_scalar("SELECT created_at FROM customers WHERE id = ?")
            .bind(customer)
            .fetch_one(&mut *conn)
            .await
            .map_err(internal)?;
        let created_day = DateTime::parse_from_rfc3339(&created)
            .map(|t| {
                china_day(t.with_timezone(&Utc))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .unwrap_or_default();
        if created_day < c.starts_on {
            return Err(not_eligible(format!(
                "campaign {campaign:?} is for new customers; this one was known before {}",
                c.starts_on
            )));
        }
    }
    let exhausted = c.budget_claims.is_some_and(|cap| c.claims >= cap)
        || c.budget_amount.as_deref().is_some_and(|cap| {
            let spent = Money::parse(&c.spent)
                .ok()
                .and_then(|m| m.to_minor_units().ok())
                .unwrap_or(0);
            money_fen("budgetAmount", cap).is_ok_and(|cap| spent + amount_fen > cap)
        });
    if exhausted {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "budget-exhausted",
            "Campaign budget exhausted",
            Some(format!(
                "campaign {campaign:?} has paid {} incentives ({} CNY): its budget is used up",
                c.claims, c.spent
            )),
        ));
    }
    Ok(())
}

/// Training mode's demo campaign and booth, so the first start shows the booth's whole day:
/// booth "DEMO-MALL" worked by the demo booth staff member (`booth`), running campaign
/// "DEMO-SPRING" (8.88 yuan cashback, new customers only, 1,000 claims) from the seeding day
/// for a year. Written through the same writes a supervisor's console uses, so they enter the
/// change feed like any other.
pub async fn seed_demo(conn: &mut SqliteConnection, as_of: NaiveDate) -> anyhow::Result<()> {
    let now = as_of
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| anyhow::anyhow!("the seeding day has no midnight"))?;
    let refused = |p: Problem| anyhow::anyhow!("demo campaign refused: {:?}", p.detail());
    SaveBooth(v1::BoothSave {
        code: "DEMO-MALL".into(),
        name: "演示展位".into(),
        mall: "万象城 1F 中庭".into(),
        address: "北京市朝阳区建国路 1 号".into(),
        branch: "总行营业部".into(),
        roster: vec!["booth".into()],
    })
    .apply(&mut *conn, now)
    .await
    .map_err(refused)?;
    SaveCampaign(v1::CampaignSave {
        code: "DEMO-SPRING".into(),
        name: "数字人民币开户有礼（演示）".into(),
        starts_on: as_of.format("%Y-%m-%d").to_string(),
        ends_on: (as_of + chrono::Duration::days(365))
            .format("%Y-%m-%d")
            .to_string(),
        branches: vec!["总行营业部".into()],
        booths: vec!["DEMO-MALL".into()],
        incentive: v1::CampaignIncentive {
            kind: "cashback".into(),
            amount: Some("8.88".into()),
            points: None,
            coupon: None,
            service: None,
        },
        new_customers_only: true,
        budget_claims: Some(1000),
        budget_amount: None,
    })
    .apply(&mut *conn, now)
    .await
    .map_err(refused)?;
    Ok(())
}

/// [`seed_demo`] once per store: training mode calls it at every start, and a store that
/// already has the demo booth keeps it as it is (a supervisor may have edited it since).
pub async fn seed_demo_once(store: &crate::store::Store, as_of: NaiveDate) -> anyhow::Result<bool> {
    let mut tx = store.pool().begin().await?;
    let present: Option<String> = sqlx::query_scalar("SELECT code FROM booths WHERE code = ?")
        .bind("DEMO-MALL")
        .fetch_optional(&mut *tx)
        .await?;
    if present.is_some() {
        return Ok(false);
    }
    seed_demo(&mut tx, as_of).await?;
    tx.commit().await?;
    Ok(true)
}
