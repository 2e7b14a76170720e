//! `systeminfo` output, in every form it writes and the languages in
//! `labels`:
//!
//! * the default list and `/fo list`: `Label:` padded with spaces to the
//!   value column (28 in English, wider in other languages), multi-line
//!   values (Processor(s), Hotfix(s), Network Card(s)) continuing on indented
//!   lines, a leading blank line;
//! * `/fo table`: a header line of labels, a line of `=` runs giving each
//!   column's width, then a data line whose cells are cut at the width and
//!   whose multi-line values are joined with `, `; with `/nh` only the data
//!   line, read with the fixed English column widths;
//! * `/fo csv`: a quoted header record and a quoted data record, multi-line
//!   values joined with `,`; with `/nh` only the data record, read in the
//!   fixed English column order.
//!
//! Every fact carries its evidence (file and 1-based line; for table and CSV
//! the data line). A hotfix list shorter than its header says, or whose last
//! entry is cut mid-word, sets [`Facts::hotfix_list_truncated`] and a note;
//! a cut entry never yields a KB.
mod labels;

use crate::{Facts, Hotfix, ParseError};
use labels::{lookup, Field};
use w2k8_core::{Arch, Evidence, Kb, Observed};

/// What a text that is not systeminfo is told.
const EXPECTED: &str = "a systeminfo label such as `Host Name:`";

/// How many lines [`sniff`] looks at.
const SNIFF_LINES: usize = 80;

/// Whether `text` looks like systeminfo output in a supported form and language.
pub fn sniff(text: &str) -> bool {
    match detect_form(text) {
        Some(Form::List) => {
            let mut seen: Vec<Field> = Vec::new();
            for line in text.lines().take(SNIFF_LINES) {
                if let Some((field, _)) = split_label(line) {
                    if !seen.contains(&field) {
                        seen.push(field);
                    }
                }
            }
            (seen.len() >= 2 && seen.iter().any(|f| f.is_core())) || positional_lines(text).is_some()
        }
        Some(_) => true,
        None => false,
    }
}

/// The language of the first known label in `text` (`en`, `de`, `fr`,
/// `it`, `es`, `ja`, `pt-BR`, `ru`, `zh-CN`, `zh-TW`), for reports.
pub fn label_language(text: &str) -> Option<&'static str> {
    text.lines().take(SNIFF_LINES).find_map(|l| {
        let (_, value) = split_label(l)?;
        let label = l.get(..l.len().saturating_sub(value.len() + 1))?;
        labels::language_of(label)
    })
}

/// Parses `text` read from `file`.
///
/// Fails (at line 1, expecting "a systeminfo label such as `Host Name:`")
/// when no core label (host name, OS name, OS version, system type, hotfixes)
/// is found. Truncated output gives what could be read, with a note.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut b = Builder::new(file);
    match detect_form(text) {
        Some(Form::Table { header }) => parse_table(text, header, &mut b),
        Some(Form::TableNoHeader { line }) => parse_table_nh(text, line, &mut b),
        Some(Form::Csv { header }) => parse_csv(text, header, &mut b),
        Some(Form::List) | None => {
            parse_list(text, &mut b);
            if !b.seen_core {
                parse_list_positional(text, &mut b);
            }
        }
    }
    b.finish()
}

/// The form a text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `Label: value` lines.
    List,
    /// `/fo table`: header at this 0-based line, `=` line after it.
    Table { header: usize },
    /// `/fo table /nh`: the data line at this 0-based line.
    TableNoHeader { line: usize },
    /// `/fo csv`; `header` is false with `/nh`.
    Csv { header: bool },
}

/// Recognises the form from the first non-blank lines.
fn detect_form(text: &str) -> Option<Form> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (first_no, first) = lines.next()?;
    let second = lines.next().map(|(_, l)| l);
    if first.starts_with('"') {
        let records = csv_records(text, 2);
        let head = records.first()?;
        if head.fields.iter().filter(|f| lookup(f).is_some()).count() >= 2 {
            return Some(Form::Csv { header: true });
        }
        if head.fields.len() > 30 && head.fields.get(2).is_some_and(|v| VersionLine::parse(v).is_some()) {
            return Some(Form::Csv { header: false });
        }
        return None;
    }
    if let Some(sep) = second {
        let sep = sep.trim_end();
        if sep.starts_with('=') && sep.chars().all(|c| c == '=' || c == ' ') {
            let head: Vec<char> = first.chars().collect();
            let header_fields = columns(sep).iter().filter(|&&(s, e)| lookup(&cell_of(&head, s, e)).is_some()).count();
            if header_fields >= 2 {
                return Some(Form::Table { header: first_no });
            }
        }
    }
    if first.chars().count() > 400 && is_fixed_table_row(first) {
        return Some(Form::TableNoHeader { line: first_no });
    }
    let labelled = text.lines().take(SNIFF_LINES).any(|l| split_label(l).is_some());
    (labelled || positional_lines(text).is_some()).then_some(Form::List)
}

/// The order of the top-level lines of systeminfo's list form, the same in
/// every language (seen in all the real captures: en, de, fr, it, es, ru,
/// ja, zh-CN, zh-TW, pt-BR; Server 2003 to Windows 11): the 0-based
/// position of each field w2k8 reads. The hotfix line is found by its shape.
const POSITIONS: [(usize, Field); 7] = [
    (0, Field::HostName),
    (1, Field::OsName),
    (2, Field::OsVersion),
    (4, Field::OsConfiguration),
    (8, Field::ProductId),
    (9, Field::InstallDate),
    (13, Field::SystemType),
];

/// For list-form output whose labels are in no known language: the
/// top-level `label: value` lines as (0-based line index, value), when the
/// third is a version line and the fourteenth a system type, which is what
/// makes it systeminfo whatever the language. `None` otherwise.
fn positional_lines(text: &str) -> Option<Vec<(usize, &str)>> {
    let mut top = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if clean(line).is_empty() || line.starts_with([' ', '\t', '\u{a0}']) {
            continue;
        }
        let (_, value) = line.split_once(':')?;
        top.push((i, value));
        if top.len() > 14 {
            break;
        }
    }
    let version = top.get(2).map(|(_, v)| clean(v))?;
    let system_type = top.get(13).map(|(_, v)| clean(v))?;
    (VersionLine::parse(version).is_some() && Arch::recognise(system_type).is_some()).then_some(top)
}

/// Parses list-form output by position (see [`POSITIONS`]); the hotfix
/// header is the first later top-level line followed by `[01]:` entries or
/// whose value is a count.
fn parse_list_positional(text: &str, b: &mut Builder) -> bool {
    let Some(top) = positional_lines(text) else { return false };
    for (pos, field) in POSITIONS {
        if let Some(&(i, value)) = top.get(pos) {
            b.set(field, clean(value), line_no(i));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut in_hotfixes = false;
    let mut seen_top = 0usize;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if clean(line).is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t', '\u{a0}']);
        if indented {
            if in_hotfixes {
                b.hotfix_entry(clean(line), line_no(i));
            }
            continue;
        }
        seen_top += 1;
        in_hotfixes = false;
        if seen_top <= 14 || b.hotfix_header.is_some() {
            continue;
        }
        // The hotfix header: the next indented line is a `[01]:` entry naming a KB
        // (network cards are `[01]: <adapter name>`), or it has none and says N/A.
        let next = lines.get(i + 1).map(|l| clean(l)).unwrap_or("");
        let entry_is_kb = next
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(_, rest)| clean(rest.trim_start_matches([' ', ':'])))
            .is_some_and(|id| Kb::find_loose(id).is_some() || id.starts_with("File ") || id.starts_with('{'));
        if entry_is_kb {
            if let Some((_, value)) = line.split_once(':') {
                b.set(Field::Hotfixes, clean(value), line_no(i));
                in_hotfixes = true;
            }
        }
    }
    b.notes.push(
        "the labels are in a language w2k8 has no label table for: fields were read by their position, which systeminfo keeps the same in every language"
            .to_string(),
    );
    true
}

/// Whether a line reads as a `/fo table /nh` row: a version line in the
/// third fixed column and a system type in the fourteenth.
fn is_fixed_table_row(line: &str) -> bool {
    let cols = fixed_columns();
    let get = |i: usize| cols.get(i).map(|&(s, e)| cell(line, s, e)).unwrap_or_default();
    VersionLine::parse(&get(2)).is_some() && Arch::recognise(&get(13)).is_some()
}

/// Splits a list line into its known label's field and the value; `None`
/// for indented lines and unknown labels. Labels may contain colons
/// (`Page File: Max Size:`), so each colon is tried in turn.
fn split_label(line: &str) -> Option<(Field, &str)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    for (i, _) in line.match_indices(':') {
        let label = line.get(..i)?;
        if let Some(field) = lookup(label) {
            let value = line.get(i + 1..).unwrap_or("");
            return Some((field, value));
        }
    }
    None
}

/// Trims spaces (also no-break spaces, which French systeminfo prints) and a CR.
fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Parses the list form.
fn parse_list(text: &str, b: &mut Builder) {
    let mut current: Option<Field> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = line_no(i);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if clean(line).is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t', '\u{a0}']) {
            if current == Some(Field::Hotfixes) {
                b.hotfix_entry(clean(line), no);
            }
            continue;
        }
        match split_label(line) {
            Some((field, value)) => {
                b.set(field, clean(value), no);
                current = Some(field);
            }
            None => current = None,
        }
    }
}

/// The 1-based line number of 0-based line `i`.
fn line_no(i: usize) -> u32 {
    u32::try_from(i).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// Character ranges `[start, end)` of the `=` runs of a table separator line.
fn columns(sep: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in sep.chars().enumerate() {
        match (c == '=', start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, sep.chars().count()));
    }
    out
}

/// The fixed `/nh` column ranges from [`labels::TABLE_WIDTHS`].
fn fixed_columns() -> Vec<(usize, usize)> {
    let mut start = 0;
    labels::TABLE_WIDTHS
        .iter()
        .map(|w| {
            let r = (start, start + w);
            start += w + 1;
            r
        })
        .collect()
}

/// The trimmed characters `[start, end)` of `line`.
fn cell(line: &str, start: usize, end: usize) -> String {
    let s: String = line.chars().skip(start).take(end.saturating_sub(start)).collect();
    clean(&s).to_string()
}

/// The trimmed characters `[start, end)` of a line already split into
/// characters (so that many columns cost linear time).
fn cell_of(chars: &[char], start: usize, end: usize) -> String {
    let s: String = chars.get(start.min(chars.len())..end.min(chars.len())).unwrap_or(&[]).iter().collect();
    clean(&s).to_string()
}

/// Parses `/fo table` with its header at 0-based line `header`.
fn parse_table(text: &str, header: usize, b: &mut Builder) {
    let mut lines = text.lines().skip(header);
    let (Some(head), Some(sep)) = (lines.next(), lines.next()) else { return };
    let Some((offset, data)) = lines.enumerate().find(|(_, l)| !clean(l).is_empty()) else {
        b.notes.push("the table has a header but no data line".into());
        return;
    };
    let no = line_no(header + 2 + offset);
    let (head, data): (Vec<char>, Vec<char>) = (head.chars().collect(), data.chars().collect());
    for (s, e) in columns(sep.trim_end()) {
        if let Some(field) = lookup(&cell_of(&head, s, e)) {
            b.set_cell(field, &cell_of(&data, s, e), no, ", ");
        }
    }
    b.table = true;
}

/// Parses `/fo table /nh`: one data line at 0-based line `line`.
fn parse_table_nh(text: &str, line: usize, b: &mut Builder) {
    let Some(data) = text.lines().nth(line) else { return };
    let cols = fixed_columns();
    for &(i, field) in labels::FIXED_COLUMNS {
        if let Some(&(s, e)) = cols.get(i) {
            b.set_cell(field, &cell(data, s, e), line_no(line), ", ");
        }
    }
    b.table = true;
    b.notes.push("`/fo table /nh` read with the English column widths".into());
}

/// Parses `/fo csv`, with or without its header record.
fn parse_csv(text: &str, header: bool, b: &mut Builder) {
    let records = csv_records(text, 3);
    let mut it = records.iter();
    let head = if header { it.next() } else { None };
    let Some(data) = it.next() else {
        b.notes.push("the CSV has a header but no data record".into());
        return;
    };
    match head {
        Some(head) => {
            for (name, value) in head.fields.iter().zip(&data.fields) {
                if let Some(field) = lookup(name) {
                    b.set_cell(field, value, data.line, ",");
                }
            }
        }
        None => {
            for &(i, field) in labels::FIXED_COLUMNS {
                if let Some(value) = data.fields.get(i) {
                    b.set_cell(field, value, data.line, ",");
                }
            }
            b.notes.push("`/fo csv /nh` read in the English column order".into());
        }
    }
}

/// One CSV record and the 1-based line it starts on.
#[derive(Debug)]
struct Record {
    fields: Vec<String>,
    line: u32,
}

/// Reads up to `max` non-empty CSV records (quoted fields, `""` escapes;
/// a quoted field may span lines).
fn csv_records(text: &str, max: usize) -> Vec<Record> {
    let mut scan = CsvScan::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if scan.out.len() >= max {
            break;
        }
        if scan.quoted {
            scan.quoted_char(c, &mut chars);
        } else {
            scan.plain_char(c);
        }
    }
    scan.finish(max)
}

/// Where [`csv_records`] stands between two characters.
struct CsvScan {
    /// The records read so far.
    out: Vec<Record>,
    /// The fields of the record being read.
    fields: Vec<String>,
    /// The field being read.
    field: String,
    /// Inside a quoted field.
    quoted: bool,
    /// The 1-based line of the current character.
    line: u32,
    /// The line the current record starts on.
    start: u32,
    /// No character of the record read yet (but whitespace and commas).
    at_start: bool,
}

impl Default for CsvScan {
    fn default() -> Self {
        CsvScan {
            out: Vec::new(),
            fields: Vec::new(),
            field: String::new(),
            quoted: false,
            line: 1,
            start: 1,
            at_start: true,
        }
    }
}

impl CsvScan {
    /// One character inside a quoted field (`""` is a quote).
    fn quoted_char(&mut self, c: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
        match c {
            '"' if chars.peek() == Some(&'"') => {
                chars.next();
                self.field.push('"');
            }
            '"' => self.quoted = false,
            '\n' => {
                self.line = self.line.saturating_add(1);
                self.field.push(c);
            }
            _ => self.field.push(c),
        }
    }

    /// One character outside quotes.
    fn plain_char(&mut self, c: char) {
        match c {
            '"' => {
                if self.at_start {
                    self.start = self.line;
                    self.at_start = false;
                }
                self.quoted = true;
            }
            ',' => self.fields.push(std::mem::take(&mut self.field)),
            '\r' => {}
            '\n' => {
                if !self.at_start {
                    self.fields.push(std::mem::take(&mut self.field));
                    self.out.push(Record { fields: std::mem::take(&mut self.fields), line: self.start });
                }
                // A line of commas and blanks is no record: none of it
                // carries into the next one.
                self.fields.clear();
                self.field.clear();
                self.at_start = true;
                self.line = self.line.saturating_add(1);
            }
            _ => {
                if self.at_start && !c.is_whitespace() {
                    self.start = self.line;
                    self.at_start = false;
                }
                self.field.push(c);
            }
        }
    }

    /// The records, with the last one when the text does not end with a line end.
    fn finish(mut self, max: usize) -> Vec<Record> {
        if !self.at_start && self.out.len() < max {
            self.fields.push(self.field);
            self.out.push(Record { fields: self.fields, line: self.start });
        }
        self.out
    }
}

/// The OS Version value: `6.0.6002 Service Pack 2 Build 6002`,
/// `6.0.6000 N/A Build 6000`, `6.1.7601 Service Pack 1 version 7601`,
/// `6.3.9600 Н/Д построение 9600`, `10.0.17763 暂缺 Build 17763`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VersionLine {
    /// `6.0.6002`.
    version: String,
    /// The trailing number, or the third part of the version.
    build: Option<u32>,
    /// `Service Pack 2`, or `None` for N/A and its translations.
    service_pack: Option<String>,
    /// 2, or 0 when there is none.
    service_pack_number: u32,
}

impl VersionLine {
    fn parse(value: &str) -> Option<VersionLine> {
        let value = clean(value);
        let mut words: Vec<&str> = value.split_whitespace().collect();
        let version = *words.first()?;
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() < 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        words.remove(0);
        let mut build = None;
        if let Some(last) = words.last() {
            if last.bytes().all(|b| b.is_ascii_digit()) && words.len() >= 2 {
                build = last.parse().ok();
                words.truncate(words.len() - 2);
            }
        }
        let build = build.or_else(|| parts.get(2).and_then(|p| p.parse().ok()));
        // Keep the middle up to its first number: a `/fo table` cell cut at
        // the column width may end in `Service Pack 2 Build`.
        if let Some(p) = words.iter().position(|w| w.bytes().all(|b| b.is_ascii_digit())) {
            words.truncate(p + 1);
        }
        let middle = words.join(" ");
        let number = middle.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).and_then(|s| s.parse().ok());
        let (service_pack, service_pack_number) = match number {
            Some(n) if n > 0 => (Some(middle), n),
            _ => (None, 0),
        };
        Some(VersionLine { version: version.to_string(), build, service_pack, service_pack_number })
    }
}

/// Collects facts as they are read.
struct Builder<'f> {
    file: &'f str,
    facts: Facts,
    notes: Vec<String>,
    seen_core: bool,
    /// 1-based line of the hotfix header, if any.
    hotfix_header: Option<u32>,
    /// A hotfix line that was cut mid-entry (`[24`), with its line.
    cut_entry: Option<(String, u32)>,
    /// Hotfix entries left out past [`crate::MAX_HOTFIX_ENTRIES`].
    over_cap: usize,
    /// Table form (cells cut at the column width).
    table: bool,
}

impl<'f> Builder<'f> {
    fn new(file: &'f str) -> Builder<'f> {
        Builder {
            file,
            facts: Facts::default(),
            notes: Vec::new(),
            seen_core: false,
            hotfix_header: None,
            cut_entry: None,
            over_cap: 0,
            table: false,
        }
    }

    fn evidence(&self, field: Field, value: &str, line: u32) -> Evidence {
        Evidence::new(format!("{}: {}", field.english(), value), self.file, Some(line))
    }

    /// Records a field's value read at `line` (the first occurrence wins).
    fn set(&mut self, field: Field, value: &str, line: u32) {
        self.seen_core |= field.is_core();
        // French systeminfo writes no-break spaces (`Windows\u{a0}7`): a value
        // is kept as printed except that they read as plain spaces.
        let value: String = value.replace('\u{a0}', " ");
        let value = value.as_str();
        let ev = self.evidence(field, value, line);
        let o = |v: &str| Some(Observed::new(v.to_string(), ev.clone()));
        let f = &mut self.facts;
        match field {
            Field::HostName if f.host_name.is_none() => f.host_name = o(value),
            Field::OsName if f.os_name.is_none() => f.os_name = o(value),
            Field::OsConfiguration if f.os_configuration.is_none() => f.os_configuration = o(value),
            Field::ProductId if f.product_id.is_none() => f.product_id = o(value),
            Field::InstallDate if f.install_date.is_none() => f.install_date = o(value),
            Field::OsVersion if f.os_version.is_none() => match VersionLine::parse(value) {
                Some(v) => {
                    f.build = v.build.map(|n| Observed::new(n, ev.clone()));
                    f.service_pack = v.service_pack.map(|s| Observed::new(s, ev.clone()));
                    f.service_pack_number = Some(Observed::new(v.service_pack_number, ev.clone()));
                    f.os_version = Some(Observed::new(v.version, ev.clone()));
                }
                None => self.notes.push(format!("line {line}: OS Version `{value}` is not a version line")),
            },
            Field::SystemType if f.arch_text.is_none() => {
                f.arch = Arch::recognise(value).map(|a| Observed::new(a, ev.clone()));
                f.arch_text = o(value);
            }
            Field::Hotfixes if self.hotfix_header.is_none() => self.hotfix_header_value(value, line),
            _ => {}
        }
    }

    /// Records a table or CSV cell, where multi-line values are joined with `sep`.
    fn set_cell(&mut self, field: Field, value: &str, line: u32, sep: &str) {
        if field == Field::Hotfixes {
            let mut parts = value.split(sep.trim_end());
            let head = parts.next().unwrap_or("");
            self.set(field, clean(head), line);
            for entry in parts {
                let entry = clean(entry);
                if !entry.is_empty() {
                    self.hotfix_entry(entry, line);
                }
            }
        } else {
            self.set(field, clean(value), line);
        }
    }

    /// The value on the hotfix label line: `263 Hotfix(e) installiert.`,
    /// `Число установленных исправлений - 7.`, `安装了 1 个修补程序。`, `N/A`.
    fn hotfix_header_value(&mut self, value: &str, line: u32) {
        self.hotfix_header = Some(line);
        let number =
            value.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).and_then(|s| s.parse::<u32>().ok());
        match number {
            Some(n) => self.facts.hotfix_count_declared = Some(Observed::new(n, self.evidence(Field::Hotfixes, value, line))),
            None => self.notes.push(format!(
                "line {line}: the hotfix list reads `{value}` (systeminfo lists no hotfixes when it cannot read them, e.g. without administrator rights)"
            )),
        }
    }

    /// One hotfix line: `[01]: KB4493471`, `[01] : KB...`, `[171]: Q147222`,
    /// `[180]: KB968930 - Update`, `[02]: 943729`, `[01]: {GUID}`, `[02]: File 1`.
    fn hotfix_entry(&mut self, entry: &str, line: u32) {
        if self.hotfix_header.is_none() {
            return;
        }
        if let Some((old, old_line)) = self.cut_entry.take() {
            self.notes.push(format!("line {old_line}: hotfix entry `{old}` is incomplete and was skipped"));
        }
        let id = entry
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(_, rest)| clean(rest))
            .and_then(|rest| rest.strip_prefix(':'))
            .map(clean)
            .filter(|id| !id.is_empty());
        let Some(id) = id else {
            self.cut_entry = Some((entry.to_string(), line));
            return;
        };
        let (id, description) = match id.split_once(" - ") {
            Some((i, d)) => (clean(i), Some(clean(d).to_string())),
            None => (id, None),
        };
        let kb = Kb::find_loose(id);
        let kept = self.facts.keep_hotfix(Hotfix {
            id: id.to_string(),
            kb,
            installed_on: None,
            description,
            evidence: Evidence::new(
                format!("hotfix {}", kb.map_or_else(|| id.to_string(), |k| k.to_string())),
                self.file,
                Some(line),
            ),
        });
        if !kept {
            self.over_cap += 1;
        }
    }

    /// Whether a hotfix id looks cut short: a KB, Q or bare number of fewer
    /// than six digits (every KB of the NT 6.0 era has six or seven).
    fn looks_cut(id: &str) -> bool {
        let digits = id.trim_start_matches(['K', 'B', 'k', 'b', 'Q', 'q']);
        !digits.is_empty() && digits.len() < 6 && digits.bytes().all(|b| b.is_ascii_digit())
    }

    fn finish(mut self) -> Result<Facts, ParseError> {
        if !self.seen_core {
            return Err(ParseError::at(self.file, 1, EXPECTED));
        }
        let declared = self.facts.hotfix_count_declared.as_ref().map(|o| o.value);
        let mut truncated = false;
        if let Some((entry, line)) = self.cut_entry.take() {
            truncated = true;
            self.notes
                .push(format!("line {line}: the hotfix list is cut off mid-entry (`{entry}`); that entry was skipped"));
        }
        let listed = self.facts.hotfixes.len() + self.over_cap + usize::from(truncated);
        let short = declared.is_some_and(|d| usize::try_from(d).is_ok_and(|d| listed < d));
        if short {
            if let Some(last) = self.facts.hotfixes.last() {
                if Self::looks_cut(&last.id) && !truncated {
                    let line = last.evidence.line.unwrap_or(0);
                    self.notes
                        .push(format!("line {line}: the last hotfix entry `{}` is cut off; it was skipped", last.id));
                    self.facts.hotfixes.pop();
                }
            }
        }
        if short {
            truncated = true;
            let n = self.facts.hotfixes.len();
            let d = declared.unwrap_or(0);
            let why = if self.table {
                " (`/fo table` cuts each cell at its column width: prefer the list or CSV form)"
            } else {
                ""
            };
            self.notes.push(format!(
                "the hotfix header declares {d} but {n} complete entries are listed: the list is truncated{why}"
            ));
        }
        if declared.is_some_and(|d| usize::try_from(d).is_ok_and(|d| self.facts.hotfixes.len() + self.over_cap > d)) {
            self.notes.push(format!(
                "the hotfix header declares {} but {} entries are listed",
                declared.unwrap_or(0),
                self.facts.hotfixes.len() + self.over_cap
            ));
        }
        self.facts.hotfix_list_truncated = truncated;
        for (present, field) in [
            (self.facts.host_name.is_some(), Field::HostName),
            (self.facts.os_name.is_some(), Field::OsName),
            (self.facts.os_version.is_some(), Field::OsVersion),
            (self.facts.arch_text.is_some(), Field::SystemType),
            (self.hotfix_header.is_some(), Field::Hotfixes),
        ] {
            if !present {
                self.notes.push(format!("no `{}` found: the output may be cut off or edited", field.english()));
            }
        }
        self.facts.notes = self.notes;
        self.facts.note_hotfixes_over_cap(self.over_cap);
        Ok(self.facts)
    }
}

#[cfg(test)]
mod tests;
