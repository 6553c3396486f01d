//! The dispute desk through the console and the sync engine to the real sandbox: a dispute
//! opened on a payment pulled from the core, a provisional credit proposed and approved by a
//! second supervisor (never the proposer), sent through the outbox across an injected
//! timeout and credited exactly once; a decision for the bank reverses it.

use super::onboarding::counter_as;
use super::{client, drain, ledger_counts, set_faults};
use walletdesk_core::access::Role;
use walletdesk_core::complaints::console::CalendarText;
use walletdesk_core::console::SignInInput;
use walletdesk_core::disputes::desk::{
    ApprovalKind, CreditDecisionInput, DisputeDecisionInput, DisputeLetterRequest,
    DisputeQueueKind, DisputeQueueQuery, DisputeTextInput, EvidenceInput, EvidenceKind,
    OpenDisputeInput,
};
use walletdesk_core::disputes::stats::DisputeStatsQuery;
use walletdesk_core::documents::DisputeLetterKind;
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::sync::{OutboxState, outbox};
use walletdesk_core::{Code, Console};
use walletdesk_corebank::v1;

/// The password `counter_as` gives everyone it sets up.
const PW: &str = "teller-pass-2026";

async fn become_(c: &Console, username: &str) {
    c.sign_out().await.ok();
    c.sign_in(SignInInput {
        username: username.into(),
        password: PW.into(),
    })
    .await
    .expect("sign in");
}

/// Two supervisors besides the dispute handler "li.na".
async fn supervisors(c: &Console) {
    become_(c, "admin").await;
    for name in ["sup.a", "sup.b"] {
        c.staff_create(NewStaffInput {
            username: name.into(),
            display_name: name.into(),
            role: Role::Supervisor,
            password: PW.into(),
        })
        .await
        .expect("supervisor");
    }
}

/// A payment out of customer 1's first wallet, made at the core now.
async fn payment_out(url: &str, wallet: &str, key: &str, amount: &str) -> v1::Transaction {
    client(url)
        .pay(
            key,
            &v1::PaymentRequest {
                wallet_id: wallet.into(),
                amount: amount.into(),
                direction: "out".into(),
                counterparty: "某网店".into(),
                memo: None,
                payment_password: Some(v1::SANDBOX_PAYMENT_PASSWORD.into()),
            },
        )
        .await
        .expect("payment out")
}

fn open_input(transaction: &v1::Transaction) -> OpenDisputeInput {
    OpenDisputeInput {
        customer_id: "1".into(),
        transaction_id: transaction.id.clone(),
        reason: "unauthorised".into(),
        statement_on: None,
        account_opened_on: None,
        point_of_sale: false,
        foreign: false,
    }
}

#[tokio::test]
async fn a_provisional_credit_approved_by_a_second_supervisor_is_credited_exactly_once_across_a_timeout()
 {
    let sandbox = super::sandbox(5).await;
    let url = sandbox.url();
    let (_dir, c, engine, store) = counter_as(&url, Role::Disputes).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    supervisors(&c).await;
    become_(&c, "li.na").await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let wallet = profile.wallets[0].id.clone();
    let paid = payment_out(&url, &wallet, "wd-test-dispute-pay-1", "66.60").await;

    // Opened from the transaction the core holds; a second report of it is refused in words.
    let opened = c.dispute_open(open_input(&paid)).await.expect("open");
    assert_eq!(opened.amount.to_string(), "66.60");
    assert_eq!(opened.wallet_id, wallet);
    let again = c
        .dispute_open(open_input(&paid))
        .await
        .expect_err("one dispute per transaction");
    assert_eq!(again.code(), Code::Conflict);
    assert_eq!(again.fields()[0].code, "dispute_exists");
    c.dispute_add_evidence(EvidenceInput {
        dispute_id: opened.id,
        kind: EvidenceKind::Screenshot,
        description: "客户提供的未授权交易截图".into(),
    })
    .await
    .expect("evidence");
    let team = c
        .dispute_queue(DisputeQueueQuery {
            queue: DisputeQueueKind::Unassigned,
            after: None,
            limit: 10,
        })
        .await
        .expect("queue");
    assert_eq!(team.rows[0].id, opened.id);

    // The handler cannot approve; a supervisor proposes, and may not approve their own.
    become_(&c, "sup.a").await;
    let proposed = c
        .dispute_propose_credit(DisputeTextInput {
            dispute_id: opened.id,
            text: "未授权交易，先行临时贷记".into(),
        })
        .await
        .expect("proposed");
    assert!(!proposed.steps.propose_credit);
    let inbox = c.approvals_inbox().await.expect("inbox");
    let item = inbox
        .iter()
        .find(|i| i.kind == ApprovalKind::DisputeCredit)
        .expect("in the inbox");
    assert!(!item.may_decide, "the proposer may not decide");
    let own = c
        .dispute_decide_credit(CreditDecisionInput {
            proposal_id: item.id,
            approve: true,
            note: None,
        })
        .await
        .expect_err("maker = checker");
    assert_eq!(own.code(), Code::Conflict);
    assert_eq!(own.fields()[0].code, "maker_is_checker");
    become_(&c, "li.na").await;
    assert_eq!(
        c.approvals_inbox().await.expect_err("handler").code(),
        Code::Forbidden
    );

    // A second supervisor approves; the credit goes out through the outbox, whose first
    // answer is lost after the core applied it.
    become_(&c, "sup.b").await;
    let approved = c
        .dispute_decide_credit(CreditDecisionInput {
            proposal_id: item.id,
            approve: true,
            note: Some("同意".into()),
        })
        .await
        .expect("approved");
    assert!(approved.credit_on.is_some());
    let notice = c
        .dispute_letter(DisputeLetterRequest {
            dispute_id: opened.id,
            kind: DisputeLetterKind::CreditNotice,
        })
        .await
        .expect("credit notice");
    assert!(notice.bytes.starts_with(b"%PDF-"));
    // The opening and the evidence reach the core first (same aggregate, in order).
    engine.push_once().await.expect("open");
    engine.push_once().await.expect("evidence");
    set_faults(
        &sandbox,
        v1::Faults {
            apply_then_timeout_rate: 1000,
            stall_ms: 1_500,
            ..v1::Faults::default()
        },
    )
    .await;
    let report = engine.push_once().await.expect("credit");
    assert_eq!((report.sent, report.retrying), (1, 1));
    set_faults(&sandbox, v1::Faults::default()).await;
    drain(&engine, &store).await;

    let items = outbox::list(store.read(), None, 20).await.expect("outbox");
    let credit = items
        .iter()
        .find(|i| i.kind == "dispute.provisional_credit")
        .expect("credit queued");
    assert_eq!(credit.state, OutboxState::Done);
    assert_eq!(credit.attempts, 2, "retried once after the timeout");
    for (key, times) in ledger_counts(&sandbox, &store).await {
        assert!(times <= 1, "{key} applied {times} times");
    }
    let credits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM transactions WHERE wallet_id = ? AND direction = 'in' \
         AND memo LIKE '争议 % 临时贷记'",
    )
    .bind(&wallet)
    .fetch_one(sandbox.store().pool())
    .await
    .expect("ledger");
    assert_eq!(credits, 1, "credited exactly once");
    let (status, provisional, evidence): (String, Option<i64>, i64) = sqlx::query_as(
        "SELECT status, provisional_credit_id, \
         (SELECT COUNT(*) FROM dispute_evidence e WHERE e.dispute_id = d.id) \
         FROM disputes d WHERE transaction_id = ?",
    )
    .bind(paid.id.parse::<i64>().expect("numeric id"))
    .fetch_one(sandbox.store().pool())
    .await
    .expect("core dispute");
    assert_eq!(status, "open");
    assert!(provisional.is_some());
    assert_eq!(evidence, 1);

    // Decided for the customer: the provisional credit stands, nothing more is credited.
    become_(&c, "li.na").await;
    let decided = c
        .dispute_decide(DisputeDecisionInput {
            dispute_id: opened.id,
            for_customer: true,
            findings: "核实为盗刷，支持客户".into(),
            user_fault_proven: false,
        })
        .await
        .expect("decided");
    assert!(!decided.steps.decide);
    let letter = c
        .dispute_letter(DisputeLetterRequest {
            dispute_id: opened.id,
            kind: DisputeLetterKind::Decision,
        })
        .await
        .expect("decision letter");
    assert!(letter.bytes.starts_with(b"%PDF-"));
    assert!(letter.file_name.ends_with("争议处理决定书.pdf"));
    drain(&engine, &store).await;
    let (status, credit_id): (String, Option<i64>) =
        sqlx::query_as("SELECT status, credit_id FROM disputes WHERE transaction_id = ?")
            .bind(paid.id.parse::<i64>().expect("numeric id"))
            .fetch_one(sandbox.store().pool())
            .await
            .expect("core dispute");
    assert_eq!((status.as_str(), credit_id), ("decided-customer", None));

    // The Customer 360 lists the dispute among the customer's cases.
    let cases = c.customer_cases("1".into()).await.expect("cases");
    assert_eq!(cases.disputes[0].case_no, opened.case_no);
    assert_eq!(cases.disputes[0].status, "decided_customer");

    // Statistics: one unauthorised dispute, decided for the customer on time, 66.60 credited.
    let today = walletdesk_core::clock::local_date(chrono::Utc::now());
    let query = DisputeStatsQuery {
        from: today,
        to: today,
    };
    let stats = c.dispute_stats(query.clone()).await.expect("stats");
    let all = stats.rows.last().expect("total line");
    assert_eq!(
        (all.reason.as_str(), all.opened, all.decided_customer),
        ("all", 1, 1)
    );
    assert_eq!(all.on_time_rate.as_deref(), Some("100.0"));
    assert_eq!(all.credited.to_string(), "66.60");
    let csv = c.dispute_stats_csv(query.clone()).await.expect("csv");
    assert!(
        csv.content
            .contains("unauthorised,1,0,1,0,1,100.0,66.60,0.00"),
        "{}",
        csv.content
    );
    let xlsx = c.dispute_stats_xlsx(query).await.expect("xlsx");
    assert!(xlsx.bytes.starts_with(b"PK"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_decision_for_the_bank_reverses_the_credit_and_a_spent_credit_says_what_to_do() {
    let sandbox = super::sandbox(5).await;
    let url = sandbox.url();
    let (_dir, c, engine, store) = counter_as(&url, Role::Disputes).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    supervisors(&c).await;
    become_(&c, "li.na").await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let wallet = profile.wallets[0].id.clone();
    let paid = payment_out(&url, &wallet, "wd-test-dispute-pay-2", "30.00").await;
    let mut input = open_input(&paid);
    input.reason = "duplicate".into();
    let opened = c.dispute_open(input).await.expect("open");
    c.dispute_propose_credit(DisputeTextInput {
        dispute_id: opened.id,
        text: "疑似重复扣款".into(),
    })
    .await
    .expect("proposed");
    become_(&c, "sup.a").await;
    let inbox = c.approvals_inbox().await.expect("inbox");
    assert!(inbox[0].may_decide);
    c.dispute_decide_credit(CreditDecisionInput {
        proposal_id: inbox[0].id,
        approve: true,
        note: None,
    })
    .await
    .expect("approved");
    drain(&engine, &store).await;

    // The customer spends everything, the credit included.
    let balance: i64 = sqlx::query_scalar("SELECT balance_fen FROM wallets WHERE id = ?")
        .bind(&wallet)
        .fetch_one(sandbox.store().pool())
        .await
        .expect("balance");
    let yuan = format!("{}.{:02}", balance / 100, balance % 100);
    payment_out(&url, &wallet, "wd-test-dispute-spend", &yuan).await;

    become_(&c, "li.na").await;
    c.dispute_decide(DisputeDecisionInput {
        dispute_id: opened.id,
        for_customer: false,
        findings: "商户证明并非重复扣款".into(),
        user_fault_proven: false,
    })
    .await
    .expect("decided for the bank");
    for _ in 0..5 {
        engine.sync_now().await.ok();
    }
    let view = c.dispute_get(opened.id).await.expect("view");
    let reverse = view
        .money_steps
        .iter()
        .find(|s| s.kind == "dispute.reverse")
        .expect("reversal queued");
    assert_eq!(reverse.state, OutboxState::Attention);
    assert_eq!(reverse.advice.as_deref(), Some("reversal_spent"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn attachments_refused_for_empty_too_large_executable_and_path_names_leave_nothing_behind() {
    use walletdesk_core::disputes::attachments::AttachmentInput;
    let sandbox = super::sandbox(5).await;
    let url = sandbox.url();
    let (_dir, c, engine, store) = counter_as(&url, Role::Disputes).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let wallet = profile.wallets[0].id.clone();
    let paid = payment_out(&url, &wallet, "wd-test-dispute-pay-3", "12.00").await;
    let opened = c.dispute_open(open_input(&paid)).await.expect("open");
    let queued_before = outbox::list(store.read(), None, 50)
        .await
        .expect("outbox")
        .len();
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let attach = |file_name: &str, bytes: Vec<u8>| AttachmentInput {
        dispute_id: opened.id,
        kind: EvidenceKind::Receipt,
        description: "客户提交的凭证".into(),
        file_name: file_name.into(),
        bytes,
    };
    let fifty_mb = [&pdf[..], &vec![0u8; 50 * 1024 * 1024][..]].concat();
    for (input, field, code) in [
        (attach("empty.pdf", Vec::new()), "bytes", "attachment_empty"),
        (attach("big.pdf", fifty_mb), "bytes", "attachment_too_large"),
        (
            attach(
                "invoice.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec(),
            ),
            "bytes",
            "attachment_executable",
        ),
        (
            attach("../../etc/receipt.pdf", pdf.clone()),
            "fileName",
            "attachment_name_invalid",
        ),
        (
            attach("C:\\Users\\x\\receipt.pdf", pdf.clone()),
            "fileName",
            "attachment_name_invalid",
        ),
    ] {
        let refused = c.dispute_attach(input).await.expect_err("refused");
        assert_eq!(refused.code(), Code::InvalidInput);
        assert_eq!(
            (
                refused.fields()[0].field.as_str(),
                refused.fields()[0].code.as_str()
            ),
            (field, code)
        );
    }
    // Nothing behind: no file, no evidence row, nothing queued for the core.
    let (files, evidence): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM dispute_attachments), (SELECT COUNT(*) FROM dispute_evidence)",
    )
    .fetch_one(store.read())
    .await
    .expect("counts");
    assert_eq!((files, evidence), (0, 0));
    assert_eq!(
        outbox::list(store.read(), None, 50)
            .await
            .expect("outbox")
            .len(),
        queued_before
    );

    // A real PDF is kept: hashed, sealed (not in clear in the store), listed with who added it,
    // and opens back to the same bytes; its name, type, size and hash go to the core.
    let kept = c
        .dispute_attach(attach("小票.pdf", pdf.clone()))
        .await
        .expect("kept");
    let file = &kept.attachments[0];
    assert_eq!(
        (file.media_type.as_str(), file.added_by.as_str()),
        ("application/pdf", "li.na")
    );
    assert_eq!(file.size_bytes, pdf.len() as i64);
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT content_sealed FROM dispute_attachments")
        .fetch_one(store.read())
        .await
        .expect("sealed");
    assert!(
        !sealed.windows(8).any(|w| w == &pdf[..8]),
        "content in clear"
    );
    let opened_file = c.dispute_attachment(file.id).await.expect("opens");
    assert_eq!(opened_file.bytes, pdf);
    drain(&engine, &store).await;
    let description: String =
        sqlx::query_scalar("SELECT description FROM dispute_evidence ORDER BY id DESC LIMIT 1")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("core evidence");
    assert!(description.contains(&file.sha256), "{description}");
    sandbox.shutdown().await;
}

/// One calendar per deployment: when a supervisor corrects it, an open dispute's stored
/// deadline (what the queues sort and warn on) moves with it, as the complaints' do.
#[tokio::test]
async fn a_calendar_correction_moves_the_deadline_of_every_open_dispute() {
    let sandbox = super::sandbox(5).await;
    let url = sandbox.url();
    let (_dir, c, engine, store) = counter_as(&url, Role::Disputes).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    supervisors(&c).await;
    become_(&c, "li.na").await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let wallet = profile.wallets[0].id.clone();
    let paid = payment_out(&url, &wallet, "wd-test-dispute-pay-cal", "12.00").await;
    let opened = c.dispute_open(open_input(&paid)).await.expect("open");
    let due = opened.due_on;

    // The supervisor makes the due day a holiday.
    become_(&c, "sup.a").await;
    let mut text = c.complaint_calendar().await.expect("calendar").text;
    text.push_str(&format!("\n{due} holiday\n"));
    let update = c
        .complaint_calendar_set(CalendarText { text })
        .await
        .expect("calendar corrected");
    assert!(update.moved >= 1, "{update:?}");

    become_(&c, "li.na").await;
    let view = c.dispute_get(opened.id).await.expect("view");
    assert!(
        view.due_on > due,
        "due {} after making {due} a holiday",
        view.due_on
    );
    let queued = c
        .dispute_queue(DisputeQueueQuery {
            queue: DisputeQueueKind::Team,
            after: None,
            limit: 0,
        })
        .await
        .expect("team queue");
    let row = queued
        .rows
        .iter()
        .find(|r| r.id == opened.id)
        .expect("the dispute in the team queue");
    assert_eq!(row.due_on, view.due_on, "the queue sorts on the moved date");
    sandbox.shutdown().await;
}
