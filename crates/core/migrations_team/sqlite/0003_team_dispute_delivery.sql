-- Delivering the team's dispute steps to the core (issue 16): what `team::core_ops` needs to
-- send `team_dispute_core_ops` once, whichever console of the team sends them. Twin of
-- ../postgres/0003_team_dispute_delivery.sql. Forward-only: rows written before it keep their
-- keys (`team-dispute:<case>:<step>`); ops written after it get `wd-td-<step>-<uuid v4>`.

-- The core's id for the dispute, from the answer to its `dispute.open`: every later step
-- names it in its path. Set once, in the transaction that records the opening as done.
ALTER TABLE team_disputes ADD COLUMN core_dispute_id TEXT;

-- Delivery state of each op.
-- attempts:          sends whose outcome was recorded (any outcome).
-- last_error:        a stable code: the core's (the problem type's slug, e.g.
--                    `dispute-decided`) when it refused, `core_unreachable` and the like when
--                    no answer came.
-- last_error_detail: the core's words or the network's, for staff.
-- claimed_by:        the sender (one per console run) that holds the lease.
-- claimed_until:     the lease: no other console sends the op before it ends. A console that
--                    dies while holding it leaves the op pending; after the lease another
--                    sends it again under the same key, and the core replays its answer.
-- next_attempt_at:   after a failed send, not before this (backoff between rounds).
-- sent_at:           when a console last took it to send.
-- done_at:           when the core's "applied" was recorded.
ALTER TABLE team_dispute_core_ops ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE team_dispute_core_ops ADD COLUMN last_error TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN last_error_detail TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN claimed_by TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN claimed_until TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN next_attempt_at TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN sent_at TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN done_at TEXT;

-- A dispute's ops go to the core in order: an op waits while an earlier one of its dispute is
-- pending or needs attention (the sender's NOT EXISTS looks them up by this index).
CREATE INDEX team_dispute_core_ops_dispute ON team_dispute_core_ops (dispute_id, id);
