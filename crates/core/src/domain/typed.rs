//! Text typed by staff, made comparable before any identifier or amount is parsed.
//!
//! Tellers type with Chinese input methods, which in full-width mode produce `１２３`, `Ｘ`,
//! `－` and the ideographic space `　` (U+3000). These are the same characters to the teller
//! and to the customer, so refusing them ("character '１' is not allowed") is a defect, not
//! caution. NFKC (Unicode compatibility composition) folds each full-width form to its ASCII
//! twin and leaves Chinese characters alone; it is the standard fold for this, so every
//! parser of typed text calls [`normalize_typed`] first and none invents its own.

use unicode_normalization::UnicodeNormalization;

/// NFKC, then surrounding white space removed. ASCII input is already NFKC, so it only trims:
/// searching while typing stays free of allocation-heavy work.
pub fn normalize_typed(text: &str) -> String {
    if text.is_ascii() {
        return text.trim().to_owned();
    }
    fold_width(text).trim().to_owned()
}

/// NFKC only, keeping surrounding white space and line breaks: for multi-line text whose
/// line numbers must stay those the editor shows (the working-day calendar).
pub fn fold_width(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    text.nfkc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_letters_and_spaces_fold_to_ascii() {
        assert_eq!(normalize_typed("１２３"), "123");
        assert_eq!(normalize_typed("Ｘｘ"), "Xx");
        assert_eq!(
            normalize_typed("　１３８　１２３４　５６７８　"),
            "138 1234 5678"
        );
        assert_eq!(
            normalize_typed("ＴＳ－２０２６－０００００１"),
            "TS-2026-000001"
        );
        assert_eq!(normalize_typed("１２．５０"), "12.50");
        assert_eq!(normalize_typed("＋８６"), "+86");
    }

    #[test]
    fn chinese_text_is_left_as_typed() {
        assert_eq!(normalize_typed(" 张三丰 "), "张三丰");
        assert_eq!(normalize_typed("长辈版"), "长辈版");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn normalising_twice_changes_nothing(text in "\\PC{0,40}") {
            let once = normalize_typed(&text);
            prop_assert_eq!(normalize_typed(&once), once);
        }
    }
}
