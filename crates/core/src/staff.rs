//! Staff accounts: argon2id password hashes, the password policy and the sign-in lock-out.

use crate::access::Role;
use crate::error::{Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use ts_rs::TS;

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewStaffInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffSummary {
    #[ts(type = "number")]
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub locked_until: Option<String>,
    /// Set by an administrator: the next sign-in must set a new password first.
    pub must_change_password: bool,
    /// The branch a supervisor answers for (Insights shows that branch's numbers); none:
    /// head office, every branch. Set by an administrator, for supervisors only.
    pub branch: Option<String>,
    /// Whether `staff_set_branch` takes this account (a supervisor's), for the screen to offer.
    pub branch_settable: bool,
}

/// A staff row as sign-in needs it.
#[derive(Debug, Clone)]
pub struct StaffRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub branch: Option<String>,
}

/// argon2id with one of OWASP's equivalent minimum profiles: 7 MiB, 5 passes, 1 lane. The
/// low-memory profile is chosen on purpose: glibc keeps a freed argon2 buffer in the arena of
/// the thread that used it, and the 19 MiB profile left the idle app ~80 MB heavier after a
/// handful of sign-ins (measured; docs/performance.md). Stored hashes carry their own
/// parameters, so hashes made with another profile still verify.
fn hasher() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(7 * 1024, 5, 1, None).unwrap_or_default(),
    )
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("hashing failed: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Burns the same time as a real verification, so an unknown username cannot be told apart
/// from a wrong password by timing.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash_password("walletdesk-dummy-password").unwrap_or_default());
    let _ = verify_password(password, phc);
}

pub fn check_password_policy(username: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Error::WeakPassword(format!(
            "at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Error::WeakPassword(format!(
            "at most {MAX_PASSWORD_CHARS} characters"
        )));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(Error::WeakPassword("must differ from the username".into()));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return Err(Error::WeakPassword("too few different characters".into()));
    }
    Ok(())
}

/// Lower-cases and checks a username: 3-32 of a-z, 0-9, '.', '_', '-'.
pub fn normalise_username(username: &str) -> Result<String> {
    let name = username.trim().to_ascii_lowercase();
    let ok_len = (3..=32).contains(&name.len());
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok_len && ok_chars {
        Ok(name)
    } else {
        Err(Error::InvalidInput(
            "username: 3-32 letters, digits, '.', '_' or '-'".into(),
        ))
    }
}

fn check_display_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Error::InvalidInput("display name: 1-60 characters".into()));
    }
    Ok(name.to_owned())
}

/// Validated fields of a new account, ready to insert. Hashing happens here, outside any
/// transaction, because argon2 is deliberately slow.
#[derive(Debug)]
pub struct PreparedStaff {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    password_hash: String,
}

pub fn prepare(input: &NewStaffInput) -> Result<PreparedStaff> {
    let username = normalise_username(&input.username)?;
    let display_name = check_display_name(&input.display_name)?;
    check_password_policy(&username, &input.password)?;
    Ok(PreparedStaff {
        username,
        display_name,
        role: input.role,
        password_hash: hash_password(&input.password)?,
    })
}

pub async fn insert(
    conn: &mut SqliteConnection,
    staff: &PreparedStaff,
    now: DateTime<Utc>,
) -> Result<i64> {
    let result = sqlx::query(
        "INSERT INTO staff (username, display_name, role, password_hash, created_at) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&staff.username)
    .bind(&staff.display_name)
    .bind(staff.role.as_str())
    .bind(&staff.password_hash)
    .bind(crate::audit::timestamp(now))
    .execute(&mut *conn)
    .await;
    match result {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(Error::UsernameTaken),
        Err(other) => Err(other.into()),
    }
}

fn parse_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

type StaffRow = (
    i64,
    String,
    String,
    String,
    String,
    bool,
    Option<String>,
    bool,
    Option<String>,
);

const STAFF_COLUMNS: &str = "id, username, display_name, role, password_hash, active, locked_until, \
     must_change_password, branch";

fn from_row(row: StaffRow) -> Result<StaffRecord> {
    let (
        id,
        username,
        display_name,
        role,
        password_hash,
        active,
        locked_until,
        must_change,
        branch,
    ) = row;
    let role = Role::parse(&role)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown role in store: {role}")))?;
    Ok(StaffRecord {
        id,
        username,
        display_name,
        role,
        password_hash,
        active,
        locked_until: parse_time(locked_until),
        must_change_password: must_change,
        branch,
    })
}

pub async fn find_by_username(pool: &SqlitePool, username: &str) -> Result<Option<StaffRecord>> {
    let row: Option<StaffRow> = sqlx::query_as(&format!(
        "SELECT {STAFF_COLUMNS} FROM staff WHERE username = ?"
    ))
    .bind(username.trim())
    .fetch_optional(pool)
    .await?;
    row.map(from_row).transpose()
}

pub async fn find_by_id(pool: &SqlitePool, id: i64) -> Result<StaffRecord> {
    find_by_id_in(&mut *pool.acquire().await?, id).await
}

/// One account inside a transaction, as the lifecycle commands re-read it before changing it.
pub async fn find_by_id_in(conn: &mut SqliteConnection, id: i64) -> Result<StaffRecord> {
    let row: Option<StaffRow> =
        sqlx::query_as(&format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(from_row)
        .transpose()?
        .ok_or_else(|| Error::NotFound(format!("staff {id}")))
}

pub async fn admin_exists(pool: &SqlitePool) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin')")
            .fetch_one(pool)
            .await?,
    )
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<StaffSummary>> {
    let rows: Vec<StaffRow> = sqlx::query_as(&format!(
        "SELECT {STAFF_COLUMNS} FROM staff ORDER BY role, username"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| from_row(row).map(|r| r.summary()))
        .collect()
}

/// Only a supervisor answers for a branch: other roles' Insights are their own numbers
/// (`insights::scope::Scope::of`), whatever branch they work at.
pub fn branch_settable(role: Role) -> bool {
    role == Role::Supervisor
}

impl StaffRecord {
    /// What the staff screen shows: never the hash.
    pub fn summary(&self) -> StaffSummary {
        StaffSummary {
            staff_id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            active: self.active,
            locked_until: self.locked_until.map(crate::audit::timestamp),
            must_change_password: self.must_change_password,
            branch: self.branch.clone(),
            branch_settable: branch_settable(self.role),
        }
    }
}

/// A sign-in attempt that holds its place in the failure count while its password is hashed.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The hash as it stands now (not as read before the reservation: a password changed in
    /// between is the one checked).
    pub password_hash: String,
    pub active: bool,
    /// This attempt was the `threshold`-th in a row: the account is locked from now on, and
    /// stays locked unless this very attempt turns out to hold the right password.
    pub locks: bool,
}

/// Reserves one attempt against the lock-out BEFORE the (slow) password check, in one UPDATE,
/// so the count cannot be overtaken by parallel attempts: each one is counted as a failure up
/// front and only a right password gives its place back (see [`record_success`]). The
/// `threshold`-th reservation locks the account until `lock_until` and restarts the count, so
/// the next lock-out again needs a full run. `None`: the account is locked, and the attempt
/// must be refused without checking the password.
///
/// Read before hashing and written after (as it was), twenty parallel tries all saw an
/// unlocked account and all were checked: four lock-outs' worth, and a right password among
/// them got in.
pub async fn reserve_attempt(
    conn: &mut SqliteConnection,
    staff_id: i64,
    now: DateTime<Utc>,
    threshold: i64,
    lock_until: DateTime<Utc>,
) -> Result<Option<Attempt>> {
    // SQLite evaluates every SET expression against the row as it was before the UPDATE.
    let row: Option<(bool, bool, String)> = sqlx::query_as(
        "UPDATE staff SET \
            failed_attempts = CASE WHEN failed_attempts + 1 >= ?1 THEN 0 ELSE failed_attempts + 1 END, \
            locked_until = CASE WHEN failed_attempts + 1 >= ?1 THEN ?2 ELSE NULL END \
         WHERE id = ?3 AND (locked_until IS NULL OR locked_until <= ?4) \
         RETURNING locked_until IS NOT NULL, active, password_hash",
    )
    .bind(threshold)
    .bind(crate::audit::timestamp(lock_until))
    .bind(staff_id)
    .bind(crate::audit::timestamp(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(locks, active, password_hash)| Attempt {
        password_hash,
        active,
        locks,
    }))
}

/// A right password: the count restarts and any lock set meanwhile by a parallel wrong
/// attempt is lifted (the owner proved who they are). Returns the account as it now stands,
/// or `None` if it was deactivated while the password was being checked.
pub async fn record_success(
    conn: &mut SqliteConnection,
    staff_id: i64,
) -> Result<Option<StaffRecord>> {
    let row: Option<StaffRow> = sqlx::query_as(&format!(
        "UPDATE staff SET failed_attempts = 0, locked_until = NULL \
         WHERE id = ? AND active = 1 RETURNING {STAFF_COLUMNS}"
    ))
    .bind(staff_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(from_row).transpose()
}

// ---- lifecycle ----------------------------------------------------------------------------

/// Active administrators, counted inside the caller's write transaction (the store has one
/// writer, so the count cannot change before the caller's update commits).
pub async fn active_admins(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'admin' AND active = 1")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Deactivates or reactivates. Reactivation starts from a clean failure count: a lock earned
/// while the account was off says nothing about its owner.
pub async fn set_active(conn: &mut SqliteConnection, id: i64, active: bool) -> Result<()> {
    let sql = if active {
        "UPDATE staff SET active = 1, failed_attempts = 0, locked_until = NULL WHERE id = ?"
    } else {
        "UPDATE staff SET active = 0 WHERE id = ?"
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn set_role(conn: &mut SqliteConnection, id: i64, role: Role) -> Result<()> {
    sqlx::query("UPDATE staff SET role = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The branch a supervisor answers for; `None`: head office.
pub async fn set_branch(conn: &mut SqliteConnection, id: i64, branch: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE staff SET branch = ? WHERE id = ?")
        .bind(branch)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn require_password_change(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE staff SET must_change_password = 1 WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A new password, hashed beforehand by [`prepare_password`]; lifts a required change.
pub async fn set_password(
    conn: &mut SqliteConnection,
    id: i64,
    password: &NewPassword,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE staff SET password_hash = ?, must_change_password = 0, password_changed_at = ? \
         WHERE id = ?",
    )
    .bind(&password.hash)
    .bind(crate::audit::timestamp(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A new password that meets the policy, hashed (slowly, so outside any transaction).
#[derive(Debug)]
pub struct NewPassword {
    hash: String,
}

pub fn prepare_password(username: &str, current: &str, new: &str) -> Result<NewPassword> {
    check_password_policy(username, new)?;
    if new == current {
        return Err(Error::WeakPassword(
            "must differ from the current password".into(),
        ));
    }
    Ok(NewPassword {
        hash: hash_password(new)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterx", &a));
        assert!(!verify_password("anything", "not a phc string"));
        // A hash made with the 19 MiB profile (another deployment's) still verifies.
        let other = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(19 * 1024, 2, 1, None).expect("params"),
        );
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let old = other
            .hash_password(b"correct horse battery", &salt)
            .expect("hash")
            .to_string();
        assert!(verify_password("correct horse battery", &old));
    }

    #[test]
    fn password_policy() {
        assert!(check_password_policy("li.na", "short").is_err());
        assert!(check_password_policy("li.na", "aaaaaaaaaaaa").is_err());
        assert!(check_password_policy("li.na.teller", "LI.NA.TELLER").is_err());
        assert!(check_password_policy("li.na", "counter-2026-ok").is_ok());
    }

    #[test]
    fn a_new_password_meets_the_policy_and_differs_from_the_current_one() {
        assert!(prepare_password("li.na", "counter-2026-ok", "counter-2026-ok").is_err());
        assert!(prepare_password("li.na", "counter-2026-ok", "short").is_err());
        let new = prepare_password("li.na", "counter-2026-ok", "counter-2027-ok").expect("ok");
        assert!(verify_password("counter-2027-ok", &new.hash));
    }

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(normalise_username("  Li.Na ").expect("ok"), "li.na");
        assert!(normalise_username("ab").is_err());
        assert!(normalise_username("li na").is_err());
        assert!(normalise_username("李娜").is_err());
    }
}
