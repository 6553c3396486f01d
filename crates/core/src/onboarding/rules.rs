//! Which wallet tier the evidence collected allows (DOMAIN.md, wallet tiers), and the age
//! rules. Every figure is in [`OnboardingPolicy`], so a bank or regulator change is data.

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
