//! Audit search: free text is literal (an `_`, `%` or `\` is a character, not a wildcard), and
//! paging by key visits every matching record exactly once, newest first, for every filter.

use chrono::{Duration, TimeZone, Utc};
use sqlx::SqlitePool;
use walletdesk_core::audit::{self, AuditOutcome, AuditQuery, NewAudit};
use walletdesk_core::store::Store;
use walletdesk_core::{Code, Error};

async fn append(store: &Store, minutes: i64, rec: NewAudit) {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .expect("time")
        + Duration::minutes(minutes);
    let mut tx = store.begin().await.expect("tx");
    audit::append(&mut tx, at, rec).await.expect("append");
    tx.commit().await.expect("commit");
}

async fn found(pool: &SqlitePool, text: &str) -> Vec<String> {
    let page = audit::search(
        pool,
        &AuditQuery {
            text: Some(text.into()),
            limit: 50,
            ..AuditQuery::default()
        },
    )
    .await
    .expect("search");
    let mut actors: Vec<String> = page.entries.into_iter().map(|e| e.actor).collect();
    actors.sort();
    actors
}

#[sqlx::test]
async fn free_text_with_underscore_percent_or_backslash_is_matched_literally(pool: SqlitePool) {
    let store = Store::from_pool(pool.clone());
    append(
        &store,
        0,
        NewAudit::new(Some(1), "li_na", "customer.viewed").subject("customer", "C0001"),
    )
    .await;
    append(
        &store,
        1,
        NewAudit::new(Some(2), "lixna", "customer.viewed").subject("customer", "C0002"),
    )
    .await;
    append(
        &store,
        2,
        NewAudit::new(Some(3), "wang", "settings.changed")
            .detail(serde_json::json!({ "discount": "50%" })),
    )
    .await;
    append(
        &store,
        3,
        NewAudit::new(Some(4), "zhao", "documents.exported")
            .detail(serde_json::json!({ "path": "a\\b" })),
    )
    .await;
    append(
        &store,
        4,
        NewAudit::new(Some(5), "chen", "complaint.opened"),
    )
    .await;

    // One character: looked for with LIKE, escaped per character.
    assert_eq!(found(&pool, "_").await, ["li_na"]);
    assert_eq!(found(&pool, "%").await, ["wang"]);
    assert_eq!(found(&pool, "\\").await, ["zhao"]);
    // Three or more: the trigram index, where every character is literal anyway.
    assert_eq!(found(&pool, "li_na").await, ["li_na"]);
    assert_eq!(found(&pool, "50%").await, ["wang"]);
    assert_eq!(found(&pool, "a\\\\b").await, ["zhao"]);
    assert_eq!(found(&pool, "customer.viewed").await, ["li_na", "lixna"]);
    assert_eq!(found(&pool, "CUSTOMER.VIEWED").await, ["li_na", "lixna"]);
    assert_eq!(found(&pool, "\"quoted\"").await, Vec::<String>::new());
    assert_eq!(found(&pool, "C0002").await, ["lixna"]);
}

/// Every record id the filter matches, newest first, the way `search` orders them.
fn expected(all: &[(i64, i64, &str, AuditOutcome, String)], q: &AuditQuery) -> Vec<i64> {
    let mut ids: Vec<(i64, i64)> = all
        .iter()
        .filter(|(_, _, action, outcome, actor)| {
            q.action.as_deref().is_none_or(|a| {
                if a.ends_with('.') {
                    action.starts_with(a)
                } else {
                    *action == a
                }
            }) && q.outcome.is_none_or(|o| o == *outcome)
                && q.text.as_deref().is_none_or(|t| actor.contains(t))
        })
        .map(|(id, minutes, ..)| (*minutes, *id))
        .collect();
    if q.text.is_some() {
        ids.sort_by_key(|&(_, id)| std::cmp::Reverse(id));
    } else {
        ids.sort_by_key(|&key| std::cmp::Reverse(key));
    }
    ids.into_iter().map(|(_, id)| id).collect()
}

#[sqlx::test]
async fn paging_by_key_visits_every_match_once_newest_first_for_every_filter(pool: SqlitePool) {
    let store = Store::from_pool(pool.clone());
    let actions = [
        "auth.sign_in",
        "auth.sign_out",
        "customer.viewed",
        "auth.locked",
    ];
    let mut all = Vec::new();
    for i in 0..60_i64 {
        let action = actions[(i % 4) as usize];
        let outcome = if i % 3 == 0 {
            AuditOutcome::Refused
        } else {
            AuditOutcome::Ok
        };
        // Time is not the order of writing everywhere: a clock set back makes two runs of
        // records share minutes, so the (time, id) order is tested, not just the id order.
        let minutes = if i < 30 { i * 2 } else { (i - 30) * 2 + 1 };
        let actor = format!("staff{:02}", i % 7);
        append(
            &store,
            minutes,
            NewAudit::new(Some(i), actor.clone(), action).outcome(outcome),
        )
        .await;
        all.push((i + 1, minutes, action, outcome, actor));
    }
    let queries = [
        AuditQuery::default(),
        AuditQuery {
            action: Some("auth.sign_in".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            action: Some("auth.".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            action: Some("nothing.".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            outcome: Some(AuditOutcome::Refused),
            ..AuditQuery::default()
        },
        AuditQuery {
            action: Some("auth.".into()),
            outcome: Some(AuditOutcome::Ok),
            ..AuditQuery::default()
        },
        AuditQuery {
            text: Some("staff03".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            text: Some("staff0".into()),
            action: Some("auth.".into()),
            ..AuditQuery::default()
        },
    ];
    for query in queries {
        let want = expected(&all, &query);
        let mut got = Vec::new();
        let mut after = None;
        let mut first = true;
        loop {
            let page = audit::search(
                &pool,
                &AuditQuery {
                    after: after.clone(),
                    limit: 7,
                    ..query.clone()
                },
            )
            .await
            .expect("page");
            if first {
                assert_eq!(page.total, Some(want.len() as i64), "{query:?}");
                assert!(!page.total_capped);
                first = false;
            } else {
                assert_eq!(page.total, None);
            }
            got.extend(page.entries.iter().map(|e| e.id));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(got, want, "{query:?}");
    }

    let bad = audit::search(
        &pool,
        &AuditQuery {
            after: Some("no cursor".into()),
            limit: 7,
            ..AuditQuery::default()
        },
    )
    .await
    .expect_err("bad cursor");
    assert!(matches!(bad, Error::InvalidInput(_)));
    assert_eq!(bad.code(), Code::InvalidInput);
}
