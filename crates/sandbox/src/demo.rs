//! Deterministic demo data: the same seed and date always give the same customers, wallets and
//! transactions, so a trainer's screenshots, a demo script and a failing test can be reproduced.
//!
//! Every customer is generated on its own from one ChaCha stream, so the data can be streamed
//! into the store in batches (a million customers never have to sit in memory at once).

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use fake::Fake;
use fake::faker::name::raw::Name;
use fake::locales::ZH_CN;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use walletdesk_core::domain::{ResidentId, Sex};

/// Ages drawn uniformly from this range, so some customers are minors (tier 4 only).
const MIN_AGE: u32 = 10;
const MAX_AGE_EXCLUSIVE: u32 = 90;
/// Under this age a wallet can only be tier 4 (DOMAIN.md, wallet tiers).
const ADULT_TIER_AGE: u32 = 16;
/// How far back customers joined, and how much transaction history each wallet shows.
const CUSTOMER_HISTORY_DAYS: i64 = 3 * 365;
const TRANSACTION_HISTORY_DAYS: i64 = 365;
const MAX_TRANSACTIONS_PER_WALLET: u32 = 15;

/// Real county codes from across the country, so IDs look like what a teller sees.
const AREA_CODES: [&str; 24] = [
    "110105", "110108", "120101", "130102", "140105", "210102", "230103", "310104", "310115",
    "320106", "330106", "340104", "350203", "370102", "410105", "420106", "430104", "440106",
    "440305", "450103", "500103", "510107", "610113", "650102",
];

const SHOPS: [(&str, &str); 10] = [
    ("社区便利店", "日用品"),
    ("生鲜超市", "买菜"),
    ("快餐店", "午餐"),
    ("加油站", "加油"),
    ("供电公司", "电费"),
    ("通信运营商", "话费充值"),
    ("地铁出行", "交通"),
    ("社区药房", "药品"),
    ("菜市场摊位", "买菜"),
    ("咖啡馆", "咖啡"),
];
const INCOMING_MEMOS: [&str; 4] = ["转账", "红包", "工资", "退款"];

const FEN_PER_YUAN: i64 = 100;

/// Demo limits per tier, in fen, from the default scheme in DOMAIN.md. Tier 1 has no cap in the
/// scheme; the sandbox still keeps demo balances plausible.
const fn balance_cap_fen(tier: u8) -> i64 {
    match tier {
        4 => 10_000 * FEN_PER_YUAN,
        3 => 20_000 * FEN_PER_YUAN,
        2 => 500_000 * FEN_PER_YUAN,
        _ => 2_000_000 * FEN_PER_YUAN,
    }
}

const fn payment_cap_fen(tier: u8) -> i64 {
    match tier {
        4 => 2_000 * FEN_PER_YUAN,
        3 => 5_000 * FEN_PER_YUAN,
        2 => 50_000 * FEN_PER_YUAN,
        _ => 100_000 * FEN_PER_YUAN,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub resident_id: String,
    pub mobile: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub created_at: DateTime<Utc>,
    /// Last valid day of the ID card; `None` for a long-term card (issued at 46 or older).
    pub id_expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletStatus {
    Active,
    Frozen,
    Closed,
}

impl WalletStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WalletStatus::Active => "active",
            WalletStatus::Frozen => "frozen",
            WalletStatus::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletRow {
    /// 16-digit wallet number.
    pub id: String,
    pub customer_id: i64,
    pub tier: u8,
    pub balance_fen: i64,
    pub status: WalletStatus,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRow {
    pub id: i64,
    pub wallet_id: String,
    pub at: DateTime<Utc>,
    /// Always positive; `direction` gives the sign.
    pub amount_fen: i64,
    pub direction: Direction,
    pub counterparty: String,
    pub memo: String,
}

/// One customer with everything that belongs to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub customer: CustomerRow,
    pub wallets: Vec<WalletRow>,
    pub transactions: Vec<TransactionRow>,
}

/// An endless stream of demo customers; take as many as needed.
#[derive(Debug)]
pub struct DemoData {
    rng: ChaCha8Rng,
    as_of: NaiveDate,
    /// Midnight at the start of `as_of` in China Standard Time: everything happens before it.
    anchor: DateTime<Utc>,
    next_customer_id: i64,
    next_wallet_serial: u64,
    next_transaction_id: i64,
    // Only used for membership tests, never iterated, so they do not disturb determinism.
    resident_ids: HashSet<String>,
    mobiles: HashSet<String>,
}

impl DemoData {
    /// `as_of` is the business date the data is "current" on: ages and history are relative
    /// to it.
    pub fn new(seed: u64, as_of: NaiveDate) -> DemoData {
        let beijing_midnight = as_of.and_time(NaiveTime::MIN) - Duration::hours(8);
        DemoData {
            rng: ChaCha8Rng::seed_from_u64(seed),
            as_of,
            anchor: Utc.from_utc_datetime(&beijing_midnight),
            next_customer_id: 1,
            next_wallet_serial: 1,
            next_transaction_id: 1,
            resident_ids: HashSet::new(),
            mobiles: HashSet::new(),
        }
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    fn percent(&mut self, chance: u32) -> bool {
        self.rng.random_range(0..100) < chance
    }

    fn seconds_before_anchor(&mut self, max_days: i64) -> DateTime<Utc> {
        self.anchor - Duration::seconds(self.rng.random_range(1..=max_days * 86_400))
    }

    fn between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
        let span = (to - from).num_seconds();
        if span <= 0 {
            return from;
        }
        from + Duration::seconds(self.rng.random_range(0..=span))
    }

    /// Mostly small amounts with a long tail up to `cap`, as real balances and payments are:
    /// first an order of magnitude, then a value within it. Integer fen throughout.
    fn skewed_fen(&mut self, min: i64, cap: i64) -> i64 {
        let mut orders = 0_u32;
        let mut reach = FEN_PER_YUAN;
        while reach < cap {
            reach = reach.saturating_mul(10);
            orders += 1;
        }
        let order = self.rng.random_range(0..=orders);
        let top = FEN_PER_YUAN
            .saturating_mul(10_i64.saturating_pow(order))
            .min(cap);
        self.rng.random_range(min..=top.max(min))
    }

    /// A birth date and the age it gives on `as_of`.
    fn birth_date(&mut self) -> (NaiveDate, u32) {
        let age = self.rng.random_range(MIN_AGE..MAX_AGE_EXCLUSIVE);
        let years_ago = |years: u32| {
            self.as_of
                .checked_sub_months(Months::new(years * 12))
                .unwrap_or(self.as_of)
        };
        // Anyone born in this window has had their `age`th birthday but not the next one.
        let latest = years_ago(age);
        let earliest = years_ago(age + 1) + Duration::days(1);
        let span = (latest - earliest).num_days().max(0);
        (
            earliest + Duration::days(self.rng.random_range(0..=span)),
            age,
        )
    }

    fn resident_id(&mut self, birth_date: NaiveDate, sex: Sex) -> String {
        loop {
            let area = AREA_CODES[self.rng.random_range(0..AREA_CODES.len())];
            let sequence = match sex {
                Sex::Male => self.rng.random_range(0..500) * 2 + 1,
                Sex::Female => self.rng.random_range(1..500) * 2,
            };
            let first17 = format!("{area}{}{sequence:03}", birth_date.format("%Y%m%d"));
            let Some(check) = ResidentId::check_char(&first17) else {
                continue;
            };
            let id = format!("{first17}{check}");
            if self.resident_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn mobile(&mut self) -> String {
        loop {
            let second = self.rng.random_range(3..=9);
            let rest = self.rng.random_range(0..1_000_000_000_u32);
            let mobile = format!("1{second}{rest:09}");
            if self.mobiles.insert(mobile.clone()) {
                return mobile;
            }
        }
    }

    fn wallet_number(&mut self) -> String {
        // Fixed prefix, running serial, Luhn digit: unique, and a mistyped number is caught.
        let body = format!("0099{:011}", self.next_wallet_serial);
        self.next_wallet_serial += 1;
        let check = luhn_check_digit(&body);
        format!("{body}{check}")
    }

    fn tier(&mut self, age: u32) -> u8 {
        if age < ADULT_TIER_AGE {
            return 4;
        }
        match self.rng.random_range(0..100) {
            0..15 => 1,
            15..45 => 2,
            45..70 => 3,
            _ => 4,
        }
    }

    fn wallet(&mut self, customer: &CustomerRow, age: u32) -> WalletRow {
        let tier = self.tier(age);
        let status = match self.rng.random_range(0..100) {
            0..96 => WalletStatus::Active,
            96..99 => WalletStatus::Frozen,
            _ => WalletStatus::Closed,
        };
        let balance_fen = if status == WalletStatus::Closed {
            0
        } else {
            self.skewed_fen(0, balance_cap_fen(tier))
        };
        // Strictly before the anchor, so its history has room to happen before "now".
        let opened_at = self.between(customer.created_at, self.anchor - Duration::seconds(1));
        WalletRow {
            id: self.wallet_number(),
            customer_id: customer.id,
            tier,
            balance_fen,
            status,
            opened_at,
        }
    }

    fn transactions(&mut self, wallet: &WalletRow) -> Vec<TransactionRow> {
        let since = (self.anchor - Duration::days(TRANSACTION_HISTORY_DAYS)).max(wallet.opened_at);
        let count = self.rng.random_range(0..=MAX_TRANSACTIONS_PER_WALLET);
        let mut times: Vec<DateTime<Utc>> = (0..count)
            .map(|_| self.between(since, self.anchor - Duration::seconds(1)))
            .collect();
        // Ids rise with time, as a core's journal would.
        times.sort();
        times
            .into_iter()
            .map(|at| {
                let (direction, counterparty, memo) = if self.percent(40) {
                    let sender: String = Name(ZH_CN).fake_with_rng(&mut self.rng);
                    let memo = *INCOMING_MEMOS.choose(&mut self.rng).unwrap_or(&"转账");
                    (Direction::In, sender, memo.to_owned())
                } else {
                    let (shop, memo) = *SHOPS.choose(&mut self.rng).unwrap_or(&SHOPS[0]);
                    (Direction::Out, shop.to_owned(), memo.to_owned())
                };
                let id = self.next_transaction_id;
                self.next_transaction_id += 1;
                TransactionRow {
                    id,
                    wallet_id: wallet.id.clone(),
                    at,
                    amount_fen: self.skewed_fen(1, payment_cap_fen(wallet.tier)),
                    direction,
                    counterparty,
                    memo,
                }
            })
            .collect()
    }

    pub fn next_customer(&mut self) -> DemoCustomer {
        let sex = if self.percent(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        let name: String = Name(ZH_CN).fake_with_rng(&mut self.rng);
        let (birth_date, age) = self.birth_date();
        let resident_id = self.resident_id(birth_date, sex);
        let mobile = self.mobile();
        let created_at = self.seconds_before_anchor(CUSTOMER_HISTORY_DAYS);
        let id = self.next_customer_id;
        self.next_customer_id += 1;
        let customer = CustomerRow {
            id,
            name,
            resident_id,
            mobile,
            birth_date,
            sex,
            created_at,
            id_expires_on: id_card_expiry(id, age, self.as_of),
        };

        let wallet_count = if self.percent(20) { 2 } else { 1 };
        let wallets: Vec<WalletRow> = (0..wallet_count)
            .map(|_| self.wallet(&customer, age))
            .collect();
        let transactions = wallets
            .iter()
            .flat_map(|wallet| self.transactions(wallet))
            .collect();
        DemoCustomer {
            customer,
            wallets,
            transactions,
        }
    }
}

impl Iterator for DemoData {
    type Item = DemoCustomer;
    fn next(&mut self) -> Option<DemoCustomer> {
        Some(self.next_customer())
    }
}

/// `digits` is ASCII digits.
/// When a demo customer's ID card runs out. Derived from the customer number, not drawn
/// from the generator, so adding it left every other field of every seed as it was.
/// About 5% expired more than 90 days ago (the core lowers their wallets' limits), 5%
/// expired within the 90-day grace, 5% expire in the next 60 days; cards issued at 46 or
/// older are long-term.
fn id_card_expiry(id: i64, age: u32, as_of: NaiveDate) -> Option<NaiveDate> {
    let spread = id.rem_euclid(997);
    match id.rem_euclid(20) {
        7 => Some(as_of - Duration::days(91 + spread % 300)),
        13 => Some(as_of - Duration::days(1 + spread % 89)),
        3 => Some(as_of + Duration::days(1 + spread % 60)),
        _ if age >= 46 => None,
        _ => Some(as_of + Duration::days(61 + (spread * 37) % 3000)),
    }
}

pub(crate) fn luhn_check_digit(digits: &str) -> char {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + u8::try_from((10 - sum % 10) % 10).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use walletdesk_core::domain::Mobile;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).expect("date")
    }

    fn sample(seed: u64, customers: usize) -> Vec<DemoCustomer> {
        DemoData::new(seed, as_of()).take(customers).collect()
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        assert_eq!(sample(7, 50), sample(7, 50));
        assert_ne!(sample(7, 5), sample(8, 5));
    }

    #[test]
    fn identities_are_valid_unique_and_match_the_record() {
        let data = sample(42, 1_000);
        let mut ids = HashSet::new();
        let mut mobiles = HashSet::new();
        for person in &data {
            let c = &person.customer;
            let id = ResidentId::parse_on(&c.resident_id, as_of()).expect("valid resident ID");
            assert_eq!(id.birth_date(), c.birth_date);
            assert_eq!(id.sex(), c.sex);
            let age = id.age_on(as_of());
            assert!((MIN_AGE..MAX_AGE_EXCLUSIVE).contains(&age), "age {age}");
            let mobile = Mobile::parse(&c.mobile).expect("valid mobile");
            assert_eq!(mobile.expose(), c.mobile);
            assert!(ids.insert(c.resident_id.clone()), "duplicate ID");
            assert!(mobiles.insert(c.mobile.clone()), "duplicate mobile");
            assert!(
                c.name.chars().count() >= 2 && !c.name.is_ascii(),
                "{}",
                c.name
            );
            assert!(c.created_at < DemoData::new(0, as_of()).anchor);
        }
    }

    #[test]
    fn tiers_respect_age_and_balances_respect_caps() {
        let data = sample(42, 1_000);
        let mut tiers_seen = [false; 5];
        let mut minors = 0;
        for person in &data {
            let id = ResidentId::parse_on(&person.customer.resident_id, as_of()).expect("valid");
            let minor = id.age_on(as_of()) < ADULT_TIER_AGE;
            minors += usize::from(minor);
            for wallet in &person.wallets {
                tiers_seen[usize::from(wallet.tier)] = true;
                assert!((1..=4).contains(&wallet.tier));
                if minor {
                    assert_eq!(wallet.tier, 4, "an under-16 has tier {}", wallet.tier);
                }
                assert!(wallet.balance_fen >= 0);
                assert!(wallet.balance_fen <= balance_cap_fen(wallet.tier));
                assert!(wallet.opened_at >= person.customer.created_at);
                assert_eq!(wallet.id.len(), 16);
                assert!(wallet.id.bytes().all(|b| b.is_ascii_digit()));
                assert_eq!(
                    luhn_check_digit(&wallet.id[..15]),
                    char::from(wallet.id.as_bytes()[15])
                );
            }
        }
        assert!(tiers_seen[1..].iter().all(|seen| *seen), "{tiers_seen:?}");
        assert!(minors > 0, "no minors among 1000 customers");
        assert_eq!(balance_cap_fen(4), 1_000_000);
        assert_eq!(balance_cap_fen(3), 2_000_000);
        assert_eq!(balance_cap_fen(2), 50_000_000);
    }

    #[test]
    fn transactions_lie_in_the_last_year_within_payment_limits() {
        let data = sample(3, 300);
        let anchor = DemoData::new(3, as_of()).anchor;
        let year_ago = anchor - Duration::days(TRANSACTION_HISTORY_DAYS);
        let mut last_id = 0;
        let mut total = 0;
        for person in &data {
            for t in &person.transactions {
                let wallet = person
                    .wallets
                    .iter()
                    .find(|w| w.id == t.wallet_id)
                    .expect("transaction of one of the customer's wallets");
                assert!(t.at >= year_ago && t.at < anchor, "{}", t.at);
                assert!(t.at >= wallet.opened_at);
                assert!(t.amount_fen > 0 && t.amount_fen <= payment_cap_fen(wallet.tier));
                assert!(t.id > last_id, "ids must rise");
                last_id = t.id;
                assert!(!t.counterparty.is_empty() && !t.memo.is_empty());
                total += 1;
            }
        }
        assert!(total > 300, "only {total} transactions");
    }

    #[test]
    fn luhn_digit_matches_a_known_number() {
        // A published Luhn test number: 7992739871 has check digit 3.
        assert_eq!(luhn_check_digit("7992739871"), '3');
    }
}
