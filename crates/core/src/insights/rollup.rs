//! Keeping the daily rollups: what each event adds to which day's counters.
//!
//! The core bank calls these in its write path, in the write's own transaction, and adds the
//! deltas to its rollup rows; a dashboard query then sums a few hundred rows per group instead
//! of scanning millions of transactions. Every rule about *what counts* lives here, so the
//! sandbox's SQL only adds numbers.

use super::metrics::{DayRange, Dimension, Dims, MetricConfig, Sums, Windows};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// A counter of one day's rollup row for one attribution (campaign, booth, staff, branch,
/// channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    /// Customers who signed up that day.
    SignUps,
    /// Customers who signed up that day and first transacted `delay` days later (0 = the same
    /// day). A histogram, so the activation window N is chosen when reading, not when writing.
    Activated {
        delay: u16,
    },
    /// The change that day in the number of customers active (a transaction in the last
    /// `active_window_days`). The sum of every delta up to a day is that day's active users:
    /// a difference array, so a transaction moves two numbers and no customer is counted twice.
    ActiveDelta,
    /// Transactions made that day.
    Transactions,
    /// Complaints received that day.
    Complaints,
    /// Incentive paid that day, in fen.
    IncentiveFen,
    /// Satisfaction surveys recorded that day, and those scored satisfied.
    Surveys,
    Satisfied,
}

/// One addition to a rollup row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta {
    pub day: NaiveDate,
    pub counter: Counter,
    pub amount: i64,
}

/// What the rollups need to remember about one customer to count the next transaction right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub signed_up: NaiveDate,
    pub first_transaction: Option<NaiveDate>,
    pub last_transaction: Option<NaiveDate>,
}

fn plus(day: NaiveDate, days: u16) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

impl Activity {
    /// A new customer: one sign-up on their day.
    pub fn sign_up(day: NaiveDate) -> (Activity, Vec<Delta>) {
        let activity = Activity {
            signed_up: day,
            first_transaction: None,
            last_transaction: None,
        };
        let delta = Delta {
            day,
            counter: Counter::SignUps,
            amount: 1,
        };
        (activity, vec![delta])
    }

    /// A transaction on `day`. Transactions arrive in time order in the write path; one dated
    /// before the customer's last (a correction booked late) counts as a transaction but does
    /// not move activity back in time.
    pub fn transaction(&mut self, day: NaiveDate, config: &MetricConfig) -> Vec<Delta> {
        let window = config.active_window_days;
        let mut deltas = vec![Delta {
            day,
            counter: Counter::Transactions,
            amount: 1,
        }];
        if self.first_transaction.is_none() {
            self.first_transaction = Some(day);
            // Days from sign-up to the first transaction; beyond the longest window any bank
            // may choose it cannot make anyone "activated", so it is not kept.
            let delay = (day - self.signed_up).num_days();
            if (0..=i64::from(MetricConfig::MAX_ACTIVATION_DAYS)).contains(&delay) {
                deltas.push(Delta {
                    day: self.signed_up,
                    counter: Counter::Activated {
                        delay: u16::try_from(delay).unwrap_or(u16::MAX),
                    },
                    amount: 1,
                });
            }
        }
        match self.last_transaction {
            // Active from this day for `window` days.
            None => {
                deltas.push(Delta {
                    day,
                    counter: Counter::ActiveDelta,
                    amount: 1,
                });
                deltas.push(Delta {
                    day: plus(day, window),
                    counter: Counter::ActiveDelta,
                    amount: -1,
                });
            }
            Some(last) if day > last => {
                let lapse = plus(last, window);
                if day < lapse {
                    // Still active: the end of the active stretch moves from `lapse` to
                    // `day + window`.
                    deltas.push(Delta {
                        day: lapse,
                        counter: Counter::ActiveDelta,
                        amount: 1,
                    });
                } else {
                    // Had lapsed: active again from today.
                    deltas.push(Delta {
                        day,
                        counter: Counter::ActiveDelta,
                        amount: 1,
                    });
                }
                deltas.push(Delta {
                    day: plus(day, window),
                    counter: Counter::ActiveDelta,
                    amount: -1,
                });
            }
            // The same day (already active) or a late one: activity is unchanged.
            Some(_) => {}
        }
        if self.last_transaction.is_none_or(|last| day > last) {
            self.last_transaction = Some(day);
        }
        deltas
    }
}

/// A complaint received on `day` from a customer of this attribution.
pub fn complaint(day: NaiveDate) -> Delta {
    Delta {
        day,
        counter: Counter::Complaints,
        amount: 1,
    }
}

/// An incentive of `fen` paid on `day`.
pub fn incentive(day: NaiveDate, fen: i64) -> Delta {
    Delta {
        day,
        counter: Counter::IncentiveFen,
        amount: fen,
    }
}

/// A satisfaction survey scored `score` of 5 on `day`.
pub fn survey(day: NaiveDate, score: u8, config: &MetricConfig) -> Vec<Delta> {
    let mut deltas = vec![Delta {
        day,
        counter: Counter::Surveys,
        amount: 1,
    }];
    if score >= config.satisfied_min_score {
        deltas.push(Delta {
            day,
            counter: Counter::Satisfied,
            amount: 1,
        });
    }
    deltas
}

/// Rollups held in memory: the reference the core bank's tables must agree with, and what
/// the metric tests count on.
#[derive(Debug, Default, Clone)]
pub struct MemoryRollups {
    rows: BTreeMap<(Dims, NaiveDate, Counter), i64>,
}

impl MemoryRollups {
    pub fn add(&mut self, dims: &Dims, deltas: impl IntoIterator<Item = Delta>) {
        for d in deltas {
            *self
                .rows
                .entry((dims.clone(), d.day, d.counter))
                .or_default() += d.amount;
        }
    }

    /// Every row, for comparing with another store of the same rollups.
    pub fn rows(&self) -> impl Iterator<Item = (&Dims, NaiveDate, Counter, i64)> {
        self.rows
            .iter()
            .filter(|(_, v)| **v != 0)
            .map(|((dims, day, counter), v)| (dims, *day, *counter, *v))
    }

    /// The sums each metric needs, per group of `dimension` (one group, keyed "", without
    /// one), over `windows`, for the rows `keep` accepts (a role's scope, a filter).
    pub fn sums(
        &self,
        dimension: Option<Dimension>,
        windows: &Windows,
        keep: impl Fn(&Dims) -> bool,
    ) -> BTreeMap<String, Sums> {
        let mut out: BTreeMap<String, Sums> = BTreeMap::new();
        for ((dims, day, counter), amount) in &self.rows {
            if !keep(dims) {
                continue;
            }
            let key = dimension
                .map(|d| dims.key(d).to_owned())
                .unwrap_or_default();
            let sums = out.entry(key).or_default();
            windows.add(sums, *day, *counter, *amount);
        }
        out
    }
}

impl Windows {
    /// Adds one rollup cell to the sums it belongs to: the one place that says which days of
    /// which counter make up each sum (the core bank's SQL follows it clause by clause).
    pub fn add(&self, sums: &mut Sums, day: NaiveDate, counter: Counter, amount: i64) {
        let within = |range: &DayRange| range.contains(day);
        let matured = self.matured.as_ref().is_some_and(within);
        match counter {
            Counter::SignUps => {
                if within(&self.period) {
                    sums.signups += amount;
                }
                if matured {
                    sums.matured_signups += amount;
                }
                if day <= self.customers_on {
                    sums.customers += amount;
                }
            }
            Counter::Activated { delay } => {
                if matured && delay <= self.activation_days {
                    sums.activated += amount;
                }
            }
            Counter::ActiveDelta => {
                if day <= self.active_on {
                    sums.active += amount;
                }
            }
            Counter::Transactions => {
                if within(&self.frequency) {
                    sums.transactions += amount;
                }
            }
            Counter::Complaints => {
                if within(&self.period) {
                    sums.complaints += amount;
                }
            }
            Counter::IncentiveFen => {
                if matured {
                    sums.incentive_fen += amount;
                }
            }
            Counter::Surveys => {
                if within(&self.period) {
                    sums.surveys += amount;
                }
            }
            Counter::Satisfied => {
                if within(&self.period) {
                    sums.satisfied += amount;
                }
            }
        }
    }
}
