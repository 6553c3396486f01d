//! Searching the knowledge base in Chinese and English, offline.
//!
//! Chinese has no spaces, and the words staff look for are mostly two characters (热线, 限额,
//! 手续费). FTS5's unicode61 tokenizer keeps a whole run of Han characters as one token and its
//! trigram tokenizer cannot match fewer than three characters, so neither finds "热线" inside
//! "反诈热线96110". Core therefore cuts the text itself ([`index_tokens`]): a character
//! bigram for each pair of neighbouring Han characters, plus the last character of each run
//! alone, and Latin words and numbers lower-cased. FTS5 (unicode61) then only splits at the
//! spaces. A query is cut the same way ([`match_expression`]): a two-character word is one
//! bigram token; a longer run is the phrase of its bigrams, which matches exactly where the
//! run appears; one character is a prefix query (it starts a bigram, or ends a run); a Latin
//! word is a prefix query so "limit" finds "limits". bm25 ranks, title above tags above body
//! ([`ranked`] says in which order; bench: `cargo bench -p walletdesk-core --bench knowledge`).

use super::{KbHit, KbQuery, KbVersion};
use crate::error::{Error, Result};
use sqlx::{Row, SqlitePool};
use unicode_normalization::UnicodeNormalization;

/// Most hits returned: a list a teller can scan while the customer waits.
pub const MAX_HITS: i64 = 20;
/// Longest query looked at; past it the words are ignored.
const MAX_QUERY_CHARS: usize = 100;
/// bm25 weights of the index's columns: title, tags, body.
const RANK: &str = "bm25(kb_index, 10.0, 4.0, 1.0)";
/// Body-only matches are ranked among this many of the most recently added (see [`ranked`]).
const BODY_CANDIDATES: i64 = 200;
/// Characters of body shown around the first match.
const EXCERPT_BEFORE: usize = 24;
const EXCERPT_CHARS: usize = 90;

/// Han ideographs (and kana, which are written the same way, without spaces).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A piece of text: a run of Han characters, or a Latin word or number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Han(Vec<char>),
    Word(String),
}

/// `text` folded (NFKC: full-width letters and digits from an IME become plain ones), lower
/// case, cut into pieces; everything else (punctuation, spaces) separates.
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut han: Vec<char> = Vec::new();
    let mut word = String::new();
    let folded: String = text.nfkc().collect();
    for c in folded.chars().flat_map(char::to_lowercase) {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Piece::Word(std::mem::take(&mut word)));
            }
            han.push(c);
        } else if c.is_alphanumeric() {
            if !han.is_empty() {
                out.push(Piece::Han(std::mem::take(&mut han)));
            }
            word.push(c);
        } else {
            if !han.is_empty() {
                out.push(Piece::Han(std::mem::take(&mut han)));
            }
            if !word.is_empty() {
                out.push(Piece::Word(std::mem::take(&mut word)));
            }
        }
    }
    if !han.is_empty() {
        out.push(Piece::Han(han));
    }
    if !word.is_empty() {
        out.push(Piece::Word(word));
    }
    out
}

fn bigrams(run: &[char]) -> Vec<String> {
    run.windows(2).map(|w| w.iter().collect()).collect()
}

/// The tokens of `text` as the index stores them, space-separated: "反诈热线96110" →
/// "反诈 诈热 热线 线 96110".
pub fn index_tokens(text: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Han(run) => {
                tokens.extend(bigrams(&run));
                // The run's last character alone, so a one-character query (a prefix) finds
                // it even where no bigram starts with it.
                if let Some(last) = run.last() {
                    tokens.push(last.to_string());
                }
            }
            Piece::Word(word) => tokens.push(word),
        }
    }
    tokens.join(" ")
}

/// The FTS5 MATCH expression for what staff typed, or `None` when it holds nothing to search
/// for. Every piece must match (FTS5's implicit AND). Tokens hold only letters and digits, so
/// quoting them is enough to keep FTS5's operators out.
pub fn match_expression(typed: &str) -> Option<String> {
    let typed: String = typed.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms = Vec::new();
    for piece in pieces(&typed) {
        match piece {
            Piece::Han(run) if run.len() == 1 => terms.push(format!("\"{}\" *", run[0])),
            Piece::Han(run) => terms.push(format!("\"{}\"", bigrams(&run).join(" "))),
            Piece::Word(word) => terms.push(format!("\"{word}\" *")),
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The words of the query as they appear in text, to place the excerpt.
fn needles(typed: &str) -> Vec<String> {
    pieces(typed)
        .into_iter()
        .map(|p| match p {
            Piece::Han(run) => run.into_iter().collect(),
            Piece::Word(word) => word,
        })
        .collect()
}

/// About [`EXCERPT_CHARS`] characters of `body` from a little before the first needle found
/// (the start of the body when none is). Works on the string with std's (optimised) search
/// rather than on vectors of characters: a browse formats 100 excerpts of ~1,000 characters.
fn excerpt(body: &str, needles: &[String]) -> String {
    let found = if needles.iter().all(String::is_empty) {
        None
    } else {
        // Lower case one character for one, so a character index in `lower` is one in `body`.
        let std_lower = body.to_lowercase();
        let lower = if std_lower.len() == body.len() {
            std_lower
        } else {
            body.chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect()
        };
        needles
            .iter()
            .filter(|needle| !needle.is_empty())
            .find_map(|needle| lower.find(needle.as_str()))
            .map(|byte| lower[..byte].chars().count())
    };
    let start = found.map_or(0, |at| at.saturating_sub(EXCERPT_BEFORE));
    let mut rest = body.char_indices().skip(start);
    let Some((from, _)) = rest.next() else {
        return String::new();
    };
    let to = rest.nth(EXCERPT_CHARS - 1).map(|(at, _)| at);
    let mut out: String = body[from..to.unwrap_or(body.len())]
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if to.is_some() {
        out.push('…');
    }
    out
}

fn hit_from(row: &sqlx::sqlite::SqliteRow, needles: &[String]) -> Result<KbHit> {
    let id: String = row.try_get("id")?;
    let published: String = row.try_get("published")?;
    let version: KbVersion = serde_json::from_str(&published).map_err(|err| {
        Error::Internal(anyhow::anyhow!(
            "article {id}: stored version unreadable: {err}"
        ))
    })?;
    Ok(KbHit {
        excerpt: excerpt(&version.body, needles),
        id,
        title: version.title,
        category: version.category,
        language: version.language,
        tags: version.tags,
        version: version.version,
        published_at: version.published_at,
    })
}

/// The index's rowids of up to `limit` articles matching `expression`, best first (bm25).
/// `from_rowid`: only matches with a rowid from this one on are scored.
async fn best(
    pool: &SqlitePool,
    expression: &str,
    category: Option<&str>,
    from_rowid: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    // The category filter reads the (category, title) index, never the article rows.
    Ok(sqlx::query_scalar(&format!(
        "SELECT rowid FROM kb_index \
         WHERE kb_index MATCH ?1 AND rowid >= ?2 AND (?3 IS NULL OR rowid IN \
           (SELECT seq FROM kb_articles WHERE category = ?3)) \
         ORDER BY {RANK}, rowid LIMIT ?4"
    ))
    .bind(expression)
    .bind(from_rowid)
    .bind(category)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The articles matching `expression`, in the order staff read them:
/// 1. articles whose title or tags hold every word, best first (bm25: title above tags);
/// 2. then articles that hold the words only in their body, best first among the
///    [`BODY_CANDIDATES`] most recently added of them.
///
/// Why the two tiers: bm25 must score every matching article before it can sort, and a common
/// word ("钱包") is in nearly every body, so ranking the whole knowledge base took 40 ms on
/// 10,000 articles (bench: `cargo bench -p walletdesk-core --bench knowledge`). A word staff
/// look for is far rarer in titles and tags, and a title that names it is the article they
/// want. FTS5 walks matches in rowid order without scoring, so finding where the newest
/// candidates start is cheap, and only they are scored.
async fn ranked(
    pool: &SqlitePool,
    expression: &str,
    category: Option<&str>,
) -> Result<Vec<sqlx::sqlite::SqliteRow>> {
    let in_title_or_tags = format!("{{title tags}} : ({expression})");
    let mut seqs = best(pool, &in_title_or_tags, category, 0, MAX_HITS).await?;
    let missing = MAX_HITS - seqs.len() as i64;
    if missing > 0 {
        let body_only = format!("({expression}) NOT ({in_title_or_tags})");
        let from: Option<i64> = sqlx::query_scalar(
            "SELECT rowid FROM kb_index \
             WHERE kb_index MATCH ?1 AND (?2 IS NULL OR rowid IN \
               (SELECT seq FROM kb_articles WHERE category = ?2)) \
             ORDER BY rowid DESC LIMIT 1 OFFSET ?3",
        )
        .bind(&body_only)
        .bind(category)
        .bind(BODY_CANDIDATES - 1)
        .fetch_optional(pool)
        .await?;
        seqs.extend(best(pool, &body_only, category, from.unwrap_or(0), missing).await?);
    }
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; seqs.len()].join(", ");
    let sql = format!("SELECT seq, id, published FROM kb_articles WHERE seq IN ({marks})");
    let mut query = sqlx::query(&sql);
    for seq in &seqs {
        query = query.bind(seq);
    }
    let mut rows = query.fetch_all(pool).await?;
    let place = |row: &sqlx::sqlite::SqliteRow| {
        let seq: i64 = row.get("seq");
        seqs.iter().position(|s| *s == seq)
    };
    rows.sort_by_key(place);
    Ok(rows)
}

/// Published articles matching `query`, best first; with no words, the category's articles
/// (or all) by title, for browsing.
pub async fn search(pool: &SqlitePool, query: &KbQuery) -> Result<Vec<KbHit>> {
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    if let Some(category) = category
        && !super::CATEGORIES.contains(&category)
    {
        return Err(Error::field("category", "kb_category_unknown"));
    }
    let rows = match match_expression(&query.text) {
        Some(expression) => ranked(pool, &expression, category).await?,
        None => {
            sqlx::query(
                "SELECT id, published FROM kb_articles \
                 WHERE published IS NOT NULL AND (?1 IS NULL OR category = ?1) \
                 ORDER BY category, title LIMIT ?2",
            )
            .bind(category)
            .bind(MAX_HITS * 5)
            .fetch_all(pool)
            .await?
        }
    };
    let needles = needles(&query.text);
    rows.iter().map(|row| hit_from(row, &needles)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_runs_become_bigrams_and_their_last_character() {
        assert_eq!(index_tokens("反诈热线96110"), "反诈 诈热 热线 线 96110");
        assert_eq!(index_tokens("卡"), "卡");
        assert_eq!(
            index_tokens("Tier 2: 每日限额 100,000"),
            "tier 2 每日 日限 限额 额 100 000"
        );
    }

    #[test]
    fn full_width_input_is_folded_before_it_is_cut() {
        assert_eq!(index_tokens("ＡＢＣ　９６１１０"), "abc 96110");
    }

    #[test]
    fn queries_become_phrases_of_bigrams_and_prefixes() {
        assert_eq!(match_expression("热线").as_deref(), Some("\"热线\""));
        assert_eq!(
            match_expression("反诈热线").as_deref(),
            Some("\"反诈 诈热 热线\"")
        );
        assert_eq!(match_expression("卡").as_deref(), Some("\"卡\" *"));
        assert_eq!(
            match_expression("Limit 钱包").as_deref(),
            Some("\"limit\" * \"钱包\"")
        );
        // FTS5's syntax cannot get through: quotes and operators are separators.
        assert_eq!(
            match_expression("\"a\" OR b*").as_deref(),
            Some("\"a\" * \"or\" * \"b\" *")
        );
        assert_eq!(match_expression(" ，。!? "), None);
    }

    #[test]
    fn the_excerpt_starts_near_the_first_match() {
        let body = format!("{}反诈热线96110{}", "前".repeat(100), "后".repeat(100));
        let text = excerpt(&body, &["热线".to_owned()]);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(text.contains("反诈热线96110"), "{text}");
        assert_eq!(text.chars().count(), EXCERPT_CHARS + 2, "{text}");
        // Short bodies whole, no marks; no match: the start of the body.
        assert_eq!(excerpt("短文", &["热线".to_owned()]), "短文");
        let start = excerpt(&"前".repeat(100), &[]);
        assert_eq!(start, format!("{}…", "前".repeat(EXCERPT_CHARS)));
        assert_eq!(excerpt("", &[]), "");
    }
}
