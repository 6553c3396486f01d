//! Finding a customer from whatever the teller types: a name (or its pinyin initials), a
//! mobile, part of a resident ID (first 6 or last 4, the parts the read model keeps), a
//! wallet number, or a card's last 4 digits. Every lookup is an index range, so results come
//! while typing even with a million customers (bench: `cargo bench -p walletdesk-core --bench
//! search`).

use crate::error::Result;
use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};
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
    pub birth_date: String,
    /// Why this customer matched, for the result line: "name", "initials", "mobile",
    /// "idFirst6", "idLast4", "wallet", "card".
    pub matched_on: String,
}

/// Lower-case pinyin initials of `name`'s Chinese characters, other letters kept as they are
/// (lower-cased), everything else dropped: "张三丰" → "zsf", "Li Lei" → "lilei".
pub fn name_initials(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (c, pinyin) in name.chars().zip(name.to_pinyin()) {
        match pinyin {
            Some(p) => out.push_str(p.first_letter()),
            None if c.is_ascii_alphabetic() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
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
}

fn probes(text: &str) -> Vec<Probe> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
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
        return vec![Probe::InitialsPrefix(compact.to_ascii_lowercase())];
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

const COLUMNS: &str = "c.id, c.name, c.masked_resident_id, c.mobile, c.birth_date";

pub async fn search(pool: &SqlitePool, text: &str) -> Result<Vec<CustomerHit>> {
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
            let id: String = row.try_get("id")?;
            if hits.iter().any(|h| h.id == id) {
                continue;
            }
            let mobile: String = row.try_get("mobile")?;
            hits.push(CustomerHit {
                id,
                name: row.try_get("name")?,
                masked_resident_id: row.try_get("masked_resident_id")?,
                masked_mobile: crate::domain::Mobile::parse(&mobile)
                    .map(|m| m.masked())
                    .unwrap_or_else(|_| "*".repeat(mobile.chars().count())),
                birth_date: row.try_get("birth_date")?,
                matched_on: matched_on.to_owned(),
            });
        }
    }
    Ok(hits)
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
        assert_eq!(probes("ZS"), vec![Probe::InitialsPrefix("zs".into())]);
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
