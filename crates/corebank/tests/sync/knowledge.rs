//! The knowledge base end to end: head office writes a draft on one console, another
//! head-office staff member publishes it (never its author), the core feeds it to a branch
//! console, where a teller finds it by a two-character word offline and flags it; the flag
//! reaches head office's desk.

use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::console::SignInInput;
use walletdesk_core::knowledge::{KbDraftInput, KbFlagInput, KbPublishInput, KbQuery};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, NewOperation, outbox};
use walletdesk_core::{Code, Console};

const PW: &str = "teller-pass-2026";

/// Push what is queued and pull what the core now holds; nothing may need attention.
async fn sync(engine: &Engine, store: &Store) {
    for _ in 0..5 {
        engine.sync_now().await.expect("sync");
        let status = outbox::status(store.read()).await.expect("status");
        assert_eq!(
            status.attention,
            0,
            "{:?}",
            outbox::list(store.read(), None, 10).await
        );
        if status.queued == 0 {
            engine.sync_now().await.expect("sync");
            return;
        }
    }
    panic!("the outbox did not drain");
}

/// Signs `console` in as a second supervisor, "wang.qiang", created by the admin.
async fn second_supervisor(console: &Console) {
    console.sign_out().await.expect("out");
    console
        .sign_in(SignInInput {
            username: "admin".into(),
            password: PW.into(),
        })
        .await
        .expect("admin");
    console
        .staff_create(NewStaffInput {
            username: "wang.qiang".into(),
            display_name: "王强".into(),
            role: Role::Supervisor,
            password: PW.into(),
        })
        .await
        .expect("second supervisor");
    console.sign_out().await.expect("out");
    console
        .sign_in(SignInInput {
            username: "wang.qiang".into(),
            password: PW.into(),
        })
        .await
        .expect("in");
}

fn hotline_draft() -> KbDraftInput {
    KbDraftInput {
        id: None,
        title: "遇到可疑来电怎么办".into(),
        body: "牢记不轻信、不透露、不转账。拨打反诈热线96110咨询，紧急情况拨打110。".into(),
        category: "security".into(),
        tags: vec!["反诈".into(), "96110".into()],
        language: "zh-CN".into(),
    }
}

#[tokio::test]
async fn an_author_cannot_publish_their_own_draft() {
    let sandbox = super::sandbox(5).await;
    let (_dir, head_office, engine, store) = counter_as(&sandbox.url(), Role::Supervisor).await;
    let written = head_office
        .kb_save_draft(hotline_draft())
        .await
        .expect("draft");
    let draft = written.draft.clone().expect("draft");
    assert_eq!(draft.written_by, "li.na");
    assert!(written.draft_pending && !written.may_publish);
    sync(&engine, &store).await;

    // The author is refused here, before anything is queued, and the refusal is audited.
    let refused = head_office
        .kb_publish(KbPublishInput {
            id: written.id.clone(),
            version: draft.version,
        })
        .await
        .expect_err("the author cannot publish");
    assert_eq!(refused.code(), Code::Conflict);
    assert_eq!(refused.fields()[0].code, "kb_author_cannot_publish");
    assert_eq!(
        outbox::status(store.read()).await.expect("status").queued,
        0
    );
    let trail: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject_id = ? ORDER BY id")
            .bind(&written.id)
            .fetch_all(store.read())
            .await
            .expect("trail");
    assert_eq!(
        trail,
        ["knowledge.draft_saved", "knowledge.publish_refused"]
    );

    // And the core refuses it too, should a console send it anyway.
    let mut tx = store.begin().await.expect("tx");
    outbox::enqueue(
        &mut tx,
        engine.sealer(),
        NewOperation {
            aggregate: format!("article:{}", written.id),
            kind: "article.publish".into(),
            subject: Some(written.id.clone()),
            body: serde_json::json!({"staffId": "li.na", "version": draft.version}),
            summary: "publish own draft".into(),
            record_ref: None,
        },
        chrono::Utc::now(),
        None,
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    engine.sync_now().await.expect("sync");
    let parked = outbox::list(store.read(), Some(outbox::OutboxState::Attention), 10)
        .await
        .expect("list");
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert!(
        parked[0]
            .attention_reason
            .as_deref()
            .is_some_and(|r| r.contains("author cannot publish")),
        "{parked:?}"
    );
    let at_core = super::client(&sandbox.url())
        .get_article(&written.id)
        .await
        .expect("article");
    assert!(at_core.published.is_none(), "{at_core:?}");
}

#[tokio::test]
async fn published_at_head_office_read_offline_at_a_branch_and_flagged_back() {
    let sandbox = super::sandbox(5).await;
    let (_d1, head_office, ho_engine, ho_store) =
        counter_as(&sandbox.url(), Role::Supervisor).await;
    let written = head_office
        .kb_save_draft(hotline_draft())
        .await
        .expect("draft");
    sync(&ho_engine, &ho_store).await;
    second_supervisor(&head_office).await;
    let checked = head_office
        .kb_article(written.id.clone())
        .await
        .expect("read");
    assert!(checked.may_publish && !checked.draft_pending, "{checked:?}");
    head_office
        .kb_publish(KbPublishInput {
            id: written.id.clone(),
            version: 1,
        })
        .await
        .expect("published by the checker");
    sync(&ho_engine, &ho_store).await;
    let published = head_office
        .kb_article(written.id.clone())
        .await
        .expect("read");
    let version = published.published.expect("published");
    assert_eq!(version.published_by.as_deref(), Some("wang.qiang"));
    assert!(published.draft.is_none());

    // A branch console gets it from the feed; the teller finds it offline by a
    // two-character word in the middle of a run ("热线" in "反诈热线96110").
    let (_d2, branch, br_engine, br_store) = counter_as(&sandbox.url(), Role::Teller).await;
    sync(&br_engine, &br_store).await;
    let hits = branch
        .kb_search(KbQuery {
            text: "热线".into(),
            category: None,
        })
        .await
        .expect("search");
    assert!(!hits.may_write);
    let hits = hits.hits;
    let hit = hits
        .iter()
        .find(|h| h.id == written.id)
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert!(hit.excerpt.contains("热线"), "{hits:?}");
    // The training starter set came with the feed too.
    assert!(hits.iter().any(|h| h.id == "kb-start-fraud-zh"), "{hits:?}");
    let read = branch.kb_article(written.id.clone()).await.expect("read");
    assert!(read.draft.is_none() && read.flags.is_empty() && !read.may_write);

    // A teller cannot write or publish.
    let refused = branch
        .kb_save_draft(hotline_draft())
        .await
        .expect_err("not head office");
    assert_eq!(refused.code(), Code::Forbidden);

    // The flag goes to the core and back to head office's desk.
    branch
        .kb_flag(KbFlagInput {
            id: written.id.clone(),
            version: 1,
            reason: "out-of-date".into(),
            note: "热线服务时间已调整".into(),
        })
        .await
        .expect("flagged");
    sync(&br_engine, &br_store).await;
    sync(&ho_engine, &ho_store).await;
    let desk = head_office.kb_desk().await.expect("desk");
    assert_eq!(desk.flags.len(), 1, "{desk:?}");
    assert_eq!(desk.flags[0].flag.note, "热线服务时间已调整");
    assert_eq!(desk.flags[0].flag.staff_id, "li.na");
    assert_eq!(desk.flags[0].title.as_deref(), Some("遇到可疑来电怎么办"));
}
