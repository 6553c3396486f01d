//! The fee rules, pure: which lines of the core's schedule apply to a wallet, which campaign
//! waiver covers whom, and what is due. The console only gathers the facts (the schedule,
//! campaigns and claims the core sent) and the UI only renders the answer.

use super::{Fee, FeeCharged, FeeQuote, FeeQuoteLine, FeeWaiver};
use crate::booth::{Campaign, IncentiveKind};
use crate::domain::Money;
use chrono::NaiveDate;

/// What the console knows of a customer that decides a waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoveredFacts<'a> {
    /// The campaign the sign-up is credited to (`None`: none).
    pub campaign: Option<&'a str>,
    /// "booth", "counter" or "qr".
    pub channel: Option<&'a str>,
    /// The China day the core created the customer.
    pub signed_up_on: Option<NaiveDate>,
    /// Campaigns the core has confirmed an incentive claim on for this customer.
    pub claimed: &'a [String],
}

fn waives(campaign: &Campaign) -> Option<&str> {
    (campaign.incentive.kind == IncentiveKind::FeeWaiver)
        .then_some(campaign.incentive.service.as_deref())
        .flatten()
}

fn waiver(campaign: &Campaign, confirmed: bool) -> Option<FeeWaiver> {
    waives(campaign).map(|service| FeeWaiver {
        campaign: campaign.code.clone(),
        campaign_name: campaign.name.clone(),
        service: service.to_owned(),
        confirmed,
    })
}

/// The waiver that covers a customer, if any.
///
/// - A claim the core confirmed on a fee-waiver campaign covers the customer: the core has
///   already applied the campaign's dates, booths, eligibility, once-per-person and budget.
/// - A booth or QR sign-up is covered only that way: without a confirmed claim (refused as
///   already claimed, budget exhausted, or not yet synced) nothing is waived.
/// - A counter sign-up claims nothing at the core; it is covered when credited to a fee-waiver
///   campaign that ran on the day it signed up and whose budget was not used up at the last
///   sync.
pub fn waiver_for_customer(facts: &CoveredFacts<'_>, campaigns: &[Campaign]) -> Option<FeeWaiver> {
    if let Some(found) = campaigns
        .iter()
        .filter(|c| facts.claimed.iter().any(|code| code == &c.code))
        .find_map(|c| waiver(c, true))
    {
        return Some(found);
    }
    if facts.channel != Some("counter") {
        return None;
    }
    let day = facts.signed_up_on?;
    let campaign = campaigns
        .iter()
        .find(|c| Some(c.code.as_str()) == facts.campaign)?;
    if !(campaign.starts_on..=campaign.ends_on).contains(&day) || campaign.budget_exhausted {
        return None;
    }
    waiver(campaign, true)
}

/// The waiver a campaign promises someone about to sign up under it: a running fee-waiver
/// campaign whose budget is not used up. Not confirmed until the core has the sign-up.
pub fn waiver_promised(campaign: Option<&Campaign>) -> Option<FeeWaiver> {
    let campaign = campaign?;
    if !campaign.running || campaign.budget_exhausted {
        return None;
    }
    waiver(campaign, false)
}

/// The quote for a wallet of `tier`: the schedule's lines for that tier (charged at opening
/// first, then per use, each by service), the waiver applied to its service only, and the
/// amount due at opening. `opening` false (a tier change) leaves out what is charged at
/// opening. A waived line keeps its amount, so the customer sees what was waived, and is due 0.
pub fn quote(schedule: &[Fee], tier: u8, opening: bool, waiver: Option<FeeWaiver>) -> FeeQuote {
    let mut fees: Vec<&Fee> = schedule
        .iter()
        .filter(|f| f.tier == tier)
        .filter(|f| opening || f.charged == FeeCharged::PerUse)
        .collect();
    fees.sort_by(|a, b| {
        (a.charged != FeeCharged::AtOpening, &a.service)
            .cmp(&(b.charged != FeeCharged::AtOpening, &b.service))
    });
    let mut due_at_opening = Money::ZERO;
    let lines: Vec<FeeQuoteLine> = fees
        .into_iter()
        .map(|f| {
            let waived = waiver
                .as_ref()
                .filter(|w| w.service == f.service && !f.amount.amount().is_zero())
                .cloned();
            let due = if waived.is_some() {
                Money::ZERO
            } else {
                f.amount
            };
            if f.charged == FeeCharged::AtOpening {
                due_at_opening = due_at_opening.checked_add(due).unwrap_or(due_at_opening);
            }
            FeeQuoteLine {
                service: f.service.clone(),
                name: f.name.clone(),
                amount: f.amount,
                charged: f.charged,
                note: f.note.clone(),
                free: f.amount.amount().is_zero(),
                waived,
                due,
            }
        })
        .collect();
    FeeQuote {
        tier,
        known: !schedule.is_empty(),
        lines,
        due_at_opening,
        waiver,
    }
}

/// The receipt's lines from a quote: a waived line says so ("活动减免") and is due 0; a free
/// line prints as free; a per-use line prints its price per use.
pub fn receipt_lines(quote: &FeeQuote) -> Vec<crate::documents::FeeLine> {
    quote
        .lines
        .iter()
        .map(|l| crate::documents::FeeLine {
            label: l.name.clone(),
            amount: l.amount,
            per_use: l.charged == FeeCharged::PerUse,
            waived: l.waived.as_ref().map(|_| "活动减免".to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booth::Incentive;

    fn money(text: &str) -> Money {
        Money::parse(text).expect("money")
    }

    fn fee(tier: u8, service: &str, amount: &str, charged: FeeCharged) -> Fee {
        Fee {
            tier,
            service: service.into(),
            name: format!("{service} 费"),
            amount: money(amount),
            charged,
            note: String::new(),
        }
    }

    fn schedule() -> Vec<Fee> {
        let mut fees = Vec::new();
        for tier in 1..=4 {
            fees.push(fee(tier, "opening", "0.00", FeeCharged::AtOpening));
            fees.push(fee(tier, "hard-wallet", "20.00", FeeCharged::AtOpening));
            fees.push(fee(tier, "cross-bank-top-up", "1.00", FeeCharged::PerUse));
        }
        fees.push(fee(1, "paper-statement", "5.00", FeeCharged::PerUse));
        fees
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day")
    }

    fn campaign(code: &str, kind: IncentiveKind, service: Option<&str>) -> Campaign {
        Campaign {
            code: code.into(),
            name: format!("{code} 活动"),
            starts_on: day("2026-12-01"),
            ends_on: day("2026-12-31"),
            branches: vec![],
            booths: vec!["MALL".into()],
            incentive: Incentive {
                kind,
                amount: (kind == IncentiveKind::Cashback).then(|| money("8.88")),
                points: None,
                coupon: None,
                service: service.map(str::to_owned),
            },
            new_customers_only: true,
            budget_claims: Some(100),
            budget_amount: None,
            claims: 0,
            spent: Money::ZERO,
            running: true,
            budget_exhausted: false,
        }
    }

    fn waiver_campaign() -> Campaign {
        campaign("FREE-CARD", IncentiveKind::FeeWaiver, Some("hard-wallet"))
    }

    fn counter<'a>(campaign: &'a str, on: &str, claimed: &'a [String]) -> CoveredFacts<'a> {
        CoveredFacts {
            campaign: Some(campaign),
            channel: Some("counter"),
            signed_up_on: Some(day(on)),
            claimed,
        }
    }

    #[test]
    fn the_fee_schedule_applies_per_tier_charged_at_opening_first() {
        let q = quote(&schedule(), 1, true, None);
        let services: Vec<&str> = q.lines.iter().map(|l| l.service.as_str()).collect();
        assert_eq!(
            services,
            [
                "hard-wallet",
                "opening",
                "cross-bank-top-up",
                "paper-statement"
            ]
        );
        let q4 = quote(&schedule(), 4, true, None);
        assert!(q4.lines.iter().all(|l| l.service != "paper-statement"));
        assert!(q4.known);
        // Opening is free, and says so.
        let opening = q4
            .lines
            .iter()
            .find(|l| l.service == "opening")
            .expect("opening");
        assert!(opening.free && opening.due == Money::ZERO);
    }

    #[test]
    fn the_amount_due_at_opening_adds_only_the_lines_charged_at_opening() {
        let q = quote(&schedule(), 1, true, None);
        assert_eq!(q.due_at_opening, money("20.00"));
    }

    #[test]
    fn a_tier_change_is_charged_nothing_at_opening() {
        let q = quote(&schedule(), 2, false, None);
        assert!(q.lines.iter().all(|l| l.charged == FeeCharged::PerUse));
        assert_eq!(q.due_at_opening, Money::ZERO);
    }

    #[test]
    fn no_schedule_from_the_core_is_unknown_not_free() {
        let q = quote(&[], 4, true, None);
        assert!(!q.known);
        assert!(q.lines.is_empty());
    }

    #[test]
    fn a_waived_fee_keeps_its_amount_is_due_zero_and_covers_only_its_service() {
        let w = waiver_promised(Some(&waiver_campaign()));
        let q = quote(&schedule(), 4, true, w);
        let card = q
            .lines
            .iter()
            .find(|l| l.service == "hard-wallet")
            .expect("card");
        assert_eq!(card.amount, money("20.00"));
        assert_eq!(card.due, Money::ZERO);
        assert_eq!(
            card.waived
                .as_ref()
                .map(|w| (w.campaign.as_str(), w.confirmed)),
            Some(("FREE-CARD", false))
        );
        assert!(
            q.lines
                .iter()
                .filter(|l| l.service != "hard-wallet")
                .all(|l| l.waived.is_none())
        );
        assert_eq!(q.due_at_opening, Money::ZERO);
        let printed = receipt_lines(&q);
        let card = printed
            .iter()
            .find(|l| l.label == "hard-wallet 费")
            .expect("line");
        assert_eq!(card.waived.as_deref(), Some("活动减免"));
        assert!(printed.iter().any(|l| l.per_use));
    }

    #[test]
    fn only_a_running_fee_waiver_campaign_with_budget_left_promises_a_waiver() {
        assert!(waiver_promised(Some(&waiver_campaign())).is_some());
        assert!(waiver_promised(None).is_none());
        let cashback = campaign("CASH", IncentiveKind::Cashback, None);
        assert!(waiver_promised(Some(&cashback)).is_none());
        let mut ended = waiver_campaign();
        ended.running = false;
        assert!(waiver_promised(Some(&ended)).is_none());
        let mut spent = waiver_campaign();
        spent.budget_exhausted = true;
        assert!(waiver_promised(Some(&spent)).is_none());
    }

    #[test]
    fn a_claim_the_core_confirmed_on_a_fee_waiver_campaign_covers_the_customer() {
        let claimed = vec!["FREE-CARD".to_owned()];
        let facts = CoveredFacts {
            campaign: Some("FREE-CARD"),
            channel: Some("booth"),
            signed_up_on: Some(day("2026-12-05")),
            claimed: &claimed,
        };
        let w = waiver_for_customer(&facts, &[waiver_campaign()]).expect("covered");
        assert!(w.confirmed);
        assert_eq!(w.service, "hard-wallet");
    }

    #[test]
    fn a_booth_sign_up_without_a_confirmed_claim_is_not_covered() {
        // Refused as already claimed elsewhere, budget exhausted, or not synced yet.
        let facts = CoveredFacts {
            campaign: Some("FREE-CARD"),
            channel: Some("booth"),
            signed_up_on: Some(day("2026-12-05")),
            claimed: &[],
        };
        assert!(waiver_for_customer(&facts, &[waiver_campaign()]).is_none());
    }

    #[test]
    fn a_counter_sign_up_credited_to_a_fee_waiver_campaign_within_its_dates_is_covered() {
        let campaigns = [waiver_campaign()];
        assert!(
            waiver_for_customer(&counter("FREE-CARD", "2026-12-05", &[]), &campaigns).is_some()
        );
        assert!(
            waiver_for_customer(&counter("FREE-CARD", "2026-11-30", &[]), &campaigns).is_none()
        );
        assert!(
            waiver_for_customer(&counter("FREE-CARD", "2027-01-01", &[]), &campaigns).is_none()
        );
        let mut spent = waiver_campaign();
        spent.budget_exhausted = true;
        assert!(waiver_for_customer(&counter("FREE-CARD", "2026-12-05", &[]), &[spent]).is_none());
    }

    #[test]
    fn a_campaign_that_is_not_a_fee_waiver_waives_nothing() {
        let cashback = campaign("CASH", IncentiveKind::Cashback, None);
        let claimed = vec!["CASH".to_owned()];
        assert!(
            waiver_for_customer(&counter("CASH", "2026-12-05", &claimed), &[cashback]).is_none()
        );
    }
}
