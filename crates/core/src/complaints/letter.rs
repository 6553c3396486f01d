//! The decision letter of a decided complaint, as a zh-CN PDF (crate::documents).

use super::intake::Complainant;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::documents::BinaryFile;
use crate::documents::{self, LetterInput, LetterOutcome};
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// Printed on every letter until the bank's own names are configured (settings).
const BANK_NAME: &str = "演示银行股份有限公司";
const HOTLINE: &str = "95xxx";
const REVIEW_OFFICE: &str = "我行上级机构消费者权益保护部门";

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LetterRequest {
    #[ts(type = "number")]
    pub case_id: i64,
    /// The handler's summary of the decision, printed as its first sentence.
    pub outcome: LetterOutcome,
}

impl Console {
    /// The decision letter for a decided case. Allowed to whoever may open the case (the
    /// recusal rule applies); printing it is audited.
    pub async fn complaint_letter(&self, request: LetterRequest) -> Result<BinaryFile> {
        let detail = self.complaint_get(request.case_id).await?;
        let actor = self
            .authorize(crate::access::Permission::WorkComplaints)
            .await?;
        let decision = detail
            .decision
            .clone()
            .ok_or_else(|| Error::Conflict("the complaint is not decided yet".to_owned()))?;
        let decided_on = detail
            .closed_on
            .ok_or_else(|| Error::Conflict("the complaint is not decided yet".to_owned()))?;
        let customer_name = match &detail.complainant {
            Complainant::NotACustomer { name, .. } => name.clone(),
            Complainant::Customer { customer_id } => {
                sqlx::query_scalar("SELECT name FROM core_customers WHERE id = ?")
                    .bind(customer_id)
                    .fetch_optional(self.store().read())
                    .await?
                    .unwrap_or_else(|| "客户".to_owned())
            }
        };
        let input = LetterInput {
            bank_name: BANK_NAME.to_owned(),
            branch_name: detail.branch.clone(),
            case_number: detail.case_no.clone(),
            customer_name,
            received_on: detail.received_on,
            decided_on,
            complaint_summary: detail.what_happened.clone(),
            findings: decision.findings.clone(),
            reasons: decision.reasons.clone(),
            outcome: request.outcome,
            remedy: decision.remedy.clone(),
            compensation: decision.compensation,
            review_offered: detail.review_of_id.is_none(),
            review_days: None,
            review_office: REVIEW_OFFICE.to_owned(),
            mediation_body: None,
            hotline: HOTLINE.to_owned(),
        };
        // Font loading and layout take tens of milliseconds: off the async threads.
        let bytes = tokio::task::spawn_blocking(move || documents::decision_letter(&input))
            .await
            .map_err(anyhow::Error::from)??;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.letter_printed",
            )
            .subject("complaint", detail.case_no.clone())
            .detail(json!({ "bytes": bytes.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name: format!("{}-答复函.pdf", detail.case_no),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }
}
