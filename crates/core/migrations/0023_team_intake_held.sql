-- Team mode (docs/architecture.md, "Team mode"): a complaint taken at the counter while the
-- team server cannot be reached waits here until it is forwarded. The complaint is sealed
-- with the data key like the outbox (names, contacts, what happened); only the key, the
-- receipt date the clock counts from and who took it are in clear. `intake_key` is also the
-- key the team store registers it under, so forwarding it again (after a crash between the
-- server's commit and this row's update) finds the case instead of making a second one.
CREATE TABLE team_intake_held (
    intake_key   TEXT PRIMARY KEY,
    received_on  TEXT NOT NULL,
    sealed       BLOB NOT NULL,
    held_by      INTEGER NOT NULL REFERENCES staff (id),
    held_at      TEXT NOT NULL,
    forwarded_at TEXT,
    case_no      TEXT
);
CREATE INDEX team_intake_waiting ON team_intake_held (held_at) WHERE forwarded_at IS NULL;
