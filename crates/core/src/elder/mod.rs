//! Elder-assisted setup (长辈版, issue 13): the rules as configuration (`rules`), the session a
//! staff member runs with an elderly customer and the customer's own window reads
//! (`session`), and read-aloud (`speech`: core decides what is said, the shell's voice says
//! it).

pub mod followups;
pub mod practice;
pub mod rules;
pub mod session;
pub mod speech;

pub use followups::{CallOutcome, CallOutcomeInput, FollowUpCall, FollowUpQueue};
pub use practice::{
    ElderPracticeEnterInput, ElderPracticePayInput, PracticeField, PracticeStage, PracticeView,
};
pub use rules::{ElderRules, ElderStep, EscalationOutcome, FraudQuestion};
pub use session::{
    CustomerAction, ElderAnswer, ElderAnswerInput, ElderEndInput, ElderEscalation,
    ElderResolveInput, ElderScreen, ElderSession, ElderSpeechInput, ElderStartInput, QuestionView,
    Words,
};
pub use speech::{NoVoice, RecordingSpeaker, Speaker, Utterance};
