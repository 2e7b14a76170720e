//! The two tabular forms every table of w2k8 shares: CSV (RFC 4180 by the
//! `csv` crate, CRLF line ends, a header row, and a formula guard on every
//! cell) and aligned text columns for the console.
use crate::term::{Paint, Term};
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
/// drive the terminal. [`Table`] fits a width and colours cells.
pub fn table<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>]) -> String {
    let mut t = Table::new(header.iter().map(|h| Column::keep(h)).collect());
    for r in rows {
        t.row(r.iter().map(|c| Cell::plain(c.as_ref())).collect());
    }
    t.render(&Term::plain())
}

/// How a column behaves when the table is wider than the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never wrapped nor cut (ids: CVE, KB, host name, severity, KEV dates).
    Keep,
    /// Wrapped on spaces (titles, reasons); a word longer than the column is split.
    Wrap,
    /// Left out when the kept and wrapped columns cannot fit otherwise; the
    /// higher the number, the earlier. The table says which were left out.
    Drop(u8),
    /// Moved under its row (indented, wrapped at the width) when the table
    /// does not fit with it inline (a title, a reason).
    Below,
}

/// One column of a [`Table`].
#[derive(Debug, Clone)]
pub struct Column {
    header: String,
    fit: Fit,
    right: bool,
    min: usize,
}

impl Column {
    /// A column never wrapped.
    pub fn keep(header: &str) -> Column {
        Column { header: header.to_string(), fit: Fit::Keep, right: false, min: 0 }
    }

    /// A column wrapped when the table is too wide.
    pub fn wrap(header: &str) -> Column {
        Column { header: header.to_string(), fit: Fit::Wrap, right: false, min: MIN_WRAP }
    }

    /// A column left out (the higher `rank`, the earlier) when the table cannot fit otherwise.
    pub fn drop(header: &str, rank: u8) -> Column {
        Column { header: header.to_string(), fit: Fit::Drop(rank), right: false, min: 0 }
    }

    /// A column moved under its row when the table does not fit with it inline.
    pub fn below(header: &str) -> Column {
        Column { header: header.to_string(), fit: Fit::Below, right: false, min: MIN_WRAP }
    }

    /// A wrapped column never narrower than `n` (e.g. a date's 10 characters).
    pub fn min(mut self, n: usize) -> Column {
        self.min = n;
        self
    }

    /// Right-aligned (counts).
    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }
}

/// One cell: its text (escaped when the table is rendered) and its colour.
#[derive(Debug, Clone)]
pub struct Cell {
    text: String,
    paint: Option<Paint>,
}

impl Cell {
    /// A cell without colour.
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), paint: None }
    }

    /// A cell coloured by `paint` when the console takes colour.
    pub fn paint(text: impl Into<String>, paint: Option<Paint>) -> Cell {
        Cell { text: text.into(), paint }
    }
}

/// A text table that fits a width ([`Term::width`]): kept columns are never
/// cut, wrapped ones wrap on spaces, droppable ones are left out last
/// resort; without a width every row is one line. Cells are escaped
/// ([`w2k8_core::text::escape_line`]) before colour is added.
#[derive(Debug, Clone)]
pub struct Table {
    cols: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    indent: usize,
    header: bool,
}

/// Columns are separated by this many spaces.
const GAP: usize = 2;
/// A wrapped column is never narrower than this (or its widest cell).
const MIN_WRAP: usize = 8;

impl Table {
    /// A table with these columns.
    pub fn new(cols: Vec<Column>) -> Table {
        Table { cols, rows: Vec::new(), indent: 0, header: true }
    }

    /// Adds a column after the others.
    pub fn column(mut self, c: Column) -> Table {
        self.cols.push(c);
        self
    }

    /// No header line.
    pub fn headless(mut self) -> Table {
        self.header = false;
        self
    }

    /// Every line starts with `n` spaces.
    pub fn indent(mut self, n: usize) -> Table {
        self.indent = n;
        self
    }

    /// Appends one row (missing cells are empty, extra ones ignored).
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// The table as text lines.
    pub fn render(&self, term: &Term) -> String {
        let n = self.cols.len();
        let rows = self.escaped_rows();
        let headers = self.escaped_headers();
        let cells: Vec<usize> =
            (0..n).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| len(&c.0)).max().unwrap_or(0)).collect();
        let head: Vec<usize> = headers
            .iter()
            .map(|h| h.split(' ').flat_map(|w| w.split_inclusive('_')).map(len).max().unwrap_or(0))
            .collect();
        let head_len: Vec<usize> = headers.iter().map(|h| len(h)).collect();
        let (shown, widths) = self.fit(&cells, &head, &head_len, term.width());
        let mut out = String::new();
        let header_cells: Vec<(String, Option<Paint>)> = headers.iter().map(|h| (h.clone(), None)).collect();
        if self.header {
            self.line(&header_cells, &shown, &widths, true, term, &mut out);
        }
        self.body(&rows, &shown, &widths, term, &mut out);
        self.left_out_note(&headers, &shown, term, &mut out);
        out
    }

    /// Every row's cells escaped, one per column (a missing cell empty, an extra one ignored).
    fn escaped_rows(&self) -> Vec<Vec<(String, Option<Paint>)>> {
        let n = self.cols.len();
        self.rows
            .iter()
            .map(|r| {
                (0..n)
                    .map(|i| match r.get(i) {
                        Some(c) => (w2k8_core::text::escape_line(&c.text).into_owned(), c.paint),
                        None => (String::new(), None),
                    })
                    .collect()
            })
            .collect()
    }

    /// Each column's header escaped (empty for a headless table).
    fn escaped_headers(&self) -> Vec<String> {
        self.cols
            .iter()
            .map(|c| if self.header { w2k8_core::text::escape_line(&c.header).into_owned() } else { String::new() })
            .collect()
    }

    /// The rows, each followed by its non-empty cells of the columns moved under it (indented, wrapped).
    fn body(
        &self,
        rows: &[Vec<(String, Option<Paint>)>],
        shown: &[usize],
        widths: &[usize],
        term: &Term,
        out: &mut String,
    ) {
        let n = self.cols.len();
        let below: Vec<usize> =
            (0..n).filter(|i| !shown.contains(i) && self.cols.get(*i).is_some_and(|c| c.fit == Fit::Below)).collect();
        let under = self.indent + 4;
        let under_width = term.width().map_or(usize::MAX, |w| w.saturating_sub(under).max(MIN_WRAP));
        for r in rows {
            self.line(r, shown, widths, false, term, out);
            for &i in &below {
                let text = r.get(i).map_or("", |c| c.0.as_str());
                if text.is_empty() {
                    continue;
                }
                for l in wrap_cell(text, under_width, false) {
                    out.push_str(&" ".repeat(under));
                    out.push_str(&l);
                    out.push('\n');
                }
            }
        }
    }

    /// The note naming the columns left out at this width (none: nothing).
    fn left_out_note(&self, headers: &[String], shown: &[usize], term: &Term, out: &mut String) {
        let left_out: Vec<&str> = (0..self.cols.len())
            .filter(|i| !shown.contains(i) && self.cols.get(*i).is_none_or(|c| c.fit != Fit::Below))
            .filter_map(|i| headers.get(i).map(String::as_str))
            .collect();
        if left_out.is_empty() {
            return;
        }
        let note = format!(
            "(left out at this width: {}; a wider terminal, --width or --format csv shows them)",
            left_out.join(", ")
        );
        let w = term.width().map_or(usize::MAX, |w| w.saturating_sub(self.indent).max(MIN_WRAP));
        for l in wrap_cell(&note, w, false) {
            out.push_str(&" ".repeat(self.indent));
            out.push_str(&l);
            out.push('\n');
        }
    }

    /// The width of the columns `shown` at widths `w`, with the indent and the gaps.
    fn total(&self, shown: &[usize], w: &[usize]) -> usize {
        self.indent + shown.iter().map(|&i| at(w, i)).sum::<usize>() + GAP * shown.len().saturating_sub(1)
    }

    /// The columns shown and their widths for `width`: `cells` is each
    /// column's widest cell, `head` its header's longest piece (a header
    /// breaks at spaces and after `_`).
    fn fit(
        &self,
        cells: &[usize],
        head: &[usize],
        head_len: &[usize],
        width: Option<usize>,
    ) -> (Vec<usize>, Vec<usize>) {
        let n = self.cols.len();
        let natural: Vec<usize> = (0..n).map(|i| at(cells, i).max(at(head_len, i))).collect();
        let mut shown: Vec<usize> = (0..n).collect();
        let Some(width) = width else { return (shown, natural) };
        if self.total(&shown, &natural) <= width {
            return (shown, natural);
        }
        // Columns that go under their row leave the line.
        shown.retain(|&i| self.cols.get(i).is_none_or(|c| c.fit != Fit::Below));
        let mut widths = self.narrowest(cells, head, &natural);
        self.drop_to_fit(&mut shown, &widths, width);
        self.share_room(&shown, &mut widths, &natural, width);
        (shown, widths)
    }

    /// The narrowest each column can be: a kept one its widest cell, a
    /// wrapped one a few characters.
    fn narrowest(&self, cells: &[usize], head: &[usize], natural: &[usize]) -> Vec<usize> {
        (0..self.cols.len())
            .map(|i| match self.cols.get(i) {
                Some(c) if c.fit == Fit::Wrap => at(natural, i).min(c.min.max(at(head, i))),
                _ => at(cells, i).max(at(head, i)),
            })
            .collect()
    }

    /// Leaves out droppable columns, highest rank first, until the table fits `width`.
    fn drop_to_fit(&self, shown: &mut Vec<usize>, widths: &[usize], width: usize) {
        let mut drops: Vec<(u8, usize)> = self
            .cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.fit {
                Fit::Drop(r) => Some((r, i)),
                _ => None,
            })
            .collect();
        drops.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut dropped = Vec::new();
        for &(_, i) in &drops {
            if self.total(shown, widths) <= width {
                break;
            }
            shown.retain(|&s| s != i);
            dropped.push(i);
        }
        // A column left out early may fit again once a later one is out.
        for &i in dropped.iter().rev().skip(1) {
            let mut with: Vec<usize> = shown.clone();
            with.push(i);
            with.sort_unstable();
            if self.total(&with, widths) <= width {
                *shown = with;
            }
        }
    }

    /// The room left shared among the columns below their natural width,
    /// the smallest need first.
    fn share_room(&self, shown: &[usize], widths: &mut [usize], natural: &[usize], width: usize) {
        let mut room = width.saturating_sub(self.total(shown, widths));
        let mut grow: Vec<usize> = shown.iter().copied().filter(|&i| at(natural, i) > at(widths, i)).collect();
        grow.sort_by_key(|&i| at(natural, i) - at(widths, i));
        let mut left = grow.len();
        for i in grow {
            let share = room / left.max(1);
            if let Some(w) = widths.get_mut(i) {
                let add = at(natural, i).saturating_sub(*w).min(share);
                *w += add;
                room -= add;
            }
            left -= 1;
        }
    }

    /// One row, as many lines as its tallest wrapped cell.
    fn line(
        &self,
        cells: &[(String, Option<Paint>)],
        shown: &[usize],
        widths: &[usize],
        header: bool,
        term: &Term,
        out: &mut String,
    ) {
        let wrapped: Vec<Vec<String>> = shown
            .iter()
            .map(|&i| {
                let text = cells.get(i).map_or("", |c| c.0.as_str());
                let w = widths.get(i).copied().unwrap_or(0);
                if len(text) <= w {
                    vec![text.to_string()]
                } else {
                    wrap_cell(text, w, header)
                }
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for l in 0..height {
            let start = out.len();
            out.push_str(&" ".repeat(self.indent));
            for (k, &i) in shown.iter().enumerate() {
                let text = wrapped.get(k).and_then(|w| w.get(l)).map_or("", String::as_str);
                let w = widths.get(i).copied().unwrap_or(0);
                let pad = w.saturating_sub(len(text));
                let paint = cells.get(i).and_then(|c| c.1);
                let right = self.cols.get(i).is_some_and(|c| c.right);
                if right {
                    out.push_str(&" ".repeat(pad));
                }
                out.push_str(&term.paint(paint, text));
                if k + 1 < shown.len() {
                    if !right {
                        out.push_str(&" ".repeat(pad));
                    }
                    out.push_str(&" ".repeat(GAP));
                }
            }
            let trimmed = out[start..].trim_end().len();
            out.truncate(start + trimmed);
            out.push('\n');
        }
    }
}

/// `v[i]`, or 0 past its end.
fn at(v: &[usize], i: usize) -> usize {
    v.get(i).copied().unwrap_or(0)
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// `text` in lines of at most `width` characters, broken at spaces (and,
/// for a header, after `_`); a longer word is split.
pub fn wrap_cell(text: &str, width: usize, header: bool) -> Vec<String> {
    let width = width.max(1);
    // The pieces, each with whether a space goes before it on a line.
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if header {
            for (k, p) in word.split_inclusive('_').enumerate() {
                pieces.push((p, k == 0));
            }
        } else {
            pieces.push((word, true));
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (word, space) in pieces {
        let glue = space && !cur.is_empty();
        if len(&cur) + usize::from(glue) + len(word) <= width {
            if glue {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        let mut rest: Vec<char> = word.chars().collect();
        while rest.len() > width {
            let tail = rest.split_off(width);
            lines.push(rest.into_iter().collect());
            rest = tail;
        }
        cur = rest.into_iter().collect();
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
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
    fn wraps_on_spaces_and_header_underscores() {
        assert_eq!(wrap_cell("none to you (ended 2020-01-14)", 12, false), ["none to you", "(ended", "2020-01-14)"]);
        assert_eq!(wrap_cell("patched_through", 9, true), ["patched_", "through"]);
        assert_eq!(wrap_cell("fixed by", 6, true), ["fixed", "by"]);
        assert_eq!(wrap_cell("abcdefghij", 4, false), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_cell("", 4, false), [""]);
    }

    #[test]
    fn fits_the_width_keeping_ids_whole() {
        let mut t = Table::new(vec![Column::keep("CVE"), Column::keep("severity"), Column::wrap("title")]).indent(2);
        t.row(vec![
            Cell::plain("CVE-2017-0144"),
            Cell::paint("critical", Some(Paint::Critical)),
            Cell::plain("Windows SMB Remote Code Execution Vulnerability"),
        ]);
        let wide = t.render(&Term::plain());
        assert_eq!(
            wide,
            "  CVE            severity  title\n  CVE-2017-0144  critical  Windows SMB Remote Code Execution Vulnerability\n"
        );
        let narrow = t.render(&Term { width: Some(50), ..Term::plain() });
        assert_eq!(
            narrow,
            "  CVE            severity  title\n  CVE-2017-0144  critical  Windows SMB Remote Code\n                           Execution Vulnerability\n"
        );
        let colour = t.render(&Term { width: Some(50), color: true, ..Term::plain() });
        assert!(colour.contains("\u{1b}[31mcritical\u{1b}[0m  Windows"), "{colour}");
    }

    #[test]
    fn drops_columns_last_and_says_so() {
        let mut t = Table::new(vec![
            Column::keep("host"),
            Column::drop("edition", 1),
            Column::keep("patched_through"),
            Column::drop("last_scan", 2),
        ]);
        t.row(vec![
            Cell::plain("SRV-FILE01"),
            Cell::plain("Standard"),
            Cell::plain("2020-01"),
            Cell::plain("2026-12-06T15:35:59Z"),
        ]);
        let out = t.render(&Term { width: Some(40), ..Term::plain() });
        assert_eq!(
            out,
            "host        edition   patched_through\nSRV-FILE01  Standard  2020-01\n(left out at this width: last_scan; a\nwider terminal, --width or --format csv\nshows them)\n"
        );
    }

    #[test]
    fn a_below_column_goes_under_its_row() {
        let mut t = Table::new(vec![Column::keep("KB"), Column::keep("kind"), Column::below("why")]).indent(2);
        t.row(vec![
            Cell::plain("KB4012598"),
            Cell::plain("security_update"),
            Cell::plain("closes CVE-2017-0144 (WannaCry)"),
        ]);
        assert_eq!(
            t.render(&Term::plain()),
            "  KB         kind             why\n  KB4012598  security_update  closes CVE-2017-0144 (WannaCry)\n"
        );
        assert_eq!(
            t.render(&Term { width: Some(40), ..Term::plain() }),
            "  KB         kind\n  KB4012598  security_update\n      closes CVE-2017-0144 (WannaCry)\n"
        );
    }

    #[test]
    fn escapes_before_colour() {
        let mut t = Table::new(vec![Column::keep("host"), Column::keep("kev")]);
        t.row(vec![Cell::plain("EVIL\u{1b}[2J"), Cell::paint("1", Some(Paint::Kev))]);
        let out = t.render(&Term { color: true, ..Term::plain() });
        assert!(out.contains("EVIL\\x1B[2J"), "{out}");
        assert_eq!(
            out, "host         kev\nEVIL\\x1B[2J  \u{1b}[1m\u{1b}[35m1\u{1b}[0m\n",
            "only the KEV cell's own codes"
        );
    }

    #[test]
    fn table_aligns_and_trims() {
        let t = table(&["host", "n"], &[vec!["SRV-LONGNAME", "1"], vec!["A", ""]]);
        assert_eq!(t, "host          n\nSRV-LONGNAME  1\nA\n");
    }
}
