//! Letters to a customer about a disputed transaction (争议交易): the provisional credit
//! notice (临时贷记通知书), and the decision (争议处理决定书) with its findings, what happens
//! to the money, and the customer's options (review, mediation, arbitration, court), as the
//! complaint decision letter states them.

use super::layout::{A4, Flow, Measure};
use super::{CjkFont, FontSource, Result, format_date, format_money, render, required};
use crate::domain::Money;
use chrono::NaiveDate;
use serde::Deserialize;
use ts_rs::TS;

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DisputeLetterKind {
    CreditNotice,
    Decision,
}

/// What a dispute letter prints: plain data, checked here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeLetterInput {
    pub bank_name: String,
    pub branch_name: String,
    pub case_number: String,
    pub customer_name: String,
    pub transaction_on: NaiveDate,
    pub amount: Money,
    pub counterparty: String,
    pub notice_on: NaiveDate,
    pub hotline: String,
    pub body: DisputeLetterBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeLetterBody {
    /// The amount was credited provisionally on `credit_on` while the bank investigates,
    /// until `decide_by` at the latest.
    CreditNotice {
        credit_on: NaiveDate,
        decide_by: NaiveDate,
    },
    Decision {
        decided_on: NaiveDate,
        for_customer: bool,
        findings: String,
        /// A provisional credit was given (kept when for the customer, taken back if not).
        had_provisional_credit: bool,
    },
}

pub fn dispute_letter(input: &DisputeLetterInput) -> Result<Vec<u8>> {
    dispute_letter_with(input, &CjkFont::load(&FontSource::System)?)
}

pub fn dispute_letter_with(input: &DisputeLetterInput, font: &CjkFont) -> Result<Vec<u8>> {
    let bank = required("bank name", &input.bank_name)?;
    let branch = required("branch name", &input.branch_name)?;
    let case = required("case number", &input.case_number)?;
    let customer = required("customer name", &input.customer_name)?;
    let counterparty = required("counterparty", &input.counterparty)?;
    let hotline = required("hotline", &input.hotline)?;
    let amount = format_money(input.amount);
    let face = font.face()?;
    let measure = Measure::new(face);
    let mut flow = Flow::new(A4, &measure);
    const BODY: i32 = 11;
    const INDENT: i32 = 2 * BODY;
    let (title, dated) = match &input.body {
        DisputeLetterBody::CreditNotice { credit_on, .. } => ("临时贷记通知书", *credit_on),
        DisputeLetterBody::Decision { decided_on, .. } => ("争议交易处理决定书", *decided_on),
    };
    flow.centered(bank, 16);
    flow.gap(6);
    flow.centered(title, 20);
    flow.gap(4);
    flow.right(&format!("编号：{case}"), 10);
    flow.rule();
    flow.gap(8);
    flow.paragraph(&format!("{customer}："), BODY, 0, 0);
    flow.paragraph(
        &format!(
            "您于{}向我行{branch}提出，对{}向{counterparty}支付的{amount}有异议（编号：{case}）。",
            format_date(input.notice_on),
            format_date(input.transaction_on),
        ),
        BODY,
        0,
        INDENT,
    );
    match &input.body {
        DisputeLetterBody::CreditNotice {
            credit_on,
            decide_by,
        } => {
            flow.paragraph(
                &format!(
                    "我行已于{}将争议金额{amount}临时贷记到您的账户，您可以正常使用这笔资金。我行将在{}前完成调查并书面告知您结果。",
                    format_date(*credit_on),
                    format_date(*decide_by),
                ),
                BODY,
                0,
                INDENT,
            );
            flow.paragraph(
                "如调查确认交易无误，我行将收回这笔临时贷记的金额，并提前告知您收回的日期和金额。",
                BODY,
                0,
                INDENT,
            );
        }
        DisputeLetterBody::Decision {
            for_customer,
            findings,
            had_provisional_credit,
            ..
        } => {
            let findings = required("findings", findings)?;
            flow.gap(6);
            flow.heading("一、调查结果与理由", 12, BODY, 2);
            flow.paragraph(findings, BODY, 0, INDENT);
            flow.gap(6);
            flow.heading("二、处理决定", 12, BODY, 2);
            let decision = match (for_customer, had_provisional_credit) {
                (true, true) => {
                    format!("我行支持您的主张。此前临时贷记的{amount}转为最终入账，无需退还。")
                }
                (true, false) => format!("我行支持您的主张，已将{amount}退回您的账户。"),
                (false, true) => format!(
                    "经调查，该笔交易无误，我行不支持您的主张。此前临时贷记的{amount}将从您的账户收回。"
                ),
                (false, false) => "经调查，该笔交易无误，我行不支持您的主张。".to_owned(),
            };
            flow.paragraph(&decision, BODY, 0, INDENT);
            flow.gap(6);
            flow.heading("三、您还可以怎么做", 12, BODY, 2);
            flow.paragraph(
                "如您对本决定不满意，可以选择以下任一方式继续解决：",
                BODY,
                0,
                INDENT,
            );
            let options = [
                "申请复核：请在收到本决定书之日起30日内，以书面形式向我行提出复核申请，写明您的请求和理由，并可提交新的证据。",
                "申请调解：向当地银行业保险业消费纠纷调解组织申请调解。",
                "申请仲裁：如您与我行订有仲裁条款或事后达成书面仲裁协议，可以向约定的仲裁机构申请仲裁。",
                "提起诉讼：向有管辖权的人民法院起诉。",
            ];
            for (i, option) in options.iter().enumerate() {
                let number = format!("{}. ", i + 1);
                let hang = flow.measure().width_pt(&number, BODY);
                flow.paragraph(&format!("{number}{option}"), BODY, INDENT + hang, -hang);
            }
        }
    }
    flow.paragraph(
        &format!("如有疑问，请致电我行客服热线 {hotline}，或到{branch}咨询。"),
        BODY,
        0,
        INDENT,
    );
    flow.gap(24);
    flow.keep(3 * 18);
    flow.right(bank, BODY);
    flow.right(branch, BODY);
    flow.right(&format_date(dated), BODY);
    let sheets = flow.finish(
        |page, pages| format!("编号 {case}　第 {page} 页 / 共 {pages} 页"),
        9,
    );
    render(&sheets, A4, &measure, font, title)
}
