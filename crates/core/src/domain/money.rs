//! Money: a `Decimal` amount in CNY, never a float.
//!
//! Storage rule: SQLite holds money as INTEGER minor units (fen). JSON carries it as a decimal
//! string ("12.50"); a JSON number is refused so a float can never sneak in through the UI.
//! Amounts with more than two decimal places are refused rather than rounded: rounding money
//! silently is how ledgers drift.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// CNY has two minor digits (fen).
const SCALE: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, TS)]
#[ts(type = "string")]
pub struct Money(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a decimal amount: {0:?}")]
    NotDecimal(String),
    #[error("more than two decimal places: {0}")]
    TooPrecise(String),
    #[error("amount out of range")]
    OutOfRange,
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses canonical text such as "1234.5" or "-0.01". Whitespace around it is allowed;
    /// exponents, thousands separators and more than two decimals are not. Full-width digits
    /// and `．` (a Chinese IME in full-width mode) are folded first.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let normal = super::normalize_typed(text);
        let trimmed = normal.as_str();
        if trimmed.is_empty() || trimmed.contains(['e', 'E', ',', '_']) {
            return Err(MoneyError::NotDecimal(text.to_owned()));
        }
        let value =
            Decimal::from_str(trimmed).map_err(|_| MoneyError::NotDecimal(text.to_owned()))?;
        Money::from_decimal(value)
    }

    pub fn from_decimal(value: Decimal) -> Result<Money, MoneyError> {
        let normal = value.normalize();
        if normal.scale() > SCALE {
            return Err(MoneyError::TooPrecise(value.to_string()));
        }
        // Keep every amount at scale 2 so equal amounts print identically ("5.00").
        let mut fixed = normal;
        fixed.rescale(SCALE);
        Ok(Money(fixed))
    }

    pub fn from_minor_units(fen: i64) -> Money {
        Money(Decimal::new(fen, SCALE))
    }

    /// The storage form. Fails only beyond i64 fen (about 92 quadrillion yuan).
    pub fn to_minor_units(self) -> Result<i64, MoneyError> {
        let mut scaled = self.0;
        scaled.rescale(SCALE);
        i64::try_from(scaled.mantissa()).map_err(|_| MoneyError::OutOfRange)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Deserialising into String refuses JSON numbers: money is text on the wire.
        let text = String::deserialize(deserializer)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tenths_add_exactly() {
        let a = Money::parse("0.1").expect("valid");
        let b = Money::parse("0.2").expect("valid");
        assert_eq!(a.checked_add(b), Some(Money::parse("0.3").expect("valid")));
    }

    #[test]
    fn canonical_text_has_two_decimals() {
        assert_eq!(Money::parse("5").expect("valid").to_string(), "5.00");
        assert_eq!(Money::parse(" 12.5 ").expect("valid").to_string(), "12.50");
        assert_eq!(Money::parse("-0.01").expect("valid").to_string(), "-0.01");
        assert_eq!(Money::parse("7.100").expect("valid").to_string(), "7.10");
    }

    #[test]
    fn refuses_what_is_not_plain_money() {
        for bad in ["", "abc", "1e3", "1,000.00", "0.001", "NaN", "1_000"] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn full_width_amount_is_normalised_not_refused() {
        assert_eq!(
            Money::parse("１２．５").expect("valid").to_string(),
            "12.50"
        );
        assert_eq!(
            Money::parse("　１００　").expect("valid").to_string(),
            "100.00"
        );
        assert_eq!(
            Money::parse("－０．０１").expect("valid").to_string(),
            "-0.01"
        );
        // Folding turns the full-width comma into ',', which stays refused.
        assert!(Money::parse("１，０００").is_err());
    }

    #[test]
    fn minor_units_round_trip() {
        for fen in [0_i64, 1, -1, 99, 100, 100_000_000, i64::MAX, i64::MIN + 1] {
            let m = Money::from_minor_units(fen);
            assert_eq!(m.to_minor_units(), Ok(fen));
        }
    }

    #[test]
    fn json_is_a_string_and_numbers_are_refused() {
        let m = Money::parse("1234.56").expect("valid");
        assert_eq!(serde_json::to_string(&m).expect("ser"), r#""1234.56""#);
        let back: Money = serde_json::from_str(r#""1234.56""#).expect("de");
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Money>("1234.56").is_err());
        assert!(serde_json::from_str::<Money>("0.1").is_err());
    }

    proptest! {
        // Fuzz cases per property (the note counts cases run = this × properties).
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn text_and_storage_round_trip(fen in any::<i64>()) {
            let m = Money::from_minor_units(fen);
            let text = m.to_string();
            let parsed = Money::parse(&text).expect("own output parses");
            prop_assert_eq!(parsed, m);
            prop_assert_eq!(parsed.to_minor_units(), Ok(fen));
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Money::parse(&s);
        }
    }
}
