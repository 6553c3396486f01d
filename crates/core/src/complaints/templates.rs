//! Reply templates (issue 18 item 3): supervisors keep templates per category for contact-log
//! entries, customer messages and letter paragraphs; a handler applies one to a case and edits
//! the text before saving. Placeholders are filled here, from the case: dates as the business
//! calendar counts them, money as `Money` formatted, so the screen holds no copy of either.

use super::case::{self, CaseHead};
use super::intake::{LONG_TEXT, SHORT_TEXT};
use super::types::Text;
use crate::calendar::BusinessCalendar;
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TemplateKind {
    /// A contact-log entry.
    Contact,
    /// A message to the customer (SMS or online).
    Message,
    /// A paragraph of a letter.
    Letter,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Contact => "contact",
            TemplateKind::Message => "message",
            TemplateKind::Letter => "letter",
        }
    }

    fn parse(text: &str) -> Result<TemplateKind> {
        match text {
            "contact" => Ok(TemplateKind::Contact),
            "message" => Ok(TemplateKind::Message),
            "letter" => Ok(TemplateKind::Letter),
            other => Err(Error::Internal(anyhow::anyhow!(
                "unknown template kind {other:?}"
            ))),
        }
    }
}

/// The placeholders a template may use, each `{{name}}`.
pub const PLACEHOLDERS: &[&str] = &[
    "caseNo",
    "customer",
    "category",
    "receivedOn",
    "dueOn",
    "today",
    "nextWorkingDay",
    "limitDays",
    "compensation",
    "reviewWindowEnd",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: i64,
    /// Null: offered for every category.
    pub category_id: Option<i64>,
    pub kind: TemplateKind,
    pub title: String,
    pub body: String,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInput {
    /// Null adds a template; else replaces that one.
    pub id: Option<i64>,
    pub category_id: Option<i64>,
    pub kind: TemplateKind,
    pub title: String,
    pub body: String,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateQuery {
    /// The case's category: its templates, its parents' and the general ones. Null: all.
    pub category_id: Option<i64>,
    pub kind: Option<TemplateKind>,
    /// Retired ones too (the supervisor's editor).
    pub include_retired: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyTemplateInput {
    pub case_id: i64,
    pub template_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FilledTemplate {
    pub template_id: i64,
    pub kind: TemplateKind,
    /// The body with every placeholder filled: the handler edits it before saving.
    pub text: String,
}

/// The words of one placeholder for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub case_no: String,
    pub customer: String,
    pub category: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub today: NaiveDate,
    pub limit_days: u32,
    pub compensation: Option<Money>,
    pub review_window_end: Option<NaiveDate>,
}

/// `2026年3月17日`: the form a Chinese letter or message writes a date in.
pub fn date_words(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// `¥1,234.50`: thousands grouped, two decimals, as `Money` holds it (never a float).
pub fn money_words(money: Money) -> String {
    let text = money.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{fraction}")
}

/// Fills every `{{name}}` of `body`. The next working day and the due date are the calendar's
/// (holidays and make-up working days), not the weekdays'.
pub fn fill(body: &str, facts: &CaseFacts, calendar: &BusinessCalendar) -> Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = after[..end].trim();
        let value = match name {
            "caseNo" => facts.case_no.clone(),
            "customer" => facts.customer.clone(),
            "category" => facts.category.clone(),
            "receivedOn" => date_words(facts.received_on),
            "dueOn" => date_words(facts.due_on),
            "today" => date_words(facts.today),
            "nextWorkingDay" => {
                let next = facts
                    .today
                    .succ_opt()
                    .ok_or_else(|| Error::InvalidInput("date out of range".into()))?;
                date_words(
                    calendar
                        .next_working_day_on_or_after(next)
                        .map_err(|_| Error::field("caseId", "calendar_out_of_range"))?,
                )
            }
            "limitDays" => facts.limit_days.to_string(),
            "compensation" => facts
                .compensation
                .map(money_words)
                .unwrap_or_else(|| money_words(Money::from_minor_units(0))),
            "reviewWindowEnd" => facts.review_window_end.map(date_words).unwrap_or_default(),
            _ => return Err(Error::field("body", "template_unknown_placeholder")),
        };
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Every placeholder of `body` is known (checked when a supervisor saves it).
pub fn check_placeholders(body: &str) -> Result<()> {
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| Error::field("body", "template_unclosed_placeholder"))?;
        if !PLACEHOLDERS.contains(&after[..end].trim()) {
            return Err(Error::field("body", "template_unknown_placeholder"));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

fn from_row(r: &sqlx::sqlite::SqliteRow) -> Result<Template> {
    Ok(Template {
        id: r.try_get("id")?,
        category_id: r.try_get("category_id")?,
        kind: TemplateKind::parse(r.try_get("kind")?)?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        active: r.try_get("active")?,
    })
}

pub async fn list(pool: &SqlitePool, q: &TemplateQuery) -> Result<Vec<Template>> {
    let mut conn = pool.acquire().await?;
    // A case's category offers its own templates, its ancestors' and the general ones.
    let mut categories: Vec<i64> = Vec::new();
    let mut next = q.category_id;
    while let Some(id) = next {
        if categories.contains(&id) || categories.len() > 16 {
            break;
        }
        categories.push(id);
        next = sqlx::query_scalar("SELECT parent_id FROM complaint_categories WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    }
    let rows = sqlx::query(
        "SELECT id, category_id, kind, title, body, active FROM complaint_templates \
         WHERE (? OR active = 1) AND (? IS NULL OR kind = ?) ORDER BY kind, category_id, title, id",
    )
    .bind(q.include_retired)
    .bind(q.kind.map(TemplateKind::as_str))
    .bind(q.kind.map(TemplateKind::as_str))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let t = from_row(r)?;
        let offered = q.category_id.is_none()
            || t.category_id.is_none()
            || t.category_id.is_some_and(|c| categories.contains(&c));
        if offered {
            out.push(t);
        }
    }
    Ok(out)
}

pub async fn save(
    conn: &mut SqliteConnection,
    input: &TemplateInput,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<Template> {
    let title = Text::parse("title", &input.title, SHORT_TEXT)?;
    let body = Text::parse("body", &input.body, LONG_TEXT)?;
    check_placeholders(body.as_str())?;
    if let Some(category) = input.category_id {
        let known: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM complaint_categories WHERE id = ?)")
                .bind(category)
                .fetch_one(&mut *conn)
                .await?;
        if !known {
            return Err(Error::field("categoryId", "category_unknown"));
        }
    }
    let at = crate::audit::timestamp(now);
    let id: i64 = match input.id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO complaint_templates \
                 (category_id, kind, title, body, active, updated_by, updated_at) \
                 VALUES (?,?,?,?,?,?,?) RETURNING id",
            )
            .bind(input.category_id)
            .bind(input.kind.as_str())
            .bind(title.as_str())
            .bind(body.as_str())
            .bind(input.active)
            .bind(actor_id)
            .bind(&at)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            let done = sqlx::query(
                "UPDATE complaint_templates SET category_id = ?, kind = ?, title = ?, body = ?, \
                 active = ?, updated_by = ?, updated_at = ? WHERE id = ?",
            )
            .bind(input.category_id)
            .bind(input.kind.as_str())
            .bind(title.as_str())
            .bind(body.as_str())
            .bind(input.active)
            .bind(actor_id)
            .bind(&at)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(Error::NotFound(format!("template {id}")));
            }
            id
        }
    };
    Ok(Template {
        id,
        category_id: input.category_id,
        kind: input.kind,
        title: title.into_string(),
        body: body.into_string(),
        active: input.active,
    })
}

/// The case's facts a template can name.
pub async fn case_facts(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    calendar: &BusinessCalendar,
    today: NaiveDate,
) -> Result<CaseFacts> {
    let clock = case::replay(conn, head).await?;
    let r = sqlx::query(
        "SELECT c.customer_id, c.prospect_name, c.compensation_fen, g.name AS category \
         FROM complaints c JOIN complaint_categories g ON g.id = c.category_id WHERE c.id = ?",
    )
    .bind(head.id)
    .fetch_one(&mut *conn)
    .await?;
    let customer: Option<String> = r.try_get("customer_id")?;
    let prospect: Option<String> = r.try_get("prospect_name")?;
    let fen: Option<i64> = r.try_get("compensation_fen")?;
    Ok(CaseFacts {
        case_no: head.case_no.clone(),
        customer: customer.or(prospect).unwrap_or_default(),
        category: r.try_get("category")?,
        received_on: head.received_on,
        due_on: case::queue_due_on(&clock, calendar)?,
        today,
        limit_days: clock.limit_days(),
        compensation: fen.map(Money::from_minor_units),
        review_window_end: clock.review_window_end(calendar).ok(),
    })
}

pub async fn template(conn: &mut SqliteConnection, id: i64) -> Result<Template> {
    let r = sqlx::query(
        "SELECT id, category_id, kind, title, body, active FROM complaint_templates WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("template {id}")))?;
    from_row(&r)
}

impl crate::console::Console {
    pub async fn complaint_templates(&self, query: TemplateQuery) -> Result<Vec<Template>> {
        self.authorize(crate::access::Permission::WorkComplaints)
            .await?;
        list(self.store().read(), &query).await
    }

    /// Adds or replaces a template; its placeholders are checked here. Audited.
    pub async fn complaint_template_save(&self, input: TemplateInput) -> Result<Template> {
        let actor = self
            .authorize(crate::access::Permission::ManageComplaintDesk)
            .await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let saved = save(&mut tx, &input, actor.staff_id, now).await?;
        crate::audit::append(
            &mut tx,
            now,
            crate::audit::NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.template_saved",
            )
            .subject("complaint_template", saved.id.to_string())
            .detail(serde_json::json!({
                "title": saved.title,
                "kind": saved.kind.as_str(),
                "active": saved.active,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// The template's text filled from the case, for the handler to edit before saving it as a
    /// note, a contact-log entry or a message (each saved by its own audited step). Refused to a
    /// staff member with an interest in the case, like the case itself.
    pub async fn complaint_template_apply(
        &self,
        input: ApplyTemplateInput,
    ) -> Result<FilledTemplate> {
        let actor = self
            .authorize(crate::access::Permission::WorkComplaints)
            .await?;
        let today = crate::clock::local_date(self.now());
        let mut conn = self.store().read().acquire().await?;
        let head = case::head(&mut conn, input.case_id).await?;
        case::check_not_interested(&mut conn, &head, actor.staff_id).await?;
        let template = template(&mut conn, input.template_id).await?;
        let calendar = case::load_calendar(&mut conn).await?;
        let facts = case_facts(&mut conn, &head, &calendar, today).await?;
        Ok(FilledTemplate {
            template_id: template.id,
            kind: template.kind,
            text: fill(&template.body, &facts, &calendar)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::china_2026;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn facts() -> CaseFacts {
        CaseFacts {
            case_no: "TS-2026-000123".into(),
            customer: "C0001".into(),
            category: "支付交易".into(),
            received_on: d(2026, 9, 30),
            due_on: d(2026, 10, 15),
            // The last day of National Day week: the next working day is Saturday 10-10,
            // a make-up working day, not Monday.
            today: d(2026, 10, 9),
            limit_days: 15,
            compensation: Some(Money::parse("1234567.5").expect("money")),
            review_window_end: None,
        }
    }

    #[test]
    fn template_placeholders_fill_case_number_dates_and_money() {
        let text = fill(
            "{{caseNo}}：{{ customer }}，{{receivedOn}}收到，{{dueOn}}前答复，补偿{{compensation}}。",
            &facts(),
            &china_2026(),
        )
        .expect("filled");
        assert_eq!(
            text,
            "TS-2026-000123：C0001，2026年9月30日收到，2026年10月15日前答复，补偿¥1,234,567.50。"
        );
    }

    #[test]
    fn template_next_working_day_is_the_calendars_make_up_day() {
        let calendar = china_2026();
        // Friday 10-09: the next working day is Saturday 10-10, a make-up working day.
        assert_eq!(
            fill("{{nextWorkingDay}}", &facts(), &calendar).expect("filled"),
            "2026年10月10日"
        );
        // The day before National Day: the whole holiday is skipped.
        let eve = CaseFacts {
            today: d(2026, 9, 30),
            ..facts()
        };
        assert_eq!(
            fill("{{nextWorkingDay}}", &eve, &calendar).expect("filled"),
            "2026年10月8日"
        );
    }

    #[test]
    fn template_money_is_grouped_with_two_decimals() {
        assert_eq!(money_words(Money::parse("0").expect("m")), "¥0.00");
        assert_eq!(money_words(Money::parse("999.9").expect("m")), "¥999.90");
        assert_eq!(money_words(Money::parse("1000").expect("m")), "¥1,000.00");
        assert_eq!(
            money_words(Money::parse("-12345.67").expect("m")),
            "-¥12,345.67"
        );
    }

    #[test]
    fn template_unknown_or_unclosed_placeholder_is_refused() {
        assert!(check_placeholders("您好 {{caseNo}}").is_ok());
        let unknown = check_placeholders("{{password}}").expect_err("unknown");
        assert_eq!(unknown.fields()[0].code, "template_unknown_placeholder");
        let unclosed = check_placeholders("{{caseNo").expect_err("unclosed");
        assert_eq!(unclosed.fields()[0].code, "template_unclosed_placeholder");
    }
}
