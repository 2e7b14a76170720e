//! Row parsing, validation and record assembly of the catalog, shared by
//! `w2k8-catalog`'s `build.rs` (which compiles `data/` into the embedded
//! blobs) and its importer (which compiles files an administrator imports
//! into an overlay), so both build records the same way. Dates, KBs,
//! versions and CVE ids are read by `w2k8-core`. Errors are
//! `file:line: message`.

use crate::wire::{self, Writer};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The Windows Server 2008 SP2 servicing table, as the catalog names it in sources.
pub const SERVICING: &str = "data/servicing/ws2008-sp2-updates.csv";
/// The Windows Server 2008 R2 SP1 servicing table, as the catalog names it in sources.
pub const SERVICING_R2: &str = "data/servicing/ws2008r2-sp1-updates.csv";
/// The MSRC rows, as the catalog names them in sources.
pub const MSRC: &str = "data/msrc/ws2008-msrc.csv.gz";
/// The KEV rows, as the catalog names them in sources.
pub const KEV: &str = "data/kev/kev-microsoft.csv";

/// A row or file of a table that does not read: where, and what was
/// expected there. `Display` is `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    /// The file as the catalog names it (`data/msrc/ws2008-msrc.csv.gz`, or an imported file).
    pub file: String,
    /// The physical line (1 for the header; 0 when the whole file is at fault).
    pub line: u64,
    /// What was expected there, and what was found.
    pub message: String,
}

impl From<DataError> for String {
    fn from(e: DataError) -> String {
        e.to_string()
    }
}

/// Result with a [`DataError`].
pub type R<T> = Result<T, DataError>;

/// What a field should hold, said without its location: the caller adds
/// the file and line ([`at`]).
pub type Expected<T> = Result<T, String>;

/// Repairs a title where the MSRC export lost a non-ASCII space: the
/// definitions file has `Remote Desktop Services?Remote Code Execution
/// Vulnerability` (three titles, 87 rows; see data/PROVENANCE.md). A `?`
/// between two letters is a lost space; any other `?` is kept.
pub fn repair_title(title: &str) -> std::borrow::Cow<'_, str> {
    let b = title.as_bytes();
    let lost = |i: usize| {
        b.get(i) == Some(&b'?')
            && i > 0
            && b.get(i - 1).is_some_and(u8::is_ascii_alphabetic)
            && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
    };
    if !(0..b.len()).any(lost) {
        return std::borrow::Cow::Borrowed(title);
    }
    let out: String = title.char_indices().map(|(i, c)| if c == '?' && lost(i) { ' ' } else { c }).collect();
    std::borrow::Cow::Owned(out)
}

/// The error `msg` at `file:line`.
pub fn at(file: &str, line: u64, msg: impl std::fmt::Display) -> DataError {
    DataError { file: file.to_string(), line, message: msg.to_string() }
}

// ---------------------------------------------------------------- strings

/// Build-time string interner (ids are remapped per blob when written).
#[derive(Default)]
pub struct Interner {
    /// Each interned string's id.
    pub map: HashMap<String, u32>,
    /// The interned strings, indexed by id.
    pub list: Vec<String>,
}

impl Interner {
    /// The id of `s`, interning it if it is new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.map.insert(s.to_string(), i);
        i
    }
    /// The string of `id` (empty for an unknown id).
    pub fn get(&self, id: u32) -> &str {
        self.list.get(id as usize).map(String::as_str).unwrap_or("")
    }
}

/// A blob's string pool: maps interner ids to pool indices.
#[derive(Default)]
pub struct Pool {
    /// Each interner id's index in the pool.
    pub map: HashMap<u32, u32>,
    /// The interner ids in pool order.
    pub order: Vec<u32>,
}

impl Pool {
    /// The pool index of interned string `interned`, adding it at the end if it is new.
    pub fn id(&mut self, interned: u32) -> u64 {
        let next = self.order.len() as u32;
        let i = *self.map.entry(interned).or_insert(next);
        if i == next {
            self.order.push(interned);
        }
        u64::from(i)
    }
}

/// Counts values, remembering first-seen order (ties go to the first seen).
#[derive(Default)]
pub struct Tally(Vec<(u32, u32)>);

impl Tally {
    /// Counts one occurrence of `id`.
    pub fn add(&mut self, id: u32) {
        match self.0.iter_mut().find(|(v, _)| *v == id) {
            Some((_, n)) => *n += 1,
            None => self.0.push((id, 1)),
        }
    }
    /// The most frequent value (the first seen on a tie), or `None` when nothing was counted.
    pub fn best(&self) -> Option<u32> {
        let mut best: Option<(u32, u32)> = None;
        for &(v, n) in &self.0 {
            match best {
                Some((_, bn)) if n <= bn => {}
                _ => best = Some((v, n)),
            }
        }
        best.map(|(v, _)| v)
    }
}

// ---------------------------------------------------------------- parsing helpers

// Each field is read by w2k8-core's parser (the one the rest of w2k8 uses)
// and must be written exactly as that type prints it: a data file holds the
// canonical form, no space, no other case, no leading zero.

/// `YYYY-MM-DD` (servicing, KEV) or `YYYYMMDD` (MSRC), a real calendar day in
/// 1990..=2100, packed.
pub fn parse_date(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let shaped = (s.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-'))
        || (s.len() == 8 && b.iter().all(u8::is_ascii_digit));
    let d: w2k8_core::Date = s.parse().ok().filter(|_| shaped && s.trim() == s)?;
    let (y, m, day) = (u32::try_from(d.year()).ok()?, d.month(), d.day());
    (1990..=2100).contains(&y).then(|| wire::pack_date(y, m, day))
}

/// `KB4493471` (servicing CSV form).
pub fn parse_kb_prefixed(s: &str) -> Option<u32> {
    let kb: w2k8_core::Kb = s.parse().ok()?;
    (kb.to_string() == s).then(|| kb.number())
}

/// `4493471` (MSRC form: the digits alone).
pub fn parse_kb_digits(s: &str) -> Option<u32> {
    let kb = w2k8_core::Kb::new(s.parse().ok()?)?;
    (kb.number().to_string() == s).then(|| kb.number())
}

/// `6.0.6003.20489`.
pub fn parse_version(s: &str) -> Option<[u16; 4]> {
    let v: w2k8_core::FileVersion = s.parse().ok()?;
    (v.to_string() == s).then_some([v.major, v.minor, v.build, v.revision])
}

/// A vulnerability id's sort key `(year, number)` and its canonical text.
pub type VulnId = ((u32, u32), String);

/// The id column of an MSRC row: `Some((key, text))` for `CVE-YYYY-N` (key
/// `(year, n)`) and MSRC advisories `ADVyynnnn` (key `(0, yynnnn)`), with
/// the id's canonical text; `None` for the upstream placeholders `""` and
/// `"CVE"` (16 rows of 2016-11 and 2017-03 bulletins carry no id: they still
/// count for their KB, not as a CVE); `Err` (what was expected) otherwise. One upstream quirk is
/// repaired, not refused: a number zero-padded past four digits
/// (`CVE-2017-00016`, 10 rows of March 2017) is the CVE of that number
/// (`CVE-2017-0016`), shown as the CVE program writes it.
pub fn parse_vuln_id(s: &str) -> Expected<Option<VulnId>> {
    if s.is_empty() || s == "CVE" {
        return Ok(None);
    }
    let id = w2k8_core::CveId::canonical(s).or_else(|| {
        let (year, number) = s.strip_prefix("CVE-")?.split_once('-')?;
        // Only a number padded past four digits is repaired; anything shorter stays refused.
        if number.len() <= 4 || !number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = number.parse().ok()?;
        w2k8_core::CveId::canonical(&format!("CVE-{year}-{n:04}"))
    });
    let id = id.ok_or_else(|| format!("CVE: expected CVE-YYYY-NNNN or ADVnnnnnn, found {s:?}"))?;
    Ok(Some(((id.year().map_or(0, u32::from), id.number()), id.to_string())))
}

/// Physical line numbers of records. `csv`'s own `Position::line` is one
/// short for CRLF files (the servicing CSV is CRLF), so lines are counted
/// here from the record's byte offset, incrementally (records come in order).
pub struct Lines<'a> {
    /// The whole file.
    pub text: &'a [u8],
    /// The byte offset up to which lines have been counted.
    pub pos: usize,
    /// The line number at `pos` (1-based).
    pub line: u64,
}

impl<'a> Lines<'a> {
    /// A counter at the start of `text` (line 1).
    pub fn new(text: &'a [u8]) -> Lines<'a> {
        Lines { text, pos: 0, line: 1 }
    }
    /// The line on which `rec` starts.
    pub fn at(&mut self, rec: &csv::StringRecord) -> u64 {
        let mut p = rec.position().map_or(0, |p| p.byte() as usize).min(self.text.len());
        while matches!(self.text.get(p), Some(b'\r' | b'\n')) {
            p += 1;
        }
        if p >= self.pos {
            let seg = self.text.get(self.pos..p).unwrap_or(&[]);
            self.line += seg.iter().filter(|&&b| b == b'\n').count() as u64;
            self.pos = p;
        }
        self.line
    }
}

/// Checks that a CSV header is exactly `want`, or fails at `file:1`.
pub fn check_headers(file: &str, got: &csv::StringRecord, want: &[&str]) -> R<()> {
    let got: Vec<&str> = got.iter().collect();
    if got != want {
        return Err(at(file, 1, format!("expected the header {want:?}, found {got:?}")));
    }
    Ok(())
}

// ---------------------------------------------------------------- servicing CSV

/// One checked servicing table row, its strings interned.
pub struct ServicingRow {
    /// The `kb` column's KB number.
    pub kb: u32,
    /// The OS families the row is for ([`wire::OS_2008`], [`wire::OS_2008_R2`]).
    pub os: BTreeSet<u8>,
    /// The `release_date` column, packed by `pack_date` (0 when empty).
    pub released: u64,
    /// The `kind` column's code (its index in [`wire::KIND_NAMES`]).
    pub kind: u8,
    /// Interned id of the `title` column (`None` when empty).
    pub title: Option<u32>,
    /// The `build_after` column: the ntoskrnl.exe version the update installs (`None` when empty).
    pub kernel: Option<[u16; 4]>,
    /// KB numbers of the `requires` column.
    pub requires: Vec<u32>,
    /// KB numbers of the `supersedes` column, without the row's own KB.
    pub supersedes: Vec<u32>,
    /// Interned notes: the `known_issues` entries, then any notes added while reading.
    pub notes: Vec<u32>,
    /// Interned sources: the row's own `file:line`, then its `source_url`s.
    pub sources: Vec<u32>,
}

/// Reads a `;`-separated list of `KBnnnnnnn` in column `field`, without repeats.
pub fn kb_list(file: &str, line: u64, field: &str, text: &str) -> R<Vec<u32>> {
    let mut out = Vec::new();
    for t in text.split(';').map(str::trim).filter(|t| !t.is_empty()) {
        let kb =
            parse_kb_prefixed(t).ok_or_else(|| at(file, line, format!("{field}: expected KBnnnnnnn, found {t:?}")))?;
        if !out.contains(&kb) {
            out.push(kb);
        }
    }
    Ok(out)
}

/// The columns every servicing table has, in order.
pub const SERVICING_COLUMNS: [&str; 10] = [
    "kb",
    "release_date",
    "kind",
    "title",
    "os",
    "build_after",
    "requires",
    "supersedes",
    "known_issues",
    "source_url",
];

/// The note a row graded `weak` carries: its facts are unconfirmed.
pub const WEAK_ROW_NOTE: &str = "note: unconfirmed: this row rests on weak sources (trade press, forums or community \
     lists, not a Microsoft page); its kind, date and title may be wrong";

/// Both servicing tables (Windows Server 2008 SP2, then 2008 R2 SP1) as one
/// list of rows: a KB listed in both (SHA-2 support KB4474419) becomes one
/// row for both OS families, with both rows' sources and notes; the tables
/// must agree on its kind.
pub fn read_all_servicing(tables: &[(&str, &[u8])], strings: &mut Interner) -> R<Vec<ServicingRow>> {
    let mut out: Vec<ServicingRow> = Vec::new();
    let mut at_index: HashMap<u32, usize> = HashMap::new();
    for (file, text) in tables {
        for row in read_servicing(file, text, strings)? {
            let Some(&i) = at_index.get(&row.kb) else {
                at_index.insert(row.kb, out.len());
                out.push(row);
                continue;
            };
            let Some(first) = out.get_mut(i) else { continue };
            if first.kind != row.kind {
                return Err(at(
                    file,
                    0,
                    format!("KB{}: kind differs from the other servicing table's row for it", row.kb),
                ));
            }
            first.os.extend(row.os);
            if first.released == 0 {
                first.released = row.released;
            } else if row.released != 0 && row.released != first.released {
                let note = format!(
                    "note: {file} dates it {} (the other table {}): the first release for that OS",
                    show_date(row.released),
                    show_date(first.released)
                );
                first.notes.push(strings.id(&note));
            }
            first.title = first.title.or(row.title);
            first.kernel = first.kernel.or(row.kernel);
            for (into, from) in [
                (&mut first.requires, row.requires),
                (&mut first.supersedes, row.supersedes),
                (&mut first.notes, row.notes),
                (&mut first.sources, row.sources),
            ] {
                for x in from {
                    if !into.contains(&x) {
                        into.push(x);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Reads one servicing table (`text` is the CSV named `file`).
pub fn read_servicing(file: &str, text: &[u8], strings: &mut Interner) -> R<Vec<ServicingRow>> {
    let mut lines = Lines::new(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text);
    let headers = rdr.headers().map_err(|e| at(file, 1, e))?.clone();
    let with_strength = servicing_header(file, &headers)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<u32, u64> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| at(file, e.position().map_or(0, |p| p.line()), e))?;
        let cells = ServicingCells { file, line: lines.at(&rec), rec: &rec, with_strength };
        rows.push(cells.row(&mut seen, strings)?);
    }
    Ok(rows)
}

/// Checks a servicing table's header; whether it has the `strength` column.
fn servicing_header(file: &str, headers: &csv::StringRecord) -> R<bool> {
    // The R2 table adds a `strength` column (strong / medium / weak).
    let with_strength = headers.len() == SERVICING_COLUMNS.len() + 1;
    let mut want: Vec<&str> = SERVICING_COLUMNS.to_vec();
    if with_strength {
        want.push("strength");
    }
    check_headers(file, headers, &want)?;
    Ok(with_strength)
}

/// One servicing record being read: its cells and where it is.
struct ServicingCells<'a> {
    file: &'a str,
    line: u64,
    rec: &'a csv::StringRecord,
    /// Whether the table has the R2 table's `strength` column.
    with_strength: bool,
}

impl ServicingCells<'_> {
    /// Cell `i`, trimmed (empty when the record has none).
    fn f(&self, i: usize) -> &str {
        self.rec.get(i).unwrap_or("").trim()
    }

    /// `file:line: msg` for this record.
    fn err(&self, msg: impl std::fmt::Display) -> DataError {
        at(self.file, self.line, msg)
    }

    /// The validated row (fields checked, and strings interned, in column
    /// order); `seen` holds the line of each KB read so far.
    fn row(&self, seen: &mut HashMap<u32, u64>, strings: &mut Interner) -> R<ServicingRow> {
        let kb = self.kb(seen)?;
        let released = self.released()?;
        let kind = self.kind()?;
        let title = (!self.f(3).is_empty()).then(|| strings.id(self.f(3)));
        let (os, nt_minor) = self.os()?;
        let kernel = self.kernel(nt_minor)?;
        let requires = kb_list(self.file, self.line, "requires", self.f(6))?;
        let mut supersedes = kb_list(self.file, self.line, "supersedes", self.f(7))?;
        supersedes.retain(|&s| s != kb);
        let mut notes = self.notes(strings);
        let sources = self.sources(kb, strings)?;
        if self.with_strength {
            self.strength(&mut notes, strings)?;
        }
        let os = BTreeSet::from([os]);
        Ok(ServicingRow { kb, os, released, kind, title, kernel, requires, supersedes, notes, sources })
    }

    /// `kb`: KBnnnnnnn, listed once in the table.
    fn kb(&self, seen: &mut HashMap<u32, u64>) -> R<u32> {
        let kb = parse_kb_prefixed(self.f(0))
            .ok_or_else(|| self.err(format!("kb: expected KBnnnnnnn, found {:?}", self.f(0))))?;
        if let Some(first) = seen.insert(kb, self.line) {
            return Err(self.err(format!("KB{kb} is listed twice (first on line {first})")));
        }
        Ok(kb)
    }

    /// `release_date`: packed YYYY-MM-DD, or 0 when empty.
    fn released(&self) -> R<u64> {
        Ok(match self.f(1) {
            "" => 0,
            d => parse_date(d).ok_or_else(|| self.err(format!("release_date: expected YYYY-MM-DD, found {d:?}")))?,
        })
    }

    /// `kind`: its code (index in [`wire::KIND_NAMES`]).
    fn kind(&self) -> R<u8> {
        Ok(wire::KIND_NAMES
            .iter()
            .position(|k| *k == self.f(2))
            .ok_or_else(|| self.err(format!("kind: expected one of {:?}, found {:?}", wire::KIND_NAMES, self.f(2))))?
            as u8)
    }

    /// `os`: the OS family and its NT minor version.
    fn os(&self) -> R<(u8, u16)> {
        match self.f(4) {
            "ws2008-sp2" => Ok((wire::OS_2008, 0)),
            "ws2008r2-sp1" => Ok((wire::OS_2008_R2, 1)),
            o => Err(self.err(format!("os: expected ws2008-sp2 or ws2008r2-sp1, found {o:?}"))),
        }
    }

    /// `build_after`: a kernel version 6.`nt_minor`.b.r, or none.
    fn kernel(&self, nt_minor: u16) -> R<Option<[u16; 4]>> {
        Ok(match self.f(5) {
            "" => None,
            v => Some(
                parse_version(v)
                    .filter(|v| v[0] == 6 && v[1] == nt_minor)
                    .ok_or_else(|| self.err(format!("build_after: expected 6.{nt_minor}.b.r, found {v:?}")))?,
            ),
        })
    }

    /// `known_issues`, interned as notes.
    fn notes(&self, strings: &mut Interner) -> Vec<u32> {
        let mut notes = Vec::new();
        let issues = self.f(8);
        if !issues.is_empty() {
            // Entries are `note: ...` joined with `; `.
            for (i, part) in issues.split("; note: ").enumerate() {
                let part = part.trim();
                let text = if i == 0 { part.to_string() } else { format!("note: {part}") };
                notes.push(strings.id(&text));
            }
        }
        notes
    }

    /// The row's own `file:line`, then its `source_url`s (at least one).
    fn sources(&self, kb: u32, strings: &mut Interner) -> R<Vec<u32>> {
        let mut sources = vec![strings.id(&format!("{}:{}", self.file, self.line))];
        for s in self.f(9).split(" | ").map(str::trim).filter(|s| !s.is_empty()) {
            sources.push(strings.id(s));
        }
        if sources.len() < 2 {
            return Err(self.err(format!("KB{kb}: source_url is empty; every row needs a source")));
        }
        Ok(sources)
    }

    /// `strength`: a weak row gets [`WEAK_ROW_NOTE`].
    fn strength(&self, notes: &mut Vec<u32>, strings: &mut Interner) -> R<()> {
        match self.f(10) {
            "strong" | "medium" => {}
            "weak" => notes.push(strings.id(WEAK_ROW_NOTE)),
            o => return Err(self.err(format!("strength: expected strong, medium or weak, found {o:?}"))),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- MSRC rows

/// One checked MSRC row, its strings interned.
pub struct MsrcRow {
    /// The line of the row in its file.
    pub line: u64,
    /// The `DatePosted` column, packed by `pack_date`.
    pub posted: u64,
    /// Interned id of the vulnerability id's canonical text (the cell as written when it has none).
    pub cve: u32,
    /// `None` for rows without a vulnerability id (see `parse_vuln_id`).
    pub cve_key: Option<(u32, u32)>,
    /// The `BulletinKB` column's KB number (`None` when empty).
    pub kb: Option<u32>,
    /// Interned id of the `Title` column, as repaired by [`repair_title`].
    pub title: u32,
    /// Interned id of the `AffectedProduct` column.
    pub product: u32,
    /// Interned id of the `AffectedComponent` column (may be empty).
    pub component: u32,
    /// The `Severity` column's wire code (see [`wire::severity_code`]).
    pub severity: u8,
    /// Interned id of the `Impact` column (may be empty).
    pub impact: u32,
    /// KB numbers of the `Supersedes` column, without repeats.
    pub supersedes: Vec<u32>,
    /// Interned URLs of the `Exploits` column.
    pub exploits: Vec<u32>,
}

/// The column names of an MSRC (WES-NG `CVEs_YYYYMMDD.csv`) file.
pub const MSRC_HEADER: [&str; 10] = [
    "DatePosted",
    "CVE",
    "BulletinKB",
    "Title",
    "AffectedProduct",
    "AffectedComponent",
    "Severity",
    "Impact",
    "Supersedes",
    "Exploits",
];

/// The MSRC rows of a file, and what was left out.
pub struct MsrcRead {
    /// The Windows Server 2008 / 2008 R2 rows.
    pub rows: Vec<MsrcRow>,
    /// Rows about other products (skipped when reading a complete WES-NG file).
    pub other_products: u64,
    /// Rows naming "Windows Server 2008" in a shape no parser knows, skipped
    /// when importing: (line, product name); at most 20 are kept.
    pub unknown_products: Vec<(u64, String)>,
    /// How many such rows there were.
    pub unknown_count: u64,
}

/// Reads MSRC rows (`text` is the CSV named `file`). With `all_products`
/// false (the shipped file), every row must name a 2008 / 2008 R2 product;
/// with true (a complete WES-NG file an administrator imports), rows whose
/// product does not contain `Windows Server 2008` are skipped, and so are
/// (counted) rows that name it in an unknown shape.
pub fn read_msrc(file: &str, text: &[u8], all_products: bool, strings: &mut Interner) -> R<MsrcRead> {
    let mut lines = Lines::new(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text);
    let headers = rdr.headers().map_err(|e| at(file, 1, e))?.clone();
    check_headers(file, &headers, &MSRC_HEADER)?;
    let mut rows = Vec::with_capacity(100_000);
    let mut out = MsrcRead { rows: Vec::new(), other_products: 0, unknown_products: Vec::new(), unknown_count: 0 };
    let mut products_ok: HashMap<u32, ()> = HashMap::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(at(file, e.position().map_or(0, |p| p.line()), e)),
        }
        let cells = MsrcCells { file, line: lines.at(&rec), rec: &rec };
        if all_products && cells.skipped(&mut out) {
            continue;
        }
        rows.push(cells.row(&mut products_ok, strings)?);
    }
    if rows.is_empty() {
        return Err(at(file, 1, "expected rows about Windows Server 2008 / 2008 R2, found none"));
    }
    out.rows = rows;
    Ok(out)
}

/// One MSRC record being read: its cells and where it is.
struct MsrcCells<'a> {
    file: &'a str,
    line: u64,
    rec: &'a csv::StringRecord,
}

impl MsrcCells<'_> {
    /// Cell `i`, trimmed (empty when the record has none).
    fn f(&self, i: usize) -> &str {
        self.rec.get(i).unwrap_or("").trim()
    }

    /// `file:line: msg` for this record.
    fn err(&self, msg: impl std::fmt::Display) -> DataError {
        at(self.file, self.line, msg)
    }

    /// Whether a row of a complete WES-NG file is skipped, counting it: a
    /// row about another product, or naming Windows Server 2008 in an
    /// unknown shape (the first 20 of these are kept).
    fn skipped(&self, out: &mut MsrcRead) -> bool {
        if !self.f(4).contains("Windows Server 2008") {
            out.other_products += 1;
            return true;
        }
        if wire::parse_product(self.f(4)).is_none() {
            out.unknown_count += 1;
            if out.unknown_products.len() < 20 {
                out.unknown_products.push((self.line, self.f(4).to_string()));
            }
            return true;
        }
        false
    }

    /// The validated row (fields checked, and strings interned, in column
    /// order, except the title, component and impact, interned last).
    fn row(&self, products_ok: &mut HashMap<u32, ()>, strings: &mut Interner) -> R<MsrcRow> {
        let posted = parse_date(self.f(0))
            .ok_or_else(|| self.err(format!("DatePosted: expected YYYYMMDD, found {:?}", self.f(0))))?;
        let vuln = parse_vuln_id(self.f(1)).map_err(|m| self.err(m))?;
        let cve = strings.id(vuln.as_ref().map_or(self.f(1), |(_, text)| text.as_str()));
        let cve_key = vuln.map(|(key, _)| key);
        let kb = self.kb()?;
        let product = self.product(products_ok, strings)?;
        let severity = wire::severity_code(self.f(6)).ok_or_else(|| {
            self.err(format!("Severity: expected Critical/Important/Moderate/Low/None, found {:?}", self.f(6)))
        })?;
        let supersedes = self.supersedes()?;
        let exploits = self.exploits(strings)?;
        Ok(MsrcRow {
            line: self.line,
            posted,
            cve,
            cve_key,
            kb,
            title: strings.id(&repair_title(self.f(3))),
            product,
            component: strings.id(self.f(5)),
            severity,
            impact: strings.id(self.f(7)),
            supersedes,
            exploits,
        })
    }

    /// `BulletinKB`: the digits of a KB, or none.
    fn kb(&self) -> R<Option<u32>> {
        Ok(match self.f(2) {
            "" => None,
            k => Some(parse_kb_digits(k).ok_or_else(|| self.err(format!("BulletinKB: expected digits, found {k:?}")))?),
        })
    }

    /// `AffectedProduct`, interned; each distinct name is checked once
    /// (`products_ok` holds those that parse).
    fn product(&self, products_ok: &mut HashMap<u32, ()>, strings: &mut Interner) -> R<u32> {
        let product = strings.id(self.f(4));
        if let std::collections::hash_map::Entry::Vacant(v) = products_ok.entry(product) {
            if wire::parse_product(self.f(4)).is_none() {
                return Err(self
                    .err(format!("AffectedProduct: not a Windows Server 2008/2008 R2 product name: {:?}", self.f(4))));
            }
            v.insert(());
        }
        Ok(product)
    }

    /// `Supersedes`: KB digits separated by `;` (`None` for none), without repeats.
    fn supersedes(&self) -> R<Vec<u32>> {
        let mut supersedes = Vec::new();
        for t in self.f(8).split(';').map(str::trim) {
            match t {
                "" | "None" => {}
                t => {
                    let n = parse_kb_digits(t)
                        .ok_or_else(|| self.err(format!("Supersedes: expected KB digits, found {t:?}")))?;
                    if !supersedes.contains(&n) {
                        supersedes.push(n);
                    }
                }
            }
        }
        Ok(supersedes)
    }

    /// `Exploits`: URLs separated by `,`, interned.
    fn exploits(&self, strings: &mut Interner) -> R<Vec<u32>> {
        let mut exploits = Vec::new();
        for u in self.f(9).split(',').map(str::trim).filter(|u| !u.is_empty()) {
            if !u.starts_with("http://") && !u.starts_with("https://") {
                return Err(self.err(format!("Exploits: expected URLs, found {u:?}")));
            }
            exploits.push(strings.id(u));
        }
        Ok(exploits)
    }
}

// ---------------------------------------------------------------- KEV

/// One checked KEV row, its strings interned.
pub struct KevRow {
    /// The line of the row in its file.
    pub line: u64,
    /// The CVE's text (the join with the MSRC rows' ids).
    pub cve: u32,
    /// The CVE id itself.
    pub id: w2k8_core::CveId,
    /// Interned id of the `vendorProject` column.
    pub vendor: u32,
    /// Interned id of the `product` column.
    pub product: u32,
    /// Interned id of the `vulnerabilityName` column.
    pub name: u32,
    /// The `dateAdded` column, packed by `pack_date`.
    pub added: u64,
    /// The `dueDate` column, packed by `pack_date` (0 when empty).
    pub due: u64,
    /// Whether `knownRansomwareCampaignUse` is `Known`.
    pub ransomware: bool,
}

/// The columns of the shipped KEV file, in its order. CISA's complete CSV
/// feed has these and more (`shortDescription`, `requiredAction`, `notes`,
/// `cwes`), in another order.
pub const KEV_COLUMNS: [&str; 7] =
    ["cveID", "vendorProject", "product", "vulnerabilityName", "dateAdded", "dueDate", "knownRansomwareCampaignUse"];

/// One KEV entry's checked fields (dates packed as the wire writes them).
pub struct KevFields {
    /// The CVE id (never an MSRC advisory).
    pub id: w2k8_core::CveId,
    /// The `dateAdded` date, packed by `pack_date`.
    pub added: u64,
    /// The `dueDate` date, packed by `pack_date` (0 when empty).
    pub due: u64,
    /// Whether `knownRansomwareCampaignUse` is `Known`.
    pub ransomware: bool,
}

/// Validates one KEV entry's fields, or says what was expected (without a
/// location).
pub fn kev_fields(cve: &str, added: &str, due: &str, ransomware: &str) -> Expected<KevFields> {
    let id = w2k8_core::CveId::canonical(cve)
        .filter(|id| !id.is_advisory())
        .ok_or_else(|| format!("cveID: expected CVE-YYYY-NNNN, found {cve:?}"))?;
    let added = parse_date(added).ok_or_else(|| format!("dateAdded: expected YYYY-MM-DD, found {added:?}"))?;
    let due = match due {
        "" => 0,
        d => parse_date(d).ok_or_else(|| format!("dueDate: expected YYYY-MM-DD, found {d:?}"))?,
    };
    let ransomware = match ransomware {
        "Known" => true,
        "Unknown" => false,
        o => return Err(format!("knownRansomwareCampaignUse: expected Known/Unknown, found {o:?}")),
    };
    Ok(KevFields { id, added, due, ransomware })
}

/// Reads KEV rows (`text` is the CSV named `file`). With `exact`, the header
/// must be [`KEV_COLUMNS`] (the shipped file); otherwise the columns are
/// found by name (CISA's feed) and, with `vendor`, only rows of that
/// `vendorProject` are kept (the others are still checked for shape only).
pub fn read_kev(file: &str, text: &[u8], exact: bool, vendor: Option<&str>, strings: &mut Interner) -> R<Vec<KevRow>> {
    let mut lines = Lines::new(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text);
    let headers = rdr.headers().map_err(|e| at(file, 1, e))?.clone();
    let cols: Vec<usize> = if exact {
        check_headers(file, &headers, &KEV_COLUMNS)?;
        (0..KEV_COLUMNS.len()).collect()
    } else {
        let mut cols = Vec::new();
        for want in KEV_COLUMNS {
            let i = headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == want).ok_or_else(|| {
                at(file, 1, format!("expected a CISA KEV header with the columns {KEV_COLUMNS:?}; {want:?} is missing"))
            })?;
            cols.push(i);
        }
        cols
    };
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| at(file, e.position().map_or(0, |p| p.line()), e))?;
        let line = lines.at(&rec);
        let f = |i: usize| cols.get(i).and_then(|&c| rec.get(c)).unwrap_or("").trim();
        if vendor.is_some_and(|v| v != f(1)) {
            continue;
        }
        let KevFields { id, added, due, ransomware } =
            kev_fields(f(0), f(4), f(5), f(6)).map_err(|e| at(file, line, e))?;
        if let Some(first) = seen.insert(f(0).to_string(), line) {
            return Err(at(file, line, format!("{} is listed twice (first on line {first})", f(0))));
        }
        rows.push(KevRow {
            line,
            cve: strings.id(f(0)),
            id,
            vendor: strings.id(f(1)),
            product: strings.id(f(2)),
            name: strings.id(f(3)),
            added,
            due,
            ransomware,
        });
    }
    Ok(rows)
}

// ---------------------------------------------------------------- assembly

/// The release date of a KB from the DatePosted of its MSRC rows: the
/// earliest posting in its main month (the month with the most rows; ties go
/// to the earlier month). MSRC keeps a CVE's original posting date when a
/// revision adds a newer KB, so the earliest date over all rows can be years
/// too early (e.g. KB5062624, the July 2025 rollup, first appears under a
/// CVE posted 2024-04-09). This rule reproduces 181 of the 183 dates of the
/// servicing table it can be compared with; the two others are the
/// December 2020 pair, a tie that facts.md §10 resolves with Microsoft's title.
pub fn release_date(dates: &BTreeMap<u64, u32>) -> u64 {
    let mut months: BTreeMap<u64, u32> = BTreeMap::new();
    for (&d, &n) in dates {
        *months.entry(d >> 5).or_default() += n;
    }
    let top = months.values().copied().max().unwrap_or(0);
    let main = months.iter().find(|&(_, &n)| n == top).map(|(&m, _)| m).unwrap_or(0);
    dates.keys().copied().find(|&d| d >> 5 == main).unwrap_or(0)
}

/// A date packed by `pack_date`, as `YYYY-MM-DD`.
pub fn show_date(packed: u64) -> String {
    let (y, m, d) = wire::unpack_date(packed);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One distinct MSRC `AffectedProduct`, taken apart by [`wire::parse_product`].
pub struct Product {
    /// Interned id of the full product name.
    pub name: u32,
    /// OS family wire code ([`wire::OS_2008`] or [`wire::OS_2008_R2`]).
    pub os: u8,
    /// Service pack number (0 when the name gives none).
    pub sp: u8,
    /// Architecture wire code ([`wire::ARCH_X86`], [`wire::ARCH_X64`] or [`wire::ARCH_IA64`]).
    pub arch: u8,
    /// Whether it is a Server Core installation.
    pub core: bool,
    /// Interned id of the part before ` on Windows Server 2008` (`None` for the OS itself).
    pub component: Option<u32>,
}

/// One update record: a servicing row completed by its MSRC rows, or a KB known from MSRC rows alone.
pub struct Update {
    /// The KB number.
    pub kb: u32,
    /// Release date, packed by `pack_date` (0 when unknown).
    pub released: u64,
    /// The kind's code (its index in [`wire::KIND_NAMES`]).
    pub kind: u8,
    /// Interned id of the title (`None` when there is none).
    pub title: Option<u32>,
    /// KB numbers of the updates it supersedes.
    pub supersedes: Vec<u32>,
    /// KB numbers of the updates that must be installed first.
    pub requires: Vec<u32>,
    /// The ntoskrnl.exe version it installs (`None` when unknown).
    pub kernel: Option<[u16; 4]>,
    /// Interned notes.
    pub notes: Vec<u32>,
    /// Sources, `file:line` for data rows.
    pub sources: Vec<u32>,
    /// OS family wire codes it applies to.
    pub os: BTreeSet<u8>,
    /// Indices in [`Built::products`] of the products its MSRC rows name.
    pub products: BTreeSet<u16>,
}

/// The products for which a CVE's MSRC rows list one KB posted on one date.
pub struct FixGroup {
    /// The KB number.
    pub kb: u32,
    /// The `DatePosted` of those rows, packed by `pack_date`.
    pub posted: u64,
    /// Indices in [`Built::products`] of those rows' products.
    pub products: BTreeSet<u16>,
}

/// One CVE (or MSRC advisory) record, built from its MSRC rows.
pub struct Cve {
    /// Sort key `(year, number)`; the year is 0 for an MSRC advisory.
    pub key: (u32, u32),
    /// Interned id of the id's canonical text.
    pub id: u32,
    /// Interned id of the most frequent title of its rows.
    pub title: u32,
    /// Interned id of its most frequent `AffectedComponent`, else of its products' most frequent component (or empty).
    pub component: u32,
    /// The highest severity wire code of its rows.
    pub severity: u8,
    /// Interned id of its most frequent non-empty `Impact` (empty when none).
    pub impact: u32,
    /// Interned exploit URLs of its rows, without repeats.
    pub exploits: Vec<u32>,
    /// Index of its entry in the KEV rows, if it has one.
    pub kev: Option<usize>,
    /// Its fixes, one group per KB and posting date.
    pub fixes: Vec<FixGroup>,
    /// The line of its first MSRC row.
    pub first_line: u64,
    /// Indices in [`Built::products`] of the products its rows name.
    pub affected: BTreeSet<u16>,
}

/// The assembled records, as [`write_updates`] and [`write_cves`] write them.
pub struct Built {
    /// Every distinct MSRC product, sorted by OS, service pack, architecture, Server Core and component.
    pub products: Vec<Product>,
    /// The update records, sorted by KB.
    pub updates: Vec<Update>,
    /// The CVE records, sorted by their sort key.
    pub cves: Vec<Cve>,
    /// Interned id of the MSRC file's label.
    pub msrc_file: u32,
    /// Interned id of the KEV file's label.
    pub kev_file: u32,
    /// Interned id of the empty string.
    pub empty: u32,
}

/// The MSRC rows of one KB, aggregated.
#[derive(Default)]
pub struct KbAgg {
    /// The line of its first MSRC row.
    pub first_line: u64,
    /// DatePosted (packed) -> number of rows.
    pub dates: BTreeMap<u64, u32>,
    /// Tally of its rows' titles.
    pub titles: Tally,
    /// KB numbers its rows' `Supersedes` name, other than its own.
    pub supersedes: BTreeSet<u32>,
    /// Indices in [`Built::products`] of its rows' products.
    pub products: BTreeSet<u16>,
    /// OS family wire codes of those products.
    pub os: BTreeSet<u8>,
    /// Whether a row's `Supersedes` names the KB itself.
    pub self_ref: bool,
    /// Bit 0: an Internet Explorer row; bit 1: .NET; bit 2: anything else.
    pub classes: u8,
}

/// The MSRC rows of one CVE, aggregated.
#[derive(Default)]
pub struct CveAgg {
    /// The line of its first MSRC row.
    pub first_line: u64,
    /// Tally of its rows' titles.
    pub titles: Tally,
    /// Tally of its rows' non-empty `AffectedComponent`s.
    pub components: Tally,
    /// Tally of the components named by its rows' products.
    pub product_components: Tally,
    /// Tally of its rows' non-empty `Impact`s.
    pub impacts: Tally,
    /// The highest severity wire code of its rows.
    pub severity: u8,
    /// Interned exploit URLs of its rows, without repeats.
    pub exploits: Vec<u32>,
    /// `(KB, DatePosted)` of its rows to the indices of their products.
    pub fixes: BTreeMap<(u32, u64), BTreeSet<u16>>,
    /// Indices in [`Built::products`] of its rows' products.
    pub affected: BTreeSet<u16>,
}

/// Builds the records from the rows. `msrc_label` and `kev_label` name the
/// MSRC and KEV files in sources (`file:line`).
pub fn assemble(
    servicing: Vec<ServicingRow>,
    msrc: Vec<MsrcRow>,
    kev: &[KevRow],
    msrc_label: &str,
    kev_label: &str,
    strings: &mut Interner,
) -> R<Built> {
    let (products, product_index) = products_of(&msrc, msrc_label, strings)?;
    let (by_kb, by_cve) = aggregate(&msrc, &products, &product_index, strings);
    let labels = Labels::intern(msrc_label, kev_label, strings);
    let mut assembly = UpdateAssembly { msrc_label, labels: &labels, strings };
    let mut updates = assembly.servicing_updates(servicing, &by_kb);
    assembly.add_msrc_updates(&mut updates, &by_kb);
    let cves = cves_of(by_cve, kev, labels.empty);
    Ok(Built {
        products,
        updates: updates.into_values().collect(),
        cves,
        msrc_file: labels.msrc_file,
        kev_file: labels.kev_file,
        empty: labels.empty,
    })
}

/// Products: every distinct AffectedProduct, sorted by what it names, and
/// the index of each name's product.
fn products_of(msrc: &[MsrcRow], msrc_label: &str, strings: &mut Interner) -> R<(Vec<Product>, HashMap<u32, u16>)> {
    let names: BTreeSet<u32> = msrc.iter().map(|r| r.product).collect();
    let mut products = Vec::new();
    for &n in &names {
        let name = strings.get(n).to_string();
        let p = wire::parse_product(&name).ok_or_else(|| at(msrc_label, 0, format!("unparsable product {name:?}")))?;
        let component = p.component.map(|c| strings.id(c));
        products.push(Product { name: n, os: p.os, sp: p.service_pack, arch: p.arch, core: p.server_core, component });
    }
    products.sort_by(|a, b| {
        (a.os, a.sp, a.arch, a.core, a.component.map(|c| strings.get(c)), strings.get(a.name)).cmp(&(
            b.os,
            b.sp,
            b.arch,
            b.core,
            b.component.map(|c| strings.get(c)),
            strings.get(b.name),
        ))
    });
    let product_index: HashMap<u32, u16> = products.iter().enumerate().map(|(i, p)| (p.name, i as u16)).collect();
    if products.len() > usize::from(u16::MAX) {
        return Err(at(msrc_label, 0, "too many products"));
    }
    Ok((products, product_index))
}

/// The MSRC rows aggregated per KB.
type KbAggs = BTreeMap<u32, KbAgg>;
/// The MSRC rows aggregated per CVE (its sort key and id).
type CveAggs = BTreeMap<((u32, u32), u32), CveAgg>;

/// Aggregates the MSRC rows per KB and per CVE.
fn aggregate(
    msrc: &[MsrcRow],
    products: &[Product],
    product_index: &HashMap<u32, u16>,
    strings: &Interner,
) -> (KbAggs, CveAggs) {
    let mut by_kb = KbAggs::new();
    let mut by_cve = CveAggs::new();
    for r in msrc {
        let pi = product_index.get(&r.product).copied().unwrap_or(0);
        let prod = products.get(usize::from(pi));
        if let Some(kb) = r.kb {
            by_kb.entry(kb).or_default().add(r, kb, pi, prod, row_class(r, prod, strings));
        }
        let Some(cve_key) = r.cve_key else { continue };
        by_cve.entry((cve_key, r.cve)).or_default().add(r, pi, prod, strings);
    }
    (by_kb, by_cve)
}

/// A row's bit of [`KbAgg::classes`]: 1 Internet Explorer, 2 .NET, 4 anything else.
fn row_class(r: &MsrcRow, prod: Option<&Product>, strings: &Interner) -> u8 {
    let pcomp = prod.and_then(|p| p.component).map(|c| strings.get(c)).unwrap_or("");
    let comp = strings.get(r.component);
    let title = strings.get(r.title);
    if pcomp.starts_with("Internet Explorer")
        || comp.contains("Internet Explorer")
        || title.contains("Internet Explorer")
    {
        1
    } else if pcomp.contains(".NET Framework") || comp.contains(".NET") {
        2
    } else {
        4
    }
}

impl KbAgg {
    /// Counts in row `r` of this KB (`kb`), about product `pi` (`prod`), of class `class`.
    fn add(&mut self, r: &MsrcRow, kb: u32, pi: u16, prod: Option<&Product>, class: u8) {
        if self.first_line == 0 {
            self.first_line = r.line;
        }
        *self.dates.entry(r.posted).or_default() += 1;
        self.titles.add(r.title);
        for &s in &r.supersedes {
            if s == kb {
                self.self_ref = true;
            } else {
                self.supersedes.insert(s);
            }
        }
        self.products.insert(pi);
        if let Some(p) = prod {
            self.os.insert(p.os);
        }
        self.classes |= class;
    }
}

impl CveAgg {
    /// Counts in row `r` of this CVE, about product `pi` (`prod`).
    fn add(&mut self, r: &MsrcRow, pi: u16, prod: Option<&Product>, strings: &Interner) {
        if self.first_line == 0 {
            self.first_line = r.line;
        }
        self.titles.add(r.title);
        if !strings.get(r.component).is_empty() {
            self.components.add(r.component);
        }
        if let Some(pc) = prod.and_then(|p| p.component) {
            self.product_components.add(pc);
        }
        if !strings.get(r.impact).is_empty() {
            self.impacts.add(r.impact);
        }
        self.severity = self.severity.max(r.severity);
        for &e in &r.exploits {
            if !self.exploits.contains(&e) {
                self.exploits.push(e);
            }
        }
        if let Some(kb) = r.kb {
            self.fixes.entry((kb, r.posted)).or_default().insert(pi);
        }
        self.affected.insert(pi);
    }
}

/// The strings assembly names in every build, interned in this order.
struct Labels {
    msrc_file: u32,
    kev_file: u32,
    empty: u32,
    title_note: u32,
    self_note: u32,
}

impl Labels {
    fn intern(msrc_label: &str, kev_label: &str, strings: &mut Interner) -> Labels {
        let msrc_file = strings.id(msrc_label);
        let kev_file = strings.id(kev_label);
        let empty = strings.id("");
        let title_note =
            strings.id(&format!("{msrc_label}: title is the MSRC `Title` column, not Microsoft's KB article title"));
        let self_note = strings.id("note: the MSRC Supersedes column names this KB itself; that edge is ignored");
        Labels { msrc_file, kev_file, empty, title_note, self_note }
    }
}

/// Builds the update records: the servicing CSV first, then every other
/// MSRC BulletinKB.
struct UpdateAssembly<'a> {
    msrc_label: &'a str,
    labels: &'a Labels,
    strings: &'a mut Interner,
}

impl UpdateAssembly<'_> {
    /// The servicing CSV's updates, each completed by its MSRC rows.
    fn servicing_updates(&mut self, servicing: Vec<ServicingRow>, by_kb: &KbAggs) -> BTreeMap<u32, Update> {
        let mut updates: BTreeMap<u32, Update> = BTreeMap::new();
        for s in servicing {
            let mut u = Update {
                kb: s.kb,
                released: s.released,
                kind: s.kind,
                title: s.title,
                supersedes: s.supersedes,
                requires: s.requires,
                kernel: s.kernel,
                notes: s.notes,
                sources: s.sources,
                os: s.os,
                products: BTreeSet::new(),
            };
            if let Some(a) = by_kb.get(&s.kb) {
                self.add_msrc_rows(&mut u, a);
            }
            updates.insert(s.kb, u);
        }
        updates
    }

    /// Completes servicing update `u` by what its MSRC rows `a` say:
    /// supersedence, products, OS families, notes and the source.
    fn add_msrc_rows(&mut self, u: &mut Update, a: &KbAgg) {
        for &k in &a.supersedes {
            if !u.supersedes.contains(&k) {
                u.supersedes.push(k);
            }
        }
        u.products = a.products.clone();
        let derived = release_date(&a.dates);
        if u.released != 0 && derived != u.released {
            let note = format!("note: the MSRC rows suggest release date {}", show_date(derived));
            u.notes.push(self.strings.id(&note));
        }
        u.os.extend(a.os.iter().copied());
        if a.self_ref {
            u.notes.push(self.labels.self_note);
        }
        u.sources.push(self.strings.id(&format!("{}:{}", self.msrc_label, a.first_line)));
    }

    /// Adds an update for every MSRC BulletinKB the servicing CSV does not list.
    fn add_msrc_updates(&mut self, updates: &mut BTreeMap<u32, Update>, by_kb: &KbAggs) {
        for (&kb, a) in by_kb {
            if updates.contains_key(&kb) {
                continue;
            }
            let u = self.msrc_update(kb, a);
            updates.insert(kb, u);
        }
    }

    /// The update of a KB known from its MSRC rows `a` alone.
    fn msrc_update(&mut self, kb: u32, a: &KbAgg) -> Update {
        let kind = match a.classes {
            1 => 6, // internet_explorer
            2 => 7, // dotnet
            _ => 5, // security_update
        };
        let released = release_date(&a.dates);
        let notes = self.msrc_notes(a, released);
        Update {
            kb,
            released,
            kind,
            title: a.titles.best(),
            supersedes: a.supersedes.iter().copied().collect(),
            requires: Vec::new(),
            kernel: None,
            notes,
            sources: vec![self.strings.id(&format!("{}:{}", self.msrc_label, a.first_line)), self.labels.title_note],
            os: a.os.clone(),
            products: a.products.clone(),
        }
    }

    /// The notes of an update known from its MSRC rows `a` alone, released on
    /// `released`: several titles, a self-supersedence, an earlier posting.
    fn msrc_notes(&mut self, a: &KbAgg, released: u64) -> Vec<u32> {
        let mut notes = Vec::new();
        if a.titles.0.len() > 1 {
            let n = a.titles.0.len();
            notes.push(self.strings.id(&format!(
                "note: the MSRC rows for this KB carry {n} different titles (one per CVE or bulletin); the most frequent is shown"
            )));
        }
        if a.self_ref {
            notes.push(self.labels.self_note);
        }
        let earliest = a.dates.keys().next().copied().unwrap_or(0);
        if earliest != released {
            notes.push(self.strings.id(&format!(
                "note: MSRC also lists it under CVEs first posted {} (revised later); the release date is the \
                 first posting in its main month",
                show_date(earliest)
            )));
        }
        notes
    }
}

/// The CVE records, each with the index of its KEV entry, if any.
fn cves_of(by_cve: CveAggs, kev: &[KevRow], empty: u32) -> Vec<Cve> {
    let kev_index: HashMap<u32, usize> = kev.iter().enumerate().map(|(i, k)| (k.cve, i)).collect();
    let mut cves = Vec::with_capacity(by_cve.len());
    for ((key, id), c) in by_cve {
        let component = c.components.best().or_else(|| c.product_components.best()).unwrap_or(empty);
        cves.push(Cve {
            key,
            id,
            title: c.titles.best().unwrap_or(empty),
            component,
            severity: c.severity,
            impact: c.impacts.best().unwrap_or(empty),
            exploits: c.exploits,
            kev: kev_index.get(&id).copied(),
            fixes: c.fixes.into_iter().map(|((kb, posted), products)| FixGroup { kb, posted, products }).collect(),
            first_line: c.first_line,
            affected: c.affected,
        });
    }
    cves
}

// ---------------------------------------------------------------- writing

/// The blob: magic, string pool (count, each length, then all the text as
/// one string, so it is checked as UTF-8 once), then the body.
pub fn finish(pool: Pool, body: Writer, strings: &Interner) -> Vec<u8> {
    let mut w = Writer::new();
    w.uv(pool.order.len() as u64);
    let mut text = String::new();
    for &s in &pool.order {
        let s = strings.get(s);
        w.uv(s.len() as u64);
        text.push_str(s);
    }
    w.str(&text);
    w.buf.extend_from_slice(body.buf.get(wire::MAGIC.len()..).unwrap_or(&[]));
    w.buf
}

/// The updates blob: the products, then each update's index entry (KB, kind, length) and record.
pub fn write_updates(b: &Built, strings: &Interner) -> Vec<u8> {
    let mut pool = Pool::default();
    let mut w = Writer::new();
    w.uv(b.products.len() as u64);
    for p in &b.products {
        w.uv(pool.id(p.name));
        w.u8(p.os);
        w.u8(p.sp);
        w.u8(p.arch);
        w.u8(u8::from(p.core));
        w.uv(p.component.map_or(0, |c| pool.id(c) + 1));
    }
    w.uv(b.updates.len() as u64);
    for u in &b.updates {
        // Index entry (KB, kind, record length), then the record, so that the
        // library can find records without decoding them.
        w.uv(u64::from(u.kb));
        w.u8(u.kind);
        let outer = std::mem::replace(&mut w, Writer { buf: Vec::new() });
        w.uv(u.released);
        w.uv(u.title.map_or(0, |t| pool.id(t) + 1));
        for list in [&u.supersedes, &u.requires] {
            w.uv(list.len() as u64);
            for &k in list {
                w.uv(u64::from(k));
            }
        }
        match u.kernel {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                for x in v {
                    w.uv(u64::from(x));
                }
            }
        }
        w.uv(u.notes.len() as u64);
        for &n in &u.notes {
            w.uv(pool.id(n));
        }
        w.uv(u.sources.len() as u64);
        for &s in &u.sources {
            w.uv(pool.id(s));
        }
        w.uv(u.os.len() as u64);
        for &o in &u.os {
            w.u8(o);
        }
        w.uv(u.products.len() as u64);
        for &p in &u.products {
            w.uv(u64::from(p));
        }
        let record = std::mem::replace(&mut w, outer);
        w.uv(record.buf.len() as u64);
        w.buf.extend_from_slice(&record.buf);
    }
    finish(pool, w, strings)
}

/// The CVE blob: the file labels, the KEV entries, then the CVE records.
pub fn write_cves(b: &Built, kev: &[KevRow], strings: &Interner) -> Vec<u8> {
    let mut pool = Pool::default();
    let mut w = Writer::new();
    w.uv(pool.id(b.msrc_file));
    w.uv(pool.id(b.kev_file));
    w.uv(pool.id(b.empty));
    w.uv(kev.len() as u64);
    for k in kev {
        w.uv(u64::from(k.id.year().unwrap_or(0)));
        w.uv(u64::from(k.id.number()));
        w.uv(pool.id(k.vendor));
        w.uv(pool.id(k.product));
        w.uv(pool.id(k.name));
        w.uv(k.added);
        w.uv(k.due);
        w.u8(u8::from(k.ransomware));
        w.uv(k.line);
    }
    w.uv(b.cves.len() as u64);
    for c in &b.cves {
        w.uv(u64::from(c.key.0));
        w.uv(u64::from(c.key.1));
        w.uv(pool.id(c.title));
        w.uv(pool.id(c.component));
        w.u8(c.severity);
        w.uv(pool.id(c.impact));
        w.uv(c.exploits.len() as u64);
        for &e in &c.exploits {
            w.uv(pool.id(e));
        }
        w.uv(c.kev.map_or(0, |k| k as u64 + 1));
        w.uv(c.first_line);
        w.uv(c.fixes.len() as u64);
        for g in &c.fixes {
            w.uv(u64::from(g.kb));
            w.uv(g.posted);
            w.uv(g.products.len() as u64);
            for &p in &g.products {
                w.uv(u64::from(p));
            }
        }
        w.uv(c.affected.len() as u64);
        for &p in &c.affected {
            w.uv(u64::from(p));
        }
    }
    finish(pool, w, strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by hand: a KEV row with a date in another form is named by
    /// file, physical line and what was expected.
    #[test]
    fn a_bad_row_is_named_by_file_and_line() {
        let text = "cveID,vendorProject,product,vulnerabilityName,dateAdded,dueDate,knownRansomwareCampaignUse\n\
                    CVE-2021-34527,Microsoft,Windows,PrintNightmare,2021-11-03,2021-11-17,Known\n\
                    CVE-2021-1675,Microsoft,Windows,Print Spooler,03/11/2021,,Known\n";
        let Err(e) = read_kev("kev.csv", text.as_bytes(), true, None, &mut Interner::default()) else {
            panic!("a row with a date of another form was read")
        };
        let message = "dateAdded: expected YYYY-MM-DD, found \"03/11/2021\"".to_string();
        assert_eq!(e, DataError { file: "kev.csv".into(), line: 3, message });
        assert_eq!(e.to_string(), "kev.csv:3: dateAdded: expected YYYY-MM-DD, found \"03/11/2021\"");
    }
}
