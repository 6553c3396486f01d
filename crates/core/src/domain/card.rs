//! A bank card number: 13 to 19 digits that pass the Luhn check. Only the core bank ever
//! receives the whole number; everywhere else it is masked to the last four digits.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("a card number has 13 to 19 digits")]
    Length,
    #[error("a card number has only digits and spaces")]
    NotDigits,
    #[error("the card number's check digit is wrong (Luhn)")]
    CheckDigit,
}

#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

impl CardNumber {
    /// Accepts the number as printed on the card: digits with spaces or dashes between groups,
    /// typed in full width or not.
    pub fn parse(text: &str) -> Result<CardNumber, CardNumberError> {
        let kept: String = super::normalize_typed(text)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !kept.chars().all(|c| c.is_ascii_digit()) {
            return Err(CardNumberError::NotDigits);
        }
        if !(13..=19).contains(&kept.len()) {
            return Err(CardNumberError::Length);
        }
        let sum: u32 = kept
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let doubled = d * 2;
                    if doubled > 9 { doubled - 9 } else { doubled }
                } else {
                    d
                }
            })
            .sum();
        if !sum.is_multiple_of(10) {
            return Err(CardNumberError::CheckDigit);
        }
        Ok(CardNumber(kept))
    }

    /// The whole number: only for the body sent to the core (sealed in the outbox).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// `**** **** **** 1234`: what staff, receipts and logs see.
    pub fn masked(&self) -> String {
        format!("**** **** **** {}", self.last4())
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_looking_numbers_with_spaces_and_dashes() {
        for good in [
            "6222 0212 3456 7890 128",
            "4111111111111111",
            "4111-1111-1111-1111",
            "6222021234567890128",
            "378282246310005",
        ] {
            let card = CardNumber::parse(good).unwrap_or_else(|e| panic!("{good}: {e}"));
            assert_eq!(
                card.expose().len(),
                good.chars().filter(char::is_ascii_digit).count()
            );
        }
    }

    #[test]
    fn refuses_wrong_check_digit_length_and_letters() {
        assert_eq!(
            CardNumber::parse("4111111111111112"),
            Err(CardNumberError::CheckDigit)
        );
        assert_eq!(
            CardNumber::parse("411111111111"),
            Err(CardNumberError::Length)
        );
        assert_eq!(
            CardNumber::parse("41111111111111111111"),
            Err(CardNumberError::Length)
        );
        assert_eq!(
            CardNumber::parse("4111a11111111111"),
            Err(CardNumberError::NotDigits)
        );
        assert_eq!(CardNumber::parse(""), Err(CardNumberError::Length));
    }

    #[test]
    fn full_width_card_number_is_normalised_not_refused() {
        let card = CardNumber::parse("４１１１　１１１１　１１１１　１１１１").expect("valid");
        assert_eq!(card.expose(), "4111111111111111");
        let dashed = CardNumber::parse("４１１１－１１１１－１１１１－１１１１").expect("valid");
        assert_eq!(dashed.expose(), "4111111111111111");
    }

    #[test]
    fn debug_and_display_show_only_the_last_four() {
        let card = CardNumber::parse("4111 1111 1111 1111").expect("valid");
        assert_eq!(card.to_string(), "**** **** **** 1111");
        assert!(!format!("{card:?}").contains("41111"));
    }

    proptest! {
        // Fuzz cases per property (the note counts cases run = this × properties).
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn parsing_never_panics(text in "\\PC{0,40}") {
            let _ = CardNumber::parse(&text);
        }

        #[test]
        fn one_changed_digit_is_always_caught(
            digits in proptest::collection::vec(0u8..10, 12..=18),
            position in any::<prop::sample::Index>(),
            bump in 1u8..10,
        ) {
            // Complete the number with its Luhn digit, then change one digit.
            let body: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            let check = (0..10u8)
                .map(|d| format!("{body}{d}"))
                .find(|n| CardNumber::parse(n).is_ok())
                .expect("one check digit fits");
            prop_assert_eq!(CardNumber::parse(&check).map(|c| c.expose().to_owned()), Ok(check.clone()));
            let mut bytes = check.into_bytes();
            let at = position.index(bytes.len());
            bytes[at] = b'0' + (bytes[at] - b'0' + bump) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            prop_assert_eq!(CardNumber::parse(&changed), Err(CardNumberError::CheckDigit));
        }
    }
}
