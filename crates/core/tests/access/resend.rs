//! Correcting and resending an operation the core refused (`sync_resend`): who may, which
//! fields, and that a changed name, ID or mobile passes the checks the first one passed.

use super::{Bench, RIGHT_CODE, sign_in};
use serde_json::json;
use sqlx::SqlitePool;
use walletdesk_core::access::Role;
use walletdesk_core::sync::{OutboxState, ResendCodeInput, ResendInput, outbox};
use walletdesk_core::{Code, Error};

fn fix(id: i64, fields: serde_json::Value, code: Option<&str>) -> ResendInput {
    ResendInput {
        id,
        corrected: fields.as_object().cloned(),
        code: code.map(str::to_owned),
    }
}

fn code_of<T: std::fmt::Debug>(r: Result<T, Error>) -> Code {
    r.expect_err("should be refused").code()
}

async fn state(bench: &Bench, id: i64) -> OutboxState {
    outbox::head(&bench.pool, id).await.expect("head").state
}

async fn body(bench: &Bench, id: i64) -> serde_json::Value {
    outbox::body(&bench.pool, &bench.sealer, id)
        .await
        .expect("body")
}

async fn as_(bench: &Bench, role: Role) {
    bench.c.sign_out().await.expect("out");
    bench.c.sign_in(sign_in(role)).await.expect("in");
}

/// The audit details of `action`, newest first.
async fn details(bench: &Bench, action: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC")
        .bind(action)
        .fetch_all(&bench.pool)
        .await
        .expect("details")
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn only_the_operations_maker_or_a_supervisor_resends_it(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let tellers = bench.own_operation(Role::Teller).await;

    for role in [Role::Booth, Role::Complaints, Role::Disputes] {
        as_(&bench, role).await;
        let refused = bench.c.sync_resend(fix(tellers, json!({}), None)).await;
        assert_eq!(code_of(refused), Code::Forbidden, "{role:?}");
        let refused = bench
            .c
            .sync_resend_code(ResendCodeInput {
                id: tellers,
                mobile: "13912345678".into(),
            })
            .await;
        assert_eq!(code_of(refused), Code::Forbidden, "{role:?}");
    }
    assert_eq!(bench.audit_count("sync.resend_refused").await, 3);
    assert_eq!(bench.audit_count("sync.resend_code_refused").await, 3);
    assert!(bench.core.codes_sent.lock().expect("lock").is_empty());
    // An administrator corrects no customer work at all.
    as_(&bench, Role::Admin).await;
    let refused = bench.c.sync_resend(fix(tellers, json!({}), None)).await;
    assert_eq!(code_of(refused), Code::Forbidden);
    assert_eq!(state(&bench, tellers).await, OutboxState::Attention);

    as_(&bench, Role::Teller).await;
    bench
        .c
        .sync_resend(fix(tellers, json!({}), None))
        .await
        .expect("the maker resends");
    assert_eq!(state(&bench, tellers).await, OutboxState::Pending);

    // A supervisor resends anyone's, including one from before makers were recorded.
    let booths = bench.own_operation(Role::Booth).await;
    let nobodys = bench.refused_operation(None).await;
    as_(&bench, Role::Supervisor).await;
    for id in [booths, nobodys] {
        bench
            .c
            .sync_resend(fix(id, json!({}), None))
            .await
            .expect("a supervisor resends");
        assert_eq!(state(&bench, id).await, OutboxState::Pending);
    }
    // ...but the booth may not resend a row nobody is recorded as making.
    let nobodys = bench.refused_operation(None).await;
    as_(&bench, Role::Booth).await;
    let refused = bench.c.sync_resend(fix(nobodys, json!({}), None)).await;
    assert_eq!(code_of(refused), Code::Forbidden);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn only_the_fields_listed_for_the_operations_kind_may_be_corrected(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let teller = bench.staff_id(Role::Teller);
    let create = bench.own_operation(Role::Teller).await;
    let tier = bench
        .refused(
            Some(teller),
            "wallet.tier",
            json!({ "tier": 1, "inPerson": true, "idVerifiedBy": "teller.one" }),
        )
        .await;
    let consent = bench
        .refused(
            Some(teller),
            "consent.record",
            json!({ "scope": "general-processing", "version": "2026-01", "thirdParty": null,
                "guardianName": "王大明" }),
        )
        .await;
    as_(&bench, Role::Teller).await;
    for (id, fields) in [
        // Which customer the operation is for is not a typo.
        (create, json!({ "externalId": "someone-else" })),
        // What the counter established: the tier and the in-person check.
        (tier, json!({ "idVerifiedBy": "teller.one" })),
        // What the customer agreed to.
        (consent, json!({ "scope": "third-party-sharing" })),
        // A field the body does not have.
        (create, json!({ "pin": "123456" })),
    ] {
        let refused = bench.c.sync_resend(fix(id, fields.clone(), None)).await;
        assert_eq!(code_of(refused), Code::InvalidInput, "{fields}");
        assert_eq!(state(&bench, id).await, OutboxState::Attention);
    }
    // A listed field is checked as the first command checked it.
    let refused = bench
        .c
        .sync_resend(fix(
            create,
            json!({ "residentId": "110105194912310021" }),
            None,
        ))
        .await;
    assert_eq!(code_of(refused), Code::InvalidInput);
    // The guardian's name is listed for a consent.
    bench
        .c
        .sync_resend(fix(consent, json!({ "guardianName": "王大民" }), None))
        .await
        .expect("guardian corrected");
    assert_eq!(body(&bench, consent).await["guardianName"], "王大民");
    assert_eq!(body(&bench, consent).await["scope"], "general-processing");
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_changed_name_or_id_is_screened_again_and_a_hit_is_not_resent(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let id = bench.own_operation(Role::Teller).await;
    as_(&bench, Role::Teller).await;

    let refused = bench
        .c
        .sync_resend(fix(id, json!({ "name": "王黑名" }), None))
        .await;
    assert_eq!(code_of(refused), Code::Conflict);
    assert_eq!(state(&bench, id).await, OutboxState::Attention);
    assert_eq!(body(&bench, id).await["name"], "王小明");
    assert!(details(&bench, "sync.resend_refused").await[0].contains("screening_hit"));

    // A new ID with the old name: screened as the pair the core will hold.
    bench
        .c
        .sync_resend(fix(id, json!({ "residentId": "110105194912310038" }), None))
        .await
        .expect("clear screening");
    let screened = bench.core.screened.lock().expect("lock").clone();
    assert_eq!(
        screened,
        vec![
            ("王黑名".to_owned(), "11010519491231002X".to_owned()),
            ("王小明".to_owned(), "110105194912310038".to_owned()),
        ]
    );
    assert_eq!(state(&bench, id).await, OutboxState::Pending);
    assert_eq!(body(&bench, id).await["residentId"], "110105194912310038");

    // Resending unchanged values screens nothing.
    let other = bench
        .refused_operation(Some(bench.staff_id(Role::Teller)))
        .await;
    bench
        .c
        .sync_resend(fix(other, json!({ "name": " 王小明 " }), None))
        .await
        .expect("unchanged");
    assert_eq!(bench.core.screened.lock().expect("lock").len(), 2);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_changed_mobile_is_resent_only_after_a_new_code_to_it_is_verified(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let id = bench.own_operation(Role::Teller).await;
    as_(&bench, Role::Teller).await;
    let new_mobile = json!({ "mobile": "13912345678" });

    // No code sent: refused, nothing queued.
    let refused = bench
        .c
        .sync_resend(fix(id, new_mobile.clone(), Some("000000")))
        .await;
    assert_eq!(code_of(refused), Code::InvalidInput);
    assert_eq!(state(&bench, id).await, OutboxState::Attention);

    // A code sent to another number does not verify this one.
    bench
        .c
        .sync_resend_code(ResendCodeInput {
            id,
            mobile: "13700001111".into(),
        })
        .await
        .expect("code sent");
    let refused = bench
        .c
        .sync_resend(fix(id, new_mobile.clone(), Some(RIGHT_CODE)))
        .await;
    assert_eq!(code_of(refused), Code::InvalidInput);

    let sent = bench
        .c
        .sync_resend_code(ResendCodeInput {
            id,
            mobile: "139 1234 5678".into(),
        })
        .await
        .expect("code sent");
    assert_eq!(sent.masked_mobile, "139****5678");
    // Not training mode: the code is not shown on screen.
    assert_eq!(sent.training_code, None);
    assert_eq!(
        *bench.core.codes_sent.lock().expect("lock"),
        vec!["13700001111".to_owned(), "13912345678".to_owned()]
    );
    let refused = bench
        .c
        .sync_resend(fix(id, new_mobile.clone(), Some("111111")))
        .await;
    assert_eq!(code_of(refused), Code::InvalidInput);
    assert!(details(&bench, "sync.resend_refused").await[0].contains("code_wrong"));
    let refused = bench.c.sync_resend(fix(id, new_mobile.clone(), None)).await;
    assert_eq!(code_of(refused), Code::InvalidInput);
    assert_eq!(state(&bench, id).await, OutboxState::Attention);

    bench
        .c
        .sync_resend(fix(id, new_mobile.clone(), Some(RIGHT_CODE)))
        .await
        .expect("verified and resent");
    assert_eq!(state(&bench, id).await, OutboxState::Pending);
    assert_eq!(body(&bench, id).await["mobile"], "13912345678");
    // The code was for one resend: another item of the same maker needs its own.
    let other = bench
        .refused_operation(Some(bench.staff_id(Role::Teller)))
        .await;
    let refused = bench
        .c
        .sync_resend(fix(other, new_mobile, Some(RIGHT_CODE)))
        .await;
    assert_eq!(code_of(refused), Code::InvalidInput);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn the_trail_records_old_and_new_values_masked(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let id = bench.own_operation(Role::Teller).await;
    as_(&bench, Role::Teller).await;
    bench
        .c
        .sync_resend_code(ResendCodeInput {
            id,
            mobile: "13912345678".into(),
        })
        .await
        .expect("code sent");
    bench
        .c
        .sync_resend(fix(
            id,
            json!({ "name": "王晓明", "mobile": "13912345678",
                "residentId": "110105194912310038" }),
            Some(RIGHT_CODE),
        ))
        .await
        .expect("resent");
    let detail: serde_json::Value =
        serde_json::from_str(&details(&bench, "sync.resent").await[0]).expect("json");
    assert_eq!(detail["kind"], "customer.create");
    assert_eq!(detail["screened"], true);
    assert_eq!(detail["codeVerified"], true);
    let changes = &detail["changes"];
    assert_eq!(changes["name"], json!({ "from": "王**", "to": "王**" }));
    assert_eq!(
        changes["mobile"],
        json!({ "from": "138****5678", "to": "139****5678" })
    );
    let text = detail.to_string();
    for whole in [
        "13812345678",
        "13912345678",
        "11010519491231002X",
        "110105194912310038",
        "王小明",
        "王晓明",
    ] {
        assert!(!text.contains(whole), "{whole} in {text}");
    }
    assert_ne!(changes["residentId"]["from"], changes["residentId"]["to"]);
}

/// The Sync screen shows Resend and Discard from what core answers per item for the signed-in
/// staff member, the same rule the commands apply: the maker or a supervisor resends; a
/// supervisor or an administrator discards; nothing once the item no longer needs attention.
#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn the_sync_screen_offers_only_the_steps_core_allows_this_staff_member(pool: SqlitePool) {
    let bench = Bench::new(pool).await;
    let tellers = bench.own_operation(Role::Teller).await;
    for (role, resend, discard) in [
        (Role::Booth, false, false),
        (Role::Complaints, false, false),
        (Role::Disputes, false, false),
        (Role::Supervisor, true, true),
        (Role::Admin, false, true),
        (Role::Teller, true, false),
    ] {
        as_(&bench, role).await;
        let items = bench.c.sync_list(None).await.expect("list");
        let item = items.iter().find(|i| i.id == tellers).expect("the item");
        assert_eq!(
            (item.may_resend, item.may_discard),
            (resend, discard),
            "{role:?}"
        );
        assert_eq!(
            item.correctable,
            ["name", "residentId", "mobile"],
            "{role:?}"
        );
        if !resend {
            // What the screen does not offer, the command refuses.
            let refused = bench.c.sync_resend(fix(tellers, json!({}), None)).await;
            assert_eq!(code_of(refused), Code::Forbidden, "{role:?}");
        }
    }
    // The maker (signed in last) resends it: it no longer needs attention, so nothing is offered.
    bench
        .c
        .sync_resend(fix(tellers, json!({}), None))
        .await
        .expect("the maker resends");
    let items = bench.c.sync_list(None).await.expect("list");
    let resent = items.iter().find(|i| i.id == tellers).expect("resent");
    assert_eq!(resent.state, OutboxState::Pending);
    assert!(!resent.may_resend && !resent.may_discard);
}
