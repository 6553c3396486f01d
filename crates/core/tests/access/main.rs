//! The role x command matrix (`access::COMMANDS`): every command the shell registers, called
//! as every role, signed out and locked, against a seeded store. A command either gets past
//! its guard, or is refused with the right code, and a `forbidden` leaves an audit record.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use walletdesk_core::access::{self, COMMANDS, Guard, Role};
use walletdesk_core::audit::AuditQuery;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::complaints::console::{CalendarText, PeriodInput};
use walletdesk_core::complaints::decision::{
    DecideInput, ReviewRequestInput, SuggestionInput, SurveyInput,
};
use walletdesk_core::complaints::intake::{Complainant, NewCategoryInput, NewComplaintInput};
use walletdesk_core::complaints::letter::LetterRequest;
use walletdesk_core::complaints::queue::{QueueKind, QueueQuery};
use walletdesk_core::complaints::stats::{StatsDimension, StatsQuery};
use walletdesk_core::complaints::work::{
    AddRepresentativeInput, AssignInput, CaseTextInput, ContactInput, ExtensionDecisionInput,
    InterestInput, MergeRepeatInput, WithdrawInput,
};
use walletdesk_core::complaints::{Channel, ContactKind, ContactOutcome, RootCause, Severity};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput, UnlockInput};
use walletdesk_core::corelink::{
    CodeSent, CoreChange, CoreChecks, CoreIdentity, CoreLink, CoreSync, LinkError, ScreeningOutcome,
};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::customers::SearchQuery;
use walletdesk_core::customers::profile::{
    CardLinkInput, ConsentWithdrawalInput, IdRenewalInput, NoteInput, RevealInput, TierChangeInput,
    WalletReceiptInput,
};
use walletdesk_core::disputes::attachments::AttachmentInput;
use walletdesk_core::disputes::desk::{
    CreditDecisionInput, DisputeAssignInput, DisputeDecisionInput, DisputeLetterRequest,
    DisputeQueueKind, DisputeQueueQuery, DisputeTextInput, EvidenceInput, EvidenceKind,
    OpenDisputeInput,
};
use walletdesk_core::disputes::stats::DisputeStatsQuery;
use walletdesk_core::documents::DisputeLetterKind;
use walletdesk_core::documents::LetterOutcome;
use walletdesk_core::onboarding::{DraftData, SaveDraftInput, VerifyCodeInput};
use walletdesk_core::settings::Settings;
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::staff_admin::{BranchChangeInput, PasswordChangeInput, RoleChangeInput};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{
    DiscardInput, Engine, EngineConfig, NewOperation, ResendInput, outbox, readmodel,
};
use walletdesk_core::team::dispute_console::{
    TeamDisputeDecisionInput, TeamDisputeEvidenceInput, TeamDisputeStepInput, TeamDisputeTextInput,
};
use walletdesk_core::{Code, Console, Error};

mod resend;

pub const PW: &str = "matrix-pass-2026";
/// The one-time code the fake core accepts.
pub const RIGHT_CODE: &str = "246810";

/// A core that answers the counter's checks from memory and records what it was asked.
#[derive(Debug, Default)]
pub struct FakeCore {
    /// Names screened, in order.
    pub screened: Mutex<Vec<(String, String)>>,
    /// Mobiles a code was sent to.
    pub codes_sent: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl CoreLink for FakeCore {
    fn url(&self) -> String {
        "http://core.test".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("not probed in these tests".into()))
    }
}

#[async_trait::async_trait]
impl CoreChecks for FakeCore {
    async fn send_code(&self, mobile: &str) -> Result<CodeSent, LinkError> {
        let mut sent = self.codes_sent.lock().expect("lock");
        sent.push(mobile.to_owned());
        Ok(CodeSent {
            challenge_id: format!("ch-{}", sent.len()),
            masked_mobile: format!("{}****{}", &mobile[..3], &mobile[7..]),
            training_code: Some(RIGHT_CODE.into()),
        })
    }
    async fn verify_code(&self, _challenge_id: &str, code: &str) -> Result<bool, LinkError> {
        Ok(code == RIGHT_CODE)
    }
    /// Anyone whose name holds 黑 is on the watchlist.
    async fn screen(&self, name: &str, resident_id: &str) -> Result<ScreeningOutcome, LinkError> {
        self.screened
            .lock()
            .expect("lock")
            .push((name.to_owned(), resident_id.to_owned()));
        Ok(if name.contains('黑') {
            ScreeningOutcome::Hit {
                reason: "watchlist".into(),
            }
        } else {
            ScreeningOutcome::Clear
        })
    }
}

impl CoreSync for FakeCore {}

/// A console with a sync engine over the fake core, one staff member per role, a customer
/// with a wallet and a consent in the read model, a complaint case, a suggestion, and one
/// refused operation per role made by that role's staff member.
#[derive(Debug)]
pub struct Bench {
    pub c: Console,
    pub pool: SqlitePool,
    pub core: Arc<FakeCore>,
    pub sealer: Sealer,
    pub staff: Vec<(Role, i64)>,
    pub case_id: i64,
    pub suggestion_id: i64,
}

pub fn username(role: Role) -> String {
    format!("{}.one", role.as_str())
}

pub fn sign_in(role: Role) -> SignInInput {
    SignInInput {
        username: username(role),
        password: PW.into(),
    }
}

impl Bench {
    pub async fn new(pool: SqlitePool) -> Bench {
        let clock = ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
                .single()
                .expect("valid time"),
        );
        // One connection, as the app's writer: a refusal's audit record and the next command
        // run in order.
        let single = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with((*pool.connect_options()).clone())
            .await
            .expect("single-writer pool");
        let store = Store::from_pool(single);
        let core = Arc::new(FakeCore::default());
        let sealer = Sealer::new(&DataKey::generate());
        let engine = Engine::new(
            store.clone(),
            sealer.clone(),
            core.clone(),
            Arc::new(clock.clone()),
            EngineConfig::default(),
        );
        let c = Console::new(
            store,
            Arc::new(clock),
            core.clone(),
            ConsoleConfig {
                training_mode: false,
                idle_lock_override: Some(u32::MAX),
                version: "test".into(),
            },
        )
        .with_sync(engine);
        c.setup_admin(SetupAdminInput {
            username: username(Role::Admin),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
        c.sign_in(sign_in(Role::Admin)).await.expect("admin in");
        let mut staff = vec![(Role::Admin, 1)];
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let made = c
                .staff_create(NewStaffInput {
                    username: username(role),
                    display_name: format!("{} 一号", role.as_str()),
                    role,
                    password: PW.into(),
                })
                .await
                .expect("create staff");
            staff.push((role, made.staff_id));
        }
        c.sign_out().await.expect("out");

        let mut tx = pool.begin().await.expect("begin");
        for change in [
            CoreChange {
                cursor: "1".into(),
                kind: "customer".into(),
                id: "1".into(),
                data: json!({"id": "1", "name": "张三丰", "maskedResidentId": "110105********002X",
                    "mobile": "13812345678", "birthDate": "1980-01-01", "sex": "male",
                    "createdAt": "2025-01-01T00:00:00Z"}),
            },
            CoreChange {
                cursor: "2".into(),
                kind: "wallet".into(),
                id: "0001000200030004".into(),
                data: json!({"id": "0001000200030004", "customerId": "1", "tier": 4,
                    "balance": "10.00", "status": "active", "openedAt": "2025-01-01T00:00:00Z"}),
            },
            CoreChange {
                cursor: "3".into(),
                kind: "consent".into(),
                id: "k1".into(),
                data: json!({"id": "k1", "customerId": "1", "scope": "third-party-sharing",
                    "version": "2026-01", "status": "granted",
                    "grantedAt": "2025-01-01T00:00:00Z"}),
            },
        ] {
            readmodel::apply(&mut tx, &sealer, &change)
                .await
                .expect("apply");
        }
        tx.commit().await.expect("commit");

        c.sign_in(sign_in(Role::Complaints)).await.expect("in");
        let case = c
            .complaint_register(NewComplaintInput {
                channel: Channel::Counter,
                complainant: Complainant::Customer {
                    customer_id: "1".into(),
                },
                product: "数字钱包".into(),
                category_id: 2,
                what_happened: "A payment was taken twice.".into(),
                customer_asks: "Refund the second payment.".into(),
                severity: Severity::Medium,
                received_on: None,
                team: "desk-a".into(),
                representatives: Vec::new(),
                interested_staff_ids: Vec::new(),
                linked_id: None,
            })
            .await
            .expect("register");
        let suggestion_id = c
            .complaint_suggest(SuggestionInput {
                case_id: Some(case.id),
                idea: "Show the duplicate check on the receipt.".into(),
                suggested_by: "customer".into(),
            })
            .await
            .expect("suggest");
        c.sign_out().await.expect("out");

        let bench = Bench {
            c,
            pool,
            core,
            sealer,
            staff,
            case_id: case.id,
            suggestion_id,
        };
        for (_, staff_id) in bench.staff.clone() {
            bench.refused_operation(Some(staff_id)).await;
        }
        bench
    }

    pub fn staff_id(&self, role: Role) -> i64 {
        self.staff
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, id)| *id)
            .expect("a staff member per role")
    }

    /// Queues a customer creation made by `maker` and marks it refused by the core, as the
    /// engine does with a final 4xx. Returns its outbox id.
    pub async fn refused_operation(&self, maker: Option<i64>) -> i64 {
        self.refused(
            maker,
            "customer.create",
            json!({
                "externalId": "5f0c7d1e-0000-4000-8000-000000000001",
                "name": "王小明",
                "residentId": "11010519491231002X",
                "mobile": "13812345678",
            }),
        )
        .await
    }

    pub async fn refused(&self, maker: Option<i64>, kind: &str, body: serde_json::Value) -> i64 {
        let mut tx = self.pool.begin().await.expect("begin");
        let id = outbox::enqueue(
            &mut tx,
            &self.sealer,
            NewOperation {
                aggregate: format!("customer:{}", uuid_like(maker)),
                kind: kind.into(),
                subject: None,
                body,
                summary: "开户 王** 138****5678".into(),
                record_ref: None,
            },
            Utc::now(),
            maker,
        )
        .await
        .expect("enqueue");
        sqlx::query(
            "UPDATE outbox SET state = 'attention', attention_reason = 'mobile rejected' \
             WHERE id = ?",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .expect("refuse");
        tx.commit().await.expect("commit");
        id
    }

    /// The operation `role`'s staff member made (one each, seeded).
    pub async fn own_operation(&self, role: Role) -> i64 {
        sqlx::query_scalar("SELECT MIN(id) FROM outbox WHERE created_by = ?")
            .bind(self.staff_id(role))
            .fetch_one(&self.pool)
            .await
            .expect("own operation")
    }

    pub async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?")
            .bind(action)
            .fetch_one(&self.pool)
            .await
            .expect("count")
    }
}

fn uuid_like(maker: Option<i64>) -> String {
    format!("maker-{}", maker.unwrap_or(0))
}

/// What the commands of one pass address: seeded records, or ids that do not exist (a role
/// without the permission must get `forbidden` either way: nothing is read before the check).
#[derive(Debug, Clone)]
struct Targets {
    customer: String,
    wallet: String,
    consent: String,
    case_id: i64,
    extension_id: i64,
    suggestion_id: i64,
    outbox_id: i64,
    draft_id: i64,
}

impl Targets {
    async fn seeded(bench: &Bench, role: Role) -> Targets {
        Targets {
            customer: "1".into(),
            wallet: "0001000200030004".into(),
            consent: "k1".into(),
            case_id: bench.case_id,
            extension_id: 1,
            suggestion_id: bench.suggestion_id,
            outbox_id: bench.own_operation(role).await,
            draft_id: 1,
        }
    }

    fn missing() -> Targets {
        Targets {
            customer: "no-such-customer".into(),
            wallet: "no-such-wallet".into(),
            consent: "no-such-consent".into(),
            case_id: 999_999,
            extension_id: 999_999,
            suggestion_id: 999_999,
            outbox_id: 999_999,
            draft_id: 999_999,
        }
    }
}

/// The session state a pass runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    SignedOut,
    Active(Role),
    Locked(Role),
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Calls the command `name` with inputs aimed at `t`. Every name in `COMMANDS` has an arm:
/// a new command without one fails the matrix test here.
fn team_dispute_step(case_id: i64) -> TeamDisputeStepInput {
    TeamDisputeStepInput {
        dispute_id: case_id,
        version: 1,
    }
}

fn team_step(case_id: i64) -> walletdesk_core::team::console::TeamStepInput {
    walletdesk_core::team::console::TeamStepInput {
        case_id,
        version: 1,
        text: "已联系客户".into(),
    }
}

async fn call(c: &Console, name: &str, t: &Targets, state: State) -> Result<(), Error> {
    fn done<T>(r: Result<T, Error>) -> Result<(), Error> {
        r.map(|_| ())
    }
    let case_id = t.case_id;
    let text = |text: &str| CaseTextInput {
        case_id,
        text: text.into(),
    };
    let stats = StatsQuery {
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
        by: StatsDimension::Category,
    };
    let dispute_stats = || DisputeStatsQuery {
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
    };
    match name {
        "app_status" => done(c.status().await),
        "session_state" => done(c.session_state().await),
        "setup_admin" => done(
            c.setup_admin(SetupAdminInput {
                username: "second.admin".into(),
                display_name: "二号管理员".into(),
                password: PW.into(),
            })
            .await,
        ),
        "sign_in" => match state {
            // Signing in again as oneself keeps the pass's session.
            State::Active(role) => done(c.sign_in(sign_in(role)).await),
            // Elsewhere an unknown name: the pass's state must stay as it is.
            _ => done(
                c.sign_in(SignInInput {
                    username: "nobody".into(),
                    password: PW.into(),
                })
                .await,
            ),
        },
        "sign_out" => done(c.sign_out().await),
        "touch" => done(c.touch().await),
        "lock" => done(c.lock().await),
        "unlock" => done(
            c.unlock(UnlockInput {
                password: match state {
                    // A locked pass stays locked: a wrong password (one failure of five).
                    State::Locked(_) => "wrong-password".into(),
                    _ => PW.into(),
                },
            })
            .await,
        ),
        "audit_search" => done(
            c.audit_search(AuditQuery {
                text: None,
                action: None,
                outcome: None,
                from_date: None,
                to_date: None,
                after: None,
                limit: 10,
            })
            .await,
        ),
        "audit_verify" => done(c.audit_verify().await),
        "staff_list" => done(c.staff_list().await),
        "staff_create" => done(
            c.staff_create(NewStaffInput {
                username: format!("new.{}", uuid_like(Some(t.case_id))),
                display_name: "新员工".into(),
                role: Role::Teller,
                password: PW.into(),
            })
            .await,
        ),
        // A staff id that does not exist: the lifecycle would otherwise change the bench's
        // own accounts between passes (the guard is what this test checks).
        "staff_deactivate" => done(c.staff_deactivate(999_999).await),
        "staff_reactivate" => done(c.staff_reactivate(999_999).await),
        "staff_set_role" => done(
            c.staff_set_role(RoleChangeInput {
                staff_id: 999_999,
                role: Role::Teller,
            })
            .await,
        ),
        "staff_set_branch" => done(
            c.staff_set_branch(BranchChangeInput {
                staff_id: 999_999,
                branch: Some("SH-001".into()),
            })
            .await,
        ),
        "staff_require_password_change" => done(c.staff_require_password_change(999_999).await),
        // Too short a new password: refused after the guard, nothing changes.
        "password_change" => done(
            c.password_change(PasswordChangeInput {
                current_password: PW.into(),
                new_password: "short".into(),
            })
            .await,
        ),
        "settings_get" => done(c.settings_get().await),
        "settings_update" => done(
            c.settings_update(Settings {
                idle_lock_secs: 300,
                branch: "北京分行营业部".into(),
            })
            .await,
        ),
        "sync_status" => done(c.sync_status().await),
        "sync_list" => done(c.sync_list(None).await),
        "sync_now" => done(c.sync_now().await),
        "sync_resend" => done(
            c.sync_resend(ResendInput {
                id: t.outbox_id,
                corrected: None,
                code: None,
            })
            .await,
        ),
        "sync_resend_code" => done(
            c.sync_resend_code(walletdesk_core::sync::ResendCodeInput {
                id: t.outbox_id,
                mobile: "13912345678".into(),
            })
            .await,
        ),
        "sync_discard" => done(
            c.sync_discard(DiscardInput {
                id: t.outbox_id,
                reason: "duplicate of another sign-up".into(),
            })
            .await,
        ),
        "customer_search" => done(
            c.customer_search(SearchQuery {
                text: "张三".into(),
            })
            .await,
        ),
        "customer_profile" => done(c.customer_profile(t.customer.clone()).await),
        "customer_live" => done(c.customer_live(t.customer.clone()).await),
        "customer_reveal_id" => done(
            c.customer_reveal_id(RevealInput {
                customer_id: t.customer.clone(),
                reason: "核对证件".into(),
            })
            .await,
        ),
        "customer_add_note" => done(
            c.customer_add_note(NoteInput {
                customer_id: t.customer.clone(),
                text: "客户希望短信提醒".into(),
            })
            .await,
        ),
        "wallet_change_tier" => done(
            c.wallet_change_tier(TierChangeInput {
                customer_id: t.customer.clone(),
                wallet_id: t.wallet.clone(),
                tier: 3,
                id_checked_in_person: true,
            })
            .await,
        ),
        "wallet_link_card" => done(
            c.wallet_link_card(CardLinkInput {
                customer_id: t.customer.clone(),
                wallet_id: t.wallet.clone(),
                number: "6222021234567890128".into(),
                bank_name: None,
            })
            .await,
        ),
        "customer_renew_id" => done(
            c.customer_renew_id(IdRenewalInput {
                customer_id: t.customer.clone(),
                expires_on: Some("2036-01-01".into()),
                id_checked_in_person: true,
            })
            .await,
        ),
        "consent_withdraw" => done(
            c.consent_withdraw(ConsentWithdrawalInput {
                customer_id: t.customer.clone(),
                consent_id: t.consent.clone(),
                reason: None,
            })
            .await,
        ),
        "wallet_receipt" => done(
            c.wallet_receipt(WalletReceiptInput {
                customer_id: t.customer.clone(),
                wallet_id: t.wallet.clone(),
            })
            .await,
        ),
        "complaint_letter" => done(
            c.complaint_letter(LetterRequest {
                case_id,
                outcome: LetterOutcome::Upheld,
            })
            .await,
        ),
        "onboarding_resume" => done(c.onboarding_resume().await),
        "onboarding_save" => done(
            c.onboarding_save(SaveDraftInput {
                id: Some(t.draft_id),
                step: "identity".into(),
                data: DraftData::default(),
            })
            .await,
        ),
        "onboarding_discard" => done(c.onboarding_discard(t.draft_id).await),
        "onboarding_evaluate" => done(c.onboarding_evaluate(DraftData::default()).await),
        "onboarding_check_id" => done(c.onboarding_check_id("11010519491231002X".into()).await),
        "onboarding_send_code" => done(c.onboarding_send_code(t.draft_id).await),
        "onboarding_verify_code" => done(
            c.onboarding_verify_code(VerifyCodeInput {
                draft_id: t.draft_id,
                code: RIGHT_CODE.into(),
            })
            .await,
        ),
        "onboarding_screen" => done(c.onboarding_screen(t.draft_id).await),
        "onboarding_submit" => done(c.onboarding_submit(t.draft_id).await),
        "onboarding_receipt" => done(c.onboarding_receipt(t.draft_id).await),
        "complaint_categories" => done(c.complaint_categories().await),
        "complaint_category_create" => done(
            c.complaint_category_create(NewCategoryInput {
                parent_id: None,
                code: format!("X{}", t.case_id),
                name: "矩阵测试".into(),
            })
            .await,
        ),
        "complaint_calendar" => done(c.complaint_calendar().await),
        "complaint_calendar_set" => done(
            c.complaint_calendar_set(CalendarText {
                text: "2026-10-01 holiday\n".into(),
            })
            .await,
        ),
        "complaint_register" => done(
            c.complaint_register(NewComplaintInput {
                channel: Channel::Phone,
                complainant: Complainant::NotACustomer {
                    name: "路人甲".into(),
                    contact: "13700001111".into(),
                },
                product: "数字钱包".into(),
                category_id: 2,
                what_happened: "Could not top up.".into(),
                customer_asks: "Explain why.".into(),
                severity: Severity::Low,
                received_on: None,
                team: "desk-a".into(),
                representatives: Vec::new(),
                interested_staff_ids: Vec::new(),
                linked_id: None,
            })
            .await,
        ),
        "complaint_get" => done(c.complaint_get(case_id).await),
        "complaint_queue" => done(
            c.complaint_queue(QueueQuery {
                queue: QueueKind::Team,
                team: Some("desk-a".into()),
                status: None,
                channel: None,
                category_id: None,
                after: None,
                limit: 20,
            })
            .await,
        ),
        "complaint_assign" => done(
            c.complaint_assign(AssignInput {
                case_id,
                assignee_id: None,
                team: None,
            })
            .await,
        ),
        "complaint_declare_interest" => done(
            c.complaint_declare_interest(InterestInput {
                case_id,
                staff_id: 1,
                reason: "relative of the customer".into(),
            })
            .await,
        ),
        "complaint_add_note" => done(c.complaint_add_note(text("called the merchant")).await),
        "complaint_log_contact" => done(
            c.complaint_log_contact(ContactInput {
                case_id,
                kind: ContactKind::Call,
                outcome: ContactOutcome::NoAnswer,
                summary: "no answer".into(),
            })
            .await,
        ),
        "complaint_add_representative" => done(
            c.complaint_add_representative(AddRepresentativeInput {
                case_id,
                name: "代表人".into(),
                contact: "13700002222".into(),
            })
            .await,
        ),
        "complaint_pause" => done(c.complaint_pause(text("sent for appraisal")).await),
        "complaint_resume" => done(c.complaint_resume(case_id).await),
        "complaint_extend_complex" => done(c.complaint_extend_complex(text("complex")).await),
        "complaint_new_facts" => done(c.complaint_new_facts(text("new receipt")).await),
        "complaint_request_extension" => done(
            c.complaint_request_extension(text("needs a site visit"))
                .await,
        ),
        "complaint_pending_extensions" => done(c.complaint_pending_extensions().await),
        "complaint_decide_extension" => done(
            c.complaint_decide_extension(ExtensionDecisionInput {
                extension_id: t.extension_id,
                approve: true,
                note: None,
            })
            .await,
        ),
        "complaint_extension_notified" => {
            done(c.complaint_extension_notified(t.extension_id).await)
        }
        "complaint_merge_repeat" => done(
            c.complaint_merge_repeat(MergeRepeatInput {
                repeat_id: case_id,
                into_id: case_id + 1,
            })
            .await,
        ),
        "complaint_withdraw" => done(
            c.complaint_withdraw(WithdrawInput {
                case_id,
                arrived_on: None,
                note: None,
            })
            .await,
        ),
        "complaint_decide" => done(
            c.complaint_decide(DecideInput {
                case_id,
                findings: "duplicated by a retry".into(),
                reasons: "the retry did not check".into(),
                remedy: None,
                compensation: None,
                root_cause: RootCause::System,
                source_fix: "retries carry a key".into(),
            })
            .await,
        ),
        "complaint_request_review" => done(
            c.complaint_request_review(ReviewRequestInput {
                case_id,
                requested_on: None,
                grounds: "disagrees".into(),
                team: "desk-a".into(),
            })
            .await,
        ),
        "complaint_record_survey" => done(
            c.complaint_record_survey(SurveyInput {
                case_id,
                score: 4,
                comment: "ok".into(),
            })
            .await,
        ),
        "complaint_suggest" => done(
            c.complaint_suggest(SuggestionInput {
                case_id: Some(case_id),
                idea: "idea".into(),
                suggested_by: "staff".into(),
            })
            .await,
        ),
        "complaint_suggestions" => done(c.complaint_suggestions().await),
        "complaint_grant_reward" => done(c.complaint_grant_reward(t.suggestion_id).await),
        "complaint_stats" => done(c.complaint_stats(stats.clone()).await),
        "complaint_stats_csv" => done(c.complaint_stats_csv(stats.clone()).await),
        "complaint_stats_xlsx" => done(c.complaint_stats_xlsx(stats).await),
        "complaint_regulator_report" => done(
            c.complaint_regulator_report(PeriodInput {
                from: day(2026, 1, 1),
                to: day(2026, 12, 31),
            })
            .await,
        ),
        "dispute_config" => done(c.dispute_config().await),
        "dispute_open" => done(
            c.dispute_open(OpenDisputeInput {
                customer_id: t.customer.clone(),
                transaction_id: "1".into(),
                reason: "unauthorised".into(),
                statement_on: None,
                account_opened_on: None,
                point_of_sale: false,
                foreign: false,
            })
            .await,
        ),
        "dispute_get" => done(c.dispute_get(case_id).await),
        "dispute_queue" => done(
            c.dispute_queue(DisputeQueueQuery {
                queue: DisputeQueueKind::Team,
                after: None,
                limit: 10,
            })
            .await,
        ),
        "dispute_assign" => done(
            c.dispute_assign(DisputeAssignInput {
                dispute_id: case_id,
                assignee_id: None,
            })
            .await,
        ),
        "dispute_add_evidence" => done(
            c.dispute_add_evidence(EvidenceInput {
                dispute_id: case_id,
                kind: EvidenceKind::Receipt,
                description: "小票".into(),
            })
            .await,
        ),
        "dispute_propose_credit" => done(
            c.dispute_propose_credit(DisputeTextInput {
                dispute_id: case_id,
                text: "客户称未授权".into(),
            })
            .await,
        ),
        "approvals_inbox" => done(c.approvals_inbox().await),
        "dispute_decide_credit" => done(
            c.dispute_decide_credit(CreditDecisionInput {
                proposal_id: t.extension_id,
                approve: true,
                note: None,
            })
            .await,
        ),
        "dispute_customer_told" => done(c.dispute_customer_told(case_id).await),
        "dispute_extend" => done(c.dispute_extend(case_id).await),
        "dispute_decide" => done(
            c.dispute_decide(DisputeDecisionInput {
                dispute_id: case_id,
                for_customer: true,
                findings: "核实为未授权交易".into(),
                user_fault_proven: false,
            })
            .await,
        ),
        "dispute_chargeback" => done(c.dispute_chargeback(case_id).await),
        "dispute_attach" => done(
            c.dispute_attach(AttachmentInput {
                dispute_id: case_id,
                kind: EvidenceKind::Receipt,
                description: "小票".into(),
                file_name: "receipt.pdf".into(),
                bytes: b"%PDF-1.7\n".to_vec(),
            })
            .await,
        ),
        "dispute_attachment" => done(c.dispute_attachment(case_id).await),
        "customer_cases" => done(c.customer_cases(t.customer.clone()).await),
        "dispute_stats" => done(c.dispute_stats(dispute_stats()).await),
        "dispute_stats_csv" => done(c.dispute_stats_csv(dispute_stats()).await),
        "dispute_stats_xlsx" => done(c.dispute_stats_xlsx(dispute_stats()).await),
        "dispute_letter" => done(
            c.dispute_letter(DisputeLetterRequest {
                dispute_id: case_id,
                kind: DisputeLetterKind::Decision,
            })
            .await,
        ),
        "booth_catalogue" => done(c.booth_catalogue().await),
        "campaign_save" => done(
            c.campaign_save(walletdesk_core::booth::CampaignInput {
                code: "SPRING".into(),
                name: "春季".into(),
                starts_on: "2026-01-01".into(),
                ends_on: "2026-12-31".into(),
                branches: vec![],
                booths: vec!["B-07".into()],
                incentive_kind: walletdesk_core::booth::IncentiveKind::Points,
                incentive_amount: None,
                incentive_points: Some(100),
                incentive_coupon: None,
                incentive_service: None,
                new_customers_only: false,
                budget_claims: None,
                budget_amount: None,
            })
            .await,
        ),
        "booth_sign_up" => done(
            c.booth_sign_up(walletdesk_core::booth::SignUpInput {
                booth: "B-07".into(),
                campaign: "SPRING".into(),
                mobile: "13800138000".into(),
                name: String::new(),
                consents: vec![],
            })
            .await,
        ),
        "booth_today" => done(c.booth_today("B-07".into()).await),
        "booth_save" => done(
            c.booth_save(walletdesk_core::booth::BoothInput {
                code: "B-07".into(),
                name: "展位".into(),
                mall: "万达".into(),
                address: "建国路".into(),
                branch: "BJ-001".into(),
                roster: vec!["booth".into()],
            })
            .await,
        ),
        // complaint desk, finished (issue 18 items 1-3)
        "complaint_desk" => done(c.complaint_desk().await),
        "complaint_desk_settings_set" => done(
            c.complaint_desk_settings_set(walletdesk_core::complaints::desk::DeskSettings {
                policy: walletdesk_core::complaints::ComplaintPolicy::default(),
                max_representatives: 5,
                review_team: "总行消保复核组".into(),
                escalation: Default::default(),
            })
            .await,
        ),
        "complaint_escalate" => done(
            c.complaint_escalate(walletdesk_core::complaints::escalation::EscalateInput {
                case_id,
                reason: "客户情绪激动".into(),
            })
            .await,
        ),
        "complaint_pause_told" => done(
            c.complaint_pause_told(walletdesk_core::complaints::escalation::PauseToldInput {
                case_id,
                kind: walletdesk_core::complaints::ContactKind::Call,
            })
            .await,
        ),
        "complaint_templates" => done(
            c.complaint_templates(walletdesk_core::complaints::templates::TemplateQuery {
                category_id: None,
                kind: None,
                include_retired: false,
            })
            .await,
        ),
        "complaint_template_save" => done(
            c.complaint_template_save(walletdesk_core::complaints::templates::TemplateInput {
                id: None,
                category_id: None,
                kind: walletdesk_core::complaints::templates::TemplateKind::Contact,
                title: "矩阵测试".into(),
                body: "{{caseNo}}".into(),
                active: true,
            })
            .await,
        ),
        "complaint_template_apply" => done(
            c.complaint_template_apply(
                walletdesk_core::complaints::templates::ApplyTemplateInput {
                    case_id,
                    template_id: 1,
                },
            )
            .await,
        ),
        "complaint_category_update" => done(
            c.complaint_category_update(walletdesk_core::complaints::desk::CategoryUpdateInput {
                id: 14,
                name: "其他".into(),
                active: true,
            })
            .await,
        ),
        "kb_search" => done(
            c.kb_search(walletdesk_core::knowledge::KbQuery {
                text: "限额".into(),
                category: None,
            })
            .await,
        ),
        "kb_article" => done(c.kb_article("kb-none".into()).await),
        "kb_flag" => done(
            c.kb_flag(walletdesk_core::knowledge::KbFlagInput {
                id: "kb-none".into(),
                version: 1,
                reason: "wrong".into(),
                note: "热线号码有误".into(),
            })
            .await,
        ),
        "kb_save_draft" => done(
            c.kb_save_draft(walletdesk_core::knowledge::KbDraftInput {
                id: Some("kb-none".into()),
                title: "标题".into(),
                body: "正文".into(),
                category: "fees".into(),
                tags: Vec::new(),
                language: "zh-CN".into(),
            })
            .await,
        ),
        "kb_publish" => done(
            c.kb_publish(walletdesk_core::knowledge::KbPublishInput {
                id: "kb-none".into(),
                version: 1,
            })
            .await,
        ),
        "kb_desk" => done(c.kb_desk().await),
        "insights_report" => done(c.insights_report(insight_query()).await),
        "insights_period" => done(c.insights_period().await),
        "insights_customers" => done(
            c.insights_customers(walletdesk_core::insights::InsightDrill {
                from: "2026-03-01".into(),
                to: "2026-03-31".into(),
                filters: Default::default(),
            })
            .await,
        ),
        "insights_export" => done(
            c.insights_export(walletdesk_core::insights::export::InsightExportInput {
                query: insight_query(),
                format: walletdesk_core::insights::export::ExportFormat::Xlsx,
            })
            .await,
        ),
        "insights_trend" => done(c.insights_trend(insight_query()).await),
        "insights_funnel" => done(c.insights_funnel(insight_query()).await),
        "insights_campaign" => done(
            c.insights_campaign(walletdesk_core::insights::dashboard::InsightCampaignQuery {
                campaign: "DEMO-SPRING".into(),
                metric: walletdesk_core::insights::Metric::SignUps,
                activation_days: None,
            })
            .await,
        ),
        "insights_campaign_report" => done(
            c.insights_campaign_report(
                walletdesk_core::insights::dashboard::InsightCampaignQuery {
                    campaign: "DEMO-SPRING".into(),
                    metric: walletdesk_core::insights::Metric::SignUps,
                    activation_days: None,
                },
            )
            .await,
        ),
        // elder-assisted setup (issue 13)
        "elder_rules" => done(c.elder_rules().await),
        "elder_rules_set" => done(
            c.elder_rules_set(walletdesk_core::elder::ElderRules::default())
                .await,
        ),
        "elder_start" => done(
            c.elder_start(walletdesk_core::elder::ElderStartInput {
                customer_name: "王秀英".into(),
                age: 72,
                draft_id: None,
                customer_id: None,
            })
            .await,
        ),
        "elder_current" => done(c.elder_current().await),
        "elder_get" => done(c.elder_get(999_999).await),
        "elder_next" => done(c.elder_next(999_999).await),
        "elder_end" => done(
            c.elder_end(walletdesk_core::elder::ElderEndInput {
                session_id: 999_999,
                reason: "改天再来".into(),
            })
            .await,
        ),
        "elder_speech_rate" => done(
            c.elder_speech_rate(walletdesk_core::elder::ElderSpeechInput {
                session_id: 999_999,
                rate_percent: 80,
            })
            .await,
        ),
        "elder_screen" => done(c.elder_screen().await),
        "elder_answer" => done(
            c.elder_answer(walletdesk_core::elder::ElderAnswerInput {
                question_id: "none".into(),
                yes: false,
            })
            .await,
        ),
        "elder_repeat" => done(c.elder_repeat().await),
        "elder_more_time" => done(c.elder_more_time().await),
        "elder_resolve" => done(
            c.elder_resolve(walletdesk_core::elder::ElderResolveInput {
                escalation_id: 999_999,
                outcome: walletdesk_core::elder::EscalationOutcome::Cleared,
                reason: "核实无误".into(),
            })
            .await,
        ),
        "elder_guide" => done(c.elder_guide(999_999).await),
        "elder_follow_ups" => done(c.elder_follow_ups().await),
        "elder_follow_up_record" => done(
            c.elder_follow_up_record(walletdesk_core::elder::CallOutcomeInput {
                call_id: 999_999,
                outcome: walletdesk_core::elder::CallOutcome::Fine,
                note: String::new(),
            })
            .await,
        ),
        // elder practice payment (issue 13 item 5)
        "elder_practice_enter" => done(
            c.elder_practice_enter(walletdesk_core::elder::ElderPracticeEnterInput {
                field: walletdesk_core::elder::PracticeField::Payee,
                value: "张三".into(),
            })
            .await,
        ),
        "elder_practice_pay" => done(
            c.elder_practice_pay(walletdesk_core::elder::ElderPracticePayInput {
                password: "000000".into(),
            })
            .await,
        ),
        "elder_practice_undo" => done(c.elder_practice_undo().await),
        // booth (issue 14, remaining items)
        "attribution_change" => done(
            c.attribution_change(walletdesk_core::booth::AttributionChangeInput {
                customer_id: t.customer.clone(),
                campaign: String::new(),
                booth: String::new(),
                staff: "li.na".into(),
                channel: "counter".into(),
                reason: "柜台补录".into(),
            })
            .await,
        ),
        "lead_take" => done(
            c.lead_take(walletdesk_core::booth::LeadInput {
                booth: "B-07".into(),
                campaign: "SPRING".into(),
                mobile: "13800138000".into(),
                name: String::new(),
                interest: String::new(),
                contact_consent: true,
                follow_up_on: String::new(),
            })
            .await,
        ),
        "booth_leads" => done(c.booth_leads().await),
        "lead_outcome" => done(
            c.lead_outcome(walletdesk_core::booth::LeadOutcomeInput {
                id: 1,
                outcome: walletdesk_core::booth::LeadOutcome::NotInterested,
                note: String::new(),
                follow_up_on: String::new(),
            })
            .await,
        ),
        "lead_convert" => done(
            c.lead_convert(walletdesk_core::booth::LeadConvertInput {
                id: 1,
                consents: vec![],
            })
            .await,
        ),
        "lead_retention_set" => done(c.lead_retention_set(30).await),
        "booth_qr_poster" => done(
            c.booth_qr_poster(walletdesk_core::booth::QrPosterRequest {
                campaign: "SPRING".into(),
                booth: "B-07".into(),
                staff: "li.na".into(),
            })
            .await,
        ),
        "fee_quote" => done(
            c.fee_quote(walletdesk_core::fees::FeeQuoteInput {
                tier: 4,
                campaign: None,
            })
            .await,
        ),
        // team mode (issue 16): the bench console works alone, so a permitted call is
        // answered `team_mode_off` (a conflict) after the guard; the guard is what is checked.
        "team_status" => done(c.team_status().await),
        "team_register" => done(
            c.team_register(NewComplaintInput {
                channel: Channel::Counter,
                complainant: Complainant::NotACustomer {
                    name: "路人乙".into(),
                    contact: "13700003333".into(),
                },
                product: "数字钱包".into(),
                category_id: 2,
                what_happened: "Could not pay.".into(),
                customer_asks: "Explain why.".into(),
                severity: Severity::Low,
                received_on: None,
                team: "desk-a".into(),
                representatives: Vec::new(),
                interested_staff_ids: Vec::new(),
                linked_id: None,
            })
            .await,
        ),
        "team_queue" => done(
            c.team_queue(walletdesk_core::team::TeamQueueQuery {
                team: "desk-a".into(),
                queue: walletdesk_core::team::TeamQueue::All,
                after: None,
                limit: 20,
            })
            .await,
        ),
        "team_take" => done(c.team_take(case_id).await),
        "team_take_next" => done(c.team_take_next().await),
        "team_case" => done(c.team_case(case_id).await),
        "team_note" => done(c.team_note(team_step(case_id)).await),
        "team_extend" => done(c.team_extend(team_step(case_id)).await),
        "team_decide" => done(c.team_decide(team_step(case_id)).await),
        "team_pending_extensions" => done(c.team_pending_extensions().await),
        "team_decide_extension" => done(
            c.team_decide_extension(walletdesk_core::team::console::TeamExtensionDecisionInput {
                extension_id: t.extension_id,
                approve: true,
                note: None,
            })
            .await,
        ),
        // team mode: the dispute team's queue, guarded as the console's dispute desk.
        "team_dispute_open" => done(
            c.team_dispute_open(OpenDisputeInput {
                customer_id: t.customer.clone(),
                transaction_id: "1".into(),
                reason: "unauthorised".into(),
                statement_on: None,
                account_opened_on: None,
                point_of_sale: false,
                foreign: false,
            })
            .await,
        ),
        "team_dispute_queue" => done(
            c.team_dispute_queue(walletdesk_core::team::TeamQueueQuery {
                team: "desk-a".into(),
                queue: walletdesk_core::team::TeamQueue::All,
                after: None,
                limit: 20,
            })
            .await,
        ),
        "team_dispute" => done(c.team_dispute(case_id).await),
        "team_dispute_take" => done(c.team_dispute_take(case_id).await),
        "team_dispute_evidence" => done(
            c.team_dispute_evidence(TeamDisputeEvidenceInput {
                dispute_id: case_id,
                version: 1,
                kind: walletdesk_core::disputes::desk::EvidenceKind::Receipt,
                description: "收据".into(),
            })
            .await,
        ),
        "team_dispute_propose_credit" => done(
            c.team_dispute_propose_credit(TeamDisputeTextInput {
                dispute_id: case_id,
                version: 1,
                text: "未授权交易".into(),
            })
            .await,
        ),
        "team_dispute_pending_credits" => done(c.team_dispute_pending_credits().await),
        "team_dispute_decide_credit" => done(
            c.team_dispute_decide_credit(walletdesk_core::disputes::desk::CreditDecisionInput {
                proposal_id: case_id,
                approve: true,
                note: None,
            })
            .await,
        ),
        "team_dispute_customer_told" => done(
            c.team_dispute_customer_told(team_dispute_step(case_id))
                .await,
        ),
        "team_dispute_extend" => done(c.team_dispute_extend(team_dispute_step(case_id)).await),
        "team_dispute_decide" => done(
            c.team_dispute_decide(TeamDisputeDecisionInput {
                dispute_id: case_id,
                version: 1,
                for_customer: true,
                findings: "核实为未授权交易".into(),
                user_fault_proven: false,
            })
            .await,
        ),
        "team_dispute_chargeback" => {
            done(c.team_dispute_chargeback(team_dispute_step(case_id)).await)
        }
        "team_dispute_take_next" => done(c.team_dispute_take_next().await),
        "team_dispute_status" => done(c.team_dispute_status().await),
        "team_dispute_op_resend" => done(
            c.team_dispute_op_resend(walletdesk_core::team::dispute_console::TeamDisputeOpInput {
                dispute_id: case_id,
                version: 1,
                op_id: case_id,
            })
            .await,
        ),
        "team_dispute_op_discard" => done(
            c.team_dispute_op_discard(
                walletdesk_core::team::dispute_console::TeamDisputeOpDiscardInput {
                    dispute_id: case_id,
                    version: 1,
                    op_id: case_id,
                    reason: "核心已人工处理".into(),
                },
            )
            .await,
        ),
        other => panic!("the matrix test has no call for command {other:?}: add one"),
    }
}

/// Satisfaction: counted from this console's surveys, so it answers without a core.
fn insight_query() -> walletdesk_core::insights::InsightQuery {
    walletdesk_core::insights::InsightQuery {
        metric: walletdesk_core::insights::Metric::Satisfaction,
        dimension: Some(walletdesk_core::insights::Dimension::Branch),
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        activation_days: None,
        filters: Default::default(),
    }
}

/// A refusal of the guard itself, as opposed to a rule of the command (not found, conflict,
/// invalid input, core unavailable), which means the guard let the call through.
fn guard_refusal(result: &Result<(), Error>) -> Option<Code> {
    match result {
        Err(err)
            if matches!(
                err.code(),
                Code::Forbidden | Code::NotSignedIn | Code::SessionLocked
            ) =>
        {
            Some(err.code())
        }
        _ => None,
    }
}

/// Runs every command in `state` and checks each outcome against the table. Returns the
/// number of calls made.
async fn pass(bench: &Bench, state: State, t: &Targets) -> usize {
    let mut calls = 0;
    for command in COMMANDS {
        // These end or lock the pass's session: the caller runs them at the end.
        if matches!(
            (state, command.name),
            (State::Active(_) | State::Locked(_), "sign_out") | (State::Active(_), "lock")
        ) {
            continue;
        }
        let refused_before = bench.audit_count("permission.refused").await;
        let result = call(&bench.c, command.name, t, state).await;
        calls += 1;
        let refused_after = bench.audit_count("permission.refused").await;
        let got = guard_refusal(&result);
        let expected = match (command.guard, state) {
            (Guard::Public | Guard::OwnSession, _) => None,
            (Guard::Permission(_), State::SignedOut) => Some(Code::NotSignedIn),
            (Guard::Permission(_), State::Locked(_)) => Some(Code::SessionLocked),
            (Guard::Permission(_), State::Active(role)) => {
                (!command.allows(role)).then_some(Code::Forbidden)
            }
        };
        let got = match (command.guard, state, got) {
            // Unlocking with no session at all: nothing to unlock.
            (Guard::OwnSession, State::SignedOut, Some(Code::NotSignedIn)) => None,
            (_, _, got) => got,
        };
        assert_eq!(
            got, expected,
            "{} in {state:?} ({t:?}): {result:?}",
            command.name
        );
        let audited = refused_after - refused_before;
        let expected_audits = i64::from(expected == Some(Code::Forbidden));
        assert_eq!(
            audited, expected_audits,
            "{} in {state:?}: a forbidden call leaves exactly one audit record, others none",
            command.name
        );
    }
    calls
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn every_command_as_every_role_signed_out_and_locked_is_allowed_or_refused_and_audited(
    pool: SqlitePool,
) {
    let bench = Bench::new(pool).await;
    let mut calls = pass(&bench, State::SignedOut, &Targets::missing()).await;
    for role in Role::ALL {
        bench.c.sign_in(sign_in(role)).await.expect("sign in");
        calls += pass(&bench, State::Active(role), &Targets::missing()).await;
        calls += pass(
            &bench,
            State::Active(role),
            &Targets::seeded(&bench, role).await,
        )
        .await;
        bench.c.lock().await.expect("lock");
        calls += pass(
            &bench,
            State::Locked(role),
            &Targets::seeded(&bench, role).await,
        )
        .await;
        bench.c.sign_out().await.expect("out");
    }
    // Every command signed out; per role twice active (less sign_out and lock, run at the
    // end of the pass) and once locked (less sign_out).
    let n = COMMANDS.len();
    assert_eq!(calls, n + Role::ALL.len() * (2 * (n - 2) + (n - 1)));
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_role_without_the_permission_is_refused_before_the_case_is_read(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    bench
        .c
        .sign_in(sign_in(Role::Teller))
        .await
        .expect("teller in");
    let missing = Targets::missing();
    // Tellers log complaints at the counter (categories, the desk's counter pane, register);
    // every command on a case is refused to them before the case is read.
    let on_cases = COMMANDS
        .iter()
        .filter(|c| c.name.starts_with("complaint_") && !c.allows(Role::Teller));
    for command in on_cases {
        let result = call(
            &bench.c,
            command.name,
            &missing,
            State::Active(Role::Teller),
        )
        .await;
        let code = result.as_ref().err().map(Error::code);
        assert_eq!(
            code,
            Some(Code::Forbidden),
            "{}: a case that does not exist is `forbidden`, not `not_found`, for a teller",
            command.name
        );
    }
    // The complaints role gets past the guard and learns the case does not exist.
    bench.c.sign_out().await.expect("out");
    bench
        .c
        .sign_in(sign_in(Role::Complaints))
        .await
        .expect("in");
    let code = bench
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: 999_999,
            approve: true,
            note: None,
        })
        .await
        .expect_err("complaints may not approve")
        .code();
    assert_eq!(code, Code::Forbidden);
    let code = bench
        .c
        .complaint_get(999_999)
        .await
        .expect_err("missing")
        .code();
    assert_eq!(code, Code::NotFound);
}

/// The command names of the UI's generated table (`ui/src/bindings/commands.ts`): each line
/// `  method: { command: 'name', args: [...] },`.
fn ui_commands() -> BTreeSet<String> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings/commands.ts");
    let text = std::fs::read_to_string(&path).expect("read ui/src/bindings/commands.ts");
    text.lines()
        .filter_map(|line| line.split_once("command: '"))
        .filter_map(|(_, rest)| rest.split_once('\''))
        .map(|(name, _)| name.to_owned())
        .collect()
}

fn differ(what: &str, a: &BTreeSet<String>, other: &str, b: &BTreeSet<String>) {
    let missing: Vec<_> = a.difference(b).collect();
    assert!(
        missing.is_empty(),
        "in {what} but not in {other}: {missing:?}"
    );
}

/// The shell registers, and the dev server serves, exactly the declared commands (both are
/// generated from `for_each_command!`); so every declared command needs a guard here, every
/// guard a declared command, and the UI's generated table the same names.
#[test]
fn every_declared_command_has_a_role_guard_and_a_ui_method_and_no_other() {
    let declared: Vec<&str> = walletdesk_core::commands::names();
    assert!(declared.len() > 50, "declared {declared:?}");
    let declared_set: BTreeSet<String> = declared.iter().map(|n| (*n).to_owned()).collect();
    assert_eq!(
        declared_set.len(),
        declared.len(),
        "a command is declared twice"
    );
    let table: BTreeSet<String> = COMMANDS.iter().map(|c| c.name.to_owned()).collect();
    assert_eq!(
        table.len(),
        COMMANDS.len(),
        "a command is listed twice in access::COMMANDS"
    );
    differ(
        "the declaration (walletdesk_core::for_each_command)",
        &declared_set,
        "access::COMMANDS",
        &table,
    );
    differ(
        "access::COMMANDS",
        &table,
        "the declaration (walletdesk_core::for_each_command)",
        &declared_set,
    );
    let ui = ui_commands();
    differ(
        "the declaration",
        &declared_set,
        "the UI's ui/src/bindings/commands.ts (UPDATE_BINDINGS=1 cargo test -p walletdesk-core --test bindings)",
        &ui,
    );
    differ(
        "ui/src/bindings/commands.ts",
        &ui,
        "the declaration",
        &declared_set,
    );
}

const DOC_START: &str = "<!-- role-matrix:start (generated by crates/core/tests/access; UPDATE_SECURITY_DOC=1 regenerates) -->\n";
const DOC_END: &str = "<!-- role-matrix:end -->";

#[test]
fn docs_security_md_prints_the_role_matrix_from_the_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/security.md");
    let doc = std::fs::read_to_string(&path).expect("read docs/security.md");
    let start = doc
        .find(DOC_START)
        .expect("docs/security.md has the matrix markers");
    let end = doc
        .find(DOC_END)
        .expect("docs/security.md has the end marker");
    let printed = &doc[start + DOC_START.len()..end];
    let generated = access::matrix_markdown();
    if printed != generated {
        if std::env::var_os("UPDATE_SECURITY_DOC").is_some() {
            let updated = format!("{}{DOC_START}{generated}{}", &doc[..start], &doc[end..]);
            std::fs::write(&path, updated).expect("write docs/security.md");
        } else {
            panic!(
                "docs/security.md's role matrix differs from access::COMMANDS; run \
                 UPDATE_SECURITY_DOC=1 cargo test -p walletdesk-core --test access"
            );
        }
    }
}
