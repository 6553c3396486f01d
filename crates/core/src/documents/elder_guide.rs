//! The take-home guide of an elder-assisted setup (issue 13): zh-CN large print on A4, body
//! 18 pt and headings 30 pt (DOMAIN.md "Elderly mode": at least 18 and 30), line spacing 1.5.
//! The wallet appears masked; the customer takes it home, so nothing on it opens the wallet.

use super::layout::{A4, Flow, Measure};
use super::{CjkFont, DocumentError, FontSource, Result, format_date, render, required};
use chrono::NaiveDate;

/// Body text size in points (DOMAIN.md: at least 18).
pub const GUIDE_BODY_PT: i32 = 18;
/// Heading size in points (DOMAIN.md: the largest at least 30).
pub const GUIDE_HEADING_PT: i32 = 30;
// DOMAIN.md's large-print floor, checked when the crate compiles.
const _: () = assert!(GUIDE_BODY_PT >= 18 && GUIDE_HEADING_PT >= 30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideInput {
    pub customer_name: String,
    /// Already masked (first 4 and last 4 shown); an unmasked id is refused. `None` before
    /// the core has confirmed the wallet: the guide says the number comes by text message.
    pub masked_wallet_id: Option<String>,
    /// What the customer did today, in order, in plain words.
    pub steps_done: Vec<String>,
    pub slogan: String,
    pub hotline: String,
    pub branch_name: String,
    pub branch_phone: String,
    pub staff_name: String,
    pub first_call_on: Option<NaiveDate>,
    pub date: NaiveDate,
}

fn check_masked(id: &str) -> Result<&str> {
    let id = id.trim();
    let stars = id.chars().filter(|c| *c == '*').count();
    let shown = id.chars().count() - stars;
    if stars < 4 || shown > 8 {
        return Err(DocumentError::InvalidInput(
            "wallet id: must be masked (at most 8 characters shown)".into(),
        ));
    }
    Ok(id)
}

/// Masks a wallet id for the guide: first 4 and last 4 shown.
pub fn mask_wallet_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len().max(4));
    }
    let n = chars.len();
    chars[..4]
        .iter()
        .chain(std::iter::repeat_n(&'*', n - 8))
        .chain(chars[n - 4..].iter())
        .collect()
}

pub fn elder_guide(input: &GuideInput) -> Result<Vec<u8>> {
    elder_guide_with(input, &CjkFont::load(&FontSource::System)?)
}

pub fn elder_guide_with(input: &GuideInput, font: &CjkFont) -> Result<Vec<u8>> {
    let name = required("customer name", &input.customer_name)?;
    let wallet = match input.masked_wallet_id.as_deref() {
        Some(id) => check_masked(id)?.to_owned(),
        None => "开通确认后，钱包号码会以短信告诉您".to_owned(),
    };
    let branch = required("branch name", &input.branch_name)?;
    let phone = match input.branch_phone.trim() {
        "" => "请向网点工作人员索取",
        phone => phone,
    };
    let staff = required("staff name", &input.staff_name)?;
    let face = font.face()?;
    let measure = Measure::new(face);
    let mut flow = Flow::new(A4, &measure);
    const BODY: i32 = GUIDE_BODY_PT;
    const HEAD: i32 = GUIDE_HEADING_PT;
    let title = "数字钱包使用说明";

    flow.line_at(72, title, HEAD);
    flow.paragraph(
        &format!("{name}，您好！这份说明写着今天做过的事，请收好。"),
        BODY,
        0,
        0,
    );
    flow.paragraph(&format!("您的钱包：{wallet}"), BODY, 0, 0);
    flow.gap(8);

    flow.heading("今天做了什么", HEAD, BODY, 2);
    for (i, step) in input.steps_done.iter().enumerate() {
        flow.paragraph(&format!("{}. {}", i + 1, step.trim()), BODY, 0, 0);
    }
    flow.gap(8);

    flow.heading("怎样查余额", HEAD, BODY, 2);
    for line in [
        "1. 打开手机上的数字钱包。",
        "2. 首页上写着的数字就是余额。",
        "3. 看不清时，请到网点让工作人员帮您看。",
    ] {
        flow.paragraph(line, BODY, 0, 0);
    }
    flow.gap(8);
    flow.heading("怎样付款", HEAD, BODY, 2);
    for line in [
        "1. 打开钱包，点“付款”或“扫一扫”。",
        "2. 先看清收款人的名字和金额。",
        "3. 输入支付密码。密码只有您自己知道，谁问都不要说。",
        "4. 连续输错 5 次密码，付款会被冻结，请带身份证到网点办理。",
    ] {
        flow.paragraph(line, BODY, 0, 0);
    }
    flow.gap(8);

    flow.heading("防骗三不", HEAD, BODY, 3);
    flow.paragraph(input.slogan.trim(), BODY, 0, 0);
    flow.paragraph(
        &format!(
            "有人自称公安、法院、客服或亲属，让您转账、说验证码或共享屏幕，都是骗子。拿不准就打反诈热线 {}，紧急情况打 110。",
            input.hotline.trim()
        ),
        BODY,
        0,
        0,
    );
    flow.gap(8);

    flow.heading("找我们", HEAD, BODY, 3);
    flow.paragraph(&format!("网点：{branch}"), BODY, 0, 0);
    flow.paragraph(&format!("网点电话：{phone}"), BODY, 0, 0);
    flow.paragraph(&format!("为您办理的工作人员：{staff}"), BODY, 0, 0);
    if let Some(on) = input.first_call_on {
        flow.paragraph(
            &format!(
                "我们会在 {} 给您打电话，问问您用得怎么样。",
                format_date(on)
            ),
            BODY,
            0,
            0,
        );
    }
    flow.paragraph(
        &format!("办理日期：{}", format_date(input.date)),
        BODY,
        0,
        0,
    );

    let sheets = flow.finish(|page, pages| format!("第 {page} 页 / 共 {pages} 页"), BODY);
    render(&sheets, A4, &measure, font, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_prints_a_wallet_id_masked_only() {
        assert_eq!(mask_wallet_id("W2026000012345678"), "W202*********5678");
        assert!(check_masked("W202*********5678").is_ok());
        assert!(check_masked("W2026000012345678").is_err());
    }
}
