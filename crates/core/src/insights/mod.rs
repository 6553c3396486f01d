//! Supervisor insights: whether promotion works, by campaign, booth, staff, branch and channel.
//!
//! The formulas live here and nowhere else (docs/metrics.md writes them out). The core bank
//! keeps daily rollups in its write path with [`rollup`]'s upkeep rules, sums them over the
//! windows [`metrics::Windows`] names, and [`metrics::value`] turns the sums into the number
//! the dashboard shows. The console adds what only it holds (the surveys it records).

pub mod console;
pub mod dashboard;
pub mod export;
pub mod metrics;
pub mod period;
pub mod report;
pub mod rollup;
pub mod scope;

pub use console::{
    CoreReport, CoreReportQuery, InsightAnswer, InsightCustomers, InsightDrill, InsightQuery,
};
pub use metrics::{Dimension, Metric, MetricConfig, Sums, Windows};
pub use rollup::{Activity, Counter, Delta};
pub use scope::Scope;
