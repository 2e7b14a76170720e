//! The compact binary form of the catalog, written by [`crate::compile`]
//! (from `w2k8-catalog`'s `build.rs` and importer) and read by
//! `w2k8-catalog`'s loader.
//!
//! The format is private to w2k8 and versioned by [`MAGIC`]; it is rebuilt
//! from `data/` on every build, so it never has to be read by another
//! version of the code.
//!
//! Layout: integers are unsigned LEB128 varints, strings are a varint length
//! and UTF-8 bytes, lists are a varint count followed by their items. Every
//! blob starts with [`MAGIC`] and a string pool; records refer to strings by
//! their index in the pool. Dates are packed by [`pack_date`] (0 = no date).

/// First bytes of every blob; the last byte is the format version.
pub const MAGIC: &[u8; 8] = b"W2K8CAT\x03";

/// The `UpdateKind` names, in the order of their wire codes. Must match
/// `UpdateKind::as_str` (checked by a unit test).
pub const KIND_NAMES: [&str; 11] = [
    "monthly_rollup",
    "security_only",
    "ssu",
    "sha2",
    "esu_prep",
    "security_update",
    "internet_explorer",
    "dotnet",
    "other",
    "service_pack",
    "convenience_rollup",
];

/// Wire code of `OsFamily::Ws2008`.
pub const OS_2008: u8 = 0;
/// Wire code of `OsFamily::Ws2008R2`.
pub const OS_2008_R2: u8 = 1;

/// Wire code of `Arch::X86`.
pub const ARCH_X86: u8 = 0;
/// Wire code of `Arch::X64`.
pub const ARCH_X64: u8 = 1;
/// Wire code of `Arch::Ia64`.
pub const ARCH_IA64: u8 = 2;

/// Packs a calendar date into one integer (0 is reserved for "no date").
pub fn pack_date(year: u32, month: u32, day: u32) -> u64 {
    (u64::from(year) << 9) | (u64::from(month) << 5) | u64::from(day)
}

/// The inverse of [`pack_date`]: `(year, month, day)`.
pub fn unpack_date(v: u64) -> (u32, u32, u32) {
    ((v >> 9) as u32, ((v >> 5) & 0xF) as u32, (v & 0x1F) as u32)
}

/// Severity wire code (0 = unrated .. 4 = critical) of MSRC's text, or
/// `None` for an unknown word. MSRC writes `None` or nothing when unrated.
pub fn severity_code(text: &str) -> Option<u8> {
    match text {
        "" | "None" => Some(0),
        "Low" => Some(1),
        "Moderate" => Some(2),
        "Important" => Some(3),
        "Critical" => Some(4),
        _ => None,
    }
}

/// An MSRC "affected product" name taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductName<'a> {
    /// [`OS_2008`] or [`OS_2008_R2`].
    pub os: u8,
    /// Service pack number (0 when the name gives none).
    pub service_pack: u8,
    /// [`ARCH_X86`], [`ARCH_X64`] or [`ARCH_IA64`].
    pub arch: u8,
    /// `(Server Core installation)`.
    pub server_core: bool,
    /// The part before ` on Windows Server 2008`, e.g. `Internet Explorer 9`.
    pub component: Option<&'a str>,
}

/// Takes apart an MSRC product name such as
/// `Internet Explorer 9 on Windows Server 2008 for x64-based Systems Service Pack 2`
/// or `Windows Server 2008 R2 for Itanium-Based Systems Service Pack 1 (Server Core installation)`.
/// Returns `None` for anything that is not a Windows Server 2008 / 2008 R2
/// product in exactly that shape.
pub fn parse_product(name: &str) -> Option<ProductName<'_>> {
    const OS_PREFIX: &str = "Windows Server 2008";
    let (component, os_part) = match name.find(" on Windows Server 2008") {
        Some(at) => (Some(name.get(..at)?), name.get(at + 4..)?),
        None => (None, name),
    };
    if component == Some("") {
        return None;
    }
    let rest = os_part.strip_prefix(OS_PREFIX)?;
    let (os, rest) = match rest.strip_prefix(" R2") {
        Some(r) => (OS_2008_R2, r),
        None => (OS_2008, rest),
    };
    let rest = rest.strip_prefix(" for ")?;
    let lower = rest.to_ascii_lowercase();
    let (arch, rest) = if lower.starts_with("32-bit systems") {
        (ARCH_X86, rest.get("32-bit systems".len()..)?)
    } else if lower.starts_with("x64-based systems") {
        (ARCH_X64, rest.get("x64-based systems".len()..)?)
    } else if lower.starts_with("itanium-based systems") {
        (ARCH_IA64, rest.get("itanium-based systems".len()..)?)
    } else {
        return None;
    };
    let (rest, server_core) = match rest.strip_suffix(" (Server Core installation)") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let service_pack = if rest.is_empty() {
        0
    } else {
        let n = rest.strip_prefix(" Service Pack ")?;
        if n.is_empty() || n.len() > 2 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n.parse().ok()?
    };
    Some(ProductName { os, service_pack, arch, server_core, component })
}

/// Appends the wire form.
#[derive(Debug, Default)]
pub struct Writer {
    /// The bytes written so far.
    pub buf: Vec<u8>,
}

impl Writer {
    /// A writer that has written [`MAGIC`].
    pub fn new() -> Writer {
        Writer { buf: MAGIC.to_vec() }
    }
    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    /// An unsigned LEB128 varint.
    pub fn uv(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }
    /// A length-prefixed string.
    pub fn str(&mut self, s: &str) {
        self.uv(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
}

/// Why a blob could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// Byte offset.
    pub at: usize,
    /// What was expected there.
    pub expected: &'static str,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "embedded catalog, byte {}: expected {}", self.at, self.expected)
    }
}

/// Reads the wire form.
#[derive(Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned after [`MAGIC`]; fails if the blob does not start with it.
    pub fn new(data: &'a [u8]) -> Result<Reader<'a>, WireError> {
        if data.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(WireError { at: 0, expected: "the catalog magic number of this version" });
        }
        Ok(Reader { data, pos: MAGIC.len() })
    }
    /// A reader over a record inside a blob (no magic number expected).
    pub fn raw(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }
    /// The current byte offset.
    pub fn pos(&self) -> usize {
        self.pos
    }
    /// Skips `n` bytes, returning the skipped range's start.
    pub fn skip(&mut self, n: usize) -> Result<usize, WireError> {
        let start = self.pos;
        if n > self.data.len().saturating_sub(start) {
            return Err(self.err("a record no longer than the rest of the blob"));
        }
        self.pos += n;
        Ok(start)
    }
    fn err(&self, expected: &'static str) -> WireError {
        WireError { at: self.pos, expected }
    }
    /// One byte.
    pub fn u8(&mut self) -> Result<u8, WireError> {
        let b = *self.data.get(self.pos).ok_or_else(|| self.err("a byte"))?;
        self.pos += 1;
        Ok(b)
    }
    /// An unsigned LEB128 varint. Most are one byte (indices, counts,
    /// product rows): that case takes no loop.
    #[inline]
    pub fn uv(&mut self) -> Result<u64, WireError> {
        match self.data.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.uv_long(),
        }
    }
    /// [`Reader::uv`] of two bytes or more (or at the end of the blob).
    fn uv_long(&mut self) -> Result<u64, WireError> {
        let mut v: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.u8()?;
            if shift > 63 {
                return Err(self.err("a varint of at most 64 bits"));
            }
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }
    /// A varint that fits a `u32`.
    pub fn u32(&mut self) -> Result<u32, WireError> {
        let v = self.uv()?;
        u32::try_from(v).map_err(|_| self.err("a 32-bit number"))
    }
    /// A varint that fits a `u16`.
    pub fn u16(&mut self) -> Result<u16, WireError> {
        let v = self.uv()?;
        u16::try_from(v).map_err(|_| self.err("a 16-bit number"))
    }
    /// A count, bounded by the bytes left (every item takes at least one byte).
    pub fn count(&mut self) -> Result<usize, WireError> {
        let v = self.uv()?;
        let left = self.data.len().saturating_sub(self.pos);
        match usize::try_from(v) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(self.err("a list length no larger than the rest of the blob")),
        }
    }
    /// A length-prefixed UTF-8 string, borrowed from the blob.
    pub fn str(&mut self) -> Result<&'a str, WireError> {
        let n = self.count()?;
        let bytes = self.data.get(self.pos..self.pos + n).ok_or_else(|| self.err("string bytes"))?;
        let s = std::str::from_utf8(bytes).map_err(|_| self.err("UTF-8 text"))?;
        self.pos += n;
        Ok(s)
    }
    /// Succeeds only at the end of the blob.
    pub fn finish(&self) -> Result<(), WireError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(self.err("the end of the blob"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products() {
        let p = parse_product("Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core installation)");
        assert_eq!(
            p,
            Some(ProductName { os: OS_2008, service_pack: 2, arch: ARCH_X64, server_core: true, component: None })
        );
        let p =
            parse_product("Microsoft .NET Framework 4.6.2 on Windows Server 2008 for 32-bit Systems Service Pack 2");
        assert_eq!(
            p,
            Some(ProductName {
                os: OS_2008,
                service_pack: 2,
                arch: ARCH_X86,
                server_core: false,
                component: Some("Microsoft .NET Framework 4.6.2")
            })
        );
        let p = parse_product("Windows Server 2008 R2 for Itanium-based Systems Service Pack 1");
        assert_eq!(p.map(|p| (p.os, p.arch, p.service_pack)), Some((OS_2008_R2, ARCH_IA64, 1)));
        let p = parse_product("Windows Server 2008 for Itanium-Based Systems");
        assert_eq!(p.map(|p| (p.os, p.arch, p.service_pack)), Some((OS_2008, ARCH_IA64, 0)));
        assert_eq!(parse_product("Windows Server 2012 R2"), None);
        assert_eq!(parse_product("Windows Server 2008 for ARM Systems"), None);
        assert_eq!(parse_product(" on Windows Server 2008 for x64-based Systems"), None);
        assert_eq!(parse_product("Windows Server 2008 for x64-based Systems Service Pack x"), None);
    }

    #[test]
    fn varints_and_strings_round_trip() {
        let mut w = Writer::new();
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            w.uv(v);
        }
        w.str("Käse");
        w.u8(7);
        let mut r = Reader::new(&w.buf).unwrap();
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.uv().unwrap(), v);
        }
        assert_eq!(r.str().unwrap(), "Käse");
        assert_eq!(r.u8().unwrap(), 7);
        assert!(r.finish().is_ok());
        assert!(r.u8().is_err());
    }

    #[test]
    fn varint_edges() {
        // Hand-written: 300 is AC 02; u64::MAX is nine FF bytes and 01.
        let mut data = MAGIC.to_vec();
        data.extend([0xAC, 0x02]);
        data.extend([0xFF; 9]);
        data.push(0x01);
        let mut r = Reader::new(&data).unwrap();
        assert_eq!(r.uv().unwrap(), 300);
        assert_eq!(r.uv().unwrap(), u64::MAX);
        assert_eq!(r.uv().unwrap_err().expected, "a byte");
        // An unterminated varint at the end, and one longer than ten bytes.
        let mut cut = MAGIC.to_vec();
        cut.extend([0x80, 0x80]);
        assert_eq!(Reader::new(&cut).unwrap().uv().unwrap_err().expected, "a byte");
        let mut long = MAGIC.to_vec();
        long.extend([0x80; 11]);
        long.push(0);
        assert_eq!(Reader::new(&long).unwrap().uv().unwrap_err().expected, "a varint of at most 64 bits");
    }

    #[test]
    fn dates_pack() {
        assert_eq!(unpack_date(pack_date(2019, 4, 9)), (2019, 4, 9));
        assert_eq!(unpack_date(pack_date(2026, 12, 31)), (2026, 12, 31));
    }

    proptest::proptest! {
        #[test]
        fn reader_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let mut data = MAGIC.to_vec();
            data.extend(bytes);
            if let Ok(mut r) = Reader::new(&data) {
                while r.str().is_ok() || r.uv().is_ok() {}
                let _ = r.count();
            }
        }
        #[test]
        fn product_parse_never_panics(s in ".*") { let _ = parse_product(&s); }
    }
}
