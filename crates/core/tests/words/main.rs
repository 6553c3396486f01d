//! What staff read on the audit screen: every action core writes, and every key of the
//! details it records, has words in both UI languages (ui/src/i18n). Without them the screen
//! shows `training.staff_seeded` and `{"role":"supervisor"}`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use walletdesk_core::audit::ACTIONS;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn locale(name: &str) -> serde_json::Value {
    let path = repo().join(format!("ui/src/i18n/{name}.json"));
    let text = std::fs::read_to_string(&path).expect("locale file");
    serde_json::from_str(&text).expect("locale JSON")
}

/// `area.verb` for every string leaf under `actions`.
fn action_words(locale: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (area, verbs) in locale["actions"].as_object().expect("actions") {
        for (verb, words) in verbs.as_object().expect("verbs") {
            if words.as_str().is_some_and(|w| !w.trim().is_empty()) {
                out.insert(format!("{area}.{verb}"));
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            out.push((path, text));
        }
    }
}

fn core_sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    sources(&repo().join("crates/core/src"), &mut out);
    out
}

/// The text inside the parentheses that open at `open` (just after the `(`).
fn balanced(text: &str, open: usize) -> &str {
    let mut depth = 1usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open..open + i];
                }
            }
            _ => {}
        }
    }
    &text[open..]
}

/// Every `"key":` in a `json!(...)` of a file that writes audit records, except a `body`
/// (what goes to the core, not the log), and every key inserted by name (`insert("key"`).
fn detail_keys() -> BTreeSet<String> {
    let key = regex::Regex::new(r#""([A-Za-z_]+)"\s*:"#).expect("regex");
    let inserted = regex::Regex::new(r#"insert\(\s*"([A-Za-z_]+)""#).expect("regex");
    let mut out = BTreeSet::new();
    for (_, text) in core_sources() {
        if !text.contains("NewAudit") {
            continue;
        }
        for (at, _) in text.match_indices("json!(") {
            let before = &text[at.saturating_sub(12)..at];
            if before.contains("body") {
                continue;
            }
            for cap in key.captures_iter(balanced(&text, at + "json!(".len())) {
                out.insert(cap[1].to_owned());
            }
        }
        for cap in inserted.captures_iter(&text) {
            out.insert(cap[1].to_owned());
        }
    }
    out
}

#[test]
fn every_audit_action_core_writes_has_words_in_both_languages() {
    let listed: BTreeSet<String> = ACTIONS.iter().map(|a| (*a).to_owned()).collect();
    for name in ["zh-CN", "en"] {
        let words = action_words(&locale(name));
        let missing: Vec<_> = listed.difference(&words).collect();
        let stale: Vec<_> = words.difference(&listed).collect();
        assert!(
            missing.is_empty(),
            "{name}.json has no words for {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "{name}.json has words for actions core never writes: {stale:?}"
        );
    }
}

/// The action names in the source: every `"area.verb"` literal of an area the log uses,
/// except outbox kinds (`kind: "wallet.tier"`, `queued(.., "card.link", ..)`, the resend
/// table's `("customer.create", &[..])`) and comments. Read from the text, so a path no test
/// runs counts too.
fn source_actions() -> BTreeSet<String> {
    // The log's areas, named here too: an area whose only action was left out of ACTIONS
    // must still be read.
    let mut areas: BTreeSet<&str> = [
        "auth",
        "session",
        "setup",
        "training",
        "staff",
        "settings",
        "permission",
        "audit",
        "core",
        "sync",
        "complaint",
        "customer",
        "wallet",
        "consent",
        "onboarding",
        "card",
        "dispute",
        "booth",
        "campaign",
        "lead",
        "elder",
    ]
    .into();
    areas.extend(ACTIONS.iter().filter_map(|a| a.split('.').next()));
    let literal = regex::Regex::new(r#""([a-z_]+)\.([a-z_]+)""#).expect("regex");
    let table = regex::Regex::new(r#"^\s*\("[a-z_.]+",\s*&\["#).expect("regex");
    let mut out = BTreeSet::new();
    for (_, text) in core_sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            let near_queued = lines[i.saturating_sub(3)..=i]
                .iter()
                .any(|l| l.contains("queued("));
            if code.starts_with("//")
                || line.contains("kind")
                || near_queued
                || table.is_match(line)
            {
                continue;
            }
            for cap in literal.captures_iter(line) {
                if areas.contains(&cap[1]) {
                    out.insert(format!("{}.{}", &cap[1], &cap[2]));
                }
            }
        }
    }
    out
}

#[test]
fn every_audit_action_in_the_source_is_listed_and_every_listed_one_is_written() {
    let listed: BTreeSet<String> = ACTIONS.iter().map(|a| (*a).to_owned()).collect();
    let written = source_actions();
    let unlisted: Vec<_> = written.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&written).collect();
    assert!(
        unlisted.is_empty(),
        "core writes audit actions not in audit::ACTIONS: {unlisted:?}"
    );
    assert!(
        stale.is_empty(),
        "audit::ACTIONS lists actions the source never writes: {stale:?}"
    );
}

#[test]
fn every_audit_detail_key_has_a_label_in_both_languages() {
    let keys = detail_keys();
    assert!(
        keys.contains("role") && keys.contains("outboxId"),
        "{keys:?}"
    );
    for name in ["zh-CN", "en"] {
        let labels = &locale(name)["auditDetail"]["labels"];
        let missing: Vec<_> = keys
            .iter()
            .filter(|k| {
                labels[k.as_str()]
                    .as_str()
                    .is_none_or(|w| w.trim().is_empty())
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{name}.json auditDetail.labels has no label for {missing:?}"
        );
    }
}
