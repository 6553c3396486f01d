//! Time as a dependency, so idle-lock and lock-out rules are tested without sleeping.
//!
//! Two clocks: the wall clock (`now`) for what people read (audit times, deadlines), and a
//! monotonic one (`monotonic`) for measuring how long something lasted. Durations such as the
//! idle lock are measured on the monotonic clock: the wall clock can be set back (by staff, by
//! NTP), and a session must not stay open longer because of it.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
    /// A point on a clock that never goes backwards; only differences between two of them mean
    /// anything.
    fn monotonic(&self) -> Instant;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic(&self) -> Instant {
        Instant::now()
    }
}

#[derive(Debug)]
struct ManualTime {
    wall: DateTime<Utc>,
    mono: Instant,
}

/// A clock that only moves when told to. Cloning shares the same time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<ManualTime>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(ManualTime {
            wall: start,
            mono: Instant::now(),
        })))
    }

    fn time(&self) -> std::sync::MutexGuard<'_, ManualTime> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Time passes: both clocks move forward by `by`. A negative `by` only sets the wall clock
    /// back (real time cannot run backwards), as `set_wall_clock` does.
    pub fn advance(&self, by: Duration) {
        let mut t = self.time();
        t.wall += by;
        if let Ok(forward) = by.to_std() {
            t.mono += forward;
        }
    }

    /// Someone sets the wall clock (forward or back) without any time passing.
    pub fn set_wall_clock(&self, to: DateTime<Utc>) {
        self.time().wall = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.time().wall
    }

    fn monotonic(&self) -> Instant {
        self.time().mono
    }
}
/// The bank's calendar day at `at`: Beijing time (UTC+8, no daylight saving), not UTC. A
/// complaint received at 07:00 in Shanghai is received that day, not the day before; a limit
/// scheme's effective day and a resident's age turn over at Beijing midnight too.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(beijing) => at.with_timezone(&beijing).date_naive(),
        None => at.date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn local_date_is_beijing_time() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 1, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(
            local_date(at),
            NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid")
        );
    }
}
