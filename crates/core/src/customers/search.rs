//! Finding a customer from whatever the teller types: a name (or its pinyin: initials `wf`,
//! full spelling `wangfang`, or a mix `wang f` / `w fang`), a mobile, part of a resident ID (first 6 or last 4, the parts the read model keeps), a
//! wallet number, or a card's last 4 digits. Every lookup is an index range, so results come
//! while typing even with a million customers (bench: `cargo bench -p walletdesk-core --bench
//! search`).

use crate::crypto::Sealer;
use crate::error::Result;
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

/// Most hits returned: a list a teller can scan; refine the query for more.
pub const MAX_HITS: u32 = 20;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    pub text: String,
}

/// A customer in a result list. Identity numbers are masked; the full ones never reach the
/// read model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerHit {
    pub id: String,
    pub name: String,
    pub masked_resident_id: String,
    pub masked_mobile: String,
    /// Completed years today, opened from the sealed birth date. Never the date itself: the
    /// masked ID hides exactly that date, so the two together are the whole number.
    #[ts(type = "number | null")]
    pub age: Option<u32>,
    /// Why this customer matched, for the result line: "name", "initials", "pinyin",
    /// "mobile", "idFirst6", "idLast4", "wallet", "card".
    pub matched_on: String,
}

/// The pinyin syllables of `name`, one per character, in lower case without tones (ü as `v`,
/// as staff type it); a Latin letter is a syllable of its own (so "Li Lei" spells "lilei"
/// both ways), anything else is dropped. Polyphonic characters take their most common reading.
pub fn name_syllables(name: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(name.chars().count());
    for (c, pinyin) in name.chars().zip(name.to_pinyin()) {
        match pinyin {
            Some(p) => out.push(p.plain().replace('ü', "v")),
            None if c.is_ascii_alphabetic() => out.push(c.to_ascii_lowercase().to_string()),
            None => {}
        }
    }
    out
}

/// Lower-case pinyin initials of `name`'s Chinese characters, other letters kept as they are
/// (lower-cased), everything else dropped: "张三丰" → "zsf", "Li Lei" → "lilei".
pub fn name_initials(name: &str) -> String {
    name_syllables(name)
        .iter()
        .filter_map(|s| s.chars().next())
        .collect()
}

/// The full pinyin of `name`, syllables run together: "王芳" → "wangfang". Indexed, so a full
/// spelling, or one cut short ("wangf", "wang f"), is an index range like the initials.
pub fn name_pinyin(name: &str) -> String {
    name_syllables(name).concat()
}

/// Every toneless syllable the pinyin data knows, sorted, and every start of one ("z", "zh",
/// "zha", ..., "zhang"), taken from the same data the names are spelled with, so the two
/// never disagree.
struct Syllables {
    all: Vec<String>,
    starts: std::collections::HashSet<String>,
}

fn syllables() -> &'static Syllables {
    static SET: std::sync::OnceLock<Syllables> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut all = std::collections::BTreeSet::new();
        let mut starts = std::collections::HashSet::new();
        for c in '\u{3400}'..='\u{9fff}' {
            if let Some(p) = c.to_pinyin() {
                let syllable = p.plain().replace('ü', "v");
                for end in 1..=syllable.len() {
                    if let Some(start) = syllable.get(..end) {
                        starts.insert(start.to_owned());
                    }
                }
                all.insert(syllable);
            }
        }
        Syllables {
            all: all.into_iter().collect(),
            starts,
        }
    })
}

/// Most full spellings a mixed query is expanded into; past it, the initials scan is cheaper.
const MAX_SPELLINGS: usize = 128;

/// The full-spelling prefixes `tokens` can stand for: each token but the last replaced by
/// every syllable it starts ("w" → wa, wai, ..., wu; "san" → san, sang), the last kept as
/// typed. "w fang" → "wafang", ..., "wangfang", ..., "wufang": each an index range on the
/// spelling. `None` when there would be more than [`MAX_SPELLINGS`].
fn spellings(tokens: &[String]) -> Option<Vec<String>> {
    let (last, head) = tokens.split_last()?;
    let mut out = vec![String::new()];
    for token in head {
        let choices: Vec<&String> = syllables()
            .all
            .iter()
            .filter(|s| s.starts_with(token.as_str()))
            .collect();
        if choices.is_empty() || out.len().saturating_mul(choices.len()) > MAX_SPELLINGS {
            return None;
        }
        out = out
            .iter()
            .flat_map(|prefix| choices.iter().map(move |s| format!("{prefix}{s}")))
            .collect();
    }
    for prefix in &mut out {
        prefix.push_str(last);
    }
    out.sort();
    Some(out)
}

/// Typed letters cut into one token per character of the name: spaces always cut; inside a
/// run, each token is the longest start of a known syllable ("wfang" → w, fang; "zhangsf" →
/// zhang, s, f). A one-letter token is an initial, a longer one the start of a full spelling.
fn pinyin_tokens(text: &str) -> Vec<String> {
    let starts = |t: &str| syllables().starts.contains(t);
    let mut tokens = Vec::new();
    for chunk in text.split_whitespace() {
        let mut rest = chunk;
        while !rest.is_empty() {
            // Letters only reach here, so every byte index is a character boundary.
            let len = (1..=rest.len())
                .rev()
                .find(|&n| starts(&rest[..n]))
                .unwrap_or(1);
            tokens.push(rest[..len].to_owned());
            rest = &rest[len..];
        }
    }
    tokens
}

/// Whether a name spelled `syllables` starts with `tokens`, each token the start of its
/// character's syllable.
fn tokens_match(tokens: &[String], syllables: &[String]) -> bool {
    tokens.len() <= syllables.len()
        && tokens
            .iter()
            .zip(syllables)
            .all(|(t, s)| s.starts_with(t.as_str()))
}

/// What the typed text can mean, tried in this order; the first kinds are exact and cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Probe {
    Mobile(String),
    MobilePrefix(String),
    Wallet(String),
    IdFirst6(String),
    IdLast4(String),
    CardLast4(String),
    NamePrefix(String),
    InitialsPrefix(String),
    PinyinPrefix(String),
    /// Initials and spellings mixed, initial first ("w fang"): one token per character.
    PinyinMixed(Vec<String>),
}

fn probes(text: &str) -> Vec<Probe> {
    // Full-width digits from a Chinese IME find the same customer as ASCII ones.
    let typed = crate::domain::normalize_typed(text);
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact
        .strip_prefix("+86")
        .map(str::to_owned)
        .unwrap_or(compact);
    if compact.is_empty() {
        return Vec::new();
    }
    let digits = compact.bytes().all(|b| b.is_ascii_digit());
    if digits {
        return match compact.len() {
            11 => vec![Probe::Mobile(compact)],
            16 => vec![Probe::Wallet(compact)],
            6 => vec![
                Probe::IdFirst6(compact.clone()),
                Probe::MobilePrefix(compact),
            ],
            4 => vec![Probe::IdLast4(compact.clone()), Probe::CardLast4(compact)],
            n if n >= 3 => vec![Probe::MobilePrefix(compact)],
            _ => Vec::new(),
        };
    }
    // A resident ID's last four may end in the check character X.
    // `get`, not indexing: four bytes of typed text may end inside a multi-byte character.
    if compact.len() == 4
        && compact
            .get(..3)
            .is_some_and(|head| head.bytes().all(|b| b.is_ascii_digit()))
        && compact.ends_with(['x', 'X'])
    {
        return vec![Probe::IdLast4(compact.to_ascii_uppercase())];
    }
    if compact.chars().all(|c| c.is_ascii_alphabetic()) {
        let lower = compact.to_ascii_lowercase();
        let mut out = vec![
            Probe::InitialsPrefix(lower.clone()),
            Probe::PinyinPrefix(lower),
        ];
        // Only a mix needs the third lookup: all initials is the first, and spellings
        // cut short only at the end are the second.
        let tokens = pinyin_tokens(&typed.to_ascii_lowercase());
        if tokens.len() >= 2 && tokens.iter().any(|t| t.len() > 1) {
            out.push(Probe::PinyinMixed(tokens));
        }
        return out;
    }
    vec![Probe::NamePrefix(compact)]
}

/// The smallest string greater than every string starting with `prefix`, for an index range
/// scan (`>= prefix AND < upper`) instead of LIKE, which SQLite cannot always turn into one.
fn prefix_upper(prefix: &str) -> String {
    let mut upper = prefix.to_owned();
    upper.push(char::MAX);
    upper
}

const COLUMNS: &str = "c.id, c.name, c.masked_resident_id, c.mobile, c.birth_date_sealed";

/// Up to [`MAX_HITS`] customers for `text`; `sealer` opens each hit's birth date for its age
/// on `today` (about a microsecond a hit).
pub async fn search(
    pool: &SqlitePool,
    sealer: &Sealer,
    today: NaiveDate,
    text: &str,
) -> Result<Vec<CustomerHit>> {
    let mut hits: Vec<CustomerHit> = Vec::new();
    for probe in probes(text) {
        let left = i64::from(MAX_HITS) - i64::try_from(hits.len()).unwrap_or(i64::MAX);
        if left <= 0 {
            break;
        }
        let (sql, binds, matched_on): (String, Vec<String>, &str) = match probe {
            Probe::Mobile(m) => (
                format!("SELECT {COLUMNS} FROM core_customers c WHERE c.mobile = ?1 LIMIT ?9"),
                vec![m],
                "mobile",
            ),
            Probe::MobilePrefix(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c WHERE c.mobile >= ?1 AND c.mobile < ?2 \
                     ORDER BY c.mobile LIMIT ?9"
                ),
                vec![p.clone(), prefix_upper(&p)],
                "mobile",
            ),
            Probe::Wallet(w) => (
                format!(
                    "SELECT {COLUMNS} FROM core_records r JOIN core_customers c \
                     ON c.id = r.customer_id WHERE r.kind = 'wallet' AND r.id = ?1 LIMIT ?9"
                ),
                vec![w],
                "wallet",
            ),
            Probe::IdFirst6(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c WHERE c.id_first6 = ?1 \
                     ORDER BY c.name LIMIT ?9"
                ),
                vec![p],
                "idFirst6",
            ),
            Probe::IdLast4(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c WHERE c.id_last4 = ?1 \
                     ORDER BY c.name LIMIT ?9"
                ),
                vec![p],
                "idLast4",
            ),
            Probe::CardLast4(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_records r JOIN core_customers c \
                     ON c.id = r.customer_id WHERE r.kind = 'card' AND r.search_key = ?1 LIMIT ?9"
                ),
                vec![p],
                "card",
            ),
            Probe::NamePrefix(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c WHERE c.name >= ?1 AND c.name < ?2 \
                     ORDER BY c.name LIMIT ?9"
                ),
                vec![p.clone(), prefix_upper(&p)],
                "name",
            ),
            Probe::InitialsPrefix(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c \
                     WHERE c.name_initials >= ?1 AND c.name_initials < ?2 \
                     ORDER BY c.name_initials LIMIT ?9"
                ),
                vec![p.clone(), prefix_upper(&p)],
                "initials",
            ),
            Probe::PinyinPrefix(p) => (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c \
                     WHERE c.name_pinyin >= ?1 AND c.name_pinyin < ?2 \
                     ORDER BY c.name_pinyin LIMIT ?9"
                ),
                vec![p.clone(), prefix_upper(&p)],
                "pinyin",
            ),
            Probe::PinyinMixed(tokens) => {
                mixed(pool, sealer, today, &tokens, left, &mut hits).await?;
                continue;
            }
        };
        let mut query = sqlx::query(&sql);
        for bind in &binds {
            query = query.bind(bind);
        }
        // ?9 is the limit; unbound numbers in between are never referenced.
        for _ in binds.len()..8 {
            query = query.bind(None::<String>);
        }
        let rows = query.bind(left).fetch_all(pool).await?;
        for row in rows {
            push_hit(&mut hits, sealer, today, &row, matched_on)?;
        }
    }
    Ok(hits)
}

/// Adds `row` to `hits` unless an earlier lookup found the same customer.
fn push_hit(
    hits: &mut Vec<CustomerHit>,
    sealer: &Sealer,
    today: NaiveDate,
    row: &SqliteRow,
    matched_on: &str,
) -> Result<()> {
    let id: String = row.try_get("id")?;
    if hits.iter().any(|h| h.id == id) {
        return Ok(());
    }
    let mobile: String = row.try_get("mobile")?;
    hits.push(CustomerHit {
        name: row.try_get("name")?,
        masked_resident_id: row.try_get("masked_resident_id")?,
        masked_mobile: crate::domain::Mobile::parse(&mobile)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "*".repeat(mobile.chars().count())),
        age: crate::sync::readmodel::open_birth_date(
            sealer,
            &id,
            row.try_get::<Option<Vec<u8>>, _>("birth_date_sealed")?
                .as_deref(),
        )
        .map(|born| today.years_since(born).unwrap_or(0)),
        id,
        matched_on: matched_on.to_owned(),
    });
    Ok(())
}

/// The mixed lookup. Usually the tokens stand for a few dozen full spellings at most (see
/// [`spellings`]): one query of that many index ranges on the spelling, each a seek and at
/// most `left` index entries. Otherwise the tokens' first letters are an initials prefix (an index
/// range), and the index also holds the spelling, so SQLite drops most misses with a GLOB on
/// it before reading a row (a necessary condition: the tokens in order). Either way each row
/// is then checked exactly, syllable by syllable, streamed until `left` match.
async fn mixed(
    pool: &SqlitePool,
    sealer: &Sealer,
    today: NaiveDate,
    tokens: &[String],
    left: i64,
    hits: &mut Vec<CustomerHit>,
) -> Result<()> {
    let (sql, limit, binds): (String, Option<i64>, Vec<String>) = match spellings(tokens) {
        Some(prefixes) => {
            // One limited range per spelling, chained with UNION ALL: SQLite runs them in
            // turn and stops when the rows stop being read. (An OR of the ranges would first
            // collect every match of every range.) ?1 is the limit of each.
            let ranges: Vec<String> = (0..prefixes.len())
                .map(|i| {
                    format!(
                        "SELECT * FROM (SELECT {COLUMNS} FROM core_customers c \
                         WHERE c.name_pinyin >= ?{} AND c.name_pinyin < ?{} \
                         ORDER BY c.name_pinyin LIMIT ?1)",
                        2 * i + 2,
                        2 * i + 3
                    )
                })
                .collect();
            let binds = prefixes
                .iter()
                .flat_map(|p| [p.clone(), prefix_upper(p)])
                .collect();
            (ranges.join(" UNION ALL "), Some(left), binds)
        }
        None => {
            let initials: String = tokens.iter().filter_map(|t| t.chars().next()).collect();
            let mut glob = tokens.join("*");
            glob.push('*');
            let upper = prefix_upper(&initials);
            (
                format!(
                    "SELECT {COLUMNS} FROM core_customers c \
                     WHERE c.name_initials >= ?1 AND c.name_initials < ?2 \
                     AND c.name_pinyin GLOB ?3 ORDER BY c.name_initials"
                ),
                None,
                vec![initials, upper, glob],
            )
        }
    };
    let mut query = sqlx::query(&sql);
    if let Some(limit) = limit {
        query = query.bind(limit);
    }
    for bind in &binds {
        query = query.bind(bind);
    }
    let mut rows = query.fetch(pool);
    let mut found = 0;
    // Streamed, not fetched whole: the scan stops at the last hit needed.
    while found < left {
        let Some(row) = rows.try_next().await? else {
            break;
        };
        let name: String = row.try_get("name")?;
        if tokens_match(tokens, &name_syllables(&name)) {
            let before = hits.len();
            push_hit(hits, sealer, today, &row, "pinyin")?;
            if hits.len() > before {
                found += 1;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_pinyin() {
        assert_eq!(name_initials("张三丰"), "zsf");
        assert_eq!(name_initials("欧阳 娜娜"), "oynn");
        assert_eq!(name_initials("Li Lei"), "lilei");
        assert_eq!(name_initials(""), "");
    }

    #[test]
    fn full_pinyin_comes_from_the_same_data_as_the_initials() {
        assert_eq!(name_pinyin("王芳"), "wangfang");
        assert_eq!(name_pinyin("欧阳 娜娜"), "ouyangnana");
        assert_eq!(name_pinyin("吕"), "lv");
        assert_eq!(name_pinyin("Li Lei"), "lilei");
    }

    #[test]
    fn typed_pinyin_is_cut_into_one_token_per_character() {
        let cut = |t: &str| pinyin_tokens(t);
        assert_eq!(cut("wfang"), ["w", "fang"]);
        assert_eq!(cut("zhangsf"), ["zhang", "s", "f"]);
        assert_eq!(cut("wang f"), ["wang", "f"]);
        assert_eq!(cut("wf"), ["w", "f"]);
        assert!(tokens_match(&cut("w fang"), &name_syllables("王芳")));
        assert!(!tokens_match(&cut("w feng"), &name_syllables("王芳")));
        assert!(!tokens_match(&cut("w fang li"), &name_syllables("王芳")));
    }

    #[test]
    fn a_mix_stands_for_every_spelling_its_tokens_start() {
        let tokens = |t: &str| pinyin_tokens(t);
        let w = spellings(&tokens("w fang")).expect("a few");
        assert!(w.contains(&"wangfang".to_owned()) && w.contains(&"wufang".to_owned()));
        assert!(w.iter().all(|s| s.starts_with('w') && s.ends_with("fang")));
        // "san" may be the start of "sang": both are looked up.
        let z = spellings(&tokens("zsanf")).expect("a few dozen");
        assert!(z.contains(&"zhangsanf".to_owned()) && z.contains(&"zhangsangf".to_owned()));
        // Two initials before a spelling are too many spellings: the initials scan instead.
        assert_eq!(spellings(&tokens("z s feng")), None);
    }

    #[test]
    fn the_typed_text_picks_the_lookup() {
        assert_eq!(
            probes("138 1234 5678"),
            vec![Probe::Mobile("13812345678".into())]
        );
        assert_eq!(
            probes("+8613812345678"),
            vec![Probe::Mobile("13812345678".into())]
        );
        assert_eq!(
            probes("6222000011112222"),
            vec![Probe::Wallet("6222000011112222".into())]
        );
        assert_eq!(
            probes("110105"),
            vec![
                Probe::IdFirst6("110105".into()),
                Probe::MobilePrefix("110105".into())
            ]
        );
        assert_eq!(probes("002x"), vec![Probe::IdLast4("002X".into())]);
        assert_eq!(
            probes("1234"),
            vec![
                Probe::IdLast4("1234".into()),
                Probe::CardLast4("1234".into())
            ]
        );
        assert_eq!(
            probes("ZS"),
            vec![
                Probe::InitialsPrefix("zs".into()),
                Probe::PinyinPrefix("zs".into())
            ]
        );
        assert_eq!(
            probes("wang f"),
            vec![
                Probe::InitialsPrefix("wangf".into()),
                Probe::PinyinPrefix("wangf".into()),
                Probe::PinyinMixed(vec!["wang".into(), "f".into()])
            ]
        );
        assert_eq!(probes("张"), vec![Probe::NamePrefix("张".into())]);
        assert_eq!(probes("  "), vec![]);
        assert_eq!(probes("12"), vec![]);
    }

    #[test]
    fn four_bytes_of_typed_text_ending_mid_character_do_not_panic() {
        // "a€" is four bytes; its fourth byte is inside the euro sign.
        assert_eq!(probes("a€"), vec![Probe::NamePrefix("a€".into())]);
        assert_eq!(probes("12é"), vec![Probe::NamePrefix("12é".into())]);
    }
}
