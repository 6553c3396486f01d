//! The promotion booth (issue 14): campaigns and booths from the core, the booth's day,
//! quick sign-ups, attribution, incentives once per person, leads.

pub mod attribution;
pub mod campaigns;
pub mod leads;
pub mod qr;
pub mod rules;
pub mod signups;

pub use attribution::{Attribution, AttributionChangeInput};
pub use campaigns::{
    Booth, BoothCatalogue, BoothInput, Campaign, CampaignInput, Incentive, IncentiveKind,
    QueuedSave,
};
pub use leads::{Lead, LeadConvertInput, LeadInput, LeadList, LeadOutcome, LeadOutcomeInput};
pub use qr::QrPosterRequest;
pub use signups::{BoothToday, IncentiveState, SignUpConsent, SignUpInput, SignUpRow, SignUpState};
