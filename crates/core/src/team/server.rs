//! A real PostgreSQL server for tests, benches and the two-console e2e journey: the OS
//! package's `initdb` in a temporary folder, `postgres` on a random loopback port. Never a
//! mock: the store tests run the production SQL against the production server.
//!
//! The server lives as long as its [`PgServer`], and no longer than the process that started
//! it: it runs under a small shell that waits on a pipe from this process, so when the process
//! ends (even killed, or a test binary's statics never dropped) the pipe closes and the shell
//! stops the server and removes its folder.
//!
//! PostgreSQL refuses to run as root; as root (CI containers) the server runs as the
//! `postgres` user the Debian package creates (`setpriv`, which execs without forking).

use crate::error::Result;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Where `initdb` and `postgres` are: `WALLETDESK_PG_BIN`, else `PATH`, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian keeps them off `PATH`).
pub fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("WALLETDESK_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    if let Ok(path) = std::env::var("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").exists() && dir.join("postgres").exists() {
                return Some(dir);
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

#[derive(Debug)]
pub struct PgServer {
    port: u16,
    socket_dir: PathBuf,
    guard: Child,
    databases: AtomicU32,
}

const SUPERUSER: &str = "walletdesk";

fn as_root() -> bool {
    // `id -u` rather than libc: the crate forbids unsafe code.
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn command(bin: &Path, program: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--",
        ])
        .arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

impl PgServer {
    /// Starts a server for tests: `fsync` off (a crash of a throwaway server loses nothing
    /// anyone needs; the bench uses [`PgServer::start_with`] and keeps it on).
    pub async fn start() -> Result<PgServer> {
        PgServer::start_with(&[("fsync", "off"), ("synchronous_commit", "off")]).await
    }

    pub async fn start_with(settings: &[(&str, &str)]) -> Result<PgServer> {
        let bin = bin_dir().ok_or_else(|| {
            anyhow::anyhow!(
                "PostgreSQL is not installed (initdb not found): install the OS package \
                 `postgresql` (scripts/setup.sh does), or set WALLETDESK_PG_BIN"
            )
        })?;
        let root = as_root();
        // Kept, not dropped: the guard shell removes it when the server stops.
        let top = std::env::temp_dir().join(format!(
            "walletdesk-pg-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir(&top).map_err(anyhow::Error::from)?;
        let data = top.join("data");
        if root {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&top)
                .status()
                .map_err(anyhow::Error::from)?;
            if !status.success() {
                return Err(anyhow::anyhow!("chown of the test server's folder failed").into());
            }
        }
        let init = command(&bin, "initdb", root)
            .arg("-D")
            .arg(&data)
            .args([
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .stdout(Stdio::null())
            .output()
            .map_err(anyhow::Error::from)?;
        if !init.status.success() {
            let _ = std::fs::remove_dir_all(&top);
            return Err(anyhow::anyhow!(
                "initdb failed: {}",
                String::from_utf8_lossy(&init.stderr)
            )
            .into());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(anyhow::Error::from)?
            .port();
        let mut server = command(&bin, "postgres", root);
        server
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(&top)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=300",
            ]);
        for (name, value) in settings {
            server.args(["-c", &format!("{name}={value}")]);
        }
        let program = shell_quote(&server.get_program().to_string_lossy());
        let args: Vec<String> = server
            .get_args()
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect();
        // The guard: the server in the background; when this process's end of the pipe
        // closes, a fast shutdown and the folder removed.
        let script = format!(
            "{} {} >{}/log 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid; rm -rf {}",
            program,
            args.join(" "),
            shell_quote(&top.to_string_lossy()),
            shell_quote(&top.to_string_lossy()),
        );
        let guard = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(anyhow::Error::from)?;
        let server = PgServer {
            port,
            socket_dir: top.clone(),
            guard,
            databases: AtomicU32::new(0),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match PgConnection::connect_with(&server.options("postgres")).await {
                Ok(conn) => {
                    let _ = conn.close().await;
                    break;
                }
                Err(err) if Instant::now() > deadline => {
                    let log = std::fs::read_to_string(top.join("log")).unwrap_or_default();
                    return Err(
                        anyhow::anyhow!("the test server did not start: {err}\n{log}").into(),
                    );
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Options for database `db` over TCP on loopback (what a console uses, minus TLS).
    pub fn options(&self, db: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host("127.0.0.1")
            .port(self.port)
            .username(SUPERUSER)
            .database(db)
    }

    /// The URL of database `db`, for `WALLETDESK_TEAM_DB` (two app instances in e2e).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{db}", self.port)
    }

    /// A new, empty database on the server (one per test, so tests run side by side).
    pub async fn fresh_database(&self) -> Result<PgConnectOptions> {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("team_{}_{n}", std::process::id());
        let mut conn = PgConnection::connect_with(&self.options("postgres")).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(self.options(&name))
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.guard.stdin.take() {
            let _ = stdin.write_all(b"\n");
        }
        let _ = self.guard.wait();
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
