//! The error-code tables of `data/errors/` (see `data/README.md`), checked
//! and turned into the tab-separated rows `w2k8-diagnose` embeds (its
//! `build.rs` reads the files, calls these and compresses the result):
//!
//! - [`sdk_rows`] gives `HRESULT\tSYMBOL\tWIN32\tMESSAGE`, one row per SDK code
//!   (`sdk-codes.csv.gz`: `winerror.h` and `wuerror.h`);
//! - [`update_rows`] gives `HRESULT\tSYMBOL\tCOMPONENT\tMEANING\tCAUSE_2008\tFIX\tSOURCE_URL`,
//!   one row per curated update-failure code (`hresults.csv`).
//!
//! Rows come out sorted by code. Tabs and line breaks inside fields become
//! spaces. A row whose code is not `0x` and 8 hex digits is refused with
//! `file:line`.

/// The SDK code table, as messages name it (gzip-compressed CSV).
pub const SDK_CODES: &str = "data/errors/sdk-codes.csv.gz";
/// The curated update-failure table, as messages name it.
pub const HRESULTS: &str = "data/errors/hresults.csv";

/// The rows of the SDK code table `csv` (decompressed), as TSV lines sorted by code.
///
/// # Errors
/// The first row that does not read, as `file:line: expected ...`.
pub fn sdk_rows(csv: &[u8]) -> Result<String, String> {
    rows(csv, SDK_CODES, |code, rec| {
        let win32 = clean(rec.get(2).unwrap_or("").trim_start_matches("win32:"));
        format!("{code:08X}\t{}\t{win32}\t{}\n", clean(rec.get(1).unwrap_or("")), clean(rec.get(3).unwrap_or("")))
    })
}

/// The rows of the curated update-failure table `csv`, as TSV lines sorted by code.
///
/// # Errors
/// The first row that does not read, as `file:line: expected ...`.
pub fn update_rows(csv: &[u8]) -> Result<String, String> {
    rows(csv, HRESULTS, |code, rec| {
        let fields: Vec<String> = (1..7).map(|i| clean(rec.get(i).unwrap_or(""))).collect();
        format!("{code:08X}\t{}\n", fields.join("\t"))
    })
}

/// Each record of `csv` (named `file`) made a line by `line_of`, sorted by code.
fn rows(csv: &[u8], file: &str, line_of: impl Fn(u32, &csv::StringRecord) -> String) -> Result<String, String> {
    let mut rows: Vec<(u32, String)> = Vec::new();
    for rec in csv::Reader::from_reader(csv).records() {
        let rec = rec.map_err(|e| format!("{file}:{}: expected CSV: {e}", e.position().map_or(0, |p| p.line())))?;
        let line = rec.position().map_or(0, |p| p.line());
        let code = code_of(rec.get(0).unwrap_or(""), file, line)?;
        rows.push((code, line_of(code, &rec)));
    }
    rows.sort_by_key(|r| r.0);
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\r', '\n'], " ").trim().to_string()
}

fn code_of(s: &str, file: &str, line: u64) -> Result<u32, String> {
    let hex = s.strip_prefix("0x").ok_or_else(|| format!("{file}:{line}: expected a code 0xXXXXXXXX, found {s:?}"))?;
    if hex.len() != 8 {
        return Err(format!("{file}:{line}: expected 8 hex digits, found {s:?}"));
    }
    u32::from_str_radix(hex, 16).map_err(|_| format!("{file}:{line}: expected hex digits, found {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by hand: a row per code, sorted, fields cleaned; a bad code is named with its line.
    #[test]
    fn rows_are_sorted_cleaned_and_bad_codes_named() {
        let csv = "code,symbol,win32,message\n0x80070005,E_ACCESSDENIED,win32:5,Access\tdenied.\n\
                   0x00000000,S_OK,win32:0,OK\n";
        assert_eq!(
            sdk_rows(csv.as_bytes()).unwrap(),
            "00000000\tS_OK\t0\tOK\n80070005\tE_ACCESSDENIED\t5\tAccess denied.\n"
        );
        let bad = "code,symbol,win32,message\n0x0,S_OK,win32:0,OK\n";
        assert_eq!(
            sdk_rows(bad.as_bytes()).unwrap_err(),
            "data/errors/sdk-codes.csv.gz:2: expected 8 hex digits, found \"0x0\""
        );
        let bad = "code,a,b,c,d,e,f\n80070005,x,x,x,x,x,x\n";
        assert_eq!(
            update_rows(bad.as_bytes()).unwrap_err(),
            "data/errors/hresults.csv:2: expected a code 0xXXXXXXXX, found \"80070005\""
        );
    }

    proptest::proptest! {
        /// Any bytes: rows or a `file:line` error, never a panic.
        #[test]
        fn any_bytes_give_rows_or_an_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            for result in [sdk_rows(&bytes), update_rows(&bytes)] {
                if let Err(e) = result {
                    proptest::prop_assert!(e.starts_with("data/errors/"), "{}", e);
                }
            }
        }
    }
}
