//! The key `serve` caches fleet-wide answers by: scans and accepted risks.

/// The `acceptances` rows as [`crate::Store::change_key`] reads them (both backends).
pub(crate) const ACCEPTANCE_ROWS: &str =
    "SELECT id, target, host_pattern, reason, owner, until, created_at FROM acceptances ORDER BY id";

/// One `acceptances` row, for [`change_key`].
pub(crate) struct AcceptanceKeyRow {
    pub id: i64,
    pub text: [String; 6],
}

/// The scan count mixed with a digest of every accepted-risk row: equal
/// keys mean the same scans and the same acceptances (up to a 64-bit hash
/// collision).
pub(crate) fn change_key(scans: u64, rows: &[AcceptanceKeyRow]) -> u64 {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(scans.to_le_bytes());
    for r in rows {
        h.update(r.id.to_le_bytes());
        for t in &r.text {
            h.update((t.len() as u64).to_le_bytes());
            h.update(t.as_bytes());
        }
    }
    let d = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(d.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, reason: &str) -> AcceptanceKeyRow {
        let t = |s: &str| s.to_string();
        AcceptanceKeyRow {
            id,
            text: [t("CVE-2019-0708"), t("*"), t(reason), t(""), t("2099-01-01"), t("2026-12-06T20:00:00Z")],
        }
    }

    #[test]
    fn the_key_moves_with_scans_and_with_any_acceptance_change() {
        let base = change_key(10, &[row(1, "a")]);
        assert_eq!(base, change_key(10, &[row(1, "a")]), "same state, same key");
        assert_ne!(base, change_key(11, &[row(1, "a")]), "a scan");
        assert_ne!(base, change_key(10, &[]), "removed");
        assert_ne!(base, change_key(10, &[row(1, "b")]), "same id and count, another row (SQLite reuses a freed id)");
        assert_ne!(base, change_key(10, &[row(1, "a"), row(2, "a")]), "added");
        // Field boundaries count: moving text between fields changes the key.
        let mut r = row(1, "a");
        r.text[0].push('x');
        let mut q = row(1, "a");
        q.text[1].insert(0, 'x');
        assert_ne!(change_key(10, &[r]), change_key(10, &[q]));
    }
}
