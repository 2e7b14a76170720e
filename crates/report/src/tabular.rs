//! The two tabular forms every table of w2k8 shares: CSV (RFC 4180 by the
//! `csv` crate, CRLF line ends, a header row, and a formula guard on every
//! cell) and aligned text columns for the console.
use std::borrow::Cow;

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
/// or CR first) gets a leading `'`; any other text is unchanged.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Builds a CSV document: RFC 4180 quoting, CRLF, every cell defused.
pub struct Csv {
    w: csv::Writer<Vec<u8>>,
}

impl Csv {
    /// A document whose first row is `header`.
    pub fn new<S: AsRef<str>>(header: &[S]) -> Csv {
        let w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let mut c = Csv { w };
        c.row(header);
        c
    }

    /// Appends one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        // Writing into memory cannot fail: the only errors are I/O errors.
        let _ = self.w.write_record(cells.iter().map(|c| defuse(c.as_ref()).into_owned()));
    }

    /// The document.
    pub fn finish(self) -> String {
        let bytes = self.w.into_inner().unwrap_or_else(|e| e.into_inner().get_ref().clone());
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Aligned columns: each column as wide as its widest cell, two spaces
/// between columns, the last column not padded, a header line first. Every
/// cell is shown on one line with its control characters escaped
/// ([`w2k8_core::text::escape_line`]): a host name cannot forge a row or
/// drive the terminal.
pub fn table<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>]) -> String {
    let rows: Vec<Vec<std::borrow::Cow<'_, str>>> =
        rows.iter().map(|r| r.iter().map(|c| w2k8_core::text::escape_line(c.as_ref())).collect()).collect();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.as_ref().chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let start = out.len();
        let cells: Vec<&str> = cells.collect();
        let n = cells.len();
        for (i, (c, w)) in cells.into_iter().zip(&width).enumerate() {
            if i + 1 == n {
                out.push_str(c);
            } else {
                out.push_str(&format!("{c:<w$}  "));
            }
        }
        let trimmed = out[start..].trim_end().len();
        out.truncate(start + trimmed);
        out.push('\n');
    };
    let mut out = String::new();
    line(&mut header.iter().copied(), &mut out);
    for r in rows {
        line(&mut r.iter().map(|c| c.as_ref()), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        let mut c = Csv::new(&["a", "b"]);
        c.row(&["srv-01", "a,b"]);
        c.row(&["say \"hi\"", "=HYPERLINK(\"x\")"]);
        c.row(&["-1+1", "line\nbreak"]);
        c.row(&["", "@SUM(A1)"]);
        assert_eq!(
            c.finish(),
            "a,b\r\nsrv-01,\"a,b\"\r\n\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\"\r\n'-1+1,\"line\nbreak\"\r\n,'@SUM(A1)\r\n"
        );
    }

    #[test]
    fn table_aligns_and_trims() {
        let t = table(&["host", "n"], &[vec!["SRV-LONGNAME", "1"], vec!["A", ""]]);
        assert_eq!(t, "host          n\nSRV-LONGNAME  1\nA\n");
    }
}
