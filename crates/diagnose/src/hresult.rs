//! The error code a log line shows, in every form the servicing logs print
//! it (all seen in the real excerpts of `tests/fixtures/real/`):
//!
//! - `[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`, `hr=0x800b0100`,
//!   `hr: 0x800b0100`, `hr 0x800f0805`, `error = 0x8024000B`,
//!   `with error 0x80070643`, `CBS called Error with 0x80070308`,
//!   `status: 0x800736b3`, `failed with 0x80072efe`,
//!   `FATAL: UH: 0x80070057: ...`: `0x` hex after a keyword;
//! - `hr = 80072ee2`, `error code 80072EE2`, CSI
//!   `(F) : Error 80092004 [Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)] originated in function`,
//!   ETW `*FAILED* [8024000E]`: 8 hex digits without `0x` after a keyword
//!   (failure codes only). The decomposition in brackets after a CSI code
//!   (`Code=8196 (0x2004)`) is never read as the code;
//! - `HRESULT_FROM_WIN32(ERROR_SXS_ASSEMBLY_MISSING)`, CSI
//!   `Error STATUS_SXS_ASSEMBLY_NOT_FOUND originated in function`,
//!   `(F) STATUS_REQUEST_OUT_OF_SEQUENCE #813471# from ...`: a symbol, looked
//!   up in the error tables ([`crate::codes::by_symbol`]); an NTSTATUS name
//!   `STATUS_X` the tables do not know is read as its Win32 twin `ERROR_X`
//!   when the tables know that one (the CSI chains print both names for one
//!   failure: `STATUS_SXS_ASSEMBLY_NOT_FOUND` ... `HRESULT_FROM_WIN32(ERROR_SXS_ASSEMBLY_NOT_FOUND) [gle=0x800736b3]`);
//! - a signed decimal after `hr=` / `hr =` / `error code`.
//!
//! `[gle=0x...]` (GetLastError, printed after a CSI line or on the next
//! line) is never the line's code. The first code by position wins.
use crate::codes::{by_symbol, is_failure};

/// How the code was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `0x` and hex digits.
    Hex,
    /// Eight hex digits without `0x`.
    BareHex,
    /// A signed decimal.
    Decimal,
    /// A symbol looked up in the error tables.
    Symbol,
}

/// A code found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    /// The HRESULT.
    pub code: u32,
    /// The symbol the line prints for it (`CBS_E_INSTALLERS_FAILED`, `STATUS_SXS_ASSEMBLY_NOT_FOUND`).
    pub symbol: Option<&'a str>,
    /// How it was written.
    pub form: Form,
    /// Byte offset in the line.
    pub at: usize,
}

/// Keywords after which a `0x` value is the line's code (within 16 bytes).
const STRONG: [&[u8]; 4] = [b"hr", b"error", b"result", b"code"];
/// Keywords that make a `0x` value a code only when it is a failure.
const WEAK: [&[u8]; 3] = [b"status", b"fail", b"uh:"];

/// A `memmem` searcher built once per call site.
macro_rules! finder {
    ($needle:expr) => {{
        static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
        F.get_or_init(|| memchr::memmem::Finder::new($needle))
    }};
}
pub(crate) use finder;

/// Keywords after which eight bare hex digits (a failure code) are the code.
fn bare_keywords() -> [(&'static memchr::memmem::Finder<'static>, usize); 8] {
    [
        (finder!(b"hr = "), 5),
        (finder!(b"hr="), 3),
        (finder!(b"error code "), 11),
        (finder!(b"error code = "), 13),
        (finder!(b"Error "), 6),
        (finder!(b"error "), 6),
        (finder!(b"*FAILED* ["), 10),
        (finder!(b"error = "), 8),
    ]
}

/// ASCII case-insensitive `contains`.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return false };
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| memchr::memchr2(lo, up, h)) {
        let at = from + i;
        if hay.get(at + 1..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(rest)) {
            return true;
        }
        from = at + 1;
    }
    false
}

fn is_sym(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'
}

/// The symbol that starts at `at` (`[A-Z0-9_]+`, starting with a letter).
fn symbol_at(text: &str, at: usize) -> Option<&str> {
    let b = text.as_bytes();
    if !b.get(at).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    let len = b.get(at..)?.iter().take_while(|c| is_sym(**c)).count();
    (len >= 3).then(|| text.get(at..at + len)).flatten()
}

/// The symbol printed after a hex code: `0x... - SYMBOL` or `0x... [SYMBOL]`.
fn symbol_after(text: &str, end: usize) -> Option<&str> {
    let rest = text.get(end..)?;
    let s = rest.strip_prefix(" - ").or_else(|| rest.strip_prefix(" ["))?;
    symbol_at(text, end + (rest.len() - s.len()))
}

/// True when `at` lies inside a CSI decomposition bracket
/// (`[Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)]`).
fn in_decomposition(b: &[u8], at: usize) -> bool {
    let head = b.get(..at).unwrap_or_default();
    match memchr::memrchr(b'[', head) {
        Some(open) => {
            let inside = head.get(open..).unwrap_or_default();
            !inside.contains(&b']') && contains_ci(inside, b"facility=")
        }
        None => false,
    }
}

fn hex_digits(b: &[u8], from: usize) -> usize {
    b.get(from..).unwrap_or_default().iter().take_while(|c| c.is_ascii_hexdigit()).count()
}

fn ends_word(b: &[u8], at: usize) -> bool {
    !b.get(at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// The first `0x` code after a keyword.
fn hex_code(text: &str) -> Option<Found<'_>> {
    let b = text.as_bytes();
    for x in memchr::memchr_iter(b'x', b) {
        if x == 0 || b.get(x - 1) != Some(&b'0') {
            continue;
        }
        let at = x - 1;
        let n = hex_digits(b, at + 2);
        if n == 0 || n > 8 || !ends_word(b, at + 2 + n) {
            continue;
        }
        if at > 0 && b.get(at - 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let before = b.get(at.saturating_sub(16)..at).unwrap_or_default();
        let Some(code) = text.get(at + 2..at + 2 + n).and_then(|h| u32::from_str_radix(h, 16).ok()) else { continue };
        if before.ends_with(b"[HRESULT = ") {
            return Some(Found { code, symbol: symbol_after(text, at + 2 + n), form: Form::Hex, at });
        }
        if before.ends_with(b"gle=") || in_decomposition(b, at) {
            continue;
        }
        let strong = STRONG.iter().any(|k| contains_ci(before, k));
        let weak = !strong && is_failure(code) && WEAK.iter().any(|k| contains_ci(before, k));
        if strong || weak {
            return Some(Found { code, symbol: symbol_after(text, at + 2 + n), form: Form::Hex, at });
        }
    }
    None
}

/// The first eight-digit failure code without `0x` after a keyword, before `limit`.
fn bare_code(text: &str, limit: usize) -> Option<Found<'_>> {
    let b = text.as_bytes();
    let head = b.get(..limit).unwrap_or(b);
    let mut best: Option<Found<'_>> = None;
    for (f, len) in bare_keywords() {
        for i in f.find_iter(head) {
            let at = i + len;
            if best.is_some_and(|f| f.at <= at) {
                break;
            }
            if hex_digits(b, at) != 8 || !ends_word(b, at + 8) {
                continue;
            }
            let Some(code) = text.get(at..at + 8).and_then(|h| u32::from_str_radix(h, 16).ok()) else { continue };
            if is_failure(code) {
                best = Some(Found { code, symbol: None, form: Form::BareHex, at });
                break;
            }
        }
    }
    best
}

/// The first signed decimal code after a keyword (`hr=-2146498270`), before `limit`.
fn decimal_code(text: &str, limit: usize) -> Option<Found<'_>> {
    let b = text.as_bytes();
    let head = b.get(..limit).unwrap_or(b);
    for (f, len) in [(finder!(b"hr="), 3), (finder!(b"hr = "), 5), (finder!(b"error code "), 11)] {
        let Some(i) = f.find(head) else { continue };
        let at = i + len;
        if b.get(at) != Some(&b'-') {
            continue;
        }
        let n = b.get(at + 1..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit()).count();
        if !(9..=10).contains(&n) || !ends_word(b, at + 1 + n) {
            continue;
        }
        if let Some(v) = text.get(at..at + 1 + n).and_then(|d| d.parse::<i32>().ok()) {
            let code = v as u32;
            if is_failure(code) {
                return Some(Found { code, symbol: None, form: Form::Decimal, at });
            }
        }
    }
    None
}

/// The code a symbol names in the error tables; an NTSTATUS `STATUS_X`
/// unknown to them resolves through its Win32 twin `ERROR_X`.
pub fn code_of_symbol(symbol: &str) -> Option<u32> {
    let pick = |v: Vec<u32>| v.iter().copied().find(|c| (c >> 16) & 0x7FF == 7).or_else(|| v.first().copied());
    pick(by_symbol(symbol)).or_else(|| {
        let twin = symbol.strip_prefix("STATUS_")?;
        pick(by_symbol(&format!("ERROR_{twin}")))
    })
}

/// The first symbolic code before `limit`: `HRESULT_FROM_WIN32(ERROR_X)`, or
/// in a CSI failure line `Error SYMBOL originated` / `(F) SYMBOL #`.
fn symbol_code(text: &str, limit: usize) -> Option<Found<'_>> {
    let b = text.as_bytes();
    let head = b.get(..limit).unwrap_or(b);
    let mut best: Option<Found<'_>> = None;
    if let Some(i) = finder!(b"HRESULT_FROM_WIN32(").find(head) {
        let at = i + "HRESULT_FROM_WIN32(".len();
        if let Some(sym) = symbol_at(text, at) {
            if let Some(code) = code_of_symbol(sym) {
                best = Some(Found { code, symbol: Some(sym), form: Form::Symbol, at: i });
            }
        }
    }
    if finder!(b"(F)").find(b).is_none() {
        return best;
    }
    for (f, len) in [(finder!(b"Error "), 6), (finder!(b"(F) "), 4)] {
        for i in f.find_iter(head) {
            let at = i + len;
            if best.is_some_and(|f| f.at <= at) {
                break;
            }
            let Some(sym) = symbol_at(text, at) else { continue };
            if !sym.contains('_') || sym == "HRESULT_FROM_WIN32" {
                continue;
            }
            if let Some(code) = code_of_symbol(sym) {
                best = Some(Found { code, symbol: Some(sym), form: Form::Symbol, at });
                break;
            }
        }
    }
    best
}

/// True when `hay` holds a pair of bytes that every keyword of the bare,
/// decimal and symbolic forms ends or starts with: `r ` / `r=` (`hr = `,
/// `hr=`, `error `, `Error `, `error code `), `* ` (`*FAILED* [`), `(F`,
/// `2(` (`HRESULT_FROM_WIN32(`).
fn other_forms_possible(hay: &[u8]) -> bool {
    memchr::memchr3_iter(b'r', b'*', b'(', hay).any(|i| {
        let next = hay.get(i + 1).copied();
        match hay.get(i) {
            Some(b'r') => matches!(next, Some(b' ' | b'=')),
            Some(b'*') => next == Some(b' '),
            _ => next == Some(b'F') || (i > 0 && hay.get(i - 1) == Some(&b'2')),
        }
    })
}

/// The code the line shows, see the module documentation.
pub fn find_code(text: &str) -> Option<Found<'_>> {
    let hex = hex_code(text);
    // Another form wins only if it comes first.
    let limit = hex.map_or(text.len(), |h| h.at);
    // The CBS form `[HRESULT = 0x...]` is never preceded by another form.
    if hex.is_some_and(|h| text.as_bytes().get(..h.at).is_some_and(|b| b.ends_with(b"[HRESULT = "))) {
        return hex;
    }
    if !other_forms_possible(text.as_bytes().get(..limit).unwrap_or_default()) {
        return hex;
    }
    [hex, bare_code(text, limit), decimal_code(text, limit), symbol_code(text, limit)]
        .into_iter()
        .flatten()
        .min_by_key(|f| f.at)
}

/// Cheap test: can the line hold a code at all?
pub fn may_hold_code(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'x', b).any(|x| x > 0 && b.get(x - 1) == Some(&b'0'))
        || finder!(b"hr").find(b).is_some()
        || finder!(b"rror").find(b).is_some()
        || finder!(b"(F)").find(b).is_some()
        || finder!(b"FAILED*").find(b).is_some()
}

/// The first `0x` + 8 hex digits that is a failure code, whatever precedes
/// it: for `WARNING:` / `FATAL:` lines whose message is the code
/// (`WARNING: Sync of Updates: 0x80072ee2`, `WARNING: PTError: 0x80072ee2`).
pub fn first_failure_hex(text: &str) -> Option<Found<'_>> {
    let b = text.as_bytes();
    memchr::memchr_iter(b'x', b).find_map(|x| {
        let at = x.checked_sub(1).filter(|a| b.get(*a) == Some(&b'0'))?;
        if hex_digits(b, at + 2) != 8 || !ends_word(b, at + 10) || b.get(..at)?.ends_with(b"gle=") {
            return None;
        }
        let code = u32::from_str_radix(text.get(at + 2..at + 10)?, 16).ok().filter(|c| is_failure(*c))?;
        Some(Found { code, symbol: symbol_after(text, at + 10), form: Form::Hex, at })
    })
}

/// Cheap test: does the line hold `0x`?
pub fn has_0x(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'x', b).any(|x| x > 0 && b.get(x - 1) == Some(&b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(t: &str) -> Option<u32> {
        find_code(t).map(|f| f.code)
    }

    #[test]
    fn hex_forms() {
        assert_eq!(code("Failed [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]"), Some(0x800F0922));
        assert_eq!(
            find_code("x [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]").unwrap().symbol,
            Some("CBS_E_INSTALLERS_FAILED")
        );
        assert_eq!(code("identity X hr=0x800b0100"), Some(0x800B0100));
        assert_eq!(code("parent package KB936330~31bf3856ad364e35~amd64~~ hr 0x800f0805"), Some(0x800F0805));
        assert_eq!(code("package: P hr: 0x800b0100"), Some(0x800B0100));
        assert_eq!(code("filter search results, error = 0x8024000B"), Some(0x8024000B));
        assert_eq!(code("stack @0x7fed806eb5d @0x7fef"), None);
        assert_eq!(code("flags: 0x2 [HRESULT = 0x80004005 - E_FAIL]"), Some(0x80004005));
        assert_eq!(code("FATAL: CBS called Error with 0x80070308, "), Some(0x80070308));
        assert_eq!(
            code("FATAL: UH: 0x80070057: EvaluateApplicability failed in CCbs::EvaluateApplicability"),
            Some(0x80070057)
        );
        assert_eq!(code("WARNING: WinHttp: ShouldFileBeDownloaded failed with 0x80072efe"), Some(0x80072EFE));
        assert_eq!(
            code("WER: Generating failure report for package: P, status: 0x80070308, failure source: Execute"),
            Some(0x80070308)
        );
        assert_eq!(
            code("SQM: CheckSur: hrStatus: 0x800f0820 [CBS_E_CANCEL], download Result: 0x0 [S_OK]"),
            Some(0x800F0820)
        );
        assert_eq!(find_code("hrStatus: 0x800f0820 [CBS_E_CANCEL]").unwrap().symbol, Some("CBS_E_CANCEL"));
        assert_eq!(code("Blocked system sleep; prior state: 0x80000000"), None);
        assert_eq!(code("no code"), None);
    }

    #[test]
    fn gle_is_never_the_code() {
        assert_eq!(code("[gle=0x80004005]"), None);
        assert_eq!(code("(F) Installer: Network Drivers\tBinary Name: NetSetupAI.dll\tErrorCode: 800106d9\tPhase: 31\tComponent: NONE[gle=0x80004005]"), None);
    }

    #[test]
    fn bare_and_decomposed() {
        let csi = "00000012@2019/7/10:03:00:21.123 (F) : Error 80092004 [Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)] originated in function Windows::Rtl::SystemImplementation::CKernelSignatureVerifier::VerifyFile expression: (null)";
        let f = find_code(csi).unwrap();
        assert_eq!((f.code, f.form), (0x80092004, Form::BareHex));
        assert_eq!(code("[Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)]"), None);
        assert_eq!(code("WARNING: Send failed with hr = 80072ee2."), Some(0x80072EE2));
        assert_eq!(code("  # WARNING: Failed to find updates with error code 80072EE2"), Some(0x80072EE2));
        assert_eq!(code("*FAILED* [8024000E] Method failed"), Some(0x8024000E));
        assert_eq!(code("Error 20160101 happened"), None);
        assert_eq!(code("hr=-2146498270"), Some(0x800F0922));
    }

    #[test]
    fn symbolic_forms() {
        let f =
            find_code("(F) HRESULT_FROM_WIN32(ERROR_SXS_ASSEMBLY_MISSING) #1# from X(...)[gle=0x80073701]").unwrap();
        assert_eq!((f.code, f.symbol, f.form), (0x80073701, Some("ERROR_SXS_ASSEMBLY_MISSING"), Form::Symbol));
        let origin = "0000008b@2016/10/19:20:24:01.356 (F) d:\\win7sp1_gdr\\base\\wcp\\componentstore\\storelayout.cpp(8701): Error STATUS_SXS_ASSEMBLY_NOT_FOUND originated in function ComponentStore::CRawStoreLayout::QueryComponentUnstagedFiles expression: (null)";
        let f = find_code(origin).unwrap();
        assert_eq!((f.code, f.symbol), (0x800736B3, Some("STATUS_SXS_ASSEMBLY_NOT_FOUND")));
        assert_eq!(code("000000ed (F) STATUS_REQUEST_OUT_OF_SEQUENCE #813471# from CTransactionAnalysis::GenerateServicingFamilies(...)[gle=0xd000042a]"), Some(0x80070308));
        assert_eq!(code("(F) STATUS_NOT_A_KNOWN_THING_AT_ALL #1#"), None);
    }
}
