//! The promotion booth (issue 14): campaigns and booths from the core, the booth's day,
//! quick sign-ups, attribution, incentives once per person, leads.

pub mod campaigns;
pub mod rules;

pub use campaigns::{
    Booth, BoothCatalogue, BoothInput, Campaign, CampaignInput, Incentive, IncentiveKind,
    QueuedSave,
};
