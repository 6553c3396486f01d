//! Where the team store is and how a console proves itself to it.
//!
//! From the environment at start-up (never a config file):
//! - `WALLETDESK_TEAM_DB`: the server, as a `postgres://user@host:port/db?sslmode=verify-full`
//!   URL. Unset: no team mode, the console works alone on its SQLite store.
//! - `WALLETDESK_TEAM_DB_CA`: the bank's CA certificate (PEM) the server's is checked against.
//!
//! TLS is rustls (sqlx `tls-rustls-ring-webpki`). Over the network the server's certificate
//! must be verified (`sslmode=verify-full` or `verify-ca`): `prefer`/`require` would send the
//! password to whoever answers. Only a server on this machine (loopback, or a Unix socket)
//! may go without TLS.
//!
//! The password and the team key (which keys the team's audit chain, one for all its
//! consoles) are secrets: given once in `WALLETDESK_TEAM_DB_PASSWORD` and `WALLETDESK_TEAM_KEY`,
//! they are kept in the OS secret store like the core token (`crate::credentials`) and read
//! from there at later starts. A URL holding a password is refused.

use crate::credentials::SecretVault;
use crate::crypto::DataKey;
use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use std::str::FromStr;

pub const TEAM_DB_ENV: &str = "WALLETDESK_TEAM_DB";
pub const TEAM_DB_CA_ENV: &str = "WALLETDESK_TEAM_DB_CA";
pub const TEAM_DB_PASSWORD_ENV: &str = "WALLETDESK_TEAM_DB_PASSWORD";
pub const TEAM_KEY_ENV: &str = "WALLETDESK_TEAM_KEY";
/// The team this console works for (its queue); unset: [`DEFAULT_TEAM`].
pub const TEAM_ENV: &str = "WALLETDESK_TEAM";
/// The team a console joins when none is named: one complaint team per bank is the common case.
pub const DEFAULT_TEAM: &str = "消保投诉处理组";
/// The longest team name (it is shown in queue headings and stored with every case).
pub const TEAM_NAME_MAX: usize = 40;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TeamSettingsError {
    #[error("{TEAM_DB_ENV} is not a postgres:// URL: {0}")]
    BadUrl(String),
    #[error("{TEAM_DB_ENV} holds a password: give it in {TEAM_DB_PASSWORD_ENV} once instead")]
    PasswordInUrl,
    #[error(
        "the team server {0} is reached over the network without a verified certificate: add \
         sslmode=verify-full (and {TEAM_DB_CA_ENV} for the bank's CA)"
    )]
    Unverified(String),
    #[error("no {what} for the team server: give it once in {env}")]
    MissingSecret {
        what: &'static str,
        env: &'static str,
    },
    #[error("{TEAM_KEY_ENV} must be 64 hex digits (a 256-bit key, the same on every console)")]
    BadKey,
    #[error("{TEAM_ENV} must be 1 to {TEAM_NAME_MAX} characters")]
    BadTeam,
    #[error("the OS secret store ({0}) failed: {1}")]
    Vault(String, String),
}

/// The team server, as configured; no secret inside.
#[derive(Debug, Clone)]
pub struct TeamSettings {
    pub options: PgConnectOptions,
    /// "host:port/db", the name its secrets are filed under.
    pub label: String,
    /// The team whose queue this console works (`WALLETDESK_TEAM`).
    pub team: String,
}

fn from_env(name: &str) -> Option<SecretString> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map(SecretString::from)
}

/// The team's name as given: trimmed, full-width spaces included; empty means the default.
pub fn team_name(given: Option<&str>) -> Result<String, TeamSettingsError> {
    let name = given
        .map(|g| g.trim_matches(|c: char| c.is_whitespace()))
        .filter(|g| !g.is_empty())
        .unwrap_or(DEFAULT_TEAM);
    if name.chars().count() > TEAM_NAME_MAX || name.chars().any(char::is_control) {
        return Err(TeamSettingsError::BadTeam);
    }
    Ok(name.to_owned())
}

impl TeamSettings {
    /// `None` when `WALLETDESK_TEAM_DB` is unset: solo mode.
    pub fn from_env() -> Result<Option<TeamSettings>, TeamSettingsError> {
        match std::env::var(TEAM_DB_ENV) {
            Ok(url) if !url.trim().is_empty() => {
                let ca = std::env::var(TEAM_DB_CA_ENV).ok().filter(|v| !v.is_empty());
                let mut settings = TeamSettings::parse(url.trim(), ca.as_deref())?;
                settings.team = team_name(std::env::var(TEAM_ENV).ok().as_deref())?;
                Ok(Some(settings))
            }
            _ => Ok(None),
        }
    }

    pub fn parse(url: &str, ca_file: Option<&str>) -> Result<TeamSettings, TeamSettingsError> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| TeamSettingsError::BadUrl("the scheme must be postgres://".into()))?;
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo.contains(':')
        {
            return Err(TeamSettingsError::PasswordInUrl);
        }
        let mut options = PgConnectOptions::from_str(url)
            .map_err(|e| TeamSettingsError::BadUrl(e.to_string()))?;
        if let Some(ca) = ca_file {
            options = options.ssl_root_cert(ca);
        }
        let local = options.get_socket().is_some()
            || options.get_host().starts_with('/')
            || matches!(options.get_host(), "localhost" | "127.0.0.1" | "::1");
        let verified = matches!(
            options.get_ssl_mode(),
            PgSslMode::VerifyFull | PgSslMode::VerifyCa
        );
        let label = format!(
            "{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        if !local && !verified {
            return Err(TeamSettingsError::Unverified(label));
        }
        Ok(TeamSettings {
            options,
            label,
            team: DEFAULT_TEAM.to_owned(),
        })
    }

    /// The password and team key: from the environment (then kept in the OS secret store),
    /// else from the OS secret store. With no secret store (a container), the environment
    /// must give them at every start.
    pub fn secrets(
        &self,
        vault: Option<&dyn SecretVault>,
    ) -> Result<(SecretString, DataKey), TeamSettingsError> {
        self.secrets_given(
            vault,
            from_env(TEAM_DB_PASSWORD_ENV),
            from_env(TEAM_KEY_ENV),
        )
    }

    /// [`TeamSettings::secrets`] with what the environment gave (`None`: not given).
    pub fn secrets_given(
        &self,
        vault: Option<&dyn SecretVault>,
        password: Option<SecretString>,
        key: Option<SecretString>,
    ) -> Result<(SecretString, DataKey), TeamSettingsError> {
        let password = self.secret(
            vault,
            password,
            TEAM_DB_PASSWORD_ENV,
            &format!("team-db-password:{}", self.label),
            "password",
        )?;
        let key_text = self.secret(
            vault,
            key,
            TEAM_KEY_ENV,
            &format!("team-key:{}", self.label),
            "team key",
        )?;
        let key = DataKey::from_hex(key_text.expose_secret()).ok_or(TeamSettingsError::BadKey)?;
        Ok((password, key))
    }

    fn secret(
        &self,
        vault: Option<&dyn SecretVault>,
        given: Option<SecretString>,
        env: &'static str,
        account: &str,
        what: &'static str,
    ) -> Result<SecretString, TeamSettingsError> {
        if let Some(given) = given {
            // Kept for later starts where the OS has a secret store that works. One that fails
            // (no session bus on a locked-down desktop) must not stop a console that was given
            // the secret now: it runs, and says the secret must be given again next time.
            if let Some(v) = vault
                && let Err(err) = v.set(account, &given)
            {
                tracing::warn!(
                    vault = v.name(),
                    error = %err.0,
                    "the OS secret store did not keep the team {what}; give {env} again at the                      next start"
                );
            }
            return Ok(given);
        }
        match vault {
            Some(v) => v
                .get(account)
                .map_err(|e| TeamSettingsError::Vault(v.name().to_owned(), e.0))?
                .ok_or(TeamSettingsError::MissingSecret { what, env }),
            None => Err(TeamSettingsError::MissingSecret { what, env }),
        }
    }

    /// The connect options with the password set.
    pub fn with_password(&self, password: &SecretString) -> PgConnectOptions {
        self.options.clone().password(password.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_server_over_the_network_needs_a_verified_certificate() {
        assert_eq!(
            TeamSettings::parse("postgres://desk@db.bank.example/team", None).err(),
            Some(TeamSettingsError::Unverified(
                "db.bank.example:5432/team".into()
            ))
        );
        assert_eq!(
            TeamSettings::parse("postgres://desk@db.bank.example/team?sslmode=require", None).err(),
            Some(TeamSettingsError::Unverified(
                "db.bank.example:5432/team".into()
            ))
        );
        let ok = TeamSettings::parse(
            "postgres://desk@db.bank.example/team?sslmode=verify-full",
            Some("/etc/walletdesk/bank-ca.pem"),
        )
        .expect("verified");
        assert_eq!(ok.label, "db.bank.example:5432/team");
        // A server on this machine may go without TLS.
        assert!(TeamSettings::parse("postgres://desk@127.0.0.1:5544/team", None).is_ok());
    }

    /// An OS secret store that refuses everything (no session bus).
    #[derive(Debug)]
    struct BrokenVault;

    impl SecretVault for BrokenVault {
        fn name(&self) -> &str {
            "Secret Service"
        }
        fn get(&self, _: &str) -> Result<Option<SecretString>, crate::credentials::VaultError> {
            Err(crate::credentials::VaultError("no session bus".into()))
        }
        fn set(&self, _: &str, _: &SecretString) -> Result<(), crate::credentials::VaultError> {
            Err(crate::credentials::VaultError("no session bus".into()))
        }
        fn delete(&self, _: &str) -> Result<(), crate::credentials::VaultError> {
            Err(crate::credentials::VaultError("no session bus".into()))
        }
    }

    #[test]
    fn team_secrets_given_at_start_work_even_when_the_os_secret_store_fails() {
        let settings =
            TeamSettings::parse("postgres://desk@127.0.0.1:5544/team", None).expect("local");
        let key = "ab".repeat(32);
        let (password, _) = settings
            .secrets_given(
                Some(&BrokenVault),
                Some(SecretString::from("pw")),
                Some(SecretString::from(key.clone())),
            )
            .expect("given secrets are used");
        assert_eq!(password.expose_secret(), "pw");
        // Not given, a failing store is an error that names it, not a silent solo console.
        assert!(matches!(
            settings.secrets_given(Some(&BrokenVault), None, Some(SecretString::from(key))),
            Err(TeamSettingsError::Vault(name, _)) if name == "Secret Service"
        ));
        assert_eq!(
            settings.secrets_given(None, None, None).err(),
            Some(TeamSettingsError::MissingSecret {
                what: "password",
                env: TEAM_DB_PASSWORD_ENV
            })
        );
    }

    #[test]
    fn a_console_joins_the_default_team_unless_one_is_named() {
        assert_eq!(team_name(None).as_deref(), Ok(DEFAULT_TEAM));
        assert_eq!(team_name(Some(" \u{3000}")).as_deref(), Ok(DEFAULT_TEAM));
        assert_eq!(
            team_name(Some("\u{3000}信用卡投诉组 ")).as_deref(),
            Ok("信用卡投诉组")
        );
        assert_eq!(
            team_name(Some(&"组".repeat(TEAM_NAME_MAX + 1))),
            Err(TeamSettingsError::BadTeam)
        );
    }

    #[test]
    fn a_password_in_the_team_url_is_refused() {
        assert_eq!(
            TeamSettings::parse(
                "postgres://desk:hunter2@db.bank.example/team?sslmode=verify-full",
                None
            )
            .err(),
            Some(TeamSettingsError::PasswordInUrl)
        );
    }
}
