//! Working-day calendar for deadline rules (complaints, disputed transactions, Reg E).
//!
//! Mainland China moves weekends around holidays (调休), so a weekday rule alone is wrong: the
//! calendar is two explicit lists a supervisor maintains — public holidays (rest days even on a
//! weekday) and make-up working days (weekend days that are working days). Every other Saturday
//! and Sunday is a rest day; every other weekday is a working day.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use thiserror::Error;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error(
        "line {line}: expected \"YYYY-MM-DD holiday\" or \"YYYY-MM-DD workday\", found {text:?}"
    )]
    Malformed { line: usize, text: String },
    #[error("line {line}: {text:?} is not a valid date (use YYYY-MM-DD)")]
    BadDate { line: usize, text: String },
    #[error("line {line}: unknown day kind {kind:?} (use \"holiday\" or \"workday\")")]
    UnknownKind { line: usize, kind: String },
    #[error("{date} is listed more than once")]
    Duplicate { date: NaiveDate },
    #[error("{date} is listed both as a holiday and as a make-up working day")]
    Conflict { date: NaiveDate },
    #[error(
        "{date} is a {weekday:?}, already a working day; a make-up working day must be a Saturday or Sunday"
    )]
    WorkdayNotOnWeekend { date: NaiveDate, weekday: Weekday },
    #[error("date arithmetic from {from} runs past the last representable date")]
    OutOfRange { from: NaiveDate },
}

/// How a listed date departs from the plain weekday/weekend rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DayKind {
    Holiday,
    Workday,
}

/// One line of the calendar as the supervisor's editor shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEntry {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub kind: DayKind,
}

/// Invariant: `holidays` and `workdays` are disjoint, and every make-up working day is a
/// Saturday or Sunday (a weekday listed as a workday is almost certainly a typo for another date).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// A calendar with no listed days: Monday to Friday work, weekends rest.
    pub fn weekends_only() -> Self {
        Self::default()
    }

    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Self, CalendarError> {
        let mut calendar = Self::default();
        for date in holidays {
            calendar.insert(date, DayKind::Holiday)?;
        }
        for date in workdays {
            calendar.insert(date, DayKind::Workday)?;
        }
        Ok(calendar)
    }

    pub fn from_entries(
        entries: impl IntoIterator<Item = CalendarEntry>,
    ) -> Result<Self, CalendarError> {
        let mut calendar = Self::default();
        for entry in entries {
            calendar.insert(entry.date, entry.kind)?;
        }
        Ok(calendar)
    }

    /// Parses one entry per line: `2026-10-01 holiday` or `2026-10-10 workday`. Blank lines and
    /// text after `#` are ignored so the supervisor can annotate the file. Line numbers in errors
    /// are 1-based, as an editor shows them.
    /// Full-width digits and dashes (a Chinese IME in full-width mode) are folded first.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let mut calendar = Self::default();
        let text = crate::domain::fold_width(text);
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let content = raw.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            let mut words = content.split_whitespace();
            let (Some(date_text), Some(kind_text), None) =
                (words.next(), words.next(), words.next())
            else {
                return Err(CalendarError::Malformed {
                    line,
                    text: raw.trim().to_owned(),
                });
            };
            let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| {
                CalendarError::BadDate {
                    line,
                    text: date_text.to_owned(),
                }
            })?;
            let kind = match kind_text.to_ascii_lowercase().as_str() {
                "holiday" => DayKind::Holiday,
                "workday" => DayKind::Workday,
                _ => {
                    return Err(CalendarError::UnknownKind {
                        line,
                        kind: kind_text.to_owned(),
                    });
                }
            };
            calendar.insert(date, kind)?;
        }
        Ok(calendar)
    }

    /// The text form [`BusinessCalendar::parse`] reads back, in date order.
    pub fn to_text(&self) -> String {
        self.entries()
            .map(|entry| {
                let kind = match entry.kind {
                    DayKind::Holiday => "holiday",
                    DayKind::Workday => "workday",
                };
                format!("{} {kind}\n", entry.date.format("%Y-%m-%d"))
            })
            .collect()
    }

    /// All listed days in date order.
    pub fn entries(&self) -> impl Iterator<Item = CalendarEntry> + '_ {
        let mut all: Vec<CalendarEntry> = self
            .holidays
            .iter()
            .map(|&date| CalendarEntry {
                date,
                kind: DayKind::Holiday,
            })
            .chain(self.workdays.iter().map(|&date| CalendarEntry {
                date,
                kind: DayKind::Workday,
            }))
            .collect();
        all.sort_by_key(|entry| entry.date);
        all.into_iter()
    }

    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    pub fn make_up_workdays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.workdays.iter().copied()
    }

    fn insert(&mut self, date: NaiveDate, kind: DayKind) -> Result<(), CalendarError> {
        if self.holidays.contains(&date) || self.workdays.contains(&date) {
            let same = match kind {
                DayKind::Holiday => self.holidays.contains(&date),
                DayKind::Workday => self.workdays.contains(&date),
            };
            return Err(if same {
                CalendarError::Duplicate { date }
            } else {
                CalendarError::Conflict { date }
            });
        }
        match kind {
            DayKind::Holiday => {
                self.holidays.insert(date);
            }
            DayKind::Workday => {
                if !is_weekend(date) {
                    return Err(CalendarError::WorkdayNotOnWeekend {
                        date,
                        weekday: date.weekday(),
                    });
                }
                self.workdays.insert(date);
            }
        }
        Ok(())
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        !is_weekend(date) || self.workdays.contains(&date)
    }

    pub fn is_rest_day(&self, date: NaiveDate) -> bool {
        !self.is_working_day(date)
    }

    /// Terminates because only finitely many dates are listed: past the last holiday every
    /// Monday is a working day.
    pub fn next_working_day_on_or_after(
        &self,
        date: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day
                .succ_opt()
                .ok_or(CalendarError::OutOfRange { from: date })?;
        }
        Ok(day)
    }

    /// The `n`th working day after `date`, not counting `date` itself (the day an obligation
    /// arises is never one of its business days). `n == 0` returns `date` unchanged.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .succ_opt()
                .ok_or(CalendarError::OutOfRange { from: date })?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// End of a period of `days` calendar days counted under Civil Code arts. 201 and 203: the
    /// day `from` is not counted, the period starts the next day, and a last day that is a
    /// holiday or rest day moves to the first working day after it.
    pub fn period_end(&self, from: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
        let last = from
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .ok_or(CalendarError::OutOfRange { from })?;
        self.next_working_day_on_or_after(last)
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Mainland China 2026, from the State Council General Office notice on the 2026 holiday
/// arrangements (国务院办公厅关于2026年部分节假日安排的通知, dated 2025-11-04, published by
/// Xinhua). Transcribed from reprints of that notice, not from gov.cn itself: check it against
/// the notice before relying on it in production.
pub fn china_2026() -> BusinessCalendar {
    type Ymd = (i32, u32, u32);
    // (first rest day, last rest day) of each holiday block, and the make-up working days.
    const BLOCKS: [(Ymd, Ymd); 7] = [
        ((2026, 1, 1), (2026, 1, 3)),   // 元旦 New Year
        ((2026, 2, 15), (2026, 2, 23)), // 春节 Spring Festival
        ((2026, 4, 4), (2026, 4, 6)),   // 清明节 Qingming
        ((2026, 5, 1), (2026, 5, 5)),   // 劳动节 Labour Day
        ((2026, 6, 19), (2026, 6, 21)), // 端午节 Dragon Boat
        ((2026, 9, 25), (2026, 9, 27)), // 中秋节 Mid-Autumn
        ((2026, 10, 1), (2026, 10, 7)), // 国庆节 National Day
    ];
    const WORKDAYS: [Ymd; 6] = [
        (2026, 1, 4),   // Sunday, for New Year
        (2026, 2, 14),  // Saturday, for Spring Festival
        (2026, 2, 28),  // Saturday, for Spring Festival
        (2026, 5, 9),   // Saturday, for Labour Day
        (2026, 9, 20),  // Sunday, for National Day
        (2026, 10, 10), // Saturday, for National Day
    ];
    let ymd = |(y, m, d): Ymd| NaiveDate::from_ymd_opt(y, m, d);
    let holidays = BLOCKS.iter().flat_map(|&(first, last)| {
        let (first, last) = (ymd(first), ymd(last));
        first
            .into_iter()
            .flat_map(|f| f.iter_days())
            .take_while(move |day| Some(*day) <= last)
    });
    let workdays = WORKDAYS.iter().filter_map(|&d| ymd(d));
    // The constants above are valid, disjoint and weekend-only (the tests check this), so the
    // fallback is unreachable; it exists only because construction is fallible in general.
    BusinessCalendar::new(holidays, workdays).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test fixture")
    }

    /// Disputed transactions: "model both holidays and make-up working days" — the shipped
    /// 2026 data has every block and every make-up day of the notice.
    #[test]
    fn china_2026_has_all_blocks_and_make_up_days() {
        let cal = china_2026();
        assert_eq!(cal.holidays().count(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(cal.make_up_workdays().count(), 6);
        for day in [
            d(2026, 1, 1),
            d(2026, 2, 17),
            d(2026, 4, 6),
            d(2026, 5, 5),
            d(2026, 6, 19),
        ] {
            assert!(cal.is_rest_day(day), "{day}");
        }
        for day in [d(2026, 9, 25), d(2026, 10, 1), d(2026, 10, 7)] {
            assert!(cal.is_rest_day(day), "{day}");
        }
        for day in [d(2026, 1, 4), d(2026, 2, 14), d(2026, 2, 28), d(2026, 5, 9)] {
            assert!(cal.is_working_day(day), "{day}");
        }
        assert!(cal.is_working_day(d(2026, 9, 20)));
        assert!(cal.is_working_day(d(2026, 10, 10)));
        assert!(cal.is_working_day(d(2026, 10, 8)));
    }

    /// Saturdays and Sundays rest unless listed as make-up days; listed holidays rest even on
    /// weekdays.
    #[test]
    fn weekend_and_holiday_rules() {
        let cal = china_2026();
        assert!(cal.is_rest_day(d(2026, 3, 7))); // plain Saturday
        assert!(cal.is_working_day(d(2026, 3, 9))); // plain Monday
        assert!(cal.is_rest_day(d(2026, 10, 5))); // Monday inside National Day
        assert!(cal.is_working_day(d(2026, 10, 10))); // make-up Saturday
    }

    #[test]
    fn next_working_day_skips_the_whole_national_day_block() {
        let cal = china_2026();
        assert_eq!(
            cal.next_working_day_on_or_after(d(2026, 10, 1)),
            Ok(d(2026, 10, 8))
        );
        assert_eq!(
            cal.next_working_day_on_or_after(d(2026, 10, 9)),
            Ok(d(2026, 10, 9))
        );
        assert_eq!(
            cal.next_working_day_on_or_after(d(2026, 10, 10)),
            Ok(d(2026, 10, 10))
        );
    }

    /// Disputed transactions (Reg E "business days"): the start day is not counted, make-up
    /// days count, holidays and weekends do not.
    #[test]
    fn add_working_days_uses_holidays_and_make_up_days() {
        let cal = china_2026();
        assert_eq!(cal.add_working_days(d(2026, 9, 30), 0), Ok(d(2026, 9, 30)));
        assert_eq!(cal.add_working_days(d(2026, 9, 30), 1), Ok(d(2026, 10, 8)));
        assert_eq!(cal.add_working_days(d(2026, 9, 30), 3), Ok(d(2026, 10, 10)));
        // Friday 2026-03-06 plus 10 business days on a plain calendar: two full weeks.
        let plain = BusinessCalendar::weekends_only();
        assert_eq!(
            plain.add_working_days(d(2026, 3, 6), 10),
            Ok(d(2026, 3, 20))
        );
    }

    /// The supervisor's calendar file: round trip, comments and blank lines allowed.
    #[test]
    fn parse_reads_holidays_workdays_and_comments() {
        let text = "# National Day\n2026-10-01 holiday\n\n2026-10-10 Workday  # Saturday\n";
        let cal = BusinessCalendar::parse(text).expect("test fixture");
        assert!(cal.is_rest_day(d(2026, 10, 1)));
        assert!(cal.is_working_day(d(2026, 10, 10)));
        assert_eq!(BusinessCalendar::parse(&cal.to_text()), Ok(cal));
        let sample = china_2026();
        assert_eq!(BusinessCalendar::parse(&sample.to_text()), Ok(sample));
    }

    /// Calendar parse errors name the line and what is wrong.
    #[test]
    fn parse_errors_are_specific() {
        assert_eq!(
            BusinessCalendar::parse("2026-10-01"),
            Err(CalendarError::Malformed {
                line: 1,
                text: "2026-10-01".into()
            })
        );
        assert_eq!(
            BusinessCalendar::parse("2026-10-01 holiday extra"),
            Err(CalendarError::Malformed {
                line: 1,
                text: "2026-10-01 holiday extra".into()
            })
        );
        assert_eq!(
            BusinessCalendar::parse("\n2026-02-30 holiday"),
            Err(CalendarError::BadDate {
                line: 2,
                text: "2026-02-30".into()
            })
        );
        assert_eq!(
            BusinessCalendar::parse("2026-10-01 vacation"),
            Err(CalendarError::UnknownKind {
                line: 1,
                kind: "vacation".into()
            })
        );
        assert_eq!(
            BusinessCalendar::parse("2026-10-01 holiday\n2026-10-01 holiday"),
            Err(CalendarError::Duplicate {
                date: d(2026, 10, 1)
            })
        );
        assert_eq!(
            BusinessCalendar::parse("2026-10-10 holiday\n2026-10-10 workday"),
            Err(CalendarError::Conflict {
                date: d(2026, 10, 10)
            })
        );
        assert_eq!(
            BusinessCalendar::parse("2026-10-09 workday"),
            Err(CalendarError::WorkdayNotOnWeekend {
                date: d(2026, 10, 9),
                weekday: Weekday::Fri
            })
        );
        let message = BusinessCalendar::parse("x")
            .expect_err("must fail")
            .to_string();
        assert!(message.contains("line 1"), "{message}");
    }

    /// Civil Code arts. 201/203: day of receipt not counted; a last day on a rest day moves.
    #[test]
    fn period_end_moves_off_rest_days_only() {
        let cal = china_2026();
        assert_eq!(cal.period_end(d(2026, 9, 16), 15), Ok(d(2026, 10, 8)));
        assert_eq!(cal.period_end(d(2026, 9, 30), 15), Ok(d(2026, 10, 15)));
        assert_eq!(cal.period_end(d(2026, 9, 25), 15), Ok(d(2026, 10, 10)));
    }

    #[test]
    fn arithmetic_past_the_end_of_time_is_an_error() {
        let cal = BusinessCalendar::weekends_only();
        assert_eq!(
            cal.period_end(NaiveDate::MAX, 1),
            Err(CalendarError::OutOfRange {
                from: NaiveDate::MAX
            })
        );
    }

    proptest::proptest! {
        /// Business days: exactly `n` working days lie after the start, up to and including the
        /// result, and the result itself is one of them.
        #[test]
        fn add_working_days_counts_exactly_n(offset in 0u64..400, n in 1u32..40) {
            let cal = china_2026();
            let start = d(2025, 12, 1) + chrono::Days::new(offset);
            let end = cal.add_working_days(start, n).expect("in range");
            proptest::prop_assert!(cal.is_working_day(end));
            let counted = start
                .iter_days()
                .skip(1)
                .take_while(|day| *day <= end)
                .filter(|day| cal.is_working_day(*day))
                .count();
            proptest::prop_assert_eq!(counted, usize::try_from(n).expect("small"));
        }
    }

    #[test]
    fn full_width_calendar_dates_are_normalised_not_refused() {
        let typed = "２０２６－１０－０１　ｈｏｌｉｄａｙ\n２０２６－１０－１０ workday　＃调休";
        let cal = BusinessCalendar::parse(typed).expect("full width is read");
        assert_eq!(cal.to_text(), "2026-10-01 holiday\n2026-10-10 workday\n");
    }

    /// Fuzz cases per property (the note counts cases run = this × properties).
    const FUZZ_CASES: u32 = 1024;

    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "\\PC{0,40}",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} (holiday|workday|HOLIDAY|x)?( #.{0,10})?",
            "[０-９]{4}－[０-９]{2}－[０-９]{2}　(holiday|workday)",
            "[ \\t#]{0,4}",
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(FUZZ_CASES))]

        /// Any calendar text a supervisor pastes: a calendar that writes itself back the same,
        /// or an error that says what is wrong; never a panic.
        #[test]
        fn any_calendar_text_parses_or_names_the_problem(
            lines in proptest::collection::vec(line(), 0..12),
        ) {
            let text = lines.join("\n");
            match BusinessCalendar::parse(&text) {
                Ok(cal) => proptest::prop_assert_eq!(
                    BusinessCalendar::parse(&cal.to_text()),
                    Ok(cal)
                ),
                Err(err) => proptest::prop_assert!(!err.to_string().is_empty()),
            }
        }
    }
}
