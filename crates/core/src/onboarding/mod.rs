//! Onboarding a customer at the counter: the wizard's drafts (`drafts`), the rules that check
//! a draft and pick the wallet tier from the evidence (`rules`, pure), and the evaluation and
//! submission through the sync outbox (`submit`).

mod drafts;
pub(crate) mod receipt;
pub mod rules;
mod submit;

pub use drafts::{
    CodeSentView, ConsentChoice, Draft, DraftData, SaveDraftInput, ScreeningState, VerifyCodeInput,
};
pub use rules::{
    CONSENTS, ConsentOffer, Evidence, IdFacts, Missing, OnboardingPolicy, TierOption, best_tier,
    card_number_valid, tier_options,
};
pub use submit::{CampaignChoice, Evaluation, SubmitResult};
