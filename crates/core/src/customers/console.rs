//! Customer commands: search, the Customer 360, and counter work on an existing customer.
//!
//! Counter work (tier, card, renewed ID, consent withdrawal) is queued for the core through
//! the outbox in the same transaction as its audit record; the core's answer reaches the
//! read model through the change feed, and a refusal waits on the Sync screen.

use super::profile::{
    self, CardLinkInput, ConsentWithdrawalInput, CustomerLive, CustomerNote, CustomerProfile,
    IdCardPolicy, IdCardStatus, IdRenewalInput, NoteInput, QueuedChange, RevealInput, RevealedId,
    TierChangeInput,
};
use super::search::{self, CustomerHit, SearchQuery};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console};
use crate::domain::CardNumber;
use crate::error::{Error, Result};
use crate::onboarding::rules::{self, Missing, OnboardingPolicy, TierOption};
use crate::sync::outbox::{self, NewOperation};
use chrono::NaiveDate;
use serde_json::json;

/// Movements shown in the 360: enough for "what was that payment yesterday".
const RECENT_TRANSACTIONS: usize = 10;
/// Audit records shown in the 360's history.
const HISTORY: u32 = 30;
const MAX_NOTE_CHARS: usize = 1000;

/// What a change of a `current`-tier wallet to each tier still needs at the counter, as
/// `wallet_change_tier` decides it: a downgrade (and the current tier) needs no evidence (the
/// core refuses a downgrade while the balance is over the lower cap), and the in-person ID
/// check is what the change dialog itself asks for.
fn change_options(current: u8, options: Vec<TierOption>) -> Vec<TierOption> {
    options
        .into_iter()
        .map(|mut option| {
            if option.tier >= current {
                option.missing.clear();
            }
            option.missing.retain(|m| *m != Missing::InPersonIdCheck);
            option
        })
        .collect()
}

impl Console {
    /// Search while typing. Not audited per keystroke (a teller types a dozen characters to
    /// find one person); opening a customer's record is what the trail records.
    pub async fn customer_search(&self, query: SearchQuery) -> Result<Vec<CustomerHit>> {
        self.authorize(Permission::ViewCustomers).await?;
        let today = crate::clock::local_date(self.now());
        search::search(
            self.store().read(),
            self.engine()?.sealer(),
            today,
            &query.text,
        )
        .await
    }

    /// The Customer 360 from the local read model (works offline). Opening it is audited:
    /// the trail says who looked at whom.
    pub async fn customer_profile(&self, id: String) -> Result<CustomerProfile> {
        let actor = self.authorize(Permission::ViewCustomers).await?;
        let today = crate::clock::local_date(self.now());
        let mut conn = self.store().read().acquire().await?;
        let customer = profile::customer(&mut conn, self.engine()?.sealer(), &id).await?;
        let id_card = IdCardStatus::on(customer.id_expires_on, today, IdCardPolicy::default());
        let aggregate = customer.aggregate();

        let cards: Vec<_> = profile::records(&mut conn, &id, "card")
            .await?
            .iter()
            .map(profile::card_from)
            .collect();
        let mut wallets = Vec::new();
        for value in profile::records(&mut conn, &id, "wallet").await? {
            let mut wallet = profile::wallet_from(&value)?;
            // The upgrade dialog asks for the in-person check, so the options assume it.
            let evidence =
                profile::tier_evidence(&mut conn, &customer, &wallet.id, today, true).await?;
            wallet.tier_options = change_options(
                wallet.tier,
                rules::tier_options(&evidence, &OnboardingPolicy::default()),
            );
            wallets.push(wallet);
        }
        wallets.sort_by(|a, b| a.opened_at.cmp(&b.opened_at));
        let mut consents: Vec<_> = profile::records(&mut conn, &id, "consent")
            .await?
            .iter()
            .map(profile::consent_from)
            .collect();
        consents.sort_by(|a, b| b.granted_at.cmp(&a.granted_at));
        let mut transactions = profile::records(&mut conn, &id, "transaction")
            .await?
            .iter()
            .map(profile::transaction_from)
            .collect::<Result<Vec<_>>>()?;
        transactions.sort_by(|a, b| b.at.cmp(&a.at));
        transactions.truncate(RECENT_TRANSACTIONS);
        let notes = profile::notes(&mut conn, &id).await?;
        let pending = profile::pending(&mut conn, &aggregate).await?;
        let synced_at: Option<String> =
            sqlx::query_scalar("SELECT last_pull_at FROM sync_state WHERE id = 1")
                .fetch_optional(&mut *conn)
                .await?
                .flatten();
        drop(conn);

        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "customer.viewed",
            )
            .subject("customer", id.clone())
            .customer(id.clone()),
        )
        .await?;
        tx.commit().await?;
        let history = audit::for_customer(self.store().read(), &id, HISTORY).await?;

        let attribution =
            crate::booth::attribution::of_customer(self.store().read(), &customer.id).await?;
        let (elder_rules, elder_calls) = {
            let mut conn = self.store().read().acquire().await?;
            (
                crate::elder::session::load_rules(&mut conn).await?,
                crate::elder::followups::calls_of_customer(&mut conn, &customer.id).await?,
            )
        };
        let age = customer.age_on(today);
        Ok(CustomerProfile {
            attribution,
            // Offered (never forced) from the rules' age, to the staff who run the setup.
            elder_offered: actor.role.may(Permission::AssistElder)
                && age.is_some_and(|a| elder_rules.offers_elder_mode(a)),
            elder_calls,
            masked_mobile: crate::domain::Mobile::parse(&customer.mobile)
                .map(|m| m.masked())
                .unwrap_or_else(|_| "***********".to_owned()),
            age,
            id: customer.id,
            name: customer.name,
            masked_resident_id: customer.masked_resident_id,
            sex: customer.sex,
            customer_since: customer.created_at,
            id_card,
            wallets,
            cards,
            consents,
            transactions,
            notes,
            pending,
            history,
            can_reveal: actor.role.may(Permission::RevealIdentity),
            can_serve: actor.role.may(Permission::ServeCustomer),
            can_withdraw_consent: actor.role.may(Permission::WithdrawConsent),
            can_note: actor.role.may(Permission::NoteCustomer),
            can_change_attribution: actor.role.may(Permission::ChangeAttribution),
            synced_at,
        })
    }

    /// Limits, today's usage and the latest movements, live from the core (online only:
    /// `core_unavailable` offline, and the 360 says so and shows what the feed brought).
    pub async fn customer_live(&self, id: String) -> Result<CustomerLive> {
        self.authorize(Permission::ViewCustomers).await?;
        let wallet_ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM core_records WHERE customer_id = ? AND kind = 'wallet' ORDER BY id",
        )
        .bind(&id)
        .fetch_all(self.store().read())
        .await?;
        let core = self.engine()?.core();
        let mut wallets = Vec::new();
        let mut transactions = Vec::new();
        for wallet in &wallet_ids {
            wallets.push(core.wallet(wallet).await.map_err(Error::from)?);
            transactions.extend(
                core.recent_transactions(wallet, RECENT_TRANSACTIONS as u32)
                    .await
                    .map_err(Error::from)?,
            );
        }
        transactions.sort_by(|a, b| b.at.cmp(&a.at));
        transactions.truncate(RECENT_TRANSACTIONS);
        Ok(CustomerLive {
            wallets,
            transactions,
        })
    }

    /// The whole resident ID, for a role that needs it, with a reason. The reveal is audited
    /// before the number is handed over: no audit record, no number.
    pub async fn customer_reveal_id(&self, input: RevealInput) -> Result<RevealedId> {
        let actor = self.authorize(Permission::RevealIdentity).await?;
        let reason = input.reason.trim();
        if !(2..=200).contains(&reason.chars().count()) {
            return Err(Error::field("reason", "reason_required"));
        }
        let mut conn = self.store().read().acquire().await?;
        let customer =
            profile::customer(&mut conn, self.engine()?.sealer(), &input.customer_id).await?;
        drop(conn);
        let resident_id = self
            .engine()?
            .core()
            .reveal_resident_id(&customer.id, &actor.username, reason)
            .await
            .map_err(Error::from)?;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "customer.id_revealed")
                .subject("customer", customer.id.clone())
                .customer(customer.id)
                .detail(json!({ "reason": reason })),
        )
        .await?;
        tx.commit().await?;
        Ok(RevealedId { resident_id })
    }

    pub async fn customer_add_note(&self, input: NoteInput) -> Result<CustomerNote> {
        let actor = self.authorize(Permission::NoteCustomer).await?;
        let text = input.text.trim();
        if text.is_empty() || text.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::field("text", "note_length"));
        }
        let mut tx = self.store().begin().await?;
        profile::customer(&mut tx, self.engine()?.sealer(), &input.customer_id).await?;
        let at = outbox::timestamp(self.now());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customer_notes (customer_id, staff_id, text, created_at) \
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&input.customer_id)
        .bind(actor.staff_id)
        .bind(text)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        // The note's text stays out of the trail: it may hold what the customer said.
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "customer.note_added")
                .subject("customer_note", id.to_string())
                .customer(input.customer_id.clone())
                .detail(json!({ "length": text.chars().count() })),
        )
        .await?;
        tx.commit().await?;
        let mut conn = self.store().read().acquire().await?;
        profile::notes(&mut conn, &input.customer_id)
            .await?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or_else(|| Error::NotFound(format!("note {id}")))
    }

    /// Moves a wallet to another tier at the counter, under the rules of DOMAIN.md: the age
    /// rule, a valid ID card for tiers 1 to 3, an own bank card for tiers 1 and 2, and the ID
    /// checked in person by the teller for tier 1.
    pub async fn wallet_change_tier(&self, input: TierChangeInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::ServeCustomer).await?;
        if !(1..=4).contains(&input.tier) {
            return Err(Error::field("tier", "tier_range"));
        }
        let today = crate::clock::local_date(self.now());
        let mut tx = self.store().begin().await?;
        let customer =
            profile::customer(&mut tx, self.engine()?.sealer(), &input.customer_id).await?;
        let wallet = self
            .customer_wallet(&mut tx, &customer.id, &input.wallet_id)
            .await?;
        if wallet.tier == input.tier {
            return Err(Error::field("tier", "tier_unchanged"));
        }
        let evidence = profile::tier_evidence(
            &mut tx,
            &customer,
            &wallet.id,
            today,
            input.id_checked_in_person,
        )
        .await?;
        // A downgrade needs no evidence; the core refuses it while the balance is over the
        // lower tier's cap, and that refusal waits on the Sync screen.
        if input.tier < wallet.tier {
            let options = rules::tier_options(&evidence, &OnboardingPolicy::default());
            if let Some(missing) = options
                .iter()
                .find(|o| o.tier == input.tier)
                .and_then(|o| o.missing.first())
            {
                return Err(Error::field("tier", missing_code(*missing)));
            }
        }
        let summary = format!(
            "{}类→{}类钱包 {} {}",
            wallet.tier,
            input.tier,
            masked_name(&customer.name),
            tail(&wallet.id)
        );
        self.finish_counter_work(
            tx,
            &actor,
            &customer,
            CounterWork {
                kind: "wallet.tier",
                subject: ("wallet", wallet.id.clone()),
                body: json!({
                    "tier": input.tier,
                    "inPerson": input.id_checked_in_person,
                    "idVerifiedBy": input.id_checked_in_person.then(|| actor.username.clone()),
                }),
                summary,
                action: "wallet.tier_change_queued",
                detail: json!({ "from": wallet.tier, "to": input.tier,
                    "idCheckedInPerson": input.id_checked_in_person }),
            },
        )
        .await
    }

    /// Links the customer's own bank card to a wallet. The number is checked here (Luhn) and
    /// sent whole only to the core, sealed in the outbox; staff and the trail see the last 4.
    pub async fn wallet_link_card(&self, input: CardLinkInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::ServeCustomer).await?;
        let card = CardNumber::parse(&input.number).map_err(|err| {
            Error::field(
                "number",
                match err {
                    crate::domain::CardNumberError::CheckDigit => "card_check_digit",
                    _ => "card_invalid",
                },
            )
        })?;
        let bank_name = input
            .bank_name
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        let mut tx = self.store().begin().await?;
        let customer =
            profile::customer(&mut tx, self.engine()?.sealer(), &input.customer_id).await?;
        let wallet = self
            .customer_wallet(&mut tx, &customer.id, &input.wallet_id)
            .await?;
        self.finish_counter_work(
            tx,
            &actor,
            &customer,
            CounterWork {
                kind: "card.link",
                subject: ("wallet", wallet.id.clone()),
                body: json!({ "number": card.expose(), "bankName": bank_name }),
                summary: format!(
                    "绑卡 {} {} → {}",
                    card.masked(),
                    masked_name(&customer.name),
                    tail(&wallet.id)
                ),
                action: "wallet.card_link_queued",
                detail: json!({ "card": card.masked() }),
            },
        )
        .await
    }

    /// Records the customer's renewed ID card (its new last valid day): the core lifts the
    /// lowered limits once it knows.
    pub async fn customer_renew_id(&self, input: IdRenewalInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::ServeCustomer).await?;
        if !input.id_checked_in_person {
            return Err(Error::field("idCheckedInPerson", "in_person_required"));
        }
        let today = crate::clock::local_date(self.now());
        let expires = match input.expires_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .filter(|d| *d > today)
                    .ok_or_else(|| Error::field("expiresOn", "expiry_not_future"))?,
            ),
        };
        let mut tx = self.store().begin().await?;
        let customer =
            profile::customer(&mut tx, self.engine()?.sealer(), &input.customer_id).await?;
        let expires_text = expires.map(|d| d.format("%Y-%m-%d").to_string());
        self.finish_counter_work(
            tx,
            &actor,
            &customer,
            CounterWork {
                kind: "customer.update",
                subject: ("customer", customer.id.clone()),
                body: json!({ "idExpiresOn": expires_text }),
                summary: format!(
                    "换证 {} 有效期至 {}",
                    masked_name(&customer.name),
                    expires_text.as_deref().unwrap_or("长期")
                ),
                action: "customer.id_renewal_queued",
                detail: json!({ "expiresOn": expires_text }),
            },
        )
        .await
    }

    /// Withdraws a consent the customer gave (PIPL: as easy as giving it).
    pub async fn consent_withdraw(&self, input: ConsentWithdrawalInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::WithdrawConsent).await?;
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        if reason.as_ref().is_some_and(|r| r.chars().count() > 200) {
            return Err(Error::field("reason", "reason_length"));
        }
        let mut tx = self.store().begin().await?;
        let customer =
            profile::customer(&mut tx, self.engine()?.sealer(), &input.customer_id).await?;
        let consent = profile::records(&mut tx, &customer.id, "consent")
            .await?
            .iter()
            .map(profile::consent_from)
            .find(|c| c.id == input.consent_id)
            .ok_or_else(|| Error::NotFound(format!("consent {}", input.consent_id)))?;
        if consent.status != "granted"
            || profile::queued(
                &mut tx,
                &customer.aggregate(),
                "consent.withdraw",
                &consent.id,
            )
            .await?
        {
            return Err(Error::Conflict(format!(
                "consent {} is {} or its withdrawal is already queued",
                consent.id, consent.status
            )));
        }
        self.finish_counter_work(
            tx,
            &actor,
            &customer,
            CounterWork {
                kind: "consent.withdraw",
                subject: ("consent", consent.id.clone()),
                body: json!({ "reason": reason }),
                summary: format!(
                    "撤回授权 {} {}",
                    masked_name(&customer.name),
                    scope_words(&consent.scope)
                ),
                action: "consent.withdrawal_queued",
                detail: json!({ "scope": consent.scope, "reason": reason }),
            },
        )
        .await
    }

    async fn customer_wallet(
        &self,
        conn: &mut sqlx::SqliteConnection,
        customer_id: &str,
        wallet_id: &str,
    ) -> Result<profile::WalletSummary> {
        profile::records(conn, customer_id, "wallet")
            .await?
            .iter()
            .map(profile::wallet_from)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .find(|w| w.id == wallet_id)
            .ok_or_else(|| Error::NotFound(format!("wallet {wallet_id} of customer {customer_id}")))
    }

    /// Queues counter work for the core and audits it, in the caller's transaction, then
    /// commits and wakes the engine. The audit record names the outbox row it queued.
    async fn finish_counter_work(
        &self,
        mut tx: crate::store::WriteTx,
        actor: &Actor,
        customer: &profile::CustomerRow,
        work: CounterWork,
    ) -> Result<QueuedChange> {
        let engine = self.engine()?;
        let (subject_kind, subject_id) = work.subject;
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: customer.aggregate(),
                kind: work.kind.to_owned(),
                subject: Some(subject_id.clone()),
                body: work.body,
                summary: work.summary.clone(),
                record_ref: Some(format!("customer:{}", customer.id)),
            },
            self.now(),
            Some(actor.staff_id),
        )
        .await?;
        let mut detail = work.detail;
        if let Some(map) = detail.as_object_mut() {
            map.insert("outboxId".to_owned(), json!(outbox_id));
        }
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), work.action)
                .subject(subject_kind, subject_id)
                .customer(customer.id.clone())
                .detail(detail),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        Ok(QueuedChange {
            outbox_id,
            summary: work.summary,
        })
    }
}

/// One piece of counter work: what goes to the core and what the trail records.
struct CounterWork {
    /// The core adapter's kind, e.g. "wallet.tier".
    kind: &'static str,
    /// What it addresses: the audit subject kind and the id the core request names.
    subject: (&'static str, String),
    body: serde_json::Value,
    /// For the Sync screen; no unmasked identity or card number.
    summary: String,
    action: &'static str,
    /// The audit detail (an object; the outbox row's id is added).
    detail: serde_json::Value,
}

/// "张三丰" → "张**": Sync screen summaries are seen by everyone at the branch.
fn masked_name(name: &str) -> String {
    name.trim()
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c } else { '*' })
        .collect()
}

/// The scope in the words of the consent notice, for the Sync screen's summary line.
fn scope_words(scope: &str) -> &str {
    match scope {
        "general-processing" => "个人信息处理",
        "sensitive-financial" => "敏感个人信息",
        "third-party-sharing" => "向第三方提供",
        other => other,
    }
}

/// "…0004": the last four characters of a core-supplied id. By characters, not bytes: the
/// id is the core's text and may hold any character.
fn tail(wallet: &str) -> String {
    let count = wallet.chars().count();
    let last: String = wallet.chars().skip(count.saturating_sub(4)).collect();
    format!("…{last}")
}

fn missing_code(missing: rules::Missing) -> &'static str {
    use rules::Missing as M;
    match missing {
        M::MobileCheck => "mobile_check",
        M::ResidentId => "resident_id",
        M::OwnBankCard => "needs_bank_card",
        M::InPersonIdCheck => "needs_in_person",
        M::TooYoung => "too_young",
        M::IdExpired => "id_expired",
    }
}

#[cfg(test)]
mod tests {
    use super::tail;
    use proptest::prelude::*;

    #[test]
    fn tail_shows_the_last_four_characters() {
        assert_eq!(tail("0001000200030004"), "…0004");
        assert_eq!(tail("钱包甲乙丙丁"), "…甲乙丙丁");
        assert_eq!(tail("w1"), "…w1");
    }

    proptest! {
        #[test]
        fn tail_never_panics_on_any_core_id(id in "\\PC{0,24}") {
            let shown = tail(&id);
            let last: Vec<char> = id.chars().rev().take(4).collect();
            prop_assert!(shown.chars().rev().take(last.len()).eq(last.into_iter()));
        }
    }
}
