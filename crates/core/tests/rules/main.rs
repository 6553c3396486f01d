//! docs/rules.md is the rule catalogue: every business rule with its source and the tests
//! that check it. This holds the catalogue to the code: a named test must exist, a rule of a
//! built section must name one, and a rule not built yet must name none.

use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const NOT_BUILT: &str = "Not built yet";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One table row of the catalogue.
#[derive(Debug)]
struct Row {
    line: usize,
    section: String,
    rule: String,
    /// The source column: a regulation, or "product owner" and the file that holds the rule.
    source: String,
    tests: Vec<String>,
}

/// The rows of every table in `text`, header and separator rows left out. Test names are the
/// backticked spans of the last column (a UI test's name may hold a comma).
fn rows(text: &str) -> Vec<Row> {
    let ticked = Regex::new(r"`([^`]+)`").expect("regex");
    let mut section = String::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_owned();
            continue;
        }
        let Some(inner) = line.trim().strip_prefix('|') else {
            continue;
        };
        let cells: Vec<&str> = inner.trim_end_matches('|').split('|').collect();
        let rule = cells.first().map_or("", |c| c.trim());
        if rule == "Rule" || rule.starts_with("---") || cells.len() < 3 {
            continue;
        }
        let last = cells.last().map_or("", |c| c.trim());
        out.push(Row {
            line: i + 1,
            section: section.clone(),
            rule: rule.to_owned(),
            source: cells.get(1).map_or("", |c| c.trim()).to_owned(),
            tests: ticked
                .captures_iter(last)
                .map(|c| c[1].trim().to_owned())
                .collect(),
        });
    }
    out
}

fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | "node_modules" | "dist" | ".git") {
                walk(&path, keep, out);
            }
        } else if keep(&path)
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

/// Every test name in the repository: `fn name` in Rust (the catalogue names tests, and a
/// helper of the same name would be a poor hiding place), `it('name'` / `test('name'` in the UI.
fn test_names() -> BTreeSet<String> {
    let rust_fn = Regex::new(r"\bfn\s+([a-z_0-9]+)").expect("regex");
    let ui_test = Regex::new(r#"\b(?:it|test)\(\s*(?:'([^']+)'|"([^"]+)")"#).expect("regex");
    let mut names = BTreeSet::new();
    let mut rust = Vec::new();
    walk(
        &repo(),
        &|p| p.extension().is_some_and(|e| e == "rs"),
        &mut rust,
    );
    for text in &rust {
        for cap in rust_fn.captures_iter(text) {
            names.insert(cap[1].to_owned());
        }
    }
    let mut ui = Vec::new();
    walk(
        &repo().join("ui/src"),
        &|p| p.extension().is_some_and(|e| e == "ts" || e == "tsx"),
        &mut ui,
    );
    for text in &ui {
        for cap in ui_test.captures_iter(text) {
            let name = cap.get(1).or_else(|| cap.get(2)).map_or("", |m| m.as_str());
            names.insert(name.to_owned());
        }
    }
    names
}

/// What is wrong with the catalogue `text` against the `known` test names, one line each. A
/// file named as a source must exist too (relative to the repository).
fn problems(text: &str, known: &BTreeSet<String>) -> Vec<String> {
    let file = Regex::new(r"\b((?:crates|src-tauri|ui|tests|docs)/[A-Za-z0-9_./-]+\.[a-z]+)")
        .expect("regex");
    let mut out = Vec::new();
    let all = rows(text);
    if all.is_empty() {
        out.push("the catalogue has no rule rows".to_owned());
    }
    for row in &all {
        let built = row.section != NOT_BUILT;
        if built && row.tests.is_empty() {
            out.push(format!(
                "line {}: \"{}\" names no test and is not under \"{NOT_BUILT}\"",
                row.line, row.rule
            ));
        }
        if !built && !row.tests.is_empty() {
            out.push(format!(
                "line {}: \"{}\" is not built yet but names tests {:?}",
                row.line, row.rule, row.tests
            ));
        }
        for cap in file.captures_iter(&row.source) {
            if !repo().join(&cap[1]).exists() {
                out.push(format!(
                    "line {}: \"{}\" names source file {}, which does not exist",
                    row.line, row.rule, &cap[1]
                ));
            }
        }
        for name in &row.tests {
            if !known.contains(name) {
                out.push(format!(
                    "line {}: \"{}\" names test `{name}`, which does not exist",
                    row.line, row.rule
                ));
            }
        }
    }
    out
}

fn catalogue() -> String {
    std::fs::read_to_string(repo().join("docs/rules.md")).expect("docs/rules.md")
}

#[test]
fn every_rule_in_the_catalogue_names_tests_that_exist() {
    let text = catalogue();
    let found = problems(&text, &test_names());
    assert!(found.is_empty(), "docs/rules.md:\n{}", found.join("\n"));
    // The catalogue covers what DOMAIN.md asks for, built or not.
    for area in [
        "Identity data",
        "Wallet tiers",
        "Consents",
        "Complaints",
        "Staff, sessions",
        "Audit",
        "outbox",
        NOT_BUILT,
    ] {
        assert!(
            rows(&text).iter().any(|r| r.section.contains(area)),
            "docs/rules.md has no section on {area}"
        );
    }
}

/// The checker itself, on planted catalogues: a missing test, a built rule without a test,
/// a rule not built yet that names one, and a source file that is not there are each caught.
#[test]
fn the_catalogue_check_catches_a_missing_test_an_untested_rule_a_tested_unbuilt_one_and_a_missing_file()
 {
    let known: BTreeSet<String> = ["a_real_test".to_owned()].into();
    let good = "## Built\n| Rule | Source | Tests |\n|---|---|---|\n| r | s | `a_real_test` |\n\
                ## Not built yet\n| Rule | Source | Tests |\n|---|---|---|\n| later | s | — |\n";
    assert_eq!(problems(good, &known), Vec::<String>::new());
    let missing = good.replace("`a_real_test`", "`no_such_test`");
    assert!(problems(&missing, &known)[0].contains("no_such_test"));
    let untested = good.replace("`a_real_test`", "—");
    assert!(problems(&untested, &known)[0].contains("names no test"));
    let tested_later = good.replace("| later | s | — |", "| later | s | `a_real_test` |");
    assert!(problems(&tested_later, &known)[0].contains("not built yet"));
    let gone = good.replace(
        "| r | s |",
        "| r | product owner (crates/core/src/gone.rs) |",
    );
    assert!(problems(&gone, &known)[0].contains("gone.rs"));
}
