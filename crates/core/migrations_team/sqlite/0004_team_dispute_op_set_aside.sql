-- Staff acting on a team dispute op that needs attention (issue 16): a supervisor sends it
-- again (`team_dispute_op_resend`: back to pending, attempts reset) or sets it aside
-- (`team_dispute_op_discard`: state `discarded`, so the dispute's later ops may go). Twin of
-- ../postgres/0004_team_dispute_op_set_aside.sql. Forward-only.
-- discard_reason: the supervisor's words, required to set an op aside.
-- discarded_by:   who set it aside (team_staff.id).
-- discarded_at:   when.
ALTER TABLE team_dispute_core_ops ADD COLUMN discard_reason TEXT;
ALTER TABLE team_dispute_core_ops ADD COLUMN discarded_by BIGINT REFERENCES team_staff (id);
ALTER TABLE team_dispute_core_ops ADD COLUMN discarded_at TEXT;
