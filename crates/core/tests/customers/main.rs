//! Customer search over the local read model, as the pull fills it.

use serde_json::json;
use sqlx::SqlitePool;
use walletdesk_core::corelink::CoreChange;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::customers::search::search;
use walletdesk_core::sync::readmodel;

/// One data key for the whole test binary: what the pull seals, the search opens.
fn sealer() -> &'static Sealer {
    static SEALER: std::sync::OnceLock<Sealer> = std::sync::OnceLock::new();
    SEALER.get_or_init(|| Sealer::new(&DataKey::generate()))
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("day")
}

async fn pull(pool: &SqlitePool, changes: Vec<CoreChange>) {
    let mut tx = pool.begin().await.expect("begin");
    for change in &changes {
        readmodel::apply(&mut tx, sealer(), change)
            .await
            .expect("apply");
    }
    tx.commit().await.expect("commit");
}

fn customer(id: &str, name: &str, masked_id: &str, mobile: &str) -> CoreChange {
    CoreChange {
        cursor: id.into(),
        kind: "customer".into(),
        id: id.into(),
        data: json!({"id": id, "name": name, "maskedResidentId": masked_id, "mobile": mobile,
            "birthDate": "1980-01-01", "sex": "male", "createdAt": "2025-01-01T00:00:00Z"}),
    }
}

async fn seeded(pool: &SqlitePool) {
    pull(
        pool,
        vec![
            customer("1", "张三丰", "110105********002X", "13812345678"),
            customer("2", "张三", "440524********0013", "13900001111"),
            customer("3", "李四", "110105********1234", "13700002222"),
            CoreChange {
                cursor: "4".into(),
                kind: "wallet".into(),
                id: "0001000200030004".into(),
                data: json!({"id": "0001000200030004", "customerId": "3", "tier": 2,
                    "balance": "10.00", "status": "active", "openedAt": "2025-01-01T00:00:00Z"}),
            },
            CoreChange {
                cursor: "5".into(),
                kind: "card".into(),
                id: "c1".into(),
                data: json!({"id": "c1", "walletId": "0001000200030004",
                    "maskedNumber": "6222 **** **** 9876", "status": "linked",
                    "linkedAt": "2025-01-01T00:00:00Z"}),
            },
        ],
    )
    .await;
}

async fn ids(pool: &SqlitePool, text: &str) -> Vec<(String, String)> {
    search(pool, sealer(), today(), text)
        .await
        .expect("search")
        .into_iter()
        .map(|h| (h.id, h.matched_on))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn every_way_a_teller_types_finds_the_customer(pool: SqlitePool) {
    seeded(&pool).await;
    assert_eq!(
        ids(&pool, "张三").await,
        pairs(&[("2", "name"), ("1", "name")])
    );
    assert_eq!(ids(&pool, "zsf").await, pairs(&[("1", "initials")]));
    assert_eq!(
        ids(&pool, "ZS").await,
        pairs(&[("2", "initials"), ("1", "initials")])
    );
    assert_eq!(ids(&pool, "138 1234 5678").await, pairs(&[("1", "mobile")]));
    assert_eq!(ids(&pool, "139").await, pairs(&[("2", "mobile")]));
    assert_eq!(ids(&pool, "002x").await, pairs(&[("1", "idLast4")]));
    // "1234" is both an ID's last four and (no) card; "9876" is only a card's.
    assert_eq!(ids(&pool, "1234").await, pairs(&[("3", "idLast4")]));
    assert_eq!(ids(&pool, "9876").await, pairs(&[("3", "card")]));
    assert_eq!(
        ids(&pool, "0001000200030004").await,
        pairs(&[("3", "wallet")])
    );
    let first6 = ids(&pool, "110105").await;
    assert_eq!(first6.len(), 2);
    assert!(first6.iter().all(|(_, on)| on == "idFirst6"));
    assert!(ids(&pool, "王").await.is_empty());
    assert!(ids(&pool, "").await.is_empty());
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn hits_show_masked_numbers_only(pool: SqlitePool) {
    seeded(&pool).await;
    let hits = search(&pool, sealer(), today(), "张三丰")
        .await
        .expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].masked_mobile, "138****5678");
    assert_eq!(hits[0].masked_resident_id, "110105********002X");
    // The age, never the birth date the mask hides (1980-01-01 in the feed).
    assert_eq!(hits[0].age, Some(46));
    let json = serde_json::to_string(&hits).expect("json");
    assert!(
        !json.contains("1980-01-01") && !json.contains("19800101"),
        "{json}"
    );
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn full_width_search_text_is_normalised_not_refused(pool: SqlitePool) {
    seeded(&pool).await;
    assert_eq!(
        ids(&pool, "１３８１２３４５６７８").await,
        pairs(&[("1", "mobile")])
    );
    assert_eq!(
        ids(&pool, "＋８６　１３８　１２３４　５６７８").await,
        pairs(&[("1", "mobile")])
    );
    assert_eq!(ids(&pool, "００２Ｘ").await, pairs(&[("1", "idLast4")]));
    assert_eq!(ids(&pool, "９８７６").await, pairs(&[("3", "card")]));
    assert_eq!(ids(&pool, "ＺＳＦ").await, pairs(&[("1", "initials")]));
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_changed_name_is_found_by_its_new_initials(pool: SqlitePool) {
    seeded(&pool).await;
    pull(
        &pool,
        vec![customer("2", "王五", "440524********0013", "13900001111")],
    )
    .await;
    assert_eq!(ids(&pool, "ww").await, pairs(&[("2", "initials")]));
    assert!(ids(&pool, "张三").await.iter().all(|(id, _)| id != "2"));
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_full_pinyin_spelling_finds_the_customer(pool: SqlitePool) {
    seeded(&pool).await;
    pull(
        &pool,
        vec![
            customer("4", "王芳", "330106********5528", "15800003333"),
            customer("5", "王峰", "330106********5536", "15800004444"),
        ],
    )
    .await;
    assert_eq!(ids(&pool, "wangfang").await, pairs(&[("4", "pinyin")]));
    assert_eq!(ids(&pool, "WangFang").await, pairs(&[("4", "pinyin")]));
    assert_eq!(
        ids(&pool, "ｗａｎｇｆａｎｇ").await,
        pairs(&[("4", "pinyin")])
    );
    assert_eq!(ids(&pool, "zhangsanfeng").await, pairs(&[("1", "pinyin")]));
    assert_eq!(
        ids(&pool, "zhangsan").await,
        pairs(&[("2", "pinyin"), ("1", "pinyin")])
    );
    // Initials still come first, and a spelling no name has finds no one.
    assert_eq!(
        ids(&pool, "wf").await,
        pairs(&[("4", "initials"), ("5", "initials")])
    );
    assert!(ids(&pool, "wangfei").await.is_empty());
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn a_mix_of_pinyin_spelling_and_initials_finds_the_customer(pool: SqlitePool) {
    seeded(&pool).await;
    pull(
        &pool,
        vec![
            customer("4", "王芳", "330106********5528", "15800003333"),
            customer("5", "王峰", "330106********5536", "15800004444"),
            customer("6", "吴芳", "330106********5544", "15800005555"),
        ],
    )
    .await;
    let found = |list: Vec<(String, String)>| -> Vec<String> {
        let mut ids: Vec<String> = list.into_iter().map(|(id, _)| id).collect();
        ids.sort();
        ids
    };
    // A spelling then an initial, with or without the space.
    assert_eq!(found(ids(&pool, "wang f").await), ["4", "5"]);
    assert_eq!(found(ids(&pool, "wangf").await), ["4", "5"]);
    assert_eq!(found(ids(&pool, "wang fa").await), ["4"]);
    // An initial then a spelling: every W whose second character reads "fang".
    assert_eq!(found(ids(&pool, "w fang").await), ["4", "6"]);
    assert_eq!(found(ids(&pool, "wfang").await), ["4", "6"]);
    assert_eq!(found(ids(&pool, "wu f").await), ["6"]);
    assert_eq!(found(ids(&pool, "zsanf").await), ["1"]);
    assert_eq!(found(ids(&pool, "zhang s f").await), ["1"]);
    assert!(ids(&pool, "w feng fang").await.is_empty());
    assert!(ids(&pool, "w xiong").await.is_empty());
}
