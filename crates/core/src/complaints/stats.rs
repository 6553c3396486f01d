//! Statistics for supervisors and the periodic report to the regulator: counts and on-time
//! rate by category, channel, product, root cause, branch and month, as a table or a CSV file.

use super::case::date_text;
use crate::documents::BinaryFile;
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StatsDimension {
    Category,
    Channel,
    Product,
    Cause,
    Branch,
    /// Calendar month of receipt, "YYYY-MM".
    Month,
}

impl StatsDimension {
    pub const ALL: [StatsDimension; 6] = [
        StatsDimension::Category,
        StatsDimension::Channel,
        StatsDimension::Product,
        StatsDimension::Cause,
        StatsDimension::Branch,
        StatsDimension::Month,
    ];

    fn as_str(self) -> &'static str {
        match self {
            StatsDimension::Category => "category",
            StatsDimension::Channel => "channel",
            StatsDimension::Product => "product",
            StatsDimension::Cause => "cause",
            StatsDimension::Branch => "branch",
            StatsDimension::Month => "month",
        }
    }

    /// (key, label) SQL: only these fixed fragments ever reach the query text.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            StatsDimension::Category => ("g.code", "g.name"),
            StatsDimension::Channel => ("c.channel", "c.channel"),
            StatsDimension::Product => ("c.product", "c.product"),
            StatsDimension::Cause => (
                "COALESCE(c.root_cause, 'undecided')",
                "COALESCE(c.root_cause, 'undecided')",
            ),
            StatsDimension::Branch => ("c.branch", "c.branch"),
            StatsDimension::Month => ("substr(c.received_on, 1, 7)", "substr(c.received_on, 1, 7)"),
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatsQuery {
    /// Received on or after, "YYYY-MM-DD".
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// Received on or before.
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub by: StatsDimension,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatsRow {
    pub key: String,
    pub label: String,
    pub received: i64,
    pub decided: i64,
    pub decided_on_time: i64,
    pub withdrawn: i64,
    /// Repeats without new facts, folded into an earlier case.
    pub merged: i64,
    pub open: i64,
    /// Open, running and past the due date today.
    pub open_overdue: i64,
    /// Decided on time as a percentage of decided, one decimal ("96.5"); none when nothing
    /// was decided. A decimal string, never a float.
    pub on_time_rate: Option<String>,
    pub compensation: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatsReport {
    pub by: StatsDimension,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
}

/// A generated file for the UI to offer as a download (the shell has no file system access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportFile {
    pub file_name: String,
    pub content_type: String,
    pub content: String,
}

pub fn rate(on_time: i64, decided: i64) -> Option<String> {
    if decided <= 0 {
        return None;
    }
    let pct = Decimal::from(on_time) * Decimal::ONE_HUNDRED / Decimal::from(decided);
    Some(format!("{:.1}", pct.round_dp(1)))
}

pub async fn report(pool: &SqlitePool, q: &StatsQuery, today: NaiveDate) -> Result<StatsReport> {
    if q.to < q.from {
        return Err(Error::field("to", "period_reversed"));
    }
    let (key, label) = q.by.sql();
    let body = "COUNT(*) AS received, \
         COALESCE(SUM(c.status = 'decided'), 0) AS decided, \
         COALESCE(SUM(c.status = 'decided' AND c.on_time = 1), 0) AS decided_on_time, \
         COALESCE(SUM(c.status = 'withdrawn'), 0) AS withdrawn, \
         COALESCE(SUM(c.status = 'merged'), 0) AS merged, \
         COALESCE(SUM(c.status IN ('open','paused')), 0) AS open, \
         COALESCE(SUM(c.status = 'open' AND c.due_on < ?), 0) AS open_overdue, \
         COALESCE(SUM(c.compensation_fen), 0) AS compensation_fen \
         FROM complaints c JOIN complaint_categories g ON g.id = c.category_id \
         WHERE c.received_on BETWEEN ? AND ?";
    let grouped =
        format!("SELECT {key} AS key, MIN({label}) AS label, {body} GROUP BY {key} ORDER BY {key}");
    let total_sql = format!("SELECT 'total' AS key, 'total' AS label, {body}");
    let (today, from, to) = (date_text(today), date_text(q.from), date_text(q.to));
    let rows = sqlx::query(&grouped)
        .bind(&today)
        .bind(&from)
        .bind(&to)
        .fetch_all(pool)
        .await?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>>>()?;
    let total = row(&sqlx::query(&total_sql)
        .bind(&today)
        .bind(&from)
        .bind(&to)
        .fetch_one(pool)
        .await?)?;
    Ok(StatsReport {
        by: q.by,
        from: q.from,
        to: q.to,
        rows,
        total,
    })
}

fn row(r: &sqlx::sqlite::SqliteRow) -> Result<StatsRow> {
    let decided: i64 = r.try_get("decided")?;
    let decided_on_time: i64 = r.try_get("decided_on_time")?;
    Ok(StatsRow {
        key: r.try_get("key")?,
        label: r.try_get("label")?,
        received: r.try_get("received")?,
        decided,
        decided_on_time,
        withdrawn: r.try_get("withdrawn")?,
        merged: r.try_get("merged")?,
        open: r.try_get("open")?,
        open_overdue: r.try_get("open_overdue")?,
        on_time_rate: rate(decided_on_time, decided),
        compensation: Money::from_minor_units(r.try_get("compensation_fen")?),
    })
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break. A leading `=`, `+`, `-`,
/// `@`, tab or carriage return is prefixed with `'` so a spreadsheet never runs a category
/// name as a formula (OWASP's list: Excel and LibreOffice skip a leading tab or CR and then
/// read the `=` after it).
pub fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

const HEADER: [&str; 12] = [
    "key",
    "label",
    "received",
    "decided",
    "decided_on_time",
    "on_time_rate_pct",
    "withdrawn",
    "merged",
    "open",
    "open_overdue",
    "compensation_cny",
    "dimension",
];

fn csv_line(dimension: &str, r: &StatsRow) -> String {
    [
        csv_field(&r.key),
        csv_field(&r.label),
        r.received.to_string(),
        r.decided.to_string(),
        r.decided_on_time.to_string(),
        r.on_time_rate.clone().unwrap_or_default(),
        r.withdrawn.to_string(),
        r.merged.to_string(),
        r.open.to_string(),
        r.open_overdue.to_string(),
        r.compensation.to_string(),
        dimension.to_owned(),
    ]
    .join(",")
}

/// One report as CSV (UTF-8 with a byte-order mark so spreadsheet programs read Chinese).
pub fn to_csv(report: &StatsReport) -> ReportFile {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    for r in report.rows.iter().chain(std::iter::once(&report.total)) {
        out.push_str(&csv_line(report.by.as_str(), r));
        out.push_str("\r\n");
    }
    ReportFile {
        file_name: format!(
            "complaints-by-{}-{}-{}.csv",
            report.by.as_str(),
            report.from,
            report.to
        ),
        content_type: "text/csv".into(),
        content: out,
    }
}

/// One report as an XLSX workbook: one sheet, counts as numbers; the rate and the compensation
/// stay decimal text so no float ever touches them.
pub fn to_xlsx(report: &StatsReport) -> Result<BinaryFile> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(report.by.as_str()).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(HEADER.iter()) {
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx)?;
    }
    for (row, r) in (1u32..).zip(report.rows.iter().chain(std::iter::once(&report.total))) {
        sheet.write_string(row, 0, &r.key).map_err(xlsx)?;
        sheet.write_string(row, 1, &r.label).map_err(xlsx)?;
        let counts = [
            (2, r.received),
            (3, r.decided),
            (4, r.decided_on_time),
            (6, r.withdrawn),
            (7, r.merged),
            (8, r.open),
            (9, r.open_overdue),
        ];
        for (col, n) in counts {
            // Counts far beyond u32 would be a corrupt store, not a report: write them as text.
            match u32::try_from(n) {
                Ok(n) => sheet.write_number(row, col, f64::from(n)).map_err(xlsx)?,
                Err(_) => sheet.write_string(row, col, n.to_string()).map_err(xlsx)?,
            };
        }
        sheet
            .write_string(row, 5, r.on_time_rate.clone().unwrap_or_default())
            .map_err(xlsx)?;
        sheet
            .write_string(row, 10, r.compensation.to_string())
            .map_err(xlsx)?;
        sheet
            .write_string(row, 11, report.by.as_str())
            .map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(BinaryFile {
        file_name: format!(
            "complaints-by-{}-{}-{}.xlsx",
            report.by.as_str(),
            report.from,
            report.to
        ),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
        bytes,
    })
}

/// The periodic report to the regulator. ASSUMED TEMPLATE (DOMAIN.md says to check the current
/// one): a header block (institution, period, generated on), then one section per dimension the
/// rules name (category, channel, product, cause) plus branch, each with received, decided,
/// decided on time, on-time rate, withdrawn, merged repeats, still open, overdue and
/// compensation, and a total line. One CSV file, one row per (dimension, item).
pub async fn regulator_report(
    pool: &SqlitePool,
    institution: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<ReportFile> {
    let mut out = String::from("\u{feff}");
    out.push_str(&format!(
        "report,consumer complaints statistics\r\ninstitution,{}\r\nperiod_from,{from}\r\n\
         period_to,{to}\r\ngenerated_on,{today}\r\n\r\n",
        csv_field(institution)
    ));
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    let mut total = None;
    for by in [
        StatsDimension::Category,
        StatsDimension::Channel,
        StatsDimension::Product,
        StatsDimension::Cause,
        StatsDimension::Branch,
    ] {
        let section = report(pool, &StatsQuery { from, to, by }, today).await?;
        for r in &section.rows {
            out.push_str(&csv_line(by.as_str(), r));
            out.push_str("\r\n");
        }
        total = Some(section.total);
    }
    if let Some(total) = total {
        out.push_str(&csv_line("all", &total));
        out.push_str("\r\n");
    }
    Ok(ReportFile {
        file_name: format!("complaints-regulator-report-{from}-{to}.csv"),
        content_type: "text/csv".into(),
        content: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_a_decimal_with_one_place() {
        assert_eq!(rate(2, 3).as_deref(), Some("66.7"));
        assert_eq!(rate(3, 3).as_deref(), Some("100.0"));
        assert_eq!(rate(0, 0), None);
    }

    #[test]
    fn csv_fields_are_quoted_and_formula_safe() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("银行卡"), "银行卡");
    }

    #[test]
    fn a_cell_starting_with_tab_or_carriage_return_is_not_a_formula() {
        assert_eq!(csv_field("\t=1+1"), "'\t=1+1");
        // A CR also forces quoting; the guard goes inside the quotes.
        assert_eq!(csv_field("\r=1+1"), "\"'\r=1+1\"");
        for lead in ['=', '+', '-', '@', '\t', '\r'] {
            let field = csv_field(&format!("{lead}cmd|' /C calc'!A0"));
            let cell = field.trim_start_matches('"');
            assert!(cell.starts_with('\''), "{lead:?} → {field:?}");
        }
    }
}
