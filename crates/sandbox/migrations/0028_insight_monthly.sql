-- Monthly rollups beside the daily ones, and the attributions seen (issue 17).
--
-- A report sums each window in whole months here and only its partial months' days in
-- insight_daily; the running totals (customers to date, active users) no longer read every
-- day since the first sign-up. Triggers on insight_daily keep both tables inside the very
-- statement that adds to a day, in C, so no writer can forget them and the write path makes
-- no extra round trip. Daily rows are only ever inserted or added to; the one delete is the
-- rebuild's, which empties these tables itself.
CREATE TABLE insight_monthly (
    counter  TEXT    NOT NULL,
    -- 'YYYY-MM': the China month of the daily rows it sums.
    month    TEXT    NOT NULL CHECK (length(month) = 7),
    delay    INTEGER NOT NULL,
    campaign TEXT    NOT NULL,
    booth    TEXT    NOT NULL,
    staff    TEXT    NOT NULL,
    branch   TEXT    NOT NULL,
    channel  TEXT    NOT NULL,
    amount   INTEGER NOT NULL,
    PRIMARY KEY (counter, month, delay, campaign, booth, staff, branch, channel)
) WITHOUT ROWID;

-- Every attribution that has a daily row: a report lists each of them as a group, with
-- zeros where its rows fall outside the windows (as a scan of every daily row would).
CREATE TABLE insight_attributions (
    campaign TEXT NOT NULL,
    booth    TEXT NOT NULL,
    staff    TEXT NOT NULL,
    branch   TEXT NOT NULL,
    channel  TEXT NOT NULL,
    PRIMARY KEY (campaign, booth, staff, branch, channel)
) WITHOUT ROWID;

INSERT INTO insight_monthly (counter, month, delay, campaign, booth, staff, branch, channel,
    amount)
SELECT counter, substr(day, 1, 7), delay, campaign, booth, staff, branch, channel, SUM(amount)
FROM insight_daily GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO insight_attributions (campaign, booth, staff, branch, channel)
SELECT DISTINCT campaign, booth, staff, branch, channel FROM insight_daily;

CREATE TRIGGER insight_daily_inserted AFTER INSERT ON insight_daily BEGIN
    INSERT INTO insight_monthly (counter, month, delay, campaign, booth, staff, branch,
        channel, amount)
    VALUES (NEW.counter, substr(NEW.day, 1, 7), NEW.delay, NEW.campaign, NEW.booth, NEW.staff,
        NEW.branch, NEW.channel, NEW.amount)
    ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;
    INSERT OR IGNORE INTO insight_attributions (campaign, booth, staff, branch, channel)
    VALUES (NEW.campaign, NEW.booth, NEW.staff, NEW.branch, NEW.channel);
END;

-- An upsert's DO UPDATE fires this too: the month gets the day's change.
CREATE TRIGGER insight_daily_added AFTER UPDATE OF amount ON insight_daily BEGIN
    INSERT INTO insight_monthly (counter, month, delay, campaign, booth, staff, branch,
        channel, amount)
    VALUES (NEW.counter, substr(NEW.day, 1, 7), NEW.delay, NEW.campaign, NEW.booth, NEW.staff,
        NEW.branch, NEW.channel, NEW.amount - OLD.amount)
    ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;
END;
