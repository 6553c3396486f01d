//! Any Insights table as CSV or XLSX (made here, in Rust), audited like every export.

use super::console::{InsightAnswer, InsightQuery};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::complaints::stats::csv_field;
use crate::console::Console;
use crate::documents::BinaryFile;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightExportInput {
    pub query: InsightQuery,
    pub format: ExportFormat,
}

const HEADER: [&str; 6] = [
    "group",
    "value",
    "before",
    "change_pct",
    "numerator",
    "denominator",
];

/// The table's rows: the total first (group "all"), then one per group. Values stay decimal
/// text: no float ever touches a rate or an amount.
fn table(answer: &InsightAnswer) -> Vec<[String; 6]> {
    std::iter::once(&answer.total)
        .chain(answer.rows.iter())
        .enumerate()
        .map(|(i, r)| {
            [
                if i == 0 {
                    "all".to_owned()
                } else {
                    r.key.clone()
                },
                r.value.clone().unwrap_or_default(),
                r.before.clone().unwrap_or_default(),
                r.change.clone().unwrap_or_default(),
                r.numerator.clone(),
                r.denominator.clone(),
            ]
        })
        .collect()
}

fn file_stem(answer: &InsightAnswer) -> String {
    format!(
        "insights-{}-{}-{}-{}",
        answer.metric_name(),
        answer.dimension.map_or("total", |d| d.as_str()),
        answer.from,
        answer.to
    )
}

pub fn to_csv(answer: &InsightAnswer) -> BinaryFile {
    let mut content = HEADER.join(",");
    content.push_str("\r\n");
    for row in table(answer) {
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        content.push_str(&cells.join(","));
        content.push_str("\r\n");
    }
    BinaryFile {
        file_name: format!("{}.csv", file_stem(answer)),
        content_type: "text/csv; charset=utf-8".to_owned(),
        bytes: content.into_bytes(),
    }
}

pub fn to_xlsx(answer: &InsightAnswer) -> Result<BinaryFile> {
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
    for (r, row) in (1u32..).zip(table(answer)) {
        for (c, cell) in (0u16..).zip(row.iter()) {
            sheet.write_string(r, c, cell).map_err(xlsx)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(BinaryFile {
        file_name: format!("{}.xlsx", file_stem(answer)),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            .to_owned(),
        bytes,
    })
}

impl InsightAnswer {
    fn metric_name(&self) -> &'static str {
        self.metric.as_str()
    }
}

impl Console {
    /// The table of `input.query` as CSV or XLSX; the export is audited.
    pub async fn insights_export(&self, input: InsightExportInput) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let answer = self.insights_report(input.query).await?;
        let file = match input.format {
            ExportFormat::Csv => to_csv(&answer),
            ExportFormat::Xlsx => to_xlsx(&answer)?,
        };
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "insights.exported")
                .detail(json!({ "file": file.file_name, "from": answer.from, "to": answer.to })),
        )
        .await?;
        tx.commit().await?;
        Ok(file)
    }
}
