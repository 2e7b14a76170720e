//! PowerShell `Get-HotFix` output, as a table or as `Export-Csv`.
//!
//! * The default table (PowerShell 2.0 on Windows Server 2008):
//!   a blank line, a header `Source  Description  HotFixID  InstalledBy
//!   InstalledOn`, a line of dashes under each column name, then one row per
//!   update. Columns are found from the dash runs; a value too long for its
//!   column is cut and ends with `...` (`…` in later PowerShell versions).
//!   `Get-HotFix -ComputerName a,b` may print several tables.
//! * `Get-HotFix | Export-Csv file`: a first line
//!   `#TYPE System.Management.ManagementObject#root\cimv2\Win32_QuickFixEngineering`
//!   (absent with `-NoTypeInformation`), a header of quoted property names and
//!   quoted values. The columns read are `HotFixID`, `Description`,
//!   `InstalledOn`, and the computer from `CSName`, `Source`, `__SERVER` or
//!   `PSComputerName`.
//!
//! PowerShell 2.0 writes `Export-Csv` in ASCII by default and `>` redirections
//! in UTF-16LE; decoding is [`crate::decode()`]'s job. Dates go through the same
//! reader as `wmic qfe` (month/day/year, day.month.year, FILETIME, ...).
use super::hotfix_rows::RowTally;
use super::qfe::{hotfix, kb_for, lines, DateOrder};
use crate::{Facts, ParseError};
use w2k8_core::Kb;

/// Whether `text` is `Get-HotFix` output: a header naming `HotFixID` with a
/// dashes line under it, or an `Export-Csv` of `Win32_QuickFixEngineering`
/// (the `#TYPE` line, or a quoted header with `"HotFixID"`).
pub fn sniff(text: &str) -> bool {
    let mut prev: Option<&str> = None;
    for line in text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).take(12) {
        let t = line.trim_start();
        if t.starts_with("#TYPE ") && t.contains("Win32_QuickFixEngineering") {
            return true;
        }
        if t.starts_with('"') && t.contains("\"HotFixID\"") {
            return true;
        }
        if let Some(h) = prev {
            if is_dashes(line) && h.split_whitespace().any(|w| w == "HotFixID") {
                return true;
            }
        }
        prev = Some(line);
    }
    false
}

fn is_dashes(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| c == '-' || c == ' ')
}

/// Parses `Get-HotFix` output read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let first = lines(text).find(|(_, l)| !l.trim().is_empty());
    let is_csv = first.is_some_and(|(_, l)| {
        let t = l.trim_start();
        t.starts_with("#TYPE ") || t.starts_with('"')
    });
    let rows = if is_csv { csv_rows(text) } else { table_rows(text) };
    let Some(rows) = rows else {
        return Err(ParseError::new(
            file,
            first.map(|(n, _)| n),
            if is_csv {
                "an Export-Csv header naming \"HotFixID\""
            } else {
                "a Get-HotFix table header (`Source  Description  HotFixID  InstalledBy  InstalledOn`) with a dashes line under it"
            },
        ));
    };
    Ok(read_rows(&rows, file))
}

/// The facts of the rows of `file`: host name, hotfixes and notes.
fn read_rows(rows: &[PsRow], file: &str) -> Facts {
    let mut facts = Facts::default();
    let order = DateOrder::infer(rows.iter().map(|r| r.installed_on.as_str()));
    let mut tally = RowTally::default();
    let mut truncated = 0usize;
    for r in rows {
        if let Some((column, src)) = r.source.as_ref().filter(|(_, s)| !s.is_empty()) {
            super::qfe::note_host_name(&mut facts, column, src, file, r.line);
        }
        if r.id.is_empty() {
            tally.skip_empty_id();
            continue;
        }
        let (id, cut) = strip_ellipsis(&r.id);
        let kb = if cut {
            truncated += 1;
            truncated_kb(id)
        } else {
            kb_for(id, None, r.caption.as_deref())
        };
        let installed_on = tally.installed_on(&r.installed_on, order);
        tally.keep(&mut facts, hotfix(&r.id, kb, installed_on, r.description.as_deref(), file, r.line));
    }
    if truncated > 0 {
        facts.notes.push(format!(
            "{truncated} HotFixID value(s) were cut by the table width (`...`); widen the table (Format-Table -AutoSize) or use Export-Csv"
        ));
    }
    tally.note(&mut facts);
    facts
}

/// Removes a trailing `...` or `…` (PowerShell's mark of a cut value).
fn strip_ellipsis(s: &str) -> (&str, bool) {
    if let Some(t) = s.strip_suffix("...").or_else(|| s.strip_suffix('…')) {
        (t, true)
    } else {
        (s, false)
    }
}

/// The KB of a cut id, only when its digits visibly end before the cut
/// (`KB2510531-I...`): `KB25105...` could be any KB2510xxx.
fn truncated_kb(id: &str) -> Option<Kb> {
    let rest = id.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits < rest.len()).then(|| Kb::find_loose(id)).flatten()
}

#[derive(Debug, Default)]
struct PsRow {
    line: u32,
    /// The computer's name, and the column it came from (`Source`, `CSName`, ...).
    source: Option<(&'static str, String)>,
    description: Option<String>,
    id: String,
    installed_on: String,
    caption: Option<String>,
}

/// Rows of every table in the text, or `None` when there is no table header.
fn table_rows(text: &str) -> Option<Vec<PsRow>> {
    let all: Vec<(u32, &str)> = lines(text).collect();
    let mut out = Vec::new();
    let mut found = false;
    let mut i = 0;
    while i + 1 < all.len() {
        let (Some((_, header)), Some((_, dashes))) = (all.get(i), all.get(i + 1)) else {
            break;
        };
        if !(is_dashes(dashes) && header.split_whitespace().any(|w| w == "HotFixID")) {
            i += 1;
            continue;
        }
        found = true;
        let cols = dash_columns(header, dashes);
        i += 2;
        while let Some((n, line)) = all.get(i) {
            if line.trim().is_empty() {
                // A blank line ends this table (another may follow).
                break;
            }
            let get = |name: &str| -> Option<String> {
                cols.iter().position(|(c, _, _)| c == name).and_then(|k| {
                    let (_, start, end) = cols.get(k)?;
                    let chars: Vec<char> = line.chars().collect();
                    let end = end.unwrap_or(chars.len()).min(chars.len());
                    let start = (*start).min(end);
                    Some(chars.get(start..end)?.iter().collect::<String>().trim().to_string())
                })
            };
            out.push(PsRow {
                line: *n,
                source: get("Source").map(|s| ("Source", s)).or_else(|| get("CSName").map(|s| ("CSName", s))),
                description: get("Description"),
                id: get("HotFixID").unwrap_or_default(),
                installed_on: get("InstalledOn").unwrap_or_default(),
                caption: get("Caption"),
            });
            i += 1;
        }
    }
    found.then_some(out)
}

/// Columns from a dashes line: each run of dashes is a column starting
/// there and ending where the next begins. Names come from the header.
fn dash_columns(header: &str, dashes: &str) -> Vec<(String, usize, Option<usize>)> {
    let d: Vec<char> = dashes.chars().collect();
    let h: Vec<char> = header.chars().collect();
    let mut starts = Vec::new();
    for (i, c) in d.iter().enumerate() {
        if *c == '-' && (i == 0 || d.get(i - 1) == Some(&' ')) {
            starts.push(i);
        }
    }
    let mut cols = Vec::new();
    for (k, s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied();
        let name_end = end.unwrap_or(h.len()).min(h.len());
        let name: String = h.get((*s).min(name_end)..name_end).map(|c| c.iter().collect()).unwrap_or_default();
        let name = name.trim().to_string();
        cols.push((name, *s, end));
    }
    cols
}

/// Rows of an `Export-Csv` file, or `None` without a `HotFixID` column.
fn csv_rows(text: &str) -> Option<Vec<PsRow>> {
    let records = csv_records(text);
    let mut it = records.into_iter().filter(|(_, f)| !(f.len() == 1 && f.first().is_some_and(|s| s.trim().is_empty())));
    let mut header = it.next()?;
    if header.1.first().is_some_and(|f| f.starts_with("#TYPE")) {
        header = it.next()?;
    }
    let col = |name: &str| header.1.iter().position(|h| h.eq_ignore_ascii_case(name));
    let id = col("HotFixID")?;
    let source = ["CSName", "Source", "__SERVER", "PSComputerName"].into_iter().find_map(|c| Some((c, col(c)?)));
    let desc = col("Description");
    let on = col("InstalledOn");
    let caption = col("Caption");
    let field = |f: &Vec<String>, i: Option<usize>| i.and_then(|i| f.get(i)).map(|s| s.trim().to_string());
    Some(
        it.map(|(line, f)| PsRow {
            line,
            source: source.and_then(|(c, i)| Some((c, field(&f, Some(i))?))),
            description: field(&f, desc),
            id: field(&f, Some(id)).unwrap_or_default(),
            installed_on: field(&f, on).unwrap_or_default(),
            caption: field(&f, caption),
        })
        .collect(),
    )
}

/// Splits CSV text into records (with their first line): fields separated
/// by commas, optionally double-quoted with `""` for a quote; a quoted field
/// may span lines.
fn csv_records(text: &str) -> Vec<(u32, Vec<String>)> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut line: u32 = 1;
    let mut start_line: u32 = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes => {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            '"' if cur.trim().is_empty() => {
                cur.clear();
                in_quotes = true;
            }
            ',' if !in_quotes => fields.push(std::mem::take(&mut cur)),
            '\r' => {}
            '\n' => {
                line = line.saturating_add(1);
                if in_quotes {
                    cur.push('\n');
                } else {
                    fields.push(std::mem::take(&mut cur));
                    out.push((start_line, std::mem::take(&mut fields)));
                    start_line = line;
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() || !fields.is_empty() {
        fields.push(cur);
        out.push((start_line, fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let text = "\r\nSource        Description      HotFixID      InstalledBy          InstalledOn              \r\n------        -----------      --------      -----------          -----------              \r\nSRV1          Update           KB4493730     NT AUTHORITY\\SYSTEM  4/10/2019 12:00:00 AM    \r\nSRV1          Security Update  KB25105...    NT AUTHORITY\\SYSTEM  4/17/2019 12:00:00 AM    \r\n\r\n\r\n";
        assert!(sniff(text));
        let f = parse(text, "gh.txt").unwrap_or_default();
        assert_eq!(f.hotfixes.len(), 2);
        assert_eq!(f.hotfixes.first().and_then(|h| h.kb), Kb::new(4493730));
        assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(4)));
        assert_eq!(f.hotfixes.get(1).and_then(|h| h.kb), None);
        assert_eq!(f.host_name.map(|h| h.value), Some("SRV1".to_string()));
        assert_eq!(f.notes.len(), 1);
    }

    #[test]
    fn csv_quotes() {
        let r = csv_records("\"a\",\"b,c\",\"d\"\"e\"\r\n\"x\r\ny\",2\r\n");
        assert_eq!(
            r,
            vec![
                (1, vec!["a".to_string(), "b,c".to_string(), "d\"e".to_string()]),
                (2, vec!["x\ny".to_string(), "2".to_string()])
            ]
        );
    }

    /// Written by hand: an Export-Csv row without a HotFixID is said, as
    /// `wmic qfe` says it (it was skipped silently).
    #[test]
    fn a_row_without_an_id_is_noted() {
        let text = "#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_QuickFixEngineering\r\n\"PSComputerName\",\"Description\",\"HotFixID\",\"InstalledOn\"\r\n\"SRV1\",\"Update\",\"KB4493730\",\"4/10/2019\"\r\n\"SRV1\",\"Update\",\"\",\"\"\r\n";
        let f = parse(text, "gh.csv").unwrap_or_default();
        assert_eq!(f.hotfixes.len(), 1);
        assert!(f.notes.iter().any(|n| n == "1 row(s) without a HotFixID were skipped"), "{:?}", f.notes);
    }

    /// Written by hand: two computers named by the rows are said with the
    /// column that names them (the note always said `Source`).
    #[test]
    fn two_computers_are_said_with_their_column() {
        let text = "#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_QuickFixEngineering\r\n\"CSName\",\"HotFixID\",\"InstalledOn\"\r\n\"SRV1\",\"KB4493730\",\"4/10/2019\"\r\n\"SRV2\",\"KB4474419\",\"4/10/2019\"\r\n";
        let f = parse(text, "gh.csv").unwrap_or_default();
        assert!(
            f.notes.iter().any(|n| n == "rows name more than one computer (CSName SRV1 and SRV2)"),
            "{:?}",
            f.notes
        );
        let table = "\r\nSource  Description  HotFixID   InstalledBy  InstalledOn\r\n------  -----------  --------   -----------  -----------\r\nSRV1    Update       KB4493730  SYSTEM       4/10/2019\r\nSRV2    Update       KB4474419  SYSTEM       4/10/2019\r\n";
        let f = parse(table, "gh.txt").unwrap_or_default();
        assert!(
            f.notes.iter().any(|n| n == "rows name more than one computer (Source SRV1 and SRV2)"),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn truncated_ids() {
        assert_eq!(truncated_kb("KB2510531-I"), Kb::new(2510531));
        assert_eq!(truncated_kb("KB25105"), None);
    }

    #[test]
    fn not_get_hotfix() {
        assert!(!sniff("Caption  CSName  HotFixID\r\nx  y  KB1234567\r\n"));
        assert!(!sniff("Host Name:                 SRV1\r\n"));
        assert!(parse("Host Name: x\r\n", "x").is_err());
    }
}
