//! A fast, non-cryptographic hasher for the small integer keys (KB numbers)
//! and short strings the assessment puts in hash sets on its hot path. The
//! standard SipHash resists hash flooding, which matters for untrusted keys
//! in long-lived servers, not for sets built from the embedded catalog.
use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hashing in the style of FxHash.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// `BuildHasher` for [`FastHasher`].
pub type FastBuild = BuildHasherDefault<FastHasher>;

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
