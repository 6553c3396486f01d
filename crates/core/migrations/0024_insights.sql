-- Supervisor insights (issue 17).
-- The branch a supervisor answers for; NULL is head office (every branch). Front-line staff
-- see their own numbers whatever it says.
ALTER TABLE staff ADD COLUMN branch TEXT;

-- The last answer to each question, per scope, so Insights can be read offline: shown with
-- its as-of time and marked as a copy, never recomputed from the partial local read model.
CREATE TABLE insight_answers (
    -- The scope and the question, as canonical JSON.
    question TEXT PRIMARY KEY,
    answer   TEXT NOT NULL,
    as_of    TEXT NOT NULL
);
