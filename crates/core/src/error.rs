//! One error type for everything core does, and the `{code, message}` shape it takes at the edge.
//!
//! Inside core, functions return [`Error`]; its variants carry enough to log. At the boundary it
//! becomes an [`ApiError`]: a stable [`Code`] the UI translates, and a short English message for
//! logs and developers. Internals (SQL text, paths, hashes) never reach the screen.

use serde::Serialize;
use ts_rs::TS;

/// The stable set of error codes the UI knows how to translate. Add sparingly: each new code
/// needs a translation in every locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    InvalidInput,
    WeakPassword,
    UsernameTaken,
    BadCredentials,
    AccountLocked,
    NotSignedIn,
    SessionLocked,
    /// An administrator asked this staff member for a new password: nothing else until it is set.
    PasswordChangeRequired,
    Forbidden,
    NotFound,
    Conflict,
    CoreUnavailable,
    /// The core refuses this console's token: an administrator must provision a new one.
    CoreUnauthorized,
    /// The local store does not open with this console's data key (another key, or a damaged
    /// file): nothing was changed; the administrator restores the right `data.key` or a backup.
    StoreUnreadable,
    /// `data.key` is gone while the store holds what only it opens: start-up stops rather
    /// than make a new key and lose that; the administrator restores the key file.
    DataKeyMissing,
    /// The disk (or the store's size limit) is full: the step was not saved, what was saved
    /// before is intact; free space and try again.
    DiskFull,
    Internal,
}

/// One input core refused: the field as the command's input names it (camelCase), and a
/// stable reason code the UI translates (`errors.detail.<code>`) and marks the field with.
/// The UI reads these, never the message: a message is for logs and may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

/// What crosses the Tauri boundary when a command fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    /// The fields core refused, each with its reason; empty when the refusal is not about a
    /// particular input.
    pub fields: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Specific fields refused, each with a stable reason code (`invalid_input` at the edge).
    #[error("invalid input: {}", list(.0))]
    InvalidFields(Vec<FieldError>),
    /// The step conflicts with the state of what a field names (e.g. `staff: last_admin`).
    #[error("conflict: {0}")]
    ConflictOn(FieldError),
    #[error("password does not meet the policy: {0}")]
    WeakPassword(String),
    #[error("username already taken")]
    UsernameTaken,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked after repeated failed sign-ins")]
    AccountLocked,
    #[error("not signed in")]
    NotSignedIn,
    #[error("session locked after inactivity")]
    SessionLocked,
    #[error("a new password must be set first")]
    PasswordChangeRequired,
    #[error("not permitted for this role")]
    Forbidden,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("core bank unavailable: {0}")]
    CoreUnavailable(String),
    #[error("core bank does not accept this console's token: {0}")]
    CoreUnauthorized(String),
    #[error(
        "the local store cannot be opened with this console's data key (another key or a damaged file)"
    )]
    StoreUnreadable,
    #[error("the data key (data.key) is missing and the local store holds data only it opens")]
    DataKeyMissing,
    #[error(transparent)]
    Complaint(#[from] crate::complaints::ComplaintError),
    #[error("storage error")]
    Store(#[from] sqlx::Error),
    #[error("migration error")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn list(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    /// One field refused with a reason code, e.g. `Error::field("mobile", "mobile_invalid")`.
    pub fn field(field: &str, code: &str) -> Error {
        Error::InvalidFields(vec![FieldError::new(field, code)])
    }

    /// A conflict with what `field` names, with a reason code.
    pub fn conflict_on(field: &str, code: &str) -> Error {
        Error::ConflictOn(FieldError::new(field, code))
    }

    /// The fields this error refuses, for the UI to mark.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Error::InvalidFields(fields) => fields.clone(),
            Error::ConflictOn(field) => vec![field.clone()],
            Error::Complaint(e) => {
                let (field, code) = e.detail();
                vec![FieldError::new(field, code)]
            }
            _ => Vec::new(),
        }
    }
}

/// SQLITE_FULL (13): the disk, or the store's page limit, has no room for the write.
fn is_full(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| c & 0xff == 13),
        _ => false,
    }
}

impl Error {
    pub fn code(&self) -> Code {
        match self {
            Error::InvalidInput(_) | Error::InvalidFields(_) => Code::InvalidInput,
            Error::ConflictOn(_) => Code::Conflict,
            Error::WeakPassword(_) => Code::WeakPassword,
            Error::UsernameTaken => Code::UsernameTaken,
            Error::BadCredentials => Code::BadCredentials,
            Error::AccountLocked => Code::AccountLocked,
            Error::NotSignedIn => Code::NotSignedIn,
            Error::SessionLocked => Code::SessionLocked,
            Error::PasswordChangeRequired => Code::PasswordChangeRequired,
            Error::Forbidden => Code::Forbidden,
            Error::NotFound(_) => Code::NotFound,
            Error::Conflict(_) => Code::Conflict,
            Error::CoreUnavailable(_) => Code::CoreUnavailable,
            Error::CoreUnauthorized(_) => Code::CoreUnauthorized,
            Error::StoreUnreadable => Code::StoreUnreadable,
            Error::DataKeyMissing => Code::DataKeyMissing,
            Error::Complaint(e) => e.code(),
            Error::Store(err) if is_full(err) => Code::DiskFull,
            Error::Store(_) | Error::Migrate(_) | Error::Internal(_) => Code::Internal,
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let code = err.code();
        let fields = err.fields();
        // Internal details go to the log, not to the screen.
        let message = if code == Code::DiskFull {
            tracing::error!(error = ?err, "the disk is full");
            "the disk is full: nothing of this step was saved".to_owned()
        } else if code == Code::Internal {
            tracing::error!(error = ?err, "internal error");
            "internal error".to_owned()
        } else {
            err.to_string()
        };
        ApiError {
            code,
            message,
            fields,
        }
    }
}

/// A live call to the core that failed: unreachable (try again later), refused (the core's
/// reason, shown as a conflict), or this console's token refused.
impl From<crate::corelink::LinkError> for Error {
    fn from(err: crate::corelink::LinkError) -> Error {
        use crate::corelink::LinkError;
        match err {
            LinkError::Unreachable(reason) => Error::CoreUnavailable(reason),
            LinkError::Refused(reason) => Error::Conflict(reason),
            LinkError::Unauthorized(reason) => Error::CoreUnauthorized(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_do_not_cross_the_boundary() {
        let err = Error::Store(sqlx::Error::Protocol("SELECT secret FROM x".into()));
        let api = ApiError::from(err);
        assert_eq!(api.code, Code::Internal);
        assert!(!api.message.contains("secret"));
    }

    #[test]
    fn a_refused_token_has_its_own_code() {
        use crate::corelink::LinkError;
        let code = |e: LinkError| Error::from(e).code();
        assert_eq!(
            code(LinkError::Unauthorized("401".into())),
            Code::CoreUnauthorized
        );
        assert_eq!(
            code(LinkError::Unreachable("down".into())),
            Code::CoreUnavailable
        );
        assert_eq!(code(LinkError::Refused("no".into())), Code::Conflict);
    }

    #[test]
    fn codes_serialise_as_snake_case() {
        let json = serde_json::to_string(&ApiError {
            code: Code::SessionLocked,
            message: "m".into(),
            fields: Vec::new(),
        })
        .expect("serialise");
        assert_eq!(
            json,
            r#"{"code":"session_locked","message":"m","fields":[]}"#
        );
    }

    #[test]
    fn a_refused_field_crosses_with_its_name_and_reason_code() {
        let api = ApiError::from(Error::field("mobile", "mobile_invalid"));
        assert_eq!(api.code, Code::InvalidInput);
        assert_eq!(
            api.fields,
            vec![FieldError::new("mobile", "mobile_invalid")]
        );
        let api = ApiError::from(Error::conflict_on("staff", "last_admin"));
        assert_eq!(api.code, Code::Conflict);
        assert_eq!(api.fields, vec![FieldError::new("staff", "last_admin")]);
        // A refusal about no particular field marks none.
        assert!(ApiError::from(Error::Forbidden).fields.is_empty());
    }
}
