//! Wallets: open at a tier, change tier, freeze and unfreeze, and read with the limits in
//! force and what has been used of them.
//!
//! Limits are data (migration 0006): a scheme per operator bank, versioned by the China date it
//! takes effect. The tier rules of DOMAIN.md are checked here on every open and tier change.

use crate::customers;
use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::store::{Counts, add_to_stats};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, Days, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection};
use walletdesk_corebank::v1;

/// Under this age a customer may hold a tier 4 wallet only.
const ADULT_TIER_AGE: u32 = 16;
/// An ID card expired longer than this, and not renewed, lowers the wallet's limits.
const EXPIRED_ID_GRACE_DAYS: u64 = 90;
/// The tier whose limits apply once they are lowered.
const LOWEST_TIER: u8 = 4;
/// Prefix of wallet numbers opened through the contract; seeded ones use 0099, so the two
/// never collide.
const OPENED_WALLET_PREFIX: &str = "0098";
const MAX_REASON_CHARS: usize = 200;
const MAX_STAFF_ID_CHARS: usize = 64;

/// China keeps UTC+8 all year (no daylight saving).
const CHINA_OFFSET_HOURS: i64 = 8;

/// The China calendar day at `now`: days, years and limit versions all turn over in China.
pub fn china_day(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(CHINA_OFFSET_HOURS)).date_naive()
}

/// The UTC timestamp text at which China `day` starts, comparable with stored timestamps.
fn china_day_start(day: NaiveDate) -> String {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let utc = start - chrono::Duration::hours(CHINA_OFFSET_HOURS);
    utc.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    let years = day.year() - birth.year();
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    u32::try_from(years - i32::from(before_birthday)).unwrap_or(0)
}

pub fn yuan(fen: i64) -> String {
    Decimal::new(fen, 2).to_string()
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "wallet store access failed");
    Problem::internal()
}

fn refused(status: StatusCode, slug: &str, title: &str, detail: String) -> Problem {
    Problem::new(status, slug, title, Some(detail))
}

fn invalid(detail: String) -> Problem {
    refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        detail,
    )
}

fn not_found(id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no wallet {id:?}")),
    )
}

/// One tier's limits in fen; `None` is "no limit".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierLimits {
    pub balance_cap: Option<i64>,
    pub one_payment: Option<i64>,
    pub per_day: Option<i64>,
    pub per_year: Option<i64>,
}

/// The limits in force on a wallet, and why they are what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedLimits {
    pub operator_bank: String,
    pub effective_from: String,
    pub applied_tier: u8,
    pub limits: TierLimits,
    pub lowered_because: Option<&'static str>,
}

/// The scheme version of `bank` in force on `day`: its id and first day.
async fn scheme_in_force(
    conn: &mut SqliteConnection,
    bank: &str,
    day: NaiveDate,
) -> Result<Option<(i64, String)>, Problem> {
    let row = sqlx::query(
        "SELECT id, effective_from FROM limit_schemes WHERE operator_bank = ? \
         AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1",
    )
    .bind(bank)
    .bind(day.format("%Y-%m-%d").to_string())
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?;
    row.map(|row| Ok((row.try_get("id")?, row.try_get("effective_from")?)))
        .transpose()
        .map_err(|err: sqlx::Error| internal(err))
}

async fn tier_limits(
    conn: &mut SqliteConnection,
    scheme: i64,
    tier: u8,
) -> Result<TierLimits, Problem> {
    let row = sqlx::query(
        "SELECT balance_cap_fen, one_payment_fen, per_day_fen, per_year_fen FROM tier_limits \
         WHERE scheme_id = ? AND tier = ?",
    )
    .bind(scheme)
    .bind(i64::from(tier))
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?
    // A scheme without a row for a tier is a data error, not the caller's.
    .ok_or_else(|| internal(format!("scheme {scheme} has no limits for tier {tier}")))?;
    (|| -> Result<TierLimits, sqlx::Error> {
        Ok(TierLimits {
            balance_cap: row.try_get("balance_cap_fen")?,
            one_payment: row.try_get("one_payment_fen")?,
            per_day: row.try_get("per_day_fen")?,
            per_year: row.try_get("per_year_fen")?,
        })
    })()
    .map_err(internal)
}

fn unknown_bank(bank: &str, day: NaiveDate) -> Problem {
    refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown-operator-bank",
        "No limit scheme for this operator bank",
        format!("operator bank {bank:?} has no limit scheme in force on {day}"),
    )
}

/// True when the ID card expired more than the grace period before `day`.
fn id_long_expired(id_expires_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    id_expires_on
        .and_then(|expires| expires.checked_add_days(Days::new(EXPIRED_ID_GRACE_DAYS)))
        .is_some_and(|last_grace_day| day > last_grace_day)
}

/// A wallet and the facts about its holder that its rules need.
#[derive(Debug, Clone)]
pub struct WalletState {
    pub id: String,
    pub customer_id: i64,
    pub tier: u8,
    pub balance_fen: i64,
    pub status: String,
    pub opened_at: String,
    pub operator_bank: String,
    /// `None` for a customer signed up with the mobile only (no resident ID).
    pub birth_date: Option<NaiveDate>,
    pub id_expires_on: Option<NaiveDate>,
    pub wrong_password_count: i64,
    pub payments_frozen: bool,
    /// The holder's attribution and activity, read here so a payment's rollup upkeep needs
    /// no read of its own.
    pub holder: crate::insights::Holder,
}

fn parse_date(text: &str) -> Result<NaiveDate, Problem> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(internal)
}

/// Loads wallet `id` (16 digits), or 404.
pub async fn load(conn: &mut SqliteConnection, id: &str) -> Result<WalletState, Problem> {
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_found(id));
    }
    let row = sqlx::query(&format!(
        "SELECT w.id, w.customer_id, w.tier, w.balance_fen, w.status, w.opened_at, \
         w.operator_bank, w.wrong_password_count, w.payments_frozen, c.birth_date, \
         c.id_expires_on, {} \
         FROM wallets w JOIN customers c ON c.id = w.customer_id WHERE w.id = ?",
        crate::insights::HOLDER_COLUMNS
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?
    .ok_or_else(|| not_found(id))?;
    let birth: Option<String> = row.try_get("birth_date").map_err(internal)?;
    let expires: Option<String> = row.try_get("id_expires_on").map_err(internal)?;
    let tier: i64 = row.try_get("tier").map_err(internal)?;
    Ok(WalletState {
        id: row.try_get("id").map_err(internal)?,
        customer_id: row.try_get("customer_id").map_err(internal)?,
        tier: u8::try_from(tier).map_err(internal)?,
        balance_fen: row.try_get("balance_fen").map_err(internal)?,
        status: row.try_get("status").map_err(internal)?,
        opened_at: row.try_get("opened_at").map_err(internal)?,
        operator_bank: row.try_get("operator_bank").map_err(internal)?,
        birth_date: birth.as_deref().map(parse_date).transpose()?,
        id_expires_on: expires.as_deref().map(parse_date).transpose()?,
        wrong_password_count: row.try_get("wrong_password_count").map_err(internal)?,
        payments_frozen: row.try_get("payments_frozen").map_err(internal)?,
        holder: crate::insights::Holder::from_row(&row).map_err(internal)?,
    })
}

/// The limits in force on `wallet` on China day `day`.
pub async fn applied_limits(
    conn: &mut SqliteConnection,
    wallet: &WalletState,
    day: NaiveDate,
) -> Result<AppliedLimits, Problem> {
    let (scheme, effective_from) = scheme_in_force(conn, &wallet.operator_bank, day)
        .await?
        .ok_or_else(|| internal(format!("no scheme in force for wallet {}", wallet.id)))?;
    let lowered = wallet.tier < LOWEST_TIER && id_long_expired(wallet.id_expires_on, day);
    let applied_tier = if lowered { LOWEST_TIER } else { wallet.tier };
    Ok(AppliedLimits {
        operator_bank: wallet.operator_bank.clone(),
        effective_from,
        applied_tier,
        limits: tier_limits(conn, scheme, applied_tier).await?,
        lowered_because: lowered.then_some("resident-id-expired"),
    })
}

/// Paid out by `wallet_id` since China day `since` began, in fen. Corrections (a reversed
/// dispute credit) are not payments and do not count.
pub async fn paid_out_since(
    conn: &mut SqliteConnection,
    wallet_id: &str,
    since: NaiveDate,
) -> Result<i64, Problem> {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM transactions \
         WHERE wallet_id = ? AND direction = 'out' AND kind = 'payment' AND at >= ?",
    )
    .bind(wallet_id)
    .bind(china_day_start(since))
    .fetch_one(&mut *conn)
    .await
    .map_err(internal)
}

fn year_start(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)
}

/// Wallet `id` as the contract shows it, as of `now`.
pub async fn render(
    conn: &mut SqliteConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<v1::Wallet, Problem> {
    let wallet = load(conn, id).await?;
    let day = china_day(now);
    let applied = applied_limits(conn, &wallet, day).await?;
    let today = paid_out_since(conn, &wallet.id, day).await?;
    let this_year = paid_out_since(conn, &wallet.id, year_start(day)).await?;
    Ok(v1::Wallet {
        id: wallet.id,
        customer_id: wallet.customer_id.to_string(),
        tier: wallet.tier,
        operator_bank: wallet.operator_bank,
        balance: yuan(wallet.balance_fen),
        status: wallet.status,
        opened_at: wallet.opened_at,
        limits: v1::WalletLimits {
            operator_bank: applied.operator_bank,
            effective_from: applied.effective_from,
            applied_tier: applied.applied_tier,
            balance_cap: applied.limits.balance_cap.map(yuan),
            one_payment: applied.limits.one_payment.map(yuan),
            per_day: applied.limits.per_day.map(yuan),
            per_year: applied.limits.per_year.map(yuan),
            lowered_because: applied.lowered_because.map(str::to_owned),
        },
        usage: v1::WalletUsage {
            today: yuan(today),
            this_year: yuan(this_year),
        },
        payments_frozen: wallet.payments_frozen,
    })
}

/// Tiers this verified need the customer's own bank account: a card linked to the wallet.
const BANK_CARD_TIER: u8 = 2;

/// The tier rules of DOMAIN.md for holding `tier`, checked on opening and on every change.
fn check_tier_rules(
    tier: u8,
    birth_date: Option<NaiveDate>,
    id_expires_on: Option<NaiveDate>,
    in_person: bool,
    id_verified_by: Option<&str>,
    has_bank_card: bool,
    day: NaiveDate,
) -> Result<(), Problem> {
    if !(1..=4).contains(&tier) {
        return Err(invalid(format!("tier: 1 to 4, not {tier}")));
    }
    if tier == LOWEST_TIER {
        return Ok(());
    }
    // Tiers 1 to 3 need a resident ID (DOMAIN.md): a customer signed up with the mobile only
    // has none on file, so no birth date either.
    let Some(birth_date) = birth_date else {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "tier-age-restricted",
            "Tier not allowed without a resident ID",
            format!(
                "tier {tier} needs the customer's resident ID; this customer gave the mobile only"
            ),
        ));
    };
    let age = age_on(birth_date, day);
    if age < ADULT_TIER_AGE {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "tier-age-restricted",
            "Tier not allowed at this age",
            format!("the customer is {age}; under {ADULT_TIER_AGE} only tier 4 is allowed"),
        ));
    }
    // Every sandbox customer has an 18-character resident ID (the store refuses any other), so
    // "tiers 1 to 3 need a resident ID" comes down to the ID still being valid.
    if id_expires_on.is_some_and(|expires| day > expires) {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "resident-id-expired",
            "Resident ID expired",
            format!("tier {tier} needs a valid resident ID; renew it and update idExpiresOn"),
        ));
    }
    if tier <= BANK_CARD_TIER && !has_bank_card {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "tier-needs-bank-card",
            "Tier needs the customer's bank card",
            format!(
                "tiers 1 and 2 need the customer's own bank card: give bankCard when opening, \
                 or link one to the wallet before moving it to tier {tier}"
            ),
        ));
    }
    if tier == 1 {
        let verifier = id_verified_by.map(str::trim).unwrap_or_default();
        if !in_person || verifier.is_empty() {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "tier-needs-in-person",
                "Tier 1 needs the customer in person",
                "tier 1 is signed at a branch: inPerson true and idVerifiedBy the staff id \
                 who checked the ID card"
                    .to_owned(),
            ));
        }
        if verifier.chars().count() > MAX_STAFF_ID_CHARS {
            return Err(invalid(format!(
                "idVerifiedBy: at most {MAX_STAFF_ID_CHARS} characters"
            )));
        }
    }
    Ok(())
}

pub fn closed(id: &str) -> Problem {
    refused(
        StatusCode::CONFLICT,
        "wallet-closed",
        "Wallet closed",
        format!("wallet {id} is closed"),
    )
}

pub async fn open(State(state): State<AppState>, request: Idempotent<v1::NewWallet>) -> Response {
    let write = OpenWallet(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Wallet>, Problem> {
    let mut conn = state.store.pool().begin().await.map_err(internal)?;
    let wallet = render(&mut conn, &id, Utc::now()).await?;
    conn.commit().await.map_err(internal)?;
    Ok(Json(wallet))
}

/// `GET /v1/customers/{ref}/wallets`.
pub async fn of_customer(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<v1::WalletList>, Problem> {
    let mut conn = state.store.pool().begin().await.map_err(internal)?;
    let customer = customers::resolve(&mut conn, &reference).await?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM wallets WHERE customer_id = ? ORDER BY opened_at, id")
            .bind(customer)
            .fetch_all(&mut *conn)
            .await
            .map_err(internal)?;
    let now = Utc::now();
    let mut wallets = Vec::with_capacity(ids.len());
    for id in &ids {
        wallets.push(render(&mut conn, id, now).await?);
    }
    conn.commit().await.map_err(internal)?;
    Ok(Json(v1::WalletList { wallets }))
}

/// `GET /v1/limit-schemes`: the limit tables as data, every version.
pub async fn schemes(State(state): State<AppState>) -> Result<Json<v1::LimitSchemeList>, Problem> {
    let rows = sqlx::query(
        "SELECT s.operator_bank, b.name, b.is_default, s.effective_from, t.tier,          t.balance_cap_fen, t.one_payment_fen, t.per_day_fen, t.per_year_fen          FROM limit_schemes s JOIN operator_banks b ON b.code = s.operator_bank          JOIN tier_limits t ON t.scheme_id = s.id          ORDER BY s.operator_bank, s.effective_from, t.tier",
    )
    .fetch_all(state.store.pool())
    .await
    .map_err(internal)?;
    let mut schemes: Vec<v1::LimitScheme> = Vec::new();
    for row in &rows {
        let bank: String = row.try_get("operator_bank").map_err(internal)?;
        let from: String = row.try_get("effective_from").map_err(internal)?;
        let fen = |column: &str| -> Result<Option<String>, Problem> {
            Ok(row
                .try_get::<Option<i64>, _>(column)
                .map_err(internal)?
                .map(yuan))
        };
        let tier: i64 = row.try_get("tier").map_err(internal)?;
        let limits = v1::TierLimitRow {
            tier: u8::try_from(tier).map_err(internal)?,
            balance_cap: fen("balance_cap_fen")?,
            one_payment: fen("one_payment_fen")?,
            per_day: fen("per_day_fen")?,
            per_year: fen("per_year_fen")?,
        };
        match schemes.last_mut() {
            Some(last) if last.operator_bank == bank && last.effective_from == from => {
                last.tiers.push(limits);
            }
            _ => schemes.push(v1::LimitScheme {
                operator_bank: bank,
                operator_bank_name: row.try_get("name").map_err(internal)?,
                is_default: row.try_get("is_default").map_err(internal)?,
                effective_from: from,
                tiers: vec![limits],
            }),
        }
    }
    Ok(Json(v1::LimitSchemeList { schemes }))
}

pub async fn change_tier(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::TierChange>,
) -> Response {
    let write = ChangeTier {
        id,
        change: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn freeze(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::WalletHold>,
) -> Response {
    let write = SetStatus {
        id,
        status: "frozen",
        reason: request.body.reason.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn unfreeze(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::WalletHold>,
) -> Response {
    let write = SetStatus {
        id,
        status: "active",
        reason: request.body.reason.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct OpenWallet(v1::NewWallet);

/// The next wallet number opened through the contract: prefix, running serial, Luhn digit.
pub(crate) async fn next_wallet_number(conn: &mut SqliteConnection) -> Result<String, Problem> {
    let last: Option<String> =
        sqlx::query_scalar("SELECT MAX(id) FROM wallets WHERE id >= ? AND id < ?")
            .bind(OPENED_WALLET_PREFIX)
            .bind("0099")
            .fetch_one(&mut *conn)
            .await
            .map_err(internal)?;
    let serial = match last {
        None => 1,
        Some(last) => last
            .get(OPENED_WALLET_PREFIX.len()..15)
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| internal(format!("unreadable wallet number {last}")))?
            .checked_add(1)
            .ok_or_else(|| internal("wallet serials exhausted"))?,
    };
    let body = format!("{OPENED_WALLET_PREFIX}{serial:011}");
    let check = crate::demo::luhn_check_digit(&body);
    Ok(format!("{body}{check}"))
}

impl Write for OpenWallet {
    const OPERATION: &'static str = "open-wallet";
    type Output = v1::Wallet;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Wallet), Problem> {
        let request = self.0;
        let day = china_day(now);
        let customer = customers::resolve(conn, &request.customer_id).await?;
        let row = sqlx::query("SELECT birth_date, id_expires_on FROM customers WHERE id = ?")
            .bind(customer)
            .fetch_one(&mut *conn)
            .await
            .map_err(internal)?;
        let birth: Option<String> = row.try_get("birth_date").map_err(internal)?;
        let expires: Option<String> = row.try_get("id_expires_on").map_err(internal)?;
        let expires = expires.as_deref().map(parse_date).transpose()?;
        check_tier_rules(
            request.tier,
            birth.as_deref().map(parse_date).transpose()?,
            expires,
            request.in_person,
            request.id_verified_by.as_deref(),
            request.bank_card.is_some(),
            day,
        )?;
        let bank = request
            .operator_bank
            .clone()
            .unwrap_or_else(|| v1::DEFAULT_OPERATOR_BANK.to_owned());
        if scheme_in_force(conn, &bank, day).await?.is_none() {
            return Err(unknown_bank(&bank, day));
        }
        let id = next_wallet_number(conn).await?;
        let opened_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let verified_by = (request.tier == 1)
            .then(|| request.id_verified_by.as_deref().map(str::trim))
            .flatten();
        sqlx::query(
            "INSERT INTO wallets (id, customer_id, tier, balance_fen, status, opened_at, \
             operator_bank, in_person_verified_by, in_person_verified_at) \
             VALUES (?, ?, ?, 0, 'active', ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(customer)
        .bind(i64::from(request.tier))
        .bind(&opened_at)
        .bind(&bank)
        .bind(verified_by)
        .bind(verified_by.map(|_| opened_at.clone()))
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        let added = Counts {
            customers: 0,
            wallets: 1,
            transactions: 0,
        };
        add_to_stats(conn, added).await.map_err(internal)?;
        crate::changes::record(conn, "wallet", &id, now)
            .await
            .map_err(internal)?;
        if let Some(card) = &request.bank_card {
            crate::cards::insert(conn, &id, &card.number, card.bank_name.as_deref(), now).await?;
        }
        Ok((StatusCode::CREATED, render(conn, &id, now).await?))
    }
}

#[derive(Debug)]
struct ChangeTier {
    id: String,
    change: v1::TierChange,
}

impl Write for ChangeTier {
    const OPERATION: &'static str = "change-wallet-tier";
    type Output = v1::Wallet;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Wallet), Problem> {
        let day = china_day(now);
        let wallet = load(conn, &self.id).await?;
        if wallet.status == "closed" {
            return Err(closed(&wallet.id));
        }
        let tier = self.change.tier;
        let has_bank_card = crate::cards::has_linked_card(conn, &wallet.id).await?;
        check_tier_rules(
            tier,
            wallet.birth_date,
            wallet.id_expires_on,
            self.change.in_person,
            self.change.id_verified_by.as_deref(),
            has_bank_card,
            day,
        )?;
        if tier == wallet.tier {
            return Ok((StatusCode::OK, render(conn, &wallet.id, now).await?));
        }
        let (scheme, _) = scheme_in_force(conn, &wallet.operator_bank, day)
            .await?
            .ok_or_else(|| unknown_bank(&wallet.operator_bank, day))?;
        let cap = tier_limits(conn, scheme, tier).await?.balance_cap;
        if let Some(cap) = cap.filter(|cap| wallet.balance_fen > *cap) {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "balance-over-tier-cap",
                "Balance over the tier's cap",
                format!(
                    "the balance {} is over tier {tier}'s cap {}",
                    yuan(wallet.balance_fen),
                    yuan(cap)
                ),
            ));
        }
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let verified_by = self
            .change
            .id_verified_by
            .as_deref()
            .map(str::trim)
            .filter(|_| tier == 1);
        sqlx::query(
            "UPDATE wallets SET tier = ?, \
             in_person_verified_by = CASE WHEN ? THEN ? ELSE in_person_verified_by END, \
             in_person_verified_at = CASE WHEN ? THEN ? ELSE in_person_verified_at END \
             WHERE id = ?",
        )
        .bind(i64::from(tier))
        .bind(verified_by.is_some())
        .bind(verified_by)
        .bind(verified_by.is_some())
        .bind(&at)
        .bind(&wallet.id)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "wallet", &wallet.id, now)
            .await
            .map_err(internal)?;
        Ok((StatusCode::OK, render(conn, &wallet.id, now).await?))
    }
}

#[derive(Debug)]
struct SetStatus {
    id: String,
    status: &'static str,
    reason: String,
}

impl Write for SetStatus {
    const OPERATION: &'static str = "set-wallet-status";
    type Output = v1::Wallet;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Wallet), Problem> {
        let reason = self.reason.trim();
        let reason_chars = reason.chars().count();
        if reason_chars == 0 || reason_chars > MAX_REASON_CHARS {
            return Err(invalid(format!(
                "reason: 1 to {MAX_REASON_CHARS} characters"
            )));
        }
        let wallet = load(conn, &self.id).await?;
        if wallet.status == "closed" {
            return Err(closed(&wallet.id));
        }
        // Unfreezing is also how staff lift the payment freeze of 5 wrong passwords.
        let lifts_payment_freeze =
            self.status == "active" && (wallet.payments_frozen || wallet.wrong_password_count > 0);
        if lifts_payment_freeze {
            sqlx::query(
                "UPDATE wallets SET payments_frozen = 0, wrong_password_count = 0 WHERE id = ?",
            )
            .bind(&wallet.id)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        }
        // Already so: nothing changes and nothing enters the feed.
        if wallet.status != self.status || lifts_payment_freeze {
            sqlx::query("UPDATE wallets SET status = ? WHERE id = ?")
                .bind(self.status)
                .bind(&wallet.id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
            tracing::info!(wallet = %wallet.id, status = self.status, reason, "wallet status set");
            crate::changes::record(conn, "wallet", &wallet.id, now)
                .await
                .map_err(internal)?;
        }
        Ok((StatusCode::OK, render(conn, &wallet.id, now).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn age_turns_on_the_birthday() {
        assert_eq!(age_on(day(2010, 3, 1), day(2026, 2, 28)), 15);
        assert_eq!(age_on(day(2010, 3, 1), day(2026, 3, 1)), 16);
    }

    #[test]
    fn limits_are_lowered_from_the_91st_day_after_expiry() {
        let expired = Some(day(2026, 1, 1));
        assert!(!id_long_expired(expired, day(2026, 4, 1)));
        assert!(id_long_expired(expired, day(2026, 4, 2)));
        assert!(!id_long_expired(None, day(2099, 1, 1)));
    }

    #[test]
    fn china_days_start_at_16_utc_the_day_before() {
        assert_eq!(china_day_start(day(2026, 1, 1)), "2025-12-31T16:00:00Z");
        let late = Utc
            .with_ymd_and_hms(2025, 12, 31, 16, 30, 0)
            .single()
            .expect("time");
        assert_eq!(china_day(late), day(2026, 1, 1));
    }

    #[test]
    fn money_is_a_two_place_decimal_string() {
        assert_eq!(yuan(123_450), "1234.50");
        assert_eq!(yuan(0), "0.00");
    }
}
