//! Client methods for the v1 resources beyond health and customer creation.
//!
//! Kept apart from `lib.rs` (the transport, its retry rules and the `CoreLink` impl) and
//! built only on its helpers, so every call here gets the same timeouts and error mapping.

use crate::v1;
use crate::{Client, ClientError};
use reqwest::Method;

/// What `Client::search_customers` filters on; fields left `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    pub mobile: Option<String>,
    pub resident_id_last4: Option<String>,
    pub name: Option<String>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

/// A customer reference or other id, checked before it becomes a path segment: a core id,
/// `ext:<uuid>`, or a wallet or transaction number. Anything else could turn into another path.
fn segment(id: &str) -> Result<&str, ClientError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':');
    if ok {
        Ok(id)
    } else {
        Err(ClientError::Rejected {
            status: 404,
            title: format!("not an id: {id:?}"),
        })
    }
}

impl Client {
    /// `GET /v1/customers?...`: one page of customers matching every filter given.
    pub async fn search_customers(
        &self,
        query: &CustomerQuery,
    ) -> Result<v1::CustomerPage, ClientError> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("mobile", &query.mobile),
            ("residentIdLast4", &query.resident_id_last4),
            ("name", &query.name),
            ("after", &query.after),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                pairs.push((name, value.clone()));
            }
        }
        if let Some(limit) = query.limit {
            pairs.push(("limit", limit.to_string()));
        }
        self.get_query("/v1/customers", &pairs).await
    }

    /// `PATCH /v1/customers/{ref}`; `reference` is the core's id or `ext:<externalId>`.
    pub async fn update_customer(
        &self,
        key: &str,
        reference: &str,
        update: &v1::CustomerUpdate,
    ) -> Result<v1::Customer, ClientError> {
        let path = format!("/v1/customers/{}", segment(reference)?);
        self.write_json(Method::PATCH, &path, key, update).await
    }

    /// `POST /v1/sign-up-links`: a booth QR code's link, signed by the core.
    pub async fn sign_up_link(
        &self,
        key: &str,
        request: &v1::SignUpLinkRequest,
    ) -> Result<v1::SignUpLink, ClientError> {
        self.post_json("/v1/sign-up-links", key, request).await
    }

    /// `POST /v1/customers/{ref}/resident-id/reveal`.
    pub async fn reveal_resident_id(
        &self,
        key: &str,
        reference: &str,
        request: &v1::RevealRequest,
    ) -> Result<v1::RevealedResidentId, ClientError> {
        let path = format!("/v1/customers/{}/resident-id/reveal", segment(reference)?);
        self.post_json(&path, key, request).await
    }

    /// `GET /v1/customers/{ref}` by either kind of reference (`get_customer` takes core ids
    /// only).
    pub async fn get_customer_by_reference(
        &self,
        reference: &str,
    ) -> Result<v1::Customer, ClientError> {
        self.get_json(&format!("/v1/customers/{}", segment(reference)?))
            .await
    }

    /// `POST /v1/wallets`: open a wallet at a tier; `customer_id` may be `ext:<externalId>`.
    pub async fn open_wallet(
        &self,
        key: &str,
        request: &v1::NewWallet,
    ) -> Result<v1::Wallet, ClientError> {
        self.post_json("/v1/wallets", key, request).await
    }

    /// `GET /v1/wallets/{id}`: the wallet with its limits in force and today's and this
    /// year's usage.
    pub async fn get_wallet(&self, id: &str) -> Result<v1::Wallet, ClientError> {
        self.get_json(&format!("/v1/wallets/{}", segment(id)?))
            .await
    }

    /// `GET /v1/customers/{ref}/wallets`.
    pub async fn list_customer_wallets(
        &self,
        customer: &str,
    ) -> Result<v1::WalletList, ClientError> {
        self.get_json(&format!("/v1/customers/{}/wallets", segment(customer)?))
            .await
    }

    /// `GET /v1/limit-schemes`.
    pub async fn limit_schemes(&self) -> Result<v1::LimitSchemeList, ClientError> {
        self.get_json("/v1/limit-schemes").await
    }

    /// `POST /v1/wallets/{id}/tier`.
    pub async fn change_wallet_tier(
        &self,
        key: &str,
        id: &str,
        change: &v1::TierChange,
    ) -> Result<v1::Wallet, ClientError> {
        self.post_json(&format!("/v1/wallets/{}/tier", segment(id)?), key, change)
            .await
    }

    /// `POST /v1/wallets/{id}/freeze`, or `/unfreeze` when `frozen` is false.
    pub async fn set_wallet_frozen(
        &self,
        key: &str,
        id: &str,
        frozen: bool,
        hold: &v1::WalletHold,
    ) -> Result<v1::Wallet, ClientError> {
        let action = if frozen { "freeze" } else { "unfreeze" };
        self.post_json(&format!("/v1/wallets/{}/{action}", segment(id)?), key, hold)
            .await
    }

    /// `POST /v1/otp`: send a one-time code to a mobile.
    pub async fn send_otp(
        &self,
        key: &str,
        request: &v1::OtpRequest,
    ) -> Result<v1::OtpChallenge, ClientError> {
        self.post_json("/v1/otp", key, request).await
    }

    /// `POST /v1/otp/verify`. A wrong code is a final `Rejected` (its attempt counted): the
    /// next attempt is a new request with a new key.
    pub async fn verify_otp(
        &self,
        key: &str,
        request: &v1::OtpVerification,
    ) -> Result<v1::OtpVerified, ClientError> {
        self.post_json("/v1/otp/verify", key, request).await
    }

    /// `POST /v1/identity-checks`.
    pub async fn check_identity(
        &self,
        key: &str,
        request: &v1::IdentityCheckRequest,
    ) -> Result<v1::IdentityCheck, ClientError> {
        self.post_json("/v1/identity-checks", key, request).await
    }

    /// `POST /v1/screenings`.
    pub async fn screen(
        &self,
        key: &str,
        request: &v1::ScreeningRequest,
    ) -> Result<v1::Screening, ClientError> {
        self.post_json("/v1/screenings", key, request).await
    }

    /// `POST /v1/customers/{ref}/consents`.
    pub async fn grant_consent(
        &self,
        key: &str,
        customer: &str,
        consent: &v1::NewConsent,
    ) -> Result<v1::Consent, ClientError> {
        let path = format!("/v1/customers/{}/consents", segment(customer)?);
        self.post_json(&path, key, consent).await
    }

    /// `GET /v1/customers/{ref}/consents`.
    pub async fn list_consents(&self, customer: &str) -> Result<v1::ConsentList, ClientError> {
        self.get_json(&format!("/v1/customers/{}/consents", segment(customer)?))
            .await
    }

    /// `POST /v1/consents/{id}/withdraw`.
    pub async fn withdraw_consent(
        &self,
        key: &str,
        id: &str,
        withdrawal: &v1::ConsentWithdrawal,
    ) -> Result<v1::Consent, ClientError> {
        let path = format!("/v1/consents/{}/withdraw", segment(id)?);
        self.post_json(&path, key, withdrawal).await
    }

    /// `POST /v1/wallets/{id}/cards`.
    pub async fn link_card(
        &self,
        key: &str,
        wallet: &str,
        card: &v1::NewCard,
    ) -> Result<v1::LinkedCard, ClientError> {
        let path = format!("/v1/wallets/{}/cards", segment(wallet)?);
        self.post_json(&path, key, card).await
    }

    /// `GET /v1/wallets/{id}/cards`.
    pub async fn list_cards(&self, wallet: &str) -> Result<v1::CardList, ClientError> {
        self.get_json(&format!("/v1/wallets/{}/cards", segment(wallet)?))
            .await
    }

    /// `POST /v1/wallets/{id}/cards/{cardId}/unlink`.
    pub async fn unlink_card(
        &self,
        key: &str,
        wallet: &str,
        card: &str,
        unlink: &v1::CardUnlink,
    ) -> Result<v1::LinkedCard, ClientError> {
        let path = format!(
            "/v1/wallets/{}/cards/{}/unlink",
            segment(wallet)?,
            segment(card)?
        );
        self.post_json(&path, key, unlink).await
    }

    /// `GET /v1/wallets/{id}/transactions`: one page, newest first; pass the previous
    /// page's `nextCursor` as `after`.
    pub async fn list_transactions(
        &self,
        wallet: &str,
        after: Option<&str>,
        limit: Option<u32>,
    ) -> Result<v1::TransactionPage, ClientError> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(after) = after {
            pairs.push(("after", after.to_owned()));
        }
        if let Some(limit) = limit {
            pairs.push(("limit", limit.to_string()));
        }
        let path = format!("/v1/wallets/{}/transactions", segment(wallet)?);
        self.get_query(&path, &pairs).await
    }

    /// `GET /v1/reports`: a promotion metric by a dimension over a period.
    pub async fn get_report(&self, pairs: &[(&str, String)]) -> Result<v1::Report, ClientError> {
        self.get_query("/v1/reports", pairs).await
    }

    /// `GET /v1/transactions/{id}`.
    pub async fn get_transaction(&self, id: &str) -> Result<v1::Transaction, ClientError> {
        self.get_json(&format!("/v1/transactions/{}", segment(id)?))
            .await
    }

    /// `POST /v1/payments` (practice). A wrong password is a final `Rejected` that still
    /// counted: a new attempt is a new request with a new key.
    pub async fn pay(
        &self,
        key: &str,
        payment: &v1::PaymentRequest,
    ) -> Result<v1::Transaction, ClientError> {
        self.post_json("/v1/payments", key, payment).await
    }

    /// `POST /v1/practice-payments` (1.11.0). A refusal that carries the core's count of
    /// tries left (a wrong password, a frozen practice wallet) is answered as `Ok(Err(..))`
    /// with the problem, so the console explains the core's count; any other refusal is an
    /// error. Retried under the one key: a repeat is a replay at the core, never a second try.
    pub async fn post_practice_payment(
        &self,
        key: &str,
        payment: &v1::PracticePaymentRequest,
    ) -> Result<Result<v1::PracticePayment, v1::Problem>, ClientError> {
        self.retrying(|| self.practice_pay_once(key, payment)).await
    }

    async fn practice_pay_once(
        &self,
        key: &str,
        payment: &v1::PracticePaymentRequest,
    ) -> Result<Result<v1::PracticePayment, v1::Problem>, ClientError> {
        if !v1::is_valid_idempotency_key(key) {
            return Err(ClientError::Rejected {
                status: 400,
                title: "the idempotency key must be 1 to 128 visible ASCII characters".to_owned(),
            });
        }
        let path = "/v1/practice-payments";
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .header(v1::IDEMPOTENCY_KEY_HEADER, key)
            .json(payment)
            .send()
            .await
            .map_err(ClientError::from_reqwest)?;
        let status = response.status();
        let body = response.bytes().await.map_err(ClientError::from_reqwest)?;
        if status.is_client_error()
            && let Ok(problem) = serde_json::from_slice::<v1::Problem>(&body)
            && problem.tries_remaining.is_some()
        {
            return Ok(Err(problem));
        }
        if !status.is_success() {
            return Err(ClientError::from_status(status, &body));
        }
        serde_json::from_slice(&body)
            .map(Ok)
            .map_err(|err| ClientError::BadBody(format!("{path}: {err}")))
    }

    /// `POST /v1/practice-payments/{id}/reversal` (1.11.0).
    pub async fn reverse_practice_payment(
        &self,
        key: &str,
        id: &str,
    ) -> Result<v1::PracticePayment, ClientError> {
        self.post_json(
            &format!("/v1/practice-payments/{}/reversal", segment(id)?),
            key,
            &v1::Empty {},
        )
        .await
    }

    /// `GET /v1/articles/{id}`.
    pub async fn get_article(&self, id: &str) -> Result<v1::Article, ClientError> {
        self.get_json(&format!("/v1/articles/{}", segment(id)?))
            .await
    }

    /// `POST /v1/articles/{id}/draft`.
    pub async fn save_article_draft(
        &self,
        key: &str,
        id: &str,
        draft: &v1::ArticleDraft,
    ) -> Result<v1::Article, ClientError> {
        let path = format!("/v1/articles/{}/draft", segment(id)?);
        self.post_json(&path, key, draft).await
    }

    /// `POST /v1/articles/{id}/publish`.
    pub async fn publish_article(
        &self,
        key: &str,
        id: &str,
        publication: &v1::ArticlePublication,
    ) -> Result<v1::Article, ClientError> {
        let path = format!("/v1/articles/{}/publish", segment(id)?);
        self.post_json(&path, key, publication).await
    }

    /// `POST /v1/articles/{id}/flags`.
    pub async fn flag_article(
        &self,
        key: &str,
        id: &str,
        flag: &v1::NewArticleFlag,
    ) -> Result<v1::ArticleFlag, ClientError> {
        let path = format!("/v1/articles/{}/flags", segment(id)?);
        self.post_json(&path, key, flag).await
    }

    /// `POST /v1/complaints`.
    pub async fn register_complaint(
        &self,
        key: &str,
        complaint: &v1::NewComplaint,
    ) -> Result<v1::Complaint, ClientError> {
        self.post_json("/v1/complaints", key, complaint).await
    }

    /// `GET /v1/complaints/{id}`.
    pub async fn get_complaint(&self, id: &str) -> Result<v1::Complaint, ClientError> {
        self.get_json(&format!("/v1/complaints/{}", segment(id)?))
            .await
    }

    /// `POST /v1/complaints/{id}/status`.
    pub async fn set_complaint_status(
        &self,
        key: &str,
        id: &str,
        change: &v1::ComplaintStatusChange,
    ) -> Result<v1::Complaint, ClientError> {
        let path = format!("/v1/complaints/{}/status", segment(id)?);
        self.post_json(&path, key, change).await
    }

    /// `POST /v1/incentives/claims`.
    pub async fn claim_incentive(
        &self,
        key: &str,
        claim: &v1::NewIncentiveClaim,
    ) -> Result<v1::IncentiveClaim, ClientError> {
        self.post_json("/v1/incentives/claims", key, claim).await
    }

    /// `POST /v1/campaigns`: creates the campaign, or replaces it whole.
    pub async fn save_campaign(
        &self,
        key: &str,
        campaign: &v1::CampaignSave,
    ) -> Result<v1::Campaign, ClientError> {
        self.post_json("/v1/campaigns", key, campaign).await
    }

    /// `POST /v1/booths`: creates the booth, or replaces it whole.
    pub async fn save_booth(
        &self,
        key: &str,
        booth: &v1::BoothSave,
    ) -> Result<v1::Booth, ClientError> {
        self.post_json("/v1/booths", key, booth).await
    }

    /// `POST /v1/disputes`.
    pub async fn open_dispute(
        &self,
        key: &str,
        dispute: &v1::NewDispute,
    ) -> Result<v1::Dispute, ClientError> {
        self.post_json("/v1/disputes", key, dispute).await
    }

    /// `GET /v1/disputes/{id}`.
    pub async fn get_dispute(&self, id: &str) -> Result<v1::Dispute, ClientError> {
        self.get_json(&format!("/v1/disputes/{}", segment(id)?))
            .await
    }

    /// `POST /v1/disputes/{id}/evidence`.
    pub async fn add_dispute_evidence(
        &self,
        key: &str,
        id: &str,
        evidence: &v1::NewEvidence,
    ) -> Result<v1::Dispute, ClientError> {
        self.dispute_step(key, id, "evidence", evidence).await
    }

    /// `POST /v1/disputes/{id}/provisional-credit`.
    pub async fn give_provisional_credit(
        &self,
        key: &str,
        id: &str,
    ) -> Result<v1::Dispute, ClientError> {
        self.dispute_step(key, id, "provisional-credit", &v1::Empty {})
            .await
    }

    /// `POST /v1/disputes/{id}/decision`.
    pub async fn decide_dispute(
        &self,
        key: &str,
        id: &str,
        decision: &v1::DisputeDecision,
    ) -> Result<v1::Dispute, ClientError> {
        self.dispute_step(key, id, "decision", decision).await
    }

    /// `POST /v1/disputes/{id}/reverse`.
    pub async fn reverse_provisional_credit(
        &self,
        key: &str,
        id: &str,
    ) -> Result<v1::Dispute, ClientError> {
        self.dispute_step(key, id, "reverse", &v1::Empty {}).await
    }

    /// `POST /v1/disputes/{id}/chargeback`.
    pub async fn file_chargeback(
        &self,
        key: &str,
        id: &str,
        request: &v1::ChargebackRequest,
    ) -> Result<v1::Dispute, ClientError> {
        self.dispute_step(key, id, "chargeback", request).await
    }

    async fn dispute_step<B: serde::Serialize>(
        &self,
        key: &str,
        id: &str,
        step: &str,
        body: &B,
    ) -> Result<v1::Dispute, ClientError> {
        let path = format!("/v1/disputes/{}/{step}", segment(id)?);
        self.post_json(&path, key, body).await
    }

    async fn get_query<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        pairs: &[(&str, String)],
    ) -> Result<T, ClientError> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base_url))
            .map_err(|err| ClientError::Setup(err.to_string()))?;
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let request = self.http.get(url);
        self.send_json(path, request).await
    }

    /// Like `post_json`, for any write method.
    async fn write_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        if method == Method::POST {
            return self.post_json(path, key, body).await;
        }
        if !v1::is_valid_idempotency_key(key) {
            return Err(ClientError::Rejected {
                status: 400,
                title: "the idempotency key must be 1 to 128 visible ASCII characters".to_owned(),
            });
        }
        // Keyed, so a retry is a replay at the core: retried like the POSTs.
        self.retrying(|| {
            let request = self
                .http
                .request(method.clone(), format!("{}{path}", self.base_url))
                .header(v1::IDEMPOTENCY_KEY_HEADER, key)
                .json(body);
            self.send_json(path, request)
        })
        .await
    }
}
