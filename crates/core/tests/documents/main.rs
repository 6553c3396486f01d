//! The printable documents, read back: they are PDFs, the CJK font is embedded as a subset,
//! long texts flow onto more pages, and the text a customer must see is there.
//!
//! Needs the machine's CJK font (Debian: fonts-noto-cjk, installed by scripts/setup).
//! Samples are written to `target/documents/` for a person to open.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use walletdesk_core::documents::{
    self, CjkFont, DocumentError, FeeLine, FontSource, LetterInput, LetterOutcome, ReceiptInput,
    WalletLimits, WalletTier,
};
use walletdesk_core::domain::Money;

fn font() -> CjkFont {
    CjkFont::load(&FontSource::System).expect("a CJK font (install fonts-noto-cjk)")
}

fn money(s: &str) -> Money {
    Money::parse(s).expect("valid money")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn letter() -> LetterInput {
    LetterInput {
        bank_name: "示例银行股份有限公司".into(),
        branch_name: "北京分行营业部".into(),
        case_number: "TS-2026-000123".into(),
        customer_name: "张三".into(),
        received_on: date(2026, 11, 2),
        decided_on: date(2026, 11, 16),
        complaint_summary: "您反映2026年10月28日通过手机银行向他人转账 2,000.00 元后，款项被重复扣划一次".into(),
        findings: "经核查交易流水与清算记录，该笔转账因系统在清算批次切换时重发报文，导致同一笔交易被扣划两次。重复扣划的 2,000.00 元已于2026年11月3日退回您的账户。".into(),
        reasons: "根据《中华人民共和国电子商务法》及我行电子银行服务协议，因我行系统原因造成的重复扣款应由我行纠正，并承担由此给您造成的损失。".into(),
        outcome: LetterOutcome::Upheld,
        remedy: Some("已退回重复扣划的款项，并已修复清算批次切换时的报文重发问题。".into()),
        compensation: Some(money("1234.5")),
        review_offered: true,
        review_days: None,
        review_office: "我行上级机构示例银行北京分行消费者权益保护部".into(),
        mediation_body: Some("北京银行业保险业消费者权益保护中心".into()),
        hotline: "95500".into(),
    }
}

fn receipt() -> ReceiptInput {
    ReceiptInput {
        bank_name: "示例银行股份有限公司".into(),
        branch_name: "北京分行营业部".into(),
        wallet_id: "0031-0000-1234-5678".into(),
        customer_name: "李四".into(),
        masked_resident_id: "110105********123X".into(),
        tier: WalletTier::Tier1,
        previous_tier: Some(WalletTier::Tier2),
        limits: WalletLimits {
            balance_cap: None,
            per_payment: None,
            per_day: None,
            per_year: None,
        },
        fees: vec![FeeLine {
            label: "工本费".into(),
            amount: money("0"),
            per_use: false,
            waived: None,
        }],
        at: date(2026, 11, 23).and_hms_opt(14, 5, 0).expect("time"),
        teller_name: "王五".into(),
        bank_hotline: Some("95500".into()),
    }
}

/// Where a person finds the samples: the workspace's `target/documents/`.
fn sample_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/documents");
    std::fs::create_dir_all(&dir).expect("sample folder");
    dir
}

fn assert_pdf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"), "PDF header");
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..]).into_owned();
    assert!(tail.trim_end().ends_with("%%EOF"), "PDF trailer: {tail:?}");
}

fn pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes)
        .expect("readable PDF")
        .get_pages()
        .len()
}

/// All text on all pages, whitespace removed (lines break anywhere in Chinese).
fn page_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("readable PDF");
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&numbers)
        .expect("text extracts")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The embedded font programs: (base font name, bytes of the font program).
fn embedded_fonts(bytes: &[u8]) -> Vec<(String, usize)> {
    let doc = lopdf::Document::load_mem(bytes).expect("readable PDF");
    let mut out = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name = dict
            .get(b"FontName")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        for key in [b"FontFile2".as_slice(), b"FontFile3", b"FontFile"] {
            if let Ok(reference) = dict.get(key).and_then(|r| r.as_reference()) {
                let stream = doc
                    .get_object(reference)
                    .and_then(|o| o.as_stream())
                    .expect("font stream");
                out.push((name.clone(), stream.content.len()));
            }
        }
    }
    out
}

#[test]
fn the_letter_is_a_pdf_with_a_subset_font_and_the_customers_options() {
    let bytes = documents::decision_letter_with(&letter(), &font()).expect("letter");
    std::fs::write(sample_dir().join("decision-letter.pdf"), &bytes).expect("sample written");
    assert_pdf(&bytes);
    eprintln!(
        "decision letter: {} bytes, {} page(s)",
        bytes.len(),
        pages(&bytes)
    );
    assert!(bytes.len() < 200_000, "letter is {} bytes", bytes.len());

    let fonts = embedded_fonts(&bytes);
    assert_eq!(fonts.len(), 1, "one embedded font: {fonts:?}");
    let (name, size) = &fonts[0];
    eprintln!("embedded font: {name}, {size} bytes");
    // A subset's name carries a six-capital tag, "ABCDEF+NotoSansCJKsc-Regular".
    let (tag, _) = name.split_once('+').expect("subset tag in the font name");
    assert!(
        tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
        "{name}"
    );
    assert!(*size < 100_000, "embedded font program is {size} bytes");

    let text = page_text(&bytes);
    for expected in [
        "示例银行股份有限公司",
        "投诉处理决定书",
        "TS-2026-000123",
        "张三",
        "2026年11月2日",
        "2026年11月16日",
        "一、调查结果",
        "二、理由",
        "款项被重复扣划一次。我行已对此进行调查核实",
        "人民币1,234.50元",
        "收到本决定书之日起30日内",
        "书面形式",
        "申请调解",
        "北京银行业保险业消费者权益保护中心",
        "申请仲裁",
        "人民法院",
        "95500",
        "第1页/共1页",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
}

#[test]
fn a_long_finding_flows_onto_more_pages() {
    let font = font();
    let short = documents::decision_letter_with(&letter(), &font).expect("letter");
    let mut long = letter();
    long.findings =
        "经逐笔核对您账户的交易明细、清算文件与渠道日志，我行确认相关交易的处理过程如下。"
            .repeat(60);
    long.reasons = format!(
        "{} Reference: settlement-batch-20261028-0001. ",
        long.reasons
    )
    .repeat(8);
    let bytes = documents::decision_letter_with(&long, &font).expect("long letter");
    std::fs::write(sample_dir().join("decision-letter-long.pdf"), &bytes).expect("sample written");
    assert_pdf(&bytes);
    let (short_pages, long_pages) = (pages(&short), pages(&bytes));
    eprintln!("long letter: {} bytes, {long_pages} pages", bytes.len());
    assert!(
        long_pages > short_pages,
        "{long_pages} pages vs {short_pages}"
    );
    let text = page_text(&bytes);
    assert!(text.contains(&format!("第{long_pages}页/共{long_pages}页")));
    // Latin words are kept whole on a line where they fit.
    assert!(text.contains("settlement-batch-20261028-0001"));
}

#[test]
fn a_review_decision_does_not_offer_another_review() {
    let mut input = letter();
    input.review_offered = false;
    input.review_days = Some(15);
    let text = page_text(&documents::decision_letter_with(&input, &font()).expect("letter"));
    assert!(!text.contains("15日内"), "{text}");
    assert!(text.contains("不再受理复核"));
    assert!(text.contains("申请调解") && text.contains("申请仲裁") && text.contains("人民法院"));
}

#[test]
fn letter_input_is_checked() {
    let font = font();
    let mut input = letter();
    input.compensation = Some(money("-1"));
    assert!(matches!(
        documents::decision_letter_with(&input, &font),
        Err(DocumentError::InvalidInput(_))
    ));
    let mut input = letter();
    input.findings = "  ".into();
    assert!(matches!(
        documents::decision_letter_with(&input, &font),
        Err(DocumentError::InvalidInput(_))
    ));
    let mut input = letter();
    input.decided_on = date(2026, 11, 1);
    assert!(matches!(
        documents::decision_letter_with(&input, &font),
        Err(DocumentError::InvalidInput(_))
    ));
}

#[test]
fn the_receipt_shows_the_masked_id_limits_and_the_anti_fraud_line() {
    let bytes = documents::wallet_receipt_with(&receipt(), &font()).expect("receipt");
    std::fs::write(sample_dir().join("wallet-receipt.pdf"), &bytes).expect("sample written");
    assert_pdf(&bytes);
    eprintln!(
        "wallet receipt: {} bytes, {} page(s)",
        bytes.len(),
        pages(&bytes)
    );
    assert!(bytes.len() < 150_000, "receipt is {} bytes", bytes.len());
    assert_eq!(pages(&bytes), 1);
    let text = page_text(&bytes);
    for expected in [
        "钱包升级回单",
        "0031-0000-1234-5678",
        "李四",
        "110105********123X",
        "一类钱包（由二类钱包升级）",
        "余额上限：不限",
        "年累计支付限额：不限",
        "工本费：人民币0.00元",
        "2026年11月23日14:05",
        "王五",
        "不轻信、不透露、不转账",
        "96110",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }

    let mut opened = receipt();
    opened.previous_tier = None;
    opened.tier = WalletTier::Tier4;
    opened.fees.clear();
    opened.limits = WalletLimits {
        balance_cap: Some(money("10000")),
        per_payment: Some(money("2000")),
        per_day: Some(money("5000")),
        per_year: Some(money("50000")),
    };
    let bytes = documents::wallet_receipt_with(&opened, &font()).expect("receipt");
    std::fs::write(sample_dir().join("wallet-receipt-opened.pdf"), &bytes).expect("sample");
    let text = page_text(&bytes);
    for expected in [
        "钱包开立回单",
        "四类钱包",
        "余额上限：人民币10,000.00元",
        "年累计支付限额：人民币50,000.00元",
        "本次业务未收取费用",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
}

#[test]
fn the_receipt_prints_each_fee_a_waived_one_as_waived_and_the_amount_due() {
    let mut opened = receipt();
    opened.previous_tier = None;
    opened.tier = WalletTier::Tier4;
    let line = |label: &str, amount: &str, per_use: bool, waived: Option<&str>| FeeLine {
        label: label.into(),
        amount: money(amount),
        per_use,
        waived: waived.map(str::to_owned),
    };
    opened.fees = vec![
        line("开立钱包", "0", false, None),
        line("硬钱包工本费", "20", false, Some("活动减免")),
        line("跨行充值手续费", "1", true, None),
    ];
    let bytes = documents::wallet_receipt_with(&opened, &font()).expect("receipt");
    std::fs::write(sample_dir().join("wallet-receipt-fees.pdf"), &bytes).expect("sample");
    assert_eq!(pages(&bytes), 1);
    let text = page_text(&bytes);
    for expected in [
        "开立钱包：人民币0.00元（免费）",
        "硬钱包工本费：人民币20.00元—活动减免",
        "本次应付：人民币0.00元",
        "其他服务收费标准",
        "跨行充值手续费：人民币1.00元/次",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    assert!(!text.contains("本次业务未收取费用"), "{text}");

    // Not waived: the card is due.
    opened.fees[1].waived = None;
    let text = page_text(&documents::wallet_receipt_with(&opened, &font()).expect("receipt"));
    assert!(text.contains("本次应付：人民币20.00元"), "{text}");
}

#[test]
fn a_full_resident_id_never_reaches_a_receipt() {
    let mut input = receipt();
    input.masked_resident_id = "11010519491231002X".into();
    let err = documents::wallet_receipt_with(&input, &font()).expect_err("refused");
    assert!(matches!(err, DocumentError::InvalidInput(_)));
    assert!(
        !err.to_string().contains("19491231"),
        "the error echoes the ID: {err}"
    );
}

#[test]
fn characters_the_font_lacks_are_refused_not_printed_as_boxes() {
    let mut input = receipt();
    input.customer_name = "李四\u{1F600}".into();
    match documents::wallet_receipt_with(&input, &font()) {
        Err(DocumentError::MissingGlyphs(chars)) => assert_eq!(chars, "\u{1F600}"),
        other => panic!("expected MissingGlyphs, got {other:?}"),
    }
}

#[test]
fn the_simplified_chinese_face_of_the_collection_is_picked() {
    let font = font();
    eprintln!("font: {font:?}");
    assert!(font.family().contains("SC"), "{font:?}");
    assert!(!font.family().contains("Mono"), "{font:?}");
}

#[test]
fn a_missing_or_wrong_font_is_an_error_not_a_panic() {
    let missing = CjkFont::load(&FontSource::File {
        path: "/nonexistent/font.ttc".into(),
        face: None,
    });
    assert!(matches!(missing, Err(DocumentError::FontUnreadable { .. })));

    let garbage = CjkFont::from_bytes(b"not a font".to_vec(), None, Path::new("garbage"));
    assert!(matches!(garbage, Err(DocumentError::NotCjk { .. })));

    let system = font();
    let no_face = CjkFont::load(&FontSource::File {
        path: system.path().to_owned(),
        face: Some(99),
    });
    assert!(matches!(no_face, Err(DocumentError::NoSuchFace { .. })));

    // A Latin-only font is not taken for a Chinese one.
    let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.is_file() {
        let not_cjk = CjkFont::load(&FontSource::File {
            path: latin.to_owned(),
            face: None,
        });
        assert!(matches!(not_cjk, Err(DocumentError::NotCjk { .. })));
    }
}

#[test]
fn the_default_entry_points_use_the_system_font() {
    assert_pdf(&documents::decision_letter(&letter()).expect("letter"));
    assert_pdf(&documents::wallet_receipt(&receipt()).expect("receipt"));
}

#[test]
fn inputs_read_from_the_ui_s_json() {
    let letter: LetterInput = serde_json::from_value(serde_json::json!({
        "bankName": "示例银行", "branchName": "营业部", "caseNumber": "C-1",
        "customerName": "张三", "receivedOn": "2026-11-02", "decidedOn": "2026-11-16",
        "complaintSummary": "扣款", "findings": "属实", "reasons": "系统原因",
        "outcome": "partlyUpheld", "compensation": "10.00",
        "reviewOffice": "上级行", "hotline": "95500",
        // Not a field of the letter: ignored, never printed.
        "rootCause": "system"
    }))
    .expect("letter JSON");
    assert!(letter.review_offered);
    assert_eq!(letter.review_days, None);
    let text = page_text(&documents::decision_letter_with(&letter, &font()).expect("letter"));
    assert!(
        text.contains("部分成立") && text.contains("30日内"),
        "{text}"
    );
    assert!(!text.contains("system"), "{text}");

    let receipt: ReceiptInput = serde_json::from_value(serde_json::json!({
        "bankName": "示例银行", "branchName": "营业部", "walletId": "W-1",
        "customerName": "李四", "maskedResidentId": "110105********123X",
        "tier": "tier3", "limits": { "balanceCap": "20000.00", "perPayment": "5000", "perDay": "10000" },
        "at": "2026-11-23T14:05:00", "tellerName": "王五"
    }))
    .expect("receipt JSON");
    let text = page_text(&documents::wallet_receipt_with(&receipt, &font()).expect("receipt"));
    assert!(
        text.contains("三类钱包") && text.contains("年累计支付限额：不限"),
        "{text}"
    );
}

fn dispute_letter_input(
    body: walletdesk_core::documents::DisputeLetterBody,
) -> walletdesk_core::documents::DisputeLetterInput {
    walletdesk_core::documents::DisputeLetterInput {
        bank_name: "演示银行股份有限公司".into(),
        branch_name: "总行营业部".into(),
        case_number: "DP-2026-000001".into(),
        customer_name: "王芳".into(),
        transaction_on: date(2026, 9, 28),
        amount: money("66.60"),
        counterparty: "某网店".into(),
        notice_on: date(2026, 9, 30),
        hotline: "95xxx".into(),
        body,
    }
}

/// Dispute letters: the credit notice says the amount is credited and by when the bank
/// decides; the decision letter states the findings, what happens to the money and the
/// customer's options (review, mediation, arbitration, court).
#[test]
fn dispute_letters_state_the_credit_the_findings_and_the_customers_options() {
    use walletdesk_core::documents::{DisputeLetterBody, dispute_letter_with};
    let notice = dispute_letter_with(
        &dispute_letter_input(DisputeLetterBody::CreditNotice {
            credit_on: date(2026, 10, 9),
            decide_by: date(2026, 10, 20),
        }),
        &font(),
    )
    .expect("notice");
    assert_pdf(&notice);
    let text = page_text(&notice);
    for want in [
        "临时贷记通知书",
        "66.60",
        "2026年10月20日",
        "DP-2026-000001",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    let decision = dispute_letter_with(
        &dispute_letter_input(DisputeLetterBody::Decision {
            decided_on: date(2026, 10, 15),
            for_customer: false,
            findings: "商户提供的签收记录证明交易由本人完成。".into(),
            had_provisional_credit: true,
        }),
        &font(),
    )
    .expect("decision");
    let text = page_text(&decision);
    for want in [
        "争议交易处理决定书",
        "签收记录",
        "收回",
        "申请复核",
        "申请调解",
        "申请仲裁",
        "提起诉讼",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
}

mod campaign_report {
    use super::{font, page_text, pages, sample_dir};
    use walletdesk_core::documents;
    use walletdesk_core::insights::Metric;
    use walletdesk_core::insights::Scope;
    use walletdesk_core::insights::dashboard::{
        FunnelStage, InsightCampaignView, InsightFunnel, InsightFunnelStep, InsightPoint,
        InsightTrend,
    };
    use walletdesk_core::insights::report::{ReportParts, report_input};

    /// SPRING at BJ01 over 1 to 12 March 2026, as the dashboard answered on 31 March 18:00
    /// Beijing time: 4 sign-ups against 1 before (+300.0%), 83.3% activated, and so on.
    fn view(
        metric: Metric,
        during: &str,
        before: &str,
        change: Option<&str>,
    ) -> InsightCampaignView {
        InsightCampaignView {
            campaign: "SPRING".into(),
            name: "春季商场推广".into(),
            metric,
            from: "2026-03-01".into(),
            to: "2026-03-12".into(),
            before_from: "2026-02-17".into(),
            before_to: "2026-02-28".into(),
            branches: vec!["BJ01".into()],
            during: Some(during.into()),
            before: Some(before.into()),
            change: change.map(str::to_owned),
            without: Some("2".into()),
            won: Some("4".into()),
            as_of: "2026-03-31T10:00:00Z".into(),
            offline_copy: false,
        }
    }

    fn parts() -> ReportParts {
        let tiles = vec![
            view(Metric::SignUps, "4", "1", Some("300.0")),
            view(Metric::Activation, "83.3", "100.0", Some("-16.7")),
            view(Metric::MonthlyActive, "4", "1", Some("300.0")),
            view(Metric::TransactionsPerActive, "1.75", "2.00", Some("-12.5")),
            view(Metric::Satisfaction, "50.0", "100.0", Some("-50.0")),
            view(Metric::ComplaintRate, "2857.14", "0.00", None),
            view(Metric::IncentiveCostPerActivated, "13.33", "0.00", None),
        ];
        let points = (1..=12)
            .map(|d| InsightPoint {
                from: format!("2026-03-{d:02}"),
                to: format!("2026-03-{d:02}"),
                value: Some(if d % 3 == 0 { "1" } else { "0" }.into()),
            })
            .collect();
        let step = |stage, count, from_this_console| InsightFunnelStep {
            stage,
            count,
            from_this_console,
        };
        ReportParts {
            view: tiles[0].clone(),
            tiles,
            trend: InsightTrend {
                metric: Metric::SignUps,
                from: "2026-03-01".into(),
                to: "2026-03-12".into(),
                as_of: "2026-03-31T10:00:00Z".into(),
                offline_copy: false,
                points,
            },
            funnel: InsightFunnel {
                from: "2026-03-01".into(),
                to: "2026-03-12".into(),
                activation_days: 30,
                as_of: "2026-03-31T10:00:00Z".into(),
                offline_copy: false,
                steps: vec![
                    step(FunnelStage::Lead, 9, true),
                    step(FunnelStage::SignUp, 4, false),
                    step(FunnelStage::Verified, 3, true),
                    step(FunnelStage::Activated, 3, false),
                    step(FunnelStage::Active, 2, false),
                ],
            },
            scope: Scope::Branch("BJ01".into()),
            printed_by: "王主管".into(),
            printed_at: chrono::DateTime::parse_from_rfc3339("2026-04-01T01:30:00Z")
                .expect("time")
                .with_timezone(&chrono::Utc),
        }
    }

    fn print(parts: &ReportParts, sample: &str) -> Vec<u8> {
        let input = report_input(parts).expect("worded");
        let bytes = documents::campaign_report_with(&input, &font()).expect("report");
        std::fs::write(sample_dir().join(sample), &bytes).expect("sample written");
        bytes
    }

    /// The page's size in points, from its MediaBox.
    fn media_box(bytes: &[u8]) -> Vec<f32> {
        let doc = lopdf::Document::load_mem(bytes).expect("readable PDF");
        let (_, page) = doc.get_pages().into_iter().next().expect("a page");
        let dict = doc.get_dictionary(page).expect("page dictionary");
        dict.get(b"MediaBox")
            .and_then(|b| b.as_array())
            .expect("MediaBox")
            .iter()
            .map(|n| {
                n.as_float()
                    .or_else(|_| n.as_i64().map(|i| i as f32))
                    .expect("number")
            })
            .collect()
    }

    #[test]
    fn a_campaign_report_is_one_a4_page_with_its_campaign_as_of_scope_and_numbers() {
        let bytes = print(&parts(), "campaign-report.pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(pages(&bytes), 1);
        assert_eq!(media_box(&bytes), [0.0, 0.0, 595.0, 842.0], "A4 portrait");
        let text = page_text(&bytes);
        for expected in [
            // Title: the campaign's name and code; its periods and branches.
            "春季商场推广（SPRING）活动效果报告",
            "活动期2026-03-01至2026-03-12，活动前2026-02-17至2026-02-28",
            // The as-of time in Beijing time (10:00 UTC), and the scope.
            "数据截至2026年3月31日18:00。",
            "统计范围：网点BJ01。",
            // Tiles: during, before and change, in each metric's unit.
            "签约数",
            "活动前1，变化+300.0%",
            "83.3%",
            "活动前100.0%，变化-16.7%",
            "¥13.33",
            "2857.14",
            // The before/after bars with their numbers and the change in words.
            "开展网点·活动期",
            "未开展网点·活动期",
            "开展网点活动期比活动前变化+300.0%。",
            // The funnel's steps with counts, the console's own marked.
            "线索（本机数据）",
            "已实名（本机数据）",
            // The trend's days.
            "03-12",
            // Who printed it, when (01:30 UTC is 09:30 in Beijing), and that it holds counts.
            "王主管打印于2026年4月1日09:30",
            "不含客户个人信息",
            "第1页/共1页",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text}");
        }
        assert!(!text.contains("本机保存"), "online: no offline note");
    }

    #[test]
    fn an_offline_campaign_report_says_so_with_the_oldest_as_of_among_its_answers() {
        let mut parts = parts();
        parts.trend.offline_copy = true;
        parts.trend.as_of = "2026-03-30T02:05:00Z".into();
        let text = page_text(&print(&parts, "campaign-report-offline.pdf"));
        assert!(
            text.contains(
                "无法连接核心系统：显示的是本机保存的上次结果（截至2026年3月30日10:05）。"
            ),
            "{text}"
        );
        assert!(text.contains("数据截至2026年3月30日10:05。"), "{text}");
    }

    #[test]
    fn a_long_campaign_name_and_a_full_trend_still_fit_one_page() {
        let mut parts = parts();
        let long =
            "二〇二六年春季商场联合推广暨数字人民币钱包开立满减立减红包回馈老客户活动".repeat(3);
        parts.view.name = long.clone();
        parts.view.branches = (1..=40).map(|i| format!("BJ{i:02}")).collect();
        parts.view.offline_copy = true;
        parts.scope = Scope::Everything;
        let bytes = print(&parts, "campaign-report-long.pdf");
        assert_eq!(pages(&bytes), 1);
        let text = page_text(&bytes);
        assert!(text.contains("…"), "cut to fit, and shown to be cut");
        assert!(text.contains("统计范围：总行（全部网点）。"), "{text}");
        assert!(text.contains("第1页/共1页"));
    }
}
