-- Staff lifecycle: an administrator can make a staff member set a new password at their next
-- sign-in (a first password handed over in person, or one that may have been seen). Until it
-- is done, every command but the password change is refused.
-- `active` (0001) is the deactivation flag: a deactivated account stays in the table so the
-- audit trail keeps naming who did what.

ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN password_changed_at TEXT;
