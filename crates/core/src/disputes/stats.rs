//! Dispute statistics: by reason, outcome, on-time rate, amounts credited and recovered, for
//! disputes noticed in a period; exported as CSV or XLSX like the complaint statistics.

use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::complaints::stats::{ReportFile, csv_field, rate};
use crate::console::Console;
use crate::documents::BinaryFile;
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeStatsQuery {
    /// Disputes noticed from this day...
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// ... to this day, inclusive.
    #[ts(type = "string")]
    pub to: NaiveDate,
}

/// One reason's line; the last line of a report is every reason together (`reason` "all").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeStatsRow {
    pub reason: String,
    pub opened: i64,
    pub open: i64,
    pub decided_customer: i64,
    pub decided_bank: i64,
    /// Decided on or before the deadline in force.
    pub decided_on_time: i64,
    /// Percent of decided disputes decided on time, one decimal; `None` when none decided.
    pub on_time_rate: Option<String>,
    /// Provisionally credited, or credited on a decision for the customer.
    pub credited: Money,
    /// Taken back by a reversal the core applied, or claimed by a chargeback filed.
    pub recovered: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeStatsReport {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub rows: Vec<DisputeStatsRow>,
}

pub async fn report(pool: &SqlitePool, q: &DisputeStatsQuery) -> Result<DisputeStatsReport> {
    if q.to < q.from {
        return Err(Error::field("to", "period_reversed"));
    }
    // One line per reason, then the total summed here (SQLite has no ROLLUP).
    let rows = sqlx::query(
        "SELECT d.reason AS reason, COUNT(*) AS opened, \
                   COALESCE(SUM(d.status = 'open'), 0) AS open, \
                   COALESCE(SUM(d.status = 'decided_customer'), 0) AS decided_customer, \
                   COALESCE(SUM(d.status = 'decided_bank'), 0) AS decided_bank, \
                   COALESCE(SUM(d.decided_on IS NOT NULL AND d.decided_on <= d.due_on), 0) \
                     AS on_time, \
                   COALESCE(SUM(CASE WHEN d.credit_on IS NOT NULL \
                     OR d.status = 'decided_customer' THEN d.amount_fen ELSE 0 END), 0) \
                     AS credited, \
                   COALESCE(SUM(CASE WHEN d.chargeback_on IS NOT NULL OR EXISTS (SELECT 1 \
                     FROM dispute_money_steps m JOIN outbox o ON o.id = m.outbox_id \
                     WHERE m.dispute_id = d.id AND m.kind = 'dispute.reverse' \
                     AND o.state = 'done') THEN d.amount_fen ELSE 0 END), 0) AS recovered \
                 FROM disputes d WHERE d.notice_on >= ? AND d.notice_on <= ? \
                 GROUP BY d.reason ORDER BY d.reason",
    )
    .bind(q.from.to_string())
    .bind(q.to.to_string())
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len() + 1);
    let mut total = DisputeStatsRow {
        reason: "all".to_owned(),
        opened: 0,
        open: 0,
        decided_customer: 0,
        decided_bank: 0,
        decided_on_time: 0,
        on_time_rate: None,
        credited: Money::ZERO,
        recovered: Money::ZERO,
    };
    for r in rows {
        let credited_fen: i64 = r.try_get("credited")?;
        let recovered_fen: i64 = r.try_get("recovered")?;
        let row = DisputeStatsRow {
            reason: r.try_get("reason")?,
            opened: r.try_get("opened")?,
            open: r.try_get("open")?,
            decided_customer: r.try_get("decided_customer")?,
            decided_bank: r.try_get("decided_bank")?,
            decided_on_time: r.try_get("on_time")?,
            on_time_rate: None,
            credited: Money::from_minor_units(credited_fen),
            recovered: Money::from_minor_units(recovered_fen),
        };
        total.opened += row.opened;
        total.open += row.open;
        total.decided_customer += row.decided_customer;
        total.decided_bank += row.decided_bank;
        total.decided_on_time += row.decided_on_time;
        total.credited = total
            .credited
            .checked_add(row.credited)
            .unwrap_or(total.credited);
        total.recovered = total
            .recovered
            .checked_add(row.recovered)
            .unwrap_or(total.recovered);
        out.push(row);
    }
    out.push(total);
    for row in &mut out {
        row.on_time_rate = rate(row.decided_on_time, row.decided_customer + row.decided_bank);
    }
    Ok(DisputeStatsReport {
        from: q.from,
        to: q.to,
        rows: out,
    })
}

const HEADER: [&str; 9] = [
    "reason",
    "opened",
    "open",
    "decided_customer",
    "decided_bank",
    "decided_on_time",
    "on_time_rate_pct",
    "credited_cny",
    "recovered_cny",
];

pub fn to_csv(report: &DisputeStatsReport) -> ReportFile {
    let mut content = HEADER.join(",");
    content.push_str("\r\n");
    for r in &report.rows {
        let fields = [
            csv_field(&r.reason),
            r.opened.to_string(),
            r.open.to_string(),
            r.decided_customer.to_string(),
            r.decided_bank.to_string(),
            r.decided_on_time.to_string(),
            r.on_time_rate.clone().unwrap_or_default(),
            r.credited.to_string(),
            r.recovered.to_string(),
        ];
        content.push_str(&fields.join(","));
        content.push_str("\r\n");
    }
    ReportFile {
        file_name: format!("dispute-stats-{}-{}.csv", report.from, report.to),
        content_type: "text/csv; charset=utf-8".to_owned(),
        content,
    }
}

/// The same table as an XLSX workbook: counts as numbers, the rate and the amounts as decimal
/// text so no float ever touches money.
pub fn to_xlsx(report: &DisputeStatsReport) -> Result<BinaryFile> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(HEADER.iter()) {
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx)?;
    }
    for (row, r) in (1u32..).zip(report.rows.iter()) {
        sheet.write_string(row, 0, &r.reason).map_err(xlsx)?;
        for (col, n) in (1u16..).zip([
            r.opened,
            r.open,
            r.decided_customer,
            r.decided_bank,
            r.decided_on_time,
        ]) {
            match u32::try_from(n) {
                Ok(n) => sheet.write_number(row, col, f64::from(n)).map_err(xlsx)?,
                Err(_) => sheet.write_string(row, col, n.to_string()).map_err(xlsx)?,
            };
        }
        sheet
            .write_string(row, 6, r.on_time_rate.clone().unwrap_or_default())
            .map_err(xlsx)?;
        sheet
            .write_string(row, 7, r.credited.to_string())
            .map_err(xlsx)?;
        sheet
            .write_string(row, 8, r.recovered.to_string())
            .map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(BinaryFile {
        file_name: format!("dispute-stats-{}-{}.xlsx", report.from, report.to),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            .to_owned(),
        bytes,
    })
}

impl Console {
    pub async fn dispute_stats(&self, query: DisputeStatsQuery) -> Result<DisputeStatsReport> {
        self.authorize(Permission::WorkDisputes).await?;
        report(self.store().read(), &query).await
    }

    /// The statistics as CSV; the export is audited.
    pub async fn dispute_stats_csv(&self, query: DisputeStatsQuery) -> Result<ReportFile> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let file = to_csv(&report(self.store().read(), &query).await?);
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "dispute.stats_exported",
            )
            .detail(json!({ "file": file.file_name, "from": query.from, "to": query.to })),
        )
        .await?;
        tx.commit().await?;
        Ok(file)
    }

    /// The statistics as XLSX; the export is audited.
    pub async fn dispute_stats_xlsx(&self, query: DisputeStatsQuery) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let file = to_xlsx(&report(self.store().read(), &query).await?)?;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "dispute.stats_exported",
            )
            .detail(json!({ "file": file.file_name, "from": query.from, "to": query.to })),
        )
        .await?;
        tx.commit().await?;
        Ok(file)
    }
}
