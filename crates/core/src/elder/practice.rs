//! The practice payment of an elder-assisted setup (issue 13 item 5, DOMAIN.md "Elderly
//! mode"): on the customer's window, one thing at a time, the customer enters a payee (typed,
//! or the text of a scanned payment code), an amount and their payment password, sees the
//! result, and may undo it within the rules' undo window.
//!
//! Two design points:
//! - The payment is an ONLINE call, like a balance check: a wrong password is a refusal the
//!   customer must see at once, with the core's count of tries left. Through the outbox it
//!   would be parked under "needs attention" for staff, minutes later. Offline, the customer
//!   is told so and nothing is recorded as paid.
//! - The UNDO is a write like every other: queued in the outbox in the same transaction as the
//!   local change and its audit record, sent once under its key (exactly once at the core even
//!   if the console closes first). Core decides whether it is still allowed
//!   (`ElderRules::practice_undo_open`) and tells the window (`mayUndo`, `undoUntil`).
//!
//! The payment password is never stored or logged: it lives in the command's input (whose
//! `Debug` hides it) and the request to the core, nothing else.

use super::rules::{ElderRules, ElderStep};
use super::session::Words;
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console};
use crate::corelink::{PracticeAnswer, PracticePayment};
use crate::domain::Money;
use crate::error::{Error, FieldError, Result};
use crate::sync::{NewOperation, outbox};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

/// The sandbox's payment password, shown on the customer's screen in training mode only so a
/// customer can practise without a real one (as the training one-time code is shown). The
/// corebank sync tests check it is the sandbox's `v1::SANDBOX_PAYMENT_PASSWORD`.
pub const TRAINING_PAYMENT_PASSWORD: &str = "147258";

/// The largest practice amount: the practice wallet's play money (1000.00).
pub const MAX_PRACTICE_FEN: i64 = 100_000;

const MAX_PAYEE_CHARS: usize = 64;

/// Where the practice payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PracticeStage {
    /// Enter the payee (typed, or a scanned payment code's text).
    Payee,
    Amount,
    /// Enter the payment password (again after a wrong one).
    Password,
    Paid,
    /// 5 wrong passwords in a row froze the practice wallet's payments (the core's answer).
    Frozen,
    /// Undone: the reversal is queued for the core.
    Undone,
}

impl PracticeStage {
    fn as_str(self) -> &'static str {
        match self {
            PracticeStage::Payee => "payee",
            PracticeStage::Amount => "amount",
            PracticeStage::Password => "password",
            PracticeStage::Paid => "paid",
            PracticeStage::Frozen => "frozen",
            PracticeStage::Undone => "undone",
        }
    }

    fn parse(text: &str) -> Option<PracticeStage> {
        [
            PracticeStage::Payee,
            PracticeStage::Amount,
            PracticeStage::Password,
            PracticeStage::Paid,
            PracticeStage::Frozen,
            PracticeStage::Undone,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What the customer types on this stage, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PracticeField {
    Payee,
    Amount,
    Password,
}

/// The practice payment as both windows show it; every decision in it is core's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeView {
    pub stage: PracticeStage,
    /// The field the customer fills now (none on a result).
    pub field: Option<PracticeField>,
    pub payee: Option<String>,
    pub amount: Option<Money>,
    /// From the core's last wrong-password answer.
    #[ts(type = "number | null")]
    pub tries_remaining: Option<u32>,
    pub practice_balance: Option<Money>,
    /// Whether "undo" is allowed now, and until when (the rules' undo window).
    pub may_undo: bool,
    pub undo_until: Option<String>,
    /// Training mode only: the practice password to type (no real password is needed).
    pub training_password: Option<String>,
}

/// The customer enters the payee or the amount (the field the screen asks for).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderPracticeEnterInput {
    pub field: PracticeField,
    pub value: String,
}

/// The customer's payment password, typed on their own window. Never stored or logged.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderPracticePayInput {
    pub password: String,
}

impl std::fmt::Debug for ElderPracticePayInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ElderPracticePayInput { password: <hidden> }")
    }
}

/// A session's practice payment as stored.
#[derive(Debug, Clone)]
pub(crate) struct PracticeRow {
    holder: String,
    stage: PracticeStage,
    payee: Option<String>,
    amount_fen: Option<i64>,
    tries_remaining: Option<u32>,
    core_payment_id: Option<String>,
    practice_balance_fen: Option<i64>,
    paid_at: Option<DateTime<Utc>>,
}

fn parse_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

pub(crate) async fn load(
    conn: &mut SqliteConnection,
    session_id: i64,
) -> Result<Option<PracticeRow>> {
    let Some(r) = sqlx::query(
        "SELECT holder, stage, payee, amount_fen, tries_remaining, core_payment_id, \
         practice_balance_fen, paid_at FROM elder_practice WHERE session_id = ?",
    )
    .bind(session_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let stage: String = r.try_get("stage")?;
    Ok(Some(PracticeRow {
        holder: r.try_get("holder")?,
        stage: PracticeStage::parse(&stage)
            .ok_or_else(|| anyhow::anyhow!("unknown practice stage {stage}"))?,
        payee: r.try_get("payee")?,
        amount_fen: r.try_get("amount_fen")?,
        tries_remaining: r
            .try_get::<Option<i64>, _>("tries_remaining")?
            .and_then(|n| u32::try_from(n).ok()),
        core_payment_id: r.try_get("core_payment_id")?,
        practice_balance_fen: r.try_get("practice_balance_fen")?,
        paid_at: parse_time(r.try_get("paid_at")?),
    }))
}

fn words(zh: impl Into<String>, en: impl Into<String>) -> Words {
    Words {
        zh: zh.into(),
        en: en.into(),
    }
}

fn yuan(fen: i64) -> String {
    format!("{:.2}", Money::from_minor_units(fen).amount())
}

/// What the window shows of the practice payment now.
pub(crate) fn view(
    row: Option<&PracticeRow>,
    rules: &ElderRules,
    now: DateTime<Utc>,
    training: bool,
) -> PracticeView {
    let stage = row.map_or(PracticeStage::Payee, |r| r.stage);
    let field = match stage {
        PracticeStage::Payee => Some(PracticeField::Payee),
        PracticeStage::Amount => Some(PracticeField::Amount),
        PracticeStage::Password => Some(PracticeField::Password),
        PracticeStage::Paid | PracticeStage::Frozen | PracticeStage::Undone => None,
    };
    let paid_at = row.and_then(|r| r.paid_at);
    let may_undo =
        stage == PracticeStage::Paid && paid_at.is_some_and(|at| rules.practice_undo_open(at, now));
    PracticeView {
        stage,
        field,
        payee: row.and_then(|r| r.payee.clone()),
        amount: row.and_then(|r| r.amount_fen).map(Money::from_minor_units),
        tries_remaining: row.and_then(|r| r.tries_remaining),
        practice_balance: row
            .and_then(|r| r.practice_balance_fen)
            .map(Money::from_minor_units),
        may_undo,
        undo_until: (stage == PracticeStage::Paid)
            .then(|| {
                paid_at.map(|at| {
                    audit::timestamp(at + Duration::minutes(i64::from(rules.practice_undo_minutes)))
                })
            })
            .flatten(),
        training_password: (training && field == Some(PracticeField::Password))
            .then(|| TRAINING_PAYMENT_PASSWORD.to_owned()),
    }
}

/// The words of the practice step, shown large and read aloud. A wrong password is explained
/// kindly with the core's count; a freeze says truthfully what happened and what to do next.
pub(crate) fn screen_words(view: &PracticeView, rules: &ElderRules) -> (Words, Vec<Words>) {
    let practice_only = words(
        "这只是练习，不会用到真钱。",
        "This is only practice: no real money is used.",
    );
    match view.stage {
        PracticeStage::Payee => (
            words("练习付款：收款人", "Practice payment: who to pay"),
            vec![
                words(
                    "请输入收款人的名字，或者扫一扫收款码。",
                    "Type the name of who you pay, or scan their payment code.",
                ),
                practice_only,
            ],
        ),
        PracticeStage::Amount => (
            words("练习付款：金额", "Practice payment: how much"),
            vec![
                words(
                    format!(
                        "付给 {}。请输入要付多少钱，比如 1 元。",
                        view.payee.clone().unwrap_or_default()
                    ),
                    format!(
                        "To {}. Type how much to pay, for example 1 yuan.",
                        view.payee.clone().unwrap_or_default()
                    ),
                ),
                practice_only,
            ],
        ),
        PracticeStage::Password => {
            let amount = view.amount.map(|m| yuan(m.to_minor_units().unwrap_or(0)));
            let mut lines = Vec::new();
            if let Some(left) = view.tries_remaining {
                lines.push(words(
                    format!(
                        "密码不对，没关系，慢慢来。您还可以再试 {left} 次；连续输错 5 次，付款会被暂时冻结。"
                    ),
                    format!(
                        "That password is not right. No hurry: you have {left} more tries; 5 wrong in a row freeze payments for a while."
                    ),
                ));
            }
            lines.push(words(
                format!(
                    "付给 {}，{} 元。请输入您的支付密码。密码只有您自己知道，不要告诉任何人，工作人员也不会问。",
                    view.payee.clone().unwrap_or_default(),
                    amount.clone().unwrap_or_default()
                ),
                format!(
                    "{} yuan to {}. Type your payment password. Only you know it: never tell anyone, our staff will never ask.",
                    amount.unwrap_or_default(),
                    view.payee.clone().unwrap_or_default()
                ),
            ));
            if let Some(pw) = &view.training_password {
                lines.push(words(
                    format!("练习用的密码是 {pw}。"),
                    format!("The practice password is {pw}."),
                ));
            }
            (
                words("练习付款：支付密码", "Practice payment: password"),
                lines,
            )
        }
        PracticeStage::Paid => {
            let amount = view
                .amount
                .map(|m| yuan(m.to_minor_units().unwrap_or(0)))
                .unwrap_or_default();
            let payee = view.payee.clone().unwrap_or_default();
            let mut lines = vec![words(
                format!("您向 {payee} 付了 {amount} 元。这是练习，没有用真钱。"),
                format!("You paid {amount} yuan to {payee}. It was practice: no real money moved."),
            )];
            if view.may_undo {
                lines.push(words(
                    format!(
                        "如果付错了，{} 分钟内可以按“撤销”把钱退回来。",
                        rules.practice_undo_minutes
                    ),
                    format!(
                        "If it was a mistake, press \"Undo\" within {} minutes to get the money back.",
                        rules.practice_undo_minutes
                    ),
                ));
            } else {
                lines.push(words(
                    "撤销的时间已经过了。",
                    "The time to undo it has passed.",
                ));
            }
            (words("付款成功（练习）", "Paid (practice)"), lines)
        }
        PracticeStage::Frozen => (
            words("付款已暂时冻结", "Payments are frozen for now"),
            vec![
                words(
                    "连续输错了 5 次密码。为了您的安全，练习钱包的付款被冻结了。您的钱没有任何损失。",
                    "The password was wrong 5 times in a row. To keep you safe, the practice wallet's payments are frozen. You have lost no money.",
                ),
                words(
                    "真正的钱包也会这样。遇到这种情况，请带上身份证到柜台，请工作人员帮您解冻。",
                    "A real wallet does the same. If it happens, bring your ID card to the counter and our staff will unfreeze it.",
                ),
            ],
        ),
        PracticeStage::Undone => (
            words("已撤销（练习）", "Undone (practice)"),
            vec![words(
                "这笔练习付款已经撤销，钱会退回练习钱包。",
                "This practice payment is undone: the money goes back to the practice wallet.",
            )],
        ),
    }
}

/// The practice wallet's holder for a session: the customer's core id where the session has
/// one, else a reference of this session's own (the customer may not be at the core yet).
fn holder_for(customer_id: Option<&str>) -> String {
    customer_id
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
        })
        .map_or_else(|| format!("elder-{}", uuid::Uuid::new_v4()), str::to_owned)
}

/// The session on the practice step of the signed-in staff member, with its practice row.
async fn on_practice(
    conn: &mut SqliteConnection,
    actor: &Actor,
) -> Result<(i64, Option<String>, Option<PracticeRow>)> {
    let r = sqlx::query(
        "SELECT id, step, customer_id FROM elder_sessions \
         WHERE staff_id = ? AND step NOT IN ('done', 'ended')",
    )
    .bind(actor.staff_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound("no elder session is open".to_owned()))?;
    let step: String = r.try_get("step")?;
    if step != ElderStep::Practice.as_str() {
        return Err(Error::ConflictOn(FieldError::new(
            "step",
            "elder_not_on_practice",
        )));
    }
    let id: i64 = r.try_get("id")?;
    let practice = load(conn, id).await?;
    Ok((id, r.try_get("customer_id")?, practice))
}

fn refuse(code: &str) -> Error {
    Error::ConflictOn(FieldError::new("practice", code))
}

async fn touch_session(conn: &mut SqliteConnection, session_id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE elder_sessions SET updated_at = ? WHERE id = ?")
        .bind(at)
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Console {
    /// The customer enters the payee or the amount, the one field their screen asks for.
    pub async fn elder_practice_enter(
        &self,
        input: ElderPracticeEnterInput,
    ) -> Result<super::ElderScreen> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut tx = self.store().begin().await?;
        let (session_id, customer_id, row) = on_practice(&mut tx, &actor).await?;
        let stage = row.as_ref().map_or(PracticeStage::Payee, |r| r.stage);
        let now = self.now();
        let at = audit::timestamp(now);
        let detail = match (stage, input.field) {
            (PracticeStage::Payee, PracticeField::Payee) => {
                let payee = crate::domain::normalize_typed(&input.value);
                let payee = payee.trim();
                let n = payee.chars().count();
                if n == 0 || n > MAX_PAYEE_CHARS || payee.chars().any(char::is_control) {
                    return Err(Error::field("value", "elder_practice_payee_invalid"));
                }
                let holder = holder_for(customer_id.as_deref());
                sqlx::query(
                    "INSERT INTO elder_practice (session_id, holder, stage, payee, updated_at) \
                     VALUES (?, ?, 'amount', ?, ?) \
                     ON CONFLICT (session_id) DO UPDATE SET stage = 'amount', \
                     payee = excluded.payee, updated_at = excluded.updated_at",
                )
                .bind(session_id)
                .bind(&holder)
                .bind(payee)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
                json!({ "step": "payee", "name": payee })
            }
            (PracticeStage::Amount, PracticeField::Amount) => {
                let fen = Money::parse(&input.value)
                    .ok()
                    .filter(|m| m.amount().is_sign_positive() && !m.amount().is_zero())
                    .and_then(|m| m.to_minor_units().ok())
                    .filter(|fen| (1..=MAX_PRACTICE_FEN).contains(fen))
                    .ok_or_else(|| Error::field("value", "elder_practice_amount_invalid"))?;
                sqlx::query(
                    "UPDATE elder_practice SET stage = 'password', amount_fen = ?, \
                     updated_at = ? WHERE session_id = ?",
                )
                .bind(fen)
                .bind(&at)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
                json!({ "step": "amount", "amount": yuan(fen) })
            }
            _ => return Err(refuse("elder_practice_not_this_field")),
        };
        touch_session(&mut tx, session_id, &at).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.practice_entered",
            )
            .subject("elder_session", session_id.to_string())
            .detail(detail),
        )
        .await?;
        tx.commit().await?;
        self.practice_screen_spoken().await
    }

    /// The customer pays with their payment password: an online call to the core (the
    /// customer waits for the answer; offline they are told so and nothing is recorded as
    /// paid). The answer, the core's count of tries left included, is stored and audited in
    /// one transaction.
    pub async fn elder_practice_pay(
        &self,
        input: ElderPracticePayInput,
    ) -> Result<super::ElderScreen> {
        let actor = self.authorize(Permission::AssistElder).await?;
        if input.password.is_empty() || input.password.chars().count() > 32 {
            return Err(Error::field("password", "elder_practice_password_empty"));
        }
        let (session_id, row) = {
            let mut conn = self.store().read().acquire().await?;
            let (id, _, row) = on_practice(&mut conn, &actor).await?;
            (id, row)
        };
        let row = row
            .filter(|r| r.stage == PracticeStage::Password)
            .ok_or_else(|| refuse("elder_practice_not_this_field"))?;
        let (Some(payee), Some(fen)) = (row.payee.as_deref(), row.amount_fen) else {
            return Err(refuse("elder_practice_not_this_field"));
        };
        let key = format!("wd-practice-{}", uuid::Uuid::new_v4());
        let answer = self
            .engine()?
            .core()
            .practice_pay(&PracticePayment {
                key: &key,
                holder: &row.holder,
                payee,
                amount: Money::from_minor_units(fen),
                password: &input.password,
            })
            .await
            .map_err(Error::from)?;
        drop(input);
        let now = self.now();
        let at = audit::timestamp(now);
        let mut tx = self.store().begin().await?;
        // The session may have moved on while the core answered: the answer is still
        // recorded (it happened at the core), but only a session still on practice shows it.
        let (action, detail) = match &answer {
            PracticeAnswer::Paid(paid) => {
                sqlx::query(
                    "UPDATE elder_practice SET stage = 'paid', core_payment_id = ?, \
                     practice_balance_fen = ?, paid_at = ?, tries_remaining = NULL, \
                     updated_at = ? WHERE session_id = ?",
                )
                .bind(&paid.id)
                .bind(paid.practice_balance.to_minor_units().ok())
                .bind(&at)
                .bind(&at)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
                (
                    "elder.practice_paid",
                    json!({ "practicePaymentId": paid.id, "amount": yuan(fen), "name": payee }),
                )
            }
            PracticeAnswer::WrongPassword { tries_remaining } => {
                let stage = if *tries_remaining == 0 {
                    "frozen"
                } else {
                    "password"
                };
                sqlx::query(
                    "UPDATE elder_practice SET stage = ?, tries_remaining = ?, updated_at = ? \
                     WHERE session_id = ?",
                )
                .bind(stage)
                .bind(i64::from(*tries_remaining))
                .bind(&at)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
                (
                    "elder.practice_refused",
                    json!({ "reason": "wrong_password", "triesRemaining": tries_remaining }),
                )
            }
            PracticeAnswer::Frozen => {
                sqlx::query(
                    "UPDATE elder_practice SET stage = 'frozen', tries_remaining = 0, \
                     updated_at = ? WHERE session_id = ?",
                )
                .bind(&at)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
                (
                    "elder.practice_refused",
                    json!({ "reason": "payments_frozen", "triesRemaining": 0 }),
                )
            }
        };
        touch_session(&mut tx, session_id, &at).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                .subject("elder_session", session_id.to_string())
                .detail(detail),
        )
        .await?;
        tx.commit().await?;
        self.practice_screen_spoken().await
    }

    /// The customer undoes the practice payment, only while the rules' undo window is open.
    /// The reversal is queued in the outbox in the same transaction as the local change and
    /// its audit record: sent once under its key, whatever happens to the console.
    pub async fn elder_practice_undo(&self) -> Result<super::ElderScreen> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let engine = self.engine()?;
        let mut tx = self.store().begin().await?;
        let (session_id, _, row) = on_practice(&mut tx, &actor).await?;
        let row = row.ok_or_else(|| refuse("elder_practice_not_paid"))?;
        match row.stage {
            PracticeStage::Paid => {}
            PracticeStage::Undone => return Err(refuse("elder_practice_already_undone")),
            _ => return Err(refuse("elder_practice_not_paid")),
        }
        let rules = super::session::load_rules(&mut tx).await?;
        let now = self.now();
        let (Some(paid_at), Some(payment)) = (row.paid_at, row.core_payment_id.clone()) else {
            return Err(refuse("elder_practice_not_paid"));
        };
        if !rules.practice_undo_open(paid_at, now) {
            return Err(refuse("elder_practice_undo_closed"));
        }
        let at = audit::timestamp(now);
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: format!("practice:{}", row.holder),
                kind: "practice_payment.reverse".to_owned(),
                subject: Some(payment.clone()),
                body: json!({}),
                summary: format!(
                    "撤销练习付款 {} 元",
                    row.amount_fen.map(yuan).unwrap_or_default()
                ),
                record_ref: Some(format!("elder:{session_id}")),
            },
            now,
            Some(actor.staff_id),
        )
        .await?;
        let changed = sqlx::query(
            "UPDATE elder_practice SET stage = 'undone', undone_at = ?, undo_outbox_id = ?, \
             practice_balance_fen = practice_balance_fen + COALESCE(amount_fen, 0), \
             updated_at = ? WHERE session_id = ? AND stage = 'paid'",
        )
        .bind(&at)
        .bind(outbox_id)
        .bind(&at)
        .bind(session_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(refuse("elder_practice_already_undone"));
        }
        touch_session(&mut tx, session_id, &at).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.practice_undone",
            )
            .subject("elder_session", session_id.to_string())
            .detail(json!({ "practicePaymentId": payment, "outboxId": outbox_id })),
        )
        .await?;
        tx.commit().await?;
        self.practice_screen_spoken().await
    }

    /// The customer's screen after a practice change, read aloud (each stage is spoken).
    async fn practice_screen_spoken(&self) -> Result<super::ElderScreen> {
        let screen = self.elder_repeat().await?;
        Ok(screen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(stage: PracticeStage, paid_at: Option<DateTime<Utc>>) -> PracticeRow {
        PracticeRow {
            holder: "elder-x".into(),
            stage,
            payee: Some("张三".into()),
            amount_fen: Some(100),
            tries_remaining: Some(3),
            core_payment_id: Some("1".into()),
            practice_balance_fen: Some(99_900),
            paid_at,
        }
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-06T02:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
            + Duration::minutes(minutes)
    }

    #[test]
    fn a_practice_payment_may_be_undone_only_inside_the_undo_window() {
        let rules = ElderRules::default();
        let paid = row(PracticeStage::Paid, Some(at(0)));
        let open = view(Some(&paid), &rules, at(10), false);
        assert!(open.may_undo);
        assert_eq!(open.undo_until, Some(audit::timestamp(at(10))));
        assert!(!view(Some(&paid), &rules, at(11), false).may_undo);
        assert!(
            !view(
                Some(&row(PracticeStage::Undone, Some(at(0)))),
                &rules,
                at(1),
                false
            )
            .may_undo
        );
    }

    #[test]
    fn a_wrong_password_is_explained_with_the_cores_count_of_tries_left() {
        let rules = ElderRules::default();
        let v = view(
            Some(&row(PracticeStage::Password, None)),
            &rules,
            at(0),
            true,
        );
        let (_, lines) = screen_words(&v, &rules);
        assert!(lines[0].zh.contains("再试 3 次"), "{:?}", lines[0]);
        assert!(lines[0].en.contains("3 more tries"));
        assert_eq!(
            v.training_password.as_deref(),
            Some(TRAINING_PAYMENT_PASSWORD)
        );
        // Outside training no password is ever shown.
        assert_eq!(
            view(
                Some(&row(PracticeStage::Password, None)),
                &rules,
                at(0),
                false
            )
            .training_password,
            None
        );
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let input = ElderPracticePayInput {
            password: "147258".into(),
        };
        assert!(!format!("{input:?}").contains("147258"));
    }
}
