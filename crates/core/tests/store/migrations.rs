//! Migrations are forward-only. Once a migration has landed on main, some store has applied
//! it, and sqlx refuses to open that store when the file changes later (it keeps each applied
//! migration's checksum). Two migrations were edited after landing before this test existed.
//! So every released migration, the console's and the sandbox's, is pinned here by SHA-256:
//! an edit fails this test instead of a teller's start-up. A new migration fails too until it
//! is pinned: the failure prints the line to add, in the commit that lands it.

use sha2::{Digest, Sha256};
use std::path::Path;

/// (folder, file, SHA-256 of its bytes) for every released migration.
const RELEASED: &[(&str, &str, &str)] = &[
    (
        "core",
        "0001_foundation.sql",
        "25f775cb322d31ffbb680e6d7417d09f7bfdbbc82cd9bd3ff6e0dce24dba4972",
    ),
    (
        "core",
        "0002_sync.sql",
        "673a363223ef45d39820f7527a749f15c3d33929b15d492241e3e85f1fff5232",
    ),
    (
        "core",
        "0003_complaints.sql",
        "49211481d1d20a5608cbf11bdfb920151ed38d10fad9aa60ee00b496456fc2ce",
    ),
    (
        "core",
        "0004_customer_search.sql",
        "d2e3c22a366372a810906e3d9e04a8b3301855413caa2d30c0d6506b04a25083",
    ),
    (
        "core",
        "0005_onboarding.sql",
        "a744035df44b0ffab0cbdd850c53072a4594fec5f85c20ccc458cc95af272827",
    ),
    (
        "core",
        "0006_customer_360.sql",
        "603d1889f60c410d3303019284007a9fc2aba1b958816eacbf6047a62efc1ba4",
    ),
    (
        "core",
        "0007_core_credentials.sql",
        "b154464d06f7ade688dcc0d13fb7775528b9638ae5db8d3e7721055c75e62640",
    ),
    (
        "core",
        "0008_birth_date_sealed.sql",
        "998e7f5e1710cd757591456d7bfd16939a357fc00249190c024f7b8628c6088d",
    ),
    (
        "core",
        "0009_outbox_unreadable_answers.sql",
        "d1d8effaee58928233ccc9f12722ee09417f573c9f7038f5252a91abd02fc10c",
    ),
    (
        "core",
        "0010_audit_keyed_chain_and_search.sql",
        "87ff57d972b7417f753cf27c2ceafc840a46cfff9757e5b94b0791a3757725fe",
    ),
    (
        "core",
        "0011_staff_lifecycle.sql",
        "3ea77f52381d0ee4e4f5a8ad50ea404785ed3488ce07ea06a62c4119957559cd",
    ),
    (
        "core",
        "0012_customer_search_pinyin.sql",
        "676f603ccdbfc0926704755948c7e402b624c4ceaaab2550bc4b029b2fbbc354",
    ),
    (
        "core",
        "0013_core_limit_schemes.sql",
        "8fcf58dfa570d8ae1928b3db78312077c3f136922a7aeaf787cad0ec4ba35eaf",
    ),
    (
        "core",
        "0014_complaint_escalation_and_templates.sql",
        "f31fe5d857c445c3059969fc6683b01dd74b1dac88afbcfd98d2ca5f4c4c60f7",
    ),
    (
        "core",
        "0016_disputes.sql",
        "2d90539a20a0d6fc202e15db9dd44efa467fc90093bff0357208619a8b7b68b9",
    ),
    (
        "core",
        "0020_dispute_attachments.sql",
        "de03d4f734f6c35332835445b0f086833c8dff2676cb93f4b497550861e861c9",
    ),
    (
        "sandbox",
        "0001_sandbox_core.sql",
        "3293bcab256db0b4f791754a773efd736f727c58e7743237286c9e579d4c836e",
    ),
    (
        "sandbox",
        "0002_idempotent_writes.sql",
        "03aa3b5a0366cff2ac9e0e876b7156e35e15baf858e9bcd49245507da59553d9",
    ),
    (
        "sandbox",
        "0003_stats.sql",
        "b0e2450a41492ce1fce81bcd146ddaacbfed98c232968562ffa56ce5889b8ca8",
    ),
    (
        "sandbox",
        "0004_changes.sql",
        "661a0a573d3ae0d7ee75cb5575694b4874ff85b67560cb6e0ba6eb1216722cbb",
    ),
    (
        "sandbox",
        "0005_customer_references.sql",
        "ee8f1eeee2220025f6097f612ccec7c718fadbd640cf4cd8f77c0932c17f7a8c",
    ),
    (
        "sandbox",
        "0006_wallet_limits.sql",
        "f113377219c9fed70f2a0073686041f7f29188442b7f6cf95850334ce3f1e990",
    ),
    (
        "sandbox",
        "0007_identity_and_risk.sql",
        "cadb3a98353e140d1d19f45b64d40ba2582c83a0f9d429c0c6e3550faf2cfe24",
    ),
    (
        "sandbox",
        "0008_consents_and_cards.sql",
        "1af0d29595697fc01c1afbb46d0c4323dd76aeada8905ba9380574bb382895d9",
    ),
    (
        "sandbox",
        "0009_payments.sql",
        "723868f74af4b07a594e99b23d65a7eb51bacbae425271be56e64ae13e695892",
    ),
    (
        "sandbox",
        "0010_complaints_and_claims.sql",
        "fcb07b0ddbdf1eeb4e8d91a865eb48e6de8dc4677f918369bb904d5082ace4b6",
    ),
    (
        "sandbox",
        "0011_disputes.sql",
        "c449ce603ea4780183d464bd7ac35810d362ee94f130180adb199ef7fdf563e3",
    ),
    (
        "sandbox",
        "0012_transaction_kinds.sql",
        "581b621cc36d6802e2a6eacf495c5c2d3749e0264652aa3ef28f9d4c96a5d402",
    ),
    (
        "sandbox",
        "0014_audit_anchors.sql",
        "59e1b8e519c3350178d50c333f8092db73dc3f3dc564399f42a14cd271ec4492",
    ),
    (
        "sandbox",
        "0015_application_counts.sql",
        "0faee924b87d91274f4314adebe54d1d880be30c7fc56f0092bd6f271fc40589",
    ),
    (
        "sandbox",
        "0017_campaigns_and_booths.sql",
        "c152c0009f516010af7fb76102afe636973d47c0068cd1313bdc9c089aae7cb2",
    ),
    (
        "core",
        "0017_booth_signups.sql",
        "8e64ac3e9ea72eda6fb6c85763bf50a85bd46e60ea58c021de863864036279c5",
    ),
    (
        "sandbox",
        "0021_customers_without_resident_id.sql",
        "286bd81ff27b5d87bc6fb9bb50922dee13ddffb9027684cee22e8e32827ddb60",
    ),
    // booth (issue 14, remaining items)
    (
        "core",
        "0021_booth_leads.sql",
        "cec29fbb345c162f5ca05c896895142dd8bbf0812f314f539c72ccdc0960bd73",
    ),
    (
        "sandbox",
        "0022_attribution_changes.sql",
        "2e0ba3f3464be5afeb1b85566b41ce04b8cba1ebd8451c023ae5d8a4a855a7da",
    ),
    (
        "core",
        "0015_knowledge_base.sql",
        "505458a130a75b5a1813f2721b19c0bda66e981e0623efa96d754eb8681c689a",
    ),
    (
        "core",
        "0022_elder_sessions.sql",
        "2f8972ad1439474aa8da0210badf9461729ec110df0497c55069d8c7c922f29e",
    ),
    (
        "sandbox",
        "0016_articles.sql",
        "295a21bef5dd0fb0689ff660556ec3377133634456b7756eb1866820d6820e5d",
    ),
    // booth QR codes (issue 14)
    (
        "core",
        "0025_booth_qr_links.sql",
        "8111bae0d851755a0ccdf9b18019bfaea5589e01efbfedadf644807e266eff92",
    ),
    (
        "sandbox",
        "0026_sign_up_link_keys.sql",
        "faea3bbec3285690c32ecd962794007177e4866545a1a6056a0df9af73d0322a",
    ),
    // elder practice payment (issue 13 item 5)
    (
        "core",
        "0026_elder_practice.sql",
        "64148091b2532dd00c803b66c926241ed110dde21b9b80a007e3c09a0f3aac8a",
    ),
    (
        "sandbox",
        "0023_practice_wallets.sql",
        "9fc2bf50854535ebbf74df9378110f18ddc9fced560ff45c193bdb04138fe3ed",
    ),
    // supervisor insights (issue 17)
    (
        "core",
        "0024_insights.sql",
        "1d2178183b2a07936af98d7202f928261374f30fa0fe009649d993e62647b376",
    ),
    (
        "sandbox",
        "0025_insight_rollups.sql",
        "e99e18e97405c23f9d3693ed263f53680e2e58243735b24e9804c657c0bd3202",
    ),
    (
        "sandbox",
        "0028_insight_monthly.sql",
        "8cc90637bff035da05e2739605c0f73ac92b5c2a63414f087a0e64228ef542ff",
    ),
    // team mode (issue 16)
    (
        "core",
        "0023_team_intake_held.sql",
        "b709ac2e4c1073ab0b52efc52a3cb271b0386941e317ce165e03c515c77c110e",
    ),
    (
        "team-postgres",
        "0001_team_store.sql",
        "f628515c81ab44fa7cb140ebcfa5e9419d723a0438da2ed983ae9435d11e07a1",
    ),
    (
        "team-sqlite",
        "0001_team_store.sql",
        "65ade934ae6c7e0d0a15cd1a38d5bd4ba0a185e3492d8f6c7e488c47d9291ff2",
    ),
    // fees (issue 14 item 8)
    (
        "sandbox",
        "0019_fee_schedule.sql",
        "4a5b1edf211c3698317c93bad2a03eaa9d3ad097f4599baf9d86adbddf3a5c89",
    ),
    // team mode: dispute cases on the team store (issue 16)
    (
        "team-postgres",
        "0002_team_disputes.sql",
        "3bda5951b43a35ad3fb5f96db798d08c4cca21d174ba122c09b997928aa275c3",
    ),
    (
        "team-sqlite",
        "0002_team_disputes.sql",
        "411fcc2da3b538b5c5965bbccaafbfdb5365f432d31b60f2269d2f195cb044c4",
    ),
    // team mode: delivering the team's dispute ops to the core (issue 16)
    (
        "team-postgres",
        "0003_team_dispute_delivery.sql",
        "f2348b8233d8ca7844bfd1095da48aced40e0d7e4c50919f6705886bdff57512",
    ),
    (
        "team-sqlite",
        "0003_team_dispute_delivery.sql",
        "0e736957b0805de2e4b9467db3f6328bc04b28bae1ef7b3f9248d7eecffd5d8d",
    ),
    // team mode: a team dispute op set aside, with its reason (issue 16)
    (
        "team-postgres",
        "0004_team_dispute_op_set_aside.sql",
        "a347dbb96d905e6d959c070448a73b366c41b6538e4fd709edafc4768c684947",
    ),
    (
        "team-sqlite",
        "0004_team_dispute_op_set_aside.sql",
        "8bb761abe25a5a4e20bdbb9c87a0774a4dfeb82842f4a16897d49bff59b5a8c3",
    ),
];

/// Where a folder's migrations are: the console's and the sandbox's stores, and the team
/// store's twins (team mode, crates/core/migrations_team).
fn dir_of(crates: &Path, folder: &str) -> std::path::PathBuf {
    match folder {
        "team-postgres" => crates.join("core/migrations_team/postgres"),
        "team-sqlite" => crates.join("core/migrations_team/sqlite"),
        other => crates.join(other).join("migrations"),
    }
}

fn digest(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn a_released_migration_is_never_edited_and_every_migration_is_pinned() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut problems = Vec::new();
    for (folder, file, pinned) in RELEASED {
        let path = dir_of(&crates, folder).join(file);
        if !path.exists() {
            problems.push(format!(
                "{folder}/{file}: released, now missing (never delete one)"
            ));
        } else if digest(&path) != *pinned {
            problems.push(format!(
                "{folder}/{file}: edited after release; add a new migration instead"
            ));
        }
    }
    for folder in ["core", "sandbox", "team-postgres", "team-sqlite"] {
        let dir = dir_of(&crates, folder);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        for file in files {
            if !RELEASED.iter().any(|(f, n, _)| *f == folder && *n == file) {
                let sum = digest(&dir.join(&file));
                problems.push(format!(
                    "{folder}/{file}: not pinned; when it lands add (\"{folder}\", \"{file}\", \"{sum}\"),"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
