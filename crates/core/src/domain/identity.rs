//! Identity data: mainland resident ID numbers (GB 11643) and mobile numbers.
//!
//! Both are sensitive personal information, so the types are built to make leaks hard: `Debug`
//! and `Display` print the masked form, there is no `Serialize`, and the full value is only
//! reachable through `expose()`, a name that stands out in review and can be grepped for.

use chrono::{Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// Why a resident ID or mobile number was refused. Each variant is a different message at the
/// counter ("one digit is mistyped" is not the same advice as "that is not a birth date"), and
/// none carries the whole number, so an error can be logged safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("a resident ID has 18 characters (or 15 in the old form), this has {found}")]
    WrongLength { found: usize },
    #[error("character {found:?} is not allowed at position {position}")]
    BadCharacter { position: usize, found: char },
    #[error("{code} is not a mainland area code")]
    BadAreaCode { code: String },
    #[error("the birth date in the ID {problem}")]
    BadBirthDate { problem: BirthDateProblem },
    #[error(
        "check character should be {expected} but is {found}: a character is probably mistyped"
    )]
    BadCheckCharacter { expected: char, found: char },
    #[error("not a mainland mobile number (11 digits starting 13 to 19, optionally with +86)")]
    BadMobile,
}

/// What is wrong with the birth-date part of an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthDateProblem {
    NotADate,
    InTheFuture,
    Before1900,
}

impl fmt::Display for BirthDateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BirthDateProblem::NotADate => "is not a calendar date",
            BirthDateProblem::InTheFuture => "is in the future",
            BirthDateProblem::Before1900 => "is before 1900",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Sex {
    Male,
    Female,
}

/// ISO 7064 MOD 11-2 weights for the first 17 characters.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level prefixes that appear in issued numbers: the 31 mainland provinces, Taiwan (71),
/// the Hong Kong, Macao and Taiwan residence permits (81, 82, 83) and the foreigners' permanent
/// residence ID (91). Anything else is a typo or an invention.
const PROVINCE_PREFIXES: [&str; 36] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83", "91",
];

/// A mainland resident ID number that passed every check, always in the 18-character form with
/// an upper-case `X`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    value: String,
    birth_date: NaiveDate,
}

impl ResidentId {
    /// Parses an ID typed or scanned at the counter, judging "in the future" by today's date in
    /// China Standard Time (the zone the birth date was written in).
    pub fn parse(text: &str) -> Result<ResidentId, IdentityError> {
        ResidentId::parse_on(text, today_in_china())
    }

    /// As [`ResidentId::parse`], with "today" given, so tests and batch jobs are reproducible.
    /// Full-width digits and `Ｘ` (a Chinese IME in full-width mode) are folded first.
    pub fn parse_on(text: &str, today: NaiveDate) -> Result<ResidentId, IdentityError> {
        let normal = super::normalize_typed(text);
        let chars: Vec<char> = normal.chars().collect();
        match chars.len() {
            18 => ResidentId::parse_18(&chars, today),
            15 => ResidentId::parse_15(&chars),
            found => Err(IdentityError::WrongLength { found }),
        }
    }

    fn parse_18(chars: &[char], today: NaiveDate) -> Result<ResidentId, IdentityError> {
        require_digits(&chars[..17])?;
        let found = chars[17].to_ascii_uppercase();
        if !(found.is_ascii_digit() || found == 'X') {
            return Err(IdentityError::BadCharacter {
                position: 17,
                found: chars[17],
            });
        }
        let first17: String = chars[..17].iter().collect();
        check_area(&first17[..6])?;
        let birth_date = check_birth_date(&first17[6..14], today)?;
        let expected = check_char_of_digits(&first17);
        if expected != found {
            return Err(IdentityError::BadCheckCharacter { expected, found });
        }
        let mut value = first17;
        value.push(found);
        Ok(ResidentId { value, birth_date })
    }

    /// The pre-1999 form: no check character and a two-digit year that always meant 19YY.
    fn parse_15(chars: &[char]) -> Result<ResidentId, IdentityError> {
        require_digits(chars)?;
        let old: String = chars.iter().collect();
        check_area(&old[..6])?;
        let mut first17 = String::with_capacity(18);
        first17.push_str(&old[..6]);
        first17.push_str("19");
        first17.push_str(&old[6..]);
        // Any 19YY date is in the past, so "today" only needs to be late enough.
        let birth_date = check_birth_date(&first17[6..14], NaiveDate::MAX)?;
        let check = check_char_of_digits(&first17);
        first17.push(check);
        Ok(ResidentId {
            value: first17,
            birth_date,
        })
    }

    /// The check character for the first 17 digits of an ID, or `None` unless given exactly 17
    /// ASCII digits. Generators use it to build valid numbers.
    pub fn check_char(first17: &str) -> Option<char> {
        if first17.len() == 17 && first17.bytes().all(|b| b.is_ascii_digit()) {
            Some(check_char_of_digits(first17))
        } else {
            None
        }
    }

    /// The full number. Named so that every use is a deliberate, reviewable reveal.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// First 6 and last 4 characters, the middle 8 (birth date and part of the sequence) hidden.
    pub fn masked(&self) -> String {
        let mut out = String::with_capacity(18);
        out.push_str(&self.value[..6]);
        out.push_str("********");
        out.push_str(&self.value[14..]);
        out
    }

    pub fn area_code(&self) -> &str {
        &self.value[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        // The sequence's last digit is the ID's 17th character: odd for men, even for women.
        let digit = self.value.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Completed years on `date`. Someone born on 29 February turns a year older on 1 March in
    /// common years. Zero for a date before the birth.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        let born = self.birth_date;
        let Ok(mut years) = u32::try_from(date.year() - born.year()) else {
            return 0;
        };
        if (date.month(), date.day()) < (born.month(), born.day()) {
            years = years.saturating_sub(1);
        }
        years
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResidentId::parse(s)
    }
}

/// Deserialising parses, so an invalid ID is refused at the edge. There is deliberately no
/// `Serialize`: sending a full ID anywhere should be written out with `expose()`.
impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ResidentId::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn today_in_china() -> NaiveDate {
    const CST_SECONDS: i32 = 8 * 3600;
    match FixedOffset::east_opt(CST_SECONDS) {
        Some(cst) => Utc::now().with_timezone(&cst).date_naive(),
        None => Utc::now().date_naive(),
    }
}

fn require_digits(chars: &[char]) -> Result<(), IdentityError> {
    match chars.iter().position(|c| !c.is_ascii_digit()) {
        Some(position) => Err(IdentityError::BadCharacter {
            position,
            found: chars[position],
        }),
        None => Ok(()),
    }
}

fn check_area(code: &str) -> Result<(), IdentityError> {
    if PROVINCE_PREFIXES.contains(&&code[..2]) {
        Ok(())
    } else {
        Err(IdentityError::BadAreaCode {
            code: code.to_owned(),
        })
    }
}

/// `yyyymmdd` is eight ASCII digits (checked by the caller).
fn check_birth_date(yyyymmdd: &str, today: NaiveDate) -> Result<NaiveDate, IdentityError> {
    let number = |range: std::ops::Range<usize>| yyyymmdd[range].parse::<u32>().unwrap_or(0);
    let year = i32::try_from(number(0..4)).unwrap_or(0);
    let date = NaiveDate::from_ymd_opt(year, number(4..6), number(6..8)).ok_or(
        IdentityError::BadBirthDate {
            problem: BirthDateProblem::NotADate,
        },
    )?;
    let problem = if year < 1900 {
        BirthDateProblem::Before1900
    } else if date > today {
        BirthDateProblem::InTheFuture
    } else {
        return Ok(date);
    };
    Err(IdentityError::BadBirthDate { problem })
}

/// `first17` is 17 ASCII digits (checked by the caller).
fn check_char_of_digits(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// A mainland mobile number, stored as its bare 11 digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// Accepts `13812345678`, `138 1234 5678`, `138-1234-5678`, `+86 138 1234 5678` and
    /// `8613812345678`. Only the shape is checked: carriers' number ranges change too often to
    /// hard-code. Full-width digits, `＋` and the ideographic space are folded first.
    pub fn parse(text: &str) -> Result<Mobile, IdentityError> {
        let compact: String = super::normalize_typed(text)
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+86") {
            rest
        } else if compact.len() == 13 {
            // A bare national number starts with 1, so a 13-digit "86..." can only be prefixed.
            compact.strip_prefix("86").unwrap_or(&compact)
        } else {
            &compact
        };
        let bytes = national.as_bytes();
        let shaped = bytes.len() == 11
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1])
            && bytes.iter().all(u8::is_ascii_digit);
        if shaped {
            Ok(Mobile(national.to_owned()))
        } else {
            Err(IdentityError::BadMobile)
        }
    }

    /// The full 11 digits. Named so that every use is a deliberate, reviewable reveal.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// First 3 and last 4 digits, e.g. `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mobile").field(&self.masked()).finish()
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl FromStr for Mobile {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mobile::parse(s)
    }
}

/// Deserialising parses; as with [`ResidentId`] there is deliberately no `Serialize`.
impl<'de> Deserialize<'de> for Mobile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Mobile::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "11010519491231002X";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    /// Completes 17 digits into a valid 18-character ID.
    fn complete(first17: &str) -> String {
        let check = ResidentId::check_char(first17).expect("17 digits");
        format!("{first17}{check}")
    }

    fn id(text: &str) -> ResidentId {
        ResidentId::parse(text).expect("valid ID")
    }

    #[test]
    fn published_sample_parses() {
        let parsed = id(SAMPLE);
        assert_eq!(parsed.expose(), SAMPLE);
        assert_eq!(parsed.area_code(), "110105");
        assert_eq!(parsed.birth_date(), day(1949, 12, 31));
        assert_eq!(parsed.sex(), Sex::Female);
        assert_eq!(ResidentId::check_char(&SAMPLE[..17]), Some('X'));
    }

    #[test]
    fn computed_ids_parse_with_their_parts() {
        let cases = [
            ("44030519900101123", day(1990, 1, 1), Sex::Male),
            ("31011520000229004", day(2000, 2, 29), Sex::Female),
            ("65010219000101001", day(1900, 1, 1), Sex::Male),
            ("81000019851111008", day(1985, 11, 11), Sex::Female),
            ("91110020101010555", day(2010, 10, 10), Sex::Male),
            ("51010720200630999", day(2020, 6, 30), Sex::Male),
            ("23010319661018886", day(1966, 10, 18), Sex::Female),
        ];
        for (first17, born, sex) in cases {
            let text = complete(first17);
            let parsed = id(&text);
            assert_eq!(parsed.expose(), text);
            assert_eq!(parsed.birth_date(), born, "{first17}");
            assert_eq!(parsed.sex(), sex, "{first17}");
            assert_eq!(parsed.area_code(), &first17[..6]);
        }
    }

    #[test]
    fn lower_case_x_and_surrounding_space_are_accepted() {
        assert_eq!(id("11010519491231002x").expose(), SAMPLE);
        assert_eq!(id("  11010519491231002X\t\n").expose(), SAMPLE);
    }

    #[test]
    fn full_width_resident_id_is_normalised_not_refused() {
        // What a Chinese IME in full-width mode types: digits, X and ideographic spaces.
        assert_eq!(id("１１０１０５１９４９１２３１００２Ｘ").expose(), SAMPLE);
        assert_eq!(
            id("　１１０１０５１９４９１２３１００２ｘ　").expose(),
            SAMPLE
        );
        assert_eq!(id("110105１9491231002X").expose(), SAMPLE);
        assert_eq!(id("１１０１０５４９１２３１００２").expose(), SAMPLE);
        // Folding does not make a wrong number right: the check character still decides.
        assert_eq!(
            ResidentId::parse("１１０１０５１９４９１２３１００２１"),
            Err(IdentityError::BadCheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn full_width_mobile_is_normalised_not_refused() {
        for text in [
            "１３８１２３４５６７８",
            "＋８６　１３８　１２３４　５６７８",
            "１３８－１２３４－５６７８",
        ] {
            assert_eq!(
                Mobile::parse(text).map(|m| m.expose().to_owned()),
                Ok("13812345678".to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn wrong_lengths_are_named() {
        for (text, found) in [
            ("", 0),
            ("   ", 0),
            ("1101051949", 10),
            ("11010519491231002", 17),
            ("11010519491231002X1", 19),
            ("1101054912310021", 16),
            ("11010519491231 002X", 19),
        ] {
            assert_eq!(
                ResidentId::parse(text),
                Err(IdentityError::WrongLength { found }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bad_characters_are_located() {
        for (text, position, found) in [
            ("1101051949123100XX", 16, 'X'),
            ("X10105194912310021", 0, 'X'),
            ("110105-9491231002X", 6, '-'),
            ("11010519491231002Y", 17, 'Y'),
            ("11010519491231002*", 17, '*'),
            ("11010549123100X", 14, 'X'),
        ] {
            assert_eq!(
                ResidentId::parse(text),
                Err(IdentityError::BadCharacter { position, found }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn implausible_area_codes_are_refused() {
        for area in [
            "000000", "100000", "190101", "240101", "380101", "470101", "550101", "660101",
            "720101", "840101", "900101", "920101", "990101",
        ] {
            let text = complete(&format!("{area}19800101001"));
            assert_eq!(
                ResidentId::parse(&text),
                Err(IdentityError::BadAreaCode {
                    code: area.to_owned()
                }),
                "{area}"
            );
        }
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        let today = day(2024, 6, 15);
        let not_a_date = [
            "19490230", "19491301", "19490000", "19000229", "20230229", "00000000",
        ];
        for date in not_a_date {
            let text = complete(&format!("110105{date}001"));
            assert_eq!(
                ResidentId::parse_on(&text, today),
                Err(IdentityError::BadBirthDate {
                    problem: BirthDateProblem::NotADate
                }),
                "{date}"
            );
        }
        for (date, problem) in [
            ("18991231", BirthDateProblem::Before1900),
            ("10000101", BirthDateProblem::Before1900),
            ("20240616", BirthDateProblem::InTheFuture),
            ("20990101", BirthDateProblem::InTheFuture),
        ] {
            let text = complete(&format!("110105{date}001"));
            assert_eq!(
                ResidentId::parse_on(&text, today),
                Err(IdentityError::BadBirthDate { problem }),
                "{date}"
            );
        }
        let born_today = complete("11010520240615001");
        assert!(ResidentId::parse_on(&born_today, today).is_ok());
    }

    #[test]
    fn wrong_check_character_reports_the_expected_one() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(IdentityError::BadCheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            ResidentId::parse("110105194912310020"),
            Err(IdentityError::BadCheckCharacter {
                expected: 'X',
                found: '0'
            })
        );
        let valid = complete("44030519900101123");
        let mut wrong = valid[..17].to_owned();
        wrong.push(if valid.ends_with('x') || valid.ends_with('X') {
            '0'
        } else {
            'x'
        });
        assert!(matches!(
            ResidentId::parse(&wrong),
            Err(IdentityError::BadCheckCharacter { .. })
        ));
    }

    #[test]
    fn every_single_digit_typo_is_caught() {
        let today = day(2100, 1, 1);
        for position in 0..17 {
            for replacement in b'0'..=b'9' {
                let mut typo = SAMPLE.as_bytes().to_vec();
                if typo[position] == replacement {
                    continue;
                }
                typo[position] = replacement;
                let typo = String::from_utf8(typo).expect("ascii");
                assert!(
                    ResidentId::parse_on(&typo, today).is_err(),
                    "typo {typo} was accepted"
                );
            }
        }
    }

    #[test]
    fn old_fifteen_digit_form_is_upgraded() {
        let upgraded = id("110105491231002");
        assert_eq!(upgraded.expose(), SAMPLE);
        assert_eq!(upgraded.birth_date(), day(1949, 12, 31));
        let another = id(" 440305850615123 ");
        assert_eq!(another.expose(), complete("44030519850615123"));
        assert_eq!(another.sex(), Sex::Male);
        assert_eq!(
            ResidentId::parse("110105490231002"),
            Err(IdentityError::BadBirthDate {
                problem: BirthDateProblem::NotADate
            })
        );
        assert_eq!(
            ResidentId::parse("990105491231002"),
            Err(IdentityError::BadAreaCode {
                code: "990105".to_owned()
            })
        );
        assert_eq!(
            ResidentId::parse("11010549123100X"),
            Err(IdentityError::BadCharacter {
                position: 14,
                found: 'X'
            })
        );
    }

    #[test]
    fn masking_hides_the_middle_eight() {
        let parsed = id(SAMPLE);
        assert_eq!(parsed.masked(), "110105********002X");
        assert_eq!(parsed.to_string(), "110105********002X");
        let debug = format!("{parsed:?}");
        assert!(!debug.contains(SAMPLE), "{debug}");
        assert!(!debug.contains("19491231"), "{debug}");
        assert!(debug.contains("110105********002X"), "{debug}");
        let in_struct = format!("{:?}", Some(parsed.clone()));
        assert!(!in_struct.contains(SAMPLE));
    }

    #[test]
    fn age_counts_completed_years() {
        let parsed = id(SAMPLE);
        assert_eq!(parsed.age_on(day(1949, 12, 31)), 0);
        assert_eq!(parsed.age_on(day(1950, 12, 30)), 0);
        assert_eq!(parsed.age_on(day(1950, 12, 31)), 1);
        assert_eq!(parsed.age_on(day(2024, 12, 30)), 74);
        assert_eq!(parsed.age_on(day(2024, 12, 31)), 75);
        assert_eq!(parsed.age_on(day(1900, 1, 1)), 0);
        assert_eq!(parsed.age_on(day(1949, 1, 1)), 0);

        let leapling = id(&complete("31011520000229004"));
        assert_eq!(leapling.age_on(day(2001, 2, 28)), 0);
        assert_eq!(leapling.age_on(day(2001, 3, 1)), 1);
        assert_eq!(leapling.age_on(day(2016, 2, 28)), 15);
        assert_eq!(leapling.age_on(day(2016, 2, 29)), 16);
    }

    #[test]
    fn check_char_wants_exactly_seventeen_digits() {
        assert_eq!(ResidentId::check_char("1101051949123100"), None);
        assert_eq!(ResidentId::check_char("110105194912310021"), None);
        assert_eq!(ResidentId::check_char("1101051949123100a"), None);
        assert_eq!(ResidentId::check_char("11010519491231002"), Some('X'));
    }

    #[test]
    fn deserialising_parses() {
        let parsed: ResidentId = serde_json::from_str(r#""11010519491231002x""#).expect("valid");
        assert_eq!(parsed.expose(), SAMPLE);
        assert!(serde_json::from_str::<ResidentId>(r#""110105194912310021""#).is_err());
        let mobile: Mobile = serde_json::from_str(r#""+86 138 1234 5678""#).expect("valid");
        assert_eq!(mobile.expose(), "13812345678");
        assert!(serde_json::from_str::<Mobile>(r#""12812345678""#).is_err());
    }

    #[test]
    fn errors_do_not_carry_the_whole_number() {
        for text in [
            "110105194912310021",
            "990105194912310021",
            "110105194902300021",
        ] {
            let message = ResidentId::parse(text).expect_err("invalid").to_string();
            assert!(!message.contains(text), "{message}");
        }
    }

    #[test]
    fn mobiles_in_common_spellings_parse() {
        for text in [
            "13812345678",
            " 13812345678 ",
            "138 1234 5678",
            "138-1234-5678",
            "+8613812345678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "8613812345678",
            "86 138 1234 5678",
        ] {
            assert_eq!(
                Mobile::parse(text).map(|m| m.expose().to_owned()),
                Ok("13812345678".to_owned()),
                "{text:?}"
            );
        }
        for second in b'3'..=b'9' {
            let text = format!("1{}000000000", char::from(second));
            assert!(Mobile::parse(&text).is_ok(), "{text}");
        }
        assert_eq!(
            Mobile::parse("8613912345678").map(|m| m.expose().to_owned()),
            Ok("13912345678".to_owned())
        );
    }

    #[test]
    fn non_mobiles_are_refused() {
        for text in [
            "",
            "1381234567",
            "138123456789",
            "10812345678",
            "11812345678",
            "12812345678",
            "23812345678",
            "1381234567a",
            "138.1234.5678",
            "+8513812345678",
            "+86",
            "86",
            "861381234567",
            "+1 138 1234 5678",
            "0086 138 1234 5678",
            "+86 +86 13812345678",
            "(138) 1234 5678",
        ] {
            assert_eq!(
                Mobile::parse(text),
                Err(IdentityError::BadMobile),
                "{text:?}"
            );
        }
    }

    #[test]
    fn mobile_masking_keeps_three_and_four() {
        let mobile = Mobile::parse("138 1234 5678").expect("valid");
        assert_eq!(mobile.masked(), "138****5678");
        assert_eq!(mobile.to_string(), "138****5678");
        let debug = format!("{mobile:?}");
        assert!(!debug.contains("13812345678"), "{debug}");
        assert!(debug.contains("138****5678"), "{debug}");
    }

    fn valid_id_parts() -> impl Strategy<Value = (String, NaiveDate, u32)> {
        (
            prop::sample::select(PROVINCE_PREFIXES.to_vec()),
            0_u32..10_000,
            // 1900-01-01 up to the end of 2020, safely in the past whenever the test runs.
            0_i64..44_196,
            0_u32..1000,
        )
            .prop_map(|(province, county, days, sequence)| {
                let born = day(1900, 1, 1) + chrono::Duration::days(days);
                let first17 = format!(
                    "{province}{county:04}{}{sequence:03}",
                    born.format("%Y%m%d")
                );
                (first17, born, sequence)
            })
    }

    /// What a Chinese IME in full-width mode types for `text`: every ASCII character shifted
    /// to its full-width form (U+FF01..U+FF5E), spaces to the ideographic space.
    fn full_width(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                ' ' => '\u{3000}',
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                other => other,
            })
            .collect()
    }

    proptest! {
        // Fuzz cases per property (the note counts cases run = this × properties).
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = ResidentId::parse(&text);
            let _ = Mobile::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_near_misses(text in "[0-9xX +\\-１]{13,20}") {
            let _ = ResidentId::parse(&text);
            let _ = Mobile::parse(&text);
        }

        #[test]
        fn valid_ids_round_trip((first17, born, sequence) in valid_id_parts()) {
            let text = complete(&first17);
            let parsed = ResidentId::parse(&text).expect("generated ID is valid");
            prop_assert_eq!(parsed.expose(), text.as_str());
            prop_assert_eq!(parsed.birth_date(), born);
            let sex = if sequence % 2 == 1 { Sex::Male } else { Sex::Female };
            prop_assert_eq!(parsed.sex(), sex);
            let again = ResidentId::parse(parsed.expose()).expect("own output parses");
            prop_assert_eq!(&again, &parsed);
            prop_assert_eq!(again.masked().len(), 18);
            let wide = ResidentId::parse(&full_width(&text.to_lowercase()))
                .expect("the full-width form is the same ID");
            prop_assert_eq!(wide, parsed);
        }

        #[test]
        fn fifteen_digit_form_upgrades_to_the_eighteen((first17, _born, _sequence) in valid_id_parts()) {
            prop_assume!(&first17[6..8] == "19");
            let old = format!("{}{}", &first17[..6], &first17[8..]);
            let parsed = ResidentId::parse(&old).expect("old form is valid");
            prop_assert_eq!(parsed.expose(), complete(&first17));
        }

        #[test]
        fn valid_mobiles_round_trip(second in 3_u8..=9, rest in 0_u64..1_000_000_000) {
            let text = format!("1{second}{rest:09}");
            let parsed = Mobile::parse(&text).expect("generated mobile is valid");
            prop_assert_eq!(parsed.expose(), text.as_str());
            let spaced = format!("+86 {} {} {}", &text[..3], &text[3..7], &text[7..]);
            prop_assert_eq!(Mobile::parse(&spaced).expect("spaced form"), parsed.clone());
            prop_assert_eq!(Mobile::parse(&full_width(&spaced)).expect("full-width form"), parsed);
        }
    }
}
