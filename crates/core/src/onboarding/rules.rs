//! Which wallet tier the evidence collected allows (DOMAIN.md, wallet tiers), and the age
//! rules. Every figure is in [`OnboardingPolicy`], so a bank or regulator change is data.
//! [`evaluate`] checks a whole draft against them, without a store.

use super::drafts::DraftData;
use crate::domain::{Mobile, ResidentId, Sex};
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The age figures of DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OnboardingPolicy {
    /// Below this age only an anonymous (tier 4) wallet may be opened.
    pub min_age_above_tier4: u32,
    /// Below this age a guardian must consent (PIPL art. 31).
    pub guardian_below_age: u32,
}

impl Default for OnboardingPolicy {
    fn default() -> Self {
        OnboardingPolicy {
            min_age_above_tier4: 16,
            guardian_below_age: 14,
        }
    }
}

/// What has been proven so far in this onboarding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The one-time code sent to the mobile was entered correctly.
    pub mobile_verified: bool,
    /// A resident ID that passed GB 11643 validation was entered.
    pub resident_id: bool,
    /// The teller held the ID document and checked it against the customer, in person.
    pub id_checked_in_person: bool,
    /// The customer's own bank card (account) is linked.
    pub own_bank_card: bool,
    /// The customer's age from the ID, if there is one.
    pub age: Option<u32>,
    /// The ID card is past its last valid day (known only for existing customers).
    #[serde(default)]
    pub id_expired: bool,
}

/// Why a tier is not open to this customer yet: what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Missing {
    MobileCheck,
    ResidentId,
    OwnBankCard,
    InPersonIdCheck,
    /// Under the minimum age for anything above tier 4: not fixable by more evidence.
    TooYoung,
    /// The ID card has expired: tiers 1 to 3 need it renewed first.
    IdExpired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TierOption {
    /// 1 (most verified, no limits) to 4 (anonymous).
    pub tier: u8,
    /// Empty when this tier may be opened.
    pub missing: Vec<Missing>,
}

/// Every tier with what it still needs, tier 1 first.
pub fn tier_options(evidence: &Evidence, policy: &OnboardingPolicy) -> Vec<TierOption> {
    (1..=4u8)
        .map(|tier| TierOption {
            tier,
            missing: missing_for(tier, evidence, policy),
        })
        .collect()
}

/// The most verified tier the evidence allows, if any (4 needs the mobile check).
pub fn best_tier(evidence: &Evidence, policy: &OnboardingPolicy) -> Option<u8> {
    (1..=4u8).find(|tier| missing_for(*tier, evidence, policy).is_empty())
}

pub fn guardian_required(evidence: &Evidence, policy: &OnboardingPolicy) -> bool {
    evidence
        .age
        .is_some_and(|age| age < policy.guardian_below_age)
}

fn missing_for(tier: u8, e: &Evidence, policy: &OnboardingPolicy) -> Vec<Missing> {
    let mut missing = Vec::new();
    if !e.mobile_verified {
        missing.push(Missing::MobileCheck);
    }
    if tier <= 3 {
        if !e.resident_id {
            missing.push(Missing::ResidentId);
        }
        if e.age.is_some_and(|age| age < policy.min_age_above_tier4) {
            missing.push(Missing::TooYoung);
        }
        if e.id_expired {
            missing.push(Missing::IdExpired);
        }
    }
    if tier <= 2 && !e.own_bank_card {
        missing.push(Missing::OwnBankCard);
    }
    // Tier 1 is signed in person at a branch, with the ID checked by the teller.
    if tier == 1 && !e.id_checked_in_person {
        missing.push(Missing::InPersonIdCheck);
    }
    missing
}

// ---- the draft against every rule --------------------------------------------------------

/// The consents asked for, each separately (PIPL): scope (the contract's names), text
/// version, whether a wallet can be opened without it (the data is necessary for the service,
/// so refusing service for a withheld consent is allowed only there), and who receives the data
/// for third-party sharing.
pub const CONSENTS: [(&str, &str, bool, Option<&str>); 3] = [
    ("general-processing", "2026-01", true, None),
    ("sensitive-financial", "2026-01", true, None),
    (
        "third-party-sharing",
        "2026-01",
        false,
        Some("中国银联 China UnionPay"),
    ),
];

/// A consent the wizard asks for, as [`CONSENTS`] defines it: the screen renders these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentOffer {
    pub scope: String,
    pub version: String,
    /// A wallet cannot be opened without it.
    pub required: bool,
    /// Who receives the data, for third-party sharing.
    pub third_party: Option<String>,
}

/// The consents to ask for, in the order the wizard shows them.
pub fn consent_offers() -> Vec<ConsentOffer> {
    CONSENTS
        .iter()
        .map(|(scope, version, required, third_party)| ConsentOffer {
            scope: (*scope).to_owned(),
            version: (*version).to_owned(),
            required: *required,
            third_party: third_party.map(str::to_owned),
        })
        .collect()
}

const MAX_NAME_CHARS: usize = 64;

/// What the resident ID says, for the wizard to show as soon as it is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdFacts {
    pub masked: String,
    /// "male" or "female".
    pub sex: String,
    pub age: u32,
    /// True when the 15-digit legacy form was typed (converted to 18).
    pub converted_from_15: bool,
    /// Elder mode (长辈版) is offered for this age under the elder rules (set by the console,
    /// which reads the rules; false until then).
    pub elder_offered: bool,
}

impl IdFacts {
    /// What `id` says on `today`; `typed` is the text as the teller typed it.
    pub fn of(id: &ResidentId, typed: &str, today: NaiveDate) -> IdFacts {
        IdFacts {
            masked: id.masked(),
            sex: match id.sex() {
                Sex::Male => "male".to_owned(),
                Sex::Female => "female".to_owned(),
            },
            age: id.age_on(today),
            converted_from_15: typed_in_15(typed),
            elder_offered: false,
        }
    }
}

/// Luhn check of a bank card number (13 to 19 digits, spaces allowed).
pub fn card_number_valid(text: &str) -> bool {
    crate::domain::CardNumber::parse(text).is_ok()
}

fn problem(field: &str, code: &str) -> FieldError {
    FieldError::new(field, code)
}

/// What the rules make of a draft, before the store is asked (duplicates, limits).
#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: Option<IdFacts>,
    pub evidence: Evidence,
    pub tiers: Vec<TierOption>,
    pub best_tier: Option<u8>,
    pub guardian_required: bool,
    /// In the order the wizard lists them.
    pub problems: Vec<FieldError>,
    /// The parsed mobile and ID, for the duplicate search.
    pub mobile: Option<Mobile>,
    pub resident_id: Option<ResidentId>,
}

/// Checks `data` against every onboarding rule on `today`: the name, the ID, the mobile and
/// its check, the card, the tier from the evidence, the guardian, the consents and the
/// screening. Pure: no store, no clock, no core.
pub fn evaluate(data: &DraftData, today: NaiveDate, policy: &OnboardingPolicy) -> Assessment {
    let mut problems = Vec::new();
    let name = data.name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        problems.push(problem("name", "name_invalid"));
    }
    let resident_id = if data.resident_id.trim().is_empty() {
        None
    } else {
        match ResidentId::parse_on(data.resident_id.trim(), today) {
            Ok(id) => Some(id),
            Err(err) => {
                problems.push(problem("residentId", id_problem_code(&err)));
                None
            }
        }
    };
    let mobile = match Mobile::parse(&data.mobile) {
        Ok(m) => Some(m),
        Err(_) => {
            problems.push(problem("mobile", "mobile_invalid"));
            None
        }
    };
    if !data.mobile_verified {
        problems.push(problem("mobile", "mobile_not_verified"));
    }
    let card = !data.card_number.trim().is_empty();
    if card && !card_number_valid(&data.card_number) {
        problems.push(problem("cardNumber", "card_invalid"));
    }
    let id = resident_id
        .as_ref()
        .map(|id| IdFacts::of(id, &data.resident_id, today));
    let evidence = Evidence {
        mobile_verified: data.mobile_verified && mobile.is_some(),
        resident_id: resident_id.is_some(),
        id_checked_in_person: data.id_checked_in_person && resident_id.is_some(),
        own_bank_card: card && card_number_valid(&data.card_number),
        age: id.as_ref().map(|f| f.age),
        id_expired: false,
    };
    let tiers = tier_options(&evidence, policy);
    let best_tier = best_tier(&evidence, policy);
    let guardian_required = guardian_required(&evidence, policy);
    if guardian_required && data.guardian_name.trim().is_empty() {
        problems.push(problem("guardianName", "guardian_required"));
    }
    if resident_id.is_none() && !data.resident_id.trim().is_empty() {
        // Already reported as a malformed ID.
    } else if resident_id.is_none() {
        // The v1 contract creates every customer with a resident ID, so even a tier 4
        // wallet opened at the counter needs one (anonymous tier 4 is the booth's path).
        problems.push(problem("residentId", "id_required"));
    }
    for (scope, version, required, _) in CONSENTS {
        let given = data
            .consents
            .iter()
            .any(|c| c.scope == scope && c.version == version && c.given);
        if required && !given {
            problems.push(problem("consents", &format!("consent_required_{scope}")));
        }
    }
    if let Some(id) = &resident_id {
        match &data.screening {
            Some(done) if done.name == name && done.masked_resident_id == id.masked() => {
                if done.result != "clear" {
                    // A hit stops the onboarding: a supervisor takes it from here.
                    problems.push(problem("screening", "screening_hit"));
                }
            }
            _ => problems.push(problem("screening", "screening_needed")),
        }
    }
    match data.tier {
        None => problems.push(problem("tier", "tier_not_chosen")),
        Some(tier) => {
            let allowed = tiers
                .iter()
                .any(|option| option.tier == tier && option.missing.is_empty());
            if !allowed {
                problems.push(problem("tier", "tier_not_allowed"));
            }
        }
    }
    Assessment {
        id,
        evidence,
        tiers,
        best_tier,
        guardian_required,
        problems,
        mobile,
        resident_id,
    }
}

/// Whether the ID was typed in the old 15-character form (counted after width folding, so
/// fifteen full-width digits count as fifteen).
fn typed_in_15(text: &str) -> bool {
    crate::domain::normalize_typed(text).chars().count() == 15
}

/// A stable code per way a resident ID can be wrong, for the UI to translate.
pub(crate) fn id_problem_code(err: &crate::domain::IdentityError) -> &'static str {
    use crate::domain::IdentityError as E;
    match err {
        E::WrongLength { .. } => "id_length",
        E::BadCharacter { .. } => "id_characters",
        E::BadAreaCode { .. } => "id_area_code",
        E::BadBirthDate { .. } => "id_birth_date",
        E::BadCheckCharacter { .. } => "id_check_character",
        E::BadMobile => "id_invalid",
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn full(age: u32) -> Evidence {
        Evidence {
            mobile_verified: true,
            resident_id: true,
            id_checked_in_person: true,
            own_bank_card: true,
            age: Some(age),
            id_expired: false,
        }
    }

    #[test]
    fn an_empty_draft_names_every_unmet_rule_by_field_without_a_store() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("day");
        let outcome = evaluate(&DraftData::default(), today, &OnboardingPolicy::default());
        let problems: Vec<(&str, &str)> = outcome
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                ("name", "name_invalid"),
                ("mobile", "mobile_invalid"),
                ("mobile", "mobile_not_verified"),
                ("residentId", "id_required"),
                ("consents", "consent_required_general-processing"),
                ("consents", "consent_required_sensitive-financial"),
                ("tier", "tier_not_chosen"),
            ]
        );
        assert_eq!(outcome.best_tier, None);
    }

    #[test]
    fn an_expired_id_leaves_only_tier_4() {
        let expired = Evidence {
            id_expired: true,
            ..full(40)
        };
        assert_eq!(best_tier(&expired, &OnboardingPolicy::default()), Some(4));
        let options = tier_options(&expired, &OnboardingPolicy::default());
        assert!(
            options[..3]
                .iter()
                .all(|o| o.missing == vec![Missing::IdExpired])
        );
    }

    #[test]
    fn the_tier_follows_the_evidence_actually_collected() {
        let policy = OnboardingPolicy::default();
        assert_eq!(best_tier(&full(30), &policy), Some(1));
        let remote = Evidence {
            id_checked_in_person: false,
            ..full(30)
        };
        assert_eq!(best_tier(&remote, &policy), Some(2));
        let no_card = Evidence {
            own_bank_card: false,
            ..remote
        };
        assert_eq!(best_tier(&no_card, &policy), Some(3));
        let mobile_only = Evidence {
            mobile_verified: true,
            ..Evidence::default()
        };
        assert_eq!(best_tier(&mobile_only, &policy), Some(4));
        assert_eq!(best_tier(&Evidence::default(), &policy), None);
        let options = tier_options(&mobile_only, &policy);
        assert_eq!(
            options[0].missing,
            vec![
                Missing::ResidentId,
                Missing::OwnBankCard,
                Missing::InPersonIdCheck
            ]
        );
        assert!(options[3].missing.is_empty());
    }

    #[test]
    fn under_sixteen_only_tier_four_and_under_fourteen_a_guardian() {
        let policy = OnboardingPolicy::default();
        assert_eq!(best_tier(&full(15), &policy), Some(4));
        assert!(
            tier_options(&full(15), &policy)[2]
                .missing
                .contains(&Missing::TooYoung)
        );
        assert_eq!(best_tier(&full(16), &policy), Some(1));
        assert!(!guardian_required(&full(14), &policy));
        assert!(guardian_required(&full(13), &policy));
        assert!(!guardian_required(&Evidence::default(), &policy));
    }
}
