//! The sandbox's own SQLite store: what a bank's system of record would hold.

use crate::demo::{CustomerRow, DemoCustomer, DemoData, TransactionRow, WalletRow};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use std::path::Path;
use std::time::{Duration, Instant};
use walletdesk_core::domain::Sex;

/// Rows per multi-row INSERT. Each statement crosses to SQLite's worker thread once, so batching
/// is what makes a million customers feasible; 500 rows of 7 columns stays far below SQLite's
/// 32,766 bound parameters. A fixed size keeps the SQL text identical, so it is prepared once.
const ROWS_PER_INSERT: usize = 500;
/// Customers generated per round trip to the store; bounds memory when seeding millions.
const CUSTOMERS_PER_BATCH: usize = 5_000;

/// Timestamps are stored as fixed-width UTC text so they sort in time order.
fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn counts_from_row(row: &SqliteRow) -> anyhow::Result<Counts> {
    let count = |column: &str| -> anyhow::Result<u64> {
        Ok(u64::try_from(row.try_get::<i64, _>(column)?)?)
    };
    Ok(Counts {
        customers: count("customers")?,
        wallets: count("wallets")?,
        transactions: count("transactions")?,
    })
}

/// Adds `added` to the `stats` row. Every write that inserts customers, wallets or transactions
/// calls this on its own transaction, so the counts commit (or roll back) with the rows. Inside
/// an idempotent write's effect the addition is noted and written with the write's other
/// bookkeeping (see [`crate::bookkeeping`]).
pub(crate) async fn add_to_stats(conn: &mut SqliteConnection, added: Counts) -> sqlx::Result<()> {
    if crate::bookkeeping::note_added(added) {
        return Ok(());
    }
    // SQLite integers are signed; a count past i64::MAX cannot happen, but is refused, not
    // wrapped, if it ever did.
    let as_i64 = |n: u64| i64::try_from(n).map_err(|err| sqlx::Error::Encode(Box::new(err)));
    sqlx::query(
        "UPDATE stats SET customers = customers + ?, wallets = wallets + ?, \
         transactions = transactions + ? WHERE id = 1",
    )
    .bind(as_i64(added.customers)?)
    .bind(as_i64(added.wallets)?)
    .bind(as_i64(added.transactions)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn sex_text(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

/// How the demo data in a store was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeding {
    pub seed: u64,
    pub as_of: NaiveDate,
    pub customers: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub customers: u64,
    pub wallets: u64,
    pub transactions: u64,
}

impl Counts {
    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            customers: self.customers.saturating_add(other.customers),
            wallets: self.wallets.saturating_add(other.wallets),
            transactions: self.transactions.saturating_add(other.transactions),
        }
    }
}

/// Cheap to clone: clones share the pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// For a store that is not kept: the folder its file lives in, removed with the last clone.
    _scratch: Option<std::sync::Arc<tempfile::TempDir>>,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, or a throwaway one for `None`, and
    /// brings its schema up to date.
    pub async fn open(path: Option<&Path>) -> anyhow::Result<Store> {
        // A throwaway store is still a file, in a private temporary folder, not ":memory:": an
        // in-memory database dies with its connection, and sqlx closes a connection whose
        // query was cancelled (a client hanging up mid-read), which emptied the sandbox.
        let scratch = match path {
            Some(_) => None,
            None => Some(std::sync::Arc::new(
                tempfile::Builder::new()
                    .prefix("walletdesk-sandbox-")
                    .tempdir()
                    .context("creating a folder for the throwaway sandbox store")?,
            )),
        };
        let file = match (&scratch, path) {
            (Some(dir), _) => dir.path().join("sandbox.sqlite"),
            (None, Some(path)) => path.to_path_buf(),
            (None, None) => anyhow::bail!("no store path"),
        };
        let options = SqliteConnectOptions::new()
            .filename(&file)
            .create_if_missing(true)
            .foreign_keys(true)
            // A throwaway store has one connection (no reader to keep apart from the writer)
            // and is gone at exit, so it keeps its rollback journal in memory: a commit then
            // writes each page once, into the file, instead of into the WAL and again at the
            // checkpoint (the sync bench: some 15-20 % faster). Rollbacks, savepoints and a
            // connection closed mid-transaction still undo everything; only a crash of the
            // process could leave the file torn, and nothing ever opens it again.
            .journal_mode(if scratch.is_some() {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            // Demo data can be regenerated, so a lost last commit on power loss is fine; a
            // throwaway store is gone at exit anyway, so it never waits for the disk at all.
            .synchronous(if scratch.is_some() {
                SqliteSynchronous::Off
            } else {
                SqliteSynchronous::Normal
            })
            .busy_timeout(Duration::from_secs(5));
        let connections = if scratch.is_some() { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .with_context(|| format!("opening the sandbox store {}", file.display()))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("migrating the sandbox store")?;
        // A store made before the rollups gets them once, here; the writes keep them after.
        crate::insights::ensure_built(&pool)
            .await
            .context("building the insight rollups")?;
        Ok(Store {
            pool,
            _scratch: scratch,
        })
    }

    /// For tests and future endpoints that need their own queries.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// `None` until demo data has been written.
    pub async fn seeding(&self) -> anyhow::Result<Option<Seeding>> {
        let row = sqlx::query("SELECT seed, as_of, customers FROM seeding WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let seed: String = row.try_get("seed")?;
        let as_of: String = row.try_get("as_of")?;
        let customers: i64 = row.try_get("customers")?;
        Ok(Some(Seeding {
            seed: seed.parse().context("seed in the store")?,
            as_of: NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").context("as_of in the store")?,
            customers: u64::try_from(customers).context("customer count in the store")?,
        }))
    }

    /// Writes `customers` demo customers generated from `seed` as of `as_of`, all in one
    /// transaction together with the seeding record, so a crash leaves an empty store.
    pub async fn seed_demo_data(
        &self,
        seed: u64,
        customers: u32,
        as_of: NaiveDate,
    ) -> anyhow::Result<Seeding> {
        let started = Instant::now();
        let mut tx = self.pool.begin().await?;
        let written = write_demo_data(&mut tx, seed, customers, as_of).await?;
        tx.commit().await?;
        tracing::info!(
            seed,
            customers,
            %as_of,
            wallets = written.wallets,
            transactions = written.transactions,
            elapsed_ms = started.elapsed().as_millis(),
            "seeded sandbox demo data"
        );
        Ok(Seeding {
            seed,
            as_of,
            customers: u64::from(customers),
        })
    }

    /// How many customers, wallets and transactions the store holds, from the `stats` row the
    /// writes keep current: one row read however large the store, so health checks stay cheap.
    pub async fn counts(&self) -> anyhow::Result<Counts> {
        let row = sqlx::query("SELECT customers, wallets, transactions FROM stats WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .context("reading the stats row")?;
        counts_from_row(&row)
    }

    /// The same counts by counting every row: slow on a large store, so only for checking that
    /// [`Store::counts`] is right.
    pub async fn recount(&self) -> anyhow::Result<Counts> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM customers) AS customers, \
             (SELECT COUNT(*) FROM wallets) AS wallets, \
             (SELECT COUNT(*) FROM transactions) AS transactions",
        )
        .fetch_one(&self.pool)
        .await?;
        counts_from_row(&row)
    }

    /// Customers in id order, starting after `after_id` (keyset paging: 0 for the first page).
    pub async fn customers(&self, after_id: i64, limit: u32) -> anyhow::Result<Vec<CustomerRow>> {
        let rows = sqlx::query(
            "SELECT id, name, resident_id, mobile, birth_date, sex, created_at, id_expires_on \
             FROM customers WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(customer_from_row).collect()
    }
}

/// Generates and inserts the demo data plus the seeding record on `tx`; the caller commits.
///
/// Generation runs on a blocking thread and hands batches over a short channel, so building the
/// next batch overlaps with SQLite writing the last one (the two together are the whole cost of
/// a million-customer seed).
async fn write_demo_data(
    tx: &mut SqliteConnection,
    seed: u64,
    customers: u32,
    as_of: NaiveDate,
) -> anyhow::Result<Counts> {
    let (batches, mut incoming) = tokio::sync::mpsc::channel::<Vec<DemoCustomer>>(2);
    let generator = tokio::task::spawn_blocking(move || {
        let mut data = DemoData::new(seed, as_of);
        let mut remaining = usize::try_from(customers).unwrap_or(usize::MAX);
        while remaining > 0 {
            let batch: Vec<_> = data
                .by_ref()
                .take(remaining.min(CUSTOMERS_PER_BATCH))
                .collect();
            remaining -= batch.len();
            if batches.blocking_send(batch).is_err() {
                // The writer failed and dropped the receiver; its error is the one reported.
                return;
            }
        }
    });
    let mut written = Counts {
        customers: 0,
        wallets: 0,
        transactions: 0,
    };
    while let Some(batch) = incoming.recv().await {
        let people: Vec<&CustomerRow> = batch.iter().map(|c| &c.customer).collect();
        let wallets: Vec<&WalletRow> = batch.iter().flat_map(|c| &c.wallets).collect();
        let transactions: Vec<&TransactionRow> =
            batch.iter().flat_map(|c| &c.transactions).collect();
        insert_customers(&mut *tx, &people).await?;
        insert_wallets(&mut *tx, &wallets).await?;
        insert_transactions(&mut *tx, &transactions).await?;
        written.customers += u64::try_from(people.len())?;
        written.wallets += u64::try_from(wallets.len())?;
        written.transactions += u64::try_from(transactions.len())?;
    }
    generator.await.context("demo data generator")?;
    // The seeded entities enter the change feed in one statement each rather than row by row;
    // seeded transaction history is not in the feed (consoles read it from the core on demand).
    crate::changes::record_all_seeded(&mut *tx).await?;
    // The knowledge base's training starter set, after them in the feed.
    crate::articles::seed_starter_set(&mut *tx, &format!("{}T00:00:00Z", date(as_of))).await?;
    // The demo fee schedule, after them too.
    crate::fees::seed_demo_once(&mut *tx, &format!("{}T00:00:00Z", date(as_of))).await?;
    // Once for the whole seed rather than per batch: the counts live in the same transaction.
    add_to_stats(&mut *tx, written).await?;
    // The insight rollups over everything seeded, in the same transaction.
    crate::insights::rebuild(&mut *tx, Utc::now()).await?;
    sqlx::query(
        "INSERT INTO seeding (id, seed, as_of, customers, seeded_at) VALUES (1, ?, ?, ?, ?)",
    )
    .bind(seed.to_string())
    .bind(date(as_of))
    .bind(i64::from(customers))
    .bind(timestamp(Utc::now()))
    .execute(&mut *tx)
    .await?;
    Ok(written)
}

/// What a bulk seed wrote, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkSeed {
    pub seeding: Seeding,
    pub written: Counts,
    pub elapsed: Duration,
    pub file_bytes: u64,
}

/// Creates a new database file at `path` holding `customers` demo customers.
///
/// Built for millions of rows: the data goes into `<path>.partial` with no rollback journal
/// and no fsyncs (a crash there only loses a file nobody uses yet), in one transaction of large
/// multi-row inserts, and the file is renamed into place only once complete. The server then
/// opens it in WAL mode like any other store. Indexes stay as the migrations make them: ids,
/// wallet numbers and (wallet, time) all arrive in ascending order, so those index inserts are
/// appends and building them afterwards would not be cheaper.
///
/// Refuses to overwrite an existing file: a seeded store may hold writes made since.
pub async fn bulk_seed(
    path: &Path,
    seed: u64,
    customers: u32,
    as_of: NaiveDate,
) -> anyhow::Result<BulkSeed> {
    let started = Instant::now();
    if path.exists() {
        anyhow::bail!(
            "{} already exists; remove it first or pick another path",
            path.display()
        );
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    if partial.exists() {
        // Left by an interrupted run; it is incomplete by construction.
        std::fs::remove_file(&partial)
            .with_context(|| format!("removing the stale {}", partial.display()))?;
    }

    let options = SqliteConnectOptions::new()
        .filename(&partial)
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        // 256 MiB of page cache (negative means KiB): the unique indexes on resident ID and
        // mobile take random inserts and stay in memory instead of thrashing the file.
        .pragma("cache_size", "-262144")
        .pragma("temp_store", "MEMORY");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("creating {}", partial.display()))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .context("creating the sandbox schema")?;
    let mut tx = pool.begin().await?;
    let written = write_demo_data(&mut tx, seed, customers, as_of).await?;
    tx.commit().await?;
    pool.close().await;

    std::fs::rename(&partial, path)
        .with_context(|| format!("moving {} into place", partial.display()))?;
    let file_bytes = std::fs::metadata(path)?.len();
    Ok(BulkSeed {
        seeding: Seeding {
            seed,
            as_of,
            customers: u64::from(customers),
        },
        written,
        elapsed: started.elapsed(),
        file_bytes,
    })
}

fn customer_from_row(row: &SqliteRow) -> anyhow::Result<CustomerRow> {
    let birth_date: String = row.try_get("birth_date")?;
    let sex: String = row.try_get("sex")?;
    let created_at: String = row.try_get("created_at")?;
    Ok(CustomerRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        resident_id: row.try_get("resident_id")?,
        mobile: row.try_get("mobile")?,
        birth_date: NaiveDate::parse_from_str(&birth_date, "%Y-%m-%d")?,
        sex: match sex.as_str() {
            "male" => Sex::Male,
            "female" => Sex::Female,
            other => anyhow::bail!("unknown sex {other:?} in the store"),
        },
        created_at: DateTime::parse_from_rfc3339(&created_at)?.with_timezone(&Utc),
        id_expires_on: row
            .try_get::<Option<String>, _>("id_expires_on")?
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()?,
    })
}

async fn insert_customers(tx: &mut SqliteConnection, rows: &[&CustomerRow]) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customers (id, name, resident_id, mobile, birth_date, sex, created_at, \
             id_expires_on) ",
        );
        insert.push_values(chunk, |mut values, c| {
            values
                .push_bind(c.id)
                .push_bind(c.name.as_str())
                .push_bind(c.resident_id.as_str())
                .push_bind(c.mobile.as_str())
                .push_bind(date(c.birth_date))
                .push_bind(sex_text(c.sex))
                .push_bind(timestamp(c.created_at))
                .push_bind(c.id_expires_on.map(date));
        });
        insert.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_wallets(tx: &mut SqliteConnection, rows: &[&WalletRow]) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO wallets (id, customer_id, tier, balance_fen, status, opened_at) ",
        );
        insert.push_values(chunk, |mut values, w| {
            values
                .push_bind(w.id.as_str())
                .push_bind(w.customer_id)
                .push_bind(i64::from(w.tier))
                .push_bind(w.balance_fen)
                .push_bind(w.status.as_str())
                .push_bind(timestamp(w.opened_at));
        });
        insert.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_transactions(
    tx: &mut SqliteConnection,
    rows: &[&TransactionRow],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO transactions \
             (id, wallet_id, at, amount_fen, direction, counterparty, memo) ",
        );
        insert.push_values(chunk, |mut values, t| {
            values
                .push_bind(t.id)
                .push_bind(t.wallet_id.as_str())
                .push_bind(timestamp(t.at))
                .push_bind(t.amount_fen)
                .push_bind(t.direction.as_str())
                .push_bind(t.counterparty.as_str())
                .push_bind(t.memo.as_str());
        });
        insert.build().execute(&mut *tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).expect("date")
    }

    #[tokio::test]
    async fn in_memory_data_is_seen_by_every_query() {
        let store = Store::open(None).await.expect("open");
        assert_eq!(store.seeding().await.expect("seeding"), None);
        store.seed_demo_data(11, 40, as_of()).await.expect("seed");
        // Concurrent queries share the single connection instead of opening empty databases.
        let (a, b, c) = tokio::join!(store.counts(), store.counts(), store.customers(0, 100));
        let (a, b, c) = (
            a.expect("counts"),
            b.expect("counts"),
            c.expect("customers"),
        );
        assert_eq!(a, b);
        assert_eq!(a, store.recount().await.expect("recount"));
        assert_eq!(a.customers, 40);
        assert_eq!(c.len(), 40);
        assert_eq!(
            store.seeding().await.expect("seeding"),
            Some(Seeding {
                seed: 11,
                as_of: as_of(),
                customers: 40
            })
        );
    }

    #[tokio::test]
    async fn an_empty_store_counts_zero() {
        let store = Store::open(None).await.expect("open");
        let zero = Counts {
            customers: 0,
            wallets: 0,
            transactions: 0,
        };
        assert_eq!(store.counts().await.expect("counts"), zero);
        assert_eq!(store.recount().await.expect("recount"), zero);
    }

    /// A store written before the `stats` table existed gets it filled from the rows it holds.
    #[tokio::test]
    async fn an_older_store_is_counted_once_on_upgrade() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old_migrations = dir.path().join("migrations");
        std::fs::create_dir(&old_migrations).expect("mkdir");
        for name in ["0001_sandbox_core.sql", "0002_idempotent_writes.sql"] {
            let from = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(name);
            std::fs::copy(from, old_migrations.join(name)).expect("copy migration");
        }
        let db = dir.path().join("old.db");
        let pool = SqlitePool::connect_with(
            SqliteConnectOptions::new()
                .filename(&db)
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .expect("open");
        sqlx::migrate::Migrator::new(old_migrations.as_path())
            .await
            .expect("old migrations")
            .run(&pool)
            .await
            .expect("migrate to the old schema");
        let data: Vec<DemoCustomer> = DemoData::new(14, as_of()).take(20).collect();
        let mut conn = pool.acquire().await.expect("connection");
        let people: Vec<&CustomerRow> = data.iter().map(|c| &c.customer).collect();
        let wallets: Vec<&WalletRow> = data.iter().flat_map(|c| &c.wallets).collect();
        let transactions: Vec<&TransactionRow> =
            data.iter().flat_map(|c| &c.transactions).collect();
        // The old schema has no ID expiry column, so the customers go in by its columns.
        for c in &people {
            sqlx::query(
                "INSERT INTO customers (id, name, resident_id, mobile, birth_date, sex, \
                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(c.id)
            .bind(&c.name)
            .bind(&c.resident_id)
            .bind(&c.mobile)
            .bind(date(c.birth_date))
            .bind(sex_text(c.sex))
            .bind(timestamp(c.created_at))
            .execute(&mut *conn)
            .await
            .expect("customers");
        }
        insert_wallets(&mut conn, &wallets).await.expect("wallets");
        insert_transactions(&mut conn, &transactions)
            .await
            .expect("transactions");
        drop(conn);
        pool.close().await;

        let store = Store::open(Some(&db)).await.expect("upgrade");
        let counts = store.counts().await.expect("counts");
        assert_eq!(counts.customers, 20);
        assert_eq!(counts.wallets, u64::try_from(wallets.len()).expect("fits"));
        assert_eq!(counts, store.recount().await.expect("recount"));
        store.close().await;
    }

    #[tokio::test]
    async fn stored_rows_equal_generated_rows() {
        let store = Store::open(None).await.expect("open");
        store.seed_demo_data(12, 30, as_of()).await.expect("seed");
        let generated: Vec<CustomerRow> = DemoData::new(12, as_of())
            .take(30)
            .map(|c| c.customer)
            .collect();
        assert_eq!(store.customers(0, 100).await.expect("customers"), generated);
        let page = store.customers(10, 5).await.expect("page");
        assert_eq!(page, generated[10..15].to_vec());
    }

    #[tokio::test]
    async fn seeding_spans_several_batches() {
        let store = Store::open(None).await.expect("open");
        let customers = u32::try_from(CUSTOMERS_PER_BATCH + ROWS_PER_INSERT + 7).expect("fits");
        store
            .seed_demo_data(13, customers, as_of())
            .await
            .expect("seed");
        let counts = store.counts().await.expect("counts");
        assert_eq!(counts.customers, u64::from(customers));
        assert_eq!(counts, store.recount().await.expect("recount"));
        let max_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM customers")
            .fetch_one(store.pool())
            .await
            .expect("max");
        assert_eq!(max_id, i64::from(customers));
        let money_is_integer: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM wallets WHERE typeof(balance_fen) <> 'integer'",
        )
        .fetch_one(store.pool())
        .await
        .expect("typeof");
        assert_eq!(money_is_integer, 0);
    }
}
