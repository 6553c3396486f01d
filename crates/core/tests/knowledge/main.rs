//! Knowledge-base search over the local copy, as the change feed fills it.

use serde_json::{Value, json};
use sqlx::SqlitePool;
use walletdesk_core::corelink::CoreChange;
use walletdesk_core::knowledge::{self, KbQuery, search::search};

fn version(title: &str, body: &str, category: &str, tags: &[&str], language: &str) -> Value {
    json!({"version": 1, "title": title, "body": body, "category": category, "tags": tags,
        "language": language, "writtenBy": "ho-a", "writtenAt": "2026-01-01T00:00:00Z",
        "publishedBy": "ho-b", "publishedAt": "2026-01-02T00:00:00Z"})
}

fn published(id: &str, version: Value) -> CoreChange {
    CoreChange {
        cursor: id.into(),
        kind: "article".into(),
        id: id.into(),
        data: json!({"id": id, "published": version, "updatedAt": "2026-01-02T00:00:00Z"}),
    }
}

async fn pull(pool: &SqlitePool, changes: &[CoreChange]) {
    let mut conn = pool.acquire().await.expect("conn");
    for change in changes {
        knowledge::apply(&mut conn, change).await.expect("apply");
    }
}

async fn ids(pool: &SqlitePool, text: &str) -> Vec<String> {
    search(
        pool,
        &KbQuery {
            text: text.into(),
            category: None,
        },
    )
    .await
    .expect("search")
    .into_iter()
    .map(|h| h.id)
    .collect()
}

async fn seeded(pool: &SqlitePool) {
    pull(
        pool,
        &[
            published(
                "kb-fraud",
                version(
                    "防范电信诈骗",
                    "牢记不轻信、不透露、不转账。可疑情况请拨打反诈热线96110，紧急时拨打110。",
                    "security",
                    &["反诈"],
                    "zh-CN",
                ),
            ),
            published(
                "kb-tiers",
                version(
                    "钱包等级与限额",
                    "四类钱包只需手机号，余额上限一万元，单笔两千元，每日五千元。",
                    "limits",
                    &["限额", "四类"],
                    "zh-CN",
                ),
            ),
            published(
                "kb-en",
                version(
                    "Wallet tiers and limits",
                    "A tier 4 wallet needs only a mobile number. Daily limit 5,000.",
                    "limits",
                    &["limits"],
                    "en",
                ),
            ),
        ],
    )
    .await;
}

/// The rule: a two-character word is found wherever it stands, also in the middle of a longer
/// run of characters ("热线" inside "反诈热线96110", "限额" inside "与限额"), which FTS5's own
/// tokenizers cannot do (unicode61 keeps the whole run as one token; trigram needs three).
#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_two_character_word_is_found_inside_a_longer_run(pool: SqlitePool) {
    seeded(&pool).await;
    assert_eq!(ids(&pool, "热线").await, ["kb-fraud"]);
    assert_eq!(ids(&pool, "转账").await, ["kb-fraud"]);
    assert_eq!(ids(&pool, "余额").await, ["kb-tiers"]);
    // Full-width digits from an IME are the same number.
    assert_eq!(ids(&pool, "９６１１０").await, ["kb-fraud"]);
    // Three and more characters: the run must appear as typed, not its bigrams scattered.
    assert_eq!(ids(&pool, "反诈热线").await, ["kb-fraud"]);
    assert!(ids(&pool, "热线反诈").await.is_empty());
    // One character finds it at the end of a run too ("元。").
    assert_eq!(ids(&pool, "元").await, ["kb-tiers"]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_title_match_ranks_above_a_body_match(pool: SqlitePool) {
    seeded(&pool).await;
    pull(
        &pool,
        &[published(
            "kb-body",
            version(
                "升级钱包",
                "升级到二类钱包后限额提高；限额以运营机构公布为准。",
                "how-to",
                &[],
                "zh-CN",
            ),
        )],
    )
    .await;
    assert_eq!(ids(&pool, "限额").await, ["kb-tiers", "kb-body"]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn title_and_tag_matches_come_before_body_matches_and_body_matches_rank_among_themselves(
    pool: SqlitePool,
) {
    let body =
        |id: &str, text: &str| published(id, version("钱包常见问题", text, "how-to", &[], "zh-CN"));
    let mut changes = vec![
        // Added first, so the newest body matches are the fillers below.
        body("kb-body-rich", "挂失后补办；挂失当天生效；挂失可撤销。"),
        body("kb-body-once", "如需挂失请到柜台。"),
    ];
    // More body-only matches than are ranked: the two above are then too old to be scored,
    // and the newest come first by bm25 among themselves.
    for n in 0..250 {
        changes.push(body(
            &format!("kb-filler-{n:03}"),
            "说明里提到挂失一次，其余是别的内容。",
        ));
    }
    changes.push(published(
        "kb-tagged",
        version(
            "卡片丢了怎么办",
            "请尽快联系银行。",
            "security",
            &["挂失"],
            "zh-CN",
        ),
    ));
    changes.push(published(
        "kb-titled",
        version("挂失与解挂", "到柜台办理。", "security", &[], "zh-CN"),
    ));
    pull(&pool, &changes).await;
    let found = ids(&pool, "挂失").await;
    assert_eq!(found.len(), 20);
    // The title above the tag, both above every body match.
    assert_eq!(found[..2], ["kb-titled", "kb-tagged"]);
    assert!(
        found[2..].iter().all(|id| id.starts_with("kb-filler-")),
        "{found:?}"
    );

    // A word in the title but another only in the body is a body match, ranked with them.
    assert_eq!(ids(&pool, "挂失 柜台").await, ["kb-titled", "kb-body-once"]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn among_body_matches_more_mentions_rank_higher(pool: SqlitePool) {
    let body =
        |id: &str, text: &str| published(id, version("钱包常见问题", text, "how-to", &[], "zh-CN"));
    pull(
        &pool,
        &[
            body("kb-body-once", "如需挂失请到柜台，柜台营业时间见门口。"),
            body("kb-body-rich", "挂失后补办；挂失当天生效；挂失可撤销。"),
        ],
    )
    .await;
    assert_eq!(ids(&pool, "挂失").await, ["kb-body-rich", "kb-body-once"]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn english_words_are_found_by_their_start_in_any_case(pool: SqlitePool) {
    seeded(&pool).await;
    assert_eq!(ids(&pool, "LIMIT").await, ["kb-en"]);
    assert_eq!(ids(&pool, "tier mobile").await, ["kb-en"]);
    assert!(ids(&pool, "tier password").await.is_empty());
    // Chinese and English in one query: both must match.
    assert!(ids(&pool, "limit 限额").await.is_empty());
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn only_published_versions_are_searched_and_a_removed_article_leaves(pool: SqlitePool) {
    seeded(&pool).await;
    // A draft waiting for a checker is not what staff read.
    pull(
        &pool,
        &[CoreChange {
            cursor: "9".into(),
            kind: "article".into(),
            id: "kb-draft".into(),
            data: json!({"id": "kb-draft", "draft": version("手续费标准", "开户免费。", "fees",
                &[], "zh-CN"), "updatedAt": "2026-01-02T00:00:00Z"}),
        }],
    )
    .await;
    assert!(ids(&pool, "手续").await.is_empty());
    // The core removes an article: gone from the index too.
    pull(
        &pool,
        &[CoreChange {
            cursor: "10".into(),
            kind: "article".into(),
            id: "kb-fraud".into(),
            data: Value::Null,
        }],
    )
    .await;
    assert!(ids(&pool, "热线").await.is_empty());
    // A new version replaces the old one's words.
    pull(
        &pool,
        &[published(
            "kb-tiers",
            version("钱包等级", "二类钱包每日十万元。", "limits", &[], "zh-CN"),
        )],
    )
    .await;
    assert!(ids(&pool, "余额").await.is_empty());
    assert_eq!(ids(&pool, "十万").await, ["kb-tiers"]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_category_narrows_and_an_empty_query_browses(pool: SqlitePool) {
    seeded(&pool).await;
    let browse = search(
        &pool,
        &KbQuery {
            text: " ".into(),
            category: Some("limits".into()),
        },
    )
    .await
    .expect("browse");
    let mut found: Vec<String> = browse.into_iter().map(|h| h.id).collect();
    found.sort();
    assert_eq!(found, ["kb-en", "kb-tiers"]);
    let refused = search(
        &pool,
        &KbQuery {
            text: "限额".into(),
            category: Some("gossip".into()),
        },
    )
    .await
    .expect_err("unknown category");
    assert_eq!(refused.fields()[0].code, "kb_category_unknown");
}
