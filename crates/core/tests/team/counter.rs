//! Counter intake while the team server cannot be reached: kept sealed on the console,
//! forwarded exactly once with its original receipt date. The "network" is a TCP relay in
//! front of the real server that the test cuts and mends (a real outage as the console sees
//! it: connections reset and refused), never a mock of the store.

use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::net::{TcpListener, TcpStream};
use walletdesk_core::console::Actor;
use walletdesk_core::crypto::Sealer;
use walletdesk_core::store::Store;
use walletdesk_core::team::counter::{self, CounterIntake};

/// A relay to the server on `port` that can be cut: while cut, it drops every connection,
/// open ones included.
struct Link {
    port: u16,
    up: Arc<AtomicBool>,
    generation: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Link {
    async fn to(server_port: u16) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let (generation, _) = tokio::sync::watch::channel(0u64);
        let generation = Arc::new(generation);
        let (up2, gen2) = (Arc::clone(&up), Arc::clone(&generation));
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let mut cut = gen2.subscribe();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", server_port)).await
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Link {
            port,
            up,
            generation,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }

    fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

async fn local_store(dir: &std::path::Path, key: &DataKey) -> (Store, Actor) {
    let store = Store::open(&dir.join("console.sqlite"), key)
        .await
        .expect("local store");
    let mut tx = store.begin().await.expect("tx");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (username, display_name, role, password_hash, created_at) \
         VALUES ('teller', 'Teller', 'teller', 'x', '2026-03-02T02:00:00.000Z') RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("staff");
    tx.commit().await.expect("commit");
    let actor = Actor {
        staff_id: id,
        username: "teller".into(),
        role: Role::Teller,
    };
    (store, actor)
}

#[tokio::test]
async fn a_counter_complaint_made_while_the_team_server_is_down_reaches_it_once_with_its_receipt_date()
 {
    let server = server().await;
    let options = server.fresh_database().await.expect("db");
    let link = Link::to(server.port()).await;
    let team_key = DataKey::from_bytes([7; 32]);
    let team = TeamStore::connect_postgres(
        options.port(link.port),
        &team_key,
        4,
        Duration::from_secs(1),
    )
    .await
    .expect("team store");
    let dir = tempfile::tempdir().expect("dir");
    let data_key = DataKey::generate();
    let (local, actor) = local_store(dir.path(), &data_key).await;
    let sealer = Sealer::new(&data_key);
    let teller = member(&team, "teller", Role::Teller).await;
    let friday = d(2026, 2, 27);

    // Up: straight into the queue.
    let up = counter::register_at_counter(
        &local,
        &sealer,
        &team,
        &actor,
        &teller,
        complaint(friday, "desk-a"),
        "b1",
        friday,
        at(friday),
    )
    .await
    .expect("register");
    assert!(matches!(up, CounterIntake::Registered { .. }), "{up:?}");

    // Down: kept here, sealed; the teller is told so.
    link.cut();
    let mut input = complaint(friday, "desk-a");
    input.what_happened = "Charged twice at the canteen.".into();
    let held = counter::register_at_counter(
        &local,
        &sealer,
        &team,
        &actor,
        &teller,
        input,
        "b1",
        friday,
        at(friday),
    )
    .await
    .expect("held, not failed");
    let CounterIntake::Held {
        intake_key,
        received_on,
    } = held
    else {
        panic!("not held: {held:?}");
    };
    assert_eq!(received_on, "2026-02-27");
    assert_eq!(counter::held_count(&local).await.expect("count"), 1);
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT sealed FROM team_intake_held WHERE intake_key = ?")
            .bind(&intake_key)
            .fetch_one(local.read())
            .await
            .expect("row");
    assert!(
        !String::from_utf8_lossy(&sealed).contains("canteen"),
        "the complaint is sealed at rest"
    );
    // Still down: forwarding waits, loses nothing.
    let monday = d(2026, 3, 2);
    assert_eq!(
        counter::forward_held(&local, &sealer, &team, monday, at(monday))
            .await
            .expect("try"),
        0
    );
    assert_eq!(counter::held_count(&local).await.expect("count"), 1);

    // Back on Monday: forwarded once, counted from Friday.
    link.mend();
    assert_eq!(
        counter::forward_held(&local, &sealer, &team, monday, at(monday))
            .await
            .expect("forward"),
        1
    );
    assert_eq!(
        counter::forward_held(&local, &sealer, &team, monday, at(monday))
            .await
            .expect("again"),
        0
    );
    assert_eq!(counter::held_count(&local).await.expect("count"), 0);
    let handler = member(&team, "handler", Role::Complaints).await;
    let queue = team
        .queue(
            &handler,
            &TeamQueueQuery {
                team: "desk-a".into(),
                queue: TeamQueue::All,
                after: None,
                limit: 50,
            },
        )
        .await
        .expect("queue");
    assert_eq!(queue.cases.len(), 2);
    let forwarded = queue
        .cases
        .iter()
        .find(|c| {
            c.case_no
                != match &up {
                    CounterIntake::Registered { case } => case.case_no.clone(),
                    _ => unreachable!(),
                }
        })
        .expect("forwarded case");
    assert_eq!(forwarded.received_on, "2026-02-27");
    assert_eq!(
        forwarded.due_on, "2026-03-16",
        "15 days from Friday 27 February, not Monday"
    );

    // A crash after the server's commit and before the console marked the row: the next
    // forward finds the case instead of making a second one.
    let mut tx = local.begin().await.expect("tx");
    sqlx::query(
        "UPDATE team_intake_held SET forwarded_at = NULL, case_no = NULL WHERE intake_key = ?",
    )
    .bind(&intake_key)
    .execute(&mut *tx)
    .await
    .expect("unmark");
    tx.commit().await.expect("commit");
    assert_eq!(
        counter::forward_held(&local, &sealer, &team, monday, at(monday))
            .await
            .expect("re-forward"),
        1
    );
    let count: i64 = match team.backend() {
        walletdesk_core::team::Backend::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM team_cases")
                .fetch_one(pool)
                .await
                .expect("count")
        }
        _ => unreachable!(),
    };
    assert_eq!(count, 2, "exactly once");
    assert!(team.verify_audit().await.expect("verify").ok);
}
