-- Self sign-up links the core signed for booth QR codes, kept so a poster prints again
-- without the network. A link is public (it is printed); only the core can make one.
CREATE TABLE booth_qr_links (
    campaign  TEXT NOT NULL,
    booth     TEXT NOT NULL,
    staff     TEXT NOT NULL COLLATE NOCASE,
    url       TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (campaign, booth, staff)
);
