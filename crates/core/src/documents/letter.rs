//! The complaint decision letter (投诉处理决定书).
//!
//! The letter states the findings, the reasons, what the bank will do, and the customer's
//! options in plain words: review, mediation, arbitration, court (NFRA complaint rules, 2020).
//! The root cause and the fix at the source are the bank's internal record and have no field
//! here, so they cannot reach the customer by mistake.

use super::layout::{A4, Flow, Measure};
use super::{
    CjkFont, DocumentError, FontSource, Result, format_date, format_money, not_negative, render,
    required,
};
use crate::domain::Money;
use chrono::NaiveDate;
use serde::Deserialize;
use ts_rs::TS;

/// Days the customer has to ask for a review, counted from receiving the decision.
pub const DEFAULT_REVIEW_DAYS: u32 = 30;

/// Who the customer may turn to for mediation when the input names no one.
const DEFAULT_MEDIATION_BODY: &str = "当地银行业保险业消费纠纷调解组织";

/// How the complaint was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LetterOutcome {
    Upheld,
    PartlyUpheld,
    NotUpheld,
}

impl LetterOutcome {
    fn sentence(self) -> &'static str {
        match self {
            LetterOutcome::Upheld => "经调查核实，我行认为您的投诉请求成立。",
            LetterOutcome::PartlyUpheld => "经调查核实，我行认为您的投诉请求部分成立。",
            LetterOutcome::NotUpheld => "经调查核实，我行认为您的投诉请求不成立。",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LetterInput {
    /// "中国某某银行股份有限公司"
    pub bank_name: String,
    /// "北京分行营业部": where the complaint was handled; signs the letter with the bank.
    pub branch_name: String,
    pub case_number: String,
    pub customer_name: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "string")]
    pub decided_on: NaiveDate,
    /// What the customer complained about, in one or two sentences.
    pub complaint_summary: String,
    /// 调查结果
    pub findings: String,
    /// 理由
    pub reasons: String,
    pub outcome: LetterOutcome,
    /// What the bank does for the customer, if anything.
    #[serde(default)]
    pub remedy: Option<String>,
    #[serde(default)]
    pub compensation: Option<Money>,
    /// False on a review case: the level above has already looked at it, so the letter does
    /// not offer another review.
    #[serde(default = "offered")]
    pub review_offered: bool,
    /// Defaults to [`DEFAULT_REVIEW_DAYS`].
    #[serde(default)]
    pub review_days: Option<u32>,
    /// Who decides a review, e.g. "我行上级机构某某分行消费者权益保护部".
    pub review_office: String,
    /// e.g. "北京银行业保险业消费者权益保护中心"; a general wording when absent.
    #[serde(default)]
    pub mediation_body: Option<String>,
    /// The bank's customer-service number, e.g. "95xxx".
    pub hotline: String,
}

fn offered() -> bool {
    true
}

/// The letter, set in the machine's CJK font ([`FontSource::System`]).
pub fn decision_letter(input: &LetterInput) -> Result<Vec<u8>> {
    decision_letter_with(input, &CjkFont::load(&FontSource::System)?)
}

pub fn decision_letter_with(input: &LetterInput, font: &CjkFont) -> Result<Vec<u8>> {
    let bank = required("bank name", &input.bank_name)?;
    let branch = required("branch name", &input.branch_name)?;
    let case = required("case number", &input.case_number)?;
    let customer = required("customer name", &input.customer_name)?;
    let summary = required("complaint summary", &input.complaint_summary)?;
    let findings = required("findings", &input.findings)?;
    let reasons = required("reasons", &input.reasons)?;
    let review_office = required("review office", &input.review_office)?;
    let hotline = required("hotline", &input.hotline)?;
    if input.decided_on < input.received_on {
        return Err(DocumentError::InvalidInput(
            "decided on: before the complaint was received".into(),
        ));
    }
    // The summary is quoted inside a sentence: make sure it ends as one.
    let summary = if summary.ends_with(['。', '！', '？', '.', '!', '?']) {
        summary.to_owned()
    } else {
        format!("{summary}。")
    };
    let review_days = input.review_days.unwrap_or(DEFAULT_REVIEW_DAYS);
    if !(1..=365).contains(&review_days) {
        return Err(DocumentError::InvalidInput(
            "review days: between 1 and 365".into(),
        ));
    }
    let compensation = match input.compensation {
        Some(m) => Some(not_negative("compensation", m)?),
        None => None,
    };
    let remedy = input
        .remedy
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mediation = input
        .mediation_body
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or(DEFAULT_MEDIATION_BODY);

    let face = font.face()?;
    let measure = Measure::new(face);
    let mut flow = Flow::new(A4, &measure);
    const BODY: i32 = 11;
    // Two characters of first-line indent, as Chinese letters are set.
    const INDENT: i32 = 2 * BODY;

    flow.centered(bank, 16);
    flow.gap(6);
    flow.centered("投诉处理决定书", 20);
    flow.gap(4);
    flow.right(&format!("编号：{case}"), 10);
    flow.rule();
    flow.gap(8);

    flow.paragraph(&format!("{customer}："), BODY, 0, 0);
    flow.paragraph(
        &format!(
            "您于{}向我行{branch}提出的投诉（编号：{case}）已收悉。投诉事项：{summary}我行已对此进行调查核实，现将处理决定告知如下。",
            format_date(input.received_on),
        ),
        BODY,
        0,
        INDENT,
    );

    flow.gap(6);
    flow.heading("一、调查结果", 12, BODY, 2);
    flow.paragraph(findings, BODY, 0, INDENT);

    flow.gap(6);
    flow.heading("二、理由", 12, BODY, 2);
    flow.paragraph(reasons, BODY, 0, INDENT);

    flow.gap(6);
    flow.heading("三、处理决定", 12, BODY, 2);
    flow.paragraph(input.outcome.sentence(), BODY, 0, INDENT);
    if let Some(remedy) = remedy {
        flow.paragraph(&format!("我行将采取以下措施：{remedy}"), BODY, 0, INDENT);
    }
    let money_line = match compensation {
        Some(m) if m != Money::ZERO => format!("我行将向您支付补偿款{}。", format_money(m)),
        _ => "本次处理不涉及经济补偿。".to_owned(),
    };
    flow.paragraph(&money_line, BODY, 0, INDENT);

    flow.gap(6);
    flow.heading("四、您还可以怎么做", 12, BODY, 2);
    flow.paragraph(
        "如您对本决定不满意，可以选择以下任一方式继续解决：",
        BODY,
        0,
        INDENT,
    );
    let mut options = Vec::with_capacity(4);
    if input.review_offered {
        options.push(format!(
            "申请复核：请在收到本决定书之日起{review_days}日内，以书面形式向{review_office}提出复核申请，写明您的请求和理由。"
        ));
    } else {
        options.push(format!(
            "本决定是对您复核申请的答复，由{review_office}作出，不再受理复核。"
        ));
    }
    options.push(format!("申请调解：向{mediation}申请调解。"));
    options.push(
        "申请仲裁：如您与我行订有仲裁条款或事后达成书面仲裁协议，可以向约定的仲裁机构申请仲裁。"
            .to_owned(),
    );
    options.push("提起诉讼：向有管辖权的人民法院起诉。".to_owned());
    for (i, option) in options.iter().enumerate() {
        // Hanging indent: the number stands out, wrapped lines align under the text.
        let number = format!("{}. ", i + 1);
        let hang = flow.measure().width_pt(&number, BODY);
        flow.paragraph(&format!("{number}{option}"), BODY, INDENT + hang, -hang);
    }
    flow.paragraph(
        &format!("如有疑问，请致电我行客服热线 {hotline}，或到{branch}咨询。"),
        BODY,
        0,
        INDENT,
    );

    // The signature block stays together: bank, branch and date on one page.
    flow.gap(24);
    flow.keep(3 * 18);
    flow.right(bank, BODY);
    flow.right(branch, BODY);
    flow.right(&format_date(input.decided_on), BODY);

    let sheets = flow.finish(
        |page, pages| format!("编号 {case}　第 {page} 页 / 共 {pages} 页"),
        9,
    );
    render(&sheets, A4, &measure, font, "投诉处理决定书")
}
