//! Onboarding a customer at the counter: the wizard's drafts, the rules that pick the wallet
//! tier from the evidence, and the submission through the sync outbox.

mod console;
mod receipt;
pub mod rules;

pub use console::{
    CONSENTS, CodeSentView, ConsentChoice, ConsentOffer, Draft, DraftData, Evaluation, IdFacts,
    SaveDraftInput, ScreeningState, SubmitResult, VerifyCodeInput,
};
pub use rules::{Evidence, Missing, OnboardingPolicy, TierOption, best_tier, tier_options};
