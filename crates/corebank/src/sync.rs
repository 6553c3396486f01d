//! The sync engine's side of the v1 contract: outbox operations to requests (one alone, many
//! through `POST /v1/batch`), and the change feed.

use crate::{Client, ClientError, v1};
use async_trait::async_trait;
use reqwest::StatusCode;
use walletdesk_core::corelink::{
    AuditHead, CoreChange, CoreChangePage, CoreSync, CoreWrite, LinkError, WriteOutcome,
};

/// The request an outbox operation becomes: method and path, or `None` for a kind this
/// contract version has no request for. `subject` fills the path's id where there is one and
/// must be a plain id (letters, digits, `-`, `:`), so it can never turn into another path.
pub fn route(kind: &str, subject: Option<&str>) -> Option<(&'static str, String)> {
    let id = || {
        subject.filter(|s| !s.is_empty()).filter(|s| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
        })
    };
    Some(match kind {
        "customer.create" => ("POST", "/v1/customers".to_owned()),
        "customer.update" => ("PATCH", format!("/v1/customers/{}", id()?)),
        "wallet.open" => ("POST", "/v1/wallets".to_owned()),
        "wallet.tier" => ("POST", format!("/v1/wallets/{}/tier", id()?)),
        "wallet.freeze" => ("POST", format!("/v1/wallets/{}/freeze", id()?)),
        "wallet.unfreeze" => ("POST", format!("/v1/wallets/{}/unfreeze", id()?)),
        "card.link" => ("POST", format!("/v1/wallets/{}/cards", id()?)),
        "consent.record" => ("POST", format!("/v1/customers/{}/consents", id()?)),
        "consent.withdraw" => ("POST", format!("/v1/consents/{}/withdraw", id()?)),
        "card.unlink" => {
            // "<wallet>/<card>": two ids, each checked like any other.
            let (wallet, card) = subject?.split_once('/')?;
            let plain = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
            };
            if !plain(wallet) || !plain(card) {
                return None;
            }
            ("POST", format!("/v1/wallets/{wallet}/cards/{card}/unlink"))
        }
        "complaint.register" => ("POST", "/v1/complaints".to_owned()),
        "incentive.claim" => ("POST", "/v1/incentives/claims".to_owned()),
        // Disputed transactions: every step after the opening names the core's dispute.
        "dispute.open" => ("POST", "/v1/disputes".to_owned()),
        "dispute.evidence" => ("POST", format!("/v1/disputes/{}/evidence", id()?)),
        "dispute.provisional_credit" => {
            ("POST", format!("/v1/disputes/{}/provisional-credit", id()?))
        }
        "dispute.decide" => ("POST", format!("/v1/disputes/{}/decision", id()?)),
        "dispute.reverse" => ("POST", format!("/v1/disputes/{}/reverse", id()?)),
        "dispute.chargeback" => ("POST", format!("/v1/disputes/{}/chargeback", id()?)),
        "campaign.save" => ("POST", "/v1/campaigns".to_owned()),
        "booth.save" => ("POST", "/v1/booths".to_owned()),
        "booth.signup" => ("POST", "/v1/signups".to_owned()),
        "customer.attribution" => ("POST", format!("/v1/customers/{}/attribution", id()?)),
        "article.draft" => ("POST", format!("/v1/articles/{}/draft", id()?)),
        "article.publish" => ("POST", format!("/v1/articles/{}/publish", id()?)),
        "article.flag" => ("POST", format!("/v1/articles/{}/flags", id()?)),
        // The undo of a practice payment (issue 13): a write like any other, so it is sent
        // once under its key even if the console is closed before the core answers.
        "practice_payment.reverse" => ("POST", format!("/v1/practice-payments/{}/reversal", id()?)),
        _ => return None,
    })
}

/// A 401 is about this console, not about the operation: it becomes an error for the whole
/// call (the engine keeps every operation queued and backs off), never a per-operation
/// refusal, which would park good operations as "needs attention" for staff to resend.
fn unauthorised(status: u16, body: &serde_json::Value) -> Option<LinkError> {
    (status == 401).then(|| {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        let err = ClientError::from_status(StatusCode::UNAUTHORIZED, &bytes);
        tracing::warn!(error = %err, "the core bank refused this console's token");
        link_error(err)
    })
}

pub(crate) fn link_error(err: ClientError) -> LinkError {
    if matches!(err, ClientError::Unauthorized(_)) {
        return LinkError::Unauthorized(err.to_string());
    }
    if err.is_retryable() {
        LinkError::Unreachable(err.to_string())
    } else {
        LinkError::Refused(err.to_string())
    }
}

/// A decimal string from the core as `Money`; anything else means the core broke the
/// contract, which staff can only report, not fix.
fn money(field: &str, text: &str) -> Result<walletdesk_core::domain::Money, LinkError> {
    walletdesk_core::domain::Money::parse(text)
        .map_err(|err| LinkError::Refused(format!("the core sent {field} = {text:?}: {err}")))
}

/// What one answer means for the engine: applied, refused for good, or try again. A 2xx is
/// "applied" only with a body that is what the contract promises (a JSON object: every v1
/// write answers with the resource); anything else is unreadable, never applied.
fn outcome(status: u16, replayed: bool, body: serde_json::Value) -> WriteOutcome {
    if (200..300).contains(&status) {
        if !body.is_object() {
            return WriteOutcome::Unreadable {
                reason: format!("a {status} answer whose body is not a JSON object"),
            };
        }
        return WriteOutcome::Applied {
            replayed,
            result: body,
        };
    }
    let problem = serde_json::from_value::<v1::Problem>(body).ok();
    let in_flight = problem
        .as_ref()
        .is_some_and(|p| p.kind == v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT);
    let code = problem.as_ref().and_then(|p| problem_code(&p.kind));
    let reason = match problem {
        Some(v1::Problem {
            title,
            detail: Some(detail),
            ..
        }) => format!("{title}: {detail}"),
        Some(problem) => problem.title,
        None => StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("unknown status")
            .to_owned(),
    };
    let retryable = status >= 500 || status == 408 || status == 429 || in_flight;
    if retryable {
        WriteOutcome::Retry { reason }
    } else {
        WriteOutcome::Refused {
            status,
            code,
            reason,
        }
    }
}

/// The stable code of a problem `type` URI: its slug after [`v1::PROBLEM_TYPE_BASE`]
/// (`dispute-decided`), when it is one of the contract's and a plain slug.
fn problem_code(kind: &str) -> Option<String> {
    kind.strip_prefix(v1::PROBLEM_TYPE_BASE)
        .filter(|slug| {
            !slug.is_empty()
                && slug.len() <= 64
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .map(str::to_owned)
}

impl Client {
    /// One write on its own request (no batch around it), answered as an outcome.
    async fn submit_one(
        &self,
        write: &CoreWrite,
        method: &str,
        path: &str,
    ) -> Result<WriteOutcome, LinkError> {
        let url = format!("{}{path}", self.base_url);
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|err| LinkError::Refused(err.to_string()))?;
        let response = self
            .http
            .request(method, &url)
            .header(v1::IDEMPOTENCY_KEY_HEADER, &write.key)
            .json(&write.body)
            .send()
            .await
            .map_err(|err| link_error(ClientError::from_reqwest(err)))?;
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get(v1::IDEMPOTENCY_REPLAYED_HEADER)
            .is_some_and(|v| v.as_bytes() == b"true");
        let bytes = response
            .bytes()
            .await
            .map_err(|err| link_error(ClientError::from_reqwest(err)))?;
        let body = match serde_json::from_slice(&bytes) {
            Ok(body) => body,
            Err(err) if (200..300).contains(&status) => {
                return Ok(WriteOutcome::Unreadable {
                    reason: format!("a {status} answer that is not JSON ({err})"),
                });
            }
            Err(_) => serde_json::Value::Null,
        };
        if let Some(err) = unauthorised(status, &body) {
            return Err(err);
        }
        Ok(outcome(status, replayed, body))
    }
}

fn finish(outcomes: Vec<Option<WriteOutcome>>) -> Vec<WriteOutcome> {
    outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or(WriteOutcome::Retry {
                reason: "no answer".to_owned(),
            })
        })
        .collect()
}

#[async_trait]
impl CoreSync for Client {
    /// One write goes alone (what a console sends most of the time, and the cheapest request);
    /// several go in one `POST /v1/batch`, which runs them in order.
    async fn submit(&self, writes: &[CoreWrite]) -> Result<Vec<WriteOutcome>, LinkError> {
        let mut outcomes: Vec<Option<WriteOutcome>> = vec![None; writes.len()];
        let mut items = Vec::new();
        let mut sent = Vec::new();
        for (index, write) in writes.iter().enumerate() {
            let Some((method, path)) = route(&write.kind, write.subject.as_deref()) else {
                outcomes[index] = Some(WriteOutcome::Refused {
                    status: 0,
                    code: None,
                    reason: format!(
                        "this console cannot send {:?} to the core (unknown operation or id)",
                        write.kind
                    ),
                });
                continue;
            };
            if !v1::is_valid_idempotency_key(&write.key) {
                outcomes[index] = Some(WriteOutcome::Refused {
                    status: 0,
                    code: None,
                    reason: "the operation's idempotency key is not valid".to_owned(),
                });
                continue;
            }
            items.push(v1::BatchItem {
                idempotency_key: write.key.clone(),
                method: method.to_owned(),
                path,
                body: write.body.clone(),
            });
            sent.push(index);
        }
        if items.len() == 1 {
            let item = &items[0];
            let outcome = self
                .submit_one(&writes[sent[0]], &item.method, &item.path)
                .await?;
            outcomes[sent[0]] = Some(outcome);
        } else if !items.is_empty() {
            let url = format!("{}/v1/batch", self.base_url);
            let request = self.http.post(&url).json(&v1::Batch { items });
            // A batch answered "done" whose body is not a batch answer, or not one per write:
            // no write is known to be applied, and each counts an unreadable answer.
            let unreadable = |outcomes: &mut Vec<Option<WriteOutcome>>, reason: String| {
                for index in &sent {
                    outcomes[*index] = Some(WriteOutcome::Unreadable {
                        reason: reason.clone(),
                    });
                }
            };
            let answer: v1::BatchResults = match self.send_json("/v1/batch", request).await {
                Ok(answer) => answer,
                Err(ClientError::BadBody(reason)) => {
                    unreadable(
                        &mut outcomes,
                        format!("the batch answer is not valid: {reason}"),
                    );
                    return Ok(finish(outcomes));
                }
                Err(err) => return Err(link_error(err)),
            };
            if answer.results.len() != sent.len() {
                let reason = format!(
                    "the core answered {} results for {} writes",
                    answer.results.len(),
                    sent.len()
                );
                unreadable(&mut outcomes, reason);
                return Ok(finish(outcomes));
            }
            // A core that checks the token per item: the same whole-call error as above.
            if let Some(err) = answer
                .results
                .iter()
                .find_map(|result| unauthorised(result.status, &result.body))
            {
                return Err(err);
            }
            if sent
                .iter()
                .zip(&answer.results)
                .any(|(index, result)| result.idempotency_key != writes[*index].key)
            {
                unreadable(
                    &mut outcomes,
                    "the core answered the batch out of order".to_owned(),
                );
                return Ok(finish(outcomes));
            }
            for (index, result) in sent.iter().zip(answer.results) {
                outcomes[*index] = Some(outcome(result.status, result.replayed, result.body));
            }
        }
        Ok(finish(outcomes))
    }

    async fn changes(&self, after: Option<&str>, limit: u32) -> Result<CoreChangePage, LinkError> {
        let mut path = format!("/v1/changes?limit={limit}");
        if let Some(after) = after {
            if !after
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(LinkError::Refused(format!("not a feed cursor: {after:?}")));
            }
            path.push_str("&after=");
            path.push_str(after);
        }
        let page: v1::ChangePage = self.get_json(&path).await.map_err(link_error)?;
        Ok(CoreChangePage {
            changes: page
                .changes
                .into_iter()
                .map(|c| CoreChange {
                    cursor: c.cursor,
                    kind: c.kind,
                    id: c.id,
                    data: c.data,
                })
                .collect(),
            next_cursor: page.next_cursor,
            more: page.more,
        })
    }

    async fn anchor_audit(
        &self,
        head: &AuditHead,
        previous: Option<&AuditHead>,
    ) -> Result<AuditHead, LinkError> {
        let held = self
            .put_audit_anchor(&v1::AuditAnchorRequest {
                sequence: head.sequence,
                head_hash: head.hash.clone(),
                previous_sequence: previous.map(|p| p.sequence),
                previous_hash: previous.map(|p| p.hash.clone()),
            })
            .await
            .map_err(link_error)?;
        Ok(AuditHead {
            sequence: held.sequence,
            hash: held.head_hash,
        })
    }

    async fn limit_schemes(&self) -> Result<Vec<walletdesk_core::limits::LimitScheme>, LinkError> {
        let list = Client::limit_schemes(self).await.map_err(link_error)?;
        let amount = |field: &str, text: &Option<String>| {
            text.as_deref().map(|m| money(field, m)).transpose()
        };
        list.schemes
            .into_iter()
            .map(|scheme| {
                Ok(walletdesk_core::limits::LimitScheme {
                    effective_from: chrono::NaiveDate::parse_from_str(
                        &scheme.effective_from,
                        "%Y-%m-%d",
                    )
                    .map_err(|err| {
                        LinkError::Refused(format!(
                            "the core sent effectiveFrom = {:?}: {err}",
                            scheme.effective_from
                        ))
                    })?,
                    tiers: scheme
                        .tiers
                        .iter()
                        .map(|t| {
                            Ok(walletdesk_core::limits::TierLimits {
                                tier: t.tier,
                                balance_cap: amount("balanceCap", &t.balance_cap)?,
                                one_payment: amount("onePayment", &t.one_payment)?,
                                per_day: amount("perDay", &t.per_day)?,
                                per_year: amount("perYear", &t.per_year)?,
                            })
                        })
                        .collect::<Result<_, LinkError>>()?,
                    operator_bank: scheme.operator_bank,
                    operator_bank_name: scheme.operator_bank_name,
                    is_default: scheme.is_default,
                })
            })
            .collect()
    }

    async fn audit_anchor(&self) -> Result<Option<AuditHead>, LinkError> {
        match self.get_audit_anchor().await {
            Ok(held) => Ok(Some(AuditHead {
                sequence: held.sequence,
                hash: held.head_hash,
            })),
            Err(ClientError::Rejected { status: 404, .. }) => Ok(None),
            Err(err) => Err(link_error(err)),
        }
    }
}

#[async_trait]
impl walletdesk_core::corelink::CoreChecks for Client {
    async fn report(
        &self,
        query: &walletdesk_core::insights::CoreReportQuery,
    ) -> Result<walletdesk_core::insights::CoreReport, LinkError> {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut pairs: Vec<(&str, String)> = vec![
            ("metric", query.metric.as_str().to_owned()),
            ("from", day(query.from)),
            ("to", day(query.to)),
            ("activationDays", query.activation_days.to_string()),
        ];
        if let Some(d) = query.dimension {
            pairs.push(("dimension", d.as_str().to_owned()));
        }
        for (d, value) in &query.filters {
            pairs.push((d.as_str(), value.clone()));
        }
        let report = self.get_report(&pairs).await.map_err(link_error)?;
        let rows = report
            .rows
            .into_iter()
            .map(|r| {
                let incentive_fen = walletdesk_core::insights::console::fen_of(&r.sums.incentive)
                    .ok_or_else(|| {
                    LinkError::Refused(format!("incentive {:?} is not an amount", r.sums.incentive))
                })?;
                Ok((
                    r.key,
                    walletdesk_core::insights::Sums {
                        signups: r.sums.signups,
                        matured_signups: r.sums.matured_signups,
                        activated: r.sums.activated,
                        active: r.sums.active,
                        transactions: r.sums.transactions,
                        customers: r.sums.customers,
                        complaints: r.sums.complaints,
                        incentive_fen,
                        surveys: 0,
                        satisfied: 0,
                    },
                ))
            })
            .collect::<Result<Vec<_>, LinkError>>()?;
        Ok(walletdesk_core::insights::CoreReport {
            as_of: report.as_of,
            rows,
        })
    }

    async fn send_code(
        &self,
        mobile: &str,
    ) -> Result<walletdesk_core::corelink::CodeSent, LinkError> {
        // A fresh key per send: each send is a new code.
        let key = format!("wd-otp-{}", uuid::Uuid::new_v4());
        let challenge = self
            .send_otp(
                &key,
                &v1::OtpRequest {
                    mobile: mobile.to_owned(),
                    purpose: Some("open-wallet".to_owned()),
                },
            )
            .await
            .map_err(link_error)?;
        Ok(walletdesk_core::corelink::CodeSent {
            challenge_id: challenge.challenge_id,
            masked_mobile: challenge.masked_mobile,
            training_code: challenge.training_code,
        })
    }

    async fn verify_code(&self, challenge_id: &str, code: &str) -> Result<bool, LinkError> {
        let key = format!("wd-otp-{}", uuid::Uuid::new_v4());
        let verification = v1::OtpVerification {
            challenge_id: challenge_id.to_owned(),
            code: code.to_owned(),
        };
        match self.verify_otp(&key, &verification).await {
            Ok(_) => Ok(true),
            Err(ClientError::Rejected { status: 422, title }) if title.contains("wrong") => {
                Ok(false)
            }
            Err(err) => Err(link_error(err)),
        }
    }

    async fn practice_pay(
        &self,
        payment: &walletdesk_core::corelink::PracticePayment<'_>,
    ) -> Result<walletdesk_core::corelink::PracticeAnswer, LinkError> {
        use walletdesk_core::corelink::{PracticeAnswer, PracticePaid};
        let request = v1::PracticePaymentRequest {
            holder: payment.holder.to_owned(),
            amount: format!("{:.2}", payment.amount.amount()),
            counterparty: payment.payee.to_owned(),
            payment_password: payment.password.to_owned(),
        };
        match self
            .post_practice_payment(payment.key, &request)
            .await
            .map_err(link_error)?
        {
            Ok(paid) => Ok(PracticeAnswer::Paid(PracticePaid {
                id: paid.id,
                amount: money("amount", &paid.amount)?,
                practice_balance: money("practiceBalance", &paid.practice_balance)?,
            })),
            Err(problem) if problem.kind == v1::problem_types::PAYMENTS_FROZEN => {
                Ok(PracticeAnswer::Frozen)
            }
            Err(problem) => Ok(PracticeAnswer::WrongPassword {
                tries_remaining: problem.tries_remaining.unwrap_or(0),
            }),
        }
    }

    async fn screen(
        &self,
        name: &str,
        resident_id: &str,
    ) -> Result<walletdesk_core::corelink::ScreeningOutcome, LinkError> {
        let key = format!("wd-screen-{}", uuid::Uuid::new_v4());
        let answer = Client::screen(
            self,
            &key,
            &v1::ScreeningRequest {
                customer_id: None,
                name: Some(name.to_owned()),
                resident_id: Some(resident_id.to_owned()),
            },
        )
        .await
        .map_err(link_error)?;
        Ok(if answer.result == "clear" {
            walletdesk_core::corelink::ScreeningOutcome::Clear
        } else {
            walletdesk_core::corelink::ScreeningOutcome::Hit {
                reason: answer.reason.unwrap_or_else(|| "watchlist".to_owned()),
            }
        })
    }

    async fn wallet(&self, id: &str) -> Result<walletdesk_core::corelink::LiveWallet, LinkError> {
        let wallet = self.get_wallet(id).await.map_err(link_error)?;
        let limits = &wallet.limits;
        Ok(walletdesk_core::corelink::LiveWallet {
            balance: money("balance", &wallet.balance)?,
            balance_cap: limits
                .balance_cap
                .as_deref()
                .map(|m| money("balanceCap", m))
                .transpose()?,
            one_payment: limits
                .one_payment
                .as_deref()
                .map(|m| money("onePayment", m))
                .transpose()?,
            per_day: limits
                .per_day
                .as_deref()
                .map(|m| money("perDay", m))
                .transpose()?,
            per_year: limits
                .per_year
                .as_deref()
                .map(|m| money("perYear", m))
                .transpose()?,
            used_today: money("usage.today", &wallet.usage.today)?,
            used_this_year: money("usage.thisYear", &wallet.usage.this_year)?,
            applied_tier: limits.applied_tier,
            lowered_because: limits.lowered_because.clone(),
            id: wallet.id,
            tier: wallet.tier,
            status: wallet.status,
            payments_frozen: wallet.payments_frozen,
            operator_bank: wallet.operator_bank,
        })
    }

    async fn recent_transactions(
        &self,
        wallet: &str,
        limit: u32,
    ) -> Result<Vec<walletdesk_core::corelink::LiveTransaction>, LinkError> {
        let page = self
            .list_transactions(wallet, None, Some(limit))
            .await
            .map_err(link_error)?;
        page.transactions
            .into_iter()
            .map(|t| {
                Ok(walletdesk_core::corelink::LiveTransaction {
                    amount: money("amount", &t.amount)?,
                    id: t.id,
                    wallet_id: t.wallet_id,
                    at: t.at,
                    direction: t.direction,
                    counterparty: t.counterparty,
                    memo: t.memo,
                })
            })
            .collect()
    }

    async fn sign_up_link(
        &self,
        campaign: &str,
        booth: &str,
        staff: &str,
    ) -> Result<String, LinkError> {
        // Signing is deterministic and changes nothing at the core, so each ask has its own
        // key and a repeat simply signs again.
        let key = format!("wd-link-{}", uuid::Uuid::new_v4());
        let link = Client::sign_up_link(
            self,
            &key,
            &v1::SignUpLinkRequest {
                campaign: campaign.to_owned(),
                booth: booth.to_owned(),
                staff_id: staff.to_owned(),
            },
        )
        .await
        .map_err(link_error)?;
        Ok(link.url)
    }

    async fn reveal_resident_id(
        &self,
        customer: &str,
        staff: &str,
        reason: &str,
    ) -> Result<String, LinkError> {
        // A fresh key per reveal: each is a separate look, recorded separately by the core.
        let key = format!("wd-reveal-{}", uuid::Uuid::new_v4());
        let answer = Client::reveal_resident_id(
            self,
            &key,
            customer,
            &v1::RevealRequest {
                reason: reason.to_owned(),
                staff_id: staff.to_owned(),
            },
        )
        .await
        .map_err(link_error)?;
        Ok(answer.resident_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_requests_and_ids_cannot_escape_the_path() {
        assert_eq!(
            route("customer.create", None),
            Some(("POST", "/v1/customers".to_owned()))
        );
        assert_eq!(
            route("wallet.tier", Some("0001000200030004")),
            Some(("POST", "/v1/wallets/0001000200030004/tier".to_owned()))
        );
        assert_eq!(route("wallet.tier", None), None);
        assert_eq!(route("wallet.tier", Some("../admin/faults")), None);
        assert_eq!(route("wallet.tier", Some("a/b")), None);
        assert_eq!(route("no.such.kind", None), None);
    }

    #[test]
    fn answers_become_outcomes() {
        assert!(matches!(
            outcome(201, true, serde_json::json!({"id": "1"})),
            WriteOutcome::Applied { replayed: true, .. }
        ));
        let refused = serde_json::json!({"type": v1::problem_types::DUPLICATE_CUSTOMER,
            "title": "Customer already exists", "status": 409, "detail": "same mobile"});
        assert_eq!(
            outcome(409, false, refused),
            WriteOutcome::Refused {
                status: 409,
                code: Some("duplicate-customer".to_owned()),
                reason: "Customer already exists: same mobile".to_owned()
            }
        );
        let in_flight = serde_json::json!({"type": v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT,
            "title": "still running", "status": 409});
        assert!(matches!(
            outcome(409, false, in_flight),
            WriteOutcome::Retry { .. }
        ));
        assert!(matches!(
            outcome(503, false, serde_json::Value::Null),
            WriteOutcome::Retry { .. }
        ));
        assert!(matches!(
            outcome(422, false, serde_json::Value::Null),
            WriteOutcome::Refused {
                status: 422,
                code: None,
                ..
            }
        ));
        // "Done" with no resource in the body is not applied.
        assert!(matches!(
            outcome(201, false, serde_json::Value::Null),
            WriteOutcome::Unreadable { .. }
        ));
        assert!(matches!(
            outcome(200, false, serde_json::json!(["junk"])),
            WriteOutcome::Unreadable { .. }
        ));
    }

    mod fuzzed {
        use super::*;
        use proptest::prelude::*;
        use serde_json::Value;

        /// Fuzz cases per property (the note counts cases run = this × properties).
        const CASES: u32 = 1024;

        fn any_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                "\\PC{0,24}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::btree_map(
                        prop_oneof![
                            prop::sample::select(vec![
                                "type",
                                "title",
                                "status",
                                "detail",
                                "changes",
                                "nextCursor",
                                "more",
                                "cursor",
                                "kind",
                                "id",
                                "data"
                            ])
                            .prop_map(str::to_owned),
                            "\\PC{0,12}",
                        ],
                        inner,
                        0..6,
                    )
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(CASES))]

            /// A batch answer of any status and body becomes an outcome: applied only for a
            /// 2xx, refused or retried otherwise, with a reason; never a panic.
            #[test]
            fn any_write_answer_becomes_an_outcome_never_a_panic(
                status in any::<u16>(),
                replayed in any::<bool>(),
                body in any_json(),
            ) {
                match outcome(status, replayed, body) {
                    WriteOutcome::Applied { .. } => prop_assert!((200..300).contains(&status)),
                    WriteOutcome::Refused { reason, .. } | WriteOutcome::Retry { reason } => {
                        prop_assert!(!(200..300).contains(&status));
                        prop_assert!(!reason.is_empty());
                    }
                    // A 2xx whose body is no answer at all: never taken as applied.
                    WriteOutcome::Unreadable { reason } => {
                        prop_assert!((200..300).contains(&status));
                        prop_assert!(!reason.is_empty());
                    }
                }
            }

            /// A change-feed page of any bytes or any JSON decodes or is refused with an
            /// error naming what is wrong; never a panic.
            #[test]
            fn change_feed_pages_of_any_bytes_decode_or_are_refused(
                body in prop_oneof![
                    prop::collection::vec(any::<u8>(), 0..300),
                    any_json().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
                ],
            ) {
                match serde_json::from_slice::<v1::ChangePage>(&body) {
                    Ok(page) => prop_assert!(page.changes.len() <= body.len()),
                    Err(err) => prop_assert!(!err.to_string().is_empty()),
                }
            }
        }
    }
}
