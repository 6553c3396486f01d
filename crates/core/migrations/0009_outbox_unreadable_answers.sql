-- How many times the core answered an operation "done" (2xx) with a body that is not a valid
-- answer. Such an answer is not taken as applied (its ids are unknown): the operation is sent
-- again under the same key, and after a configured number of these it waits in "needs
-- attention" instead of knocking for ever. Counted apart from `attempts`, which network
-- failures also raise and which must never push a good operation out of the queue.
ALTER TABLE outbox ADD COLUMN unreadable_answers INTEGER NOT NULL DEFAULT 0;
