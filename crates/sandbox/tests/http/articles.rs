//! The knowledge base at the core: drafts, maker-checker publishing, flags, and the feed.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, feed_entry, get, post};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn draft(author: &str, title: &str) -> Value {
    json!({"title": title, "body": "拨打反诈热线96110。", "category": "security",
        "tags": ["反诈", "96110"], "language": "zh-CN", "authorId": author})
}

fn publish(staff: &str, version: u32) -> Value {
    json!({"staffId": staff, "version": version})
}

#[tokio::test]
async fn the_core_refuses_an_author_publishing_their_own_draft() {
    let sandbox = sandbox().await;
    let (status, article) = post(
        &sandbox,
        "/v1/articles/kb-1/draft",
        "d1",
        &draft("ho-wang", "反诈热线"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{article}");
    assert_eq!(article["draft"]["version"], 1);
    assert_eq!(article["draft"]["writtenBy"], "ho-wang");
    assert!(article.get("published").is_none(), "{article}");

    let refused = post(
        &sandbox,
        "/v1/articles/kb-1/publish",
        "p1",
        &publish("ho-wang", 1),
    )
    .await;
    assert_problem(&refused, 409, "author-cannot-publish");
    assert!(get(&sandbox, "/v1/articles/kb-1").await.1["published"].is_null());

    // Another head-office staff member checks and publishes it.
    let (status, article) = post(
        &sandbox,
        "/v1/articles/kb-1/publish",
        "p2",
        &publish("ho-li", 1),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{article}");
    assert_eq!(article["published"]["version"], 1);
    assert_eq!(article["published"]["publishedBy"], "ho-li");
    assert!(article.get("draft").is_none(), "{article}");
}

#[tokio::test]
async fn a_checker_who_rewrites_the_draft_becomes_its_author() {
    let sandbox = sandbox().await;
    post(
        &sandbox,
        "/v1/articles/kb-2/draft",
        "d1",
        &draft("ho-wang", "v1"),
    )
    .await;
    // ho-li edits the draft before publishing: the text is now ho-li's, so ho-li may not
    // publish it, and ho-wang (who did not write this text) may.
    let (_, article) = post(
        &sandbox,
        "/v1/articles/kb-2/draft",
        "d2",
        &draft("ho-li", "v1b"),
    )
    .await;
    assert_eq!(article["draft"]["version"], 1);
    assert_eq!(article["draft"]["writtenBy"], "ho-li");
    assert_problem(
        &post(
            &sandbox,
            "/v1/articles/kb-2/publish",
            "p1",
            &publish("ho-li", 1),
        )
        .await,
        409,
        "author-cannot-publish",
    );
    let (status, _) = post(
        &sandbox,
        "/v1/articles/kb-2/publish",
        "p2",
        &publish("ho-wang", 1),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // A new draft after publication is the next version; staff still read version 1 until
    // it is published.
    let (_, article) = post(
        &sandbox,
        "/v1/articles/kb-2/draft",
        "d3",
        &draft("ho-wang", "v2"),
    )
    .await;
    assert_eq!(article["draft"]["version"], 2);
    assert_eq!(article["published"]["version"], 1);
    assert_eq!(article["published"]["title"], "v1b");
    // Publishing a version other than the draft's is refused: the checker approves what
    // they read.
    assert_problem(
        &post(
            &sandbox,
            "/v1/articles/kb-2/publish",
            "p3",
            &publish("ho-li", 3),
        )
        .await,
        409,
        "no-such-draft",
    );
}

#[tokio::test]
async fn articles_and_flags_enter_the_change_feed() {
    let sandbox = sandbox().await;
    post(
        &sandbox,
        "/v1/articles/kb-3/draft",
        "d1",
        &draft("ho-wang", "反诈"),
    )
    .await;
    post(
        &sandbox,
        "/v1/articles/kb-3/publish",
        "p1",
        &publish("ho-li", 1),
    )
    .await;
    let change = feed_entry(&sandbox, "article", "kb-3")
        .await
        .expect("in the feed");
    assert_eq!(change.data["published"]["title"], "反诈");

    // A flag on a version that was never published is refused; on the published one it is
    // recorded and fed to head office.
    let flag = |version: u32| {
        json!({"staffId": "teller1", "version": version, "reason": "wrong",
            "note": "热线号码有误"})
    };
    assert_problem(
        &post(&sandbox, "/v1/articles/kb-3/flags", "f0", &flag(2)).await,
        422,
        "validation-failed",
    );
    let (status, recorded) = post(&sandbox, "/v1/articles/kb-3/flags", "f1", &flag(1)).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    let id = recorded["id"].as_str().expect("id");
    let change = feed_entry(&sandbox, "article-flag", id)
        .await
        .expect("in the feed");
    assert_eq!(change.data["articleId"], "kb-3");
    assert_eq!(change.data["note"], "热线号码有误");
}
