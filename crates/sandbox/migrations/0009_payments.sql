-- Payments (practice): wrong payment passwords are counted per wallet, and the 5th in a row
-- freezes the wallet's payments until staff unfreeze it. Constant defaults, so existing and
-- seeded wallets are not rewritten.
ALTER TABLE wallets ADD COLUMN wrong_password_count INTEGER NOT NULL DEFAULT 0
    CHECK (wrong_password_count >= 0);
ALTER TABLE wallets ADD COLUMN payments_frozen INTEGER NOT NULL DEFAULT 0
    CHECK (payments_frozen IN (0, 1));
