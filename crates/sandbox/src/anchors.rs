//! Audit anchors: `PUT /v1/audit-anchor` stores the head of the calling console's audit trail,
//! `GET /v1/audit-anchor` answers it. The console is who its bearer token says it is (see
//! [`crate::auth::Console`]); a head never goes back, so a console whose trail was cut or
//! rewritten cannot make the core forget the head it anchored before.

use crate::auth::Console;
use crate::http::{AppState, Problem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{SecondsFormat, Utc};
use walletdesk_corebank::v1;

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "audit anchor store access failed");
    Problem::internal()
}

fn none_yet() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some("this console has not anchored an audit head yet".to_owned()),
    )
}

async fn held(state: &AppState, console: &Console) -> Result<Option<v1::AuditAnchor>, Problem> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT sequence, head_hash, anchored_at FROM audit_anchors WHERE console = ?",
    )
    .bind(console.id())
    .fetch_optional(state.store.pool())
    .await
    .map_err(internal)?;
    Ok(
        row.map(|(sequence, head_hash, anchored_at)| v1::AuditAnchor {
            sequence,
            head_hash,
            anchored_at,
        }),
    )
}

/// `GET /v1/audit-anchor`.
pub async fn get(
    State(state): State<AppState>,
    Extension(console): Extension<Console>,
) -> Result<Json<v1::AuditAnchor>, Problem> {
    held(&state, &console).await?.map(Json).ok_or_else(none_yet)
}

/// `PUT /v1/audit-anchor`.
pub async fn put(
    State(state): State<AppState>,
    Extension(console): Extension<Console>,
    crate::extract::Json(head): crate::extract::Json<v1::AuditAnchorRequest>,
) -> Result<Json<v1::AuditAnchor>, Problem> {
    let previous_ok = head
        .previous_hash
        .as_deref()
        .is_none_or(v1::is_valid_head_hash)
        && head.previous_sequence.is_none_or(|seq| seq >= 1);
    if head.sequence < 1 || !v1::is_valid_head_hash(&head.head_hash) || !previous_ok {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "Validation failed",
            Some(
                "sequence and previousSequence: 1 or more; headHash and previousHash: 64 \
                 lowercase hex digits"
                    .to_owned(),
            ),
        ));
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    // Each statement is atomic, and the row they leave decides the answer, so two PUTs
    // racing cannot both pass a check made before a write. The first head is taken as it is;
    // a later one only when it names the held head as its previous one and goes forward.
    sqlx::query(
        "INSERT INTO audit_anchors (console, sequence, head_hash, anchored_at) \
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (console) DO NOTHING",
    )
    .bind(console.id())
    .bind(head.sequence)
    .bind(&head.head_hash)
    .bind(&now)
    .execute(state.store.pool())
    .await
    .map_err(internal)?;
    sqlx::query(
        "UPDATE audit_anchors SET sequence = ?2, head_hash = ?3, anchored_at = ?4 \
         WHERE console = ?1 AND ?2 > sequence AND sequence = ?5 AND head_hash = ?6",
    )
    .bind(console.id())
    .bind(head.sequence)
    .bind(&head.head_hash)
    .bind(&now)
    .bind(head.previous_sequence)
    .bind(head.previous_hash.as_deref())
    .execute(state.store.pool())
    .await
    .map_err(internal)?;
    let stored = held(&state, &console)
        .await?
        .ok_or_else(|| internal("row vanished"))?;
    if stored.sequence == head.sequence && stored.head_hash == head.head_hash {
        return Ok(Json(stored));
    }
    tracing::warn!(
        sent = head.sequence,
        held = stored.sequence,
        "refused an audit head that does not extend the one held"
    );
    let why = if head.sequence < stored.sequence {
        "a lower record".to_owned()
    } else if head.sequence == stored.sequence {
        "the same record with another hash".to_owned()
    } else {
        format!(
            "a head whose previous ({}) is not the held one",
            head.previous_sequence
                .map_or_else(|| "none given".to_owned(), |seq| format!("record {seq}"))
        )
    };
    Err(Problem::new(
        StatusCode::CONFLICT,
        "audit-anchor-behind",
        "Audit head does not extend the anchored one",
        Some(format!(
            "this console anchored record {} before and sent {why}: the audit trail was cut \
             or rewritten",
            stored.sequence
        )),
    ))
}
