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
//! (bench: `cargo bench -p walletdesk-core --bench knowledge`).

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
/// (the start of the body when none is).
fn excerpt(body: &str, needles: &[String]) -> String {
    let chars: Vec<char> = body.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let found = needles.iter().find_map(|needle| {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > lower.len() {
            return None;
        }
        lower
            .windows(needle.len())
            .position(|w| w == needle.as_slice())
    });
    let start = found.map_or(0, |at| at.saturating_sub(EXCERPT_BEFORE));
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let mut out: String = chars[start..end]
        .iter()
        .map(|c| if c.is_whitespace() { ' ' } else { *c })
        .collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
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
        Some(expression) => {
            sqlx::query(&format!(
                // Rank inside the index first and fetch the articles of the top hits only:
                // joining first made SQLite's sorter carry every match's published JSON (a
                // common word is in most articles), which is what made the p99 slow. The
                // category filter reads the (category, title) index, never the article rows.
                "SELECT a.id, a.published FROM ( \
                   SELECT rowid AS seq, {RANK} AS score FROM kb_index \
                   WHERE kb_index MATCH ?1 AND (?2 IS NULL OR rowid IN \
                     (SELECT seq FROM kb_articles WHERE category = ?2)) \
                   ORDER BY score LIMIT ?3 \
                 ) AS top JOIN kb_articles a ON a.seq = top.seq \
                 ORDER BY top.score, a.seq"
            ))
            .bind(expression)
            .bind(category)
            .bind(MAX_HITS)
            .fetch_all(pool)
            .await?
        }
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
    }
}
