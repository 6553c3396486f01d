//! The configuration rules of campaigns and booths, checked before a save is queued (so the
//! core does not refuse it later): each answers the contract's body or every wrong field.
//! Kept apart from the console code so the rules read as one list.

use super::campaigns::{BoothInput, CampaignInput, IncentiveKind};
use crate::domain::Money;
use crate::error::FieldError;
use chrono::NaiveDate;
use serde_json::json;

/// The code rule the contract states (`v1::CAMPAIGN_CODE_PATTERN`): a letter or digit, then up
/// to 31 letters, digits or hyphens. Codes go into paths, keys and QR links.
pub fn is_valid_code(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && text.len() <= 32
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn short_text(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    let chars = text.chars().count();
    (1..=max).contains(&chars).then(|| text.to_owned())
}

/// Trimmed, blanks dropped, each kept once in order.
fn clean_list(values: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !kept.iter().any(|k| k == value) {
            kept.push(value.to_owned());
        }
    }
    kept
}

fn positive_money(text: &str) -> Option<Money> {
    Money::parse(&crate::domain::normalize_typed(text))
        .ok()
        .filter(|m| m.amount().is_sign_positive() && !m.amount().is_zero())
        .filter(|m| m.to_minor_units().is_ok())
}

/// Checks a campaign against the configuration rules and answers the contract's body
/// (`CampaignSave`), or every field that is wrong.
pub fn campaign_body(
    input: &CampaignInput,
) -> std::result::Result<serde_json::Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let code = input.code.trim();
    if !is_valid_code(code) {
        problems.push(FieldError::new("code", "campaign_code_invalid"));
    }
    let name = short_text(&input.name, 64);
    if name.is_none() {
        problems.push(FieldError::new("name", "text_length"));
    }
    let day = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let starts = day(&input.starts_on);
    let ends = day(&input.ends_on);
    if starts.is_none() {
        problems.push(FieldError::new("startsOn", "date_invalid"));
    }
    if ends.is_none() {
        problems.push(FieldError::new("endsOn", "date_invalid"));
    }
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        problems.push(FieldError::new("endsOn", "campaign_ends_before_start"));
    }
    let booths = clean_list(&input.booths);
    if booths.is_empty() || booths.iter().any(|b| !is_valid_code(b)) {
        problems.push(FieldError::new("booths", "campaign_booths_required"));
    }
    // Exactly the field the incentive's kind needs; the others are not sent.
    let mut incentive = json!({ "kind": input.incentive_kind.as_str() });
    match input.incentive_kind {
        IncentiveKind::Cashback => match input.incentive_amount.as_deref().and_then(positive_money)
        {
            Some(amount) => incentive["amount"] = json!(amount.to_string()),
            None => problems.push(FieldError::new("incentiveAmount", "amount_invalid")),
        },
        IncentiveKind::Points => match input
            .incentive_points
            .filter(|p| (1..=1_000_000).contains(p))
        {
            Some(points) => incentive["points"] = json!(points),
            None => problems.push(FieldError::new("incentivePoints", "points_invalid")),
        },
        IncentiveKind::Coupon => match input
            .incentive_coupon
            .as_deref()
            .and_then(|c| short_text(c, 64))
        {
            Some(coupon) => incentive["coupon"] = json!(coupon),
            None => problems.push(FieldError::new("incentiveCoupon", "text_length")),
        },
        IncentiveKind::FeeWaiver => {
            let service = input
                .incentive_service
                .as_deref()
                .map(str::trim)
                .filter(|s| {
                    s.len() <= 32
                        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                        && s.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                });
            match service {
                Some(service) => incentive["service"] = json!(service),
                None => problems.push(FieldError::new("incentiveService", "service_invalid")),
            }
        }
    }
    if input
        .budget_claims
        .is_some_and(|n| !(1..=10_000_000).contains(&n))
    {
        problems.push(FieldError::new("budgetClaims", "budget_invalid"));
    }
    let budget_amount = match input
        .budget_amount
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(text) => match positive_money(text) {
            Some(m) => Some(m.to_string()),
            None => {
                problems.push(FieldError::new("budgetAmount", "amount_invalid"));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut body = json!({
        "code": code,
        "name": name,
        "startsOn": input.starts_on.trim(),
        "endsOn": input.ends_on.trim(),
        "branches": clean_list(&input.branches),
        "booths": booths,
        "incentive": incentive,
        "newCustomersOnly": input.new_customers_only,
    });
    if let Some(n) = input.budget_claims {
        body["budgetClaims"] = json!(n);
    }
    if let Some(amount) = budget_amount {
        body["budgetAmount"] = json!(amount);
    }
    Ok(body)
}

/// Checks a booth and answers the contract's body (`BoothSave`), or every field that is wrong.
pub fn booth_body(input: &BoothInput) -> std::result::Result<serde_json::Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let code = input.code.trim();
    if !is_valid_code(code) {
        problems.push(FieldError::new("code", "campaign_code_invalid"));
    }
    let mut text = |field: &str, value: &str, max: usize| {
        let kept = short_text(value, max);
        if kept.is_none() {
            problems.push(FieldError::new(field, "text_length"));
        }
        kept
    };
    let name = text("name", &input.name, 64);
    let mall = text("mall", &input.mall, 64);
    let address = text("address", &input.address, 200);
    let branch = text("branch", &input.branch, 64);
    let roster = clean_list(&input.roster);
    if roster.is_empty() {
        problems.push(FieldError::new("roster", "booth_roster_required"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(json!({
        "code": code, "name": name, "mall": mall, "address": address, "branch": branch,
        "roster": roster,
    }))
}
