//! The elder session at the console: staff start and move it, the customer answers on their
//! own window, a supervisor records the outcome of a "yes". Every change is audited in its
//! transaction; the customer's window reads [`ElderScreen`], built here from the rules, so the
//! page holds no copy of a rule or a question.

use super::rules::{
    ElderEvent, ElderRules, ElderStep, EscalationOutcome, FraudQuestion, Position, transition,
};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console};
use crate::error::{Error, FieldError, Result};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

const RULES_KEY: &str = "elder_rules";

/// Text in both of the app's languages; the customer's window shows zh-CN first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Words {
    pub zh: String,
    pub en: String,
}

fn words(zh: impl Into<String>, en: impl Into<String>) -> Words {
    Words {
        zh: zh.into(),
        en: en.into(),
    }
}

/// What the customer may press on their window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CustomerAction {
    AnswerYes,
    AnswerNo,
    ReadAgain,
    MoreTime,
    /// Undo the practice payment (only while core says it may).
    Undo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuestionView {
    pub id: String,
    #[ts(type = "number")]
    pub number: u32,
    #[ts(type = "number")]
    pub of: u32,
}

/// The customer's window: one step, in plain words, one action at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderScreen {
    #[ts(type = "number")]
    pub session_id: i64,
    pub step: ElderStep,
    pub title: Words,
    pub lines: Vec<Words>,
    pub question: Option<QuestionView>,
    pub actions: Vec<CustomerAction>,
    /// When the window starts warning, and when the step's time is up (both extendable).
    pub warn_at: String,
    pub deadline_at: String,
    pub time_up: bool,
    /// Whether a voice exists; where none, the window says so.
    pub voice: bool,
    #[ts(type = "number")]
    pub speech_rate: u32,
    /// Changes whenever the session does: the window re-reads on a change event.
    pub updated_at: String,
    /// On the practice step: the practice payment, stage by stage (issue 13 item 5).
    pub practice: Option<super::practice::PracticeView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderAnswer {
    pub question_id: String,
    pub question: String,
    pub yes: bool,
    pub answered_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderEscalation {
    #[ts(type = "number")]
    pub id: i64,
    pub cause: String,
    pub raised_at: String,
    pub outcome: Option<EscalationOutcome>,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
}

/// The staff window's view of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderSession {
    #[ts(type = "number")]
    pub id: i64,
    pub customer_name: String,
    #[ts(type = "number")]
    pub age: u32,
    #[ts(type = "number | null")]
    pub draft_id: Option<i64>,
    pub customer_id: Option<String>,
    pub step: ElderStep,
    pub answers: Vec<ElderAnswer>,
    pub escalations: Vec<ElderEscalation>,
    /// Whether staff may press "next" now (not while the customer answers or it is stopped).
    pub staff_may_continue: bool,
    pub screen: ElderScreen,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderStartInput {
    pub customer_name: String,
    #[ts(type = "number")]
    pub age: u32,
    #[ts(type = "number | null")]
    pub draft_id: Option<i64>,
    pub customer_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderAnswerInput {
    /// The question on the customer's screen: an answer from a stale screen is refused.
    pub question_id: String,
    pub yes: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderEndInput {
    #[ts(type = "number")]
    pub session_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderSpeechInput {
    #[ts(type = "number")]
    pub session_id: i64,
    #[ts(type = "number")]
    pub rate_percent: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElderResolveInput {
    #[ts(type = "number")]
    pub escalation_id: i64,
    pub outcome: EscalationOutcome,
    pub reason: String,
}

/// A session as stored.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    pub id: i64,
    pub staff_id: i64,
    pub customer_name: String,
    pub age: u32,
    pub draft_id: Option<i64>,
    pub customer_id: Option<String>,
    pub pos: Position,
    pub speech_rate: u32,
    pub deadline_at: DateTime<Utc>,
    pub updated_at: String,
}

pub(crate) async fn load_rules(conn: &mut SqliteConnection) -> Result<ElderRules> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(RULES_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<SessionRow> {
    let r = sqlx::query(
        "SELECT id, staff_id, customer_name, age, draft_id, customer_id, step, question_index, \
         speech_rate, deadline_at, updated_at FROM elder_sessions WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("elder session {id}")))?;
    let step: String = r.try_get("step")?;
    let deadline: String = r.try_get("deadline_at")?;
    Ok(SessionRow {
        id: r.try_get("id")?,
        staff_id: r.try_get("staff_id")?,
        customer_name: r.try_get("customer_name")?,
        age: r.try_get::<i64, _>("age")?.try_into().unwrap_or(0),
        draft_id: r.try_get("draft_id")?,
        customer_id: r.try_get("customer_id")?,
        pos: Position {
            step: ElderStep::parse(&step)
                .ok_or_else(|| anyhow::anyhow!("unknown elder step {step}"))?,
            question_index: r
                .try_get::<i64, _>("question_index")?
                .try_into()
                .unwrap_or(0),
        },
        speech_rate: r.try_get::<i64, _>("speech_rate")?.try_into().unwrap_or(80),
        deadline_at: DateTime::parse_from_rfc3339(&deadline)
            .map_err(anyhow::Error::from)?
            .with_timezone(&Utc),
        updated_at: r.try_get("updated_at")?,
    })
}

/// The signed-in staff member's open session, if any.
async fn open_of(conn: &mut SqliteConnection, staff_id: i64) -> Result<Option<SessionRow>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM elder_sessions WHERE staff_id = ? AND step NOT IN ('done', 'ended')",
    )
    .bind(staff_id)
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => Ok(Some(load(conn, id).await?)),
        None => Ok(None),
    }
}

/// How long the customer's window keeps a finished setup's last screen: long enough to read
/// it (and hear it again), short enough that the next customer never sees it.
pub const SHOWN_AFTER_FINISH_MINUTES: i64 = 10;

/// The session the customer's window shows: the open one, else the latest finished within
/// [`SHOWN_AFTER_FINISH_MINUTES`] (and not followed by another).
async fn shown_of(
    conn: &mut SqliteConnection,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<SessionRow>> {
    if let Some(open) = open_of(conn, staff_id).await? {
        return Ok(Some(open));
    }
    let since = audit::timestamp(now - Duration::minutes(SHOWN_AFTER_FINISH_MINUTES));
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM elder_sessions WHERE staff_id = ? AND finished_at >= ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(staff_id)
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => Ok(Some(load(conn, id).await?)),
        None => Ok(None),
    }
}

fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    let n = value.chars().count();
    if n == 0 || n > max {
        return Err(Error::field(field, "text_length"));
    }
    Ok(value.to_owned())
}

/// The words for a step: what the window shows and what is read aloud (the same words).
fn screen_words(
    row: &SessionRow,
    rules: &ElderRules,
    practice: Option<&super::practice::PracticeView>,
) -> (Words, Vec<Words>, Option<QuestionView>) {
    let name = &row.customer_name;
    let slogan = words(
        format!("请记住：{}。反诈热线 {}。", rules.slogan, rules.hotline),
        format!(
            "Remember: do not believe, do not tell, do not transfer ({}). Anti-fraud hotline {}.",
            rules.slogan, rules.hotline
        ),
    );
    match row.pos.step {
        ElderStep::Welcome => (
            words(format!("{name}，您好"), format!("Hello, {name}")),
            vec![words(
                "工作人员会一步一步帮您开通数字钱包。每一步都会念给您听，您不用着急。",
                "Our staff will help you set up your digital wallet step by step. Each step is read aloud; take your time.",
            )],
            None,
        ),
        ElderStep::Question => {
            let index = row.pos.question_index;
            let q: Option<&FraudQuestion> = rules.questions.get(index);
            let of = u32::try_from(rules.questions.len()).unwrap_or(u32::MAX);
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            (
                words(
                    format!("安全问题 第 {number} 题，共 {of} 题"),
                    format!("Safety question {number} of {of}"),
                ),
                vec![q.map_or_else(|| words("", ""), |q| words(q.zh.clone(), q.en.clone()))],
                q.map(|q| QuestionView {
                    id: q.id.clone(),
                    number,
                    of,
                }),
            )
        }
        ElderStep::Stopped => (
            words("请先暂停一下", "Let us pause here"),
            vec![
                words(
                    "为了您的资金安全，我们先暂停办理。主管马上过来和您聊一聊。",
                    "To keep your money safe, we pause the setup here. A supervisor is coming to talk with you.",
                ),
                slogan,
            ],
            None,
        ),
        ElderStep::OpenWallet => (
            words("正在为您开通钱包", "Opening your wallet"),
            vec![words(
                "工作人员正在为您开通钱包，请稍等。",
                "Our staff are opening your wallet. Please wait a moment.",
            )],
            None,
        ),
        ElderStep::Practice => match practice {
            Some(view) => {
                let (title, lines) = super::practice::screen_words(view, rules);
                (title, lines, None)
            }
            None => (
                words("练习付一次款", "Practise a payment"),
                vec![words(
                    "现在来练习一次付款。这只是练习，不会用到真钱。",
                    "Now let us practise one payment. It is only practice: no real money is used.",
                )],
                None,
            ),
        },
        ElderStep::Guide => (
            words("带回家的说明书", "Your take-home guide"),
            vec![words(
                "工作人员会打印一份大字说明书，上面写着今天做过的每一步。",
                "Our staff will print a large-print guide with every step you did today.",
            )],
            None,
        ),
        ElderStep::Done => (
            words("办好了", "All done"),
            vec![
                words(
                    "您的钱包已经开通。过几天我们会打电话问问您用得怎么样。",
                    "Your wallet is ready. In a few days we will call to ask how it is going.",
                ),
                slogan,
            ],
            None,
        ),
        ElderStep::Ended => (
            words("今天先办到这里", "We stop here for today"),
            vec![slogan],
            None,
        ),
    }
}

impl Console {
    /// The customer's screen, with the practice payment read from the store on that step.
    pub(crate) async fn screen_of(
        &self,
        conn: &mut SqliteConnection,
        row: &SessionRow,
        rules: &ElderRules,
    ) -> Result<ElderScreen> {
        let practice = if row.pos.step == ElderStep::Practice {
            let stored = super::practice::load(conn, row.id).await?;
            Some(super::practice::view(
                stored.as_ref(),
                rules,
                self.now(),
                self.training_mode(),
            ))
        } else {
            None
        };
        Ok(self.screen(row, rules, practice))
    }

    fn screen(
        &self,
        row: &SessionRow,
        rules: &ElderRules,
        practice: Option<super::practice::PracticeView>,
    ) -> ElderScreen {
        let (title, lines, question) = screen_words(row, rules, practice.as_ref());
        let now = self.now();
        let time_up = now > row.deadline_at;
        let open = row.pos.step.is_open();
        let mut actions = Vec::new();
        if question.is_some() && !time_up {
            actions.extend([CustomerAction::AnswerYes, CustomerAction::AnswerNo]);
        }
        if practice.as_ref().is_some_and(|p| p.may_undo) {
            actions.push(CustomerAction::Undo);
        }
        actions.push(CustomerAction::ReadAgain);
        if open {
            actions.push(CustomerAction::MoreTime);
        }
        ElderScreen {
            session_id: row.id,
            step: row.pos.step,
            title,
            lines,
            question,
            actions,
            warn_at: audit::timestamp(
                row.deadline_at - Duration::seconds(i64::from(rules.warn_before_secs)),
            ),
            deadline_at: audit::timestamp(row.deadline_at),
            time_up,
            voice: self.speaker().available(),
            speech_rate: row.speech_rate,
            updated_at: row.updated_at.clone(),
            practice,
        }
    }

    /// Reads the screen aloud in Chinese. A missing or failing voice is logged; the words
    /// stay on screen and the step goes on.
    fn say(&self, screen: &ElderScreen) {
        let mut text = screen.title.zh.clone();
        for line in &screen.lines {
            text.push('。');
            text.push_str(&line.zh);
        }
        if screen.question.is_some() {
            text.push_str("。有，请按“有”；没有，请按“没有”。");
        }
        if let Err(err) = self.speaker().speak(&text, "zh-CN", screen.speech_rate) {
            tracing::info!(error = %err, "read-aloud not spoken");
        }
    }

    async fn session_view(
        &self,
        conn: &mut SqliteConnection,
        row: &SessionRow,
    ) -> Result<ElderSession> {
        let rules = load_rules(conn).await?;
        let answers = sqlx::query(
            "SELECT question_id, question, answer, answered_at FROM elder_answers \
             WHERE session_id = ? ORDER BY id",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ElderAnswer {
                question_id: r.try_get("question_id")?,
                question: r.try_get("question")?,
                yes: r.try_get::<String, _>("answer")? == "yes",
                answered_at: r.try_get("answered_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let escalations = escalations_of(conn, row.id).await?;
        Ok(ElderSession {
            id: row.id,
            customer_name: row.customer_name.clone(),
            age: row.age,
            draft_id: row.draft_id,
            customer_id: row.customer_id.clone(),
            step: row.pos.step,
            answers,
            escalations,
            staff_may_continue: matches!(
                row.pos.step,
                ElderStep::Welcome | ElderStep::OpenWallet | ElderStep::Practice | ElderStep::Guide
            ),
            screen: self.screen_of(conn, row, &rules).await?,
        })
    }

    /// The assisted setup's rules (defaults from DOMAIN.md until a supervisor changes them).
    pub async fn elder_rules(&self) -> Result<ElderRules> {
        self.authorize(Permission::ViewCustomers).await?;
        let mut conn = self.store().read().acquire().await?;
        load_rules(&mut conn).await
    }

    /// A supervisor changes the rules; sessions already open keep their questions' ids.
    pub async fn elder_rules_set(&self, input: ElderRules) -> Result<ElderRules> {
        let actor = self.authorize(Permission::ManageElderRules).await?;
        let rules = input.validate()?;
        let mut tx = self.store().begin().await?;
        let before = load_rules(&mut tx).await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(RULES_KEY)
        .bind(serde_json::to_string(&rules).map_err(anyhow::Error::from)?)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.rules_updated",
            )
            .detail(json!({
                "thresholdAge": rules.threshold_age,
                "previousThresholdAge": before.threshold_age,
                "questions": rules.questions.len(),
                "followUpDays": rules.follow_up_days,
                "practiceUndoMinutes": rules.practice_undo_minutes,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(rules)
    }

    /// Staff start an assisted setup with the customer beside them. Offered from the rules'
    /// age, never forced: staff and customer choose it, so a younger customer may have it too.
    pub async fn elder_start(&self, input: ElderStartInput) -> Result<ElderSession> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let name = text("customerName", &input.customer_name, 40)?;
        if input.age > 150 {
            return Err(Error::field("age", "age_invalid"));
        }
        let mut tx = self.store().begin().await?;
        if open_of(&mut tx, actor.staff_id).await?.is_some() {
            return Err(Error::ConflictOn(FieldError::new(
                "session",
                "elder_session_already_open",
            )));
        }
        let rules = load_rules(&mut tx).await?;
        let now = self.now();
        let at = audit::timestamp(now);
        let deadline =
            audit::timestamp(now + Duration::seconds(i64::from(rules.step_timeout_secs)));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO elder_sessions (staff_id, staff_username, customer_name, age, draft_id, \
             customer_id, step, question_index, step_started_at, deadline_at, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'welcome', 0, ?, ?, ?, ?) RETURNING id",
        )
        .bind(actor.staff_id)
        .bind(&actor.username)
        .bind(&name)
        .bind(i64::from(input.age))
        .bind(input.draft_id)
        .bind(&input.customer_id)
        .bind(&at)
        .bind(&deadline)
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "elder.started",
        )
        .subject("elder_session", id.to_string())
        .detail(json!({
            "age": input.age,
            "offered": rules.offers_elder_mode(input.age),
            "draftId": input.draft_id,
        }));
        rec.customer_id = input.customer_id.clone();
        audit::append(&mut tx, now, rec).await?;
        let row = load(&mut tx, id).await?;
        let view = self.session_view(&mut tx, &row).await?;
        tx.commit().await?;
        self.say(&view.screen);
        Ok(view)
    }

    /// The signed-in staff member's open session, for the staff window.
    pub async fn elder_current(&self) -> Result<Option<ElderSession>> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        match open_of(&mut conn, actor.staff_id).await? {
            Some(row) => Ok(Some(self.session_view(&mut conn, &row).await?)),
            None => Ok(None),
        }
    }

    /// One session of the signed-in staff member's (open or finished), e.g. its done panel.
    pub async fn elder_get(&self, session_id: i64) -> Result<ElderSession> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        let row = own(&mut conn, &actor, session_id).await?;
        self.session_view(&mut conn, &row).await
    }

    /// Applies `event` to a session in one transaction with its audit record, then speaks the
    /// new screen if the step moved.
    async fn elder_move(
        &self,
        actor: &Actor,
        session_id: i64,
        event: ElderEvent,
        action: &'static str,
        detail: serde_json::Value,
    ) -> Result<ElderSession> {
        let mut tx = self.store().begin().await?;
        let row = load(&mut tx, session_id).await?;
        let rules = load_rules(&mut tx).await?;
        let now = self.now();
        if matches!(event, ElderEvent::Answer { .. }) && now > row.deadline_at {
            return Err(Error::ConflictOn(FieldError::new("step", "elder_time_up")));
        }
        let next = transition(row.pos, &event, &rules.questions)?;
        let at = audit::timestamp(now);
        if let ElderEvent::Answer { question_id, yes } = &event {
            let question = rules
                .questions
                .get(row.pos.question_index)
                .map(|q| q.zh.clone())
                .unwrap_or_default();
            sqlx::query(
                "INSERT INTO elder_answers (session_id, question_id, question, answer, answered_at) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(session_id)
            .bind(question_id)
            .bind(&question)
            .bind(if *yes { "yes" } else { "no" })
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        let deadline =
            audit::timestamp(now + Duration::seconds(i64::from(rules.step_timeout_secs)));
        sqlx::query(
            "UPDATE elder_sessions SET step = ?, question_index = ?, step_started_at = ?, \
             deadline_at = ?, updated_at = ?, \
             finished_at = CASE WHEN ? IN ('done', 'ended') THEN ? ELSE finished_at END \
             WHERE id = ?",
        )
        .bind(next.step.as_str())
        .bind(i64::try_from(next.question_index).unwrap_or(0))
        .bind(&at)
        .bind(&deadline)
        .bind(&at)
        .bind(next.step.as_str())
        .bind(&at)
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
        let mut rec = NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
            .subject("elder_session", session_id.to_string())
            .detail(detail);
        rec.customer_id = row.customer_id.clone();
        audit::append(&mut tx, now, rec).await?;
        if next.step == ElderStep::Stopped {
            let cause = match &event {
                ElderEvent::Answer { question_id, .. } => question_id.clone(),
                _ => "question".to_owned(),
            };
            let escalation: i64 = sqlx::query_scalar(
                "INSERT INTO elder_escalations (session_id, cause, raised_by, raised_at) \
                 VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(session_id)
            .bind(&cause)
            .bind(actor.staff_id)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            let mut rec = NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.escalated",
            )
            .subject("elder_session", session_id.to_string())
            .detail(json!({ "escalationId": escalation, "cause": cause }));
            rec.customer_id = row.customer_id.clone();
            audit::append(&mut tx, now, rec).await?;
        }
        if next.step == ElderStep::Done {
            super::followups::schedule(&mut tx, self, actor, session_id).await?;
        }
        let fresh = load(&mut tx, session_id).await?;
        let view = self.session_view(&mut tx, &fresh).await?;
        tx.commit().await?;
        self.say(&view.screen);
        Ok(view)
    }

    /// Staff go on to the next step (never past a question or a stop).
    pub async fn elder_next(&self, session_id: i64) -> Result<ElderSession> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let from = {
            let mut conn = self.store().read().acquire().await?;
            own(&mut conn, &actor, session_id).await?.pos.step
        };
        self.elder_move(
            &actor,
            session_id,
            ElderEvent::StaffNext,
            "elder.step_advanced",
            json!({ "from": from.as_str() }),
        )
        .await
    }

    /// Staff end the session early (the customer does not want to go on). An open
    /// escalation stays in the supervisor's inbox.
    pub async fn elder_end(&self, input: ElderEndInput) -> Result<ElderSession> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let reason = text("reason", &input.reason, 500)?;
        {
            let mut conn = self.store().read().acquire().await?;
            own(&mut conn, &actor, input.session_id).await?;
        }
        self.elder_move(
            &actor,
            input.session_id,
            ElderEvent::End,
            "elder.ended",
            json!({ "reason": reason }),
        )
        .await
    }

    /// Staff set the read-aloud speed (the customer asks; staff have the control).
    pub async fn elder_speech_rate(&self, input: ElderSpeechInput) -> Result<ElderSession> {
        let actor = self.authorize(Permission::AssistElder).await?;
        if !(50..=150).contains(&input.rate_percent) {
            return Err(Error::field("ratePercent", "elder_speech_rate_range"));
        }
        let mut tx = self.store().begin().await?;
        let row = own(&mut tx, &actor, input.session_id).await?;
        let at = audit::timestamp(self.now());
        sqlx::query("UPDATE elder_sessions SET speech_rate = ?, updated_at = ? WHERE id = ?")
            .bind(i64::from(input.rate_percent))
            .bind(&at)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.speech_rate_set",
            )
            .subject("elder_session", row.id.to_string())
            .detail(json!({ "ratePercent": input.rate_percent })),
        )
        .await?;
        let fresh = load(&mut tx, row.id).await?;
        let view = self.session_view(&mut tx, &fresh).await?;
        tx.commit().await?;
        self.say(&view.screen);
        Ok(view)
    }

    // ---- the customer's window: only these four commands are in its capability ----------

    async fn customer_session(&self) -> Result<(Actor, SessionRow)> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        let row = open_of(&mut conn, actor.staff_id)
            .await?
            .ok_or_else(|| Error::NotFound("no elder session is open".to_owned()))?;
        Ok((actor, row))
    }

    /// What the customer's window shows: the open session of the staff member beside them,
    /// or the one they just finished (its "all done" or "we stop here" words, with the slogan
    /// and the hotline) until [`SHOWN_AFTER_FINISH_MINUTES`] have passed.
    pub async fn elder_screen(&self) -> Result<Option<ElderScreen>> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        let Some(row) = shown_of(&mut conn, actor.staff_id, self.now()).await? else {
            return Ok(None);
        };
        let rules = load_rules(&mut conn).await?;
        Ok(Some(self.screen_of(&mut conn, &row, &rules).await?))
    }

    /// The customer answers the question on their screen; a "yes" stops the setup at once
    /// and puts it in a supervisor's inbox.
    pub async fn elder_answer(&self, input: ElderAnswerInput) -> Result<ElderScreen> {
        let (actor, row) = self.customer_session().await?;
        let view = self
            .elder_move(
                &actor,
                row.id,
                ElderEvent::Answer {
                    question_id: input.question_id.clone(),
                    yes: input.yes,
                },
                "elder.answered",
                json!({
                    "questionId": input.question_id,
                    "answer": if input.yes { "yes" } else { "no" },
                    "by": "customer",
                }),
            )
            .await?;
        Ok(view.screen)
    }

    /// "Read it again": the same words, spoken again (the finished screen's too). Nothing on
    /// the screen changes.
    pub async fn elder_repeat(&self) -> Result<ElderScreen> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        let row = shown_of(&mut conn, actor.staff_id, self.now())
            .await?
            .ok_or_else(|| Error::NotFound("no elder session is open".to_owned()))?;
        let rules = load_rules(&mut conn).await?;
        let screen = self.screen_of(&mut conn, &row, &rules).await?;
        self.say(&screen);
        Ok(screen)
    }

    /// "I need more time": the step's time starts again from now. Audited (it is the
    /// customer's choice recorded with the case).
    pub async fn elder_more_time(&self) -> Result<ElderScreen> {
        let (actor, row) = self.customer_session().await?;
        let mut tx = self.store().begin().await?;
        let rules = load_rules(&mut tx).await?;
        let now = self.now();
        let deadline = now + Duration::seconds(i64::from(rules.step_timeout_secs));
        sqlx::query("UPDATE elder_sessions SET deadline_at = ?, updated_at = ? WHERE id = ?")
            .bind(audit::timestamp(deadline))
            .bind(audit::timestamp(now))
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.more_time",
            )
            .subject("elder_session", row.id.to_string())
            .detail(json!({ "step": row.pos.step.as_str(), "by": "customer" })),
        )
        .await?;
        let fresh = load(&mut tx, row.id).await?;
        let screen = self.screen_of(&mut tx, &fresh, &rules).await?;
        tx.commit().await?;
        Ok(screen)
    }

    // ---- the supervisor -----------------------------------------------------------------

    /// A supervisor records the outcome of a "yes", with a reason: cleared or advised lets
    /// the setup continue with the next question; referred to 110 ends it.
    pub async fn elder_resolve(&self, input: ElderResolveInput) -> Result<ElderEscalation> {
        let actor = self.authorize(Permission::ResolveElderEscalation).await?;
        let reason = text("reason", &input.reason, 500)?;
        let mut tx = self.store().begin().await?;
        let r = sqlx::query(
            "SELECT session_id, raised_by, outcome FROM elder_escalations WHERE id = ?",
        )
        .bind(input.escalation_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("elder escalation {}", input.escalation_id)))?;
        let session_id: i64 = r.try_get("session_id")?;
        let raised_by: i64 = r.try_get("raised_by")?;
        let decided: Option<String> = r.try_get("outcome")?;
        if decided.is_some() {
            return Err(Error::ConflictOn(FieldError::new(
                "escalation",
                "elder_escalation_decided",
            )));
        }
        // The staff member who ran the session never clears its stop.
        if raised_by == actor.staff_id {
            return Err(Error::ConflictOn(FieldError::new(
                "escalation",
                "elder_escalation_own",
            )));
        }
        let row = load(&mut tx, session_id).await?;
        let now = self.now();
        let at = audit::timestamp(now);
        sqlx::query(
            "UPDATE elder_escalations SET outcome = ?, reason = ?, decided_by = ?, decided_at = ? \
             WHERE id = ?",
        )
        .bind(input.outcome.as_str())
        .bind(&reason)
        .bind(actor.staff_id)
        .bind(&at)
        .bind(input.escalation_id)
        .execute(&mut *tx)
        .await?;
        let rules = load_rules(&mut tx).await?;
        // A stop from a follow-up call has no session step to move (the setup is done).
        let moved = if row.pos.step == ElderStep::Stopped {
            let next = transition(
                row.pos,
                &ElderEvent::Outcome(input.outcome),
                &rules.questions,
            )?;
            sqlx::query(
                "UPDATE elder_sessions SET step = ?, question_index = ?, step_started_at = ?, \
                 deadline_at = ?, updated_at = ?, \
                 finished_at = CASE WHEN ? = 'ended' THEN ? ELSE finished_at END WHERE id = ?",
            )
            .bind(next.step.as_str())
            .bind(i64::try_from(next.question_index).unwrap_or(0))
            .bind(&at)
            .bind(audit::timestamp(
                now + Duration::seconds(i64::from(rules.step_timeout_secs)),
            ))
            .bind(&at)
            .bind(next.step.as_str())
            .bind(&at)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
            Some(next.step)
        } else {
            None
        };
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "elder.resolved",
        )
        .subject("elder_session", session_id.to_string())
        .detail(json!({
            "escalationId": input.escalation_id,
            "outcome": input.outcome.as_str(),
            "reason": reason,
            "step": moved.map(ElderStep::as_str),
        }));
        rec.customer_id = row.customer_id.clone();
        audit::append(&mut tx, now, rec).await?;
        let view = escalations_of(&mut tx, session_id)
            .await?
            .into_iter()
            .find(|e| e.id == input.escalation_id)
            .ok_or_else(|| anyhow::anyhow!("escalation vanished"))?;
        let screen = if moved.is_some() {
            let fresh = load(&mut tx, session_id).await?;
            Some(self.screen_of(&mut tx, &fresh, &rules).await?)
        } else {
            None
        };
        tx.commit().await?;
        if let Some(screen) = screen {
            self.say(&screen);
        }
        Ok(view)
    }
}

/// A session of the signed-in staff member's; another's is not found (no hint it exists).
async fn own(conn: &mut SqliteConnection, actor: &Actor, id: i64) -> Result<SessionRow> {
    let row = load(conn, id).await?;
    if row.staff_id != actor.staff_id {
        return Err(Error::NotFound(format!("elder session {id}")));
    }
    Ok(row)
}

async fn escalations_of(
    conn: &mut SqliteConnection,
    session_id: i64,
) -> Result<Vec<ElderEscalation>> {
    sqlx::query(
        "SELECT id, cause, raised_at, outcome, reason, decided_at FROM elder_escalations \
         WHERE session_id = ? ORDER BY id",
    )
    .bind(session_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        let outcome: Option<String> = r.try_get("outcome")?;
        Ok(ElderEscalation {
            id: r.try_get("id")?,
            cause: r.try_get("cause")?,
            raised_at: r.try_get("raised_at")?,
            outcome: outcome.as_deref().and_then(EscalationOutcome::parse),
            reason: r.try_get("reason")?,
            decided_at: r.try_get("decided_at")?,
        })
    })
    .collect()
}
