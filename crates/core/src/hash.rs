//! Hash maps and sets for the small integer keys (KB numbers, CVE ids)
//! and short strings the assessment puts in hash sets on its hot path,
//! hashed by `rustc-hash`'s `FxHasher` (the Rust compiler's own: fast and
//! deterministic, so a map's iteration order is the same in every run). The
//! standard SipHash resists hash flooding, which matters for untrusted keys
//! in long-lived servers, not for sets built from the embedded catalog.

/// The hasher: `rustc_hash::FxHasher`.
pub type FastHasher = rustc_hash::FxHasher;

/// `BuildHasher` for [`FastHasher`].
pub type FastBuild = rustc_hash::FxBuildHasher;

/// A hash set with [`FastHasher`].
pub type FastSet<T> = std::collections::HashSet<T, FastBuild>;

/// A hash map with [`FastHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kb;

    #[test]
    fn sets_work() {
        let mut s: FastSet<Kb> = FastSet::default();
        for n in 1..10_000u32 {
            s.insert(Kb::new(n).unwrap());
        }
        assert_eq!(s.len(), 9_999);
        assert!(s.contains(&Kb::new(4493471 % 10_000).unwrap()));
        let mut m: FastMap<&str, u8> = FastMap::default();
        m.insert("CVE-2019-0708", 1);
        m.insert("CVE-2019-0709", 2);
        assert_eq!(m.get("CVE-2019-0708"), Some(&1));
    }
}

/// `bytes` as lowercase hexadecimal (a digest as the store keeps it).
pub fn hex(bytes: &[u8]) -> String {
    let digit = |n: u8| char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) });
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0F));
    }
    out
}

#[cfg(test)]
mod hex_tests {
    #[test]
    fn lowercase_two_digits_a_byte() {
        assert_eq!(super::hex(&[0x00, 0x0a, 0xff, 0x5e]), "000aff5e");
        assert_eq!(super::hex(&[]), "");
    }
}
