//! `wmic qfe` output, in its three forms:
//!
//! * the table `wmic qfe` / `wmic qfe list` / `wmic qfe get HotFixID,InstalledOn`
//!   prints: a header of property names, then one row per update, columns
//!   padded with spaces to the width of their longest value plus two;
//! * `wmic qfe list full` (and any `/format:list`): one `Key=Value` line per
//!   property, records separated by blank lines;
//! * `/format:csv`: a blank line, a `Node,Caption,CSName,...` header, and
//!   unquoted comma-separated rows.
//!
//! Quirks handled (all seen in real captures, see
//! `tests/fixtures/wmic-qfe/README.md`):
//!
//! * `HotFixID` may be `KB4493471`, `KB2510531-IE8`, a bare `943729`, `Q147222`,
//!   `File 1` (Windows XP, where the KB sits in `ServicePackInEffect`) or a
//!   `{GUID}`; [`Kb::find_loose`] reads the loose forms, and for ids without a
//!   KB the `ServicePackInEffect` column and the `?kbid=` of the `Caption` URL
//!   are tried.
//! * `InstalledOn` may be `M/D/YYYY`, `D.M.YYYY`, `YYYYMMDD`, or on Vista and
//!   Windows Server 2008 a 16-hex-digit FILETIME such as `01d4dfd0fb4eb361`
//!   (a WMI bug of NT 6.0), which is decoded.
//! * Rows written with wide characters may be shorter than the header says
//!   (the Russian capture): values are then matched to columns by order.
//! * A stray line before the header (a shell prompt echo) is skipped.
use super::hotfix_rows::RowTally;
use crate::{Facts, Hotfix, ParseError};
use w2k8_core::{Date, Evidence, Kb, Observed};

/// The properties of `Win32_QuickFixEngineering`, as wmic names its columns
/// (plus `Node`, the first column of `/format:csv`).
const QFE_PROPS: [&str; 12] = [
    "Node",
    "Caption",
    "CSName",
    "Description",
    "FixComments",
    "HotFixID",
    "InstallDate",
    "InstalledBy",
    "InstalledOn",
    "Name",
    "ServicePackInEffect",
    "Status",
];

/// How many non-empty lines at the top of a file are searched for a header.
const HEADER_SEARCH: usize = 8;

/// Whether `text` looks like `wmic qfe` output in any of its forms.
pub fn sniff(text: &str) -> bool {
    find_form(text).is_some()
}

/// Parses `wmic qfe` output read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let (form, header_line) = find_form(text).ok_or_else(|| {
        ParseError::new(
            file,
            first_nonblank_line(text),
            "a wmic qfe header naming HotFixID (table), `HotFixID=` lines (list) or a `Node,...,HotFixID` CSV header",
        )
    })?;
    let rows = match form {
        Form::Table => table_rows(text, header_line),
        Form::List => list_rows(text),
        Form::Csv => csv_rows(text, header_line),
    };
    let mut facts = Facts::default();
    if header_line > 1 && form != Form::List {
        let skipped = lines(text).take_while(|(n, _)| *n < header_line).filter(|(_, l)| !l.trim().is_empty()).count();
        if skipped > 0 {
            facts
                .notes
                .push(format!("{skipped} line(s) before the wmic qfe header at line {header_line} were skipped"));
        }
    }
    let order = DateOrder::infer(rows.rows.iter().filter_map(|r| r.get("InstalledOn")));
    let mut tally = RowTally::default();
    for row in &rows.rows {
        read_row(&mut tally, &mut facts, row, order, file);
    }
    if rows.misaligned > 0 {
        facts.notes.push(format!(
            "{} row(s) were not aligned with the header (wide characters?); their values were matched to columns by order",
            rows.misaligned
        ));
    }
    tally.note(&mut facts);
    Ok(facts)
}

/// Reads one row of `file` into `facts`: its host name and its hotfix.
fn read_row(tally: &mut RowTally, facts: &mut Facts, row: &Row, order: DateOrder, file: &str) {
    if let Some(cs) = row.get("CSName").filter(|s| !s.is_empty()) {
        note_host_name(facts, "CSName", cs, file, row.line);
    }
    let id = row.get("HotFixID").unwrap_or("");
    if id.is_empty() {
        tally.skip_empty_id();
        return;
    }
    let installed_on = tally.installed_on(row.get("InstalledOn").unwrap_or(""), order);
    let kb = kb_for(id, row.get("ServicePackInEffect"), row.get("Caption"));
    tally.keep(facts, hotfix(id, kb, installed_on, row.get("Description"), file, row.line));
}

/// Builds a [`Hotfix`] with its evidence (`hotfix KB4493471`, or `hotfix <id>`).
pub(crate) fn hotfix(
    id: &str,
    kb: Option<Kb>,
    installed_on: Option<Date>,
    description: Option<&str>,
    file: &str,
    line: u32,
) -> Hotfix {
    let fact = match kb {
        Some(kb) => format!("hotfix {kb}"),
        None => format!("hotfix {id}"),
    };
    Hotfix {
        id: id.to_string(),
        kb,
        installed_on,
        description: description.filter(|d| !d.is_empty()).map(str::to_string),
        evidence: Evidence::new(fact, file, Some(line)),
    }
}

/// The KB a qfe row refers to: from `HotFixID`, else (for `File 1` and the
/// like) from `ServicePackInEffect` or the `?kbid=` of the `Caption` URL.
pub(crate) fn kb_for(id: &str, service_pack_in_effect: Option<&str>, caption: Option<&str>) -> Option<Kb> {
    if let Some(kb) = Kb::find_loose(id) {
        return Some(kb);
    }
    if id.starts_with('{') {
        return None;
    }
    service_pack_in_effect.and_then(Kb::find_loose).or_else(|| caption.and_then(kbid_in_url))
}

/// The number after `kbid=` in a support URL such as
/// `http://support.microsoft.com/?kbid=2894852`.
fn kbid_in_url(url: &str) -> Option<Kb> {
    let lower = url.to_ascii_lowercase();
    let at = lower.find("kbid=")?;
    let rest = url.get(at + 5..)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 8 {
        return None;
    }
    digits.parse().ok().and_then(Kb::new)
}

/// Lines with their 1-based numbers, line ends (`\n`, `\r\n`, and the
/// `\r\r\n` wmic writes through a pipe) removed.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.split('\n').enumerate().map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l.trim_end_matches('\r')))
}

fn first_nonblank_line(text: &str) -> Option<u32> {
    lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Table,
    List,
    Csv,
}

/// Finds the form and the line of the header (for the list form, the first
/// `Key=Value` line).
fn find_form(text: &str) -> Option<(Form, u32)> {
    for (n, line) in lines(text).filter(|(_, l)| !l.trim().is_empty()).take(HEADER_SEARCH) {
        let t = line.trim();
        if t.starts_with("Node,") {
            let cols: Vec<&str> = t.split(',').map(str::trim).collect();
            if cols.contains(&"HotFixID") && cols.iter().all(|c| QFE_PROPS.contains(c)) {
                return Some((Form::Csv, n));
            }
        }
        if let Some((key, _)) = t.split_once('=') {
            if QFE_PROPS.contains(&key.trim()) {
                // A list: require a HotFixID= line somewhere, so that
                // `wmic os` lists (Caption=, CSName=) are not taken.
                let has_id = lines(text).any(|(_, l)| l.trim_start().starts_with("HotFixID="));
                let all_known = lines(text)
                    .filter_map(|(_, l)| l.trim().split_once('='))
                    .all(|(k, _)| QFE_PROPS.contains(&k.trim()));
                if has_id && all_known {
                    return Some((Form::List, n));
                }
                return None;
            }
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.contains(&"HotFixID") && words.iter().all(|w| QFE_PROPS.contains(w)) {
            return Some((Form::Table, n));
        }
    }
    None
}

/// One row of any form: values by column name, and the row's line.
#[derive(Debug, Default)]
pub(crate) struct Row {
    pub(crate) line: u32,
    pub(crate) values: Vec<(String, String)>,
}

impl Row {
    /// The value of column `name`, trimmed.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub(crate) rows: Vec<Row>,
    /// Rows whose values did not start at their header's column positions.
    pub(crate) misaligned: usize,
}

/// Column names and their start positions (in characters) in a header line
/// whose names contain no spaces and are separated by spaces.
pub(crate) fn header_columns(header: &str) -> Vec<(String, usize)> {
    let mut cols = Vec::new();
    let mut start: Option<usize> = None;
    let mut name = String::new();
    for (i, c) in header.chars().enumerate() {
        if c == ' ' || c == '\t' {
            if let Some(s) = start.take() {
                cols.push((std::mem::take(&mut name), s));
            }
        } else {
            if start.is_none() {
                start = Some(i);
            }
            name.push(c);
        }
    }
    if let Some(s) = start {
        cols.push((name, s));
    }
    cols
}

/// Splits a table row into values separated by two or more spaces, each with
/// its start position in characters.
fn row_tokens(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            let c = chars.get(i).copied().unwrap_or(' ');
            if c == '\t' {
                break;
            }
            if c == ' ' && chars.get(i + 1).is_none_or(|n| *n == ' ' || *n == '\t') {
                break;
            }
            i += 1;
            end = i;
        }
        out.push((start, chars.get(start..end).map(|s| s.iter().collect()).unwrap_or_default()));
    }
    out
}

/// Assigns a row's values to the header's columns. A value that starts at a
/// column's position goes there; one that does not (a misaligned row) goes to
/// the column it falls in, or the next free one. Returns the row and whether
/// it was misaligned.
pub(crate) fn assign_row(cols: &[(String, usize)], line: &str, n: u32) -> (Row, bool) {
    let mut slots: Vec<Option<String>> = vec![None; cols.len()];
    let mut misaligned = false;
    for (start, value) in row_tokens(line) {
        let exact = cols.iter().position(|(_, s)| *s == start);
        let idx = match exact {
            Some(i) if slots.get(i).is_some_and(Option::is_none) => Some(i),
            _ => {
                misaligned = true;
                let within = cols.iter().rposition(|(_, s)| *s <= start).unwrap_or(0);
                (within..cols.len()).find(|i| slots.get(*i).is_some_and(Option::is_none))
            }
        };
        match idx.and_then(|i| slots.get_mut(i)) {
            Some(slot) => *slot = Some(value),
            None => {
                // More values than columns: append to the last column.
                misaligned = true;
                if let Some(Some(last)) = slots.last_mut() {
                    last.push_str("  ");
                    last.push_str(&value);
                }
            }
        }
    }
    let values = cols
        .iter()
        .zip(slots)
        .map(|((name, _), v)| (name.clone(), v.map(|s| s.trim().to_string()).unwrap_or_default()))
        .collect();
    (Row { line: n, values }, misaligned)
}

fn table_rows(text: &str, header_line: u32) -> Rows {
    let mut out = Rows::default();
    let Some((_, header)) = lines(text).find(|(n, _)| *n == header_line) else {
        return out;
    };
    let cols = header_columns(header);
    for (n, line) in lines(text).skip_while(|(n, _)| *n <= header_line) {
        if line.trim().is_empty() {
            continue;
        }
        let (row, bad) = assign_row(&cols, line, n);
        if bad {
            out.misaligned += 1;
        }
        out.rows.push(row);
    }
    out
}

fn list_rows(text: &str) -> Rows {
    let mut out = Rows::default();
    let mut cur = Row::default();
    let mut id_line = None;
    let flush = |cur: &mut Row, id_line: &mut Option<u32>, out: &mut Rows| {
        if !cur.values.is_empty() {
            let mut row = std::mem::take(cur);
            row.line = id_line.take().unwrap_or(row.line);
            out.rows.push(row);
        }
        *id_line = None;
    };
    for (n, line) in lines(text) {
        let t = line.trim();
        let Some((k, v)) = t.split_once('=') else {
            flush(&mut cur, &mut id_line, &mut out);
            continue;
        };
        let k = k.trim();
        if cur.get(k).is_some() {
            // A key seen again without a blank line: a new record.
            flush(&mut cur, &mut id_line, &mut out);
        }
        if cur.values.is_empty() {
            cur.line = n;
        }
        if k == "HotFixID" {
            id_line = Some(n);
        }
        cur.values.push((k.to_string(), v.trim().to_string()));
    }
    flush(&mut cur, &mut id_line, &mut out);
    out
}

fn csv_rows(text: &str, header_line: u32) -> Rows {
    let mut out = Rows::default();
    let Some((_, header)) = lines(text).find(|(n, _)| *n == header_line) else {
        return out;
    };
    let cols: Vec<String> = header.trim().split(',').map(|c| c.trim().to_string()).collect();
    for (n, line) in lines(text).skip_while(|(n, _)| *n <= header_line) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let values = if fields.len() == cols.len() {
            cols.iter().cloned().zip(fields.iter().map(|f| f.trim().to_string())).collect()
        } else {
            // wmic does not quote: a value with a comma (a Description)
            // adds fields. The first three columns (Node, Caption, CSName)
            // are read from the left, the rest from the right, and the
            // surplus joins the column after CSName.
            out.misaligned += 1;
            csv_realign(&cols, &fields)
        };
        out.rows.push(Row { line: n, values });
    }
    out
}

fn csv_realign(cols: &[String], fields: &[&str]) -> Vec<(String, String)> {
    let left = 3.min(cols.len());
    let mut values: Vec<(String, String)> = Vec::with_capacity(cols.len());
    for (i, c) in cols.iter().enumerate() {
        let v = if i < left {
            fields.get(i).map(|s| s.to_string())
        } else {
            let from_right = cols.len() - i;
            if fields.len() >= from_right + left {
                let fi = fields.len() - from_right;
                if i == left && fields.len() > cols.len() {
                    fields.get(left..=fi).map(|s| s.join(","))
                } else {
                    fields.get(fi).map(|s| s.to_string())
                }
            } else {
                fields.get(i).map(|s| s.to_string())
            }
        };
        values.push((c.clone(), v.unwrap_or_default().trim().to_string()));
    }
    values
}

/// Which of day and month comes first in `a/b/yyyy` dates of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    /// Some date had a first field above 12: the file is day-first.
    DayFirst,
    /// Some date had a second field above 12: the file is month-first.
    MonthFirst,
    /// Nothing tells: month-first (en-US) is assumed and noted.
    Unknown,
}

impl DateOrder {
    /// Looks at every value (the first word of each) for a field above 12.
    pub(crate) fn infer<'a>(values: impl Iterator<Item = &'a str>) -> DateOrder {
        let mut day_first = false;
        let mut month_first = false;
        for v in values {
            if let Some((a, b, _, sep)) = split_date(v) {
                if sep == '.' || a > 31 {
                    continue;
                }
                if a > 12 {
                    day_first = true;
                } else if b > 12 {
                    month_first = true;
                }
            }
        }
        match (day_first, month_first) {
            (true, false) => DateOrder::DayFirst,
            (false, true) => DateOrder::MonthFirst,
            _ => DateOrder::Unknown,
        }
    }
}

/// What reading one date gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateRead {
    /// A date, read without doubt.
    Date(Date),
    /// A date read month-first although it could be day-first.
    Ambiguous(Date),
    /// No value.
    Empty,
    /// A value that is not a date w2k8 can read.
    Unreadable,
}

/// Splits the first word of `s` as `a<sep>b<sep>c` with `sep` one of `/.-`;
/// returns the three numbers and the separator.
fn split_date(s: &str) -> Option<(u32, u32, u32, char)> {
    let word = s.split_whitespace().next()?;
    let sep = ['/', '.', '-'].into_iter().find(|c| word.contains(*c))?;
    let parts: Vec<&str> = word.trim_end_matches(sep).split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| -> Option<u32> {
        (!x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse().ok()).flatten()
    };
    Some((num(a)?, num(b)?, num(c)?, sep))
}

/// Reads an `InstalledOn` value: `M/D/YYYY` (or day-first, per `order`),
/// `D.M.YYYY`, `YYYY-MM-DD`, `YYYYMMDD`, or a 16-hex-digit FILETIME; a time
/// after the date (`5/16/2019 12:00:00 AM`) is ignored.
pub(crate) fn parse_installed_on(raw: &str, order: DateOrder) -> DateRead {
    let s = raw.trim();
    if s.is_empty() {
        return DateRead::Empty;
    }
    if s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u64::from_str_radix(s, 16).ok().and_then(filetime_date).map_or(DateRead::Unreadable, DateRead::Date);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<Date>().map_or(DateRead::Unreadable, DateRead::Date);
    }
    let Some((a, b, c, sep)) = split_date(s) else {
        return DateRead::Unreadable;
    };
    let year = |y: u32| -> Option<i32> { (1000..=9999).contains(&y).then_some(y as i32) };
    let make = |y: u32, m: u32, d: u32| year(y).and_then(|y| Date::new(y, m, d));
    let got = if a >= 1000 {
        // YYYY-MM-DD, YYYY/MM/DD (ja, zh).
        make(a, b, c).map(DateRead::Date)
    } else if sep == '.' {
        // Dotted dates are day-first (de, ru, ...).
        make(c, b, a).map(DateRead::Date)
    } else if a > 12 {
        make(c, b, a).map(DateRead::Date)
    } else if b > 12 || a == b {
        make(c, a, b).map(DateRead::Date)
    } else {
        match order {
            DateOrder::DayFirst => make(c, b, a).map(DateRead::Date),
            DateOrder::MonthFirst => make(c, a, b).map(DateRead::Date),
            DateOrder::Unknown => make(c, a, b).map(DateRead::Ambiguous),
        }
    };
    got.unwrap_or(DateRead::Unreadable)
}

/// The UTC date of a Windows FILETIME (100-ns ticks since 1601-01-01 UTC).
pub(crate) fn filetime_date(ticks: u64) -> Option<Date> {
    // Days from 1601-01-01 to 1970-01-01.
    const EPOCH_DIFF_DAYS: i64 = 134_774;
    let days_since_1601 = i64::try_from(ticks / 10_000_000 / 86_400).ok()?;
    let d = Date::from_days(days_since_1601 - EPOCH_DIFF_DAYS);
    // Reject dates outside what Date::new accepts.
    Date::new(d.year(), d.month(), d.day())
}

/// Records the computer a row names as the host name; a second, different
/// name becomes a note (one export should describe one machine).
pub(crate) fn note_host_name(facts: &mut Facts, column: &str, name: &str, file: &str, line: u32) {
    match &facts.host_name {
        None => facts.host_name = Some(Observed::new(name.to_string(), Evidence::new("host_name", file, Some(line)))),
        Some(h) if !h.value.eq_ignore_ascii_case(name) => {
            let note = format!("rows name more than one computer ({column} {} and {name})", h.value);
            if !facts.notes.contains(&note) {
                facts.notes.push(note);
            }
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qfe_list_past_the_cap_is_cut_and_truncated() {
        // wmic qfe list brief /format:csv with 5,002 rows: two past the cap of 5,000.
        let mut text = String::from("\r\nNode,Description,FixComments,HotFixID,InstallDate,InstalledBy,InstalledOn,Name,ServicePackInEffect,Status\r\n");
        for i in 1..=5002u32 {
            text.push_str(&format!("SRV,Update,,KB{},,,3/17/2019,,,\r\n", 4_000_000 + i));
        }
        let f = parse(&text, "qfe.txt").unwrap();
        assert_eq!(f.hotfixes.len(), 5000);
        assert!(f.hotfix_list_truncated);
        assert!(f.notes.iter().any(|n| n.starts_with("2 hotfix entries past the first 5000")), "{:?}", f.notes);
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap_or_else(|_| panic!("bad test date {s}"))
    }

    #[test]
    fn installed_on_forms() {
        let u = DateOrder::Unknown;
        let cases: &[(&str, DateRead)] = &[
            ("3/17/2019", DateRead::Date(date("2019-03-17"))),
            ("17/3/2019", DateRead::Date(date("2019-03-17"))),
            ("3/4/2019", DateRead::Ambiguous(date("2019-03-04"))),
            ("4/4/2019", DateRead::Date(date("2019-04-04"))),
            ("15.11.2017", DateRead::Date(date("2017-11-15"))),
            ("05.11.2017 00:00:00", DateRead::Date(date("2017-11-05"))),
            ("2019-04-09", DateRead::Date(date("2019-04-09"))),
            ("20190321", DateRead::Date(date("2019-03-21"))),
            ("5/16/2019 12:00:00 AM", DateRead::Date(date("2019-05-16"))),
            ("", DateRead::Empty),
            ("yesterday", DateRead::Unreadable),
            ("2/30/2019", DateRead::Unreadable),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_installed_on(raw, u), *want, "{raw}");
        }
        assert_eq!(parse_installed_on("3/4/2019", DateOrder::DayFirst), DateRead::Date(date("2019-04-03")));
        assert_eq!(parse_installed_on("3/4/2019", DateOrder::MonthFirst), DateRead::Date(date("2019-03-04")));
    }

    #[test]
    fn filetime_is_decoded() {
        // From the Vista SP1 capture: KB937286 installed 2019-03-21 (the
        // GUID row of the same capture says 20190321).
        assert_eq!(parse_installed_on("01d4dfd0fb4eb361", DateOrder::Unknown), DateRead::Date(date("2019-03-21")));
        // 1601-01-01 itself.
        assert_eq!(filetime_date(0), Date::new(1601, 1, 1));
        // 1970-01-01 = 116444736000000000 ticks.
        assert_eq!(filetime_date(116_444_736_000_000_000), Date::new(1970, 1, 1));
        assert_eq!(parse_installed_on("ffffffffffffffff", DateOrder::Unknown), DateRead::Unreadable);
    }

    #[test]
    fn order_inference() {
        assert_eq!(DateOrder::infer(["3/4/2019", "17/3/2019"].into_iter()), DateOrder::DayFirst);
        assert_eq!(DateOrder::infer(["3/4/2019", "3/17/2019"].into_iter()), DateOrder::MonthFirst);
        assert_eq!(DateOrder::infer(["3/4/2019", "15.11.2017"].into_iter()), DateOrder::Unknown);
    }

    #[test]
    fn kb_fallbacks() {
        assert_eq!(kb_for("KB2510531-IE8", None, None), Kb::new(2510531));
        assert_eq!(kb_for("File 1", Some("KB2115168"), None), Kb::new(2115168));
        assert_eq!(kb_for("File 1", Some(""), Some("http://support.microsoft.com/?kbid=2894852")), Kb::new(2894852));
        assert_eq!(kb_for("{7A068575-C5DB-43D9-BE20-3895D0C69B17}", None, Some("?kbid=1234567")), None);
        assert_eq!(kb_for("File 1", Some("SP3"), Some("http://support.microsoft.com")), None);
    }

    #[test]
    fn tokens_and_alignment() {
        let header = "Caption  CSName  HotFixID   InstalledOn  ";
        let cols = header_columns(header);
        assert_eq!(
            cols.iter().map(|(n, s)| (n.as_str(), *s)).collect::<Vec<_>>(),
            vec![("Caption", 0), ("CSName", 9), ("HotFixID", 17), ("InstalledOn", 28)]
        );
        let (row, bad) = assign_row(&cols, "         SRV1    File 1     3/4/2019     ", 2);
        assert!(!bad);
        assert_eq!(row.get("Caption"), Some(""));
        assert_eq!(row.get("HotFixID"), Some("File 1"));
        assert_eq!(row.get("InstalledOn"), Some("3/4/2019"));
        // Shifted left by three characters after CSName.
        let (row, bad) = assign_row(&cols, "x        SRV1    KB1234  3/4/2019", 3);
        assert!(bad);
        assert_eq!(row.get("HotFixID"), Some("KB1234"));
        assert_eq!(row.get("InstalledOn"), Some("3/4/2019"));
    }

    #[test]
    fn list_form_with_crcrlf() {
        let text = "\r\r\n\r\r\nCaption=http://support.microsoft.com/?kbid=4493730\r\r\nCSName=SRV1\r\r\nDescription=Update\r\r\nHotFixID=KB4493730\r\r\nInstalledOn=4/10/2019\r\r\n\r\r\n\r\r\nCSName=SRV1\r\r\nHotFixID=KB4474419\r\r\nInstalledOn=9/25/2019\r\r\n";
        assert!(sniff(text));
        let f = parse(text, "q.txt").unwrap_or_default();
        assert_eq!(f.hotfixes.len(), 2);
        assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(6)));
        assert_eq!(f.hotfixes.get(1).and_then(|h| h.installed_on), Some(date("2019-09-25")));
        assert_eq!(f.host_name.map(|h| h.value), Some("SRV1".to_string()));
    }

    #[test]
    fn csv_with_comma_in_description() {
        let text = "\r\nNode,Caption,CSName,Description,HotFixID,InstalledOn\r\nSRV1,,SRV1,Update, extra,KB123456,1/2/2019\r\n";
        let f = parse(text, "q.csv").unwrap_or_default();
        assert_eq!(f.hotfixes.first().and_then(|h| h.kb), Kb::new(123456));
        assert_eq!(f.hotfixes.first().and_then(|h| h.description.clone()), Some("Update, extra".to_string()));
    }

    #[test]
    fn not_qfe() {
        assert!(!sniff("Host Name:                 SRV1\r\nOS Name:   Microsoft Windows Server 2008\r\n"));
        assert!(!sniff(
            "\r\n\r\nBuildNumber=6003\r\nCaption=Microsoft Windows Server 2008 Standard \r\nCSName=SRV1\r\n"
        ));
        assert!(!sniff("Source        Description      HotFixID\r\n------        -----------      --------\r\n"));
        assert!(parse("hello\r\n", "x.txt").is_err());
    }
}
